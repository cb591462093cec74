//! The TKKSD's kajian as a record (issue 22; domain.md stages 1c–1d, entity 9): when the
//! TKKSD of the reviewing party recommends on a proposal, or reviews an offer it received,
//! the step records the meeting — its date and mode, who attended, the minutes — the
//! recommendation and who decided it (a member of that region's TKKSD), and later the
//! telaahan staf that carried it to the kepala daerah [V Yogyakarta SOP; SIKERJA Req. 4].
//!
//! A kajian is the reviewing side's internal work: only that side (and the operator) reads
//! it, as the other side does not see the initiator's work before the offer.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::error::{Checker, DomainError, FieldError};
use crate::ids::OfficialId;
use crate::official::Official;
use crate::region::RegionCode;
use crate::workflow::Recommendation;

/// How the TKKSD met.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewMode {
    /// In person.
    #[default]
    Luring,
    /// Online.
    Daring,
    Hybrid,
}

impl ReviewMode {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Luring => "luring",
            Self::Daring => "daring",
            Self::Hybrid => "hybrid",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Luring, Self::Daring, Self::Hybrid]
            .into_iter()
            .find(|m| m.as_str() == s)
    }

    #[must_use]
    pub const fn label_id(self) -> &'static str {
        match self {
            Self::Luring => "luring (tatap muka)",
            Self::Daring => "daring",
            Self::Hybrid => "hibrida",
        }
    }
}

/// What was reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewSubject {
    /// The own proposal (outbound) or the offer received before it became a case (inbound).
    Usulan,
    /// An offer from another government, reviewed by the addressee.
    Penawaran,
}

impl ReviewSubject {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Usulan => "usulan",
            Self::Penawaran => "penawaran",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Usulan, Self::Penawaran]
            .into_iter()
            .find(|m| m.as_str() == s)
    }

    #[must_use]
    pub const fn label_id(self) -> &'static str {
        match self {
            Self::Usulan => "Kajian usulan kerja sama",
            Self::Penawaran => "Kajian penawaran yang diterima",
        }
    }
}

/// The meeting as the step sends it (all optional: a recommendation without it is a kajian
/// held today, attended by the one who decided).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct KajianInput {
    #[serde(default)]
    pub meeting_on: Option<Date>,
    #[serde(default)]
    pub mode: Option<ReviewMode>,
    /// Officials of the reviewing region who attended.
    #[serde(default)]
    pub attendees: Vec<OfficialId>,
    /// Notulen.
    #[serde(default)]
    pub minutes: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// An official as recorded on the kajian (name and title kept as they were that day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Attendee {
    pub official: OfficialId,
    pub name: String,
    pub title: String,
}

impl Attendee {
    fn of(o: &Official) -> Self {
        Self {
            official: o.id,
            name: o.name.clone(),
            title: o.title(),
        }
    }
}

/// A kajian ready to be stored with its step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Kajian {
    pub party: u16,
    pub region: RegionCode,
    pub subject: ReviewSubject,
    pub meeting_on: Date,
    pub mode: ReviewMode,
    pub attendees: Vec<Attendee>,
    pub minutes: Option<String>,
    pub notes: Option<String>,
    pub recommendation: Recommendation,
    /// The TKKSD member who decided the recommendation.
    pub decided_by: Attendee,
}

/// A stored kajian with its telaahan staf, when attached.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KajianRecord {
    pub id: uuid::Uuid,
    #[serde(flatten)]
    pub kajian: Kajian,
    pub telaahan: Option<TelaahanFile>,
    pub recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: OffsetDateTime,
}

impl KajianRecord {
    /// Whether `p` reads it: the reviewing side's own users and the operator.
    #[must_use]
    pub fn visible_to(&self, p: &crate::access::Principal) -> bool {
        p.has(crate::access::Role::Operator)
            || p.region.as_deref() == Some(self.kajian.region.as_str())
    }
}

/// The telaahan staf file attached to a kajian.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TelaahanFile {
    pub file_name: String,
    pub media_type: String,
    pub sha256: String,
}

