//! The command line: `serve`, `worker`, `migrate`, `demo load`, `config example`, `analyze`,
//! `notifications list`, `report`.

mod admin;
mod analyze;
mod borders;
mod cases;
pub mod document;
mod observations;
mod report;
mod rules;
pub(crate) mod serve;
mod worker;

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
    /// Accounts, API tokens and the permission table.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// The tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        command: admin::AuditCommand,
    },
    /// Run the job worker (reminders, automatic transitions, e-mail). Several may run at once
    /// on PostgreSQL; on SQLite `serve` runs one inside itself.
    Worker {
        #[command(flatten)]
        db: DbArgs,
        /// Process everything due now (or at --now) and exit.
        #[arg(long)]
        once: bool,
        /// The instant to act at, RFC 3339 (operations and tests), e.g. 2026-06-01T09:00:00+07:00.
        #[arg(long)]
        now: Option<String>,
    },
    /// Reminders and e-mail.
    Notifications {
        #[command(subcommand)]
        command: NotificationsCommand,
    },
    /// Reports for the kepala daerah, the governor and Kemendagri.
    Report {
        /// register, evaluation or mapping (pemetaan urusan).
        #[arg(value_enum)]
        kind: report::Kind,
        /// Kemendagri code of the region (a province includes its regencies and cities).
        #[arg(long)]
        region: String,
        #[arg(long, value_enum, default_value = "xlsx")]
        format: report::Format,
        #[arg(long)]
        output: PathBuf,
        #[command(flatten)]
        db: DbArgs,
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
    /// Land borders (provinces, kabupaten/kota) for Kerja Sama Wajib, and their corrections.
    Borders {
        #[command(subcommand)]
        command: borders::BordersCommand,
    },
    /// The versioned rule sets (list, show one as JSON, add a new version with its first day).
    Rules {
        #[command(subcommand)]
        command: rules::RulesCommand,
    },
    /// Cases: bring a region's existing register of agreements in.
    Cases {
        #[command(subcommand)]
        command: CasesCommand,
    },
    /// Regional-potential observations: import BPS tables, load the synthetic data set.
    Observations {
        #[command(subcommand)]
        command: ObservationsCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum CasesCommand {
    /// Import a region's register of agreements (XLSX, XLS, ODS, CSV): every row reported as
    /// a new case, a PKS joining its KB, already imported, a possible duplicate, refused (with
    /// what to fix) or skipped; accepted rows written in one transaction.
    Import {
        #[command(flatten)]
        args: cases::ImportArgs,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ObservationsCommand {
    /// Import a BPS PDRB table (regions as rows, the 17 categories as columns).
    Import {
        #[command(flatten)]
        args: observations::ImportArgs,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Replace the synthetic national data set (visibly labelled "data sintetis").
    Synthetic {
        #[arg(long, default_value_t = 10)]
        years: usize,
        #[arg(long, default_value_t = 2024)]
        seed: u64,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List the stored batches with their sources.
    List {
        #[command(flatten)]
        db: DbArgs,
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
pub enum NotificationsCommand {
    /// The e-mail outbox (every reminder e-mail with its delivery status).
    List {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, value_enum, default_value = "text")]
        format: worker::Format,
        /// Only e-mails of this status: pending, sent or failed.
        #[arg(long)]
        status: Option<String>,
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
    /// Print the OpenAPI document of the JSON API (what `/api/v1/openapi.json` serves).
    Openapi,
}

fn load_settings(cli: &Cli) -> anyhow::Result<Settings> {
    let env: std::collections::HashMap<String, String> = std::env::vars().collect();
    Settings::load(cli.config.as_deref(), &env)
}

fn init_logging(settings: &Settings) {
    crate::logging::init(&settings.log.filter, settings.log.format);
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
    refuse_corrupt(&store, &url).await?;
    // One process at a time initialises a database (a server and its workers may start
    // together on a new one).
    let lock = store
        .lock_initialization(&url)
        .await
        .context("menunggu kunci inisialisasi (waiting for the initialisation lock)")?;
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
    lock.release().await;
    store.optimize().await?;
    Ok(store)
}

/// Refuses a database whose file is damaged, before anything reads or writes it.
async fn refuse_corrupt(store: &Store, url: &DatabaseUrl) -> anyhow::Result<()> {
    match store.check_integrity().await {
        Ok(()) => Ok(()),
        Err(sinergi_store::StoreError::Corrupt(detail)) => anyhow::bail!(
            "Basis data {url} RUSAK ({detail}). Sinergi tidak memakainya: pulihkan dari cadangan terakhir, lalu periksa cadangan itu dengan `sinergi audit verify`. (The database is corrupted; Sinergi will not use it: restore the latest backup and check it with `sinergi audit verify`.)"
        ),
        Err(e) => {
            Err(anyhow::Error::new(e).context("memeriksa basis data (checking the database)"))
        }
    }
}

/// Opens a database read-only for checking (a copy, a read-only medium): no migration.
async fn open_read_only(db: &DbArgs, settings: &Settings) -> anyhow::Result<Store> {
    let (url, _) = resolve_database(db, settings)?;
    let store = Store::connect_read_only(&url)
        .await
        .with_context(|| format!("membuka {url} hanya-baca (opening read-only)"))?;
    refuse_corrupt(&store, &url).await?;
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
    if let Command::Config {
        command: ConfigCommand::Openapi,
    } = &cli.command
    {
        println!(
            "{}",
            sinergi_web::openapi()
                .to_pretty_json()
                .context("OpenAPI sebagai JSON (OpenAPI as JSON)")?
        );
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
    settings.documents.install_letterheads()?;
    let clock = SystemClock;
    if let Command::Admin { command } = &cli.command {
        let store = match command.db() {
            Some(db) => Some(open_store(db, &settings, &clock).await?),
            None => None,
        };
        return admin::run(command, store, &settings.auth.login_policy(), &clock).await;
    }
    if let Command::Audit {
        command: admin::AuditCommand::Verify { db },
    } = &cli.command
    {
        let store = open_read_only(db, &settings).await?;
        return admin::verify(store).await;
    }
    match &cli.command {
        Command::Serve { listen, db, demo } => {
            let store = open_store(db, &settings, &clock).await?;
            if *demo {
                if store
                    .load_founding_case(clock.now())
                    .await
                    .context("memuat data demo (loading demo data)")?
                {
                    tracing::info!("founding case loaded");
                }
                store
                    .load_demo_accounts(&settings.auth.login_policy(), clock.now())
                    .await
                    .context("membuat akun demo (creating demo accounts)")?;
                eprintln!(
                    "Akun demo: admin.kalteng, admin.bali, staf.gubernur.kalteng, dprd.kalteng, kemendagri — kata sandi {}",
                    sinergi_store::DEMO_PASSWORD
                );
            }
            serve::run(
                store,
                &settings,
                listen.unwrap_or(settings.server.listen),
                *demo,
            )
            .await?;
        }
        Command::Worker { db, once, now } => {
            let now = now.as_deref().map(worker::parse_now).transpose()?;
            let store = open_store(db, &settings, &clock).await?;
            worker::run(store, &settings, *once, now).await?;
        }
        Command::Notifications {
            command: NotificationsCommand::List { db, format, status },
        } => {
            let store = open_store(db, &settings, &clock).await?;
            worker::list(store, *format, status.as_deref()).await?;
        }
        Command::Report {
            kind,
            region,
            format,
            output,
            db,
        } => {
            let store = open_store(db, &settings, &clock).await?;
            report::run(store, *kind, region, *format, output).await?;
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
            // The founding case first: the governors' demo accounts link to its officials.
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
            store
                .load_demo_accounts(&settings.auth.login_policy(), clock.now())
                .await?;
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
        Command::Borders { command } => {
            let store = open_store(command.db(), &settings, &clock).await?;
            let code = borders::run(&store, command, clock.now()).await;
            store.close().await;
            return code;
        }
        Command::Rules { command } => {
            let store = open_store(command.db(), &settings, &clock).await?;
            let code = rules::run(&store, command, clock.now()).await;
            store.close().await;
            return code;
        }
        Command::Cases {
            command: CasesCommand::Import { args, db },
        } => {
            let store = open_store(db, &settings, &clock).await?;
            let docs = std::sync::Arc::new(document::document_settings(&settings)?);
            let code = cases::import(&store, args, settings.limits.table().max_bytes, docs).await;
            store.close().await;
            return code;
        }
        Command::Observations { command } => {
            let code = match command {
                ObservationsCommand::Import { args, db } => {
                    let store = open_store(db, &settings, &clock).await?;
                    let code =
                        observations::import(&store, args, settings.limits.table(), clock.now())
                            .await?;
                    store.close().await;
                    code
                }
                ObservationsCommand::Synthetic { years, seed, db } => {
                    let store = open_store(db, &settings, &clock).await?;
                    let code = observations::synthetic(&store, *years, *seed, clock.now()).await?;
                    store.close().await;
                    code
                }
                ObservationsCommand::List { db } => {
                    let store = open_store(db, &settings, &clock).await?;
                    let code = observations::list(&store).await?;
                    store.close().await;
                    code
                }
            };
            return Ok(code);
        }
        Command::Config { .. }
        | Command::Analyze { .. }
        | Command::Admin { .. }
        | Command::Audit { .. } => {}
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
