//! Meetings of a case: penjajakan, TKKSD review, negotiation, signing ceremony.
//! The date and time are those of the host region's zone; the UTC instant is derived.

use crate::case::Case;
use crate::error::{Checker, DomainError, FieldError};
use crate::ids::{CaseId, MeetingId, OfficialId};
use crate::region::RegionCode;
use serde::{Deserialize, Serialize};
use sinergi_reference::TimeZone;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    Penjajakan,
    KajianTkksd,
    Negosiasi,
    Penandatanganan,
    Koordinasi,
    Monitoring,
    Lainnya,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 7] = [
        Self::Penjajakan,
        Self::KajianTkksd,
        Self::Negosiasi,
        Self::Penandatanganan,
        Self::Koordinasi,
        Self::Monitoring,
        Self::Lainnya,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Penjajakan => "penjajakan",
            Self::KajianTkksd => "kajian_tkksd",
            Self::Negosiasi => "negosiasi",
            Self::Penandatanganan => "penandatanganan",
            Self::Koordinasi => "koordinasi",
            Self::Monitoring => "monitoring",
            Self::Lainnya => "lainnya",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Someone who attended, with the position they held then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Participant {
    pub name: String,
    pub position: String,
    pub region: Option<RegionCode>,
    pub official: Option<OfficialId>,
}

/// A follow-up agreed in a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NextStep {
    pub text: String,
    pub due_on: Option<Date>,
}

/// A meeting as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Meeting {
    pub id: MeetingId,
    pub case_id: CaseId,
    pub kind: MeetingKind,
    pub title: String,
    /// Local date in the host's zone.
    pub date: Date,
    /// Local start time, when known.
    #[schema(value_type = Option<String>, example = "10:00:00.0")]
    pub start_time: Option<Time>,
    #[schema(value_type = Option<String>)]
    pub end_time: Option<Time>,
    #[schema(value_type = String, example = "WITA")]
    pub timezone: TimeZone,
    pub host_region: RegionCode,
    pub place: String,
    pub participants: Vec<Participant>,
    pub agenda: Vec<String>,
    pub minutes: Option<String>,
    pub outcomes: Vec<String>,
    pub next_steps: Vec<NextStep>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

impl Meeting {
    /// The start as an instant, when the time is known.
    #[must_use]
    pub fn starts_at(&self) -> Option<OffsetDateTime> {
        let t = self.start_time?;
        let offset = UtcOffset::from_hms(self.timezone.utc_offset_hours(), 0, 0).ok()?;
        Some(
            PrimitiveDateTime::new(self.date, t)
                .assume_offset(offset)
                .to_offset(UtcOffset::UTC),
        )
    }
}

/// Input for a new meeting.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewMeetingInput {
    pub kind: MeetingKind,
    pub title: Option<String>,
    /// Local date in the host region's zone.
    pub date: Date,
    /// Local start time "HH:MM" in the host's zone, when known.
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    /// The host region; defaults to the first party.
    pub host_region: Option<String>,
    pub place: String,
    #[serde(default)]
    pub participants: Vec<Participant>,
    #[serde(default)]
    pub agenda: Vec<String>,
    pub minutes: Option<String>,
    #[serde(default)]
    pub outcomes: Vec<String>,
    #[serde(default)]
    pub next_steps: Vec<NextStep>,
}

/// Parses "10:00" or "10.00".
#[must_use]
pub fn parse_time(s: &str) -> Option<Time> {
    let s = s.trim();
    let (h, m) = s.split_once([':', '.'])?;
    let (h, m) = (h.parse::<u8>().ok()?, m.get(..2)?.parse::<u8>().ok()?);
    Time::from_hms(h, m, 0).ok()
}

