//! The flags every subcommand takes (`global = true`): profile, region, endpoints,
//! timeouts, output format, files. Listed once, in `ecsimg --help`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum, ValueHint};

use crate::config::durations::parse_timeout;
use crate::config::EndpointType;

/// Flags every subcommand (and the TUI) takes.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Credential profile (aliyun CLI's ~/.aliyun/config.json, or ~/.alibabacloud/credentials).
    #[arg(long, global = true, value_name = "NAME", value_hint = ValueHint::Other)]
    pub profile: Option<String>,

    /// Region ID, e.g. cn-hangzhou.
    #[arg(long, global = true, value_name = "ID", value_hint = ValueHint::Other)]
    pub region: Option<String>,

    /// Any ECS endpoint URL (plain http:// only for loopback).
    #[arg(
        long,
        global = true,
        value_name = "URL",
        value_hint = ValueHint::Url,
        conflicts_with = "endpoint_type"
    )]
    pub endpoint: Option<String>,

    /// public: ecs.<region>.aliyuncs.com; vpc: ecs-vpc.<region>.aliyuncs.com (inside a VPC).
    #[arg(long, global = true, value_name = "TYPE")]
    pub endpoint_type: Option<EndpointType>,

    /// Auto Scaling's endpoint URL. Without it Auto Scaling follows --endpoint, else the
    /// endpoint type (ess.aliyuncs.com or ess[-vpc].<region>.aliyuncs.com).
    #[arg(long, global = true, value_name = "URL", value_hint = ValueHint::Url)]
    pub ess_endpoint: Option<String>,

    /// Refuse every change (dry runs still work).
    #[arg(long, global = true)]
    pub read_only: bool,

    /// How results are printed.
    #[arg(long, global = true, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,

    /// Write logs to this file (never to the screen).
    #[arg(long, global = true, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub log_file: Option<PathBuf>,

    /// How long to wait for a connection: 5s, 500ms, or seconds.
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_timeout, value_hint = ValueHint::Other)]
    pub connect_timeout: Option<Duration>,

    /// How long to wait for an answer: 30s, 2m, or seconds.
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_timeout, value_hint = ValueHint::Other)]
    pub read_timeout: Option<Duration>,

    /// The most pages of a listing fetched at once (1–64, default 16); below it the pace
    /// follows the server's answers.
    #[arg(long, global = true, value_name = "N", value_parser = parse_concurrency, value_hint = ValueHint::Other)]
    pub page_concurrency: Option<usize>,

    /// Also trust the CA certificates in this PEM file (a proxy that inspects TLS). The
    /// bundled web roots and this system's store (SSL_CERT_FILE, SSL_CERT_DIR) are always
    /// trusted; nothing turns certificate checks off.
    #[arg(long, global = true, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub ca_bundle: Option<PathBuf>,

    /// Config file to read instead of $XDG_CONFIG_HOME/ecsimg/config.toml.
    #[arg(long, global = true, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub config: Option<PathBuf>,

    /// Run against the embedded ECS simulator with demo images (no account needed). With
    /// ECSIMG_DEMO_STATE=FILE the simulator keeps its images in FILE between runs.
    #[arg(long, global = true)]
    pub demo: bool,

    /// Plain ASCII borders and symbols (PuTTY, old consoles).
    #[arg(long, global = true)]
    pub ascii: bool,

    /// Capture the mouse in the TUI (off by default so the terminal's selection works).
    #[arg(long, global = true)]
    pub mouse: bool,
}

fn parse_concurrency(s: &str) -> Result<usize, String> {
    let n: i64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a whole number"))?;
    crate::config::check_concurrency(n)
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum OutputFormat {
    /// Columns fitted to the terminal width.
    #[default]
    Table,
    /// One JSON document, in the shape `--help` of each command documents.
    Json,
    /// One ID a line.
    Ids,
}
