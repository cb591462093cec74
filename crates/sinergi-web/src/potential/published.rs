//! What the published figures (the real seed data and any real totals) say about a region on
//! their own: honest partial computations (a share against the national share) when a full
//! comparison is not possible.

use super::sector_name;
use crate::error::ApiError;
use crate::state::AppState;
use serde::Serialize;
use sinergi_domain::Lang;
use sinergi_store::StoredObservation;

/// A published share compared with the national share of the same year and category.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublishedShare {
    pub year: i32,
    pub sector: String,
    pub sector_name: String,
    /// Percent of the region's PDRB (ADHB).
    pub region_share: f64,
    /// Percent of Indonesia's PDB (ADHB), when published.
    pub national_share: Option<f64>,
    /// `region_share / national_share`: the static LQ against Indonesia.
    pub lq: Option<f64>,
    pub source: String,
    pub sentence: String,
}

/// What published figures say about a region.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublishedFacts {
    pub shares: Vec<PublishedShare>,
    /// Every stored real figure of the region (totals, shares, growth rates).
    pub figures: Vec<StoredObservation>,
}

impl PublishedFacts {
    /// The figures as a person reads them: indicator, category, unit and prices in words, the
    /// value in the reader's number format.
    #[must_use]
    pub fn rows(&self, lang: &Lang) -> Vec<FigureRow> {
        self.figures
            .iter()
            .map(|o| FigureRow::of(o, *lang))
            .collect()
    }
}

/// One published figure in words.
pub struct FigureRow {
    pub indicator: String,
    pub category: String,
    pub year: i32,
    pub value: String,
    pub unit: String,
    pub prices: String,
}

impl FigureRow {
    fn of(o: &StoredObservation, lang: Lang) -> Self {
        let words = |code: &str| -> String {
            let (id, en) = match code {
                "pdrb" => ("PDRB", "GRDP"),
                "pdrb_share" => ("Distribusi PDRB", "Share of GRDP"),
                "pdrb_growth" => ("Pertumbuhan PDRB", "GRDP growth"),
                "_total" => ("Seluruh lapangan usaha", "All industries"),
                "miliar_rupiah" => ("miliar rupiah", "billion rupiah"),
                "persen" => ("persen", "percent"),
                "adhb" => ("atas dasar harga berlaku", "at current prices"),
                "adhk" => ("atas dasar harga konstan", "at constant prices"),
                other => return other.to_owned(),
            };
            lang.pick(id, en).to_owned()
        };
        let category = if o.sector.starts_with('_') {
            words(&o.sector)
        } else {
            format!("{} — {}", o.sector, sector_name(&o.sector))
        };
        let decimals = if o.unit == "persen" { 2 } else { 0 };
        Self {
            indicator: words(&o.indicator),
            category,
            year: o.year,
            // "170.000" and "6,45" in Indonesian; "170,000" and "6.45" in English.
            value: num(o.value, decimals, lang),
            unit: words(&o.unit),
            prices: words(&o.price_basis),
        }
    }
}

fn num(x: f64, decimals: usize, lang: Lang) -> String {
    sinergi_domain::locale::decimal(x, decimals, lang)
}

/// The published figures of a region and the LQs they allow against Indonesia.
///
/// # Errors
/// Database errors.
pub async fn published_facts(
    state: &AppState,
    code: &str,
    name: &str,
    lang: Lang,
) -> Result<PublishedFacts, ApiError> {
    let all = state.store.observations_of(&[code, "ID"], false).await?;
    let share_of = |region: &str, sector: &str, year: i32| -> Option<f64> {
        if let Some(s) = all.iter().find(|o| {
            o.region_code == region
                && o.indicator == "pdrb_share"
                && o.sector == sector
                && o.year == year
        }) {
            return Some(s.value);
        }
        let v = all.iter().find(|o| {
            o.region_code == region
                && o.indicator == "pdrb"
                && o.price_basis == "adhb"
                && o.sector == sector
                && o.year == year
        })?;
        let t = all.iter().find(|o| {
            o.region_code == region
                && o.indicator == "pdrb"
                && o.price_basis == "adhb"
                && o.sector == "_total"
                && o.year == year
        })?;
        (t.value > 0.0).then(|| 100.0 * v.value / t.value)
    };
    let mut shares = Vec::new();
    let figures: Vec<StoredObservation> = all
        .iter()
        .filter(|o| o.region_code == code)
        .cloned()
        .collect();
    for o in figures.iter().filter(|o| o.indicator == "pdrb_share") {
        let national = share_of("ID", &o.sector, o.year);
        let lq = national.filter(|n| *n > 0.0).map(|n| o.value / n);
        let sentence = match (national, lq) {
            (Some(n), Some(lq)) => format!(
                "{} {} {} {name} {} %, {} {} %: LQ {} ({}).",
                lang.pick("Kategori", "Category"),
                o.sector,
                lang.pick(&format!("tahun {}: pangsa di", o.year), &format!("in {}: share in", o.year)),
                num(o.value, 2, lang),
                lang.pick("nasional", "nationally"),
                num(n, 2, lang),
                num(lq, 2, lang),
                if lq > 1.0 {
                    lang.pick("sektor basis", "a base sector")
                } else {
                    lang.pick("bukan sektor basis", "not a base sector")
                }
            ),
            _ => format!(
                "{} {} {} {name} {} %; {}",
                lang.pick("Kategori", "Category"),
                o.sector,
                lang.pick(&format!("tahun {}: pangsa di", o.year), &format!("in {}: share in", o.year)),
                num(o.value, 2, lang),
                lang.pick(
                    &format!("pangsa nasional kategori ini tahun {} belum tersedia, jadi LQ belum dapat dihitung.", o.year),
                    &format!("the national share of this category in {} is not available yet, so its LQ cannot be computed.", o.year),
                ),
            ),
        };
        shares.push(PublishedShare {
            year: o.year,
            sector: o.sector.clone(),
            sector_name: sector_name(&o.sector),
            region_share: o.value,
            national_share: national,
            lq,
            source: o.source.clone(),
            sentence,
        });
    }
    Ok(PublishedFacts { shares, figures })
}
