//! The edit form: three text fields and five pickers, validated by `crate::rules` on every
//! keystroke. It stays exactly as typed until a change succeeds.

use crate::change::{Field, ImageChanges, Operation};
use crate::ecs::model::Image;
use crate::rules::{self, Problem};

use super::text::TextInput;
use crate::keys::Intent;

/// How one field is edited.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldInput {
    Text(TextInput),
    /// One of `options`; the image's current value is among them even when ECS would not
    /// take it as a new value (an unset license, a Creating status).
    Choice {
        options: Vec<String>,
        selected: usize,
    },
}

/// One row of the form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    pub field: Field,
    pub input: FieldInput,
}

impl FormField {
    pub fn value(&self) -> String {
        match &self.input {
            FieldInput::Text(t) => t.value().to_string(),
            FieldInput::Choice { options, selected } => {
                options.get(*selected).cloned().unwrap_or_default()
            }
        }
    }

    pub fn is_text(&self) -> bool {
        matches!(self.input, FieldInput::Text(_))
    }
}

/// What has the keyboard in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormFocus {
    Field(usize),
    Submit,
    Cancel,
}

/// What a key did to the form, for `update` to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    Stay,
    Submit,
    Cancel,
}

/// What the screen shows under one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldCheck {
    /// The value differs from the image's.
    pub changed: bool,
    /// Why ECS would refuse it (only for changed values: an unchanged one is not sent).
    pub problem: Option<Problem>,
    /// Characters typed, for text fields.
    pub count: usize,
    /// The limit, for text fields.
    pub max: Option<usize>,
}

/// The edit form for one image.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The image as the list showed it when the form opened (or was last rebased).
    pub image: Image,
    pub fields: Vec<FormField>,
    pub focus: FormFocus,
    /// The names the other images of the image's region hold (name → image ID), as the
    /// list had them: ECS refuses a name twice in a region (`InvalidImageName.Duplicated`).
    pub taken: std::collections::BTreeMap<String, String>,
}

impl Form {
    /// A form holding the current values of `image`, the name field focused.
    pub fn open(image: &Image) -> Form {
        let fields = Field::ALL
            .into_iter()
            .map(|field| {
                let current = field.value_of(image);
                let choices = rules::choices(field);
                let input = if choices.is_empty() {
                    FieldInput::Text(TextInput::new(&current))
                } else {
                    let mut options: Vec<String> = choices.iter().map(|c| c.to_string()).collect();
                    if !options.contains(&current) {
                        options.insert(0, current.clone());
                    }
                    let selected = options.iter().position(|o| *o == current).unwrap_or(0);
                    FieldInput::Choice { options, selected }
                };
                FormField { field, input }
            })
            .collect();
        Form {
            image: image.clone(),
            fields,
            focus: FormFocus::Field(0),
            taken: Default::default(),
        }
    }

    /// The same form, checking the name against `taken` (name → image ID).
    pub fn with_taken_names(mut self, taken: std::collections::BTreeMap<String, String>) -> Form {
        self.taken = taken;
        self
    }

    /// The new name is another image's in this region.
    fn duplicate(&self, field: Field, value: &str) -> Option<Problem> {
        let holder = (field == Field::ImageName)
            .then(|| self.taken.get(value))
            .flatten()
            .filter(|id| **id != self.image.image_id)?;
        Some(Problem {
            field,
            code: "InvalidImageName.Duplicated",
            message: format!("taken by {holder}"),
        })
    }

    /// Compares what was typed with a fresher copy of the image: fields the person
    /// changed keep their value, the others take the fresh one.
    pub fn rebase(&mut self, image: &Image) {
        let fresh = Form::open(image);
        for (mine, theirs) in self.fields.iter_mut().zip(fresh.fields) {
            let typed = mine.value();
            if typed == mine.field.value_of(&self.image) {
                *mine = theirs;
                continue;
            }
            if let FieldInput::Choice { mut options, .. } = theirs.input {
                if !options.contains(&typed) {
                    options.insert(0, typed.clone());
                }
                let selected = options.iter().position(|o| *o == typed).unwrap_or(0);
                mine.input = FieldInput::Choice { options, selected };
            }
        }
        self.image = image.clone();
    }

