//! Accounts as a region's admin manages them: what an account must hold, which roles an admin
//! may give, and what a region needs before it can run a case (the set-up checklist).
//!
//! The rules are pure; the store checks the facts (the region exists, the name is free) and
//! the application layer decides who may manage whose accounts.

use crate::access::{Principal, Role, in_province};
use crate::{DomainError, FieldError, Lang};

/// The fields of an account that the rules look at.
#[derive(Debug, Clone, Copy)]
pub struct AccountFields<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub region: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub roles: &'a [Role],
}

/// Checks an account's fields: the user name's form, at least one account role, a region for
/// a regional account and none for Kemendagri alone, pembina only in a province, an OPD name
/// for the OPD roles.
///
/// # Errors
/// Every field error at once.
pub fn validate(u: &AccountFields<'_>) -> Result<(), DomainError> {
    let mut errs = Vec::new();
    let name = u.username.trim();
    if name.len() < 3
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
    {
        errs.push(FieldError::new(
            "username",
            "invalid",
            "Nama pengguna 3–64 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung.",
            "The username has 3–64 characters: lower-case letters, digits, dot, underscore or hyphen.",
        ));
    }
    if u.roles.is_empty() {
        errs.push(FieldError::new(
            "roles",
            "required",
            "Pilih sedikitnya satu peran.",
            "Choose at least one role.",
        ));
    }
    for r in u.roles {
        if !Role::ACCOUNT.contains(r) {
            errs.push(FieldError::new(
                "roles",
                "not_an_account_role",
                format!(
                    "Peran {} tidak dapat diberikan kepada akun.",
                    r.label(Lang::Id)
                ),
                format!(
                    "The role {} cannot be given to an account.",
                    r.label(Lang::En)
                ),
            ));
        }
    }
    let national = u.roles.contains(&Role::Kemendagri);
    match (u.region, national) {
        (None, false) => errs.push(FieldError::new(
            "region",
            "required",
            "Akun daerah wajib memiliki kode wilayah (mis. 62 atau 62.71).",
            "A regional account needs a region code (e.g. 62 or 62.71).",
        )),
        (Some(_), true) if u.roles.len() == 1 => errs.push(FieldError::new(
            "region",
            "not_allowed",
            "Akun Kemendagri tidak terikat pada satu daerah: kosongkan kode wilayah.",
            "A Kemendagri account belongs to no region: leave the region code empty.",
        )),
        _ => {}
    }
    if u.roles.contains(&Role::Pembina) && u.region.is_some_and(|r| r.contains('.')) {
        errs.push(FieldError::new(
            "roles",
            "pembina_province",
            "Peran pembina hanya untuk gubernur: wilayahnya harus provinsi.",
            "The pembina role is for governors: its region must be a province.",
        ));
    }
    if (u.roles.contains(&Role::OpdImplementer) || u.roles.contains(&Role::OpdInitiator))
        && u.unit.is_none_or(|s| s.trim().is_empty())
    {
        errs.push(FieldError::new(
            "unit",
            "required",
            "Peran OPD memerlukan nama perangkat daerah (OPD), mis. Dinas Pariwisata.",
            "An OPD role needs the agency's name, e.g. Dinas Pariwisata.",
        ));
    }
    if u.display_name.chars().count() > 200 {
        errs.push(FieldError::too_long("display_name", 200));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Validation(errs))
    }
}

/// The roles a region's admin may give to its own accounts: every regional account role;
/// pembina only in a province. Kemendagri accounts are the operator's.
#[must_use]
pub fn grantable_roles(region: &str) -> Vec<Role> {
    Role::ACCOUNT
        .into_iter()
        .filter(|r| *r != Role::Kemendagri)
        .filter(|r| *r != Role::Pembina || !region.contains('.'))
        .collect()
}

/// Whether `who` manages the accounts of `region`: the region's own admin, or the operator.
/// A province admin does not manage its kabupaten/kota's accounts: each government has its
/// own Bagian Kerja Sama. `name` gives a region's name for the message.
///
/// # Errors
/// `auth.accounts_of_another_region` (403) naming the region whose admin does it;
/// `auth.forbidden` for a user who is no admin.
pub fn may_manage_accounts(
    who: &Principal,
    region: &str,
    name: impl Fn(&str) -> String,
) -> Result<(), DomainError> {
    if who.has(Role::Operator) {
        return Ok(());
    }
    let own = who.region.as_deref() == Some(region);
    if own && who.has(Role::Admin) {
        return Ok(());
    }
    if !who.has(Role::Admin) {
        return Err(DomainError::Forbidden {
            perm: "user_manage",
        });
    }
    let own = who.region.as_deref().unwrap_or_default();
    Err(DomainError::AccountsOfAnotherRegion {
        region: name(region),
        own: name(own),
        pembina: !own.contains('.') && in_province(region, own) && region != own,
    })
}

