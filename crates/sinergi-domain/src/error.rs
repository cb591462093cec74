//! Domain errors: each has a stable machine code and a message in Indonesian and English.
//! The web layer renders them once for JSON and once for HTML; nobody else matches on them.

use crate::lang::Lang;
use serde::Serialize;

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field, as named in the request (`parties[1].region`, `ends_on`).
    pub field: String,
    /// Stable machine code, e.g. `required`, `too_long`.
    pub code: String,
    /// Message in Indonesian.
    pub message_id: String,
    /// Message in English.
    pub message_en: String,
}

impl FieldError {
    #[must_use]
    pub fn new(
        field: impl Into<String>,
        code: &str,
        id: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code: code.to_owned(),
            message_id: id.into(),
            message_en: en.into(),
        }
    }

    /// A required field left empty; the message names the field in words.
    #[must_use]
    pub fn required(field: &str) -> Self {
        let (id, en) = crate::field_words::words(field);
        Self::new(
            field,
            "required",
            format!("{id} wajib diisi."),
            format!("{en} is required."),
        )
    }

    /// A text over its maximum length; the message names the field in words.
    #[must_use]
    pub fn too_long(field: &str, max: usize) -> Self {
        let (id, en) = crate::field_words::words(field);
        Self::new(
            field,
            "too_long",
            format!("{id} paling banyak {max} karakter."),
            format!("{en} may have at most {max} characters."),
        )
    }

    #[must_use]
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.message_id, &self.message_en)
    }
}

/// Everything the domain can refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("validation failed: {0:?}")]
    Validation(Vec<FieldError>),
    #[error("unknown region {0}")]
    UnknownRegion(String),
    #[error("region {0} is not a provinsi, kabupaten or kota")]
    NotADaerah(String),
    #[error("party {0} is listed twice")]
    DuplicateParty(String),
    #[error("a case needs at least two parties")]
    TooFewParties,
    #[error("kind {kind} does not allow party {party}")]
    PartyNotAllowed { kind: String, party: String },
    #[error("{a} and {b} do not border each other")]
    NotBordering { a: String, b: String },
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    #[error("action {action} is not allowed in stage {stage}")]
    InvalidTransition { action: String, stage: String },
    #[error("guard {code} failed: {en}")]
    Guard {
        code: &'static str,
        id: String,
        en: String,
    },
    #[error("stale version: expected {expected}, current {current}")]
    VersionConflict { expected: i64, current: i64 },
    #[error("{later} is before {earlier}")]
    DatesOutOfOrder { earlier: String, later: String },
    #[error("term of {years} years exceeds the maximum of {max} years")]
    TermTooLong { years: String, max: u32 },
    #[error("a PKS needs an active Kesepakatan Bersama")]
    PksWithoutActiveKb,
    #[error("the case is closed in stage {0}")]
    CaseClosed(String),
    /// A new case that does not include the caller's own government as a party. `supervises`
    /// is set when the caller's region is a province and a party is one of its regencies or
    /// cities (the province oversees it as pembina; it does not run its cases).
    #[error("the caller's region {own} is not a party")]
    NotOwnRegion {
        own: String,
        supervises: Option<String>,
    },
    /// An admin managing the accounts of another government. `pembina` is set when the
    /// caller's province oversees that regency or city.
    #[error("the accounts of {region} are managed by its own admin")]
    AccountsOfAnotherRegion {
        region: String,
        own: String,
        pembina: bool,
    },
    /// The caller's role does not grant the permission the operation needs.
    #[error("permission {perm} is not granted")]
    Forbidden { perm: &'static str },
    /// The act belongs to another party of the case: only that party's users may do it.
    #[error("{act_en} of {owner} belongs to {owner}")]
    NotYourAct {
        /// The act, in Indonesian ("Keputusan DPRD").
        act_id: String,
        /// The act, in English ("The DPRD decision").
        act_en: String,
        /// The party whose act it is ("Provinsi Bali").
        owner: String,
        /// The caller's own party, when it is one ("Provinsi Kalimantan Tengah").
        caller: Option<String>,
    },
}

impl DomainError {
    /// A guard failure with its own code.
    #[must_use]
    pub fn guard(code: &'static str, id: impl Into<String>, en: impl Into<String>) -> Self {
        Self::Guard {
            code,
            id: id.into(),
            en: en.into(),
        }
    }

