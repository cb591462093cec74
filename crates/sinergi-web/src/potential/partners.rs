//! `/wilayah/{code}/cari-mitra`: every other region of the comparison set ranked by mutual
//! or one-way complementarity, filtered by level and island group.

use super::labels::data_label;
use super::{DataChoice, ISLANDS, RegionRef, Unavailable, comparison, daerah_level};
use crate::error::ApiError;
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use sinergi_analytics::partner_ranking_by;
use sinergi_domain::Lang;

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
    let region_ref = RegionRef::new(
        &code,
        region.region.name.clone(),
        region.region.level.clone(),
    );
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
    let ranking = partner_ranking_by(c.analysis(), &code, by).map_err(|_| ApiError::Internal)?;
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
        synthetic: c.synthetic(),
        data_label: data_label(c.synthetic(), lang),
        sources: c.sources.clone(),
        year: Some(c.selection().end),
        by: by_text,
        items,
        total,
        unavailable: None,
    })
}
