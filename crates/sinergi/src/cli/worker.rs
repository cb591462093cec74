//! `sinergi worker` (the job worker as its own process; several may run at once on
//! PostgreSQL) and `sinergi notifications list` (the e-mail outbox).

use crate::settings::Settings;
use anyhow::Context as _;
use sinergi_domain::clock::{Clock, FixedClock, SystemClock};
use sinergi_store::Store;
use sinergi_worker::Worker;
use std::sync::Arc;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Parses `--now`.
pub fn parse_now(s: &str) -> anyhow::Result<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).with_context(|| {
        format!(
            "--now {s}: bukan waktu RFC 3339 (not an RFC 3339 time), mis. 2026-06-01T09:00:00+07:00"
        )
    })
}

/// Runs the worker: once (everything due at `now`, then exit) or until a shutdown signal.
pub async fn run(
    store: Store,
    settings: &Settings,
    once: bool,
    now: Option<OffsetDateTime>,
) -> anyhow::Result<()> {
    let worker = Worker::new(store.clone(), settings.worker_config("worker")?);
    if once {
        let now = now.unwrap_or_else(|| SystemClock.now());
        let report = worker.run_once(now).await?;
        println!(
            "{} tugas selesai, {} gagal (worker {}, {}).",
            report.done.len(),
            report.failed.len(),
            worker.id(),
            now.format(&Rfc3339).unwrap_or_default()
        );
        for (id, kind, err) in &report.failed {
            eprintln!("gagal {kind} {id}: {err}");
        }
        store.close().await;
        return Ok(());
    }
    let clock: Arc<dyn Clock> = match now {
        Some(t) => Arc::new(FixedClock(t)),
        None => Arc::new(SystemClock),
    };
    tracing::info!(worker = worker.id(), "worker berjalan");
    worker
        .run_forever(clock, crate::cli::serve::shutdown_signal())
        .await;
    store.close().await;
    Ok(())
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Json,
    Text,
}

/// Prints the e-mail outbox.
pub async fn list(store: Store, format: Format, status: Option<&str>) -> anyhow::Result<()> {
    let items = store.outbox(status).await?;
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "items": items, "total": items.len() })
            )?
        ),
        Format::Text => {
            for e in &items {
                println!(
                    "{}\t{}\t{}\t{}",
                    e.created_at.format(&Rfc3339).unwrap_or_default(),
                    e.status,
                    e.to_address,
                    e.subject
                );
            }
            println!("{} e-mail", items.len());
        }
    }
    store.close().await;
    Ok(())
}
