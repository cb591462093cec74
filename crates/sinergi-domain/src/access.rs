//! Who may do what: roles (domain.md §15 items 35–43), the caller's relation to a case or a
//! region, and the one permission table the web layer consults for every route.
//!
//! The table is data: `POLICY` lists, for every permission and role, the relations under which
//! it is granted. `docs/permissions.md` is generated from the same table
//! (`sinergi admin permissions`), and a test walks every route × role × relation through it.

use serde::{Deserialize, Serialize};

/// A role a user holds in their region (or oversight body). Identifiers are snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Admin of the KSD secretariat (Biro/Bagian Kerja Sama) of the user's region.
    Admin,
    /// Chair of the TKKSD (usually the Sekda).
    TkksdChair,
    /// Member of the TKKSD.
    TkksdMember,
    /// OPD initiating a cooperation (operator, kepala OPD).
    OpdInitiator,
    /// OPD implementing a cooperation; sees only the cases its OPD is involved in.
    OpdImplementer,
    /// The kepala daerah, signatory of offers, KB and PKS.
    KepalaDaerah,
    /// Staff entering decisions on the kepala daerah's behalf ("atas nama", logged as such).
    KepalaDaerahStaff,
    /// An official holding a surat kuasa: may sign a PKS, never a KB.
    AuthorizedOfficial,
    /// DPRD liaison: read-only.
    Dprd,
    /// The governor as pembina of the regencies and cities of the province: read-only.
    Pembina,
    /// Kemendagri: national read-only view.
    Kemendagri,
    /// The platform operator (installation, legacy data entry) — configured, not a user.
    Operator,
    /// An anonymous visitor.
    Public,
}

impl Role {
    /// Roles a user account can hold (operator and public are not account roles).
    pub const ACCOUNT: [Self; 11] = [
        Self::Admin,
        Self::TkksdChair,
        Self::TkksdMember,
        Self::OpdInitiator,
        Self::OpdImplementer,
        Self::KepalaDaerah,
        Self::KepalaDaerahStaff,
        Self::AuthorizedOfficial,
        Self::Dprd,
        Self::Pembina,
        Self::Kemendagri,
    ];

    /// Every role, for the permission table and its tests.
    pub const ALL: [Self; 13] = [
        Self::Admin,
        Self::TkksdChair,
        Self::TkksdMember,
        Self::OpdInitiator,
        Self::OpdImplementer,
        Self::KepalaDaerah,
        Self::KepalaDaerahStaff,
        Self::AuthorizedOfficial,
        Self::Dprd,
        Self::Pembina,
        Self::Kemendagri,
        Self::Operator,
        Self::Public,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::TkksdChair => "tkksd_chair",
            Self::TkksdMember => "tkksd_member",
            Self::OpdInitiator => "opd_initiator",
            Self::OpdImplementer => "opd_implementer",
            Self::KepalaDaerah => "kepala_daerah",
            Self::KepalaDaerahStaff => "kepala_daerah_staff",
            Self::AuthorizedOfficial => "authorized_official",
            Self::Dprd => "dprd",
            Self::Pembina => "pembina",
            Self::Kemendagri => "kemendagri",
            Self::Operator => "operator",
            Self::Public => "public",
        }
    }

    /// Parses an identifier.
    ///
    /// # Errors
    /// An unknown role, naming the accepted ones.
    pub fn parse(s: &str) -> Result<Self, crate::DomainError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| {
                crate::DomainError::Validation(vec![crate::FieldError::new(
                    "role",
                    "unknown_role",
                    format!(
                        "Peran \"{s}\" tidak dikenal. Pilih salah satu: {}.",
                        Self::account_list()
                    ),
                    format!(
                        "Unknown role \"{s}\". Choose one of: {}.",
                        Self::account_list()
                    ),
                )])
            })
    }

    fn account_list() -> String {
        Self::ACCOUNT
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The role's name for people.
    #[must_use]
    pub const fn label(self, lang: crate::Lang) -> &'static str {
        let (id, en) = match self {
            Self::Admin => ("Admin Sekretariat KSD", "KSD secretariat admin"),
            Self::TkksdChair => ("Ketua TKKSD", "TKKSD chair"),
            Self::TkksdMember => ("Anggota TKKSD", "TKKSD member"),
            Self::OpdInitiator => ("OPD Pemrakarsa", "Initiating agency (OPD)"),
            Self::OpdImplementer => ("OPD Pelaksana", "Implementing agency (OPD)"),
            Self::KepalaDaerah => ("Kepala Daerah", "Head of region"),
            Self::KepalaDaerahStaff => (
                "Staf atas nama Kepala Daerah",
                "Staff on behalf of the head of region",
            ),
            Self::AuthorizedOfficial => ("Pejabat Penerima Kuasa", "Authorised official"),
            Self::Dprd => ("DPRD", "Regional parliament (DPRD)"),
            Self::Pembina => ("Gubernur selaku Pembina", "Governor as supervisor"),
            Self::Kemendagri => ("Kemendagri", "Ministry of Home Affairs"),
            Self::Operator => ("Operator platform", "Platform operator"),
            Self::Public => ("Publik", "Public"),
        };
        match lang {
            crate::Lang::Id => id,
            crate::Lang::En => en,
        }
    }
}

