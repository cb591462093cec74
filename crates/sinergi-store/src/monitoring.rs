//! Work plans, realisation with evidence, programme synergy and the M&E forms of a case.
//! Every change writes a history row on the case in the same transaction.

use crate::audit::{Change, append_audit};
use crate::documents::DocumentContext;
use crate::history::{HistoryEntry, insert_history};
use crate::jobs::utc;
use crate::{Store, StoreError, on_pool};
use serde::Serialize;
use sinergi_domain::DomainError;
use sinergi_domain::access::Actor;
use sinergi_domain::ids::{AgreementId, CaseId};
use sinergi_domain::monitoring::{
    Activity, Answer, BudgetLine, Evaluation, EvaluationForm, EvaluationInput,
    EvaluationRecommendation, EvaluationStatus, EvaluationStep, Evidence, Indicator,
    IndicatorProgress, NewActivityInput, NewProgrammeLinkInput, NewRealisationInput, ProgrammeLink,
    Realisation, Responsible, indicator_progress, mean_percent, plan_evaluation_step,
};
use sqlx::types::Json;
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct ActivityRow {
    id: Uuid,
    case_id: Uuid,
    agreement_id: Uuid,
    field_ordinal: i32,
    title: String,
    description: Option<String>,
    responsible: Json<Vec<Responsible>>,
    starts_on: Option<Date>,
    ends_on: Option<Date>,
    budget: Json<Vec<BudgetLine>>,
    version: i64,
    created_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct IndicatorRow {
    id: Uuid,
    activity_id: Uuid,
    ordinal: i32,
    name: String,
    unit: String,
    target: f64,
}

#[derive(sqlx::FromRow)]
struct RealisationRow {
    id: Uuid,
    activity_id: Uuid,
    indicator_id: Uuid,
    value: f64,
    realised_on: Date,
    note: Option<String>,
    actor: String,
}

#[derive(sqlx::FromRow)]
struct EvidenceRow {
    id: Uuid,
    realisation_id: Uuid,
    file_name: String,
    media_type: String,
    size_bytes: i64,
    sha256: String,
}

#[derive(sqlx::FromRow)]
struct EvaluationRow {
    id: Uuid,
    case_id: Uuid,
    agreement_id: Option<Uuid>,
    period: String,
    form: String,
    party_ordinal: Option<i64>,
    answers: Json<BTreeMap<String, Answer>>,
    rating: Option<i32>,
    recommendation: Option<String>,
    status: String,
    author: String,
    reviewed_by: Option<String>,
    version: i64,
}

impl TryFrom<EvaluationRow> for Evaluation {
    type Error = StoreError;
    fn try_from(r: EvaluationRow) -> Result<Self, StoreError> {
        Ok(Evaluation {
            id: r.id,
            case_id: CaseId(r.case_id),
            agreement_id: r.agreement_id.map(AgreementId),
            period: r.period,
            form: EvaluationForm::parse(&r.form)
                .ok_or_else(|| crate::rows::corrupt("evaluation form", &r.form))?,
            party: r.party_ordinal.and_then(|o| u16::try_from(o).ok()),
            answers: r.answers.0,
            rating: r.rating.and_then(|x| u8::try_from(x).ok()),
            recommendation: r
                .recommendation
                .as_deref()
                .map(|x| {
                    EvaluationRecommendation::parse(x)
                        .ok_or_else(|| crate::rows::corrupt("recommendation", x))
                })
                .transpose()?,
            status: EvaluationStatus::parse(&r.status)
                .ok_or_else(|| crate::rows::corrupt("evaluation status", &r.status))?,
            author: r.author,
            reviewed_by: r.reviewed_by,
            version: r.version,
        })
    }
}

/// An activity with its computed progress. As JSON: the activity's fields with
/// `indicators` holding each indicator with its progress (one key, never two).
#[derive(Debug, Clone, utoipa::ToSchema)]
pub struct ActivityProgress {
    #[serde(flatten)]
    pub activity: Activity,
    pub indicators: Vec<IndicatorProgress>,
    /// Mean of the indicators' percentages (0–100).
    pub percent: f64,
    pub realisations: Vec<Realisation>,
}

impl Serialize for ActivityProgress {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeMap as _};
        let activity = serde_json::to_value(&self.activity).map_err(S::Error::custom)?;
        let mut map = serializer.serialize_map(None)?;
        if let serde_json::Value::Object(fields) = activity {
            for (k, v) in fields.iter().filter(|(k, _)| k.as_str() != "indicators") {
                map.serialize_entry(k, v)?;
            }
        }
        map.serialize_entry("indicators", &self.indicators)?;
        map.serialize_entry("percent", &self.percent)?;
        map.serialize_entry("realisations", &self.realisations)?;
        map.end()
    }
}

