//! Cases: create, read, list, edit with optimistic concurrency, and transitions.

use crate::audit::{Change, append_audit};
use crate::history::{HistoryEntry, insert_history};
use crate::rows::{CaseRow, FieldRow, FieldUrusanRow, PartyRow};
use crate::{Page, Store, StoreError, on_pool};
use serde::Serialize;
use sinergi_domain::DomainError;
use sinergi_domain::access::Actor;
use sinergi_domain::agreement::Agreement;
use sinergi_domain::authority::Acting;
use sinergi_domain::case::{Case, CaseKind, CasePatch, NewCaseInput, PartyPatch, Stage};
use sinergi_domain::ids::{CaseId, LetterId, OfficialId};
use sinergi_domain::official::Official;
use sinergi_domain::region::RegionCode;
use sinergi_domain::workflow::{self, Context, Plan, TransitionRequest};
use sqlx::types::Json;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Filters of the case register.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub region: Option<String>,
    pub kind: Option<CaseKind>,
    pub stage: Option<Stage>,
    pub field: Option<String>,
    pub urusan: Option<String>,
    pub year: Option<i32>,
    pub q: Option<String>,
    /// Which unpublished cases the reader may see.
    pub visibility: crate::Visibility,
    pub sort: CaseSort,
    pub limit: i64,
    pub offset: i64,
}

/// Sort orders of the register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CaseSort {
    #[default]
    UpdatedDesc,
    UpdatedAsc,
    TitleAsc,
    TitleDesc,
    YearDesc,
    YearAsc,
}

impl CaseSort {
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "-updated" | "-updated_at" => Self::UpdatedDesc,
            "updated" | "updated_at" => Self::UpdatedAsc,
            "title" => Self::TitleAsc,
            "-title" => Self::TitleDesc,
            "-year" => Self::YearDesc,
            "year" => Self::YearAsc,
            _ => return None,
        })
    }

    fn sql(self) -> &'static str {
        match self {
            Self::UpdatedDesc => "c.updated_at DESC, c.id DESC",
            Self::UpdatedAsc => "c.updated_at ASC, c.id ASC",
            Self::TitleAsc => "c.title_key ASC, c.id ASC",
            Self::TitleDesc => "c.title_key DESC, c.id DESC",
            Self::YearDesc => "c.year DESC, c.updated_at DESC, c.id DESC",
            Self::YearAsc => "c.year ASC, c.updated_at ASC, c.id ASC",
        }
    }
}

/// A party in a register row.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PartySummary {
    pub ordinal: u16,
    pub region: Option<String>,
    pub name: String,
}

/// A register row.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseSummary {
    pub id: CaseId,
    pub title: String,
    pub kind: CaseKind,
    pub stage: Stage,
    pub year: i32,
    pub published: bool,
    pub fictional: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
    pub parties: Vec<PartySummary>,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: Uuid,
    title: String,
    kind: String,
    stage: String,
    year: i32,
    published: bool,
    fictional: bool,
    updated_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct PartyListRow {
    case_id: Uuid,
    ordinal: i32,
    region_code: Option<String>,
    name: String,
}

pub(crate) fn title_key(case: &Case) -> String {
    let mut s = case.title.to_lowercase();
    for p in &case.parties {
        s.push(' ');
        s.push_str(&p.name.to_lowercase());
    }
    s
}

/// The year a case is listed under: the year its KB was signed, else the year it was opened.
pub(crate) fn case_year(case: &Case, kb_signed_on: Option<Date>) -> i32 {
    kb_signed_on.map_or(case.created_at.year(), |d| d.year())
}

pub(crate) use sinergi_domain::clock::today;

