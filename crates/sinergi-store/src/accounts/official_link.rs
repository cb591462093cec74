//! The link between an account and the official record of the person who holds an office
//! (a head of region, an authorised official), which signing relies on.

use super::User;
use crate::audit::{Change, append_audit};
use crate::{Store, StoreError, on_pool};
use sinergi_domain::DomainError;
use sinergi_domain::access::Actor;
use sinergi_domain::ids::{OfficialId, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

impl Store {
    /// The kepala daerah of a region in office on a day (by the recorded terms; a definitive
    /// head before a Pj./Plt., who comes before a Plh.), for "atas nama" entries.
    ///
    /// # Errors
    /// Database errors.
    pub async fn head_in_office(
        &self,
        region: &str,
        day: time::Date,
    ) -> Result<Option<sinergi_domain::official::Official>, StoreError> {
        use sinergi_domain::official::{ActingStatus, OfficeKind};
        let officials = self.officials_of_regions(&[region.to_owned()]).await?;
        let rank = |a: ActingStatus| match a {
            ActingStatus::Definitif => 0,
            ActingStatus::Pj | ActingStatus::Plt => 1,
            ActingStatus::Plh => 2,
        };
        Ok(officials
            .into_iter()
            .filter(|o| o.office == OfficeKind::KepalaDaerah && o.in_office_on(day))
            .min_by_key(|o| (rank(o.acting), std::cmp::Reverse(o.term_start))))
    }

    /// Checks that an account may be linked to an official: the official exists, belongs to
    /// the account's region, and no other account is linked to it.
    pub(super) async fn check_official_link(
        &self,
        official: OfficialId,
        region: Option<&str>,
        user: Option<UserId>,
    ) -> Result<(), StoreError> {
        let o = self
            .find_official(official)
            .await?
            .ok_or_else(|| DomainError::not_found("official", official))?;
        if region != Some(o.region.as_str()) {
            return Err(DomainError::guard(
                "user.official_other_region",
                format!("{} bukan pejabat daerah akun ini.", o.name),
                format!("{} is not an official of this account's region.", o.name),
            )
            .into());
        }
        let other: Option<(Uuid, String)> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT id, username FROM users WHERE official_id = $1").bind(official.0).fetch_optional(p).await?
        });
        if let Some((id, name)) = other
            && Some(UserId(id)) != user
        {
            return Err(DomainError::guard(
                "user.official_taken",
                format!(
                    "{} sudah ditautkan ke akun {name}; satu pejabat, satu akun.",
                    o.name
                ),
                format!(
                    "{} is already linked to the account {name}; one official, one account.",
                    o.name
                ),
            )
            .into());
        }
        Ok(())
    }

    /// Links an account to its official record (or removes the link), audited. Only the
    /// linked account signs electronically as that official.
    ///
    /// # Errors
    /// An official of another region or already linked; database errors.
    pub async fn link_official(
        &self,
        user: UserId,
        official: Option<OfficialId>,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<User, StoreError> {
        let before = self.get_user(user).await?;
        if let Some(o) = official {
            self.check_official_link(o, before.region.as_deref(), Some(user))
                .await?;
        }
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE users SET official_id = $1, updated_at = $2, version = version + 1 WHERE id = $3")
                .bind(official.map(|o| o.0)).bind(now).bind(user.0).execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("user.link_official", "user", user)
                .before(&serde_json::json!({ "official": before.official }))
                .after(&serde_json::json!({ "official": official })))?;
            tx.commit().await?;
        });
        self.get_user(user).await
    }
}