/// Progress of one field of the case.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldProgress {
    pub field: u16,
    pub label: String,
    pub activities: usize,
    pub percent: f64,
}

/// The whole work plan of a case, with progress computed from the indicators.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkPlan {
    pub activities: Vec<ActivityProgress>,
    pub fields: Vec<FieldProgress>,
    pub percent: f64,
}

const EVAL_COLS: &str = "id, case_id, agreement_id, period, form, party_ordinal, answers, rating, recommendation, status, author, reviewed_by, version";

/// The subject of a form, per party: one form of each kind per subject, period and party.
fn subject_key(case: CaseId, agreement: Option<AgreementId>, party: Option<u16>) -> String {
    let subject = agreement.map_or_else(|| format!("case:{case}"), |a| format!("agreement:{a}"));
    match party {
        Some(p) => format!("{subject}#{p}"),
        None => subject,
    }
}

impl Store {
    /// Adds an activity to the work plan.
    ///
    /// # Errors
    /// Domain refusals (case not active, unknown field, missing indicators…); database errors.
    pub async fn add_activity(
        &self,
        case_id: CaseId,
        input: &NewActivityInput,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Activity, StoreError> {
        let case = self.get_case(case_id).await?;
        let agreements = self.list_agreements(case_id).await?;
        let mut a = input.validate(&case, &agreements, utc(now))?;
        for (i, r) in a.responsible.iter_mut().enumerate() {
            if let Some(region) = case
                .parties
                .iter()
                .find(|p| p.ordinal == r.party)
                .and_then(|p| p.region.as_ref())
            {
                r.unit = self
                    .canonical_unit(region.as_str(), &format!("responsible[{i}].unit"), &r.unit)
                    .await?;
            }
        }
        let mut h = HistoryEntry::new(case_id, actor, "add_activity", now);
        h.details = serde_json::json!({ "activity": a.id, "field": a.field, "agreement": a.agreement_id, "title": a.title });
        let units: Vec<(String, String)> = a
            .responsible
            .iter()
            .filter_map(|r| {
                let region = case
                    .parties
                    .iter()
                    .find(|p| p.ordinal == r.party)?
                    .region
                    .clone()?;
                Some((region.to_string(), r.unit.clone()))
            })
            .collect();
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO work_activities (id, case_id, agreement_id, field_ordinal, title, description, responsible, starts_on, ends_on, budget, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
            )
            .bind(a.id).bind(case_id.0).bind(a.agreement_id.0).bind(i32::from(a.field)).bind(&a.title).bind(a.description.as_deref())
            .bind(Json(&a.responsible)).bind(a.starts_on).bind(a.ends_on).bind(Json(&a.budget)).bind(a.version).bind(a.created_at)
            .execute(&mut *tx).await?;
            for i in &a.indicators {
                sqlx::query("INSERT INTO activity_indicators (id, activity_id, ordinal, name, unit, target) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(i.id).bind(a.id).bind(i32::from(i.ordinal)).bind(&i.name).bind(&i.unit).bind(i.target)
                    .execute(&mut *tx).await?;
            }
            for (region, unit) in &units {
                sqlx::query("INSERT INTO case_units (case_id, region_code, unit) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(case_id.0).bind(region).bind(unit).execute(&mut *tx).await?;
            }
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new(&format!("monitoring.{}", h.action), "case", case_id).case(case_id.0).after(&h.details))?;
            tx.commit().await?;
        });
        Ok(a)
    }