/// The caller's relation to the thing acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The caller's region is the side that owns the thing: the initiating party of a case,
    /// the region of a side's note, the region whose officials are edited.
    Own,
    /// The caller's region is the other party of the case (or owns the other side).
    Partner,
    /// The caller oversees a party: the governor over the regencies and cities of the
    /// province, Kemendagri over everyone.
    Supervised,
    /// No relation: another region, or nobody signed in.
    Unrelated,
}

impl Relation {
    pub const ALL: [Self; 4] = [Self::Own, Self::Partner, Self::Supervised, Self::Unrelated];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Own => "own",
            Self::Partner => "partner",
            Self::Supervised => "supervised",
            Self::Unrelated => "unrelated",
        }
    }
}

/// What a route does, as far as permission goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Perm {
    /// Public reference data, regions and their public profile, health, the language switch.
    PublicRead,
    /// Signing in and out, one's own account.
    Account,
    /// Reading a published case's public facts (anyone) or any case one is party to.
    CaseRead,
    /// Opening a new case in which one's region is a party.
    CaseCreate,
    /// Editing a case's shared content: scope, objectives, meetings, letters, drafts.
    CaseEdit,
    /// Editing one side's own party record (status, number, signatory, DPRD assessment).
    PartyEdit,
    /// Moving a case along its regulated path.
    CaseTransition,
    /// Signing (or recording the signature of) an agreement.
    AgreementSign,
    /// Reading one side's private notes, TKKSD reviews and DPRD papers.
    NoteRead,
    /// Writing and sharing one side's private notes.
    NoteWrite,
    /// Officials and the TKKSD of a region.
    RegionManage,
    /// Accounts and tokens of a region's users.
    UserManage,
    /// The audit log of a case or a user.
    AuditRead,
    /// Importing statistical tables (BPS) into the regional-potential observations.
    DataImport,
    /// Internal monitoring records — evidence files (photos may show people) and the M&E
    /// forms: the parties and the overseers, never the public.
    InternalRead,
    /// Monitoring and evaluation forms (implementer, TKKSD lokus, admin).
    Evaluate,
    /// A region's reports (register, evaluation, urusan mapping).
    ReportRead,
    /// Bringing a region's existing register of agreements in from a spreadsheet.
    RegisterImport,
    /// Correcting the shipped reference data (land borders): the platform operator only.
    ReferenceManage,
}

impl Perm {
    pub const ALL: [Self; 19] = [
        Self::PublicRead,
        Self::Account,
        Self::CaseRead,
        Self::CaseCreate,
        Self::CaseEdit,
        Self::PartyEdit,
        Self::CaseTransition,
        Self::AgreementSign,
        Self::NoteRead,
        Self::NoteWrite,
        Self::RegionManage,
        Self::UserManage,
        Self::AuditRead,
        Self::DataImport,
        Self::InternalRead,
        Self::Evaluate,
        Self::ReportRead,
        Self::RegisterImport,
        Self::ReferenceManage,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PublicRead => "public_read",
            Self::Account => "account",
            Self::CaseRead => "case_read",
            Self::CaseCreate => "case_create",
            Self::CaseEdit => "case_edit",
            Self::PartyEdit => "party_edit",
            Self::CaseTransition => "case_transition",
            Self::AgreementSign => "agreement_sign",
            Self::NoteRead => "note_read",
            Self::NoteWrite => "note_write",
            Self::RegionManage => "region_manage",
            Self::UserManage => "user_manage",
            Self::AuditRead => "audit_read",
            Self::DataImport => "data_import",
            Self::InternalRead => "internal_read",
            Self::Evaluate => "evaluate",
            Self::ReportRead => "report_read",
            Self::RegisterImport => "register_import",
            Self::ReferenceManage => "reference_manage",
        }
    }

    /// Whether the permission changes data (a read-only token may not use it).
    #[must_use]
    pub const fn writes(self) -> bool {
        !matches!(
            self,
            Self::PublicRead
                | Self::CaseRead
                | Self::NoteRead
                | Self::AuditRead
                | Self::Account
                | Self::InternalRead
                | Self::ReportRead
        )
    }
}

