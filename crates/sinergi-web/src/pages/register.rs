//! `/kerja-sama`: the register with filters, search, sorting, paging and CSV/XLSX export.

use super::{Chrome, PageError, Visitor, render};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sinergi_domain::case::{CaseKind, Stage};
use sinergi_domain::catalog::catalog;
use sinergi_store::{CaseFilter, CaseSort};

#[derive(Debug, Default, Deserialize, Clone)]
pub struct RegisterQuery {
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub urusan: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub sort: String,
    pub offset: Option<i64>,
    pub format: Option<String>,
    /// CSV field separator: `comma`; default the semicolon (Excel, Indonesian settings).
    pub sep: Option<String>,
}

pub struct Row {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub stage: String,
    pub year: i32,
    pub parties: Vec<(String, String)>,
    pub fictional: bool,
    /// The columns of the Bagian Kerja Sama's own register.
    pub numbers: Vec<String>,
    pub signed_on: String,
    pub term: String,
    pub ends_on: String,
    pub remaining: String,
    pub units: String,
    pub status: String,
}

pub struct Opt {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage<'a> {
    chrome: Chrome,
    q: RegisterQuery,
    rows: Vec<Row>,
    total: i64,
    first: i64,
    last: i64,
    prev: Option<String>,
    next: Option<String>,
    kinds: Vec<Opt>,
    stages: Vec<Opt>,
    fields: Vec<Opt>,
    urusan: Vec<Opt>,
    daerah: &'a [(String, String)],
    csv_href: String,
    xlsx_href: String,
    problems: Vec<String>,
}

const PAGE: i64 = 25;

/// The leading Kemendagri code of a picker value such as "62 — Kalimantan Tengah".
#[must_use]
pub fn picked_code(v: &str) -> String {
    v.split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches(['—', '-'])
        .to_owned()
}

fn query_string(q: &RegisterQuery, offset: Option<i64>, format: Option<&str>) -> String {
    let mut parts = Vec::new();
    let mut add = |k: &str, v: &str| {
        if !v.is_empty() {
            parts.push(format!("{k}={}", urlencode(v)));
        }
    };
    add("region", &q.region);
    add("kind", &q.kind);
    add("stage", &q.stage);
    add("field", &q.field);
    add("urusan", &q.urusan);
    add("year", &q.year);
    add("q", &q.q);
    add("sort", &q.sort);
    if let Some(o) = offset.filter(|o| *o > 0) {
        parts.push(format!("offset={o}"));
    }
    if let Some(f) = format {
        parts.push(format!("format={f}"));
    }
    if parts.is_empty() {
        "/kerja-sama".to_owned()
    } else {
        format!("/kerja-sama?{}", parts.join("&"))
    }
}

/// Percent-encodes a query value.
#[must_use]
pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn filter_of(
    q: &RegisterQuery,
    visibility: sinergi_store::Visibility,
    problems: &mut Vec<String>,
    lang: sinergi_domain::Lang,
) -> CaseFilter {
    let nonempty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    let region = nonempty(&q.region).map(|r| picked_code(&r));
    let kind = nonempty(&q.kind).and_then(|k| {
        let parsed = CaseKind::parse(&k);
        if parsed.is_none() {
            problems.push(format!(
                "{}: {k}",
                lang.pick("Jenis tidak dikenal", "Unknown kind")
            ));
        }
        parsed
    });
    let stage = nonempty(&q.stage).and_then(|s| {
        let parsed = Stage::parse(&s);
        if parsed.is_none() {
            problems.push(format!(
                "{}: {s}",
                lang.pick("Tahap tidak dikenal", "Unknown stage")
            ));
        }
        parsed
    });
    let year = nonempty(&q.year).and_then(|y| {
        let parsed = y.parse::<i32>().ok().filter(|y| (1945..=2100).contains(y));
        if parsed.is_none() {
            problems.push(format!(
                "{}: {y}",
                lang.pick("Tahun tidak valid", "Invalid year")
            ));
        }
        parsed
    });
    CaseFilter {
        region,
        kind,
        stage,
        field: nonempty(&q.field),
        urusan: nonempty(&q.urusan),
        year,
        q: nonempty(&q.q),
        visibility,
        sort: CaseSort::parse(&q.sort).unwrap_or_default(),
        limit: PAGE,
        offset: q.offset.unwrap_or(0).max(0),
    }
}

