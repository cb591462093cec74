//! The central government's approval of a cooperation with a foreign partner (issue 22;
//! domain.md §10): foreign relations are not decentralised, so a KSDPL or KSDLL needs the
//! approval of the Minister of Home Affairs and of the Minister of Foreign Affairs before the
//! text is signed [V Permendagri 25/2020; Yogyakarta SOP: DPRD → Kemendagri → Kemenlu]. The
//! region records each answer it received — which ministry, under which letter, when, and
//! whether it approved; the KB cannot be signed until the latest answer of both is an
//! approval.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::case::{Case, CaseKind};
use crate::error::{Checker, DomainError, FieldError};

/// Who approves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ministry {
    /// Kementerian Dalam Negeri.
    Kemendagri,
    /// Kementerian Luar Negeri.
    Kemenlu,
}

impl Ministry {
    pub const ALL: [Self; 2] = [Self::Kemendagri, Self::Kemenlu];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Kemendagri => "kemendagri",
            Self::Kemenlu => "kemenlu",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    #[must_use]
    pub const fn label_id(self) -> &'static str {
        match self {
            Self::Kemendagri => "Menteri Dalam Negeri",
            Self::Kemenlu => "Menteri Luar Negeri",
        }
    }

    #[must_use]
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::Kemendagri => "Minister of Home Affairs",
            Self::Kemenlu => "Minister of Foreign Affairs",
        }
    }
}

/// An answer as the secretariat records it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewCentralApproval {
    pub ministry: Ministry,
    pub letter_number: String,
    pub letter_date: Date,
    /// `true` for an approval, `false` for a refusal.
    pub approved: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// A recorded answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CentralApproval {
    pub id: uuid::Uuid,
    pub ministry: Ministry,
    pub letter_number: String,
    pub letter_date: Date,
    pub approved: bool,
    pub note: Option<String>,
    pub recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: OffsetDateTime,
}

/// A case whose signing needs the central government's approval.
#[must_use]
pub fn needed(case: &Case) -> bool {
    matches!(case.kind, CaseKind::Ksdpl | CaseKind::Ksdll)
}

impl NewCentralApproval {
    /// Checks the answer for `case` on `today`.
    ///
    /// # Errors
    /// A case that needs no central approval; an empty letter number; a letter dated after
    /// today; over-long text.
    pub fn validate(&self, case: &Case, today: Date) -> Result<Self, DomainError> {
        if !needed(case) {
            return Err(DomainError::guard(
                "central_approval.not_needed",
                "Persetujuan Menteri Dalam Negeri dan Menteri Luar Negeri hanya diperlukan untuk kerja sama dengan pemerintah daerah atau lembaga di luar negeri.",
                "The approval of the Ministers of Home and Foreign Affairs is needed only for a cooperation with a foreign local government or institution.",
            ));
        }
        let mut c = Checker::default();
        let letter_number = c.text("letter_number", &self.letter_number, 200);
        let note = c.opt_text("note", self.note.as_deref(), 5000);
        if self.letter_date > today {
            c.push(FieldError::new(
                "letter_date",
                "future",
                "Tanggal surat persetujuan belum terjadi.",
                "The date of the approval letter has not happened yet.",
            ));
        }
        c.finish()?;
        Ok(Self {
            ministry: self.ministry,
            letter_number,
            letter_date: self.letter_date,
            approved: self.approved,
            note,
        })
    }
}

/// The signing gate: the latest recorded answer of each ministry is an approval.
///
/// # Errors
/// `central_approval.missing` naming the ministries still to approve (or that refused).
pub fn check_for_signing(case: &Case, answers: &[CentralApproval]) -> Result<(), DomainError> {
    if !needed(case) {
        return Ok(());
    }
    let missing: Vec<Ministry> = Ministry::ALL
        .into_iter()
        .filter(|m| {
            !answers
                .iter()
                .filter(|a| a.ministry == *m)
                .max_by_key(|a| (a.letter_date, a.recorded_at))
                .is_some_and(|a| a.approved)
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let names = |label: fn(Ministry) -> &'static str, and: &str| {
        missing
            .iter()
            .map(|m| label(*m))
            .collect::<Vec<_>>()
            .join(and)
    };
    Err(DomainError::guard(
        "central_approval.missing",
        format!(
            "Naskah kerja sama dengan pihak luar negeri ditandatangani setelah mendapat persetujuan {}; catat surat persetujuannya lebih dahulu.",
            names(Ministry::label_id, " dan ")
        ),
        format!(
            "A text with a foreign partner is signed once it has the approval of the {} (Indonesia); record the approval letter first.",
            names(Ministry::label_en, " and ")
        ),
    ))
}