/// Inserts a case and its children inside the caller's transaction.
macro_rules! insert_case {
    ($tx:expr, $case:expr, $year:expr) => {{ async {
        let c: &Case = $case;
        sqlx::query(
            "INSERT INTO cases (id, kind, direction, title, title_key, object, background, stage, version, published, fictional, \
             predecessor_id, objectives, sources, termination, year, created_at, updated_at, offered, rule_set_id, rule_set_version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)",
        )
        .bind(c.id.0)
        .bind(c.kind.as_str())
        .bind(c.direction.as_str())
        .bind(&c.title)
        .bind(title_key(c))
        .bind(c.object.as_deref())
        .bind(c.background.as_deref())
        .bind(c.stage.as_str())
        .bind(c.version)
        .bind(c.published)
        .bind(c.fictional)
        .bind(c.predecessor.map(|p| p.0))
        .bind(Json(&c.objectives))
        .bind(Json(&c.sources))
        .bind(c.termination.as_ref().map(Json))
        .bind($year)
        .bind(c.created_at)
        .bind(c.updated_at)
        .bind(c.offered)
        .bind(c.rule_set.as_ref().map(|r| r.id.as_str()))
        .bind(c.rule_set.as_ref().map(|r| i32::try_from(r.version).unwrap_or(i32::MAX)))
        .execute(&mut *$tx)
        .await?;
        write_case_children!($tx, c)?;
        Ok::<(), $crate::StoreError>(())
    }.await
    }};
}

pub(crate) use insert_case;