fn row(
    r: crate::reports::export::RegisterRow,
    today: time::Date,
    lang: sinergi_domain::Lang,
) -> Row {
    let f = crate::reports::export::RegisterFacts::of(&r, today, lang);
    let c = r.case;
    let date = |d: Option<time::Date>| {
        d.map_or_else(String::new, |d| sinergi_domain::locale::date_short(d, lang))
    };
    Row {
        id: c.id.to_string(),
        title: c.title,
        kind: c.kind.label_id().to_owned(),
        stage: lang.pick(c.stage.label_id(), c.stage.label_en()).to_owned(),
        year: c.year,
        parties: c
            .parties
            .into_iter()
            .map(|p| (p.region.unwrap_or_default(), p.name))
            .collect(),
        fictional: c.fictional,
        numbers: [f.number_1, f.number_2]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect(),
        signed_on: date(f.signed_on),
        term: f.term,
        ends_on: date(f.ends_on),
        remaining: f.remaining,
        units: f.units,
        status: f.status,
    }
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<RegisterQuery>,
) -> Result<Response, PageError> {
    let mut problems = Vec::new();
    let mut filter = filter_of(&q, v.visibility(), &mut problems, v.lang);
    if let Some(format) = q.format.as_deref() {
        filter.limit = 10_000;
        filter.offset = 0;
        let page = state.store.list_cases(&filter).await?;
        let rows = crate::reports::export::register_rows(&state.store, page.items).await?;
        return match format {
            "csv" => Ok(export_csv(
                &rows,
                q.sep.as_deref(),
                state.clock.now().date(),
            )),
            "xlsx" => export_xlsx(&rows, state.clock.now().date()),
            other => Err(ApiError::BadQuery {
                detail: format!("format={other} (csv, xlsx)"),
            }
            .into()),
        };
    }
    let page = state.store.list_cases(&filter).await?;
    let offset = filter.offset;
    let today = state.clock.now().date();
    let rows: Vec<Row> = crate::reports::export::register_rows(&state.store, page.items)
        .await?
        .into_iter()
        .map(|r| row(r, today, v.lang))
        .collect();
    let cat = catalog();
    let lang = v.lang;
    Ok(render(&RegisterPage {
        chrome: Chrome::new(&v, "register"),
        total: page.total,
        first: if rows.is_empty() { 0 } else { offset + 1 },
        last: offset + i64::try_from(rows.len()).unwrap_or(0),
        prev: (offset > 0).then(|| query_string(&q, Some((offset - PAGE).max(0)), None)),
        next: (offset + PAGE < page.total).then(|| query_string(&q, Some(offset + PAGE), None)),
        rows,
        kinds: CaseKind::ALL
            .iter()
            .map(|k| Opt {
                value: k.as_str().to_owned(),
                label: k.label_id().to_owned(),
            })
            .collect(),
        stages: Stage::ALL
            .iter()
            .map(|s| Opt {
                value: s.as_str().to_owned(),
                label: lang.pick(s.label_id(), s.label_en()).to_owned(),
            })
            .collect(),
        fields: cat
            .fields
            .iter()
            .map(|f| Opt {
                value: f.code.clone(),
                label: f.name.clone(),
            })
            .collect(),
        urusan: cat
            .urusan
            .iter()
            .map(|u| Opt {
                value: u.code.clone(),
                label: format!("{} {}", u.code, u.name),
            })
            .collect(),
        daerah: state.daerah().await?,
        csv_href: query_string(&q, None, Some("csv")),
        xlsx_href: query_string(&q, None, Some("xlsx")),
        problems,
        q,
    }))
}

fn export_csv(
    rows: &[crate::reports::export::RegisterRow],
    sep: Option<&str>,
    today: time::Date,
) -> Response {
    use crate::reports::export::{Separator, register_csv};
    let out = register_csv(rows, Separator::from_query(sep), today);
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"daftar-kerja-sama.csv\"",
            ),
        ],
        out,
    )
        .into_response()
}

fn export_xlsx(
    rows: &[crate::reports::export::RegisterRow],
    today: time::Date,
) -> Result<Response, PageError> {
    let fail = |e: rust_xlsxwriter::XlsxError| {
        tracing::error!(error = %e, "xlsx export failed");
        PageError(ApiError::Internal)
    };
    let bytes = crate::reports::export::register_xlsx(rows, today).map_err(fail)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"daftar-kerja-sama.xlsx\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