    /// The activities of a case with their indicators, by field.
    ///
    /// # Errors
    /// Database errors.
    pub async fn list_activities(&self, case_id: CaseId) -> Result<Vec<Activity>, StoreError> {
        let (rows, inds): (Vec<ActivityRow>, Vec<IndicatorRow>) = on_pool!(&self.db, p => {
            let rows = sqlx::query_as(
                "SELECT id, case_id, agreement_id, field_ordinal, title, description, responsible, starts_on, ends_on, budget, version, created_at \
                 FROM work_activities WHERE case_id = $1 ORDER BY field_ordinal, created_at, id",
            ).bind(case_id.0).fetch_all(p).await?;
            let inds = sqlx::query_as(
                "SELECT i.id, i.activity_id, i.ordinal, i.name, i.unit, i.target FROM activity_indicators i \
                 JOIN work_activities a ON a.id = i.activity_id WHERE a.case_id = $1 ORDER BY i.activity_id, i.ordinal",
            ).bind(case_id.0).fetch_all(p).await?;
            (rows, inds)
        });
        Ok(rows
            .into_iter()
            .map(|r| Activity {
                indicators: inds
                    .iter()
                    .filter(|i| i.activity_id == r.id)
                    .map(|i| Indicator {
                        id: i.id,
                        ordinal: crate::rows::ordinal(i.ordinal),
                        name: i.name.clone(),
                        unit: i.unit.clone(),
                        target: i.target,
                    })
                    .collect(),
                id: r.id,
                case_id: CaseId(r.case_id),
                agreement_id: AgreementId(r.agreement_id),
                field: crate::rows::ordinal(r.field_ordinal),
                title: r.title,
                description: r.description,
                responsible: r.responsible.0,
                starts_on: r.starts_on,
                ends_on: r.ends_on,
                budget: r.budget.0,
                version: r.version,
                created_at: r.created_at,
            })
            .collect())
    }