use Relation::{Own, Partner, Supervised, Unrelated};
use Role::{
    Admin, AuthorizedOfficial, Dprd, Kemendagri, KepalaDaerah, KepalaDaerahStaff, OpdImplementer,
    OpdInitiator, Operator, Pembina, Public, TkksdChair, TkksdMember,
};

const ANY: &[Relation] = &[Own, Partner, Supervised, Unrelated];
const SIDES: &[Relation] = &[Own, Partner];
const OWN: &[Relation] = &[Own];
const READERS: &[Relation] = &[Own, Partner, Supervised];

/// One row of the permission table.
#[derive(Debug, Clone, Copy)]
pub struct Grant {
    pub perm: Perm,
    pub role: Role,
    pub relations: &'static [Relation],
}

const fn g(perm: Perm, role: Role, relations: &'static [Relation]) -> Grant {
    Grant {
        perm,
        role,
        relations,
    }
}

/// The permission table. A (perm, role) pair not listed is denied under every relation.
/// Published cases are readable by everyone through [`Access::can_read_case`] regardless.
pub const POLICY: &[Grant] = &[
    // Public pages: everyone.
    g(Perm::PublicRead, Public, ANY),
    g(Perm::PublicRead, Admin, ANY),
    g(Perm::PublicRead, TkksdChair, ANY),
    g(Perm::PublicRead, TkksdMember, ANY),
    g(Perm::PublicRead, OpdInitiator, ANY),
    g(Perm::PublicRead, OpdImplementer, ANY),
    g(Perm::PublicRead, KepalaDaerah, ANY),
    g(Perm::PublicRead, KepalaDaerahStaff, ANY),
    g(Perm::PublicRead, AuthorizedOfficial, ANY),
    g(Perm::PublicRead, Dprd, ANY),
    g(Perm::PublicRead, Pembina, ANY),
    g(Perm::PublicRead, Kemendagri, ANY),
    g(Perm::PublicRead, Operator, ANY),
    // One's own account: every signed-in user.
    g(Perm::Account, Admin, ANY),
    g(Perm::Account, TkksdChair, ANY),
    g(Perm::Account, TkksdMember, ANY),
    g(Perm::Account, OpdInitiator, ANY),
    g(Perm::Account, OpdImplementer, ANY),
    g(Perm::Account, KepalaDaerah, ANY),
    g(Perm::Account, KepalaDaerahStaff, ANY),
    g(Perm::Account, AuthorizedOfficial, ANY),
    g(Perm::Account, Dprd, ANY),
    g(Perm::Account, Pembina, ANY),
    g(Perm::Account, Kemendagri, ANY),
    // Reading a case that is not published: its parties and their overseers.
    g(Perm::CaseRead, Admin, SIDES),
    g(Perm::CaseRead, TkksdChair, SIDES),
    g(Perm::CaseRead, TkksdMember, SIDES),
    g(Perm::CaseRead, OpdInitiator, SIDES),
    g(Perm::CaseRead, OpdImplementer, SIDES),
    g(Perm::CaseRead, KepalaDaerah, SIDES),
    g(Perm::CaseRead, KepalaDaerahStaff, SIDES),
    g(Perm::CaseRead, AuthorizedOfficial, SIDES),
    g(Perm::CaseRead, Dprd, SIDES),
    g(Perm::CaseRead, Pembina, READERS),
    g(Perm::CaseRead, Kemendagri, READERS),
    g(Perm::CaseRead, Operator, ANY),
    // Opening a case for one's own region.
    g(Perm::CaseCreate, Admin, OWN),
    g(Perm::CaseCreate, OpdInitiator, OWN),
    g(Perm::CaseCreate, Operator, ANY),
    // The shared content: both sides.
    g(Perm::CaseEdit, Admin, SIDES),
    g(Perm::CaseEdit, TkksdChair, SIDES),
    g(Perm::CaseEdit, OpdInitiator, SIDES),
    g(Perm::CaseEdit, OpdImplementer, SIDES),
    g(Perm::CaseEdit, Operator, ANY),
    // One side's own party record.
    g(Perm::PartyEdit, Admin, OWN),
    g(Perm::PartyEdit, TkksdChair, OWN),
    g(Perm::PartyEdit, Operator, ANY),
    // The regulated path: the secretariats and TKKSD chairs of both sides.
    g(Perm::CaseTransition, Admin, SIDES),
    g(Perm::CaseTransition, TkksdChair, SIDES),
    g(Perm::CaseTransition, Operator, ANY),
    // Signing: the kepala daerah, staff on their behalf, an authorised official (PKS only,
    // checked by the agreement rules), and the secretariat recording a signing.
    g(Perm::AgreementSign, Admin, SIDES),
    g(Perm::AgreementSign, KepalaDaerah, SIDES),
    g(Perm::AgreementSign, KepalaDaerahStaff, SIDES),
    g(Perm::AgreementSign, AuthorizedOfficial, SIDES),
    g(Perm::AgreementSign, Operator, ANY),
    // One side's private papers: only that side.
    g(Perm::NoteRead, Admin, OWN),
    g(Perm::NoteRead, TkksdChair, OWN),
    g(Perm::NoteRead, TkksdMember, OWN),
    g(Perm::NoteRead, KepalaDaerah, OWN),
    g(Perm::NoteRead, KepalaDaerahStaff, OWN),
    g(Perm::NoteRead, Dprd, OWN),
    g(Perm::NoteWrite, Admin, OWN),
    g(Perm::NoteWrite, TkksdChair, OWN),
    g(Perm::NoteWrite, TkksdMember, OWN),
    // A region's officials and TKKSD: its own secretariat.
    g(Perm::RegionManage, Admin, OWN),
    g(Perm::RegionManage, Operator, ANY),
    // A region's accounts: its own secretariat.
    g(Perm::UserManage, Admin, OWN),
    g(Perm::UserManage, Operator, ANY),
    // The audit log: the secretariats of the parties, overseers read it too.
    g(Perm::AuditRead, Admin, SIDES),
    g(Perm::AuditRead, Pembina, READERS),
    g(Perm::AuditRead, Kemendagri, READERS),
    g(Perm::AuditRead, Operator, ANY),
    // Statistical tables are national reference data: any secretariat may import them.
    g(Perm::DataImport, Admin, OWN),
    g(Perm::DataImport, Operator, ANY),
    // Evidence of the implementation: the parties' staff and the overseers, never the public.
    g(Perm::InternalRead, Admin, SIDES),
    g(Perm::InternalRead, TkksdChair, SIDES),
    g(Perm::InternalRead, TkksdMember, SIDES),
    g(Perm::InternalRead, OpdInitiator, SIDES),
    g(Perm::InternalRead, OpdImplementer, SIDES),
    g(Perm::InternalRead, KepalaDaerah, SIDES),
    g(Perm::InternalRead, KepalaDaerahStaff, SIDES),
    g(Perm::InternalRead, Dprd, SIDES),
    g(Perm::InternalRead, Pembina, READERS),
    g(Perm::InternalRead, Kemendagri, READERS),
    g(Perm::InternalRead, Operator, ANY),
    // The three M&E forms (domain.md §9): implementer, TKKSD lokus, secretariat.
    g(Perm::Evaluate, Admin, SIDES),
    g(Perm::Evaluate, TkksdChair, SIDES),
    g(Perm::Evaluate, TkksdMember, SIDES),
    g(Perm::Evaluate, OpdImplementer, SIDES),
    g(Perm::Evaluate, Operator, ANY),
    // Reports for the kepala daerah, the governor and Kemendagri.
    g(Perm::ReportRead, Admin, OWN),
    g(Perm::ReportRead, TkksdChair, OWN),
    g(Perm::ReportRead, KepalaDaerah, OWN),
    g(Perm::ReportRead, KepalaDaerahStaff, OWN),
    g(Perm::ReportRead, Dprd, OWN),
    g(Perm::ReportRead, Pembina, &[Own, Supervised]),
    g(Perm::ReportRead, Kemendagri, READERS),
    g(Perm::ReportRead, Operator, ANY),
    // A region's register of past agreements: its own secretariat records them.
    g(Perm::RegisterImport, Admin, OWN),
    g(Perm::RegisterImport, Operator, ANY),
    // Corrections of the shipped reference data (borders [U]): the operator.
    g(Perm::ReferenceManage, Operator, ANY),
];

