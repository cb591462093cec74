//! `sinergi`: the one executable — server, migrations, demo data, analytics.

mod cli;
mod logging;
mod settings;

use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("galat (error): {e:#}");
            ExitCode::FAILURE
        }
    }
}
