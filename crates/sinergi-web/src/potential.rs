//! Regional potential for the web: loads a comparison set from the store, runs the pure
//! analytics and builds the views the JSON API returns and the pages render (one view per
//! screen, so the two never disagree).
//!
//! Data choice: real (imported or published) observations by default; when they do not
//! suffice and the synthetic data set is loaded, the synthetic one — always labelled
//! ("data sintetis", `"synthetic": true`). `data=real` / `data=synthetic` forces a choice.

use crate::error::ApiError;
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use sinergi_analytics::{
    Analysis, AnalysisOptions, Observation, SelectError, Selection, analyze, pair_detail,
    partner_ranking_by, select_complete,
};
use sinergi_domain::Lang;
use sinergi_store::{PanelLevel, PanelQuery, StoredObservation};
use std::collections::HashMap;

/// `data=` of the requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataChoice {
    Real,
    Synthetic,
}

/// A region as the views name it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RegionRef {
    pub code: String,
    pub name: String,
    pub level: String,
    /// Island group: sumatera, jawa, bali_nusa_tenggara, kalimantan, sulawesi, maluku, papua.
    pub island: String,
}

/// Why there is no computation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Unavailable {
    pub code: String,
    pub message: String,
}

/// Island group of a Kemendagri code (its first digit).
#[must_use]
pub fn island_of(code: &str) -> &'static str {
    match code.as_bytes().first() {
        Some(b'1') => "sumatera",
        Some(b'3') => "jawa",
        Some(b'5') => "bali_nusa_tenggara",
        Some(b'6') => "kalimantan",
        Some(b'7') => "sulawesi",
        Some(b'8') => "maluku",
        Some(b'9') => "papua",
        _ => "",
    }
}

/// The island groups with their labels.
pub const ISLANDS: [(&str, &str); 7] = [
    ("sumatera", "Sumatera"),
    ("jawa", "Jawa"),
    ("bali_nusa_tenggara", "Bali dan Nusa Tenggara"),
    ("kalimantan", "Kalimantan"),
    ("sulawesi", "Sulawesi"),
    ("maluku", "Maluku"),
    ("papua", "Papua"),
];

/// The cooperation fields a PDRB category informs (analytics.md §5).
#[must_use]
pub fn fields_of_sector(sector: &str) -> &'static [&'static str] {
    match sector {
        "A" => &[
            "pertanian_peternakan",
            "kehutanan_perkebunan",
            "kelautan_perikanan",
        ],
        "C" | "K" => &["umkm"],
        "G" => &["perdagangan", "umkm"],
        "H" => &["perdagangan", "pariwisata_kebudayaan"],
        "I" => &["pariwisata_kebudayaan", "umkm"],
        "P" | "Q" => &["pengembangan_sdm"],
        "R,S,T,U" => &["pariwisata_kebudayaan"],
        _ => &[],
    }
}

/// Fields that no PDRB category informs: they need their own series.
pub const FIELDS_WITHOUT_INDICATOR: [&str; 3] = [
    "pemberdayaan_masyarakat_desa",
    "transmigrasi",
    "bidang_lain",
];

pub(crate) fn field_name(code: &str) -> String {
    sinergi_domain::catalog::catalog()
        .fields
        .iter()
        .find(|f| f.code == code)
        .map_or_else(|| code.to_owned(), |f| f.name.clone())
}

pub(crate) fn sector_name(code: &str) -> String {
    sinergi_domain::catalog::catalog()
        .pdrb
        .iter()
        .find(|c| c.code == code)
        .map_or_else(|| code.to_owned(), |c| c.name.clone())
}

fn sector_codes() -> Vec<String> {
    sinergi_domain::catalog::catalog()
        .pdrb
        .iter()
        .map(|c| c.code.clone())
        .collect()
}

fn dlq_label(code: &str, lang: Lang) -> &'static str {
    match code {
        "BASIS_STABLE" => lang.pick("unggulan (basis, menguat)", "leading (base, gaining)"),
        "BASIS_DECLINING" => lang.pick("prospektif (basis, melemah)", "base, losing position"),
        "NONBASIS_EMERGING" => lang.pick(
            "andalan (non-basis, menguat)",
            "emerging (non-base, gaining)",
        ),
        _ => lang.pick(
            "tertinggal (non-basis, melemah)",
            "lagging (non-base, losing)",
        ),
    }
}