/// Whether one role may use a permission under a relation.
#[must_use]
pub fn granted(perm: Perm, role: Role, relation: Relation) -> bool {
    POLICY
        .iter()
        .any(|gr| gr.perm == perm && gr.role == role && gr.relations.contains(&relation))
}

/// The signed-in caller (or the anonymous visitor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    /// The account id; `None` for the operator and for visitors.
    pub user_id: Option<uuid::Uuid>,
    /// The account name ("operator" for the configured operator token, "" for visitors).
    pub username: String,
    pub display_name: String,
    /// The user's region; `None` for Kemendagri, the operator and visitors.
    pub region: Option<String>,
    /// The user's OPD, for OPD roles.
    pub unit: Option<String>,
    pub roles: Vec<Role>,
    /// Whether the credential allows writes (a read-scoped API token does not).
    pub can_write: bool,
    /// The CSRF token of the browser session, when signed in through the browser.
    #[serde(skip)]
    pub csrf: Option<String>,
    /// The official on whose behalf a kepala_daerah_staff user acts ("atas nama").
    pub on_behalf_of: Option<String>,
    /// The official record this account belongs to (a kepala daerah's own account, an
    /// official holding a surat kuasa): only it may sign electronically as that official.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub official: Option<uuid::Uuid>,
    /// The user's preferred language (`id` or `en`).
    pub language: Option<String>,
}

