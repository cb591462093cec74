//! `/wilayah/{code}/potensi`: a region's potential — its sectors' structure (ADHB) and growth
//! (ADHK when complete) against the comparison set.

use super::labels::{data_label, dlq_label, klassen_label};
use super::published::{PublishedFacts, published_facts};
use super::{
    Comparison, DataChoice, RegionRef, Unavailable, comparison, daerah_level, sector_name,
};
use crate::error::ApiError;
use crate::state::AppState;
use serde::Serialize;
use sinergi_analytics::Selection;
use sinergi_domain::Lang;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ShiftShareView {
    pub ns: f64,
    pub im: f64,
    pub rs: f64,
    pub total: f64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SectorView {
    pub code: String,
    pub name: String,
    /// Value at the end year (miliar rupiah, ADHB).
    pub value_end: f64,
    /// Share of the region's PDRB at the end year (0–1).
    pub share_end: f64,
    /// Share of the reference at the end year (0–1).
    pub reference_share_end: f64,
    pub lq_start: Option<f64>,
    pub lq: Option<f64>,
    pub lq_mean: Option<f64>,
    pub dlq: Option<f64>,
    pub dlq_class: Option<String>,
    pub dlq_label: Option<String>,
    pub klassen: Option<String>,
    pub klassen_label: Option<String>,
    /// Growth start → end of the sector in the region and in the reference (growth basis).
    pub growth: Option<f64>,
    pub reference_growth: Option<f64>,
    pub shift_share: Option<ShiftShareView>,
    /// Reasons of undefined measures, e.g. "dlq: zero_base_value".
    pub undefined: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExcludedView {
    pub code: String,
    pub name: String,
    pub sector: String,
    pub year: i32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AnalysisView {
    pub level: String,
    pub start: i32,
    pub end: i32,
    pub structure_basis: String,
    pub growth_basis: String,
    /// What the regions are compared with.
    pub reference: String,
    pub regions_compared: usize,
    pub excluded: Vec<ExcludedView>,
    pub hoover: Option<f64>,
    pub sectors: Vec<SectorView>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PotentialView {
    pub region: RegionRef,
    /// Whether the numbers come from the synthetic data set.
    pub synthetic: bool,
    pub data_label: String,
    pub sources: Vec<String>,
    pub analysis: Option<AnalysisView>,
    pub unavailable: Option<Unavailable>,
    pub published: PublishedFacts,
}

fn growth_of(sel: &Selection, region: usize, sector: usize) -> Option<f64> {
    let p = &sel.panel;
    let (a, b) = (
        p.value(region, sector, 0)?,
        p.value(region, sector, p.year_count() - 1)?,
    );
    (a > 0.0 && p.year_count() > 1).then(|| b / a - 1.0)
}

fn reference_growth_of(sel: &Selection, sector: usize) -> Option<f64> {
    let p = &sel.panel;
    let a = p.reference_vector(0)?.get(sector).copied()?;
    let b = p
        .reference_vector(p.year_count() - 1)?
        .get(sector)
        .copied()?;
    (a > 0.0 && p.year_count() > 1).then(|| b / a - 1.0)
}

#[must_use]
pub fn analysis_view(c: &Comparison, code: &str, lang: Lang) -> Option<AnalysisView> {
    let a = c.analysis();
    let r = a.region_index(code)?;
    let (gsel, ganalysis) = c.growth_analysis();
    let gr = ganalysis.region_index(code)?;
    let end_index = c.selection().panel.year_count() - 1;
    let sectors = a
        .sectors
        .iter()
        .enumerate()
        .map(|(s, sc)| {
            let cell = a.cell(r, s);
            let gcell = ganalysis.cell(gr, s);
            let mut undefined = Vec::new();
            let mut note = |what: &str, reason: Option<sinergi_analytics::Undefined>| {
                if let Some(u) = reason {
                    undefined.push(format!("{what}: {}", u.code()));
                }
            };
            note("lq", a.lq_end[cell].reason());
            let growth = ganalysis.growth.as_ref();
            let dlq = growth.map(|g| g.dlq[gcell]);
            let dlq_class = growth.map(|g| g.dlq_class[gcell]);
            let klassen = growth.map(|g| g.klassen[gcell]);
            let ss = growth.map(|g| g.shift_share[gcell]);
            if let Some(d) = dlq {
                note("dlq", d.reason());
            }
            if let Some(k) = klassen {
                note("klassen", k.reason());
            }
            if let Some(x) = ss {
                note("shift_share", x.reason());
            }
            let class = dlq_class
                .and_then(|d| d.into_value())
                .map(|d| d.code().to_owned());
            let quadrant = klassen
                .and_then(|k| k.into_value())
                .map(|k| k.code().to_owned());
            SectorView {
                code: sc.clone(),
                name: sector_name(sc),
                value_end: c.selection().panel.value(r, s, end_index).unwrap_or(0.0),
                share_end: a.shares_end[cell],
                reference_share_end: a.reference_shares_end[s],
                lq_start: a.lq_start[cell].get(),
                lq: a.lq_end[cell].get(),
                lq_mean: a.lq_mean[cell].get(),
                dlq: dlq.and_then(|d| d.get()),
                dlq_label: class.as_deref().map(|c| dlq_label(c, lang).to_owned()),
                dlq_class: class,
                klassen_label: quadrant
                    .as_deref()
                    .map(|q| klassen_label(q, lang).to_owned()),
                klassen: quadrant,
                growth: growth.and_then(|_| growth_of(gsel, gr, s)),
                reference_growth: growth.and_then(|_| reference_growth_of(gsel, s)),
                shift_share: ss.and_then(|x| x.into_value()).map(|x| ShiftShareView {
                    ns: x.ns,
                    im: x.im,
                    rs: x.rs,
                    total: x.total(),
                }),
                undefined,
            }
        })
        .collect();
    Some(AnalysisView {
        level: c.level.as_str().to_owned(),
        start: c.selection().start,
        end: c.selection().end,
        structure_basis: sinergi_analytics::STRUCTURE_BASIS.as_str().to_owned(),
        growth_basis: c.growth_basis().to_owned(),
        reference: match &a.reference {
            sinergi_analytics::ReferenceKind::SumOfRegions => lang
                .pick(
                    "jumlah semua wilayah yang dibandingkan",
                    "the sum of all regions compared",
                )
                .to_owned(),
            sinergi_analytics::ReferenceKind::Explicit { label } => label.clone(),
        },
        regions_compared: a.regions.len(),
        excluded: c
            .selection()
            .excluded
            .iter()
            .map(|e| ExcludedView {
                code: e.region.clone(),
                name: c.name(&e.region),
                sector: e.sector.clone(),
                year: e.year,
            })
            .collect(),
        hoover: a.hoover.get(r).and_then(sinergi_analytics::Measure::get),
        sectors,
    })
}

/// The potential of one region.
///
/// # Errors
/// An unknown region or one that is not a province, regency or city; database errors.
pub async fn potential(
    state: &AppState,
    code: &str,
    start: Option<i32>,
    end: Option<i32>,
    choice: Option<DataChoice>,
    lang: Lang,
) -> Result<PotentialView, ApiError> {
    let region = state.store.get_region(code).await?;
    let level = daerah_level(&region.region.level, code)?;
    let code = region.region.code.as_str();
    let c = comparison(state, level, &[code], start, end, choice, lang).await?;
    let published = published_facts(state, code, &region.region.name, lang).await?;
    let region_ref = RegionRef::new(
        code,
        region.region.name.clone(),
        region.region.level.clone(),
    );
    Ok(match c {
        Ok(c) => PotentialView {
            region: region_ref,
            synthetic: c.synthetic(),
            data_label: data_label(c.synthetic(), lang),
            sources: c.sources.clone(),
            analysis: analysis_view(&c, code, lang),
            unavailable: None,
            published,
        },
        Err(u) => PotentialView {
            region: region_ref,
            synthetic: false,
            data_label: data_label(false, lang),
            sources: published.figures.iter().map(|f| f.source.clone()).fold(
                Vec::new(),
                |mut v, s| {
                    if !v.contains(&s) {
                        v.push(s);
                    }
                    v
                },
            ),
            analysis: None,
            unavailable: Some(u),
            published,
        },
    })
}
