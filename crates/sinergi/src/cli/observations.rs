//! `sinergi observations …`: import a BPS PDRB table (with a dry-run report of every row),
//! load the synthetic national data set, list what is stored.

use anyhow::Context as _;
use sinergi_domain::Lang;
use sinergi_store::{BpsImport, PanelLevel, Store, TableUnit};
use std::path::PathBuf;
use std::process::ExitCode;
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum PriceBasis {
    /// Atas dasar harga berlaku (current prices).
    Adhb,
    /// Atas dasar harga konstan 2010 (constant prices).
    Adhk,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Level {
    Province,
    Regency,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Unit {
    Juta,
    Miliar,
    Triliun,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Language {
    Id,
    En,
}

/// The flags of `sinergi observations import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The BPS table: CSV, XLSX, XLS or ODS.
    pub file: PathBuf,
    /// The year of the table.
    #[arg(long)]
    pub year: i32,
    #[arg(long, value_enum)]
    pub price_basis: PriceBasis,
    /// Where the table comes from, stored on every value (e.g. "BPS, PDRB Provinsi-Provinsi di Indonesia 2019–2023, Tabel 2").
    #[arg(long)]
    pub source: String,
    #[arg(long, value_enum, default_value = "province")]
    pub level: Level,
    /// For a regency table: the Kemendagri code of its province (names are then matched within it).
    #[arg(long)]
    pub province: Option<String>,
    /// The unit of the table's numbers (stored as miliar rupiah).
    #[arg(long, value_enum, default_value = "miliar")]
    pub unit: Unit,
    /// The sheet of a workbook (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Report what would happen, store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Store the mapped rows even though some rows were rejected.
    #[arg(long)]
    pub accept_partial: bool,
    /// Language of the report.
    #[arg(long, value_enum, default_value = "id")]
    pub lang: Language,
}

/// Prints the report; returns whether the import would be (or was) refused.
fn print_report(report: &sinergi_bps::Report, lang: Lang) {
    for row in &report.rows {
        let place = report.place(Some(row.line), lang);
        match &row.outcome {
            sinergi_bps::Outcome::Mapped { code, name } => println!(
                "{place}: {} \"{}\" → {name} ({code})",
                lang.pick("dipetakan", "mapped"),
                row.label
            ),
            sinergi_bps::Outcome::Skipped(reason) => println!(
                "{place}: {} ({})",
                lang.pick("dilewati", "skipped"),
                reason.message(lang)
            ),
            sinergi_bps::Outcome::Rejected(problems) => {
                for p in problems {
                    println!(
                        "{place}: {} — {}",
                        lang.pick("DITOLAK", "REJECTED"),
                        p.message(lang)
                    );
                }
            }
        }
    }
    for issue in &report.file_problems {
        println!(
            "{}: {} — {}",
            report.place(issue.line, lang),
            lang.pick("DITOLAK", "REFUSED"),
            issue.problem.message(lang)
        );
    }
    println!(
        "{}: {} {}, {} {}, {} {}.",
        report.file,
        report.mapped(),
        lang.pick("dipetakan", "mapped"),
        report.skipped(),
        lang.pick("dilewati", "skipped"),
        report.rejected(),
        lang.pick("ditolak", "rejected"),
    );
}

pub async fn import(
    store: &Store,
    args: &ImportArgs,
    limits: sinergi_bps::Limits,
    now: OffsetDateTime,
) -> anyhow::Result<ExitCode> {
    let lang = match args.lang {
        Language::Id => Lang::Id,
        Language::En => Lang::En,
    };
    let cannot_read = || {
        format!(
            "{}: tidak dapat dibaca (cannot be read)",
            args.file.display()
        )
    };
    // Never read more than the limit: a file over it is refused by its size alone.
    let size = std::fs::metadata(&args.file)
        .with_context(cannot_read)?
        .len();
    if size > limits.max_bytes {
        let (id, en) = sinergi_bps::LimitError::TooLarge {
            size,
            max: limits.max_bytes,
        }
        .messages();
        eprintln!("{}: {}", args.file.display(), lang.pick(&id, &en));
        return Ok(ExitCode::FAILURE);
    }
    let bytes = std::fs::read(&args.file).with_context(cannot_read)?;
    let file_name = args.file.file_name().map_or_else(
        || args.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let outcome = store
        .import_bps_table(
            &BpsImport {
                file_name: &file_name,
                bytes: &bytes,
                sheet: args.sheet.as_deref(),
                year: args.year,
                price_basis: match args.price_basis {
                    PriceBasis::Adhb => "adhb",
                    PriceBasis::Adhk => "adhk",
                },
                level: match args.level {
                    Level::Province => PanelLevel::Province,
                    Level::Regency => PanelLevel::Regency,
                },
                province: args.province.as_deref(),
                source: &args.source,
                unit: match args.unit {
                    Unit::Juta => TableUnit::JutaRupiah,
                    Unit::Miliar => TableUnit::MiliarRupiah,
                    Unit::Triliun => TableUnit::TriliunRupiah,
                },
                dry_run: args.dry_run,
                accept_partial: args.accept_partial,
                limits,
            },
            &sinergi_domain::access::Actor::system("cli"),
            now,
        )
        .await?;
    let report = &outcome.report;
    print_report(report, lang);
    let importable = report.importable(args.accept_partial);
    if let Some(stored) = &outcome.stored {
        println!(
            "{} {} {} ({} {}); batch {}.",
            lang.pick("Tersimpan", "Stored"),
            stored.rows,
            lang.pick("nilai", "values"),
            stored.replaced,
            lang.pick("menggantikan nilai lama", "replaced earlier values"),
            stored.id
        );
        return Ok(ExitCode::SUCCESS);
    }
    if args.dry_run {
        println!(
            "{}",
            if importable {
                lang.pick(
                    "Uji coba: tidak ada yang disimpan; impor akan diterima.",
                    "Dry run: nothing stored; the import would be accepted.",
                )
            } else {
                lang.pick(
                    "Uji coba: tidak ada yang disimpan; impor akan ditolak.",
                    "Dry run: nothing stored; the import would be refused.",
                )
            }
        );
        return Ok(if importable {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    eprintln!(
        "{}",
        if report.file_problems.is_empty() && report.mapped() > 0 {
            lang.pick(
                "Tidak ada yang diimpor: ada baris yang ditolak. Perbaiki berkasnya, atau ulangi dengan --accept-partial untuk menyimpan baris yang dipetakan saja.",
                "Nothing imported: some rows were rejected. Fix the file, or repeat with --accept-partial to store the mapped rows only.",
            )
        } else {
            lang.pick(
                "Tidak ada yang diimpor: berkas ditolak.",
                "Nothing imported: the file was refused.",
            )
        }
    );
    for line in report.problem_lines(lang) {
        eprintln!("{line}");
    }
    Ok(ExitCode::from(1))
}

pub async fn synthetic(
    store: &Store,
    years: usize,
    seed: u64,
    now: OffsetDateTime,
) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let s = store
        .load_synthetic_observations(
            years,
            seed,
            &sinergi_domain::access::Actor::system("cli"),
            now,
        )
        .await?;
    println!(
        "Data sintetis (bukan data BPS) dimuat: {} nilai untuk 38 provinsi dan 514 kabupaten/kota, {} tahun ({} ms).",
        s.rows,
        years,
        started.elapsed().as_millis()
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn list(store: &Store) -> anyhow::Result<ExitCode> {
    for b in store.observation_batches(200).await? {
        println!(
            "{}  {:<9} {:<8} {:<5} {:>6} {}{}  {}",
            b.created_at.date(),
            b.kind,
            b.level,
            b.price_basis,
            b.row_count,
            b.year.map_or_else(String::new, |y| format!("{y} ")),
            b.file_name.unwrap_or_default(),
            b.source
        );
    }
    Ok(ExitCode::SUCCESS)
}
