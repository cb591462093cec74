//! `sinergi cases import FILE --region CODE`: a region's existing register of agreements,
//! reported row by row (`--dry-run` writes nothing) and written in one transaction.

use anyhow::Context as _;
use sinergi_app::{RegisterReport, RegisterRequest, RowStatus};
use sinergi_domain::Lang;
use sinergi_domain::access::Principal;
use sinergi_register::Column;
use sinergi_store::Store;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use super::observations::Language;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// The flags of `sinergi cases import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The register: XLSX, XLS, ODS or CSV.
    pub file: PathBuf,
    /// Kemendagri code of the region whose register it is (e.g. 62, 62.71).
    #[arg(long)]
    pub region: String,
    /// Report what every row would become; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The sheet of a workbook (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// A column's meaning where the header does not say it (repeatable): LETTER=MEANING, e.g.
    /// C=subject or H=ignore. Meanings: ordinal, partner, kind, own_number, partner_number,
    /// subject, signed_on, term, starts_on, ends_on, unit, status, notes, parent.
    #[arg(long = "column")]
    pub columns: Vec<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Language of the report.
    #[arg(long, value_enum, default_value = "id")]
    pub lang: Language,
}

/// Parses `C=subject` (or `H=ignore`).
///
/// # Errors
/// A malformed choice, named in the message.
pub fn parse_column(choice: &str) -> anyhow::Result<(usize, Option<Column>)> {
    sinergi_register::columns::parse_choice(choice)
        .map_err(|(id, en)| anyhow::anyhow!("--column {choice}: {id} ({en})"))
}

fn status_word(status: RowStatus, lang: Lang) -> &'static str {
    match status {
        RowStatus::NewCase => lang.pick("KASUS BARU", "NEW CASE"),
        RowStatus::JoinsCase => lang.pick("MASUK KE KASUS KB-NYA", "JOINS ITS KB'S CASE"),
        RowStatus::AlreadyImported => lang.pick("SUDAH DIIMPOR", "ALREADY IMPORTED"),
        RowStatus::PossibleDuplicate => lang.pick("KEMUNGKINAN DUPLIKAT", "POSSIBLE DUPLICATE"),
        RowStatus::Refused => lang.pick("DITOLAK", "REFUSED"),
        RowStatus::Skipped => lang.pick("dilewati", "skipped"),
    }
}

fn print_text(report: &RegisterReport, lang: Lang) {
    for p in &report.problems {
        println!("{}: {} — {p}", report.file, lang.pick("DITOLAK", "REFUSED"));
    }
    for row in &report.rows {
        let mut line = format!(
            "{} {} {}: {}",
            report.file,
            lang.pick("baris", "line"),
            row.line,
            status_word(row.status, lang)
        );
        if let Some(subject) = &row.subject {
            line.push_str(&format!(" — {}", row.kind.as_deref().unwrap_or("")));
            line.push_str(&format!(" \"{subject}\""));
        }
        if !row.parties.is_empty() {
            line.push_str(&format!(" [{}]", row.parties.join(" – ")));
        }
        if let Some(d) = row.signed_on {
            line.push_str(&format!(" {} {d}", lang.pick("ditandatangani", "signed")));
        }
        if let Some(d) = row.ends_on {
            line.push_str(&format!(", {} {d}", lang.pick("berakhir", "ends")));
        }
        if let Some(stage) = &row.stage {
            line.push_str(&format!(", {} {stage}", lang.pick("tahap", "stage")));
        }
        if let Some(parent) = row.parent_line {
            line.push_str(&format!(" (KB {} {parent})", lang.pick("baris", "line")));
        }
        println!("{line}");
        for m in &row.messages {
            println!("    {m}");
        }
    }
    let c = &report.counts;
    println!(
        "{}: {} {}, {} {}, {} {}, {} {}, {} {}, {} {}.{}",
        report.file,
        c.new_cases,
        lang.pick("kasus baru", "new cases"),
        c.joins_case,
        lang.pick("masuk ke kasus KB-nya", "joining their KB's case"),
        c.already_imported,
        lang.pick("sudah diimpor", "already imported"),
        c.possible_duplicates,
        lang.pick("kemungkinan duplikat", "possible duplicates"),
        c.refused,
        lang.pick("ditolak", "refused"),
        c.skipped,
        lang.pick("dilewati", "skipped"),
        if report.dry_run {
            lang.pick(
                " Uji coba: tidak ada yang disimpan.",
                " Dry run: nothing stored.",
            )
        } else if report.imported {
            lang.pick(" Disimpan.", " Stored.")
        } else {
            lang.pick(" Tidak ada yang disimpan.", " Nothing stored.")
        }
    );
}

pub async fn import(
    store: &Store,
    args: &ImportArgs,
    max_bytes: u64,
    docs: Arc<sinergi_app::DocumentSettings>,
) -> anyhow::Result<ExitCode> {
    let lang = match args.lang {
        Language::Id => Lang::Id,
        Language::En => Lang::En,
    };
    let columns = args
        .columns
        .iter()
        .map(|c| parse_column(c))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let cannot_read = || {
        format!(
            "{}: tidak dapat dibaca (cannot be read)",
            args.file.display()
        )
    };
    // A file over the limit is refused by its size alone, never read.
    let size = std::fs::metadata(&args.file)
        .with_context(cannot_read)?
        .len();
    if size > max_bytes {
        let (id, en) = sinergi_bps::LimitError::TooLarge {
            size,
            max: max_bytes,
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
    let app = sinergi_app::App::new(
        store.clone(),
        Arc::new(sinergi_domain::clock::SystemClock),
        docs,
    );
    let caller = sinergi_app::Caller::new(Principal::operator(), None);
    let report = app
        .import_register(
            &caller,
            &RegisterRequest {
                file_name: &file_name,
                bytes: &bytes,
                sheet: args.sheet.as_deref(),
                region: &args.region,
                columns,
                dry_run: args.dry_run,
                lang,
                progress: None,
                import_id: None,
            },
        )
        .await
        .map_err(|e| match e {
            sinergi_app::AppError::Refused(d) => anyhow::anyhow!("{}", d.message(lang)),
            other => anyhow::anyhow!("{other}"),
        })?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Text => print_text(&report, lang),
    }
    Ok(if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_choices() {
        assert_eq!(
            parse_column("C=subject").unwrap(),
            (2, Some(Column::Subject))
        );
        assert_eq!(parse_column("aa=ignore").unwrap(), (26, None));
        assert!(parse_column("C").is_err());
        assert!(parse_column("3=subject").is_err());
        assert!(parse_column("C=judul").is_err());
    }
}
