//! Command-line arguments and the non-interactive subcommands. Without a subcommand the
//! binary opens the TUI; every subcommand shares the session building, the rules and the
//! one place changes execute (`exec`) with it.

pub mod args;
pub mod batch_output;
pub mod bulk_args;
pub mod completions;
pub mod confirm;
pub mod connected;
pub mod demo;
pub mod durations;
pub mod exit;
pub mod families;
pub mod global_args;
pub mod images_bulk;
pub mod images_list;
pub mod images_modify;
pub mod images_show;
pub mod interrupt;
pub mod journal_cmd;
pub mod json;
pub mod output;
pub mod parse;
pub mod regions;
pub mod session;
pub mod stream;
pub mod targets;
pub mod trust;
pub mod undo;
pub mod undo_batch;
mod usage_text;
pub mod values;

pub use args::{Cli, Command, GlobalArgs, ImagesCommand, OutputFormat};
pub use exit::{CliError, Exit};

use crate::config::Config;
use crate::session::Session;

/// What every subcommand that talks to ECS gets.
pub struct Context<'a> {
    pub session: &'a Session,
    pub output: OutputFormat,
    /// ASCII-only symbols (`--ascii` or the config's `[theme] ascii`).
    pub ascii: bool,
    /// The config's `[batch]`: how changes to many images run unless flags say otherwise.
    pub batch: crate::config::batch::BatchConfig,
}

impl Context<'_> {
    /// The same context with another session (the region a journaled change was made in).
    pub fn with_session<'b>(&self, session: &'b Session) -> Context<'b> {
        Context {
            session,
            output: self.output,
            ascii: self.ascii,
            batch: self.batch,
        }
    }

    /// Prints text meant for a person: on stdout for tables, on stderr when stdout carries
    /// JSON or IDs for a script.
    pub fn say(&self, text: &str) {
        if self.output == OutputFormat::Table {
            output::emit_line(text);
        } else {
            output::emit_err(text);
        }
    }
}

/// The binary's entry point; returns the process exit code.
pub fn main() -> i32 {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::parse_from_args(&args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e, wants_json(&args)),
    };
    let json = cli.global.output == Some(OutputFormat::Json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            output::emit_err(&format!("ecsimg: cannot start the async runtime: {e}"));
            return Exit::Failure.code();
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => Exit::Ok.code(),
        Err(e) if e.exit == Exit::Ok => {
            output::emit_line(&e.message);
            Exit::Ok.code()
        }
        Err(e) => {
            if json && !e.reported {
                output::print_json(&e.json());
            }
            output::emit_err(&format!("ecsimg: {}", e.message));
            e.exit.code()
        }
    }
}

/// `--output json` is on the command line (it could not be parsed as a whole).
fn wants_json(args: &[std::ffi::OsString]) -> bool {
    args.iter()
        .zip(args.iter().skip(1))
        .any(|(a, b)| a == "--output" && b == "json")
        || args.iter().any(|a| a == "--output=json")
}

/// A command line clap refused (or `--help`, `--version`): clap's own words on stderr,
/// and with `--output json` the error document on stdout too.
fn usage_error(e: &clap::Error, json: bool) -> i32 {
    use clap::error::ErrorKind;
    let shown = matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand;
    if json && !shown {
        let first = e.to_string();
        let message = first
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .to_string();
        output::print_json(&CliError::invalid(message).json());
    }
    let _ = e.print();
    e.exit_code()
}

/// Runs one command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let global = cli.global;
    match cli.command {
        Some(Command::Sim(args)) => {
            return crate::sim::run_standalone(args)
                .await
                .map_err(|e| CliError::failure(format!("{e:#}")));
        }
        Some(Command::Completions { shell }) => {
            completions::print(shell);
            return Ok(());
        }
        _ => {}
    }

    let config = Config::load(global.config.as_deref())?;
    // Scripts log only when asked to; the TUI always logs (to its default file if need be),
    // from the start so the session's resolution is in the log too.
    if global.log_file.is_some() || cli.command.is_none() {
        crate::term::init_logging(global.log_file.as_deref())
            .map_err(|e| CliError::invalid(format!("--log-file: {e:#}")))?;
    }
    let output = global.output.unwrap_or_default();
    let ascii = global.ascii || config.theme.ascii;

    if let Some(Command::Journal(args)) = &cli.command {
        return journal_cmd::run(&args.clone(), global.demo, output, ascii);
    }

    // Flags that can be checked without ECS are checked before connecting.
    let mut any_region = None;
    if let Some(Command::Images(ImagesCommand::List(args))) = &cli.command {
        images_list::query(args)?;
        images_list::scope(args)?;
        // Listing many regions needs no region of its own: DescribeRegions is asked of
        // the central one.
        any_region = args.many_regions().then_some(images_list::CENTRAL_REGION);
    }

    let connected = session::connect_with(&global, &config, any_region).await?;
    for warning in &connected.warnings {
        output::emit_err(&format!("ecsimg: warning: {warning}"));
    }
    tracing::info!(
        profile = %connected.session.profile,
        region = %connected.session.client.region(),
        source = %connected.source,
        "session ready"
    );
    let ctx = Context {
        session: &connected.session,
        output,
        ascii,
        batch: config.batch,
    };
    let result = match cli.command {
        None => {
            let options = crate::term::TuiOptions {
                ascii,
                color: config.theme.color,
                mouse: global.mouse,
                log_file: global.log_file.clone(),
                keys: config.keymap.clone(),
                bulk: crate::app::bulk::BulkLimits {
                    concurrency: config.batch.concurrency_or(None),
                    rate: config.batch.rate_or(None),
                },
                connector: (!global.demo).then(|| {
                    session::connector(&global, &config, connected.session.client.region())
                }),
            };
            crate::term::run(connected.session.clone(), options)
                .await
                .map_err(|e| CliError::failure(format!("{e:#}")))
        }
        Some(Command::Images(ImagesCommand::List(args))) => images_list::run(&ctx, &args).await,
        Some(Command::Images(ImagesCommand::Show(args))) => images_show::run(&ctx, &args).await,
        Some(Command::Images(ImagesCommand::Modify(args))) if args.targets.given() => {
            images_bulk::run(&ctx, &args).await
        }
        Some(Command::Images(ImagesCommand::Modify(args))) => images_modify::run(&ctx, &args).await,
        Some(Command::Regions) => regions::run(&ctx).await,
        Some(Command::Undo(args)) if args.batch.is_some() => undo_batch::run(&ctx, &args).await,
        Some(Command::Undo(args)) => undo::run(&ctx, &args).await,
        Some(Command::Families(command)) => families::run(&ctx, &command).await,
        Some(Command::Journal(_) | Command::Completions { .. } | Command::Sim(_)) => {
            unreachable!("handled before connecting")
        }
    };
    match result {
        // "No changes" is a success; with JSON or IDs on stdout it is said on stderr.
        Err(e) if e.exit == Exit::Ok && output != OutputFormat::Table => {
            output::emit_err(&e.message);
            Ok(())
        }
        other => other,
    }
}
