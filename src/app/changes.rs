//! A change on its way through the screens, as data: picked (status picker), confirmed
//! (the dialog), in flight (a job), and ended (the result panel). Each holds the change
//! once — an operation on its target images — and asks `change` for the rest.

use crate::change::{Applied, ApplyError, Change, ImageChanges, Landed};
use crate::ecs::model::{Image, ImageStatus};
use crate::rules::Problem;

use super::command::JobId;
use super::form::Form;
use super::journal_view::UndoOrigin;
use super::text::TextInput;

/// A change in flight.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: JobId,
    pub region: String,
    pub change: Change,
    /// Esc was pressed; the worker has been asked to stop it.
    pub cancelling: bool,
}

/// The status picker (`s`).
#[derive(Debug, Clone, PartialEq)]
pub struct StatusPicker {
    pub image: Image,
    /// The statuses offered (Available, Deprecated).
    pub options: Vec<ImageStatus>,
    pub selected: usize,
    /// Why the last Enter was refused.
    pub problem: Option<Problem>,
}

impl StatusPicker {
    pub fn open(image: &Image) -> StatusPicker {
        let options = vec![ImageStatus::Available, ImageStatus::Deprecated];
        let selected = options.iter().position(|s| *s == image.status).unwrap_or(0);
        StatusPicker {
            image: image.clone(),
            options,
            selected,
            problem: None,
        }
    }

    pub fn chosen(&self) -> &ImageStatus {
        &self.options[self.selected]
    }

    /// The change the chosen status makes (empty when it is the current one).
    pub fn changes(&self) -> ImageChanges {
        ImageChanges {
            status: Some(self.chosen().clone()),
            ..ImageChanges::default()
        }
        .only_differences(&self.image)
    }
}

/// Where the confirm dialog came from, to go back to on Cancel.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Form(Box<Form>),
    StatusPicker(Box<StatusPicker>),
    /// `u`: putting back what a journal entry replaced.
    Undo(Box<UndoOrigin>),
}

/// The confirm dialog's buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    Cancel,
    Apply,
}

/// The confirm dialog: the plan of the change, [Cancel] [Apply].
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub change: Change,
    /// Cancel when the dialog opens.
    pub focus: Button,
    /// The image ID, typed when the change empties a family or the image is in use.
    pub typed: TextInput,
    pub origin: Origin,
    /// Apply was pressed while the family or usage check was still running: it goes out
    /// when the checks return, unless they ask for more (the typed ID). Esc cancels it.
    pub queued: bool,
}

impl Confirm {
    /// The image the change is made to (the first target).
    pub fn image(&self) -> &Image {
        self.change.image()
    }
}

/// How a change ended, for the result panel.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Applied(Box<Applied>),
    Failed(ApplyError),
    /// Stopped before ECS answered; what the re-read right after found.
    Cancelled(Landed),
}

/// The result panel shown over the list when a change ends.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultPanel {
    pub change: Change,
    pub outcome: Outcome,
}

impl ResultPanel {
    /// The image the change was made to, as it was before.
    pub fn image(&self) -> &Image {
        self.change.image()
    }
}
