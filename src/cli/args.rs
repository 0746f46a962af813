//! The command line: global flags, subcommands, and the help text with examples.
//!
//! No flag takes a secret: a value on the command line shows in `ps` and in shell history.
//! Credentials come from the environment or the aliyun CLI's profiles.

use clap::{Args, Parser, Subcommand, ValueHint};

use super::values::{field_values, statuses};

pub use super::global_args::{GlobalArgs, OutputFormat};
pub use crate::config::EndpointType;

/// The exit codes, as a literal so every `after_help` can `concat!` it.
macro_rules! exit_codes_help {
    () => {
        "Exit codes:
  0  ok (also: nothing to change)
  1  unexpected failure (a local file could not be read or written)
  2  invalid input: a bad flag or value, a field ECS would refuse, no region, a bad config file
  3  ECS answered with an error (image not found, forbidden, throttled, server error)
  4  network: no answer, connection refused, timeout, or the endpoint's TLS certificate
     refused (not trusted, expired, for another name: not retried, nothing sent)
  5  credentials: none found, or ECS refused them (unknown key, bad signature, expired token,
     this host's clock)
  6  refused: read-only mode, or a change not confirmed (no --yes without a terminal)"
    };
}

/// The exit codes as `--help` prints them.
pub const EXIT_CODES_HELP: &str = exit_codes_help!();

/// Keep Alibaba Cloud ECS custom images in order, from a terminal.
///
/// Without a subcommand, ecsimg opens the terminal UI.
#[derive(Debug, Parser)]
#[command(
    name = "ecsimg",
    version,
    about,
    after_help = concat!(
        "Examples:
  ecsimg --demo                            the terminal UI against the embedded simulator
  ecsimg --profile prod --region cn-shanghai
  ecsimg images list --family web --status Available,Deprecated
  ecsimg images list --output ids | head
  ecsimg images modify m-bp1abc --status Deprecated --dry-run
  ecsimg journal --since 2d
  ecsimg undo

Credentials are never taken as flags: ecsimg reads ALIBABA_CLOUD_ACCESS_KEY_ID,
ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN, the aliyun CLI's
~/.aliyun/config.json (--profile) or ~/.alibabacloud/credentials.

Region: --region, else ALIBABA_CLOUD_REGION_ID (or an alias), else the profile's region_id,
else the config file's [profiles.NAME] region, else its default_region; none → exit 2.

Config file: $XDG_CONFIG_HOME/ecsimg/config.toml (else ~/.config/ecsimg/config.toml).

",
        exit_codes_help!()
    ),
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

// Parsed once per process: boxing the larger variants would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, show and modify custom images.
    #[command(subcommand)]
    Images(ImagesCommand),

    /// List the regions ECS offers.
    #[command(after_help = concat!(
        "Examples:
  ecsimg regions
  ecsimg regions --output ids

JSON shape: {\"regions\": [{\"id\", \"name\", \"endpoint\", \"status\"}]}

",
        exit_codes_help!()
    ))]
    Regions,

    /// List the journal: every change that reached ECS, from the TUI or the CLI.
    Journal(JournalArgs),

    /// Put back the values a change replaced (the last successful change, or a chosen one).
    Undo(UndoArgs),

    /// Image families: list them, keep the newest N of one (`prune`).
    #[command(subcommand)]
    Families(super::bulk_args::FamiliesCommand),

    /// Print a shell completion script.
    #[command(after_help = "Examples:
  ecsimg completions bash > ~/.local/share/bash-completion/completions/ecsimg
  ecsimg completions zsh > ~/.zfunc/_ecsimg
  ecsimg completions fish > ~/.config/fish/completions/ecsimg.fish")]
    Completions {
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },

    /// Run the embedded ECS simulator standalone and print its endpoint and credentials.
    Sim(crate::sim::SimArgs),
}

#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum ImagesCommand {
    /// List custom images (every page), all statuses unless --status.
    #[command(after_help = concat!(
        "Examples:
  ecsimg images list
  ecsimg images list --family web --status Available
  ecsimg images list --name-like nightly --output json | jq '.images[].id'
  ecsimg images list --all-regions --status Deprecated
  ecsimg images list --regions cn-hangzhou,cn-shanghai --output json
  COLUMNS=120 ecsimg images list

