//! `/wilayah/{a}/mitra/{b}`: both directions of a pair, the sectors behind each, and the
//! cooperation fields they suggest (`sinergi_reference::fields_of_sector`).

use super::comparison::names;
use super::labels::{data_label, dlq_label, klassen_label};
use super::published::{PublishedFacts, published_facts};
use super::{
    Comparison, DataChoice, RegionRef, Unavailable, comparison, daerah_level, field_name,
    island_code, sector_name,
};
use crate::error::ApiError;
use crate::state::AppState;
use serde::Serialize;
use sinergi_analytics::pair_detail;
use sinergi_domain::Lang;

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
        for f in sinergi_reference::fields_of_sector(&x.sector) {
            let sentence = format!(
                "{} {} {}",
                x.sentence,
                lang.pick("→ bidang", "→ field"),
                field_name(f)
            );
            match out.iter_mut().find(|s| s.field == f) {
                Some(s) => {
                    if !s.sectors.contains(&x.sector) {
                        s.sectors.push(x.sector.clone());
                    }
                    s.sentences.push(sentence);
                }
                None => out.push(FieldSuggestion {
                    field: f.to_owned(),
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
        a: RegionRef::named(&names, &a),
        b: RegionRef::named(&names, &b),
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
        same_island: island_code(&a) == island_code(&b),
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
    let d = pair_detail(c.analysis(), &a, &b).map_err(|_| ApiError::Internal)?;
    view.synthetic = c.synthetic();
    view.data_label = data_label(c.synthetic(), lang);
    view.sources.clone_from(&c.sources);
    view.year = Some(c.selection().end);
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
