//! `sinergi report register|evaluation|mapping --region CODE --format xlsx|pdf --output FILE`.

use anyhow::Context as _;
use sinergi_domain::clock::{Clock, SystemClock};
use sinergi_store::Store;
use sinergi_web::reports::{self, ReportKind};
use std::path::Path;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    Register,
    Evaluation,
    Mapping,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Xlsx,
    Pdf,
}

pub async fn run(
    store: Store,
    kind: Kind,
    region: &str,
    format: Format,
    output: &Path,
) -> anyhow::Result<()> {
    let kind = match kind {
        Kind::Register => ReportKind::Register,
        Kind::Evaluation => ReportKind::Evaluation,
        Kind::Mapping => ReportKind::Mapping,
    };
    let data = reports::gather(&store, kind, region, SystemClock.now()).await?;
    let bytes = match format {
        Format::Xlsx => reports::xlsx(&data)?,
        Format::Pdf => reports::pdf(&data)?,
    };
    std::fs::write(output, &bytes)
        .with_context(|| format!("menulis {} (writing)", output.display()))?;
    println!(
        "{} ({} bita) ditulis: {}",
        data.title,
        bytes.len(),
        output.display()
    );
    store.close().await;
    Ok(())
}