    #[must_use]
    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    /// Stable machine code, part of the API contract.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation.failed",
            Self::UnknownRegion(_) => "region.unknown",
            Self::NotADaerah(_) => "region.not_daerah",
            Self::DuplicateParty(_) => "case.duplicate_party",
            Self::TooFewParties => "case.too_few_parties",
            Self::PartyNotAllowed { .. } => "case.party_not_allowed",
            Self::NotBordering { .. } => "case.wajib_requires_border",
            Self::NotFound { entity, .. } => match *entity {
                "case" => "case.not_found",
                "region" => "region.not_found",
                "meeting" => "meeting.not_found",
                "agreement" => "agreement.not_found",
                "official" => "official.not_found",
                "letter" => "letter.not_found",
                _ => "not_found",
            },
            Self::InvalidTransition { .. } => "case.invalid_transition",
            Self::Guard { code, .. } => code,
            Self::VersionConflict { .. } => "case.version_conflict",
            Self::DatesOutOfOrder { .. } => "validation.dates_out_of_order",
            Self::TermTooLong { .. } => "agreement.term_too_long",
            Self::PksWithoutActiveKb => "agreement.pks_requires_active_kb",
            Self::CaseClosed(_) => "case.closed",
            Self::Forbidden { .. } => "auth.forbidden",
            Self::NotOwnRegion { .. } => "auth.not_own_region",
            Self::AccountsOfAnotherRegion { .. } => "auth.accounts_of_another_region",
            Self::NotYourAct { .. } => "auth.not_your_act",
        }
    }

    /// Field-level details, when there are any.
    #[must_use]
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Self::Validation(f) => f,
            _ => &[],
        }
    }

    /// The human message in the user's language.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let (id, en) = match self {
            Self::Validation(fields) => {
                let id = fields
                    .iter()
                    .map(|f| f.message_id.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let en = fields
                    .iter()
                    .map(|f| f.message_en.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                (
                    format!("Data tidak valid. {id}"),
                    format!("Invalid data. {en}"),
                )
            }
            Self::UnknownRegion(c) => (
                format!("Kode wilayah {c} tidak dikenal dalam daftar Kemendagri."),
                format!("Region code {c} is not in the Kemendagri list."),
            ),
            Self::NotADaerah(c) => (
                format!(
                    "Wilayah {c} bukan provinsi, kabupaten atau kota; hanya pemerintah daerah yang dapat menjadi pihak."
                ),
                format!(
                    "Region {c} is not a province, regency or city; only regional governments can be parties."
                ),
            ),
            Self::DuplicateParty(c) => (
                format!("Pihak {c} dicantumkan lebih dari sekali."),
                format!("Party {c} is listed more than once."),
            ),
            Self::TooFewParties => (
                "Kerja sama memerlukan sekurang-kurangnya dua pihak.".to_owned(),
                "A cooperation needs at least two parties.".to_owned(),
            ),
            Self::PartyNotAllowed { kind, party } => (
                format!("Jenis kerja sama {kind} tidak memperbolehkan pihak {party}."),
                format!("Cooperation kind {kind} does not allow party {party}."),
            ),
            Self::NotBordering { a, b } => (
                format!(
                    "Kerja sama wajib hanya antardaerah yang berbatasan; {a} dan {b} tidak berbatasan."
                ),
                format!(
                    "A mandatory cooperation is only between bordering regions; {a} and {b} do not border each other."
                ),
            ),
            Self::NotFound { entity, id } => (
                format!("{} {id} tidak ditemukan.", entity_id(entity)),
                format!("{} {id} was not found.", entity_en(entity)),
            ),
            Self::InvalidTransition { action, stage } => (
                format!("Tindakan '{action}' tidak dapat dilakukan pada tahap {stage}."),
                format!("Action '{action}' is not allowed in stage {stage}."),
            ),
            Self::Guard { id, en, .. } => (id.clone(), en.clone()),
            Self::VersionConflict { expected, current } => (
                format!(
                    "Data telah diubah oleh pengguna lain (versi {current}, Anda mengubah versi {expected}). Muat ulang lalu ulangi perubahan."
                ),
                format!(
                    "Someone else changed this record (version {current}; you edited version {expected}). Reload and apply your change again."
                ),
            ),
            Self::DatesOutOfOrder { earlier, later } => (
                format!("Tanggal {later} tidak boleh sebelum {earlier}."),
                format!("{later} must not be before {earlier}."),
            ),
            Self::TermTooLong { years, max } => (
                format!(
                    "Jangka waktu {years} tahun melebihi batas {max} tahun menurut aturan yang berlaku."
                ),
                format!(
                    "A term of {years} years exceeds the maximum of {max} years in the rule set."
                ),
            ),
            Self::PksWithoutActiveKb => (
                "Perjanjian Kerja Sama hanya dapat dibuat di bawah Kesepakatan Bersama yang aktif."
                    .to_owned(),
                "A Perjanjian Kerja Sama can only be made under an active Kesepakatan Bersama."
                    .to_owned(),
            ),
            Self::CaseClosed(stage) => (
                format!(
                    "Kerja sama sudah ditutup (tahap {stage}); perubahan tidak dapat dilakukan."
                ),
                format!("The cooperation is closed (stage {stage}); it cannot be changed."),
            ),
            Self::NotOwnRegion {
                own,
                supervises: Some(kab),
            } => (
                format!(
                    "Setiap pemerintah daerah memiliki Bagian Kerja Sama sendiri: kerja sama {kab} dibuka oleh admin {kab}. Sebagai pembina, {own} dapat melihat kerja sama kabupaten/kota di wilayahnya (daftar kerja sama, filter wilayah) tanpa mengubahnya. Anda hanya dapat membuka kerja sama yang melibatkan {own} sebagai salah satu pihak."
                ),
                format!(
                    "Every regional government has its own cooperation office: a cooperation of {kab} is opened by {kab}'s admin. As supervisor (pembina), {own} can read the cooperation of the regencies and cities in its province (the register, filtered by region) without changing it. You can only open a cooperation in which {own} is one of the parties."
                ),
            ),
            Self::NotOwnRegion {
                own,
                supervises: None,
            } => (
                format!(
                    "Anda hanya dapat membuka kerja sama yang melibatkan daerah Anda sendiri ({own}) sebagai salah satu pihak."
                ),
                format!(
                    "You can only open a cooperation in which your own region ({own}) is one of the parties."
                ),
            ),
            Self::AccountsOfAnotherRegion {
                region,
                own,
                pembina,
            } => (
                format!(
                    "Akun {region} dikelola oleh admin Bagian Kerja Sama {region} sendiri, bukan oleh {own}.{}",
                    if *pembina {
                        format!(
                            " Sebagai pembina, {own} dapat melihat kerja sama {region} tanpa mengelola akunnya."
                        )
                    } else {
                        String::new()
                    }
                ),
                format!(
                    "The accounts of {region} are managed by {region}'s own cooperation office admin, not by {own}.{}",
                    if *pembina {
                        format!(
                            " As supervisor (pembina), {own} can read {region}'s cooperation without managing its accounts."
                        )
                    } else {
                        String::new()
                    }
                ),
            ),
            Self::Forbidden { perm } => (
                format!("Peran Anda tidak mengizinkan tindakan ini ({perm}) pada data ini."),
                format!("Your role does not allow this action ({perm}) on this data."),
            ),
            Self::NotYourAct {
                act_id,
                act_en,
                owner,
                caller,
            } => (
                match caller {
                    Some(c) => format!(
                        "{act_id} {owner} dicatat oleh pengguna {owner}, bukan oleh pengguna {c}. Tidak ada yang diubah."
                    ),
                    None => format!(
                        "{act_id} {owner} hanya dapat dicatat oleh pengguna {owner}. Tidak ada yang diubah."
                    ),
                },
                match caller {
                    Some(c) => format!(
                        "{act_en} of {owner} is recorded by users of {owner}, not by users of {c}. Nothing was changed."
                    ),
                    None => format!(
                        "{act_en} of {owner} can only be recorded by users of {owner}. Nothing was changed."
                    ),
                },
            ),
        };
        match lang {
            Lang::Id => id,
            Lang::En => en,
        }
    }
}

