//! Kesepakatan Bersama, Perjanjian Kerja Sama and addenda of a case.

use crate::audit::{Change, append_audit};
use crate::history::{HistoryEntry, insert_history};
use crate::rows::AgreementRow;
use crate::{Store, StoreError, on_pool};
use sinergi_domain::DomainError;
use sinergi_domain::FieldError;
use sinergi_domain::access::Actor;
use sinergi_domain::agreement::{
    Agreement, AgreementAction, AgreementKind, AgreementPatch, AgreementTransitionRequest,
    Evidence, NewAgreementInput, StepContext, plan_agreement_step,
};
use sinergi_domain::ids::{AgreementId, CaseId};
use time::OffsetDateTime;

/// Updates an agreement if its version is still `expected`; a stale one is a conflict.
macro_rules! update_agreement {
    ($tx:expr, $a:expr, $expected:expr) => {{ async {
        let a: &sinergi_domain::agreement::Agreement = $a;
        let n = sqlx::query(
            "UPDATE agreements SET title = $1, fields = $2, status = $3, place = $4, signed_on = $5, starts_on = $6, ends_on = $7, \
             parties = $8, changes = $9, reason = $10, version = $11, updated_at = $12 WHERE id = $13 AND version = $14",
        )
        .bind(&a.title)
        .bind(sqlx::types::Json(&a.fields))
        .bind(a.status.as_str())
        .bind(a.place.as_deref())
        .bind(a.signed_on)
        .bind(a.starts_on)
        .bind(a.ends_on)
        .bind(sqlx::types::Json(&a.parties))
        .bind(a.changes.as_deref())
        .bind(a.reason.as_deref())
        .bind(a.version)
        .bind(a.updated_at)
        .bind(a.id.0)
        .bind($expected)
        .execute(&mut *$tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Err(sinergi_domain::DomainError::VersionConflict { expected: $expected, current: a.version }.into());
        }
        Ok::<(), $crate::StoreError>(())
    }.await
    }};
}
pub(crate) use update_agreement;

/// Inserts a new agreement inside the caller's transaction.
macro_rules! insert_agreement {
    ($tx:expr, $agreement:expr) => {{ async {
        let a: &sinergi_domain::agreement::Agreement = $agreement;
        sqlx::query(
            "INSERT INTO agreements (id, case_id, kind, parent_id, title, fields, status, place, signed_on, starts_on, ends_on, parties, \
             changes, reason, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(a.id.0).bind(a.case_id.0).bind(a.kind.as_str()).bind(a.parent.map(|x| x.0)).bind(&a.title)
        .bind(sqlx::types::Json(&a.fields)).bind(a.status.as_str()).bind(a.place.as_deref()).bind(a.signed_on)
        .bind(a.starts_on).bind(a.ends_on).bind(sqlx::types::Json(&a.parties)).bind(a.changes.as_deref()).bind(a.reason.as_deref())
        .bind(a.version).bind(a.created_at).bind(a.updated_at)
        .execute(&mut *$tx).await?;
        Ok::<(), $crate::StoreError>(())
    }.await
    }};
}
pub(crate) use insert_agreement;

pub(crate) const COLS: &str = "id, case_id, kind, parent_id, title, fields, status, place, signed_on, starts_on, ends_on, parties, changes, reason, \
                    version, created_at, updated_at";

/// Old → new values of what an edit changed (term edits must show both, domain.md §15 item 32).
fn changes(old: &Agreement, new: &Agreement) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    let mut diff = |key: &str, a: serde_json::Value, b: serde_json::Value| {
        if a != b {
            out.insert(key.to_owned(), serde_json::json!({ "from": a, "to": b }));
        }
    };
    diff("title", old.title.clone().into(), new.title.clone().into());
    diff(
        "place",
        serde_json::json!(old.place),
        serde_json::json!(new.place),
    );
    diff(
        "signed_on",
        serde_json::json!(old.signed_on),
        serde_json::json!(new.signed_on),
    );
    diff(
        "starts_on",
        serde_json::json!(old.starts_on),
        serde_json::json!(new.starts_on),
    );
    diff(
        "ends_on",
        serde_json::json!(old.ends_on),
        serde_json::json!(new.ends_on),
    );
    diff(
        "parties",
        serde_json::json!(old.parties),
        serde_json::json!(new.parties),
    );
    serde_json::Value::Object(out)
}

