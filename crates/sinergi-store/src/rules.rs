//! The versioned rule sets, stored so that a deployment can add its own.

use crate::{Store, StoreError, on_pool};
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

    /// The rule set in force on a day; the built-in one when none is stored for that day.
    ///
    /// # Errors
    /// Database errors.
    pub async fn rules_in_force(&self, day: Date) -> Result<RuleSet, StoreError> {
        let sets = self.rule_sets().await?;
        Ok(RuleSet::in_force(&sets, day).cloned().unwrap_or_default())
    }
}
