//! What a region's admin does with its accounts in the web interface: change roles and
//! details, deactivate and reactivate, reset a password to a temporary one — and the facts of
//! the set-up checklist. Who may do it is decided in the application layer.

use super::{User, validate_user};
use crate::audit::{Change, append_audit};
use crate::{LoginPolicy, NewUser, Store, StoreError, on_pool};
use sinergi_domain::DomainError;
use sinergi_domain::access::{Actor, Role};
use sinergi_domain::account::SetupFacts;
use sinergi_domain::ids::{OfficialId, UserId};
use time::OffsetDateTime;

/// A change to an account; `None` keeps a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AccountChange {
    pub display_name: Option<String>,
    /// `Some("")` removes the address.
    pub email: Option<String>,
    /// `Some("")` removes the unit.
    pub unit: Option<String>,
    pub roles: Option<Vec<Role>>,
    pub disabled: Option<bool>,
    /// `Some(None)` removes the link to an official record.
    pub official: Option<Option<OfficialId>>,
}

/// Letters and digits that cannot be mistaken for one another when read aloud or typed.
const TEMPORARY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";

fn temporary_password() -> String {
    use rand::Rng as _;
    let mut rng = rand::rng();
    (0..14)
        .map(|i| {
            if i > 0 && i % 5 == 4 {
                '-'
            } else {
                char::from(TEMPORARY_ALPHABET[rng.random_range(0..TEMPORARY_ALPHABET.len())])
            }
        })
        .collect()
}

