//! `/wilayah/{code}/potensi` (a region's potential), `/wilayah/{a}/mitra/{b}` (a pair) and
//! `/wilayah/{code}/cari-mitra` (the partner finder). Charts are SVG drawn on the server
//! from numbers computed here, each with its source underneath; readable without JavaScript.

use super::{Chrome, PageError, Visitor, render};
use crate::potential::{
    DataChoice, ISLANDS, PairView, PartnerQuery, PartnersView, PotentialView, ScopeCheck,
};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use sinergi_domain::Lang;

/// A number in the page's language: "1.234,5" or "1,234.5".
#[must_use]
pub fn num(lang: Lang, x: f64, decimals: usize) -> String {
    sinergi_domain::locale::decimal(x, decimals, lang)
}

fn opt(lang: Lang, x: Option<f64>, decimals: usize) -> String {
    x.map_or_else(|| "–".to_owned(), |v| num(lang, v, decimals))
}

/// One horizontal bar of a chart.
pub struct Bar {
    pub label: String,
    pub title: String,
    pub y: f64,
    pub width: f64,
    pub marker: f64,
    pub value: String,
    pub high: bool,
}

/// One point of the Klassen chart.
pub struct Point {
    pub label: String,
    pub title: String,
    pub x: f64,
    pub y: f64,
}

/// A formatted row of the sector table.
pub struct SectorRow {
    pub code: String,
    pub name: String,
    pub share: String,
    pub reference_share: String,
    pub lq_start: String,
    pub lq: String,
    pub lq_mean: String,
    pub dlq: String,
    pub dlq_label: String,
    pub klassen: String,
    pub ns: String,
    pub im: String,
    pub rs: String,
    pub total: String,
    pub undefined: String,
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    pub awal: Option<i32>,
    pub akhir: Option<i32>,
    /// `nyata` or `sintetis`.
    pub data: Option<String>,
}

fn choice(data: Option<&str>) -> Option<DataChoice> {
    match data {
        Some("sintetis" | "synthetic") => Some(DataChoice::Synthetic),
        Some("nyata" | "real") => Some(DataChoice::Real),
        _ => None,
    }
}

const CHART_LEFT: f64 = 64.0;
const CHART_WIDTH: f64 = 420.0;
const ROW: f64 = 22.0;

#[derive(Template)]
#[template(path = "potential.html")]
struct PotentialPage {
    chrome: Chrome,
    v: PotentialView,
    rows: Vec<SectorRow>,
    structure: Vec<Bar>,
    lq_bars: Vec<Bar>,
    lq_one: f64,
    chart_height: f64,
    points: Vec<Point>,
    dlq_groups: Vec<(String, Vec<String>)>,
    hoover: String,
    source_line: String,
    method_line: String,
    published: Vec<String>,
    published_sources: Vec<String>,
}

