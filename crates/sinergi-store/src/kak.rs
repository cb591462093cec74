//! The KAK of each party of a case (issue 22): versions appended, never changed; a save
//! from a stale version is refused by the primary key, so two editors saving at once get
//! one new version and one conflict.

use crate::audit::{Change, append_audit};
use crate::history::{HistoryEntry, insert_history};
use crate::{Store, StoreError, on_pool};
use sinergi_domain::DomainError;
use sinergi_domain::access::Actor;
use sinergi_domain::ids::CaseId;
use sinergi_domain::kak::{Kak, KakContent, KakInput};
use time::OffsetDateTime;

#[derive(sqlx::FromRow)]
struct Row {
    party_ordinal: i32,
    region_code: String,
    version: i64,
    content: sqlx::types::Json<KakContent>,
    author: String,
    saved_at: OffsetDateTime,
}

impl From<Row> for Kak {
    fn from(r: Row) -> Self {
        Self {
            party: u16::try_from(r.party_ordinal).unwrap_or(0),
            region: r.region_code,
            version: r.version,
            content: r.content.0,
            author: r.author,
            saved_at: r.saved_at,
        }
    }
}

impl Store {
    /// The latest KAK of each party of the case, by party.
    ///
    /// # Errors
    /// Database errors.
    pub async fn kak_of_case(&self, case_id: CaseId) -> Result<Vec<Kak>, StoreError> {
        let rows: Vec<Row> = on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT k.party_ordinal, k.region_code, k.version, k.content, k.author, k.saved_at FROM kak_versions k \
                 WHERE k.case_id = $1 AND k.version = (SELECT MAX(x.version) FROM kak_versions x WHERE x.case_id = k.case_id AND x.party_ordinal = k.party_ordinal) \
                 ORDER BY k.party_ordinal",
            ).bind(case_id.0).fetch_all(p).await?
        });
        Ok(rows.into_iter().map(Kak::from).collect())
    }

    /// Every saved version of one party's KAK, oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn kak_versions(&self, case_id: CaseId, party: u16) -> Result<Vec<Kak>, StoreError> {
        let rows: Vec<Row> = on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT party_ordinal, region_code, version, content, author, saved_at FROM kak_versions \
                 WHERE case_id = $1 AND party_ordinal = $2 ORDER BY version",
            ).bind(case_id.0).bind(i32::from(party)).fetch_all(p).await?
        });
        Ok(rows.into_iter().map(Kak::from).collect())
    }

    /// Saves a new version of the party's KAK, with a history line and an audit entry.
    ///
    /// # Errors
    /// `party.not_found`, a party without a region; a stale version; validation; database.
    pub async fn save_kak(
        &self,
        case_id: CaseId,
        party: u16,
        input: &KakInput,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Kak, StoreError> {
        let case = self.get_case(case_id).await?;
        let region = case
            .party(party)
            .and_then(|p| p.region.as_ref())
            .map(ToString::to_string)
            .ok_or_else(|| DomainError::not_found("party", party))?;
        let latest = self
            .kak_versions(case_id, party)
            .await?
            .last()
            .map(|k| k.version);
        let (content, version) = input.validate(latest)?;
        let kak = Kak {
            party,
            region,
            version,
            content,
            author: actor.label.clone(),
            saved_at: now,
        };
        let mut h = HistoryEntry::new(case_id, actor, "kak_saved", now);
        h.details = serde_json::json!({ "party": party, "version": version });
        let change = Change::new("kak.save", "case", case_id)
            .case(case_id.0)
            .after(&kak);
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query(
                "INSERT INTO kak_versions (case_id, party_ordinal, region_code, version, content, author, saved_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            )
            .bind(case_id.0).bind(i32::from(party)).bind(&kak.region).bind(version)
            .bind(sqlx::types::Json(&kak.content)).bind(&kak.author).bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return Err(DomainError::VersionConflict { expected: version - 1, current: version }.into());
            }
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &change)?;
            tx.commit().await?;
        });
        Ok(kak)
    }

    /// The parties of the case that have written their KAK.
    pub(crate) async fn kak_parties(&self, case_id: CaseId) -> Result<Vec<u16>, StoreError> {
        let rows: Vec<i32> = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT DISTINCT party_ordinal FROM kak_versions WHERE case_id = $1")
                .bind(case_id.0).fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .filter_map(|o| u16::try_from(o).ok())
            .collect())
    }
}