Pages are fetched as fast as ECS answers them (at most --page-concurrency at once).
Across regions, several regions are listed at once, each at its own endpoint (or all at
--endpoint); a region that fails is named on stderr and the others are still printed.

JSON shape (stable):
  {\"region\": \"cn-hangzhou\" (null across regions), \"regions\": [ID, ...], \"count\": 2,
   \"complete\": true, \"errors\": [{\"region\", \"code\", \"message\", \"request_id\",
   \"pages_missing\": [N, ...]}], \"images\": [IMAGE, ...]}
  IMAGE = {\"id\", \"name\", \"status\", \"family\" (\"\" when none), \"description\",
           \"created\" (yyyy-MM-ddTHH:mm:ssZ), \"size_gib\" (number), \"os_name\",
           \"os_name_en\", \"os_type\", \"architecture\", \"platform\", \"boot_mode\",
           \"license_type\", \"nvme_support\", \"imds_support\", \"shared\" (bool),
           \"owner_alias\", \"usage\", \"progress\", \"version\", \"resource_group_id\",
           \"copied\" (bool), \"supports_cloudinit\" (bool), \"region\"}
  Text values are strings (\"\" when ECS sends none); keys are never removed, only added.

",
        exit_codes_help!()
    ))]
    List(ListArgs),

    /// Every field of one image, its family and what that family resolves to today.
    #[command(after_help = concat!(
        "Examples:
  ecsimg images show m-bp1abc
  ecsimg images show m-bp1abc --output json

JSON shape (stable):
  {\"image\": IMAGE (as in `images list`, plus \"tags\": {KEY: VALUE}, \"disks\":
                    [{\"device\", \"type\", \"snapshot_id\", \"size_gib\", \"format\"}]),
   \"family\": null | {\"name\", \"resolves_to\": null | {\"id\", \"name\", \"created\"},
                      \"members\": [{\"id\", \"name\", \"status\", \"created\"}]},
   \"usage\": {\"instances\": {\"total\", \"by_status\": {STATUS: N}, \"sample\": [{\"id\", \"name\",
               \"status\", \"zone\"}]}, \"launch_templates\": [{\"id\", \"name\", \"version\",
               \"default\"}], \"scaling\": [{\"group_id\", \"group_name\", \"configuration_id\",
               \"active\", \"via\": \"image\" | \"family\" | \"launch_template\"}], \"shared_with\":
               [ID], \"unchecked\": [{\"source\", \"code\", \"reason\"}]}}
  A source that could not be read (no permission, throttled, no answer) is in unchecked.

",
        exit_codes_help!()
    ))]
    Show(ShowArgs),

    /// Change an image's attributes: checked with the same rules as the TUI before sending.
    // clap turns every "{n}" of a help text into a line break; the rename placeholder is
    // written with an invisible reset between its brace and its n (stripped when piped).
    #[command(after_help = concat!(
        "Examples:
  ecsimg images modify m-bp1abc --name web-2024-05 --description \"nightly build\"
  ecsimg images modify m-bp1abc --status Deprecated            asks before sending
  ecsimg images modify m-bp1abc --status Deprecated --yes      for scripts (no terminal)
  ecsimg images modify m-bp1abc --family web --dry-run          print the signed request only
  ecsimg images modify m-bp1abc --imds v2 --api-dry-run         let ECS check it (DryRun=true)
  ecsimg images modify --where family=web,created-before=2024-06-01 --status Deprecated
  ecsimg images list --family old --output ids | ecsimg images modify --ids-from - \
      --name \"{family}-{date}-{\x1b[0mn}\" --yes           rename many with a pattern

