//! `/wilayah/{code}/impor-register`: a region's admin brings its existing register of
//! agreements in — uploads the spreadsheet, checks the columns Sinergi recognised (and
//! changes them), reads what every row will become in a dry run, then imports. The rules are
//! the application layer's (`sinergi_app::App::import_register`); this is the door.

use super::common::{messages, require_staff};
use super::{Chrome, PageError, Visitor, notice, render};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sinergi_app::{ImportProgress, RegisterReport, RegisterRequest, RowStatus};
use sinergi_domain::Lang;
use sinergi_register::Column;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

type Pairs = Vec<(String, String)>;

pub struct ColumnChoice {
    pub index: usize,
    pub letter: String,
    pub header: String,
    /// The meaning in use (`""` when none).
    pub chosen: &'static str,
    pub chosen_label: &'static str,
    /// The user's choice for this column (`""`: as recognised).
    pub choice: String,
}

pub struct RowView {
    pub line: usize,
    pub status: &'static str,
    pub status_label: &'static str,
    pub kind: String,
    pub subject: String,
    pub parties: String,
    pub stage: String,
    pub signed_on: String,
    pub ends_on: String,
    pub case_id: String,
    pub parent_line: String,
    pub messages: Vec<String>,
}

pub struct ImportView {
    pub file: String,
    pub records: i64,
    pub by: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "register_import.html")]
struct ImportPage {
    chrome: Chrome,
    code: String,
    name: String,
    errors: Vec<String>,
    /// The uploaded file being checked: (sha256, file name).
    staged: Option<(String, String)>,
    sheet: String,
    problems: Vec<String>,
    columns: Vec<ColumnChoice>,
    meanings: Vec<(&'static str, &'static str)>,
    rows: Vec<RowView>,
    summary: String,
    /// Rows an import would write now.
    importable: usize,
    imports: Vec<ImportView>,
    entry: Pairs,
    entry_rows: Vec<RowView>,
    /// The sheet and column choices, carried by the import form.
    hidden: Pairs,
}

impl ImportPage {
    /// What was typed into the hand-entry form's field `key`.
    #[must_use]
    pub fn typed<'a>(&'a self, key: &str) -> &'a str {
        self.entry
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }
}

fn status_label(status: RowStatus, lang: Lang) -> (&'static str, &'static str) {
    let (key, id, en) = match status {
        RowStatus::NewCase => ("baru", "Kasus baru", "New case"),
        RowStatus::JoinsCase => ("gabung", "Masuk ke kasus KB-nya", "Joins its KB's case"),
        RowStatus::AlreadyImported => ("sudah", "Sudah diimpor", "Already imported"),
        RowStatus::PossibleDuplicate => ("duplikat", "Kemungkinan duplikat", "Possible duplicate"),
        RowStatus::Refused => ("ditolak", "Ditolak", "Refused"),
        RowStatus::Skipped => ("dilewati", "Dilewati", "Skipped"),
    };
    (key, lang.pick(id, en))
}

fn summary(report: &RegisterReport, lang: Lang) -> String {
    let c = &report.counts;
    match lang {
        Lang::Id => format!(
            "{} kasus baru, {} PKS/addendum masuk ke kasus KB-nya, {} sudah diimpor, {} kemungkinan duplikat, {} ditolak, {} dilewati.",
            c.new_cases,
            c.joins_case,
            c.already_imported,
            c.possible_duplicates,
            c.refused,
            c.skipped
        ),
        Lang::En => format!(
            "{} new cases, {} PKS/addenda joining their KB's case, {} already imported, {} possible duplicates, {} refused, {} skipped.",
            c.new_cases,
            c.joins_case,
            c.already_imported,
            c.possible_duplicates,
            c.refused,
            c.skipped
        ),
    }
}

/// The sheet and column choices of a preview or import form: `lembar`, `kolom_<n>`.
fn choices(pairs: &Pairs) -> (Option<String>, Vec<(usize, Option<Column>)>) {
    let sheet = pairs
        .iter()
        .find(|(k, _)| k == "lembar")
        .map(|(_, v)| v.trim().to_owned())
        .filter(|s| !s.is_empty());
    let columns = pairs
        .iter()
        .filter_map(|(k, v)| {
            let index = k.strip_prefix("kolom_")?.parse::<usize>().ok()?;
            match v.as_str() {
                "ignore" => Some((index, None)),
                other => Column::parse(other).map(|c| (index, Some(c))),
            }
        })
        .filter(|(i, _)| *i < 64)
        .collect();
    (sheet, columns)
}

