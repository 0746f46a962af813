//! The `ecsimg` binary run as a script would run it: arguments, exit codes, output
//! formats, prompts on a terminal, and the subcommands against the embedded simulator.

#[path = "../support/mod.rs"]
mod support;

mod basics;
mod bulk;
mod bulk_usage;
mod credentials;
mod demo;
mod files;
mod hostile_input;
mod journal;
mod output;
mod prompt;
mod read_only_ops;
mod regions_list;
mod silent;
mod tls;
mod usage;