    pub fn field(&self, field: Field) -> Option<&FormField> {
        self.fields.iter().find(|f| f.field == field)
    }

    /// The fields whose value differs from the image's, and nothing else.
    pub fn changes(&self) -> ImageChanges {
        let mut all = ImageChanges::default();
        for f in &self.fields {
            all.set(f.field, Some(f.value()));
        }
        all.only_differences(&self.image)
    }

    /// What ECS would refuse, in form order.
    pub fn problems(&self) -> Vec<Problem> {
        let changes = self.changes();
        let mut problems = Operation::Modify(changes.clone()).problems(&self.image);
        if let Some(name) = &changes.image_name {
            if !problems.iter().any(|p| p.field == Field::ImageName) {
                problems.extend(self.duplicate(Field::ImageName, name));
            }
        }
        problems
    }

    /// The live check shown under field `index`.
    pub fn check(&self, index: usize) -> Option<FieldCheck> {
        let f = self.fields.get(index)?;
        let value = f.value();
        let changed = value != f.field.value_of(&self.image);
        let problem = if changed {
            rules::check_field(f.field, &value)
                .or_else(|| rules::check_transition(f.field, &value, &self.image))
                .or_else(|| self.duplicate(f.field, &value))
        } else {
            None
        };
        Some(FieldCheck {
            changed,
            problem,
            count: value.chars().count(),
            max: rules::max_len(f.field),
        })
    }

    /// The focused text field, if a text field has focus.
    pub fn focused_text(&mut self) -> Option<&mut TextInput> {
        match self.focus {
            FormFocus::Field(i) => match &mut self.fields.get_mut(i)?.input {
                FieldInput::Text(t) => Some(t),
                FieldInput::Choice { .. } => None,
            },
            _ => None,
        }
    }

    pub fn text_focused(&self) -> bool {
        matches!(self.focus, FormFocus::Field(i) if self.fields.get(i).is_some_and(FormField::is_text))
    }

    /// Moves the focus to the first field ECS would refuse; returns that problem.
    pub fn focus_first_problem(&mut self) -> Option<Problem> {
        let first = self.problems().into_iter().next()?;
        if let Some(i) = self.fields.iter().position(|f| f.field == first.field) {
            self.focus = FormFocus::Field(i);
        }
        Some(first)
    }

    /// Handles an intent from the form's key table.
    pub fn handle(&mut self, intent: Intent) -> FormOutcome {
        match intent {
            Intent::NextField => self.step_focus(1),
            Intent::PrevField => self.step_focus(-1),
            Intent::Submit => return FormOutcome::Submit,
            Intent::Back => return FormOutcome::Cancel,
            Intent::Press => match self.focus {
                FormFocus::Submit => return FormOutcome::Submit,
                FormFocus::Cancel => return FormOutcome::Cancel,
                FormFocus::Field(_) => self.step_focus(1),
            },
            Intent::Left | Intent::Right => {
                let step = if intent == Intent::Left { -1 } else { 1 };
                match self.focus {
                    FormFocus::Submit | FormFocus::Cancel => {
                        self.focus = if self.focus == FormFocus::Submit {
                            FormFocus::Cancel
                        } else {
                            FormFocus::Submit
                        };
                    }
                    FormFocus::Field(i) => match &mut self.fields[i].input {
                        FieldInput::Text(t) => {
                            t.apply(intent);
                        }
                        FieldInput::Choice { options, selected } => {
                            let n = options.len() as isize;
                            *selected = ((*selected as isize + step).rem_euclid(n)) as usize;
                        }
                    },
                }
            }
            other => {
                if let Some(t) = self.focused_text() {
                    t.apply(other);
                }
            }
        }
        FormOutcome::Stay
    }

