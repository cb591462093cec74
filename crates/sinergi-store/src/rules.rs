//! The versioned rule sets, stored so that a deployment can add its own.

use crate::audit::{Change, append_audit};
use crate::{Store, StoreError, on_pool};
use sinergi_domain::access::Actor;
use sinergi_domain::rules::RuleSet;
use sqlx::types::Json;
use time::{Date, OffsetDateTime};

impl Store {
    /// Stores the built-in rule set when none is stored yet.
    ///
    /// # Errors
    /// Database errors.
    pub async fn ensure_rule_sets(&self, now: OffsetDateTime) -> Result<(), StoreError> {
        let count: i64 = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM rule_sets").fetch_one(p).await?
        });
        if count == 0 {
            self.add_rule_set(&RuleSet::default(), now).await?;
        }
        Ok(())
    }

    /// Adds a rule set version.
    ///
    /// # Errors
    /// The same id and version exist already; database errors.
    pub async fn add_rule_set(&self, r: &RuleSet, now: OffsetDateTime) -> Result<(), StoreError> {
        on_pool!(&self.db, p => {
            sqlx::query("INSERT INTO rule_sets (id, version, effective_from, body, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(&r.id).bind(i32::try_from(r.version).unwrap_or(i32::MAX)).bind(r.effective_from).bind(Json(r)).bind(now)
                .execute(p).await?;
        });
        Ok(())
    }

    /// A deployment's new rule set (or new version of one), checked against the stored ones
    /// and today's date, and audited. Stored versions are never changed.
    ///
    /// # Errors
    /// The domain's refusals ([`RuleSet::validate_new`]); database errors.
    pub async fn publish_rule_set(
        &self,
        r: &RuleSet,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<RuleSet, StoreError> {
        let existing = self.rule_sets().await?;
        r.validate_new(&existing, crate::cases::today(now))?;
        let change = Change::new(
            "rule_set.add",
            "rule_set",
            format!("{}/{}", r.id, r.version),
        )
        .after(r);
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO rule_sets (id, version, effective_from, body, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(&r.id).bind(i32::try_from(r.version).unwrap_or(i32::MAX)).bind(r.effective_from).bind(Json(r)).bind(now)
                .execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &change)?;
            tx.commit().await?;
        });
        Ok(r.clone())
    }

    /// Every stored rule set.
    ///
    /// # Errors
    /// Database errors.
    pub async fn rule_sets(&self) -> Result<Vec<RuleSet>, StoreError> {
        let rows: Vec<(Json<RuleSet>,)> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT body FROM rule_sets ORDER BY effective_from, version").fetch_all(p).await?
        });
        Ok(rows.into_iter().map(|r| r.0.0).collect())
    }

    /// The rules a case follows: the set it was opened under (the built-in one when that set
    /// is not stored).
    ///
    /// # Errors
    /// Database errors.
    pub async fn rules_of_case(
        &self,
        case: &sinergi_domain::case::Case,
    ) -> Result<RuleSet, StoreError> {
        let sets = self.rule_sets().await?;
        Ok(RuleSet::of_case(&sets, case).cloned().unwrap_or_default())
    }

    /// The rule set in force on a day; the built-in one when none is stored for that day.
    ///
    /// # Errors
    /// Database errors.
    pub async fn rules_in_force(&self, day: Date) -> Result<RuleSet, StoreError> {
        let sets = self.rule_sets().await?;
        Ok(RuleSet::in_force(&sets, day).cloned().unwrap_or_default())
    }
}
