//! `sinergi borders list|add|remove`: the land borders a Kerja Sama Wajib needs — the shipped
//! [U] list of provinces and kabupaten/kota — and the operator's audited corrections.

use clap::Subcommand;
use sinergi_domain::access::Actor;
use sinergi_store::Store;
use std::process::ExitCode;

use super::DbArgs;

#[derive(Debug, Subcommand)]
pub enum BordersCommand {
    /// The borders of one region (corrections and removed ones included).
    List {
        /// Kemendagri code, e.g. 62.71.
        code: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Record that two provinces, or two kabupaten/kota, share a land border.
    Add {
        a: String,
        b: String,
        /// The basis of the correction (a map, the regulation on the boundary).
        #[arg(long)]
        note: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Record that two regions do not share a land border after all.
    Remove {
        a: String,
        b: String,
        #[arg(long)]
        note: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

impl BordersCommand {
    pub fn db(&self) -> &DbArgs {
        match self {
            Self::List { db, .. } | Self::Add { db, .. } | Self::Remove { db, .. } => db,
        }
    }
}

fn actor() -> Actor {
    let who = std::env::var("USER").unwrap_or_else(|_| "cli".to_owned());
    Actor::system(&format!("cli:{who}"))
}

pub async fn run(
    store: &Store,
    cmd: &BordersCommand,
    now: time::OffsetDateTime,
) -> anyhow::Result<ExitCode> {
    let refused = |e: sinergi_store::StoreError| match e {
        sinergi_store::StoreError::Domain(d) => {
            anyhow::anyhow!("{}", d.message(sinergi_domain::Lang::Id))
        }
        other => anyhow::anyhow!("{other}"),
    };
    match cmd {
        BordersCommand::List { code, .. } => {
            store.get_region(code).await.map_err(refused)?;
            for b in store.borders_of(code).await.map_err(refused)? {
                let other = if &b.a == code { &b.b } else { &b.a };
                let state = if b.removed {
                    "DIHAPUS (removed)"
                } else {
                    "berbatasan"
                };
                println!("{other}\t{state}\t{}\t{}", b.source, b.note);
            }
        }
        BordersCommand::Add { a, b, note, .. } | BordersCommand::Remove { a, b, note, .. } => {
            let present = matches!(cmd, BordersCommand::Add { .. });
            let row = store
                .correct_border(a, b, present, note, &actor(), now)
                .await
                .map_err(refused)?;
            println!(
                "{} – {}: {} ({})",
                row.a,
                row.b,
                if row.removed {
                    "tidak berbatasan (not bordering)"
                } else {
                    "berbatasan (bordering)"
                },
                row.note
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
