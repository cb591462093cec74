//! The hash-chained audit log: appended inside the transaction of every change, verified by
//! `sinergi audit verify`.

use crate::{Store, StoreError, on_pool};
use serde::Serialize;
use sinergi_domain::access::Actor;
use sinergi_domain::audit::{AuditRecord, ChainBreak};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

/// One change, as the audit log records it.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub action: String,
    pub subject_kind: &'static str,
    pub subject_id: Option<String>,
    pub case_id: Option<Uuid>,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Change {
    pub(crate) fn new(action: &str, subject_kind: &'static str, subject_id: impl ToString) -> Self {
        Self {
            action: action.to_owned(),
            subject_kind,
            subject_id: Some(subject_id.to_string()),
            case_id: None,
            before: None,
            after: None,
        }
    }

    pub(crate) fn case(mut self, id: Uuid) -> Self {
        self.case_id = Some(id);
        self
    }

    pub(crate) fn before<T: Serialize>(mut self, v: &T) -> Self {
        self.before = sinergi_domain::audit::canonical(v);
        self
    }

    pub(crate) fn after<T: Serialize>(mut self, v: &T) -> Self {
        self.after = sinergi_domain::audit::canonical(v);
        self
    }
}

/// The instant as hashed: UTC, whole seconds.
pub(crate) fn audit_instant(at: OffsetDateTime) -> OffsetDateTime {
    at.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(at)
}

fn instant_text(at: OffsetDateTime) -> String {
    audit_instant(at).format(&Rfc3339).unwrap_or_default()
}

pub(crate) fn record(seq: i64, id: Uuid, at: OffsetDateTime, a: &Actor, c: &Change) -> AuditRecord {
    AuditRecord {
        seq,
        id: id.to_string(),
        at: instant_text(at),
        actor_id: a.user_id.map(|u| u.to_string()),
        actor: a.label.clone(),
        on_behalf_of: a.on_behalf_of.clone(),
        role: a.role.clone(),
        region: a.region.clone(),
        action: c.action.clone(),
        subject_kind: c.subject_kind.to_owned(),
        subject_id: c.subject_id.clone(),
        case_id: c.case_id.map(|u| u.to_string()),
        before: c.before.clone(),
        after: c.after.clone(),
        request_id: a.request_id.clone(),
    }
}

/// Appends one entry inside the caller's transaction. Taking the head row first queues
/// concurrent appenders (row lock on PostgreSQL, the write lock on SQLite).
macro_rules! append_audit {
    ($tx:expr, $actor:expr, $now:expr, $change:expr) => {{ async {
        let actor: &sinergi_domain::access::Actor = $actor;
        let change: &$crate::audit::Change = $change;
        let at = $crate::audit::audit_instant($now);
        let (seq, prev): (i64, String) =
            sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
                .fetch_one(&mut *$tx)
                .await?;
        let id = sinergi_domain::ids::AuditId::new_v7(at).0;
        let rec = $crate::audit::record(seq, id, at, actor, change);
        let hash = rec.hash(&prev);
        sqlx::query(
            "INSERT INTO audit_log (seq, id, at, actor_id, actor, on_behalf_of, role, region_code, \
             action, subject_kind, subject_id, case_id, before_json, after_json, request_id, \
             prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(seq)
        .bind(id)
        .bind(at)
        .bind(actor.user_id)
        .bind(&actor.label)
        .bind(actor.on_behalf_of.as_deref())
        .bind(actor.role.as_deref())
        .bind(actor.region.as_deref())
        .bind(&change.action)
        .bind(change.subject_kind)
        .bind(change.subject_id.as_deref())
        .bind(change.case_id)
        .bind(change.before.as_deref())
        .bind(change.after.as_deref())
        .bind(actor.request_id.as_deref())
        .bind(&prev)
        .bind(&hash)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&hash)
            .execute(&mut *$tx)
            .await?;
        Ok::<(), $crate::StoreError>(())
    }.await
    }};
}
pub(crate) use append_audit;

/// One audit entry, for the audit views.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub id: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    pub actor_id: Option<String>,
    pub actor: String,
    pub on_behalf_of: Option<String>,
    pub role: Option<String>,
    pub region: Option<String>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: Option<String>,
    pub case_id: Option<String>,
    /// The state before the change; `null` when there was none (a creation).
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The state after the change; `null` when there is none (a removal).
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub hash: String,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    seq: i64,
    id: Uuid,
    at: OffsetDateTime,
    actor_id: Option<Uuid>,
    actor: String,
    on_behalf_of: Option<String>,
    role: Option<String>,
    region_code: Option<String>,
    action: String,
    subject_kind: String,
    subject_id: Option<String>,
    case_id: Option<Uuid>,
    before_json: Option<String>,
    after_json: Option<String>,
    request_id: Option<String>,
    prev_hash: String,
    hash: String,
}