impl Principal {
    /// An anonymous visitor.
    #[must_use]
    pub fn anonymous() -> Self {
        Self {
            user_id: None,
            username: String::new(),
            display_name: String::new(),
            region: None,
            unit: None,
            roles: vec![Role::Public],
            can_write: false,
            csrf: None,
            on_behalf_of: None,
            official: None,
            language: None,
        }
    }

    /// The configured platform operator.
    #[must_use]
    pub fn operator() -> Self {
        Self {
            user_id: None,
            username: "operator".to_owned(),
            display_name: "Operator".to_owned(),
            region: None,
            unit: None,
            roles: vec![Role::Operator],
            can_write: true,
            csrf: None,
            on_behalf_of: None,
            official: None,
            language: None,
        }
    }

    #[must_use]
    pub fn is_anonymous(&self) -> bool {
        self.roles == [Role::Public]
    }

    #[must_use]
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The caller's relation to a case with the given party regions (initiator first) and
    /// the OPDs involved per region.
    #[must_use]
    pub fn relation_to_case(&self, parties: &[String]) -> Relation {
        match &self.region {
            Some(r) if parties.first() == Some(r) => Relation::Own,
            Some(r) if parties.contains(r) => Relation::Partner,
            _ if self.has(Role::Kemendagri) => Relation::Supervised,
            Some(r) if self.has(Role::Pembina) && parties.iter().any(|p| in_province(p, r)) => {
                Relation::Supervised
            }
            _ => Relation::Unrelated,
        }
    }

    /// The caller's relation to one side (a region) — of a case, or a region's own records.
    #[must_use]
    pub fn relation_to_side(&self, side: &str, case_parties: &[String]) -> Relation {
        match &self.region {
            Some(r) if r == side => Relation::Own,
            Some(r) if case_parties.contains(r) => Relation::Partner,
            _ if self.has(Role::Kemendagri) => Relation::Supervised,
            Some(r) if self.has(Role::Pembina) && in_province(side, r) => Relation::Supervised,
            _ => Relation::Unrelated,
        }
    }

