//! `sinergi analyze`: the analytics.md §4 contract.

use anyhow::Context as _;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Json,
    Text,
}

pub fn run(input: &Path, start: i32, end: i32, format: Format) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(input)
        .with_context(|| format!("{}: tidak dapat dibaca (cannot be read)", input.display()))?;
    let name = input.display().to_string();
    match sinergi_analytics::analyze_csv_bytes(&name, &bytes, start, end) {
        Ok(out) => {
            let rendered = match format {
                Format::Json => serde_json::to_string_pretty(&out)?,
                Format::Text => sinergi_analytics::render_text(&out),
            };
            println!("{rendered}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("{e}");
            Ok(ExitCode::from(2))
        }
    }
}