fn klassen_label(code: &str, lang: Lang) -> &'static str {
    match code {
        "Q1" => lang.pick("maju dan tumbuh pesat", "advanced and fast-growing"),
        "Q2" => lang.pick("maju tetapi tertekan", "advanced but depressed"),
        "Q3" => lang.pick("potensial / berkembang", "potential / developing"),
        _ => lang.pick("relatif tertinggal", "relatively lagging"),
    }
}

fn data_label(synthetic: bool, lang: Lang) -> String {
    if synthetic {
        lang.pick(
            "data sintetis — bukan data BPS, hanya untuk demonstrasi",
            "synthetic data — not BPS data, for demonstration only",
        )
        .to_owned()
    } else {
        lang.pick("data nyata (BPS)", "real data (BPS)").to_owned()
    }
}

/// A comparison set, analysed.
pub struct Comparison {
    pub synthetic: bool,
    pub level: PanelLevel,
    pub selection: Selection,
    pub analysis: Analysis,
    /// Growth measures from ADHK when the same regions and years are complete there.
    pub growth: Option<(Selection, Analysis)>,
    pub sources: Vec<String>,
    pub names: HashMap<String, (String, String)>,
}

impl Comparison {
    #[must_use]
    pub fn growth_basis(&self) -> &'static str {
        if self.growth.is_some() {
            "adhk"
        } else {
            "adhb"
        }
    }

    /// The analysis whose growth measures are shown.
    #[must_use]
    pub fn growth_analysis(&self) -> (&Selection, &Analysis) {
        self.growth
            .as_ref()
            .map_or((&self.selection, &self.analysis), |(s, a)| (s, a))
    }

    #[must_use]
    pub fn region_ref(&self, code: &str) -> RegionRef {
        let (name, level) = self
            .names
            .get(code)
            .cloned()
            .unwrap_or_else(|| (code.to_owned(), String::new()));
        RegionRef {
            code: code.to_owned(),
            name,
            level,
            island: island_of(code).to_owned(),
        }
    }

    #[must_use]
    pub fn name(&self, code: &str) -> String {
        self.names
            .get(code)
            .map_or_else(|| code.to_owned(), |(n, _)| n.clone())
    }
}

fn unavailable(
    e: &SelectError,
    names: &HashMap<String, (String, String)>,
    lang: Lang,
) -> Unavailable {
    let name = |c: &str| {
        names
            .get(c)
            .map_or_else(|| c.to_owned(), |(n, _)| n.clone())
    };
    let (code, id, en) = match e {
        SelectError::NoData => (
            "potential.no_data",
            "Belum ada data PDRB menurut lapangan usaha untuk tingkat wilayah ini. Impor tabel BPS (sinergi observations import) atau muat data sintetis untuk demonstrasi.".to_owned(),
            "There is no PDRB-by-category data for this level yet. Import a BPS table (sinergi observations import) or load the synthetic data for a demonstration.".to_owned(),
        ),
        SelectError::RegionWithoutData { region } => (
            "potential.region_without_data",
            format!("Belum ada data PDRB menurut lapangan usaha untuk {}.", name(region)),
            format!("There is no PDRB-by-category data for {} yet.", name(region)),
        ),
        SelectError::YearNotInData { year, available } => (
            "potential.year_not_in_data",
            format!("Tahun {year} berada di luar data (tahun yang tersedia: {available:?})."),
            format!("Year {year} is outside the data (available years: {available:?})."),
        ),
        SelectError::InvalidRange { start, end } => (
            "potential.invalid_range",
            format!("Tahun awal {start} sesudah tahun akhir {end}."),
            format!("Start year {start} is after end year {end}."),
        ),
        SelectError::RegionIncomplete { region, sector, year } => (
            "potential.region_incomplete",
            format!("Data {} tidak lengkap: kategori {sector} tahun {year} tidak ada.", name(region)),
            format!("The data of {} is incomplete: category {sector} in {year} is missing.", name(region)),
        ),
        SelectError::TooFewRegions { count } => (
            "potential.too_few_regions",
            format!("Hanya {count} wilayah dengan data lengkap; perbandingan memerlukan paling sedikit dua."),
            format!("Only {count} regions have complete data; a comparison needs at least two."),
        ),
        SelectError::Panel(p) => ("potential.invalid_data", p.to_string(), p.to_string()),
    };
    Unavailable {
        code: code.to_owned(),
        message: lang.pick(&id, &en).to_owned(),
    }
}