fn query_of(sheet: Option<&str>, columns: &[(usize, Option<Column>)]) -> String {
    let mut q: Vec<String> = Vec::new();
    if let Some(s) = sheet {
        q.push(format!("lembar={}", urlencoding(s)));
    }
    for (i, c) in columns {
        q.push(format!("kolom_{i}={}", c.map_or("ignore", Column::as_str)));
    }
    q.join("&")
}

/// Percent-encodes a query value.
fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn row_view(row: &sinergi_app::ReportRow, imported: bool, lang: Lang) -> RowView {
    let date = |d: Option<time::Date>| {
        d.map(|d| sinergi_domain::locale::date_short(d, lang))
            .unwrap_or_default()
    };
    let (status, status_label) = status_label(row.status, lang);
    RowView {
        line: row.line,
        status,
        status_label,
        kind: row.kind.clone().unwrap_or_default(),
        subject: row.subject.clone().unwrap_or_default(),
        parties: row.parties.join(" – "),
        stage: row.stage.clone().unwrap_or_default(),
        signed_on: date(row.signed_on),
        ends_on: date(row.ends_on),
        // A case that exists: not one a dry run only plans.
        case_id: row
            .case_id
            .filter(|_| {
                !matches!(row.status, RowStatus::NewCase | RowStatus::JoinsCase) || imported
            })
            .map(|c| c.to_string())
            .unwrap_or_default(),
        parent_line: row.parent_line.map(|l| l.to_string()).unwrap_or_default(),
        messages: row.messages.clone(),
    }
}

/// The fields of the hand-entry form, named by their meaning (`partner`, `signed_on`, …).
const ENTRY_FIELDS: [Column; 13] = [
    Column::Partner,
    Column::Kind,
    Column::OwnNumber,
    Column::PartnerNumber,
    Column::Subject,
    Column::SignedOn,
    Column::Term,
    Column::StartsOn,
    Column::EndsOn,
    Column::Unit,
    Column::Status,
    Column::Notes,
    Column::Parent,
];

#[derive(Default)]
struct Shown {
    /// The hand-entry form as typed, and what it became.
    entry: Pairs,
    entry_report: Option<RegisterReport>,
    pairs: Pairs,
    staged: Option<(String, String)>,
    sheet: Option<String>,
    report: Option<RegisterReport>,
    errors: Vec<String>,
}

impl Shown {
    /// The page with a refusal's messages.
    fn errors(errors: Vec<String>) -> Self {
        Self {
            errors,
            ..Self::default()
        }
    }

    /// The page with a staged file's report.
    fn report(
        pairs: Pairs,
        staged: (String, String),
        sheet: Option<String>,
        report: RegisterReport,
    ) -> Self {
        Self {
            pairs,
            staged: Some(staged),
            sheet,
            report: Some(report),
            ..Self::default()
        }
    }
}

async fn page(
    state: &AppState,
    v: &Visitor,
    code: &str,
    shown: Shown,
    status: StatusCode,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let who = v.caller();
    let region = state.store.get_region(code).await?;
    let imports = state
        .app
        .register_imports(&who, code)
        .await
        .map_err(ApiError::from)?
        .into_iter()
        .map(|i| ImportView {
            file: i.file_name,
            records: i.records,
            by: i.imported_by,
            at: v.stamp(i.imported_at),
        })
        .collect();
    let (rows, columns, problems, summary_text, importable) = match &shown.report {
        None => (Vec::new(), Vec::new(), Vec::new(), String::new(), 0),
        Some(r) => (
            r.rows
                .iter()
                .map(|row| row_view(row, r.imported, lang))
                .collect(),
            r.columns
                .iter()
                .map(|c| ColumnChoice {
                    index: c.index,
                    letter: c.letter.clone(),
                    header: c.header.clone(),
                    chosen: c.column.map_or("", Column::as_str),
                    chosen_label: c.column.map_or("—", |c| c.label(lang)),
                    choice: shown
                        .pairs
                        .iter()
                        .find(|(k, _)| *k == format!("kolom_{}", c.index))
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default(),
                })
                .collect(),
            r.problems.clone(),
            summary(r, lang),
            r.counts.new_cases + r.counts.joins_case,
        ),
    };
    let mut res = render(&ImportPage {
        chrome: Chrome::new(v, "region"),
        code: code.to_owned(),
        name: region.region.name,
        errors: shown.errors,
        staged: shown.staged,
        sheet: shown.sheet.unwrap_or_default(),
        problems,
        columns,
        meanings: Column::ALL
            .iter()
            .map(|c| (c.as_str(), c.label(lang)))
            .collect(),
        rows,
        summary: summary_text,
        importable,
        imports,
        entry_rows: shown
            .entry_report
            .iter()
            .flat_map(|r| r.rows.iter().map(|row| row_view(row, r.imported, lang)))
            .collect(),
        entry: shown.entry,
        hidden: shown
            .pairs
            .iter()
            .filter(|(k, v)| (k == "lembar" || k.starts_with("kolom_")) && !v.is_empty())
            .cloned()
            .collect(),
    });
    *res.status_mut() = status;
    Ok(res)
}

