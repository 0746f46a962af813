//! The command line of changes to many images: which images (`--ids-from`, `--where`),
//! how the batch runs (`--concurrency`, `--rate`, `--force-in-use`), and `families`.

use clap::{Args, Subcommand};

use crate::config::batch::{parse_concurrency, parse_rate};

/// Which images `images modify` changes when it is not given one ID.
#[derive(Debug, Clone, Default, Args)]
pub struct TargetArgs {
    /// Change every image listed in FILE: one ID a line, blank lines and `#` comments
    /// skipped; `-` reads standard input.
    #[arg(long, value_name = "FILE|-", conflicts_with = "where_")]
    pub ids_from: Option<String>,

    /// Change every image matching all of: family=F, status=Available|Deprecated,
    /// name-like=TEXT (case-insensitive), created-before=yyyy-mm-dd (comma-separated).
    #[arg(long = "where", value_name = "FILTER")]
    pub where_: Option<String>,
}

impl TargetArgs {
    pub fn given(&self) -> bool {
        self.ids_from.is_some() || self.where_.is_some()
    }
}

/// How a change to many images runs.
#[derive(Debug, Clone, Default, Args)]
pub struct RunArgs {
    /// With --yes: also deprecate images in use (an active scaling group, a default launch
    /// template version, or a source that could not be checked).
    #[arg(long)]
    pub force_in_use: bool,

    /// Images in flight at once (1–64; default 4, or [batch] concurrency in the config).
    #[arg(long, value_name = "N", value_parser = parse_concurrency)]
    pub concurrency: Option<usize>,

    /// Calls a second at most (default 10, or [batch] rate in the config); 0: no limit.
    #[arg(long, value_name = "PER_SECOND", value_parser = parse_rate)]
    pub rate: Option<f64>,
}

#[derive(Debug, Subcommand)]
pub enum FamiliesCommand {
    /// Every image family of the region: its members by status and what it resolves to.
    #[command(after_help = "Examples:
  ecsimg families list
  ecsimg families list --output json
  ecsimg families list --output ids        one family name a line

A family resolves to its newest Available image (by creation time), as ECS resolves it.

JSON shape: {\"region\", \"families\": [{\"name\", \"by_status\": {STATUS: N},
  \"resolves_to\": null | {\"id\", \"name\", \"created\"},
  \"members\": [{\"id\", \"name\", \"status\", \"created\"}] (newest first)}]}")]
    List,

    /// Keep the newest N Available images of a family and deprecate the rest (or, with
    /// --restore, make the newest Deprecated image Available again).
    #[command(after_help = "Examples:
  ecsimg families prune web --keep 3             prints the plan, asks before sending
  ecsimg families prune web --keep 3 --yes       for scripts
  ecsimg families prune web --restore            undo a rollback: the newest Deprecated
                                                 image becomes Available again

The plan is the one `images modify --where` prints: each image's before → after, what the
family resolves to afterwards, the calls and the time they take at the rate. --keep 0
empties the family: with --yes it also needs --force-empty-family.

JSON shape (--output json): the batch report, as `images modify --where` prints it.")]
    Prune(PruneArgs),
}

#[derive(Debug, Clone, Args)]
pub struct PruneArgs {
    /// The family.
    pub family: String,

    /// How many of the newest Available images to keep.
    #[arg(long, value_name = "N", required_unless_present = "restore")]
    pub keep: Option<usize>,

    /// Make the newest Deprecated image of the family Available again instead.
    #[arg(long, conflicts_with = "keep")]
    pub restore: bool,

    /// Apply without asking (required when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// With --yes: allow leaving the family with no Available image.
    #[arg(long)]
    pub force_empty_family: bool,

    #[command(flatten)]
    pub run: RunArgs,
}