    /// The realisation entries of a case with their evidence, oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn list_realisations(&self, case_id: CaseId) -> Result<Vec<Realisation>, StoreError> {
        let (rows, ev): (Vec<RealisationRow>, Vec<EvidenceRow>) = on_pool!(&self.db, p => {
            let rows = sqlx::query_as(
                "SELECT r.id, r.activity_id, r.indicator_id, r.value, r.realised_on, r.note, r.actor FROM realisations r \
                 JOIN work_activities a ON a.id = r.activity_id WHERE a.case_id = $1 ORDER BY r.realised_on, r.id",
            ).bind(case_id.0).fetch_all(p).await?;
            let ev = sqlx::query_as(
                "SELECT e.id, e.realisation_id, e.file_name, e.media_type, e.size_bytes, e.sha256 FROM evidence_files e \
                 JOIN realisations r ON r.id = e.realisation_id JOIN work_activities a ON a.id = r.activity_id \
                 WHERE a.case_id = $1 ORDER BY e.created_at, e.id",
            ).bind(case_id.0).fetch_all(p).await?;
            (rows, ev)
        });
        Ok(rows
            .into_iter()
            .map(|r| Realisation {
                evidence: ev
                    .iter()
                    .filter(|e| e.realisation_id == r.id)
                    .map(|e| Evidence {
                        id: e.id,
                        file_name: e.file_name.clone(),
                        media_type: e.media_type.clone(),
                        size_bytes: e.size_bytes,
                        sha256: e.sha256.clone(),
                    })
                    .collect(),
                id: r.id,
                activity_id: r.activity_id,
                indicator_id: r.indicator_id,
                value: r.value,
                realised_on: r.realised_on,
                note: r.note,
                actor: r.actor,
            })
            .collect())
    }

    /// The work plan of a case with progress computed from its indicators.
    ///
    /// # Errors
    /// Database errors.
    pub async fn work_plan(&self, case_id: CaseId) -> Result<WorkPlan, StoreError> {
        let case = self.get_case(case_id).await?;
        let activities = self.list_activities(case_id).await?;
        let realisations = self.list_realisations(case_id).await?;
        let activities: Vec<ActivityProgress> = activities
            .into_iter()
            .map(|a| {
                let mine: Vec<Realisation> = realisations
                    .iter()
                    .filter(|r| r.activity_id == a.id)
                    .cloned()
                    .collect();
                let indicators = indicator_progress(&a, &mine);
                let percent = mean_percent(indicators.iter().map(|i| i.percent));
                ActivityProgress {
                    activity: a,
                    indicators,
                    percent,
                    realisations: mine,
                }
            })
            .collect();
        let fields = case
            .fields
            .iter()
            .map(|f| {
                let of: Vec<&ActivityProgress> = activities
                    .iter()
                    .filter(|a| a.activity.field == f.ordinal)
                    .collect();
                FieldProgress {
                    field: f.ordinal,
                    label: f.label.clone(),
                    activities: of.len(),
                    percent: mean_percent(of.iter().map(|a| a.percent)),
                }
            })
            .collect();
        let percent = mean_percent(activities.iter().map(|a| a.percent));
        Ok(WorkPlan {
            activities,
            fields,
            percent,
        })
    }

    /// Records a realisation entry of an activity's indicator.
    ///
    /// # Errors
    /// Unknown activity or indicator; field errors; database errors.
    pub async fn add_realisation(
        &self,
        case_id: CaseId,
        activity_id: Uuid,
        input: &NewRealisationInput,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Realisation, StoreError> {
        let case = self.get_case(case_id).await?;
        if case.stage.is_final() {
            return Err(DomainError::CaseClosed(case.stage.as_str().to_owned()).into());
        }
        let activity = self
            .list_activities(case_id)
            .await?
            .into_iter()
            .find(|a| a.id == activity_id)
            .ok_or_else(|| DomainError::not_found("activity", activity_id))?;
        let r = input.validate(&activity, &actor.label, crate::cases::today(now), utc(now))?;
        let mut h = HistoryEntry::new(case_id, actor, "add_realisation", now);
        h.details = serde_json::json!({ "activity": activity_id, "indicator": r.indicator_id, "value": r.value, "realised_on": r.realised_on });
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO realisations (id, activity_id, indicator_id, value, realised_on, note, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(r.id).bind(activity_id).bind(r.indicator_id).bind(r.value).bind(r.realised_on).bind(r.note.as_deref()).bind(&actor.label).bind(utc(now))
            .execute(&mut *tx).await?;
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new(&format!("monitoring.{}", h.action), "case", case_id).case(case_id.0).after(&h.details))?;
            tx.commit().await?;
        });
        Ok(r)
    }

    /// Attaches an evidence file to a realisation entry: the bytes, checked by content (PDF,
    /// DOCX, PNG or JPEG within the upload limit), go to the file store, the metadata and
    /// SHA-256 to the database. The media type is the one the content shows, not the one the
    /// client claimed.
    ///
    /// # Errors
    /// Unknown realisation; an empty, oversized, damaged or disallowed file; an empty name;
    /// I/O or database errors.
    #[expect(clippy::too_many_arguments, reason = "one upload's parts")]
    pub async fn add_evidence(
        &self,
        ctx: &DocumentContext<'_>,
        case_id: CaseId,
        realisation_id: Uuid,
        file_name: &str,
        bytes: &[u8],
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Evidence, StoreError> {
        if !self
            .list_realisations(case_id)
            .await?
            .iter()
            .any(|r| r.id == realisation_id)
        {
            return Err(DomainError::not_found("realisation", realisation_id).into());
        }
        let up = ctx
            .store_upload("name", ("bukti", "evidence"), file_name, bytes)
            .await?;
        let e = Evidence {
            id: sinergi_domain::ids::new_id(now),
            file_name: up.file_name,
            media_type: up.media_type,
            size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            sha256: up.sha256,
        };
        let mut h = HistoryEntry::new(case_id, actor, "add_evidence", now);
        h.details = serde_json::json!({ "realisation": realisation_id, "file": e.file_name, "sha256": e.sha256 });
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO evidence_files (id, realisation_id, file_name, media_type, size_bytes, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(e.id).bind(realisation_id).bind(&e.file_name).bind(&e.media_type).bind(e.size_bytes).bind(&e.sha256).bind(utc(now))
            .execute(&mut *tx).await?;
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new(&format!("monitoring.{}", h.action), "case", case_id).case(case_id.0).after(&h.details))?;
            tx.commit().await?;
        });
        Ok(e)
    }

    /// Links a party's RPJMD/RKPD programme to a field.
    ///
    /// # Errors
    /// Field errors; the same programme linked twice (conflict); database errors.
    pub async fn add_programme_link(
        &self,
        case_id: CaseId,
        input: &NewProgrammeLinkInput,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<ProgrammeLink, StoreError> {
        let case = self.get_case(case_id).await?;
        let l = input.validate(&case, utc(now))?;
        let mut h = HistoryEntry::new(case_id, actor, "add_programme", now);
        h.details = serde_json::json!({ "party": l.party, "field": l.field, "plan": l.plan, "code": l.code, "name": l.name });
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO programme_links (id, case_id, party_ordinal, field_ordinal, plan, code, name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(l.id).bind(case_id.0).bind(i32::from(l.party)).bind(i32::from(l.field)).bind(&l.plan).bind(&l.code).bind(&l.name).bind(utc(now))
            .execute(&mut *tx).await?;
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new(&format!("monitoring.{}", h.action), "case", case_id).case(case_id.0).after(&h.details))?;
            tx.commit().await?;
        });
        Ok(l)
    }

    /// The programme links of a case, by field and party.
    ///
    /// # Errors
    /// Database errors.
    pub async fn list_programme_links(
        &self,
        case_id: CaseId,
    ) -> Result<Vec<ProgrammeLink>, StoreError> {
        let rows: Vec<(Uuid, i32, i32, String, String, String)> = on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT id, party_ordinal, field_ordinal, plan, code, name FROM programme_links WHERE case_id = $1 ORDER BY field_ordinal, party_ordinal, plan, code",
            ).bind(case_id.0).fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, party, field, plan, code, name)| ProgrammeLink {
                id,
                party: crate::rows::ordinal(party),
                field: crate::rows::ordinal(field),
                plan,
                code,
                name,
            })
            .collect())
    }

    /// The M&E forms of a case.
    ///
    /// # Errors
    /// Database errors.
    pub async fn list_evaluations(&self, case_id: CaseId) -> Result<Vec<Evaluation>, StoreError> {
        let sql = format!(
            "SELECT {EVAL_COLS} FROM evaluations WHERE case_id = $1 ORDER BY period, subject_key, form"
        );
        let rows: Vec<EvaluationRow> = on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case_id.0).fetch_all(p).await?
        });
        rows.into_iter().map(Evaluation::try_from).collect()
    }

    /// Every M&E form of the given periods across cases (for reports).
    ///
    /// # Errors
    /// Database errors.
    pub async fn all_evaluations(&self) -> Result<Vec<Evaluation>, StoreError> {
        let sql = format!(
            "SELECT {EVAL_COLS} FROM evaluations ORDER BY period, case_id, subject_key, form"
        );
        let rows: Vec<EvaluationRow> = on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?
        });
        rows.into_iter().map(Evaluation::try_from).collect()
    }

    /// Saves a draft form: new, or replacing the content of the draft of the same
    /// (subject, period, form).
    ///
    /// # Errors
    /// A submitted form; field errors; database errors.
    pub async fn save_evaluation(
        &self,
        case_id: CaseId,
        input: &EvaluationInput,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Evaluation, StoreError> {
        let case = self.get_case(case_id).await?;
        let agreements = self.list_agreements(case_id).await?;
        let key = subject_key(case_id, input.agreement, input.party);
        let existing = self.list_evaluations(case_id).await?.into_iter().find(|e| {
            subject_key(case_id, e.agreement_id, e.party) == key
                && e.period == input.period
                && e.form == input.form
        });
        let e = input.validate(
            &case,
            &agreements,
            &actor.label,
            existing.as_ref(),
            utc(now),
        )?;
        let mut h = HistoryEntry::new(case_id, actor, "save_evaluation", now);
        h.details = serde_json::json!({ "evaluation": e.id, "period": e.period, "form": e.form, "version": e.version });
        let rating = e.rating.map(i32::from);
        let rec = e.recommendation.map(EvaluationRecommendation::as_str);
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            match &existing {
                None => {
                    sqlx::query(
                        "INSERT INTO evaluations (id, case_id, agreement_id, subject_key, period, form, answers, rating, recommendation, status, author, reviewed_by, version, created_at, updated_at, party_ordinal) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, NULL, $11, $12, $12, $13)",
                    )
                    .bind(e.id).bind(case_id.0).bind(e.agreement_id.map(|a| a.0)).bind(&key).bind(&e.period).bind(e.form.as_str())
                    .bind(Json(&e.answers)).bind(rating).bind(rec).bind(&actor.label).bind(e.version).bind(utc(now)).bind(e.party.map(i64::from))
                    .execute(&mut *tx).await?;
                }
                Some(old) => {
                    let n = sqlx::query(
                        "UPDATE evaluations SET answers = $1, rating = $2, recommendation = $3, author = $4, version = $5, updated_at = $6 \
                         WHERE id = $7 AND version = $8 AND status = 'draft'",
                    )
                    .bind(Json(&e.answers)).bind(rating).bind(rec).bind(&actor.label).bind(e.version).bind(utc(now)).bind(old.id).bind(old.version)
                    .execute(&mut *tx).await?.rows_affected();
                    if n != 1 {
                        return Err(DomainError::VersionConflict { expected: old.version, current: old.version + 1 }.into());
                    }
                }
            }
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new(&format!("monitoring.{}", h.action), "case", case_id).case(case_id.0).after(&h.details))?;
            tx.commit().await?;
        });
        Ok(e)
    }

    /// Submits or reviews a form.
    ///
    /// # Errors
    /// Version conflict; a step not allowed now; an incomplete form; database errors.
    pub async fn evaluation_step(
        &self,
        case_id: CaseId,
        id: Uuid,
        step: EvaluationStep,
        expected_version: i64,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Evaluation, StoreError> {
        let current = self
            .list_evaluations(case_id)
            .await?
            .into_iter()
            .find(|e| e.id == id)
            .ok_or_else(|| DomainError::not_found("evaluation", id))?;
        let next = plan_evaluation_step(&current, step, expected_version, &actor.label)?;
        let mut h = HistoryEntry::new(
            case_id,
            actor,
            match step {
                EvaluationStep::Submit => "submit_evaluation",
                EvaluationStep::Review => "review_evaluation",
            },
            now,
        );
        h.from_stage = Some(current.status.as_str().to_owned());
        h.to_stage = Some(next.status.as_str().to_owned());
        h.details =
            serde_json::json!({ "evaluation": id, "period": next.period, "form": next.form });
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query("UPDATE evaluations SET status = $1, reviewed_by = $2, version = $3, updated_at = $4 WHERE id = $5 AND version = $6")
                .bind(next.status.as_str()).bind(next.reviewed_by.as_deref()).bind(next.version).bind(utc(now)).bind(id).bind(expected_version)
                .execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return Err(DomainError::VersionConflict { expected: expected_version, current: current.version }.into());
            }
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new(&format!("monitoring.{}", h.action), "case", case_id).case(case_id.0).after(&h.details))?;
            tx.commit().await?;
        });
        Ok(next)
    }
}
