//! `sinergi rules list|show|add`: the versioned rule sets a deployment follows. A new set (or
//! a new version of one) takes effect on its first day for the cases opened from then on;
//! a case keeps the set it was opened under.

use clap::Subcommand;
use sinergi_domain::rules::RuleSet;
use sinergi_store::Store;
use std::path::PathBuf;
use std::process::ExitCode;

use super::DbArgs;

/// A rule set file is a few kilobytes; anything far larger is not one.
const MAX_FILE_BYTES: u64 = 256 * 1024;

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Every stored rule set: id, version, first day, title.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// One rule set as JSON (the latest version unless `--version`): a starting point for
    /// the next version.
    Show {
        id: String,
        #[arg(long)]
        version: Option<u32>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Adds a rule set from a JSON file (as `show` prints it, with a higher version, a first
    /// day not in the past and a legal reference for every parameter).
    Add {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
}

impl RulesCommand {
    pub fn db(&self) -> &DbArgs {
        match self {
            Self::List { db } | Self::Show { db, .. } | Self::Add { db, .. } => db,
        }
    }
}

fn read_file(path: &PathBuf) -> anyhow::Result<RuleSet> {
    let len = std::fs::metadata(path)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        .len();
    if len > MAX_FILE_BYTES {
        anyhow::bail!(
            "{}: {len} byte; berkas aturan paling besar {MAX_FILE_BYTES} byte (a rule set file is at most {MAX_FILE_BYTES} bytes)",
            path.display()
        );
    }
    let text =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}: bukan aturan yang dapat dibaca (not a readable rule set): {e}",
            path.display()
        )
    })
}

pub async fn run(
    store: &Store,
    cmd: &RulesCommand,
    now: time::OffsetDateTime,
) -> anyhow::Result<ExitCode> {
    let refused = |e: sinergi_store::StoreError| match e {
        sinergi_store::StoreError::Domain(d) => {
            anyhow::anyhow!("{}", d.message(sinergi_domain::Lang::Id))
        }
        other => anyhow::anyhow!("{other}"),
    };
    match cmd {
        RulesCommand::List { .. } => {
            for r in store.rule_sets().await.map_err(refused)? {
                println!("{}\t{}\t{}\t{}", r.id, r.version, r.effective_from, r.title);
            }
        }
        RulesCommand::Show { id, version, .. } => {
            let sets = store.rule_sets().await.map_err(refused)?;
            let found = sets
                .iter()
                .filter(|r| &r.id == id && version.is_none_or(|v| v == r.version))
                .max_by_key(|r| r.version)
                .ok_or_else(|| {
                    anyhow::anyhow!("aturan {id} tidak ditemukan (rule set not found)")
                })?;
            println!("{}", serde_json::to_string_pretty(found)?);
        }
        RulesCommand::Add { file, .. } => {
            let r = read_file(file)?;
            let who = std::env::var("USER").unwrap_or_else(|_| "cli".to_owned());
            let actor = sinergi_domain::access::Actor::system(&format!("cli:{who}"));
            let stored = store
                .publish_rule_set(&r, &actor, now)
                .await
                .map_err(|e| match e {
                    sinergi_store::StoreError::Domain(sinergi_domain::DomainError::Validation(
                        errs,
                    )) => anyhow::anyhow!(
                        "aturan ditolak (rule set refused):\n{}",
                        errs.iter()
                            .map(|e| format!("  {}: {}", e.field, e.message_id))
                            .collect::<Vec<_>>()
                            .join("\n")
                    ),
                    other => refused(other),
                })?;
            println!(
                "Aturan {} versi {} berlaku sejak {} untuk kasus yang dibuka mulai hari itu (rule set added).",
                stored.id, stored.version, stored.effective_from
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