/// What a kajian is about, and who reviews.
pub struct Reviewing<'a> {
    pub party: u16,
    pub region: &'a RegionCode,
    pub subject: ReviewSubject,
    pub recommendation: Recommendation,
    pub reviewer: &'a Official,
}

impl KajianInput {
    /// The kajian of `r` on `today`: attendees are officials of the reviewing region (the
    /// decider always among them), the meeting not after today.
    ///
    /// # Errors
    /// An attendee unknown or of another region; a meeting date after today; over-long text.
    pub fn check(
        &self,
        r: &Reviewing<'_>,
        officials: &dyn Fn(OfficialId) -> Option<Official>,
        today: Date,
    ) -> Result<Kajian, DomainError> {
        let mut c = Checker::default();
        let minutes = c.opt_text("kajian.minutes", self.minutes.as_deref(), 50_000);
        let notes = c.opt_text("kajian.notes", self.notes.as_deref(), 5000);
        let meeting_on = self.meeting_on.unwrap_or(today);
        if meeting_on > today {
            c.push(FieldError::new(
                "kajian.meeting_on",
                "future",
                "Tanggal rapat kajian belum terjadi; catat kajian setelah rapat.",
                "The review meeting has not happened yet; record it after the meeting.",
            ));
        }
        let mut attendees = vec![Attendee::of(r.reviewer)];
        for (i, id) in self.attendees.iter().enumerate() {
            match officials(*id) {
                Some(o) if &o.region == r.region => {
                    if !attendees.iter().any(|a| a.official == o.id) {
                        attendees.push(Attendee::of(&o));
                    }
                }
                _ => c.push(FieldError::new(
                    format!("kajian.attendees[{i}]"),
                    "not_of_region",
                    format!("Peserta kajian harus pejabat {} yang tercatat.", r.region),
                    format!(
                        "A review attendee must be a recorded official of {}.",
                        r.region
                    ),
                )),
            }
        }
        c.finish()?;
        Ok(Kajian {
            party: r.party,
            region: r.region.clone(),
            subject: r.subject,
            meeting_on,
            mode: self.mode.unwrap_or_default(),
            attendees,
            minutes,
            notes,
            recommendation: r.recommendation,
            decided_by: Attendee::of(r.reviewer),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::official::{ActingStatus, OfficeKind};
    use time::macros::date;

    fn official(id: u128, region: &str, name: &str) -> Official {
        Official {
            id: OfficialId(uuid::Uuid::from_u128(id)),
            region: RegionCode::parse(region).unwrap(),
            name: name.into(),
            position: "Sekretaris Daerah".into(),
            office: OfficeKind::Sekda,
            acting: ActingStatus::Definitif,
            unit: None,
            nip: None,
            email: None,
            phone: None,
            term_start: None,
            term_end: None,
        }
    }

    #[test]
    fn attendees_are_the_reviewing_regions_and_the_decider_is_always_one() {
        let sekda = official(1, "62", "Nuryakin");
        let kadis = official(2, "62", "Kadis");
        let bali = official(3, "51", "Dewa");
        let all = [sekda.clone(), kadis.clone(), bali.clone()];
        let find = |id: OfficialId| all.iter().find(|o| o.id == id).cloned();
        let region = RegionCode::parse("62").unwrap();
        let r = Reviewing {
            party: 1,
            region: &region,
            subject: ReviewSubject::Usulan,
            recommendation: Recommendation::Layak,
            reviewer: &sekda,
        };
        let k = KajianInput {
            attendees: vec![kadis.id, sekda.id],
            ..KajianInput::default()
        }
        .check(&r, &find, date!(2026 - 05 - 20))
        .unwrap();
        let names: Vec<_> = k.attendees.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Nuryakin", "Kadis"]);
        assert_eq!(k.meeting_on, date!(2026 - 05 - 20));
        let e = KajianInput {
            attendees: vec![bali.id],
            meeting_on: Some(date!(2026 - 05 - 21)),
            ..KajianInput::default()
        }
        .check(&r, &find, date!(2026 - 05 - 20))
        .unwrap_err();
        let fields: Vec<_> = e.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["kajian.meeting_on", "kajian.attendees[0]"]);
    }
}
