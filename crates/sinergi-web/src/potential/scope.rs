//! A case's scope against its pair: each cooperation field of the case supported by the pair's
//! analysis, not supported, without an indicator, or unavailable with the reason.

use super::labels::data_label;
use super::{RegionRef, Unavailable, pair};
use crate::error::ApiError;
use crate::state::AppState;
use serde::Serialize;
use sinergi_domain::Lang;

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
            (Some(c), _) if sinergi_reference::fields_without_indicator().contains(&c) => (
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
                        let sectors = sinergi_reference::sectors_of_field(c);
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
