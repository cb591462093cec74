//! "Menunggu tindakan Anda": what awaits the caller on its own government's open cases — the
//! steps of the path it may take now (an offer to answer, a review to record, a DPRD
//! decision, …) and the agreement texts that wait for signatures. The dashboard lists them;
//! the rules are the domain's (`authority::available_steps`).

use crate::{App, AppError, Caller};
use sinergi_domain::access::{Perm, Relation};
use sinergi_domain::agreement::{AgreementKind, AgreementStatus};
use sinergi_domain::authority;
use sinergi_domain::case::Stage;
use sinergi_domain::ids::{AgreementId, CaseId};
use sinergi_store::{CaseFilter, CaseSort, Visibility};

/// Steps that are always open and never "await" anyone: they are on the case page.
const NOT_AWAITED: [&str; 3] = ["cancel", "end", "withdraw_proposal"];

/// How many of the caller's open cases are looked at (the most recently changed first).
const CASES_LOOKED_AT: i64 = 50;

/// One thing that awaits the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Awaited {
    /// A step of the path (`workflow` action name).
    Step(&'static str),
    /// An agreement text that is final and waits for the signatures.
    Sign {
        agreement: AgreementId,
        kind: AgreementKind,
    },
}

/// What awaits the caller on one case.
#[derive(Debug, Clone)]
pub struct AwaitingCase {
    pub case_id: CaseId,
    pub title: String,
    pub stage: Stage,
    pub items: Vec<Awaited>,
}

impl App {
    /// What awaits the caller on its own government's open cases, most recently changed
    /// first. Visitors and the national accounts have no own cases: an empty list.
    ///
    /// # Errors
    /// Database errors.
    pub async fn awaiting(&self, who: &Caller) -> Result<Vec<AwaitingCase>, AppError> {
        let p = &who.principal;
        let Some(region) = p.region.clone() else {
            return Ok(Vec::new());
        };
        let page = self
            .store
            .list_cases(&CaseFilter {
                region: Some(region.clone()),
                visibility: Visibility::Party(region),
                sort: CaseSort::UpdatedDesc,
                limit: CASES_LOOKED_AT,
                ..CaseFilter::default()
            })
            .await?;
        let may_sign = p.may(Perm::AgreementSign, Relation::Own, false);
        let mut out = Vec::new();
        for summary in page.items.into_iter().filter(|c| !c.stage.is_final()) {
            let case = self.store.get_case(summary.id).await?;
            if authority::own_party(p, &case).is_none() {
                continue;
            }
            let unit = self
                .store
                .case_access(case.id)
                .await?
                .unwrap_or_default()
                .involves_unit(p);
            let mut items: Vec<Awaited> = authority::available_steps(p, &case, unit)
                .into_iter()
                .filter(|s| !NOT_AWAITED.contains(s))
                .map(Awaited::Step)
                .collect();
            if may_sign {
                items.extend(
                    self.store
                        .list_agreements(case.id)
                        .await?
                        .into_iter()
                        .filter(|a| {
                            matches!(
                                a.status,
                                AgreementStatus::Final | AgreementStatus::MenungguTtd
                            )
                        })
                        .map(|a| Awaited::Sign {
                            agreement: a.id,
                            kind: a.kind,
                        }),
                );
            }
            if !items.is_empty() {
                out.push(AwaitingCase {
                    case_id: case.id,
                    title: case.title.clone(),
                    stage: case.stage,
                    items,
                });
            }
        }
        Ok(out)
    }
}