impl Store {
    /// Moves a PKS or an addendum along its own path, with a history row on the case.
    ///
    /// # Errors
    /// Version conflict; a closed case; a step not allowed now; a failed guard.
    /// `evidence_required` is false only for agreements recorded from their sources (legacy
    /// entry): a signing step then needs no evidence in Sinergi.
    pub async fn transition_agreement(
        &self,
        case_id: CaseId,
        id: AgreementId,
        req: &AgreementTransitionRequest,
        evidence_required: bool,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Agreement, StoreError> {
        let case = self.get_case(case_id).await?;
        if case.stage.is_final() {
            return Err(DomainError::CaseClosed(case.stage.as_str().to_owned()).into());
        }
        let all = self.list_agreements(case_id).await?;
        let current = all
            .iter()
            .find(|a| a.id == id)
            .cloned()
            .ok_or_else(|| DomainError::not_found("agreement", id))?;
        let parent_kind = current
            .parent
            .and_then(|p| all.iter().find(|a| a.id == p))
            .map(|p| p.kind);
        let regions: Vec<String> = case
            .parties
            .iter()
            .filter_map(|p| p.region.as_ref().map(ToString::to_string))
            .collect();
        let officials = self.officials_of_regions(&regions).await?;
        let today = crate::cases::today(now);
        let rules = self.rules_of_case(&case).await?;
        let text = if matches!(req.action, AgreementAction::Sign) {
            let kind = match current.kind {
                AgreementKind::Addendum => sinergi_documents::DocumentKind::Addendum,
                _ => sinergi_documents::DocumentKind::Pks,
            };
            self.final_text(crate::DocRef {
                case_id,
                kind,
                agreement: Some(id),
            })
            .await?
        } else {
            None
        };
        let next = {
            let lookup = |o| {
                officials
                    .iter()
                    .find(|x: &&sinergi_domain::official::Official| x.id == o)
                    .cloned()
            };
            let powers = self.powers_of_attorney(id).await?;
            let ctx = StepContext {
                powers: &powers,
                case: &case,
                parent_kind,
                officials: &lookup,
                rules: &rules,
                today,
                evidence: if evidence_required {
                    Evidence::Required(text.as_ref())
                } else {
                    Evidence::Recorded
                },
            };
            plan_agreement_step(&current, req, &ctx, now)?
        };
        let mut h = HistoryEntry::new(
            case_id,
            actor,
            &format!("{}_{}", current.kind.as_str(), req.action.name()),
            now,
        );
        h.from_stage = Some(current.status.as_str().to_owned());
        h.to_stage = Some(next.status.as_str().to_owned());
        h.note = req
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        h.details =
            serde_json::json!({ "agreement": id, "kind": current.kind, "action": req.action });
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            update_agreement!(tx, &next, req.expected_version)?;
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new(&format!("agreement.{}", req.action.name()), "agreement", id).case(case_id.0).before(&current).after(&next))?;
            tx.commit().await?;
        });
        Ok(next)
    }

    /// Creates a KB, PKS or addendum; returns it with any warnings (e.g. a PKS ending after
    /// its KB).
    ///
    /// # Errors
    /// A second KB, a PKS without an active KB or over the maximum term, field errors.
    pub async fn create_agreement(
        &self,
        case_id: CaseId,
        input: &NewAgreementInput,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(Agreement, Vec<FieldError>), StoreError> {
        let case = self.get_case(case_id).await?;
        let existing = self.list_agreements(case_id).await?;
        let rules = self.rules_of_case(&case).await?;
        let created = input.validate(AgreementId::new_v7(now), &case, &existing, &rules, now)?;
        let a = created.agreement;
        let mut h = HistoryEntry::new(case_id, actor, "create_agreement", now);
        h.details = serde_json::json!({ "agreement": a.id, "kind": a.kind, "parent": a.parent });
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            insert_agreement!(tx, &a)?;
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new("agreement.create", "agreement", a.id).case(case_id.0).after(&a))?;
            tx.commit().await?;
        });
        Ok((a, created.warnings))
    }

    /// The agreements of a case, oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn list_agreements(&self, case_id: CaseId) -> Result<Vec<Agreement>, StoreError> {
        let sql =
            format!("SELECT {COLS} FROM agreements WHERE case_id = $1 ORDER BY created_at, id");
        let rows: Vec<AgreementRow> = on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case_id.0).fetch_all(p).await?
        });
        rows.into_iter().map(Agreement::try_from).collect()
    }

    /// One agreement of a case.
    ///
    /// # Errors
    /// `agreement.not_found`; database errors.
    pub async fn get_agreement(
        &self,
        case_id: CaseId,
        id: AgreementId,
    ) -> Result<Agreement, StoreError> {
        self.list_agreements(case_id)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| DomainError::not_found("agreement", id).into())
    }

    /// Edits an unsigned agreement (numbers, signatories, place, dates).
    ///
    /// # Errors
    /// Version conflict; a signed document; domain refusals; database errors.
    pub async fn patch_agreement(
        &self,
        case_id: CaseId,
        id: AgreementId,
        patch: &AgreementPatch,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Agreement, StoreError> {
        let current = self.get_agreement(case_id, id).await?;
        let ids = patch.parties.iter().filter_map(|p| p.signatory).collect();
        let officials = self.officials_by_id(ids).await?;
        let rules = self.rules_of_case(&self.get_case(case_id).await?).await?;
        let next = patch.apply(
            &current,
            |o| officials.get(&o).cloned(),
            &rules,
            crate::cases::today(now),
            now,
        )?;
        // A surat kuasa named for a party's signatory must be one recorded for this document.
        let named: Vec<_> = patch
            .parties
            .iter()
            .filter(|p| {
                p.power_of_attorney
                    .as_deref()
                    .is_some_and(|k| !k.trim().is_empty())
            })
            .collect();
        if !named.is_empty() {
            let powers = self.powers_of_attorney(id).await?;
            for pp in named {
                if let Some(party) = next.parties.iter().find(|p| p.ordinal == pp.ordinal)
                    && let (Some(region), Some(k)) = (&party.region, &party.power_of_attorney)
                {
                    sinergi_domain::power_of_attorney::find(
                        &powers,
                        id,
                        region,
                        k,
                        party.signatory,
                        crate::cases::today(now),
                    )?;
                }
            }
        }
        let mut h = HistoryEntry::new(case_id, actor, "update_agreement", now);
        h.details = serde_json::json!({
            "agreement": id, "kind": next.kind, "version": next.version, "changes": changes(&current, &next)
        });
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            update_agreement!(tx, &next, patch.expected_version)?;
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new("agreement.update", "agreement", id).case(case_id.0).before(&current).after(&next))?;
            tx.commit().await?;
        });
        Ok(next)
    }
}
