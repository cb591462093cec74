//! A region's accounts, managed by its own admin in the web interface: create, change roles,
//! deactivate and reactivate, reset a password — and the set-up checklist of the dashboard.
//! Who may do it is `sinergi_domain::account`'s rule; this layer looks up the facts.

use crate::{App, AppError, Caller};
use sinergi_domain::DomainError;
use sinergi_domain::FieldError;
use sinergi_domain::account::{self, SetupFacts};
use sinergi_domain::ids::UserId;
use sinergi_store::{AccountChange, LoginPolicy, NewUser, User};

impl App {
    /// Refuses unless the caller manages `region`'s accounts, naming the region whose admin
    /// does (a province admin is told what it sees as pembina instead).
    async fn manages_accounts_of(&self, who: &Caller, region: &str) -> Result<(), AppError> {
        let mut names = std::collections::HashMap::new();
        let own = who.principal.region.clone().unwrap_or_default();
        for code in [region, own.as_str()] {
            if !code.is_empty() && !names.contains_key(code) {
                names.insert(code.to_owned(), self.region_name(code).await);
            }
        }
        account::may_manage_accounts(&who.principal, region, |c| {
            names.get(c).cloned().unwrap_or_else(|| c.to_owned())
        })?;
        Ok(())
    }

    /// The accounts of a region, for its admin.
    ///
    /// # Errors
    /// `auth.accounts_of_another_region`, `auth.forbidden`; database errors.
    pub async fn region_accounts(&self, who: &Caller, region: &str) -> Result<Vec<User>, AppError> {
        self.manages_accounts_of(who, region).await?;
        Ok(self.store.list_users(Some(region)).await?)
    }

    /// Creates an account of the caller's region (the operator: of any region).
    ///
    /// # Errors
    /// Who may manage the region's accounts; roles an admin may not give; the account's
    /// field rules; a taken user name; database errors.
    pub async fn create_account(
        &self,
        who: &Caller,
        region: &str,
        input: &NewUser,
        policy: &LoginPolicy,
    ) -> Result<User, AppError> {
        self.manages_accounts_of(who, region).await?;
        account::check_grant(&who.principal, region, &input.roles, false, false)?;
        let mut input = input.clone();
        input.region = Some(region.to_owned());
        Ok(self
            .store
            .create_user(&input, policy, &who.actor(), self.now())
            .await?)
    }

    /// Changes an account of the caller's region: details, roles, the official it belongs
    /// to, deactivation. An admin cannot deactivate or demote itself.
    ///
    /// # Errors
    /// As `create_account`; `conflict.version` for a stale edit.
    pub async fn update_account(
        &self,
        who: &Caller,
        id: UserId,
        change: &AccountChange,
        expected_version: Option<i64>,
    ) -> Result<User, AppError> {
        let user = self.store.get_user(id).await?;
        let region = account_region(&user)?;
        self.manages_accounts_of(who, &region).await?;
        let roles = change.roles.as_ref().unwrap_or(&user.roles);
        let is_self = who.principal.user_id == Some(id.0);
        let disabled = change.disabled.unwrap_or(user.disabled);
        account::check_grant(&who.principal, &region, roles, is_self, disabled)?;
        Ok(self
            .store
            .update_account(id, change, expected_version, &who.actor(), self.now())
            .await?)
    }

    /// Gives an account of the caller's region a temporary password, returned once; the
    /// user chooses a new one at the next sign-in.
    ///
    /// # Errors
    /// Who may manage the region's accounts; one's own password is changed on the account
    /// page instead; database errors.
    pub async fn reset_account_password(
        &self,
        who: &Caller,
        id: UserId,
        policy: &LoginPolicy,
    ) -> Result<(User, String), AppError> {
        let user = self.store.get_user(id).await?;
        let region = account_region(&user)?;
        self.manages_accounts_of(who, &region).await?;
        if who.principal.user_id == Some(id.0) {
            return Err(DomainError::Validation(vec![FieldError::new(
                "password",
                "self",
                "Kata sandi Anda sendiri diganti di halaman Akun (menu Akun → Ganti kata sandi).",
                "Change your own password on the Account page (Account → Change password).",
            )])
            .into());
        }
        let temporary = self
            .store
            .reset_password(id, policy, &who.actor(), self.now())
            .await?;
        Ok((user, temporary))
    }

    /// What a region has set up, for the dashboard's checklist.
    ///
    /// # Errors
    /// Database errors.
    pub async fn setup_facts(&self, region: &str) -> Result<SetupFacts, AppError> {
        Ok(self.store.setup_facts(region, self.now().date()).await?)
    }
}

fn account_region(user: &User) -> Result<String, AppError> {
    user.region.clone().ok_or_else(|| {
        // A Kemendagri account belongs to no region: only the operator manages it, from
        // the command line.
        DomainError::Forbidden {
            perm: "user_manage",
        }
        .into()
    })
}