pub async fn show_potential(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let view = crate::potential::potential(
        &state,
        &code,
        q.awal,
        q.akhir,
        choice(q.data.as_deref()),
        lang,
    )
    .await?;
    let mut rows = Vec::new();
    let mut structure = Vec::new();
    let mut lq_bars = Vec::new();
    let mut points = Vec::new();
    let mut dlq_groups: Vec<(String, Vec<String>)> = Vec::new();
    let mut lq_one = 0.0;
    let mut method_line = String::new();
    let mut hoover = String::new();
    if let Some(a) = &view.analysis {
        let max_share = a
            .sectors
            .iter()
            .map(|s| s.share_end.max(s.reference_share_end))
            .fold(0.0_f64, f64::max)
            .max(1e-9);
        let max_lq = a
            .sectors
            .iter()
            .filter_map(|s| s.lq)
            .fold(1.5_f64, f64::max);
        lq_one = CHART_LEFT + CHART_WIDTH / max_lq;
        let max_dx = a
            .sectors
            .iter()
            .map(|s| (s.share_end - s.reference_share_end).abs())
            .fold(1e-9_f64, f64::max);
        let max_dy = a
            .sectors
            .iter()
            .filter_map(|s| Some((s.growth? - s.reference_growth?).abs()))
            .fold(1e-9_f64, f64::max);
        for (i, s) in a.sectors.iter().enumerate() {
            #[expect(clippy::cast_precision_loss, reason = "17 rows")]
            let y = 8.0 + ROW * i as f64;
            structure.push(Bar {
                label: s.code.clone(),
                title: format!("{} — {} %", s.name, num(lang, 100.0 * s.share_end, 2)),
                y,
                width: CHART_WIDTH * s.share_end / max_share,
                marker: CHART_LEFT + CHART_WIDTH * s.reference_share_end / max_share,
                value: format!("{} %", num(lang, 100.0 * s.share_end, 1)),
                high: s.share_end > s.reference_share_end,
            });
            lq_bars.push(Bar {
                label: s.code.clone(),
                title: format!("{} — LQ {}", s.name, opt(lang, s.lq, 2)),
                y,
                width: s.lq.map_or(0.0, |l| CHART_WIDTH * l / max_lq),
                marker: 0.0,
                value: opt(lang, s.lq, 2),
                high: s.lq.is_some_and(|l| l > 1.0),
            });
            if let (Some(g), Some(rg)) = (s.growth, s.reference_growth) {
                points.push(Point {
                    label: s.code.clone(),
                    title: format!(
                        "{}: {} {} pp, {} {} pp",
                        s.name,
                        lang.pick("selisih pangsa", "share difference"),
                        num(lang, 100.0 * (s.share_end - s.reference_share_end), 2),
                        lang.pick("selisih pertumbuhan", "growth difference"),
                        num(lang, 100.0 * (g - rg), 2)
                    ),
                    x: 200.0 + 170.0 * (s.share_end - s.reference_share_end) / max_dx,
                    y: 200.0 - 170.0 * (g - rg) / max_dy,
                });
            }
            if let Some(label) = &s.dlq_label {
                match dlq_groups.iter_mut().find(|(l, _)| l == label) {
                    Some((_, list)) => list.push(format!("{} {}", s.code, s.name)),
                    None => {
                        dlq_groups.push((label.clone(), vec![format!("{} {}", s.code, s.name)]))
                    }
                }
            }
            let ss = s.shift_share.as_ref();
            rows.push(SectorRow {
                code: s.code.clone(),
                name: s.name.clone(),
                share: num(lang, 100.0 * s.share_end, 2),
                reference_share: num(lang, 100.0 * s.reference_share_end, 2),
                lq_start: opt(lang, s.lq_start, 2),
                lq: opt(lang, s.lq, 2),
                lq_mean: opt(lang, s.lq_mean, 2),
                dlq: opt(lang, s.dlq, 2),
                dlq_label: s.dlq_label.clone().unwrap_or_else(|| "–".to_owned()),
                klassen: match (&s.klassen, &s.klassen_label) {
                    (Some(k), Some(l)) => format!("{k} {l}"),
                    _ => "–".to_owned(),
                },
                ns: opt(lang, ss.map(|x| x.ns), 1),
                im: opt(lang, ss.map(|x| x.im), 1),
                rs: opt(lang, ss.map(|x| x.rs), 1),
                total: opt(lang, ss.map(|x| x.total), 1),
                undefined: s.undefined.join("; "),
            });
        }
        hoover = opt(lang, a.hoover, 3);
        method_line = format!(
            "{} {}–{}; {} {}; {} {}; {} {} {}.",
            lang.pick("Periode", "Period"),
            a.start,
            a.end,
            lang.pick("struktur (LQ, pangsa) dari", "structure (LQ, shares) from"),
            a.structure_basis.to_uppercase(),
            lang.pick(
                "pertumbuhan (DLQ, Klassen, shift-share) dari",
                "growth (DLQ, Klassen, shift-share) from"
            ),
            a.growth_basis.to_uppercase(),
            lang.pick("pembanding:", "reference:"),
            a.reference,
            match lang {
                Lang::Id => format!("({} wilayah)", a.regions_compared),
                Lang::En => format!("({} regions)", a.regions_compared),
            }
        );
    }
    let source_line = view.sources.join("; ");
    let published = view
        .published
        .shares
        .iter()
        .map(|s| s.sentence.clone())
        .collect();
    let mut published_sources: Vec<String> = Vec::new();
    for f in &view.published.figures {
        if !published_sources.contains(&f.source) {
            published_sources.push(f.source.clone());
        }
    }
    #[expect(clippy::cast_precision_loss, reason = "17 rows")]
    let chart_height = 16.0 + ROW * rows.len() as f64;
    Ok(render(&PotentialPage {
        chrome: Chrome::new(&v, "region"),
        v: view,
        rows,
        structure,
        lq_bars,
        lq_one,
        chart_height,
        points,
        dlq_groups,
        hoover,
        source_line,
        method_line,
        published,
        published_sources,
    }))
}

/// A formatted partner line.
pub struct PartnerRow {
    pub rank: usize,
    pub code: String,
    pub name: String,
    pub island: String,
    pub mutual: String,
    pub a_to_b: String,
    pub b_to_a: String,
}

#[derive(Template)]
#[template(path = "partners.html")]
struct PartnersPage {
    chrome: Chrome,
    v: PartnersView,
    rows: Vec<PartnerRow>,
    level: String,
    island: String,
    by: String,
    islands: Vec<(&'static str, &'static str)>,
}

#[derive(Debug, Deserialize)]
pub struct PartnersPageQuery {
    pub tingkat: Option<String>,
    pub pulau: Option<String>,
    pub urut: Option<String>,
    pub data: Option<String>,
}

