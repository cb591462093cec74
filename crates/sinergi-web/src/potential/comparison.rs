//! The comparison a screen shows: the observations loaded (through the cache) in the order
//! `sinergi_analytics::comparison` asks for them, its choice of data set and price basis,
//! and why there is no comparison when the data gives none.

use super::cache::observations;
use super::{DataChoice, Names, RegionRef, Unavailable};
use crate::error::ApiError;
use crate::state::AppState;
use sinergi_analytics::{
    Analysis, CompareError, Compared, DataSet, PriceBasis, STRUCTURE_BASIS, SelectError, Selection,
    compare_structure, first_data_set, next_data_set,
};
use sinergi_domain::Lang;
use sinergi_store::PanelLevel;

/// A comparison set, analysed.
pub struct Comparison {
    /// The data set read (never a mix).
    pub data: DataSet,
    pub level: PanelLevel,
    /// The selection and its analyses (structure on ADHB; growth on ADHK when complete).
    pub compared: Compared,
    pub sources: Vec<String>,
    pub names: Names,
}

impl Comparison {
    #[must_use]
    pub fn synthetic(&self) -> bool {
        self.data.is_synthetic()
    }

    #[must_use]
    pub fn selection(&self) -> &Selection {
        &self.compared.selection
    }

    /// The structure analysis (ADHB).
    #[must_use]
    pub fn analysis(&self) -> &Analysis {
        &self.compared.analysis
    }

    /// `adhk` or `adhb`.
    #[must_use]
    pub fn growth_basis(&self) -> &'static str {
        self.compared.growth_basis().as_str()
    }

    /// The analysis whose growth measures are shown.
    #[must_use]
    pub fn growth_analysis(&self) -> (&Selection, &Analysis) {
        self.compared.growth_analysis()
    }

    #[must_use]
    pub fn region_ref(&self, code: &str) -> RegionRef {
        RegionRef::named(&self.names, code)
    }

    #[must_use]
    pub fn name(&self, code: &str) -> String {
        self.names
            .get(code)
            .map_or_else(|| code.to_owned(), |(n, _)| n.clone())
    }
}

/// Why the data gives no comparison, in the reader's language.
fn unavailable(e: &SelectError, names: &Names, lang: Lang) -> Unavailable {
    let name = |c: &str| {
        names
            .get(c)
            .map_or_else(|| c.to_owned(), |(n, _)| n.clone())
    };
    let (code, id, en) = match e {
        SelectError::NoData => (
            "potential.no_data",
            "Belum ada data PDRB menurut lapangan usaha untuk tingkat wilayah ini. Administrator Sinergi dapat mengimpor tabel PDRB terbitan BPS; untuk demonstrasi, data sintetis dapat dimuat.".to_owned(),
            "There is no PDRB-by-category data for this level yet. The Sinergi administrator can import BPS's published PDRB tables; for a demonstration, synthetic data can be loaded.".to_owned(),
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

/// Names and levels of the daerah (levels from the code's shape).
pub(super) async fn names(state: &AppState) -> Result<Names, ApiError> {
    Ok(state
        .daerah()
        .await?
        .iter()
        .map(|(code, name)| {
            let level = sinergi_reference::level_of_code(code).map_or("", |l| l.as_str());
            (code.clone(), (name.clone(), level.to_owned()))
        })
        .collect())
}

/// The comparison on one data set: structure from its ADHB observations, growth from its ADHK
/// ones when the analytics asks for them and they are complete.
async fn try_comparison(
    state: &AppState,
    level: PanelLevel,
    data: DataSet,
    focus: &[&str],
    start: Option<i32>,
    end: Option<i32>,
    names: &Names,
) -> Result<Result<Comparison, SelectError>, ApiError> {
    let sectors = sinergi_reference::sector_codes();
    let loaded = observations(state, level, STRUCTURE_BASIS, data).await?;
    let mut batches = loaded.1.clone();
    let mut compared = match compare_structure(&loaded.0, &sectors, focus, start, end) {
        Ok(c) => c,
        Err(CompareError::Select(e)) => return Ok(Err(e)),
        Err(CompareError::Analysis(e)) => {
            tracing::error!(error = %e, "analysis of a selected panel failed");
            return Err(ApiError::Internal);
        }
    };
    if compared.wants_constant_prices() {
        let adhk = observations(state, level, PriceBasis::Adhk, data).await?;
        compared = compared.with_constant_price_growth(&adhk.0, &sectors);
        if compared.growth.is_some() {
            for b in &adhk.1 {
                if !batches.contains(b) {
                    batches.push(*b);
                }
            }
        }
    }
    let sources = state.store.batch_sources(&batches).await?;
    Ok(Ok(Comparison {
        data,
        level,
        compared,
        sources,
        names: names.clone(),
    }))
}

/// The comparison for the given regions, on the data set `sinergi_analytics` chooses (real
/// first, synthetic when real data does not suffice, or as asked); when none gives one, why
/// the first did not.
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
    let choice = choice.map(DataChoice::data_set);
    let mut data = first_data_set(choice);
    let mut first_error: Option<SelectError> = None;
    loop {
        match try_comparison(state, level, data, focus, start, end, &names).await? {
            Ok(c) => return Ok(Ok(c)),
            Err(e) => {
                let next = next_data_set(choice, data, &e);
                let reported = first_error.get_or_insert(e);
                match next {
                    Some(n) => data = n,
                    None => return Ok(Err(unavailable(reported, &names, lang))),
                }
            }
        }
    }
}