/// The upload form and the region's past imports.
pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let shown = Shown::default();
    page(&state, &v, &code, shown, StatusCode::OK).await
}

/// Keeps the uploaded file and shows its preview.
pub async fn upload(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    form: Multipart,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let r = async {
        let up = super::upload::read(
            form,
            (
                "Pilih berkas register (XLSX, XLS, ODS atau CSV).",
                "Choose the register file (XLSX, XLS, ODS or CSV).",
            ),
        )
        .await?;
        let name = up
            .file_name
            .clone()
            .unwrap_or_else(|| "register".to_owned());
        let sha = state
            .app
            .stage_register(&v.caller(), &code, &name, &up.bytes)
            .await
            .map_err(ApiError::from)?;
        Ok::<_, ApiError>(sha)
    }
    .await;
    match r {
        Ok(sha) => {
            Ok(Redirect::to(&format!("/wilayah/{code}/impor-register/{sha}")).into_response())
        }
        Err(e) => {
            let shown = Shown::errors(messages(&e, v.lang));
            page(&state, &v, &code, shown, e.status()).await
        }
    }
}

async fn run(
    state: &AppState,
    v: &Visitor,
    code: &str,
    sha: &str,
    pairs: &Pairs,
    dry_run: bool,
) -> Result<(String, RegisterReport, Option<String>), ApiError> {
    let who = v.caller();
    let (file_name, bytes) = state.app.staged_register(&who, code, sha).await?;
    let (report, sheet) = run_on(
        state,
        &who,
        code,
        (&file_name, &bytes),
        pairs,
        dry_run,
        None,
        v.lang,
    )
    .await?;
    Ok((file_name, report, sheet))
}

/// Reads and decides (and, unless `dry_run`, writes) a staged register.
#[expect(
    clippy::too_many_arguments,
    reason = "the import's whole request, from the page"
)]
async fn run_on(
    state: &AppState,
    who: &sinergi_app::Caller,
    code: &str,
    (file_name, bytes): (&str, &[u8]),
    pairs: &Pairs,
    dry_run: bool,
    background: Option<(Arc<ImportProgress>, Uuid)>,
    lang: Lang,
) -> Result<(RegisterReport, Option<String>), ApiError> {
    let (sheet, columns) = choices(pairs);
    let (progress, import_id) = background.map_or((None, None), |(p, id)| (Some(p), Some(id)));
    let report = state
        .app
        .import_register(
            who,
            &RegisterRequest {
                file_name,
                bytes,
                sheet: sheet.as_deref(),
                region: code,
                columns,
                dry_run,
                lang,
                progress,
                import_id,
            },
        )
        .await?;
    Ok((report, sheet))
}

/// The dry run: every row and what it will become, with the columns to adjust.
pub async fn preview(
    State(state): State<AppState>,
    v: Visitor,
    Path((code, sha)): Path<(String, String)>,
    Query(pairs): Query<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let (file_name, report, sheet) = run(&state, &v, &code, &sha, &pairs, true).await?;
    let shown = Shown::report(pairs, (sha, file_name), sheet, report);
    page(&state, &v, &code, shown, StatusCode::OK).await
}

