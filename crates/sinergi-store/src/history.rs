//! The immutable history of a case: one row for every change.

use crate::{Store, StoreError, on_pool};
use serde::Serialize;
use sinergi_domain::access::Actor;
use sinergi_domain::ids::{CaseId, HistoryId};
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

/// One history row.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    pub id: HistoryId,
    pub case_id: CaseId,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    pub actor: String,
    pub action: String,
    pub from_stage: Option<String>,
    pub to_stage: Option<String>,
    pub note: Option<String>,
    /// What the action recorded; `null` when nothing beyond the stages and the note.
    #[schema(value_type = Option<Object>)]
    pub details: serde_json::Value,
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    id: Uuid,
    case_id: Uuid,
    at: OffsetDateTime,
    actor: String,
    action: String,
    from_stage: Option<String>,
    to_stage: Option<String>,
    note: Option<String>,
    details: Json<serde_json::Value>,
}

/// Writes a history row inside the caller's transaction.
macro_rules! insert_history {
    ($tx:expr, $h:expr) => {{ async {
        let h: &$crate::history::HistoryEntry = $h;
        sqlx::query(
            "INSERT INTO case_history (id, case_id, at, actor, action, from_stage, to_stage, note, details) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(h.id.0)
        .bind(h.case_id.0)
        .bind(h.at)
        .bind(&h.actor)
        .bind(&h.action)
        .bind(h.from_stage.as_deref())
        .bind(h.to_stage.as_deref())
        .bind(h.note.as_deref())
        .bind(sqlx::types::Json(&h.details))
        .execute(&mut *$tx)
        .await?;
        Ok::<(), $crate::StoreError>(())
    }.await
    }};
}
pub(crate) use insert_history;

impl HistoryEntry {
    pub(crate) fn new(case_id: CaseId, actor: &Actor, action: &str, now: OffsetDateTime) -> Self {
        Self {
            id: HistoryId::new_v7(now),
            case_id,
            at: now,
            actor: actor.label.clone(),
            action: action.to_owned(),
            from_stage: None,
            to_stage: None,
            note: None,
            details: serde_json::Value::Null,
        }
    }
}

impl Store {
    /// A page of a case's history, oldest first, with the true total (issue 16).
    ///
    /// # Errors
    /// Database errors.
    pub async fn case_history_page(
        &self,
        id: CaseId,
        limit: i64,
        offset: i64,
    ) -> Result<crate::Page<HistoryEntry>, StoreError> {
        let (rows, total): (Vec<HistoryRow>, i64) = on_pool!(&self.db, p => {
            (
                sqlx::query_as("SELECT id, case_id, at, actor, action, from_stage, to_stage, note, details FROM case_history WHERE case_id = $1 ORDER BY at, id LIMIT $2 OFFSET $3")
                    .bind(id.0).bind(limit).bind(offset).fetch_all(p).await?,
                sqlx::query_scalar("SELECT COUNT(*) FROM case_history WHERE case_id = $1").bind(id.0).fetch_one(p).await?,
            )
        });
        let items = rows
            .into_iter()
            .map(|r| HistoryEntry {
                id: HistoryId(r.id),
                case_id: CaseId(r.case_id),
                at: r.at,
                actor: r.actor,
                action: r.action,
                from_stage: r.from_stage,
                to_stage: r.to_stage,
                note: r.note,
                details: r.details.0,
            })
            .collect();
        Ok(crate::Page { items, total })
    }

    /// The history of a case, oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn case_history(&self, id: CaseId) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows: Vec<HistoryRow> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT id, case_id, at, actor, action, from_stage, to_stage, note, details FROM case_history WHERE case_id = $1 ORDER BY at, id")
                .bind(id.0)
                .fetch_all(p)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| HistoryEntry {
                id: HistoryId(r.id),
                case_id: CaseId(r.case_id),
                at: r.at,
                actor: r.actor,
                action: r.action,
                from_stage: r.from_stage,
                to_stage: r.to_stage,
                note: r.note,
                details: r.details.0,
            })
            .collect())
    }
}