    /// Types a character into the focused text field.
    pub fn type_char(&mut self, c: char) {
        if let Some(t) = self.focused_text() {
            t.insert(c);
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(t) = self.focused_text() {
            t.paste(text);
        }
    }

    fn step_focus(&mut self, step: isize) {
        let n = self.fields.len() + 2;
        let index = match self.focus {
            FormFocus::Field(i) => i,
            FormFocus::Submit => self.fields.len(),
            FormFocus::Cancel => self.fields.len() + 1,
        };
        let next = (index as isize + step).rem_euclid(n as isize) as usize;
        self.focus = match next {
            i if i < self.fields.len() => FormFocus::Field(i),
            i if i == self.fields.len() => FormFocus::Submit,
            _ => FormFocus::Cancel,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecs::model::{Features, ImageStatus};

    fn image() -> Image {
        Image {
            image_id: "m-1".into(),
            image_name: "web-01".into(),
            description: "nightly".into(),
            image_family: "web".into(),
            status: ImageStatus::Available,
            boot_mode: "BIOS".into(),
            features: Features {
                nvme_support: Some("unsupported".into()),
                imds_support: Some("v2".into()),
            },
            ..Image::default()
        }
    }

    #[test]
    fn an_untouched_form_has_no_changes() {
        let form = Form::open(&image());
        assert!(form.changes().is_empty());
        assert!(form.problems().is_empty());
    }

    #[test]
    fn typing_checks_the_field_live() {
        let mut form = Form::open(&image());
        form.handle(Intent::Text(crate::keys::TextOp::DeleteLine));
        form.type_char('1');
        let check = form.check(0).unwrap();
        assert!(check.changed);
        assert_eq!(check.count, 1);
        assert_eq!(check.max, Some(128));
        assert_eq!(
            check.problem.unwrap().code,
            "InvalidImageName.Malformed",
            "a one-character name is too short"
        );
        form.type_char('x');
        assert_eq!(
            form.check(0).unwrap().problem.unwrap().message,
            "must start with a letter or a Chinese character"
        );
    }

    #[test]
    fn pickers_cycle_and_keep_an_unset_value_as_a_choice() {
        let mut form = Form::open(&image());
        let license = form
            .fields
            .iter()
            .position(|f| f.field == Field::LicenseType)
            .unwrap();
        form.focus = FormFocus::Field(license);
        assert_eq!(form.fields[license].value(), "");
        form.handle(Intent::Right);
        assert_eq!(form.fields[license].value(), "BYOL");
        form.handle(Intent::Right);
        assert_eq!(form.fields[license].value(), "");
        assert!(form.changes().is_empty());
    }

    #[test]
    fn imds_back_to_v1_is_refused_before_sending() {
        let mut form = Form::open(&image());
        let imds = form
            .fields
            .iter()
            .position(|f| f.field == Field::ImdsSupport)
            .unwrap();
        form.focus = FormFocus::Field(imds);
        form.handle(Intent::Left);
        assert_eq!(form.fields[imds].value(), "v1");
        form.focus = FormFocus::Field(0);
        let first = form.focus_first_problem().unwrap();
        assert_eq!(first.code, "InvalidOperation.FeaturesImdsSupportNotMatch");
        assert_eq!(form.focus, FormFocus::Field(imds));
    }

    #[test]
    fn focus_cycles_through_fields_and_buttons() {
        let mut form = Form::open(&image());
        form.handle(Intent::PrevField);
        assert_eq!(form.focus, FormFocus::Cancel);
        form.handle(Intent::PrevField);
        assert_eq!(form.focus, FormFocus::Submit);
        assert_eq!(form.handle(Intent::Press), FormOutcome::Submit);
        form.handle(Intent::NextField);
        form.handle(Intent::NextField);
        assert_eq!(form.focus, FormFocus::Field(0));
        assert_eq!(form.handle(Intent::Press), FormOutcome::Stay);
        assert_eq!(form.focus, FormFocus::Field(1));
    }

    #[test]
    fn rebase_keeps_what_was_typed() {
        let mut form = Form::open(&image());
        form.type_char('!');
        let mut fresh = image();
        fresh.description = "changed elsewhere".into();
        form.rebase(&fresh);
        assert_eq!(form.fields[0].value(), "web-01!");
        assert_eq!(form.fields[1].value(), "changed elsewhere");
        assert_eq!(form.changes().fields(), vec![Field::ImageName]);
    }
}