fn entity_id(entity: &str) -> &'static str {
    match entity {
        "case" => "Kerja sama",
        "region" => "Wilayah",
        "meeting" => "Pertemuan",
        "agreement" => "Naskah",
        "official" => "Pejabat",
        "letter" => "Surat",
        "tkksd" => "TKKSD",
        _ => "Data",
    }
}

fn entity_en(entity: &str) -> &'static str {
    match entity {
        "case" => "Case",
        "region" => "Region",
        "meeting" => "Meeting",
        "agreement" => "Agreement",
        "official" => "Official",
        "letter" => "Letter",
        "tkksd" => "TKKSD",
        _ => "Record",
    }
}

/// Collects field errors and turns them into one `Validation` error at the end.
#[derive(Debug, Default)]
pub struct Checker(pub Vec<FieldError>);

impl Checker {
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// Trims and checks a required text field; returns the trimmed text.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = value.trim();
        if v.is_empty() {
            self.push(FieldError::required(field));
        } else if v.chars().count() > max {
            self.push(FieldError::too_long(field, max));
        }
        v.to_owned()
    }

    /// Trims an optional text field; empty becomes `None`.
    pub fn opt_text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let v = value.map(str::trim).filter(|v| !v.is_empty())?;
        if v.chars().count() > max {
            self.push(FieldError::too_long(field, max));
        }
        Some(v.to_owned())
    }

    /// Ends the check.
    ///
    /// # Errors
    /// `DomainError::Validation` with every collected problem.
    pub fn finish(self) -> Result<(), DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Validation(self.0))
        }
    }
}