impl NewMeetingInput {
    /// Validates the meeting; `zone_of` answers the time zone of a region.
    ///
    /// # Errors
    /// Field errors; a host that is not a party; an end time before the start.
    pub fn validate(
        &self,
        id: MeetingId,
        case: &Case,
        zone_of: impl Fn(&RegionCode) -> Option<TimeZone>,
        now: OffsetDateTime,
    ) -> Result<Meeting, DomainError> {
        if case.stage.is_final() {
            return Err(DomainError::CaseClosed(case.stage.as_str().to_owned()));
        }
        let mut c = Checker::default();
        let place = c.text("place", &self.place, 500);
        let title = match &self.title {
            Some(t) if !t.trim().is_empty() => c.text("title", t, 500),
            _ => default_title(self.kind).to_owned(),
        };
        let start_time = self
            .start_time
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .and_then(|s| {
                let t = parse_time(s);
                if t.is_none() {
                    c.push(FieldError::new(
                        "start_time",
                        "invalid",
                        "Jam mulai harus berformat JJ:MM.",
                        "The start time must be HH:MM.",
                    ));
                }
                t
            });
        let end_time = self
            .end_time
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .and_then(|s| {
                let t = parse_time(s);
                if t.is_none() {
                    c.push(FieldError::new(
                        "end_time",
                        "invalid",
                        "Jam selesai harus berformat JJ:MM.",
                        "The end time must be HH:MM.",
                    ));
                }
                t
            });
        let host = match &self.host_region {
            Some(code) => match RegionCode::parse(code) {
                Ok(code) => Some(code),
                Err(e) => return Err(e),
            },
            None => case.parties.iter().find_map(|p| p.region.clone()),
        };
        let Some(host) = host else {
            return Err(DomainError::Validation(vec![FieldError::required(
                "host_region",
            )]));
        };
        if case.party_of(&host).is_none() {
            return Err(DomainError::guard(
                "meeting.host_not_party",
                format!("Tuan rumah pertemuan ({host}) harus salah satu pihak kerja sama."),
                format!("The meeting host ({host}) must be one of the parties."),
            ));
        }
        let participants = self
            .participants
            .iter()
            .enumerate()
            .map(|(i, p)| Participant {
                name: c.text(&format!("participants[{i}].name"), &p.name, 200),
                position: c.text(&format!("participants[{i}].position"), &p.position, 300),
                region: p.region.clone(),
                official: p.official,
            })
            .collect();
        let agenda = self
            .agenda
            .iter()
            .enumerate()
            .map(|(i, a)| c.text(&format!("agenda[{i}]"), a, 1000))
            .collect();
        let outcomes = self
            .outcomes
            .iter()
            .enumerate()
            .map(|(i, a)| c.text(&format!("outcomes[{i}]"), a, 2000))
            .collect();
        let next_steps = self
            .next_steps
            .iter()
            .enumerate()
            .map(|(i, n)| NextStep {
                text: c.text(&format!("next_steps[{i}].text"), &n.text, 2000),
                due_on: n.due_on,
            })
            .collect();
        let minutes = c.opt_text("minutes", self.minutes.as_deref(), 100_000);
        c.finish()?;
        if let (Some(s), Some(e)) = (start_time, end_time)
            && e < s
        {
            return Err(DomainError::DatesOutOfOrder {
                earlier: "start_time".into(),
                later: "end_time".into(),
            });
        }
        let timezone =
            zone_of(&host).ok_or_else(|| DomainError::UnknownRegion(host.to_string()))?;
        Ok(Meeting {
            id,
            case_id: case.id,
            kind: self.kind,
            title,
            date: self.date,
            start_time,
            end_time,
            timezone,
            host_region: host,
            place,
            participants,
            agenda,
            minutes,
            outcomes,
            next_steps,
            created_at: now,
        })
    }
}

fn default_title(kind: MeetingKind) -> &'static str {
    match kind {
        MeetingKind::Penjajakan => "Pertemuan penjajakan",
        MeetingKind::KajianTkksd => "Rapat kajian TKKSD",
        MeetingKind::Negosiasi => "Rapat pembahasan naskah",
        MeetingKind::Penandatanganan => "Penandatanganan",
        MeetingKind::Koordinasi => "Rapat koordinasi",
        MeetingKind::Monitoring => "Rapat monitoring dan evaluasi",
        MeetingKind::Lainnya => "Pertemuan",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, time};

    #[test]
    fn times_parse_with_colon_or_dot() {
        assert_eq!(parse_time("10:00"), Some(time!(10:00)));
        assert_eq!(parse_time("09.30"), Some(time!(09:30)));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("x"), None);
    }

    #[test]
    fn a_wita_meeting_starts_an_hour_earlier_in_utc_than_wib() {
        let mut m = Meeting {
            id: MeetingId(uuid::Uuid::nil()),
            case_id: CaseId(uuid::Uuid::nil()),
            kind: MeetingKind::Penjajakan,
            title: String::new(),
            date: date!(2022 - 03 - 24),
            start_time: Some(time!(10:00)),
            end_time: None,
            timezone: TimeZone::Wita,
            host_region: RegionCode::parse("51").unwrap(),
            place: String::new(),
            participants: vec![],
            agenda: vec![],
            minutes: None,
            outcomes: vec![],
            next_steps: vec![],
            created_at: OffsetDateTime::UNIX_EPOCH,
        };
        assert_eq!(m.starts_at().unwrap().hour(), 2);
        m.timezone = TimeZone::Wib;
        assert_eq!(m.starts_at().unwrap().hour(), 3);
    }
}
