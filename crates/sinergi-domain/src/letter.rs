//! Letters of a case (offer, reply, DPRD request, termination notice), referenced by their
//! official numbers; SRIKANDI stays the archive of the letters themselves.

use crate::case::Case;
use crate::error::{Checker, DomainError};
use crate::ids::{CaseId, LetterId, OfficialId};
use crate::region::RegionCode;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    Inisiasi,
    Penawaran,
    Jawaban,
    PermohonanPersetujuanDprd,
    PemberitahuanPengakhiran,
    Undangan,
    Lainnya,
}

impl LetterKind {
    pub const ALL: [LetterKind; 7] = [
        Self::Inisiasi,
        Self::Penawaran,
        Self::Jawaban,
        Self::PermohonanPersetujuanDprd,
        Self::PemberitahuanPengakhiran,
        Self::Undangan,
        Self::Lainnya,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inisiasi => "inisiasi",
            Self::Penawaran => "penawaran",
            Self::Jawaban => "jawaban",
            Self::PermohonanPersetujuanDprd => "permohonan_persetujuan_dprd",
            Self::PemberitahuanPengakhiran => "pemberitahuan_pengakhiran",
            Self::Undangan => "undangan",
            Self::Lainnya => "lainnya",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What a letter carries with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Attachment {
    /// Kerangka Acuan Kerja.
    Kak,
    /// Rancangan Kesepakatan Bersama.
    RancanganKb,
    StudiKelayakan,
    Lainnya,
}

/// The partner's answer, for an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LetterResponse {
    Diterima,
    Ditolak,
    UsulPerubahan,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Letter {
    pub id: LetterId,
    pub case_id: CaseId,
    pub kind: LetterKind,
    pub number: Option<String>,
    pub date: Date,
    pub from_region: Option<RegionCode>,
    pub to_region: Option<RegionCode>,
    pub signatory: Option<OfficialId>,
    pub subject: String,
    pub srikandi_ref: Option<String>,
    pub attachments: Vec<Attachment>,
    pub response: Option<LetterResponse>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// Raised by each correction; a correction names the version it was made on.
    pub version: i64,
    /// When the letter went to its addressee: when an act used it (the offer, a reply, a
    /// termination notice) or its sender marked it sent. Until then it can be corrected or
    /// withdrawn.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub sent_at: Option<OffsetDateTime>,
    /// When its sender withdrew it (before sending); a withdrawn letter serves no act.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub withdrawn_at: Option<OffsetDateTime>,
}

impl Letter {
    /// Whether an act may use the letter: it is not withdrawn.
    ///
    /// # Errors
    /// `letter.withdrawn`.
    pub fn check_usable(&self) -> Result<(), DomainError> {
        if self.withdrawn_at.is_some() {
            return Err(Self::withdrawn_refusal());
        }
        Ok(())
    }

    /// The refusal of a withdrawn letter (also when it was withdrawn while an act used it).
    #[must_use]
    pub fn withdrawn_refusal() -> DomainError {
        DomainError::guard(
            "letter.withdrawn",
            "Surat ini sudah ditarik dan tidak dapat dipakai; catat surat yang berlaku.",
            "This letter was withdrawn and cannot be used; record the letter that stands.",
        )
    }

    /// Whether the sender may still correct, withdraw or send the letter: it is neither
    /// withdrawn nor sent, and `expected_version` is its version (a stale change is refused).
    ///
    /// # Errors
    /// `letter.withdrawn`, `letter.already_sent`, a version conflict.
    pub fn check_changeable(&self, expected_version: i64) -> Result<(), DomainError> {
        self.check_usable()?;
        if self.sent_at.is_some() {
            return Err(DomainError::guard(
                "letter.already_sent",
                "Surat ini sudah dikirim; surat yang sudah dikirim tidak dapat diubah atau ditarik. Bila ada ralat, catat surat baru.",
                "This letter has been sent; a sent letter cannot be corrected or withdrawn. For a correction, record a new letter.",
            ));
        }
        if expected_version != self.version {
            return Err(DomainError::VersionConflict {
                expected: expected_version,
                current: self.version,
            });
        }
        Ok(())
    }

    /// The letter as `input` corrects it, checked as a new letter is, one version later; its
    /// identity and the moment it was first recorded stay.
    ///
    /// # Errors
    /// As [`Letter::check_changeable`] and [`NewLetterInput::validate`].
    pub fn corrected(
        &self,
        input: &NewLetterInput,
        expected_version: i64,
        case: &Case,
        official_region: impl Fn(OfficialId) -> Option<RegionCode>,
    ) -> Result<Letter, DomainError> {
        self.check_changeable(expected_version)?;
        let mut next = input.validate(self.id, case, official_region, self.created_at)?;
        next.version = self.version + 1;
        Ok(next)
    }

    /// The letter withdrawn by its sender at `now`, before it was sent.
    ///
    /// # Errors
    /// As [`Letter::check_changeable`].
    pub fn withdrawn(
        &self,
        expected_version: i64,
        now: OffsetDateTime,
    ) -> Result<Letter, DomainError> {
        self.check_changeable(expected_version)?;
        Ok(Letter {
            withdrawn_at: Some(now),
            version: self.version + 1,
            ..self.clone()
        })
    }

    /// The letter marked sent by its sender at `now` (a letter no act sends: an invitation,
    /// a DPRD request).
    ///
    /// # Errors
    /// As [`Letter::check_changeable`].
    pub fn marked_sent(
        &self,
        expected_version: i64,
        now: OffsetDateTime,
    ) -> Result<Letter, DomainError> {
        self.check_changeable(expected_version)?;
        Ok(Letter {
            sent_at: Some(now),
            version: self.version + 1,
            ..self.clone()
        })
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewLetterInput {
    pub kind: LetterKind,
    pub number: Option<String>,
    pub date: Date,
    pub from_region: Option<String>,
    pub to_region: Option<String>,
    pub signatory: Option<OfficialId>,
    pub subject: String,
    pub srikandi_ref: Option<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    pub response: Option<LetterResponse>,
}

impl NewLetterInput {
    /// Validates a letter of `case`; `official_region` answers the region of an official.
    ///
    /// # Errors
    /// Field errors; sender or addressee not a party; a signatory of another region.
    pub fn validate(
        &self,
        id: LetterId,
        case: &Case,
        official_region: impl Fn(OfficialId) -> Option<RegionCode>,
        now: OffsetDateTime,
    ) -> Result<Letter, DomainError> {
        if case.stage.is_final() {
            return Err(DomainError::CaseClosed(case.stage.as_str().to_owned()));
        }
        let mut c = Checker::default();
        let subject = c.text("subject", &self.subject, 1000);
        let number = c.opt_text("number", self.number.as_deref(), 200);
        let srikandi_ref = c.opt_text("srikandi_ref", self.srikandi_ref.as_deref(), 200);
        c.finish()?;
        let party_region =
            |code: &Option<String>, field: &str| -> Result<Option<RegionCode>, DomainError> {
                let Some(code) = code else { return Ok(None) };
                let code = RegionCode::parse(code)?;
                if case.party_of(&code).is_none() {
                    return Err(DomainError::guard(
                        "letter.region_not_party",
                        format!("Wilayah {code} pada kolom {field} bukan pihak kerja sama ini."),
                        format!("Region {code} in {field} is not a party of this case."),
                    ));
                }
                Ok(Some(code))
            };
        let from_region = party_region(&self.from_region, "from_region")?;
        let to_region = party_region(&self.to_region, "to_region")?;
        if let Some(sig) = self.signatory {
            let region =
                official_region(sig).ok_or_else(|| DomainError::not_found("official", sig))?;
            if from_region.as_ref().is_some_and(|f| f != &region) {
                return Err(DomainError::guard(
                    "letter.signatory_other_region",
                    "Penanda tangan surat harus pejabat daerah pengirim.",
                    "The letter's signatory must be an official of the sending region.",
                ));
            }
        }
        Ok(Letter {
            id,
            case_id: case.id,
            kind: self.kind,
            number,
            date: self.date,
            from_region,
            to_region,
            signatory: self.signatory,
            subject,
            srikandi_ref,
            attachments: self.attachments.clone(),
            response: self.response,
            created_at: now,
            version: 1,
            sent_at: None,
            withdrawn_at: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn letter() -> Letter {
        Letter {
            id: LetterId(uuid::Uuid::nil()),
            case_id: CaseId(uuid::Uuid::nil()),
            kind: LetterKind::Undangan,
            number: Some("005/1/KS".into()),
            date: date!(2026 - 01 - 10),
            from_region: None,
            to_region: None,
            signatory: None,
            subject: "Undangan".into(),
            srikandi_ref: None,
            attachments: vec![],
            response: None,
            created_at: datetime!(2026-01-10 01:00 UTC),
            version: 1,
            sent_at: None,
            withdrawn_at: None,
        }
    }

    fn code(e: &DomainError) -> &str {
        e.code()
    }

    #[test]
    fn a_letter_changes_only_until_it_is_sent_or_withdrawn() {
        let now = datetime!(2026-01-11 02:00 UTC);
        let l = letter();
        assert!(l.check_changeable(1).is_ok());
        assert_eq!(
            code(&l.check_changeable(0).unwrap_err()),
            "case.version_conflict"
        );
        let sent = l.marked_sent(1, now).unwrap();
        assert_eq!((sent.version, sent.sent_at), (2, Some(now)));
        assert_eq!(
            code(&sent.check_changeable(2).unwrap_err()),
            "letter.already_sent"
        );
        assert_eq!(
            code(&sent.withdrawn(2, now).unwrap_err()),
            "letter.already_sent"
        );
        assert!(
            sent.check_usable().is_ok(),
            "a sent letter still serves its act"
        );
        let gone = l.withdrawn(1, now).unwrap();
        assert_eq!(code(&gone.check_usable().unwrap_err()), "letter.withdrawn");
        assert_eq!(
            code(&gone.marked_sent(2, now).unwrap_err()),
            "letter.withdrawn"
        );
    }
}
