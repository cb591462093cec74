//! The command line: `serve`, `migrate`, `demo load`, `config example`, `analyze`.

mod analyze;
pub mod document;
mod serve;

use crate::settings::Settings;
use anyhow::Context as _;
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;
use sinergi_domain::clock::{Clock, SystemClock};
use sinergi_store::{ConnectOptions, DatabaseUrl, Store};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "sinergi",
    version,
    about = "Sinergi — sistem kerja sama daerah (inter-regional government cooperation)"
)]
pub struct Cli {
    /// Settings file (default: ./sinergi.toml when present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// Database selection shared by the commands.
#[derive(Debug, clap::Args)]
pub struct DbArgs {
    /// sqlite:///path/file.db or postgres://…; default: the embedded SQLite file in the data directory.
    #[arg(long, env = "SINERGI_DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (applies migrations and loads reference data first).
    Serve {
        /// Address to listen on (default from settings: 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<std::net::SocketAddr>,
        #[command(flatten)]
        db: DbArgs,
        /// Load the founding case (Kalimantan Tengah – Bali, 2022) if it is not there yet.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and load the reference data.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Demo data.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Configuration helpers.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Agreement documents (KB, PKS, addendum, surat penawaran, berita acara).
    Document {
        #[command(subcommand)]
        command: DocumentCommand,
    },
    /// Verify a final PDF: who signed, when, in what capacity, and whether it is unchanged.
    Verify {
        /// The PDF file to check.
        file: PathBuf,
        /// The verification code printed on the document (read from the file when omitted).
        #[arg(long)]
        code: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Regional potential measures from a CSV file (region,sector,year,value).
    Analyze {
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        start: i32,
        #[arg(long)]
        end: i32,
        #[arg(long, value_enum, default_value = "json")]
        format: analyze::Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Load the founding case into the database (idempotent).
    Load {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Add visibly fictional cases ("[FIKTIF]") for demonstrations and benchmarks.
    Synthetic {
        #[command(flatten)]
        db: DbArgs,
        /// Number of cases.
        #[arg(long, default_value_t = 100)]
        cases: usize,
        /// Meetings per case.
        #[arg(long, default_value_t = 0)]
        meetings_per_case: usize,
        #[arg(long, default_value_t = 2022)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum DocumentCommand {
    /// Write a case's document as PDF or DOCX (by the output's extension).
    Render {
        /// The case id.
        #[arg(long)]
        case: String,
        /// kb, pks, addendum, penawaran or berita-acara.
        #[arg(long)]
        kind: String,
        /// FILE.pdf or FILE.docx.
        #[arg(long)]
        output: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print a fully commented example sinergi.toml.
    Example,
}

fn load_settings(cli: &Cli) -> anyhow::Result<Settings> {
    let env: std::collections::HashMap<String, String> = std::env::vars().collect();
    Settings::load(cli.config.as_deref(), &env)
}

fn init_logging(settings: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&settings.log.filter));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Resolves the database: the flag (or SINERGI_DATABASE_URL), the settings, or the default
/// SQLite file in the data directory (created on first run).
fn resolve_database(
    db: &DbArgs,
    settings: &Settings,
) -> anyhow::Result<(DatabaseUrl, ConnectOptions)> {
    let explicit = db.database_url.clone().or_else(|| {
        settings
            .database
            .url
            .as_ref()
            .map(|u| u.expose_secret().to_owned())
    });
    let mut opts = ConnectOptions {
        max_connections: settings.database.max_connections,
        ..ConnectOptions::default()
    };
    let url = match explicit {
        Some(u) => DatabaseUrl::parse(&u).map_err(anyhow::Error::msg)?,
        None => {
            std::fs::create_dir_all(&settings.data_dir).with_context(|| {
                format!(
                    "membuat direktori data {} (creating the data directory)",
                    settings.data_dir.display()
                )
            })?;
            opts.create_sqlite_file = true;
            DatabaseUrl::sqlite_file(&settings.data_dir.join("sinergi.db"))
        }
    };
    Ok((url, opts))
}

/// Connects, migrates, loads the reference data and the rule sets.
async fn open_store(db: &DbArgs, settings: &Settings, clock: &dyn Clock) -> anyhow::Result<Store> {
    let (url, opts) = resolve_database(db, settings)?;
    tracing::info!(database = %url, "connecting");
    let store = Store::connect(&url, opts)
        .await
        .with_context(|| format!("menghubungkan ke {url} (connecting)"))?;
    store
        .migrate()
        .await
        .context("menjalankan migrasi (running migrations)")?;
    let report = store
        .ensure_reference_data()
        .await
        .context("memuat data referensi (loading reference data)")?;
    if report.loaded {
        tracing::info!(regions = report.regions, version = %report.wilayah_version, took_ms = report.took.as_millis(), "reference data loaded");
    }
    store.ensure_rule_sets(clock.now()).await?;
    store.optimize().await?;
    Ok(store)
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Config {
        command: ConfigCommand::Example,
    } = &cli.command
    {
        print!("{}", crate::settings::EXAMPLE);
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::Analyze {
        input,
        start,
        end,
        format,
    } = &cli.command
    {
        return analyze::run(input, *start, *end, *format);
    }
    let settings = load_settings(&cli)?;
    init_logging(&settings);
    let clock = SystemClock;
    match &cli.command {
        Command::Serve { listen, db, demo } => {
            let store = open_store(db, &settings, &clock).await?;
            if *demo
                && store
                    .load_founding_case(clock.now())
                    .await
                    .context("memuat data demo (loading demo data)")?
            {
                tracing::info!("founding case loaded");
            }
            serve::run(store, &settings, listen.unwrap_or(settings.server.listen)).await?;
        }
        Command::Migrate { db } => {
            let started = std::time::Instant::now();
            let store = open_store(db, &settings, &clock).await?;
            println!(
                "Migrasi selesai dan data referensi siap ({} ms).",
                started.elapsed().as_millis()
            );
            store.close().await;
        }
        Command::Demo {
            command: DemoCommand::Load { db },
        } => {
            let store = open_store(db, &settings, &clock).await?;
            if store.load_founding_case(clock.now()).await? {
                println!(
                    "Kasus pendiri Kalimantan Tengah – Bali dimuat: /api/v1/cases/{}",
                    sinergi_domain::demo::FOUNDING_CASE_ID
                );
            } else {
                println!(
                    "Kasus pendiri sudah ada: /api/v1/cases/{}",
                    sinergi_domain::demo::FOUNDING_CASE_ID
                );
            }
            store.close().await;
        }
        Command::Demo {
            command:
                DemoCommand::Synthetic {
                    db,
                    cases,
                    meetings_per_case,
                    seed,
                },
        } => {
            let store = open_store(db, &settings, &clock).await?;
            let started = std::time::Instant::now();
            let r = store
                .load_synthetic(*cases, *meetings_per_case, *seed, clock.now())
                .await?;
            store.optimize().await?;
            println!(
                "{} kasus fiktif dan {} pertemuan fiktif dibuat ({} ms).",
                r.cases,
                r.meetings,
                started.elapsed().as_millis()
            );
            store.close().await;
        }
        Command::Document {
            command:
                DocumentCommand::Render {
                    case,
                    kind,
                    output,
                    db,
                },
        } => {
            let store = open_store(db, &settings, &clock).await?;
            let code = document::render(&store, &settings, case, kind, output).await;
            store.close().await;
            return code;
        }
        Command::Verify { file, code, db } => {
            let store = open_store(db, &settings, &clock).await?;
            let result = document::verify(&store, file, code.as_deref()).await;
            store.close().await;
            return result;
        }
        Command::Config { .. } | Command::Analyze { .. } => {}
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