Many images (--ids-from, --where): the same checks for every image, and the plan printed
before anything is sent: each image's before → after, each family's fate, the usage, the
number of calls and the time they take at --rate. --name takes the placeholders {name},
{family}, {date} (the image's creation date) and {\x1b[0mn} (1, 2, … in plan order); a name
given twice, or held by another image today, is refused (exit 2). A progress line on a
terminal; only the final report when piped. Exit 3 if any image failed.

Only the fields that differ from the image today are sent. Every problem is listed with the
code ECS would answer (exit 2) before anything is sent. Without a terminal on stdin, --yes
is required (exit 6). Deprecating (or moving out) the only Available image of a family
also needs --force-empty-family (or typing the image ID at the prompt). A Deprecate first
shows who uses the image; a shared image is refused (exit 2, nothing sent), and one in use
(an Active scaling group launches it, a template's default version pins it, or a source
could not be checked) needs --force-in-use with --yes (or the typed image ID).

JSON shape: {\"image_id\", \"request_id\", \"verified\" (bool), \"dry_run\" (bool),
             \"changes\": [{\"field\", \"before\", \"after\"}]}
  (field is ImageName, Description, ImageFamily, Status, BootMode, LicenseType, NvmeSupport
  or ImdsSupport). With --dry-run: {\"method\", \"url\", \"params\": {NAME: VALUE}}, the
  AccessKeyId shortened and SecurityToken shown as <redacted>.

",
        exit_codes_help!()
    ))]
    Modify(ModifyArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// Only images of this family.
    #[arg(long, value_name = "FAMILY", value_hint = ValueHint::Other)]
    pub family: Option<String>,

    /// Only these statuses (comma list): Available, Deprecated, Creating, Waiting,
    /// UnAvailable, CreateFailed.
    #[arg(long, value_name = "STATUS,…", value_delimiter = ',', value_parser = statuses(), hide_possible_values = true)]
    pub status: Vec<String>,

    /// Only images whose name contains this (ECS's fuzzy match).
    #[arg(long, value_name = "TEXT", value_hint = ValueHint::Other)]
    pub name_like: Option<String>,

    /// Every region DescribeRegions lists, at once (no --region needed).
    #[arg(long, conflicts_with = "regions")]
    pub all_regions: bool,

    /// These regions (comma list), at once (no --region needed).
    #[arg(long, value_name = "ID,…", value_delimiter = ',', value_hint = ValueHint::Other)]
    pub regions: Vec<String>,
}

impl ListArgs {
    /// Lists more than the session's region: it needs no region of its own.
    pub fn many_regions(&self) -> bool {
        self.all_regions || !self.regions.is_empty()
    }
}

#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// The image ID (m-…).
    #[arg(value_hint = ValueHint::Other)]
    pub id: String,
}

#[derive(Debug, Clone, Default, Args)]
pub struct ModifyArgs {
    /// The image ID (m-…); or many images with --ids-from or --where.
    #[arg(
        value_hint = ValueHint::Other,
        required_unless_present_any = ["ids_from", "where_"],
        conflicts_with_all = ["ids_from", "where_"]
    )]
    pub id: Option<String>,

    #[command(flatten)]
    pub targets: super::bulk_args::TargetArgs,

    #[command(flatten)]
    pub run: super::bulk_args::RunArgs,

    /// New name: 2–128 characters, starts with a letter or a Chinese character.
    #[arg(long, value_name = "NAME", value_hint = ValueHint::Other)]
    pub name: Option<String>,

    /// New description: 2–256 characters.
    #[arg(long, value_name = "TEXT", value_hint = ValueHint::Other)]
    pub description: Option<String>,

    /// Move the image into this family.
    #[arg(long, value_name = "FAMILY", value_hint = ValueHint::Other)]
    pub family: Option<String>,

    /// Available or Deprecated.
    #[arg(long, value_name = "STATUS", value_parser = field_values(crate::rules::Field::Status))]
    pub status: Option<String>,

    /// BIOS, UEFI or UEFI-Preferred.
    #[arg(long, value_name = "MODE", value_parser = field_values(crate::rules::Field::BootMode))]
    pub boot_mode: Option<String>,

    /// BYOL.
    #[arg(long, value_name = "TYPE", value_parser = field_values(crate::rules::Field::LicenseType))]
    pub license_type: Option<String>,

    /// supported or unsupported.
    #[arg(long, value_name = "VALUE", value_parser = field_values(crate::rules::Field::NvmeSupport))]
    pub nvme: Option<String>,

    /// v1 or v2 (v2 cannot go back to v1).
    #[arg(long, value_name = "VERSION", value_parser = field_values(crate::rules::Field::ImdsSupport))]
    pub imds: Option<String>,

    /// Apply without asking (required when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// With --yes: allow leaving a family with no Available image.
    #[arg(long)]
    pub force_empty_family: bool,

    /// Print the exact signed request and send nothing.
    #[arg(long, conflicts_with = "api_dry_run")]
    pub dry_run: bool,

    /// Send it with DryRun=true: ECS checks permissions and parameters, changes nothing.
    #[arg(long)]
    pub api_dry_run: bool,
}