impl AuditRow {
    fn record(&self) -> AuditRecord {
        AuditRecord {
            seq: self.seq,
            id: self.id.to_string(),
            at: instant_text(self.at),
            actor_id: self.actor_id.map(|u| u.to_string()),
            actor: self.actor.clone(),
            on_behalf_of: self.on_behalf_of.clone(),
            role: self.role.clone(),
            region: self.region_code.clone(),
            action: self.action.clone(),
            subject_kind: self.subject_kind.clone(),
            subject_id: self.subject_id.clone(),
            case_id: self.case_id.map(|u| u.to_string()),
            before: self.before_json.clone(),
            after: self.after_json.clone(),
            request_id: self.request_id.clone(),
        }
    }

    fn entry(self) -> AuditEntry {
        let parse = |s: Option<String>| s.and_then(|t| serde_json::from_str(&t).ok());
        AuditEntry {
            seq: self.seq,
            id: self.id.to_string(),
            at: self.at,
            actor_id: self.actor_id.map(|u| u.to_string()),
            actor: self.actor,
            on_behalf_of: self.on_behalf_of,
            role: self.role,
            region: self.region_code,
            action: self.action,
            subject_kind: self.subject_kind,
            subject_id: self.subject_id,
            case_id: self.case_id.map(|u| u.to_string()),
            before: parse(self.before_json),
            after: parse(self.after_json),
            request_id: self.request_id,
            hash: self.hash,
        }
    }
}

const COLUMNS: &str = "seq, id, at, actor_id, actor, on_behalf_of, role, region_code, action, \
    subject_kind, subject_id, case_id, before_json, after_json, request_id, prev_hash, hash";

/// Which entries an audit view shows.
#[derive(Debug, Clone, Copy)]
pub enum AuditScope {
    Case(Uuid),
    User(Uuid),
}

impl Store {
    /// Appends a change that belongs to no other write (sign-in, a command-line action).
    ///
    /// # Errors
    /// Database errors.
    pub(crate) async fn audit_only(
        &self,
        actor: &Actor,
        change: &Change,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            append_audit!(tx, actor, now, change)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The newest entries of a case or of a user's actions, newest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn audit_entries(
        &self,
        scope: AuditScope,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let (col, id) = match scope {
            AuditScope::Case(id) => ("case_id", id),
            AuditScope::User(id) => ("actor_id", id),
        };
        let sql =
            format!("SELECT {COLUMNS} FROM audit_log WHERE {col} = $1 ORDER BY seq DESC LIMIT $2");
        let rows: Vec<AuditRow> = on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).bind(limit).fetch_all(p).await?
        });
        Ok(rows.into_iter().map(AuditRow::entry).collect())
    }

    /// A page of a case's entries or of a user's actions, newest first, with the true total
    /// (issue 16).
    ///
    /// # Errors
    /// Database errors.
    pub async fn audit_page(
        &self,
        scope: AuditScope,
        limit: i64,
        offset: i64,
    ) -> Result<crate::Page<AuditEntry>, StoreError> {
        let (col, id) = match scope {
            AuditScope::Case(id) => ("case_id", id),
            AuditScope::User(id) => ("actor_id", id),
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM audit_log WHERE {col} = $1 ORDER BY seq DESC LIMIT $2 OFFSET $3"
        );
        let count = format!("SELECT COUNT(*) FROM audit_log WHERE {col} = $1");
        let (rows, total): (Vec<AuditRow>, i64) = on_pool!(&self.db, p => {
            (
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).bind(limit).bind(offset).fetch_all(p).await?,
                sqlx::query_scalar(sqlx::AssertSqlSafe(count)).bind(id).fetch_one(p).await?,
            )
        });
        Ok(crate::Page {
            items: rows.into_iter().map(AuditRow::entry).collect(),
            total,
        })
    }

    /// Recomputes the whole chain. `Ok(Ok(n))`: n entries verified; `Ok(Err(b))`: the first
    /// break.
    ///
    /// # Errors
    /// Database errors.
    pub async fn verify_audit(&self) -> Result<Result<i64, ChainBreak>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq");
        let rows: Vec<AuditRow> = on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?
        });
        let head: (i64, String) = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(p).await?
        });
        let recs: Vec<AuditRecord> = rows.iter().map(AuditRow::record).collect();
        Ok(sinergi_domain::audit::verify(
            recs.iter()
                .zip(&rows)
                .map(|(r, row)| (r, row.prev_hash.as_str(), row.hash.as_str())),
            (head.0, &head.1),
        ))
    }
}
