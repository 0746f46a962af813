//! Command-line arguments and the non-interactive subcommands.

use clap::{Parser, Subcommand};

/// Keep Alibaba Cloud ECS custom images in order, from a terminal.
#[derive(Debug, Parser)]
#[command(name = "ecsimg", version, about)]
pub struct Cli {
    /// Run against the embedded ECS simulator with demo credentials (no account needed).
    #[arg(long, global = true)]
    pub demo: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the embedded ECS simulator standalone and print its endpoint and credentials.
    Sim(crate::sim::SimArgs),
}

/// The binary's entry point; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ecsimg: cannot start the async runtime: {e}");
            return 1;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Some(Command::Sim(args)) => crate::sim::run_standalone(args).await,
            None => anyhow::bail!("the terminal UI is not built yet"),
        }
    });
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("ecsimg: {e:#}");
            1
        }
    }
}