/// Replaces a case's parties and fields inside the caller's transaction.
macro_rules! write_case_children {
    ($tx:expr, $case:expr) => {{ async {
        let c: &Case = $case;
        sqlx::query("DELETE FROM case_field_urusan WHERE case_id = $1").bind(c.id.0).execute(&mut *$tx).await?;
        sqlx::query("DELETE FROM case_fields WHERE case_id = $1").bind(c.id.0).execute(&mut *$tx).await?;
        sqlx::query("DELETE FROM case_parties WHERE case_id = $1").bind(c.id.0).execute(&mut *$tx).await?;
        for p in &c.parties {
            sqlx::query(
                "INSERT INTO case_parties (case_id, ordinal, region_code, name, status, document_number, signatory_id, contact, dprd, acts) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(c.id.0)
            .bind(i32::from(p.ordinal))
            .bind(p.region.as_ref().map(RegionCode::as_str))
            .bind(&p.name)
            .bind(p.status.as_str())
            .bind(p.document_number.as_deref())
            .bind(p.signatory.map(|s| s.0))
            .bind(Json(&p.contact))
            .bind(Json(&p.dprd))
            .bind(Json(&p.acts))
            .execute(&mut *$tx)
            .await?;
        }
        for f in &c.fields {
            sqlx::query("INSERT INTO case_fields (case_id, ordinal, code, label, priority) VALUES ($1, $2, $3, $4, $5)")
                .bind(c.id.0)
                .bind(i32::from(f.ordinal))
                .bind(f.code.as_deref())
                .bind(&f.label)
                .bind(f.priority)
                .execute(&mut *$tx)
                .await?;
            let mut seen = std::collections::HashSet::new();
            for u in f.urusan.iter().filter(|u| seen.insert(u.as_str())) {
                sqlx::query("INSERT INTO case_field_urusan (case_id, ordinal, urusan_code) VALUES ($1, $2, $3)")
                    .bind(c.id.0)
                    .bind(i32::from(f.ordinal))
                    .bind(u)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
        Ok::<(), $crate::StoreError>(())
    }.await
    }};
}
pub(crate) use write_case_children;

/// Updates a case row if its version is still `expected`; returns whether it was.
macro_rules! update_case {
    ($tx:expr, $case:expr, $expected:expr, $year:expr) => {{ async {
        let c: &Case = $case;
        let done = sqlx::query(
            "UPDATE cases SET title = $1, title_key = $2, object = $3, background = $4, stage = $5, version = $6, \
             published = $7, objectives = $8, sources = $9, termination = $10, updated_at = $11, year = COALESCE($12, year), \
             offered = $15 WHERE id = $13 AND version = $14",
        )
        .bind(&c.title)
        .bind(title_key(c))
        .bind(c.object.as_deref())
        .bind(c.background.as_deref())
        .bind(c.stage.as_str())
        .bind(c.version)
        .bind(c.published)
        .bind(Json(&c.objectives))
        .bind(Json(&c.sources))
        .bind(c.termination.as_ref().map(Json))
        .bind(c.updated_at)
        .bind($year)
        .bind(c.id.0)
        .bind($expected)
        .bind(c.offered)
        .execute(&mut *$tx)
        .await?
        .rows_affected()
            == 1;
        if done {
            write_case_children!($tx, c)?;
        }
        Ok::<bool, $crate::StoreError>(done)
    }.await
    }};
}

impl Store {
    /// Opens a case.
    ///
    /// # Errors
    /// Domain refusals (unknown region, party twice, …); database errors.
    pub async fn create_case(
        &self,
        input: &NewCaseInput,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Case, StoreError> {
        self.create_case_with_id(CaseId::new_v7(now), input, actor, now)
            .await
    }

    /// Opens a case with a given id (the demo's founding case has a fixed one).
    ///
    /// # Errors
    /// As [`Store::create_case`].
    pub async fn create_case_with_id(
        &self,
        id: CaseId,
        input: &NewCaseInput,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Case, StoreError> {
        let codes: Vec<String> = input
            .parties
            .iter()
            .filter_map(|p| p.region.clone())
            .collect();
        let dir = self.region_directory(&codes).await?;
        let mut case = input.validate(id, &dir, now)?;
        case.rule_set = Some(self.rules_in_force(today(now)).await?.reference());
        if let Some(pred) = case.predecessor {
            self.get_case(pred).await?;
        }
        let mut h = HistoryEntry::new(case.id, actor, "create", now);
        h.to_stage = Some(case.stage.as_str().to_owned());
        h.details = serde_json::json!({ "kind": case.kind, "parties": case.parties.iter().map(|p| &p.name).collect::<Vec<_>>() });
        let year = case_year(&case, None);
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            insert_case!(tx, &case, year)?;
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new("case.create", "case", case.id).case(case.id.0).after(&case))?;
            tx.commit().await?;
        });
        Ok(case)
    }

    /// One case.
    ///
    /// # Errors
    /// `case.not_found`; database errors.
    pub async fn get_case(&self, id: CaseId) -> Result<Case, StoreError> {
        let (row, parties, fields, urusan) = on_pool!(&self.db, p => {
            let row: Option<CaseRow> = sqlx::query_as(
                "SELECT id, kind, direction, title, object, background, stage, version, published, fictional, offered, predecessor_id, \
                 objectives, sources, termination, rule_set_id, rule_set_version, created_at, updated_at FROM cases WHERE id = $1",
            ).bind(id.0).fetch_optional(p).await?;
            let Some(row) = row else { return Err(DomainError::not_found("case", id).into()) };
            let parties: Vec<PartyRow> = sqlx::query_as(
                "SELECT ordinal, region_code, name, status, document_number, signatory_id, contact, dprd, acts FROM case_parties WHERE case_id = $1 ORDER BY ordinal",
            ).bind(id.0).fetch_all(p).await?;
            let fields: Vec<FieldRow> = sqlx::query_as(
                "SELECT ordinal, code, label, priority FROM case_fields WHERE case_id = $1 ORDER BY ordinal",
            ).bind(id.0).fetch_all(p).await?;
            let urusan: Vec<FieldUrusanRow> = sqlx::query_as(
                "SELECT f.ordinal, f.urusan_code FROM case_field_urusan f JOIN urusan u ON u.code = f.urusan_code \
                 WHERE f.case_id = $1 ORDER BY f.ordinal, u.ordinal",
            ).bind(id.0).fetch_all(p).await?;
            (row, parties, fields, urusan)
        });
        row.into_case(parties, fields, &urusan)
    }

    /// The register, filtered, sorted and paged.
    ///
    /// # Errors
    /// Database errors.
    pub async fn list_cases(&self, f: &CaseFilter) -> Result<Page<CaseSummary>, StoreError> {
        enum Arg {
            Text(String),
            Int(i32),
        }
        let mut conds: Vec<String> = Vec::new();
        let mut args: Vec<Arg> = Vec::new();
        let (vis, vargs) = f.visibility.sql(1);
        conds.extend(vis);
        args.extend(vargs.into_iter().map(Arg::Text));
        if let Some(r) = &f.region {
            args.push(Arg::Text(r.clone()));
            conds.push(format!(
                "c.id IN (SELECT cp.case_id FROM case_parties cp WHERE cp.region_code = ${})",
                args.len()
            ));
        }
        if let Some(k) = f.kind {
            args.push(Arg::Text(k.as_str().to_owned()));
            conds.push(format!("c.kind = ${}", args.len()));
        }
        if let Some(s) = f.stage {
            args.push(Arg::Text(s.as_str().to_owned()));
            conds.push(format!("c.stage = ${}", args.len()));
        }
        if let Some(fc) = &f.field {
            args.push(Arg::Text(fc.clone()));
            conds.push(format!(
                "c.id IN (SELECT cf.case_id FROM case_fields cf WHERE cf.code = ${})",
                args.len()
            ));
        }
        if let Some(u) = &f.urusan {
            args.push(Arg::Text(u.clone()));
            conds.push(format!(
                "c.id IN (SELECT cu.case_id FROM case_field_urusan cu WHERE cu.urusan_code = ${})",
                args.len()
            ));
        }
        if let Some(y) = f.year {
            args.push(Arg::Int(y));
            conds.push(format!("c.year = ${}", args.len()));
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let escaped = q
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            args.push(Arg::Text(format!("%{escaped}%")));
            conds.push(format!("c.title_key LIKE ${} ESCAPE '\\'", args.len()));
        }
        let where_sql = if conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conds.join(" AND "))
        };
        let list_sql = format!(
            "SELECT c.id, c.title, c.kind, c.stage, c.year, c.published, c.fictional, c.updated_at FROM cases c{where_sql} \
             ORDER BY {} LIMIT ${} OFFSET ${}",
            f.sort.sql(),
            args.len() + 1,
            args.len() + 2
        );
        let count_sql = format!("SELECT COUNT(*) FROM cases c{where_sql}");
        let (rows, total) = on_pool!(&self.db, p => {
            let mut q = sqlx::query_as::<_, SummaryRow>(sqlx::AssertSqlSafe(list_sql));
            let mut c = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql));
            for a in &args {
                match a {
                    Arg::Text(s) => { q = q.bind(s.as_str()); c = c.bind(s.as_str()); }
                    Arg::Int(i) => { q = q.bind(*i); c = c.bind(*i); }
                }
            }
            (q.bind(f.limit).bind(f.offset).fetch_all(p).await?, c.fetch_one(p).await?)
        });
        let parties = self
            .parties_of(&rows.iter().map(|r| r.id).collect::<Vec<_>>())
            .await?;
        let items = rows
            .into_iter()
            .map(|r| {
                Ok(CaseSummary {
                    id: CaseId(r.id),
                    kind: CaseKind::parse(&r.kind)
                        .ok_or_else(|| crate::rows::corrupt("case kind", &r.kind))?,
                    stage: Stage::parse(&r.stage)
                        .ok_or_else(|| crate::rows::corrupt("stage", &r.stage))?,
                    title: r.title,
                    year: r.year,
                    published: r.published,
                    fictional: r.fictional,
                    updated_at: r.updated_at,
                    parties: parties.get(&r.id).cloned().unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Page { items, total })
    }

    async fn parties_of(
        &self,
        ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<PartySummary>>, StoreError> {
        let mut out: HashMap<Uuid, Vec<PartySummary>> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let ph = (1..=ids.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT case_id, ordinal, region_code, name FROM case_parties WHERE case_id IN ({ph}) ORDER BY ordinal"
        );
        let rows: Vec<PartyListRow> = on_pool!(&self.db, p => {
            let mut q = sqlx::query_as::<_, PartyListRow>(sqlx::AssertSqlSafe(sql));
            for id in ids {
                q = q.bind(*id);
            }
            q.fetch_all(p).await?
        });
        for r in rows {
            out.entry(r.case_id).or_default().push(PartySummary {
                ordinal: crate::rows::ordinal(r.ordinal),
                region: r.region_code,
                name: r.name,
            });
        }
        Ok(out)
    }

    /// Edits a case's shared content; a stale `expected_version` is refused.
    ///
    /// # Errors
    /// Version conflict; domain refusals; database errors.
    pub async fn patch_case(
        &self,
        id: CaseId,
        patch: &CasePatch,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Case, StoreError> {
        let case = self.get_case(id).await?;
        let (next, changed) = patch.apply(&case, now)?;
        let mut h = HistoryEntry::new(id, actor, "update", now);
        h.details = serde_json::json!({ "changed": changed, "version": next.version });
        let change = Change::new("case.update", "case", id)
            .case(id.0)
            .before(&case)
            .after(&next);
        self.write_case(
            &next,
            patch.expected_version,
            (None, None, None),
            (&h, actor, &change),
            None,
        )
        .await?;
        Ok(next)
    }

    /// Edits one party's own record (status, number, signatory, contact, DPRD assessment).
    ///
    /// # Errors
    /// Version conflict; domain refusals; database errors.
    pub async fn patch_party(
        &self,
        id: CaseId,
        ordinal: u16,
        patch: &PartyPatch,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Case, StoreError> {
        let case = self.get_case(id).await?;
        let officials = self
            .officials_by_id(patch.signatory.into_iter().collect())
            .await?;
        let mut next = patch.apply(
            &case,
            ordinal,
            |o| officials.get(&o).map(|x| x.region.clone()),
            now,
        )?;
        if let Some(p) = next.parties.iter_mut().find(|p| p.ordinal == ordinal)
            && let Some(region) = &p.region
        {
            let before = case
                .parties
                .iter()
                .find(|x| x.ordinal == ordinal)
                .and_then(|x| x.contact.unit.clone());
            if p.contact.unit != before {
                p.contact.unit = self
                    .canonical_opt_unit(region.as_str(), "contact.unit", p.contact.unit.as_deref())
                    .await?;
            }
        }
        let mut h = HistoryEntry::new(id, actor, "update_party", now);
        h.details = serde_json::json!({ "party": ordinal, "version": next.version });
        let change = Change::new("case.update_party", "case", id)
            .case(id.0)
            .before(&case)
            .after(&next);
        self.write_case(
            &next,
            patch.expected_version,
            (None, None, None),
            (&h, actor, &change),
            None,
        )
        .await?;
        Ok(next)
    }

    /// Writes a changed case (and optionally its changed KB) with its history row, atomically,
    /// if nobody changed it since `expected` was read. `sent_letter`, the letter the act sends,
    /// counts as sent from now on; a letter withdrawn meanwhile refuses the act.
    async fn write_case(
        &self,
        next: &Case,
        expected: i64,
        (kb, sent_letter, kajian): (
            Option<&Agreement>,
            Option<LetterId>,
            Option<&sinergi_domain::kajian::Kajian>,
        ),
        (h, actor, change): (&HistoryEntry, &Actor, &Change),
        year: Option<i32>,
    ) -> Result<(), StoreError> {
        let ok = on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            let ok = update_case!(tx, next, expected, year)?;
            if ok {
                if let Some(kb) = kb {
                    crate::agreements::update_agreement!(tx, kb, kb.version - 1)?;
                }
                if let Some(letter) = sent_letter {
                    let n = sqlx::query("UPDATE letters SET sent_at = COALESCE(sent_at, $1) WHERE id = $2 AND withdrawn_at IS NULL")
                        .bind(h.at).bind(letter.0).execute(&mut *tx).await?.rows_affected();
                    if n != 1 {
                        tx.rollback().await?;
                        return Err(sinergi_domain::letter::Letter::withdrawn_refusal().into());
                    }
                }
                if let Some(k) = kajian {
                    crate::kajian::insert_kajian!(tx, next.id.0, k, &actor.label, h.at)?;
                }
                insert_history!(tx, h)?;
                append_audit!(tx, actor, h.at, change)?;
                tx.commit().await?;
            } else {
                tx.rollback().await?;
            }
            ok
        });
        if ok {
            return Ok(());
        }
        let current = self.get_case(next.id).await?;
        Err(DomainError::VersionConflict {
            expected,
            current: current.version,
        }
        .into())
    }

    /// Officials of the given ids.
    pub(crate) async fn officials_by_id(
        &self,
        ids: Vec<OfficialId>,
    ) -> Result<HashMap<OfficialId, Official>, StoreError> {
        let mut out = HashMap::new();
        for id in ids {
            if let Some(o) = self.find_official(id).await? {
                out.insert(id, o);
            }
        }
        Ok(out)
    }

    /// Moves a case along its regulated path.
    ///
    /// # Errors
    /// Version conflict; an action not allowed now; a failed guard; database errors.
    /// `acting` is the party the caller acts for, as the application layer's authority check
    /// found it.
    pub async fn transition(
        &self,
        id: CaseId,
        req: &TransitionRequest,
        acting: &Acting,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(Case, HistoryEntry), StoreError> {
        let case = self.get_case(id).await?;
        let plan = self
            .with_context(&case, actor, now, |ctx| {
                workflow::plan(&case, req, ctx, acting, now)
            })
            .await?;
        self.apply_plan(plan, &case, req.expected_version, actor, now)
            .await
    }

    /// Records a KB signed outside Sinergi (legacy entry, published sources): the same checks
    /// as signing, and a history row with the given provenance note.
    ///
    /// # Errors
    /// As [`Store::transition`].
    pub async fn record_signed(
        &self,
        id: CaseId,
        note: &str,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(Case, HistoryEntry), StoreError> {
        let case = self.get_case(id).await?;
        let plan = self
            .with_context(&case, actor, now, |ctx| {
                workflow::plan_record_signed(&case, ctx, note, now)
            })
            .await?;
        self.apply_plan(plan, &case, case.version, actor, now).await
    }

    async fn with_context<T>(
        &self,
        case: &Case,
        actor: &Actor,
        now: OffsetDateTime,
        f: impl FnOnce(&Context<'_>) -> Result<T, DomainError>,
    ) -> Result<T, StoreError> {
        let letters = self.list_letters(case.id).await?;
        let agreements = self.list_agreements(case.id).await?;
        let regions: Vec<String> = case
            .parties
            .iter()
            .filter_map(|p| p.region.as_ref().map(ToString::to_string))
            .collect();
        let officials: HashMap<OfficialId, Official> = self
            .officials_of_regions(&regions)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let members = self.tkksd_members_of(&regions).await?;
        let rules = self.rules_of_case(case).await?;
        let kb_text = if matches!(case.stage, Stage::KbFinal) {
            self.final_text(crate::DocRef::of_case(
                case.id,
                sinergi_documents::DocumentKind::Kb,
            ))
            .await?
        } else {
            None
        };
        let kak_parties = self.kak_parties(case.id).await?;
        let central_approvals = self.central_approvals(case.id).await?;
        let lookup = |id: OfficialId| officials.get(&id).cloned();
        let ctx = Context {
            letters: &letters,
            agreements: &agreements,
            officials: &lookup,
            tkksd_members: &members,
            rules: &rules,
            today: today(now),
            kb_text: kb_text.as_ref(),
            actor: &actor.label,
            kak_parties: &kak_parties,
            central_approvals: &central_approvals,
        };
        Ok(f(&ctx)?)
    }

    async fn apply_plan(
        &self,
        plan: Plan,
        before: &Case,
        expected: i64,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(Case, HistoryEntry), StoreError> {
        let mut h = HistoryEntry::new(plan.case.id, actor, plan.action, now);
        h.from_stage = Some(plan.from.as_str().to_owned());
        h.to_stage = Some(plan.to.as_str().to_owned());
        h.note = plan.note.clone();
        h.details = plan.details.clone();
        let year = plan
            .kb
            .as_ref()
            .and_then(|k| k.signed_on)
            .filter(|_| plan.to.kb_signed())
            .map(|d| case_year(&plan.case, Some(d)));
        let change = Change::new(&format!("case.{}", plan.action), "case", plan.case.id)
            .case(plan.case.id.0)
            .before(before)
            .after(&plan.case);
        self.write_case(
            &plan.case,
            expected,
            (plan.kb.as_ref(), plan.sent_letter, plan.kajian.as_ref()),
            (&h, actor, &change),
            year,
        )
        .await?;
        Ok((plan.case, h))
    }
}