impl ModifyArgs {
    /// Each editable field, its flag, and the value the flag gave (`None` when not given).
    pub fn values(&self) -> [(crate::rules::Field, &'static str, &Option<String>); 8] {
        use crate::rules::Field;
        [
            (Field::ImageName, &self.name),
            (Field::Description, &self.description),
            (Field::ImageFamily, &self.family),
            (Field::Status, &self.status),
            (Field::BootMode, &self.boot_mode),
            (Field::LicenseType, &self.license_type),
            (Field::NvmeSupport, &self.nvme),
            (Field::ImdsSupport, &self.imds),
        ]
        .map(|(field, value)| (field, field.flag(), value))
    }
}

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!(
    "Examples:
  ecsimg journal
  ecsimg journal --image m-bp1abc --since 2d
  ecsimg journal --since 2026-05-01 --output json

The # column is the entry number `ecsimg undo` takes. --output ids prints those numbers.
The journal is $XDG_STATE_HOME/ecsimg/journal.jsonl (else ~/.local/state/ecsimg/);
--demo changes go to demo-journal.jsonl beside it.

JSON shape: {\"path\", \"entries\": [{\"index\", \"time\", \"source\", \"profile\", \"region\",
  \"endpoint\", \"image_id\", \"image_name\", \"changes\": [{\"field\", \"before\", \"after\"}],
  \"request_id\", \"outcome\": {\"result\": \"applied\", \"verified\"} |
                              {\"result\": \"refused\" | \"not_applied\" | \"uncertain\" |
                                          \"failed\", \"code\", \"message\"} |
                              {\"result\": \"sending\"} (never settled),
  and when known \"id\", \"settled_at\", \"batch\"}]}

",
    exit_codes_help!()
))]
pub struct JournalArgs {
    /// Only changes to this image.
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other)]
    pub image: Option<String>,

    /// Only the changes of this batch (a unique start of its ID will do).
    #[arg(long, value_name = "ID")]
    pub batch: Option<String>,

    /// Only changes since a date (2026-05-01, 2026-05-01T10:00:00Z) or for a duration
    /// back from now (30m, 6h, 2d, 1w).
    #[arg(long, value_name = "WHEN", value_hint = ValueHint::Other)]
    pub since: Option<String>,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = concat!(
    "Examples:
  ecsimg undo            the last successful change
  ecsimg undo 12         entry #12 of `ecsimg journal`
  ecsimg undo --yes      without a terminal
  ecsimg undo --batch b-20260501T100000Z-1a2b3c

The image is re-read first: if someone changed it since, the fields that differ are shown
before you confirm. The undo is itself a change: it is journaled, and undoing it again
re-applies the original change.

",
    exit_codes_help!()
))]
pub struct UndoArgs {
    /// The journal entry number (the # column of `ecsimg journal`); the last successful
    /// change when left out.
    #[arg(value_name = "ENTRY", value_hint = ValueHint::Other, conflicts_with = "batch")]
    pub entry: Option<usize>,

    /// Undo every change of a batch that may be in place (the batch column of
    /// `ecsimg journal`; a unique start of the ID will do).
    #[arg(long, value_name = "ID")]
    pub batch: Option<String>,

    #[command(flatten)]
    pub run: super::bulk_args::RunArgs,

    /// Apply without asking (required when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// With --yes: allow leaving a family with no Available image.
    #[arg(long)]
    pub force_empty_family: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use std::time::Duration;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "ecsimg",
            "images",
            "list",
            "--output",
            "json",
            "--region",
            "cn-beijing",
            "--read-timeout",
            "2s",
        ])
        .unwrap();
        assert_eq!(cli.global.output, Some(OutputFormat::Json));
        assert_eq!(cli.global.region.as_deref(), Some("cn-beijing"));
        assert_eq!(cli.global.read_timeout, Some(Duration::from_secs(2)));
    }

    #[test]
    fn status_takes_a_comma_list() {
        let cli = Cli::try_parse_from([
            "ecsimg",
            "images",
            "list",
            "--status",
            "Available,Deprecated",
        ])
        .unwrap();
        let Some(Command::Images(ImagesCommand::List(args))) = cli.command else {
            panic!("not a list");
        };
        assert_eq!(args.status, ["Available", "Deprecated"]);
    }

    #[test]
    fn help_shows_examples_and_exit_codes() {
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("Examples:"), "{help}");
        assert!(help.contains("6  refused"), "{help}");
    }
}
