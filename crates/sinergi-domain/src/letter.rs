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
        })
    }
}