type PanelKey = (PanelLevel, &'static str, bool);
type Loaded = std::sync::Arc<(Vec<Observation>, Vec<uuid::Uuid>)>;

/// The observations of the comparison sets, kept while no batch is added or replaced (the
/// fingerprint is the list of batch ids, so any import or synthetic reload invalidates it).
#[derive(Default)]
pub struct PotentialCache {
    inner: std::sync::Mutex<(Vec<uuid::Uuid>, HashMap<PanelKey, Loaded>)>,
}

impl std::fmt::Debug for PotentialCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PotentialCache")
    }
}

async fn observations(
    state: &AppState,
    level: PanelLevel,
    basis: &'static str,
    synthetic: bool,
) -> Result<Loaded, ApiError> {
    let fingerprint = state.store.observations_fingerprint().await?;
    let key = (level, basis, synthetic);
    {
        let mut guard = state
            .potential
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if guard.0 != fingerprint {
            guard.0.clone_from(&fingerprint);
            guard.1.clear();
        }
        if let Some(hit) = guard.1.get(&key) {
            return Ok(hit.clone());
        }
    }
    let query = PanelQuery {
        level,
        indicator: "pdrb",
        price_basis: basis,
        synthetic,
    };
    let values = state.store.panel_values(query).await?;
    let batches = state.store.panel_batches(query).await?;
    let obs = values
        .into_iter()
        .map(|v| Observation::new(v.region_code, v.sector, v.year, v.value))
        .collect();
    let loaded: Loaded = std::sync::Arc::new((obs, batches));
    let mut guard = state
        .potential
        .inner
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if guard.0 == fingerprint {
        guard.1.insert(key, loaded.clone());
    }
    Ok(loaded)
}

/// Kemendagri level of a daerah code: `NN` province, `NN.01`–`NN.69` regency, `NN.71`–`NN.99` city.
fn level_of(code: &str) -> &'static str {
    match code.len() {
        2 => "province",
        _ if code.get(3..4).is_some_and(|d| d >= "7") => "city",
        _ => "regency",
    }
}

/// Names and levels of the daerah.
async fn names(state: &AppState) -> Result<HashMap<String, (String, String)>, ApiError> {
    Ok(state
        .daerah()
        .await?
        .iter()
        .map(|(code, name)| (code.clone(), (name.clone(), level_of(code).to_owned())))
        .collect())
}

async fn try_comparison(
    state: &AppState,
    level: PanelLevel,
    synthetic: bool,
    focus: &[&str],
    start: Option<i32>,
    end: Option<i32>,
    names: &HashMap<String, (String, String)>,
) -> Result<Result<Comparison, SelectError>, ApiError> {
    let sectors = sector_codes();
    let loaded = observations(state, level, "adhb", synthetic).await?;
    let (obs, mut batches) = (&loaded.0, loaded.1.clone());
    let selection = match select_complete(obs, &sectors, focus, start, end) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let options = AnalysisOptions {
        pair_scores: false,
        ..AnalysisOptions::new(selection.start, selection.end)
    };
    let analysis = analyze(&selection.panel, &options).map_err(|e| {
        tracing::error!(error = %e, "analysis of a selected panel failed");
        ApiError::Internal
    })?;
    let mut growth = None;
    if selection.end > selection.start {
        let k_loaded = observations(state, level, "adhk", synthetic).await?;
        let (k_obs, k_batches) = (&k_loaded.0, k_loaded.1.clone());
        let included: Vec<&str> = selection
            .panel
            .regions()
            .iter()
            .map(String::as_str)
            .collect();
        let included_set: std::collections::HashSet<&str> = included.iter().copied().collect();
        let wanted: Vec<Observation> = k_obs
            .iter()
            .filter(|o| included_set.contains(o.region.as_str()))
            .cloned()
            .collect();
        if let Ok(k_sel) = select_complete(
            &wanted,
            &sectors,
            &included,
            Some(selection.start),
            Some(selection.end),
        ) && k_sel.panel.regions() == selection.panel.regions()
            && let Ok(k_analysis) = analyze(&k_sel.panel, &options)
        {
            for b in k_batches {
                if !batches.contains(&b) {
                    batches.push(b);
                }
            }
            growth = Some((k_sel, k_analysis));
        }
    }
    let sources = state.store.batch_sources(&batches).await?;
    Ok(Ok(Comparison {
        synthetic,
        level,
        selection,
        analysis,
        growth,
        sources,
        names: names.clone(),
    }))
}