impl Store {
    /// Changes an account. Taking roles away or deactivating ends the user's sessions and
    /// API tokens stop working at once (a deactivated account's token is refused).
    ///
    /// # Errors
    /// `conflict.version` for a stale edit; the account rules' field errors; an official of
    /// another region or already linked; database errors.
    pub async fn update_account(
        &self,
        id: UserId,
        change: &AccountChange,
        expected_version: Option<i64>,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<User, StoreError> {
        let before = self.get_user(id).await?;
        if let Some(v) = expected_version.filter(|v| *v != before.version) {
            return Err(DomainError::VersionConflict {
                expected: v,
                current: before.version,
            }
            .into());
        }
        let trimmed = |s: &Option<String>, old: &Option<String>| match s {
            Some(s) if s.trim().is_empty() => None,
            Some(s) => Some(s.trim().to_owned()),
            None => old.clone(),
        };
        let mut roles = change.roles.clone().unwrap_or_else(|| before.roles.clone());
        roles.sort();
        roles.dedup();
        let unit = match (&before.region, trimmed(&change.unit, &before.unit)) {
            (Some(region), Some(u)) if Some(&u) != before.unit.as_ref() => {
                Some(self.canonical_unit(region, "unit", &u).await?)
            }
            (_, u) => u,
        };
        let after = User {
            display_name: change
                .display_name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map_or_else(|| before.display_name.clone(), ToOwned::to_owned),
            email: trimmed(&change.email, &before.email),
            unit,
            roles,
            disabled: change.disabled.unwrap_or(before.disabled),
            official: change.official.unwrap_or(before.official),
            version: before.version + 1,
            ..before.clone()
        };
        validate_user(&NewUser {
            username: after.username.clone(),
            display_name: after.display_name.clone(),
            region: after.region.clone(),
            unit: after.unit.clone(),
            roles: after.roles.clone(),
            ..NewUser::default()
        })?;
        if let Some(o) = after.official.filter(|o| before.official != Some(*o)) {
            self.check_official_link(o, after.region.as_deref(), Some(id))
                .await?;
        }
        let lost_roles = before.roles.iter().any(|r| !after.roles.contains(r));
        let ends_sessions = lost_roles || (after.disabled && !before.disabled);
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            let done = sqlx::query(
                "UPDATE users SET display_name = $1, email = $2, unit = $3, disabled = $4, official_id = $5, \
                 sessions_valid_after = CASE WHEN $6 THEN $7 ELSE sessions_valid_after END, \
                 updated_at = $7, version = version + 1 WHERE id = $8 AND version = $9",
            )
            .bind(&after.display_name).bind(after.email.as_deref()).bind(after.unit.as_deref())
            .bind(after.disabled).bind(after.official.map(|o| o.0)).bind(ends_sessions).bind(now)
            .bind(id.0).bind(before.version)
            .execute(&mut *tx).await?.rows_affected();
            if done != 1 {
                return Err(DomainError::VersionConflict { expected: before.version, current: before.version + 1 }.into());
            }
            if change.roles.is_some() {
                sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(id.0).execute(&mut *tx).await?;
                for r in &after.roles {
                    sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                        .bind(id.0).bind(r.as_str()).execute(&mut *tx).await?;
                }
            }
            let action = match (before.disabled, after.disabled) {
                (false, true) => "user.deactivate",
                (true, false) => "user.reactivate",
                _ => "user.update",
            };
            append_audit!(tx, actor, now, &Change::new(action, "user", id).before(&before).after(&after))?;
            tx.commit().await?;
        });
        self.get_user(id).await
    }

    /// Sets a temporary password, returned once: the user's sessions end, a lockout is
    /// lifted, and the next sign-in asks for a new password.
    ///
    /// # Errors
    /// `user.not_found`; database errors.
    pub async fn reset_password(
        &self,
        id: UserId,
        policy: &LoginPolicy,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<String, StoreError> {
        let user = self.get_user(id).await?;
        let temporary = temporary_password();
        let hash = policy.hash_password(&temporary)?;
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "UPDATE users SET password_hash = $1, must_change_password = TRUE, failed_logins = 0, locked_until = NULL, \
                 sessions_valid_after = $2, updated_at = $2, version = version + 1 WHERE id = $3",
            )
            .bind(&hash).bind(now).bind(id.0).execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("user.reset_password", "user", id)
                .after(&serde_json::json!({ "username": user.username })))?;
            tx.commit().await?;
        });
        Ok(temporary)
    }

    /// What the region has set up, for its checklist.
    ///
    /// # Errors
    /// Database errors.
    pub async fn setup_facts(
        &self,
        region: &str,
        today: time::Date,
    ) -> Result<SetupFacts, StoreError> {
        type Counts = (i64, i64, i64, i64, i64, i64);
        let (head, officials, tkksd, units, staff, head_account): Counts = on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT \
                 (SELECT COUNT(*) FROM officials o WHERE o.region_code = $1 AND o.office = 'kepala_daerah' \
                    AND (o.term_end IS NULL OR o.term_end >= $2) AND TRIM(o.position) <> ''), \
                 (SELECT COUNT(*) FROM officials o WHERE o.region_code = $1 AND o.office <> 'kepala_daerah' \
                    AND (o.term_end IS NULL OR o.term_end >= $2) AND TRIM(o.position) <> ''), \
                 (SELECT COUNT(*) FROM tkksd t JOIN tkksd_members m ON m.tkksd_id = t.id \
                    WHERE t.region_code = $1 AND m.position = 'ketua'), \
                 (SELECT COUNT(*) FROM (SELECT unit FROM officials WHERE region_code = $1 AND unit IS NOT NULL AND TRIM(unit) <> '' \
                    UNION SELECT unit FROM users WHERE region_code = $1 AND unit IS NOT NULL AND TRIM(unit) <> '') u), \
                 (SELECT COUNT(*) FROM users u WHERE u.region_code = $1 AND u.disabled = FALSE \
                    AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role <> 'admin')), \
                 (SELECT COUNT(*) FROM users u JOIN officials o ON o.id = u.official_id \
                    WHERE u.region_code = $1 AND u.disabled = FALSE AND o.office = 'kepala_daerah')",
            )
            .bind(region).bind(today).fetch_one(p).await?
        });
        let n = |v: i64| usize::try_from(v).unwrap_or(0);
        Ok(SetupFacts {
            head: head > 0,
            officials: n(officials),
            tkksd: tkksd > 0,
            units: n(units),
            staff_accounts: n(staff),
            head_account: head_account > 0,
        })
    }
}
