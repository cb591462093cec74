//! The case page's partial "what each side brings, field by field": each party's RPJMD/RKPD
//! programmes linked to the case's fields, with the fields' computed progress.

use crate::error::ApiError;
use crate::state::AppState;
use sinergi_domain::case::{Case, party_role};

/// One field of the synergy table.
pub struct SynergyRow {
    pub field: String,
    pub progress: String,
    pub activities: usize,
    /// Per party: what it brings (its programmes and its OPDs).
    pub sides: Vec<Vec<String>>,
}

/// "What each side brings", field by field (a partial of the case page).
pub struct Synergy {
    pub link: String,
    pub parties: Vec<String>,
    pub rows: Vec<SynergyRow>,
    pub any: bool,
}

pub(crate) fn pct(p: f64) -> String {
    format!("{p:.0}%")
}

/// Builds the synergy partial of a case.
///
/// # Errors
/// Database errors.
pub async fn synergy(state: &AppState, case: &Case) -> Result<Synergy, ApiError> {
    let links = state.store.list_programme_links(case.id).await?;
    let plan = state.store.work_plan(case.id).await?;
    let rows: Vec<SynergyRow> = case
        .fields
        .iter()
        .map(|f| {
            let fp = plan.fields.iter().find(|x| x.field == f.ordinal);
            SynergyRow {
                field: f.label.clone(),
                progress: fp
                    .filter(|x| x.activities > 0)
                    .map(|x| pct(x.percent))
                    .unwrap_or_default(),
                activities: fp.map_or(0, |x| x.activities),
                sides: case
                    .parties
                    .iter()
                    .map(|p| {
                        let mut v: Vec<String> = links
                            .iter()
                            .filter(|l| l.field == f.ordinal && l.party == p.ordinal)
                            .map(|l| format!("{} {} — {}", l.plan.to_uppercase(), l.code, l.name))
                            .collect();
                        let mut units: Vec<String> = plan
                            .activities
                            .iter()
                            .filter(|a| a.activity.field == f.ordinal)
                            .flat_map(|a| a.activity.responsible.iter())
                            .filter(|r| r.party == p.ordinal)
                            .map(|r| format!("OPD: {}", r.unit))
                            .collect();
                        units.sort();
                        units.dedup();
                        v.extend(units);
                        v
                    })
                    .collect(),
            }
        })
        .collect();
    let any = !links.is_empty() || !plan.activities.is_empty();
    Ok(Synergy {
        link: format!("/kerja-sama/{}/pemantauan", case.id),
        parties: case
            .parties
            .iter()
            .map(|p| format!("{} — {}", party_role(p.ordinal), p.name))
            .collect(),
        rows,
        any,
    })
}