/// Writes every accepted row, then shows the file again (each row now "already imported").
pub async fn import(
    State(state): State<AppState>,
    v: Visitor,
    Path((code, sha)): Path<(String, String)>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let (sheet, columns) = choices(&pairs);
    let q = query_of(sheet.as_deref(), &columns);
    let (file_name, bytes) = match state.app.staged_register(&v.caller(), &code, &sha).await {
        Ok(staged) => staged,
        Err(e) => {
            let e = ApiError::from(e);
            let shown = Shown::errors(messages(&e, v.lang));
            return page(&state, &v, &code, shown, e.status()).await;
        }
    };
    if bytes.len() > BACKGROUND_BYTES {
        let id = Uuid::now_v7();
        let run = Arc::new(Run::default());
        state.imports.insert(id, run.clone());
        let (state2, who, code2, lang) = (state.clone(), v.caller(), code.clone(), v.lang);
        tokio::spawn(async move {
            let r = run_on(
                &state2,
                &who,
                &code2,
                (&file_name, &bytes),
                &pairs,
                false,
                Some((run.progress.clone(), id)),
                lang,
            )
            .await;
            let outcome = match r {
                Ok((report, _)) if report.problems.is_empty() => Ok(report.imported),
                Ok((report, _)) => Err(report.problems),
                Err(e) => Err(messages(&e, lang)),
            };
            run.finish(outcome);
        });
        let sep = if q.is_empty() { "" } else { "?" };
        return Ok(Redirect::to(&format!(
            "/wilayah/{code}/impor-register/{sha}/proses/{id}{sep}{q}"
        ))
        .into_response());
    }
    let who = v.caller();
    match run_on(
        &state,
        &who,
        &code,
        (&file_name, &bytes),
        &pairs,
        false,
        None,
        v.lang,
    )
    .await
    {
        Ok((report, _)) if report.problems.is_empty() => {
            Ok(Redirect::to(&done_url(&code, &sha, &q, report.imported)).into_response())
        }
        Ok((report, sheet)) => {
            let shown = Shown::report(pairs, (sha, file_name), sheet, report);
            page(&state, &v, &code, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => {
            let shown = Shown::errors(messages(&e, v.lang));
            page(&state, &v, &code, shown, e.status()).await
        }
    }
}

/// The preview again, saying what the import did.
fn done_url(code: &str, sha: &str, q: &str, imported: bool) -> String {
    let base = if q.is_empty() {
        format!("/wilayah/{code}/impor-register/{sha}")
    } else {
        format!("/wilayah/{code}/impor-register/{sha}?{q}")
    };
    let key = if imported {
        "register_impor"
    } else {
        "register_kosong"
    };
    notice::with(&base, key)
}

/// Files larger than this are imported in the background, with a progress page.
const BACKGROUND_BYTES: usize = 64 * 1024;

/// An import running in the background on this node.
#[derive(Debug, Default)]
pub struct Run {
    pub progress: Arc<ImportProgress>,
    /// `Ok(imported)` or the messages of a refusal, once finished.
    outcome: std::sync::Mutex<Option<Result<bool, Vec<String>>>>,
}

impl Run {
    fn finish(&self, outcome: Result<bool, Vec<String>>) {
        if let Ok(mut o) = self.outcome.lock() {
            *o = Some(outcome);
        }
    }

    fn outcome(&self) -> Option<Result<bool, Vec<String>>> {
        self.outcome.lock().ok().and_then(|o| o.clone())
    }
}

/// The background imports of this node, by import id (a finished one is dropped once its
/// page has been shown; at most 64 are kept).
#[derive(Debug, Default)]
pub struct Runs(std::sync::Mutex<HashMap<Uuid, Arc<Run>>>);

impl Runs {
    fn insert(&self, id: Uuid, run: Arc<Run>) {
        if let Ok(mut runs) = self.0.lock() {
            if runs.len() >= 64 {
                runs.retain(|_, r| r.outcome().is_none());
            }
            runs.insert(id, run);
        }
    }

    fn get(&self, id: Uuid) -> Option<Arc<Run>> {
        self.0.lock().ok().and_then(|runs| runs.get(&id).cloned())
    }

    fn remove(&self, id: Uuid) {
        if let Ok(mut runs) = self.0.lock() {
            runs.remove(&id);
        }
    }
}

#[derive(Template)]
#[template(path = "register_progress.html")]
struct ProgressPage {
    chrome: Chrome,
    code: String,
    name: String,
    /// (rows, checked, to write, written); `None` when the import runs on another node.
    progress: Option<(usize, usize, usize, usize)>,
}

/// How far a background import has got; once done, the preview with what it did.
pub async fn progress(
    State(state): State<AppState>,
    v: Visitor,
    Path((code, sha, run)): Path<(String, String, String)>,
    Query(pairs): Query<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id: Uuid = run.parse().map_err(|_| {
        ApiError::from(sinergi_domain::DomainError::not_found(
            "register_import",
            &run,
        ))
    })?;
    // Only the region's own admin follows its imports.
    state
        .app
        .staged_register(&v.caller(), &code, &sha)
        .await
        .map_err(ApiError::from)?;
    let (sheet, columns) = choices(&pairs);
    let q = query_of(sheet.as_deref(), &columns);
    let here = state.imports.get(id);
    let progress = match here.as_ref().map(|r| (r, r.outcome())) {
        Some((_, Some(Ok(imported)))) => {
            state.imports.remove(id);
            return Ok(Redirect::to(&done_url(&code, &sha, &q, imported)).into_response());
        }
        Some((_, Some(Err(errors)))) => {
            state.imports.remove(id);
            let shown = Shown {
                pairs,
                ..Shown::errors(errors)
            };
            return page(&state, &v, &code, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Some((r, None)) => Some(r.progress.snapshot()),
        None => {
            if state.store.register_import_exists(&code, id).await? {
                return Ok(Redirect::to(&done_url(&code, &sha, &q, true)).into_response());
            }
            None
        }
    };
    let region = state.store.get_region(&code).await?;
    let mut res = render(&ProgressPage {
        chrome: Chrome::new(&v, "region"),
        code: code.clone(),
        name: region.region.name,
        progress,
    });
    res.headers_mut().insert(
        axum::http::header::REFRESH,
        axum::http::HeaderValue::from_static("1"),
    );
    Ok(res)
}

/// One agreement signed before Sinergi, typed by hand: checked (`periksa`) or recorded.
pub async fn record_legacy(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let fields: Vec<(Column, String)> = ENTRY_FIELDS
        .iter()
        .filter_map(|c| {
            pairs
                .iter()
                .find(|(k, _)| k == c.as_str())
                .map(|(_, val)| val.trim().to_owned())
                .filter(|val| !val.is_empty())
                .map(|val| (*c, val))
        })
        .collect();
    let dry_run = pairs.iter().any(|(k, _)| k == "periksa");
    let entry: Pairs = pairs
        .iter()
        .filter(|(k, _)| ENTRY_FIELDS.iter().any(|c| c.as_str() == k))
        .cloned()
        .collect();
    let shown = |report: Option<RegisterReport>, errors: Vec<String>| Shown {
        entry: entry.clone(),
        entry_report: report,
        ..Shown::errors(errors)
    };
    match state
        .app
        .record_legacy(&v.caller(), &code, &fields, dry_run, v.lang)
        .await
    {
        Ok(report) if report.imported => {
            let case = report
                .rows
                .iter()
                .find_map(|r| r.case_id)
                .map(|c| format!("/kerja-sama/{c}"))
                .unwrap_or_else(|| format!("/wilayah/{code}/impor-register"));
            Ok(Redirect::to(&notice::with(&case, "naskah_lama")).into_response())
        }
        Ok(report) => {
            let accepted = report.counts.new_cases + report.counts.joins_case == 1;
            let status = if dry_run && accepted {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            page(&state, &v, &code, shown(Some(report), Vec::new()), status).await
        }
        Err(e) => {
            let e = ApiError::from(e);
            let errors = messages(&e, v.lang);
            page(&state, &v, &code, shown(None, errors), e.status()).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_round_trip_through_the_query() {
        let pairs = vec![
            ("lembar".to_owned(), "Register KSD".to_owned()),
            ("kolom_2".to_owned(), "subject".to_owned()),
            ("kolom_7".to_owned(), "ignore".to_owned()),
            ("kolom_8".to_owned(), String::new()),
            ("kolom_900".to_owned(), "subject".to_owned()),
        ];
        let (sheet, columns) = choices(&pairs);
        assert_eq!(sheet.as_deref(), Some("Register KSD"));
        assert_eq!(columns, [(2, Some(Column::Subject)), (7, None)]);
        assert_eq!(
            query_of(sheet.as_deref(), &columns),
            "lembar=Register%20KSD&kolom_2=subject&kolom_7=ignore"
        );
    }
}