    /// Whether any of the caller's roles grants `perm` under `relation`. An OPD implementer
    /// counts only on cases its OPD is involved in (`unit_involved`).
    #[must_use]
    pub fn may(&self, perm: Perm, relation: Relation, unit_involved: bool) -> bool {
        if perm.writes() && !self.can_write {
            return false;
        }
        self.roles.iter().any(|&role| {
            let rel = if role == Role::OpdImplementer && !unit_involved {
                Relation::Unrelated
            } else {
                relation
            };
            granted(perm, role, rel)
        })
    }

    /// The name written into history rows: the user, and on whose behalf.
    #[must_use]
    pub fn actor_label(&self) -> String {
        match &self.on_behalf_of {
            Some(o) if self.has(Role::KepalaDaerahStaff) => format!("{} a.n. {o}", self.username),
            _ if self.username.is_empty() => "publik".to_owned(),
            _ => self.username.clone(),
        }
    }
}

/// Whether a regency/city code lies in a province (`62.01` in `62`).
#[must_use]
pub fn in_province(code: &str, province: &str) -> bool {
    code.split('.').next() == Some(province) && code != province
}

/// Who made a change, for history rows and the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Actor {
    pub user_id: Option<uuid::Uuid>,
    /// The name shown in history ("budi", "budi a.n. Gubernur", "operator", "system").
    pub label: String,
    pub on_behalf_of: Option<String>,
    /// The roles the change was made under.
    pub role: Option<String>,
    pub region: Option<String>,
    pub request_id: Option<String>,
}

impl Actor {
    /// A change made by Sinergi itself or a command-line tool.
    #[must_use]
    pub fn system(label: &str) -> Self {
        Self {
            label: label.to_owned(),
            ..Self::default()
        }
    }

    /// The actor for a principal's request.
    #[must_use]
    pub fn of(p: &Principal, request_id: Option<String>) -> Self {
        Self {
            user_id: p.user_id,
            label: p.actor_label(),
            on_behalf_of: p.on_behalf_of.clone(),
            role: Some(
                p.roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            region: p.region.clone(),
            request_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_ids_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).ok(), Some(r));
        }
        assert!(Role::parse("superuser").is_err());
    }

    #[test]
    fn public_may_only_read_public_data() {
        for p in Perm::ALL {
            let allowed = Relation::ALL.iter().any(|&r| granted(p, Public, r));
            assert_eq!(allowed, p == Perm::PublicRead, "{p:?}");
        }
    }

    #[test]
    fn read_only_roles_never_write() {
        for role in [Dprd, Pembina, Kemendagri, Public] {
            for p in Perm::ALL.into_iter().filter(|p| p.writes()) {
                for r in Relation::ALL {
                    assert!(!granted(p, role, r), "{role:?} {p:?} {r:?}");
                }
            }
        }
    }

    #[test]
    fn private_notes_stay_on_their_side() {
        for role in Role::ALL {
            assert!(!granted(Perm::NoteRead, role, Relation::Partner) || role == Operator);
            assert!(!granted(Perm::NoteRead, role, Relation::Unrelated));
        }
    }

    #[test]
    fn relations() {
        let mut p = Principal::anonymous();
        p.region = Some("62".into());
        p.roles = vec![Admin];
        let parties = vec!["62".to_owned(), "51".to_owned()];
        assert_eq!(p.relation_to_case(&parties), Own);
        p.region = Some("51".into());
        assert_eq!(p.relation_to_case(&parties), Partner);
        p.region = Some("63".into());
        assert_eq!(p.relation_to_case(&parties), Unrelated);
        p.roles = vec![Pembina];
        p.region = Some("62".into());
        assert_eq!(
            p.relation_to_case(&["62.01".to_owned(), "63.01".to_owned()]),
            Supervised
        );
        assert!(in_province("62.71", "62"));
        assert!(!in_province("62", "62"));
    }

    #[test]
    fn opd_implementer_sees_only_its_cases() {
        let mut p = Principal::anonymous();
        p.region = Some("62".into());
        p.roles = vec![OpdImplementer];
        assert!(p.may(Perm::CaseRead, Own, true));
        assert!(!p.may(Perm::CaseRead, Own, false));
    }

    #[test]
    fn read_only_token_cannot_write() {
        let mut p = Principal::operator();
        p.can_write = false;
        assert!(!p.may(Perm::CaseEdit, Own, true));
        assert!(p.may(Perm::CaseRead, Own, true));
    }
}