/// Checks that an admin gives only roles it may give, and does not lock itself out.
///
/// # Errors
/// A field error on `roles` naming the role; `disabled` when an admin would deactivate or
/// demote its own account.
pub fn check_grant(
    who: &Principal,
    region: &str,
    roles: &[Role],
    target_is_self: bool,
    disabled: bool,
) -> Result<(), DomainError> {
    let mut errs = Vec::new();
    if !who.has(Role::Operator) {
        let allowed = grantable_roles(region);
        for r in roles {
            if Role::ACCOUNT.contains(r) && !allowed.contains(r) {
                errs.push(FieldError::new(
                    "roles",
                    "not_grantable",
                    format!(
                        "Admin daerah tidak dapat memberikan peran {}.",
                        r.label(Lang::Id)
                    ),
                    format!(
                        "A region's admin cannot give the role {}.",
                        r.label(Lang::En)
                    ),
                ));
            }
        }
    }
    if target_is_self && disabled {
        errs.push(FieldError::new(
            "disabled",
            "self",
            "Anda tidak dapat menonaktifkan akun Anda sendiri; minta admin lain atau operator.",
            "You cannot deactivate your own account; ask another admin or the operator.",
        ));
    }
    if target_is_self && !roles.contains(&Role::Admin) {
        errs.push(FieldError::new(
            "roles",
            "self_admin",
            "Anda tidak dapat mencabut peran admin dari akun Anda sendiri.",
            "You cannot take the admin role from your own account.",
        ));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Validation(errs))
    }
}

/// What a region has set up, as the checklist counts it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SetupFacts {
    /// A kepala daerah in office is recorded, with a title.
    pub head: bool,
    /// Officials recorded with their titles (beyond the head).
    pub officials: usize,
    /// A TKKSD is formed with a chair.
    pub tkksd: bool,
    /// Perangkat daerah (units) named on officials or accounts.
    pub units: usize,
    /// Accounts of the region other than admins.
    pub staff_accounts: usize,
    /// The kepala daerah's own account is linked to the official record.
    pub head_account: bool,
}

/// One item of the set-up checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetupItem {
    pub key: &'static str,
    pub done: bool,
    /// Whether a case cannot run without it (the others are recommended).
    pub required: bool,
}

/// The set-up checklist, in the order an admin works through it.
#[must_use]
pub fn checklist(f: &SetupFacts) -> Vec<SetupItem> {
    vec![
        SetupItem {
            key: "head",
            done: f.head,
            required: true,
        },
        SetupItem {
            key: "officials",
            done: f.officials > 0,
            required: true,
        },
        SetupItem {
            key: "tkksd",
            done: f.tkksd,
            required: true,
        },
        SetupItem {
            key: "units",
            done: f.units > 0,
            required: true,
        },
        SetupItem {
            key: "accounts",
            done: f.staff_accounts > 0,
            required: false,
        },
        SetupItem {
            key: "head_account",
            done: f.head_account,
            required: false,
        },
    ]
}

/// Whether the region can run a case: every required item is done.
#[must_use]
pub fn ready(f: &SetupFacts) -> bool {
    checklist(f).iter().all(|i| i.done || !i.required)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin(region: &str) -> Principal {
        Principal {
            region: Some(region.to_owned()),
            roles: vec![Role::Admin],
            ..Principal::anonymous()
        }
    }

    #[test]
    fn an_admin_manages_only_its_own_region() {
        let name = |c: &str| format!("wilayah {c}");
        assert!(may_manage_accounts(&admin("62.71"), "62.71", name).is_ok());
        let e = may_manage_accounts(&admin("62"), "62.71", name).unwrap_err();
        assert!(
            matches!(&e, DomainError::AccountsOfAnotherRegion { pembina: true, region, .. } if region == "wilayah 62.71"),
            "{e:?}"
        );
        let e = may_manage_accounts(&admin("51"), "62.71", name).unwrap_err();
        assert!(
            matches!(
                e,
                DomainError::AccountsOfAnotherRegion { pembina: false, .. }
            ),
            "{e:?}"
        );
        let staff = Principal {
            roles: vec![Role::TkksdChair],
            ..admin("62.71")
        };
        assert!(matches!(
            may_manage_accounts(&staff, "62.71", name),
            Err(DomainError::Forbidden { .. })
        ));
        assert!(may_manage_accounts(&Principal::operator(), "51", name).is_ok());
    }

    #[test]
    fn kemendagri_is_not_grantable_and_pembina_only_in_a_province() {
        assert!(!grantable_roles("62").contains(&Role::Kemendagri));
        assert!(grantable_roles("62").contains(&Role::Pembina));
        assert!(!grantable_roles("62.71").contains(&Role::Pembina));
        assert!(check_grant(&admin("62"), "62", &[Role::Kemendagri], false, false).is_err());
        assert!(check_grant(&admin("62"), "62", &[Role::Pembina], false, false).is_ok());
        assert!(
            check_grant(
                &Principal::operator(),
                "62",
                &[Role::Kemendagri],
                false,
                false
            )
            .is_ok()
        );
    }

    #[test]
    fn an_admin_cannot_lock_itself_out() {
        let me = admin("62");
        assert!(check_grant(&me, "62", &[Role::Admin], true, true).is_err());
        assert!(check_grant(&me, "62", &[Role::TkksdChair], true, false).is_err());
        assert!(check_grant(&me, "62", &[Role::Admin, Role::TkksdChair], true, false).is_ok());
    }

    #[test]
    fn the_checklist_is_ready_once_the_required_items_are_done() {
        let mut f = SetupFacts::default();
        assert!(!ready(&f));
        f.head = true;
        f.officials = 2;
        f.tkksd = true;
        assert!(!ready(&f), "units are required");
        f.units = 1;
        assert!(ready(&f), "accounts and the head's account are recommended");
        assert_eq!(checklist(&f).iter().filter(|i| !i.done).count(), 2);
    }

    #[test]
    fn validation_names_each_field() {
        let e = validate(&AccountFields {
            username: "A",
            display_name: "",
            region: None,
            unit: None,
            roles: &[Role::OpdInitiator],
        })
        .unwrap_err();
        let DomainError::Validation(errs) = e else {
            panic!()
        };
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["username", "region", "unit"]);
    }
}
