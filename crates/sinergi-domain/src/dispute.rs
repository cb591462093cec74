//! Disputes between the parties of a case (perselisihan; issue 22, domain.md Stage 10 and
//! entity 19). A dispute is raised by one party, settled first by consultation (musyawarah);
//! what is not settled goes to the Governor when every party is a kabupaten/kota of one
//! province, otherwise to the Minister, whose decision is final [U: PP 28/2018 has the dispute
//! clause and Permendagri 22/2020 the procedure; the forum rule is the reading of domain.md and
//! a deployment should confirm it]. The forum's decision is recorded by either party.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::case::Case;
use crate::error::{DomainError, FieldError};
use crate::ids::{CaseId, DisputeId};
use sinergi_reference::RegionLevel;

/// Where a dispute is being settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Forum {
    /// The parties' own consultation.
    Musyawarah,
    /// The Governor, between kabupaten/kota of the province.
    Gubernur,
    /// The Minister of Home Affairs.
    Menteri,
}

impl Forum {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Musyawarah => "musyawarah",
            Self::Gubernur => "gubernur",
            Self::Menteri => "menteri",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Musyawarah, Self::Gubernur, Self::Menteri]
            .into_iter()
            .find(|f| f.as_str() == s)
    }

    #[must_use]
    pub const fn label_id(self) -> &'static str {
        match self {
            Self::Musyawarah => "Musyawarah para pihak",
            Self::Gubernur => "Gubernur",
            Self::Menteri => "Menteri Dalam Negeri",
        }
    }

    #[must_use]
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::Musyawarah => "The parties' consultation",
            Self::Gubernur => "The Governor",
            Self::Menteri => "The Minister of Home Affairs",
        }
    }
}

/// A dispute as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Dispute {
    #[schema(value_type = String, format = Uuid)]
    pub id: DisputeId,
    #[schema(value_type = String, format = Uuid)]
    pub case_id: CaseId,
    /// The party that raised it (its ordinal).
    pub raised_by: u16,
    pub subject: String,
    pub description: Option<String>,
    pub raised_on: Date,
    pub forum: Forum,
    /// The forum's decision or the agreement reached; `None` while open.
    pub decision: Option<String>,
    pub decided_on: Option<Date>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

/// A party raising a dispute.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewDispute {
    /// What is disputed ("Keterlambatan pembayaran kontribusi tahun 2026").
    pub subject: String,
    pub description: Option<String>,
    pub raised_on: Date,
}

/// The forum a dispute goes to when consultation does not settle it.
#[must_use]
pub fn escalation_forum(case: &Case) -> Forum {
    let mut provinces = case.parties.iter().map(|p| {
        p.region
            .as_ref()
            .filter(|r| matches!(r.level(), RegionLevel::Regency | RegionLevel::City))
            .map(|r| r.province().to_owned())
    });
    let first = provinces.next().flatten();
    match first {
        Some(p) if provinces.all(|q| q.as_deref() == Some(p.as_str())) => Forum::Gubernur,
        _ => Forum::Menteri,
    }
}

fn not_open() -> DomainError {
    DomainError::guard(
        "dispute.closed",
        "Perselisihan ini sudah selesai; tidak ada yang diubah.",
        "This dispute is settled; nothing was changed.",
    )
}

impl NewDispute {
    /// A dispute raised by party `raised_by`, first in consultation.
    ///
    /// # Errors
    /// No agreement signed yet (there is nothing to dispute), an empty subject, a date after
    /// today.
    pub fn validate(
        &self,
        case: &Case,
        raised_by: u16,
        today: Date,
        now: OffsetDateTime,
    ) -> Result<Dispute, DomainError> {
        if !case.stage.kb_signed() {
            return Err(DomainError::guard(
                "dispute.no_agreement",
                "Perselisihan dicatat atas pelaksanaan kesepakatan yang sudah ditandatangani; kesepakatan kasus ini belum ditandatangani.",
                "A dispute concerns a signed agreement; this case's agreement is not signed yet.",
            ));
        }
        let mut errors = Vec::new();
        let subject = self.subject.trim();
        if subject.is_empty() {
            errors.push(FieldError::required("subject"));
        }
        if self.raised_on > today {
            errors.push(FieldError::new(
                "raised_on",
                "future",
                "Tanggal pengajuan belum terjadi.",
                "The date it was raised has not happened yet.",
            ));
        }
        if !errors.is_empty() {
            return Err(DomainError::Validation(errors));
        }
        Ok(Dispute {
            id: DisputeId::new_v7(now),
            case_id: case.id,
            raised_by,
            subject: subject.to_owned(),
            description: self
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned),
            raised_on: self.raised_on,
            forum: Forum::Musyawarah,
            decision: None,
            decided_on: None,
            version: 1,
            created_at: now,
            updated_at: now,
        })
    }
}

impl Dispute {
    /// Consultation did not settle it: it goes to the Governor or the Minister.
    ///
    /// # Errors
    /// A settled dispute; one already before the Governor or the Minister.
    pub fn escalate(&self, case: &Case, now: OffsetDateTime) -> Result<Self, DomainError> {
        if self.decision.is_some() {
            return Err(not_open());
        }
        if self.forum != Forum::Musyawarah {
            return Err(DomainError::guard(
                "dispute.already_escalated",
                format!(
                    "Perselisihan ini sudah diajukan kepada {}; keputusannya final.",
                    self.forum.label_id()
                ),
                format!(
                    "This dispute is already before {}; its decision is final.",
                    self.forum.label_en()
                ),
            ));
        }
        let mut next = self.clone();
        next.forum = escalation_forum(case);
        next.version += 1;
        next.updated_at = now;
        Ok(next)
    }

    /// Records the agreement reached or the forum's decision.
    ///
    /// # Errors
    /// A settled dispute, an empty decision, a date before it was raised or after today.
    pub fn resolve(
        &self,
        decision: &str,
        decided_on: Date,
        today: Date,
        now: OffsetDateTime,
    ) -> Result<Self, DomainError> {
        if self.decision.is_some() {
            return Err(not_open());
        }
        let mut errors = Vec::new();
        if decision.trim().is_empty() {
            errors.push(FieldError::required("decision"));
        }
        if decided_on < self.raised_on || decided_on > today {
            errors.push(FieldError::new(
                "decided_on",
                "invalid",
                "Tanggal keputusan berada di antara tanggal pengajuan dan hari ini.",
                "The decision's date lies between the date it was raised and today.",
            ));
        }
        if !errors.is_empty() {
            return Err(DomainError::Validation(errors));
        }
        let mut next = self.clone();
        next.decision = Some(decision.trim().to_owned());
        next.decided_on = Some(decided_on);
        next.version += 1;
        next.updated_at = now;
        Ok(next)
    }
}