pub async fn show_partners(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    Query(q): Query<PartnersPageQuery>,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let query = PartnerQuery {
        level: q.tingkat.clone().filter(|s| !s.is_empty()),
        island: q.pulau.clone().filter(|s| !s.is_empty()),
        by: q.urut.clone().filter(|s| !s.is_empty()),
        data: choice(q.data.as_deref()),
        limit: Some(500),
        offset: None,
    };
    let view = crate::potential::partners(&state, &code, &query, lang).await?;
    let island_label = |c: &str| {
        ISLANDS
            .iter()
            .find(|(k, _)| *k == c)
            .map_or("", |(_, l)| *l)
            .to_owned()
    };
    let rows = view
        .items
        .iter()
        .map(|p| PartnerRow {
            rank: p.rank,
            code: p.region.code.clone(),
            name: p.region.name.clone(),
            island: island_label(&p.region.island),
            mutual: opt(lang, p.mutual, 4),
            a_to_b: opt(lang, p.a_to_b, 4),
            b_to_a: opt(lang, p.b_to_a, 4),
        })
        .collect();
    Ok(render(&PartnersPage {
        chrome: Chrome::new(&v, "region"),
        rows,
        level: query.level.unwrap_or_default(),
        island: query.island.unwrap_or_default(),
        by: query.by.unwrap_or_else(|| "mutual".to_owned()),
        islands: ISLANDS.to_vec(),
        v: view,
    }))
}

/// A formatted contribution.
pub struct ContributionRow {
    pub sector: String,
    pub name: String,
    pub supplier_lq: String,
    pub recipient_lq: String,
    pub contribution: String,
    pub percent: String,
    pub width: f64,
    pub sentence: String,
    pub modifiers: Vec<String>,
}

#[derive(Template)]
#[template(path = "pair.html")]
struct PairPage {
    chrome: Chrome,
    v: PairView,
    directions: Vec<(String, Vec<ContributionRow>)>,
    mutual: String,
    score_ab: String,
    score_ba: String,
    similarity: String,
    source_line: String,
    published: Vec<String>,
}

fn contribution_rows(
    list: &[crate::potential::ContributionView],
    lang: Lang,
) -> Vec<ContributionRow> {
    list.iter()
        .map(|c| ContributionRow {
            sector: c.sector.clone(),
            name: c.name.clone(),
            supplier_lq: opt(lang, c.supplier_lq, 2),
            recipient_lq: opt(lang, c.recipient_lq, 2),
            contribution: num(lang, c.contribution, 4),
            percent: num(lang, 100.0 * c.fraction, 0),
            width: 300.0 * c.fraction,
            sentence: c.sentence.clone(),
            modifiers: c.modifiers.clone(),
        })
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct DataPageQuery {
    pub data: Option<String>,
}

pub async fn show_pair(
    State(state): State<AppState>,
    v: Visitor,
    Path((a, b)): Path<(String, String)>,
    Query(q): Query<DataPageQuery>,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let view = crate::potential::pair(&state, &a, &b, choice(q.data.as_deref()), lang).await?;
    let mut published: Vec<String> = view
        .published_a
        .shares
        .iter()
        .chain(&view.published_b.shares)
        .map(|s| s.sentence.clone())
        .collect();
    published.dedup();
    Ok(render(&PairPage {
        chrome: Chrome::new(&v, "region"),
        directions: vec![
            (
                format!("{} → {}", view.a.name, view.b.name),
                contribution_rows(&view.contributions_a_to_b, lang),
            ),
            (
                format!("{} → {}", view.b.name, view.a.name),
                contribution_rows(&view.contributions_b_to_a, lang),
            ),
        ],
        mutual: opt(lang, view.mutual, 4),
        score_ab: opt(lang, view.a_to_b, 4),
        score_ba: opt(lang, view.b_to_a, 4),
        similarity: opt(lang, view.similarity, 3),
        source_line: view.sources.join("; "),
        published,
        v: view,
    }))
}

/// The case page's scope section (a partial of its own template).
#[derive(Template)]
#[template(path = "potential_scope.html")]
pub struct ScopePartial {
    pub chrome: Chrome,
    pub s: ScopeCheck,
}

/// Renders the scope section of a case page; empty when it cannot be computed.
pub async fn scope_html(
    state: &AppState,
    v: &Visitor,
    case: &sinergi_domain::case::Case,
) -> String {
    match crate::potential::scope_check(state, case, v.lang).await {
        Ok(s) => ScopePartial {
            chrome: Chrome::new(v, "register"),
            s,
        }
        .render()
        .unwrap_or_default(),
        Err(e) => {
            tracing::warn!(error = ?e, "scope check failed");
            String::new()
        }
    }
}
