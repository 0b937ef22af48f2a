//! `kura`: the command-line front end of Kura, a thin adapter over `kura-core`.

// A command line prints: results on stdout, prompts, progress and errors on stderr. The core
// (and the desktop) may not (workspace lints).
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod commands;
mod output;

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    init_log(args.verbose);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kura: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(commands::run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kura: {}", output::shown_message(&e.to_string()));
            ExitCode::from(output::exit_code(&e))
        }
    }
}

/// The stderr log: `$KURA_LOG` (an `EnvFilter` directive list; default `warn`, `info` with `-v`),
/// with the dependency targets that print secrets capped whatever it says
/// ([`kura_core::logging`]).
fn init_log(verbose: bool) {
    let directives = std::env::var("KURA_LOG").ok();
    let default = if verbose { "info" } else { "warn" };
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_filter(kura_core::logging::filter(directives.as_deref(), default));
    tracing_subscriber::registry().with(layer).init();
}