/// The comparison for the given regions: real data first, synthetic when real data does not
/// suffice and synthetic data exists (or as chosen).
///
/// # Errors
/// Database errors.
pub async fn comparison(
    state: &AppState,
    level: PanelLevel,
    focus: &[&str],
    start: Option<i32>,
    end: Option<i32>,
    choice: Option<DataChoice>,
    lang: Lang,
) -> Result<Result<Comparison, Unavailable>, ApiError> {
    let names = names(state).await?;
    let first = choice != Some(DataChoice::Synthetic);
    let real = if first {
        try_comparison(state, level, false, focus, start, end, &names).await?
    } else {
        Err(SelectError::NoData)
    };
    match real {
        Ok(c) => Ok(Ok(c)),
        Err(e) => {
            let fall_back = choice == Some(DataChoice::Synthetic)
                || (choice.is_none()
                    && matches!(
                        e,
                        SelectError::NoData
                            | SelectError::RegionWithoutData { .. }
                            | SelectError::RegionIncomplete { .. }
                            | SelectError::TooFewRegions { .. }
                    )
                    && state.store.observation_count(true).await? > 0);
            if fall_back {
                match try_comparison(state, level, true, focus, start, end, &names).await? {
                    Ok(c) => return Ok(Ok(c)),
                    Err(e2) if choice == Some(DataChoice::Synthetic) => {
                        return Ok(Err(unavailable(&e2, &names, lang)));
                    }
                    Err(_) => {}
                }
            }
            Ok(Err(unavailable(&e, &names, lang)))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Published figures (the real seed data and any real totals): honest partial computations
// ---------------------------------------------------------------------------------------------

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

fn id_num(x: f64, decimals: usize) -> String {
    sinergi_domain::locale::decimal_id(x, decimals)
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
                id_num(o.value, 2),
                lang.pick("nasional", "nationally"),
                id_num(n, 2),
                id_num(lq, 2),
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
                id_num(o.value, 2),
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

// ---------------------------------------------------------------------------------------------
// Region potential
// ---------------------------------------------------------------------------------------------

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
    let a = &c.analysis;
    let r = a.region_index(code)?;
    let (gsel, ganalysis) = c.growth_analysis();
    let gr = ganalysis.region_index(code)?;
    let end_index = c.selection.panel.year_count() - 1;
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
                value_end: c.selection.panel.value(r, s, end_index).unwrap_or(0.0),
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
        start: c.selection.start,
        end: c.selection.end,
        structure_basis: "adhb".to_owned(),
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
            .selection
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

fn region_ref_from(names: &HashMap<String, (String, String)>, code: &str) -> RegionRef {
    let (name, level) = names
        .get(code)
        .cloned()
        .unwrap_or_else(|| (code.to_owned(), String::new()));
    RegionRef {
        code: code.to_owned(),
        name,
        level,
        island: island_of(code).to_owned(),
    }
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
    let region_ref = RegionRef {
        code: code.to_owned(),
        name: region.region.name.clone(),
        level: region.region.level.clone(),
        island: island_of(code).to_owned(),
    };
    Ok(match c {
        Ok(c) => PotentialView {
            region: region_ref,
            synthetic: c.synthetic,
            data_label: data_label(c.synthetic, lang),
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

pub(crate) fn daerah_level(level: &str, code: &str) -> Result<PanelLevel, ApiError> {
    PanelLevel::of_region_level(level)
        .ok_or_else(|| ApiError::Domain(sinergi_domain::DomainError::not_found("region", code)))
}

// ---------------------------------------------------------------------------------------------
// Partner finder
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PartnerView {
    pub rank: usize,
    pub region: RegionRef,
    /// `M(a, b)`.
    pub mutual: Option<f64>,
    /// `C(a → b)`: what the region can supply to the partner.
    pub a_to_b: Option<f64>,
    /// `C(b → a)`: what the partner can supply to the region.
    pub b_to_a: Option<f64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PartnersView {
    pub region: RegionRef,
    pub synthetic: bool,
    pub data_label: String,
    pub sources: Vec<String>,
    pub year: Option<i32>,
    /// `mutual`, `outgoing` or `incoming`.
    pub by: String,
    pub items: Vec<PartnerView>,
    pub total: usize,
    pub unavailable: Option<Unavailable>,
}

/// Filters of the partner finder.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartnerQuery {
    /// Partner level: `province`, `regency` or `city` (within the region's comparison set).
    pub level: Option<String>,
    /// Island group of the partner (see `island` of a region).
    pub island: Option<String>,
    /// `mutual` (default), `outgoing` (what the region supplies) or `incoming`.
    pub by: Option<String>,
    /// `real` or `synthetic` (default: real when it suffices).
    #[param(inline)]
    pub data: Option<DataChoice>,
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// Rows to skip, 0–100000 (default 0).
    #[param(minimum = 0, maximum = 100_000)]
    pub offset: Option<i64>,
}

/// Every other region of the comparison set, ranked.
///
/// # Errors
/// Bad filters; an unknown region; database errors.
pub async fn partners(
    state: &AppState,
    code: &str,
    q: &PartnerQuery,
    lang: Lang,
) -> Result<PartnersView, ApiError> {
    let (limit, offset) = crate::api::Paging {
        limit: q.limit.or(Some(500)),
        offset: q.offset,
    }
    .resolve()?;
    let by = match q.by.as_deref().unwrap_or("mutual") {
        "mutual" => sinergi_analytics::RankBy::Mutual,
        "outgoing" => sinergi_analytics::RankBy::Outgoing,
        "incoming" => sinergi_analytics::RankBy::Incoming,
        other => {
            return Err(ApiError::BadQuery {
                detail: format!("by={other} (mutual, outgoing, incoming)"),
            });
        }
    };
    if let Some(l) = q.level.as_deref().filter(|l| !l.is_empty())
        && !["province", "regency", "city"].contains(&l)
    {
        return Err(ApiError::BadQuery {
            detail: format!("level={l} (province, regency, city)"),
        });
    }
    if let Some(i) = q.island.as_deref().filter(|i| !i.is_empty())
        && !ISLANDS.iter().any(|(c, _)| *c == i)
    {
        return Err(ApiError::BadQuery {
            detail: format!(
                "island={i} ({})",
                ISLANDS
                    .iter()
                    .map(|(c, _)| *c)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    let region = state.store.get_region(code).await?;
    let level = daerah_level(&region.region.level, code)?;
    let code = region.region.code.clone();
    let c = comparison(state, level, &[&code], None, None, q.data, lang).await?;
    let region_ref = RegionRef {
        code: code.clone(),
        name: region.region.name.clone(),
        level: region.region.level.clone(),
        island: island_of(&code).to_owned(),
    };
    let by_text = q.by.clone().unwrap_or_else(|| "mutual".to_owned());
    let c = match c {
        Ok(c) => c,
        Err(u) => {
            return Ok(PartnersView {
                region: region_ref,
                synthetic: false,
                data_label: data_label(false, lang),
                sources: Vec::new(),
                year: None,
                by: by_text,
                items: Vec::new(),
                total: 0,
                unavailable: Some(u),
            });
        }
    };
    let ranking = partner_ranking_by(&c.analysis, &code, by).map_err(|_| ApiError::Internal)?;
    let all: Vec<PartnerView> = ranking
        .iter()
        .enumerate()
        .map(|(i, p)| PartnerView {
            rank: i + 1,
            region: c.region_ref(p.region),
            mutual: p.mutual.get(),
            a_to_b: p.a_to_b.get(),
            b_to_a: p.b_to_a.get(),
        })
        .filter(|p| {
            q.level
                .as_deref()
                .filter(|l| !l.is_empty())
                .is_none_or(|l| p.region.level == l)
                && q.island
                    .as_deref()
                    .filter(|i| !i.is_empty())
                    .is_none_or(|i| p.region.island == i)
        })
        .collect();
    let total = all.len();
    let items = all
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(0))
        .take(usize::try_from(limit).unwrap_or(50))
        .collect();
    Ok(PartnersView {
        region: region_ref,
        synthetic: c.synthetic,
        data_label: data_label(c.synthetic, lang),
        sources: c.sources.clone(),
        year: Some(c.selection.end),
        by: by_text,
        items,
        total,
        unavailable: None,
    })
}

// ---------------------------------------------------------------------------------------------
// Pair
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ContributionView {
    pub sector: String,
    pub name: String,
    pub reference_share: f64,
    pub supplier_lq: Option<f64>,
    pub recipient_lq: Option<f64>,
    pub spare_capacity: f64,
    pub need: f64,
    pub contribution: f64,
    /// Part of the directional score (0–1).
    pub fraction: f64,
    pub sentence: String,
    /// Dynamics of the supplier's sector and the recipient's Klassen quadrant (modifiers).
    pub modifiers: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldSuggestion {
    pub field: String,
    pub name: String,
    /// The sectors behind the suggestion.
    pub sectors: Vec<String>,
    /// The sentence behind each.
    pub sentences: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PairView {
    pub a: RegionRef,
    pub b: RegionRef,
    pub synthetic: bool,
    pub data_label: String,
    pub sources: Vec<String>,
    pub year: Option<i32>,
    pub a_to_b: Option<f64>,
    pub b_to_a: Option<f64>,
    pub mutual: Option<f64>,
    /// Structural similarity `1 − K/2`, reported apart from the mutual score.
    pub similarity: Option<f64>,
    pub contributions_a_to_b: Vec<ContributionView>,
    pub contributions_b_to_a: Vec<ContributionView>,
    /// Sectors where both are a base (LQ > 1): joint promotion, shared standards.
    pub shared_base_sectors: Vec<String>,
    pub suggested_fields: Vec<FieldSuggestion>,
    pub same_island: bool,
    pub unavailable: Option<Unavailable>,
    /// Published real figures of both regions (also when the full analysis is unavailable).
    pub published_a: PublishedFacts,
    pub published_b: PublishedFacts,
}

fn contribution_views(
    c: &Comparison,
    list: &[sinergi_analytics::SectorContribution<'_>],
    supplier: &str,
    recipient: &str,
    lang: Lang,
) -> Vec<ContributionView> {
    let (_, g) = c.growth_analysis();
    let (sname, rname) = (c.name(supplier), c.name(recipient));
    list.iter()
        .map(|x| {
            let mut modifiers = Vec::new();
            if let (Some(growth), Some(si), Some(ri)) =
                (g.growth.as_ref(), g.region_index(supplier), g.region_index(recipient))
            {
                if let Some(class) = growth.dlq_class[g.cell(si, x.sector_index)].into_value() {
                    modifiers.push(format!(
                        "{} {} {sname}: {}",
                        lang.pick("Dinamika sektor", "Dynamics of sector"),
                        x.sector,
                        dlq_label(class.code(), lang)
                    ));
                }
                if let Some(q) = growth.klassen[g.cell(ri, x.sector_index)].into_value() {
                    let advice = match q.code() {
                        "Q3" => lang.pick(
                            "peningkatan kapasitas dan investasi",
                            "capacity building and investment",
                        ),
                        "Q4" => lang.pick("pasokan dan perdagangan", "supply and trade"),
                        _ => lang.pick("kemitraan usaha", "business partnership"),
                    };
                    modifiers.push(format!(
                        "Klassen {} {rname}: {} ({}) → {advice}",
                        x.sector,
                        q.code(),
                        klassen_label(q.code(), lang)
                    ));
                }
            }
            let sentence = match lang {
                Lang::Id => x.sentence(&sname, &rname),
                Lang::En => format!(
                    "{sname}'s surplus in sector {} (LQ {}) meets {rname}'s shortfall (LQ {}): {} % of {sname}→{rname}.",
                    x.sector,
                    x.supplier_lq.get().map_or_else(|| "undefined".to_owned(), |v| format!("{v:.2}")),
                    x.recipient_lq.get().map_or_else(|| "undefined".to_owned(), |v| format!("{v:.2}")),
                    (x.fraction * 100.0).round()
                ),
            };
            ContributionView {
                sector: x.sector.to_owned(),
                name: sector_name(x.sector),
                reference_share: x.reference_share,
                supplier_lq: x.supplier_lq.get(),
                recipient_lq: x.recipient_lq.get(),
                spare_capacity: x.spare_capacity,
                need: x.need,
                contribution: x.contribution,
                fraction: x.fraction,
                sentence,
                modifiers,
            }
        })
        .collect()
}

/// Cooperation fields suggested by the contributions (sectors → fields, analytics.md §5).
#[must_use]
pub fn suggest_fields(both: &[&ContributionView], lang: Lang) -> Vec<FieldSuggestion> {
    let mut out: Vec<FieldSuggestion> = Vec::new();
    for x in both {
        for f in fields_of_sector(&x.sector) {
            let sentence = format!(
                "{} {} {}",
                x.sentence,
                lang.pick("→ bidang", "→ field"),
                field_name(f)
            );
            match out.iter_mut().find(|s| s.field == *f) {
                Some(s) => {
                    if !s.sectors.contains(&x.sector) {
                        s.sectors.push(x.sector.clone());
                    }
                    s.sentences.push(sentence);
                }
                None => out.push(FieldSuggestion {
                    field: (*f).to_owned(),
                    name: field_name(f),
                    sectors: vec![x.sector.clone()],
                    sentences: vec![sentence],
                }),
            }
        }
    }
    out
}

/// Both directions of a pair.
///
/// # Errors
/// An unknown region, two regions of different comparison sets, the same region twice;
/// database errors.
pub async fn pair(
    state: &AppState,
    a: &str,
    b: &str,
    choice: Option<DataChoice>,
    lang: Lang,
) -> Result<PairView, ApiError> {
    let ra = state.store.get_region(a).await?;
    let rb = state.store.get_region(b).await?;
    let la = daerah_level(&ra.region.level, a)?;
    let lb = daerah_level(&rb.region.level, b)?;
    let (a, b) = (ra.region.code.clone(), rb.region.code.clone());
    if la != lb || a == b {
        return Err(ApiError::BadPath {
            detail: lang
                .pick(
                    "kedua wilayah harus berbeda dan setingkat (provinsi dengan provinsi, kabupaten/kota dengan kabupaten/kota)",
                    "the two regions must differ and be of the same level (province with province, regency/city with regency/city)",
                )
                .to_owned(),
        });
    }
    let published_a = published_facts(state, &a, &ra.region.name, lang).await?;
    let published_b = published_facts(state, &b, &rb.region.name, lang).await?;
    let c = comparison(state, la, &[&a, &b], None, None, choice, lang).await?;
    let names = names(state).await?;
    let mut view = PairView {
        a: region_ref_from(&names, &a),
        b: region_ref_from(&names, &b),
        synthetic: false,
        data_label: data_label(false, lang),
        sources: Vec::new(),
        year: None,
        a_to_b: None,
        b_to_a: None,
        mutual: None,
        similarity: None,
        contributions_a_to_b: Vec::new(),
        contributions_b_to_a: Vec::new(),
        shared_base_sectors: Vec::new(),
        suggested_fields: Vec::new(),
        same_island: island_of(&a) == island_of(&b),
        unavailable: None,
        published_a,
        published_b,
    };
    let c = match c {
        Ok(c) => c,
        Err(u) => {
            view.unavailable = Some(u);
            let mut sources: Vec<String> = Vec::new();
            for f in view
                .published_a
                .figures
                .iter()
                .chain(&view.published_b.figures)
            {
                if !sources.contains(&f.source) {
                    sources.push(f.source.clone());
                }
            }
            view.sources = sources;
            return Ok(view);
        }
    };
    let d = pair_detail(&c.analysis, &a, &b).map_err(|_| ApiError::Internal)?;
    view.synthetic = c.synthetic;
    view.data_label = data_label(c.synthetic, lang);
    view.sources.clone_from(&c.sources);
    view.year = Some(c.selection.end);
    view.a_to_b = d.a_to_b.get();
    view.b_to_a = d.b_to_a.get();
    view.mutual = d.mutual.get();
    view.similarity = d.similarity.get();
    view.contributions_a_to_b = contribution_views(&c, &d.contributions_a_to_b, &a, &b, lang);
    view.contributions_b_to_a = contribution_views(&c, &d.contributions_b_to_a, &b, &a, lang);
    view.shared_base_sectors = d
        .shared_base_sectors
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let both: Vec<&ContributionView> = view
        .contributions_a_to_b
        .iter()
        .chain(&view.contributions_b_to_a)
        .collect();
    view.suggested_fields = suggest_fields(&both, lang);
    Ok(view)
}

// ---------------------------------------------------------------------------------------------
// A case's scope against the pair's analysis
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScopeField {
    /// The case's field label.
    pub label: String,
    pub code: Option<String>,
    /// `supported`, `not_supported`, `no_indicator` or `unavailable`.
    pub status: String,
    pub message: String,
    pub sentences: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScopeCheck {
    /// The pair analysed (the first two parties with regions).
    pub pair: Option<(RegionRef, RegionRef)>,
    pub synthetic: bool,
    pub data_label: String,
    pub year: Option<i32>,
    pub sources: Vec<String>,
    pub fields: Vec<ScopeField>,
    pub unavailable: Option<Unavailable>,
}

/// Checks a case's fields against the analysis of its (first) pair of parties.
///
/// # Errors
/// Database errors.
pub async fn scope_check(
    state: &AppState,
    case: &sinergi_domain::case::Case,
    lang: Lang,
) -> Result<ScopeCheck, ApiError> {
    let codes: Vec<String> = case
        .parties
        .iter()
        .filter_map(|p| p.region.as_ref().map(ToString::to_string))
        .collect();
    let mut out = ScopeCheck {
        pair: None,
        synthetic: false,
        data_label: data_label(false, lang),
        year: None,
        sources: Vec::new(),
        fields: Vec::new(),
        unavailable: None,
    };
    let view = if codes.len() >= 2 {
        match pair(state, &codes[0], &codes[1], None, lang).await {
            Ok(v) => Some(v),
            Err(ApiError::BadPath { detail }) => {
                out.unavailable = Some(Unavailable {
                    code: "potential.pair_not_comparable".to_owned(),
                    message: detail,
                });
                None
            }
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    if let Some(v) = &view {
        out.pair = Some((v.a.clone(), v.b.clone()));
        out.synthetic = v.synthetic;
        out.data_label.clone_from(&v.data_label);
        out.year = v.year;
        out.sources.clone_from(&v.sources);
        if out.unavailable.is_none() {
            out.unavailable.clone_from(&v.unavailable);
        }
    }
    for f in &case.fields {
        let code = f.code.clone();
        let (status, message, sentences) = match (code.as_deref(), &view) {
            (Some(c), _) if FIELDS_WITHOUT_INDICATOR.contains(&c) => (
                "no_indicator",
                lang.pick(
                    "Belum ada indikator: bidang ini tidak tercermin dalam PDRB dan memerlukan seri datanya sendiri.",
                    "No indicator yet: this field is not reflected in PDRB and needs its own data series.",
                )
                .to_owned(),
                Vec::new(),
            ),
            (None, _) => (
                "no_indicator",
                lang.pick(
                    "Bidang di luar katalog: belum ada indikator.",
                    "A field outside the catalogue: no indicator yet.",
                )
                .to_owned(),
                Vec::new(),
            ),
            (Some(_), None) => (
                "unavailable",
                out.unavailable.as_ref().map_or_else(
                    || lang.pick("Analisis pasangan tidak tersedia.", "No pair analysis available.").to_owned(),
                    |u| u.message.clone(),
                ),
                Vec::new(),
            ),
            (Some(_), Some(v)) if v.unavailable.is_some() => (
                "unavailable",
                v.unavailable.as_ref().map(|u| u.message.clone()).unwrap_or_default(),
                Vec::new(),
            ),
            (Some(c), Some(v)) => {
                match v.suggested_fields.iter().find(|s| s.field == c) {
                    Some(s) => (
                        "supported",
                        format!(
                            "{} {}: {}.",
                            f.label,
                            lang.pick("didukung oleh sektor", "is supported by sectors"),
                            s.sectors.join(", ")
                        ),
                        s.sentences.clone(),
                    ),
                    None => {
                        let sectors: Vec<&str> = ["A", "C", "G", "H", "I", "K", "P", "Q", "R,S,T,U"]
                            .into_iter()
                            .filter(|s| fields_of_sector(s).contains(&c))
                            .collect();
                        (
                            "not_supported",
                            format!(
                                "{} {} {}.",
                                f.label,
                                lang.pick(
                                    "belum didukung analisis: tidak ada surplus yang mengisi kekurangan pasangan pada sektor",
                                    "is not supported by the analysis: no surplus meets a shortfall of the partner in sectors",
                                ),
                                sectors.join(", ")
                            ),
                            Vec::new(),
                        )
                    }
                }
            }
        };
        out.fields.push(ScopeField {
            label: f.label.clone(),
            code,
            status: status.to_owned(),
            message,
            sentences,
        });
    }
    Ok(out)
}
