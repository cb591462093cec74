//! The scheduler's decisions, purely: which staged reminders are due on a day, which
//! automatic transitions apply, when a failed job is retried. The store gathers the facts
//! (a [`Snapshot`]), the worker applies what this module decides; neither reads the clock.
//!
//! **Staging.** A subject (an agreement's end date, an unanswered offer, a pending DPRD
//! decision, an evaluation period, a meeting) has stages, each with a trigger day. On a sweep
//! of day `D` the due stage of a subject is the *latest* stage whose trigger day is on or
//! before `D` and whose window has not closed. A day the worker missed is therefore caught up
//! on the next sweep; when several stages were missed, only the latest is sent (its text says
//! how many days are really left) and the older ones are superseded, never sent late.
//! The ledger of the store makes each (subject, stage, recipient, channel) go out once.

use crate::ids::{AgreementId, CaseId, MeetingId};
use crate::region::RegionCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, Duration, Month, OffsetDateTime};

/// Kinds of reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    AgreementEnd,
    OfferUnanswered,
    DprdPending,
    EvaluationDue,
    MeetingTomorrow,
}

impl ReminderKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AgreementEnd => "agreement_end",
            Self::OfferUnanswered => "offer_unanswered",
            Self::DprdPending => "dprd_pending",
            Self::EvaluationDue => "evaluation_due",
            Self::MeetingTomorrow => "meeting_tomorrow",
        }
    }

    /// The roles (accounts issue, snake_case) a reminder of this kind goes to, in each
    /// region it concerns. `opd_implementer` users receive it only when their unit is one of
    /// the case's units on their side.
    #[must_use]
    pub fn roles(self) -> &'static [&'static str] {
        match self {
            Self::AgreementEnd => &["admin", "kepala_daerah", "opd_implementer"],
            Self::OfferUnanswered | Self::DprdPending => &["admin"],
            Self::EvaluationDue => &["admin", "tkksd_chair", "opd_implementer"],
            Self::MeetingTomorrow => &["admin", "tkksd_chair", "tkksd_member"],
        }
    }
}

/// Which reminders go out when: the deployment's policy (settings `[reminders]`), with the
/// agreement lead days taken from the rule set unless the settings name them per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderPolicy {
    /// Days before an agreement's end date, per agreement kind (`kb`, `pks`, `addendum`).
    pub agreement_lead_days: BTreeMap<String, Vec<u32>>,
    /// Fallback for a kind not named above (the rule set's `reminder_lead_days`).
    pub default_lead_days: Vec<u32>,
    /// Days after an offer was sent without a reply.
    pub offer_followup_days: Vec<u32>,
    /// Days after the DPRD gate opened without a decision.
    pub dprd_followup_days: Vec<u32>,
    /// Days before an evaluation falls due (the last day of the month after the period).
    pub evaluation_lead_days: Vec<u32>,
}

impl Default for ReminderPolicy {
    fn default() -> Self {
        Self {
            agreement_lead_days: BTreeMap::new(),
            default_lead_days: vec![90, 60, 30, 7, 0],
            offer_followup_days: vec![14, 30, 60],
            dprd_followup_days: vec![30, 45],
            evaluation_lead_days: vec![14, 0],
        }
    }
}

impl ReminderPolicy {
    /// Lead days for an agreement kind, largest first.
    #[must_use]
    pub fn leads_for(&self, kind: &str) -> Vec<u32> {
        let mut v = self
            .agreement_lead_days
            .get(kind)
            .cloned()
            .unwrap_or_else(|| self.default_lead_days.clone());
        v.sort_unstable_by(|a, b| b.cmp(a));
        v.dedup();
        v
    }
}

/// An agreement with an end date whose reminders may be due.
#[derive(Debug, Clone)]
pub struct EndingAgreement {
    pub agreement: AgreementId,
    pub case: CaseId,
    pub kind: String,
    pub title: String,
    pub ends_on: Date,
    pub regions: Vec<RegionCode>,
    /// Still in force: the case is AKTIF (KB) or the PKS is signed or being implemented.
    pub live: bool,
    /// A successor case (an extension) exists: the old end date needs no reminder.
    pub renewed: bool,
}

/// An offer sent and not yet answered.
#[derive(Debug, Clone)]
pub struct PendingOffer {
    pub case: CaseId,
    pub title: String,
    pub sent_on: Date,
    /// The offering party's region.
    pub region: RegionCode,
}

/// A party whose DPRD has not decided yet.
#[derive(Debug, Clone)]
pub struct PendingDprd {
    pub case: CaseId,
    pub title: String,
    pub since: Date,
    pub party: u16,
    pub region: RegionCode,
}

/// A PKS being implemented, with the evaluation periods already submitted.
#[derive(Debug, Clone)]
pub struct EvaluationTarget {
    pub agreement: AgreementId,
    pub case: CaseId,
    pub title: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub regions: Vec<RegionCode>,
    /// Periods (`2026-S1`) whose admin form is submitted or reviewed.
    pub done_periods: Vec<String>,
}

/// A meeting on the calendar.
#[derive(Debug, Clone)]
pub struct MeetingSoon {
    pub meeting: MeetingId,
    pub case: CaseId,
    pub title: String,
    pub case_title: String,
    pub date: Date,
    pub when: String,
    pub place: String,
    pub regions: Vec<RegionCode>,
}

/// Everything a sweep looks at.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub agreements: Vec<EndingAgreement>,
    pub offers: Vec<PendingOffer>,
    pub dprd: Vec<PendingDprd>,
    pub evaluations: Vec<EvaluationTarget>,
    pub meetings: Vec<MeetingSoon>,
}

/// A reminder due on the sweep's day, before recipients are resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueReminder {
    pub kind: ReminderKind,
    /// Stable key of what the reminder is about, e.g. `agreement:<id>:end:2028-06-09`.
    pub subject: String,
    /// The stage, e.g. `H-30` or `D+14`.
    pub lead: String,
    pub case: CaseId,
    /// The day the stage was due.
    pub due_on: Date,
    /// The regions whose users receive it.
    pub regions: Vec<RegionCode>,
    pub title: String,
    pub body: String,
    pub link: String,
}

fn case_link(case: CaseId) -> String {
    format!("/kerja-sama/{case}")
}

/// The latest stage `(label, trigger day)` with trigger ≤ `day`, among stages sorted by
/// trigger day ascending.
fn latest_due(stages: &[(String, Date)], day: Date) -> Option<&(String, Date)> {
    stages.iter().rfind(|(_, t)| *t <= day)
}

/// The reminders due on `day`.
#[must_use]
pub fn due_reminders(s: &Snapshot, day: Date, policy: &ReminderPolicy) -> Vec<DueReminder> {
    let mut out = Vec::new();
    for a in &s.agreements {
        if !a.live || a.renewed || day > a.ends_on {
            continue;
        }
        let mut stages: Vec<(String, Date)> = policy
            .leads_for(&a.kind)
            .into_iter()
            .map(|l| (format!("H-{l}"), a.ends_on - Duration::days(i64::from(l))))
            .collect();
        stages.sort_by_key(|(_, d)| *d);
        if let Some((lead, due)) = latest_due(&stages, day) {
            let left = (a.ends_on - day).whole_days();
            let label = match a.kind.as_str() {
                "kb" => "Kesepakatan Bersama",
                "pks" => "Perjanjian Kerja Sama",
                _ => "Naskah kerja sama",
            };
            let when = if left == 0 {
                "hari ini".to_owned()
            } else {
                format!("dalam {left} hari")
            };
            out.push(DueReminder {
                kind: ReminderKind::AgreementEnd,
                subject: format!("agreement:{}:end:{}", a.agreement, a.ends_on),
                lead: lead.clone(),
                case: a.case,
                due_on: *due,
                regions: a.regions.clone(),
                title: format!("{label} berakhir {when} ({lead})"),
                body: format!(
                    "{label} \"{}\" berakhir pada {} ({when}). Perpanjangan harus menempuh prosedur lengkap sebagai kerja sama baru; mulailah sekarang bila kerja sama akan dilanjutkan.",
                    a.title,
                    crate::locale::date_long(a.ends_on, crate::Lang::Id)
                ),
                link: case_link(a.case),
            });
        }
    }
    for o in &s.offers {
        let stages = followups(&policy.offer_followup_days, o.sent_on);
        if let Some((lead, due)) = latest_due(&stages, day) {
            let waited = (day - o.sent_on).whole_days();
            out.push(DueReminder {
                kind: ReminderKind::OfferUnanswered,
                subject: format!("offer:{}:{}", o.case, o.sent_on),
                lead: lead.clone(),
                case: o.case,
                due_on: *due,
                regions: vec![o.region.clone()],
                title: format!("Penawaran belum dijawab selama {waited} hari"),
                body: format!(
                    "Penawaran kerja sama \"{}\" dikirim pada {} dan belum dijawab mitra. Tindak lanjuti dengan mitra atau catat jawabannya.",
                    o.title,
                    crate::locale::date_long(o.sent_on, crate::Lang::Id)
                ),
                link: case_link(o.case),
            });
        }
    }
    for p in &s.dprd {
        let stages = followups(&policy.dprd_followup_days, p.since);
        if let Some((lead, due)) = latest_due(&stages, day) {
            let waited = (day - p.since).whole_days();
            out.push(DueReminder {
                kind: ReminderKind::DprdPending,
                subject: format!("dprd:{}:{}:{}", p.case, p.party, p.since),
                lead: lead.clone(),
                case: p.case,
                due_on: *due,
                regions: vec![p.region.clone()],
                title: format!("Keputusan DPRD belum ada setelah {waited} hari"),
                body: format!(
                    "Persetujuan DPRD untuk \"{}\" ditunggu sejak {}. Catat keputusan DPRD bila sudah ada.",
                    p.title,
                    crate::locale::date_long(p.since, crate::Lang::Id)
                ),
                link: case_link(p.case),
            });
        }
    }
    for e in &s.evaluations {
        // The period that ended most recently: its forms fall due a month after it.
        let period = period_of(day).previous();
        let end = period.last_day();
        if end < e.starts_on || e.ends_on.is_some_and(|x| period.first_day() > x) {
            continue;
        }
        let key = period.key();
        if e.done_periods.contains(&key) {
            continue;
        }
        let due = evaluation_due(end);
        if day > due {
            continue;
        }
        let mut stages: Vec<(String, Date)> = policy
            .evaluation_lead_days
            .iter()
            .map(|l| (format!("H-{l}"), due - Duration::days(i64::from(*l))))
            .collect();
        stages.sort_by_key(|(_, d)| *d);
        if let Some((lead, trig)) = latest_due(&stages, day) {
            out.push(DueReminder {
                kind: ReminderKind::EvaluationDue,
                subject: format!("evaluation:{}:{key}", e.agreement),
                lead: lead.clone(),
                case: e.case,
                due_on: *trig,
                regions: e.regions.clone(),
                title: format!("Monitoring dan evaluasi {key} jatuh tempo {}", crate::locale::date_long(due, crate::Lang::Id)),
                body: format!(
                    "Formulir monev periode {key} untuk \"{}\" belum diajukan. Isi formulir pelaksana, TKKSD lokus dan admin sebelum {}.",
                    e.title,
                    crate::locale::date_long(due, crate::Lang::Id)
                ),
                link: case_link(e.case),
            });
        }
    }
    let tomorrow = day.next_day();
    for m in &s.meetings {
        if Some(m.date) != tomorrow {
            continue;
        }
        out.push(DueReminder {
            kind: ReminderKind::MeetingTomorrow,
            subject: format!("meeting:{}:{}", m.meeting, m.date),
            lead: "H-1".to_owned(),
            case: m.case,
            due_on: day,
            regions: m.regions.clone(),
            title: format!("Besok: {}", m.title),
            body: format!(
                "Pertemuan \"{}\" ({}) berlangsung besok, {}, di {}.",
                m.title, m.case_title, m.when, m.place
            ),
            link: case_link(m.case),
        });
    }
    out
}

fn followups(days: &[u32], from: Date) -> Vec<(String, Date)> {
    let mut v: Vec<(String, Date)> = days
        .iter()
        .map(|d| (format!("D+{d}"), from + Duration::days(i64::from(*d))))
        .collect();
    v.sort_by_key(|(_, d)| *d);
    v
}

/// An evaluation period: a half of a calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub year: i32,
    /// 1 or 2.
    pub half: u8,
}

impl Period {
    #[must_use]
    pub fn key(self) -> String {
        format!("{}-S{}", self.year, self.half)
    }

    /// Parses `2026-S1`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        let (y, h) = s.split_once("-S")?;
        let year = y.parse().ok()?;
        let half = h.parse().ok().filter(|h| *h == 1 || *h == 2)?;
        Some(Self { year, half })
    }

    #[must_use]
    pub fn previous(self) -> Self {
        if self.half == 2 {
            Self {
                year: self.year,
                half: 1,
            }
        } else {
            Self {
                year: self.year - 1,
                half: 2,
            }
        }
    }

    #[must_use]
    pub fn first_day(self) -> Date {
        let m = if self.half == 1 {
            Month::January
        } else {
            Month::July
        };
        Date::from_calendar_date(self.year, m, 1).unwrap_or(Date::MIN)
    }

    #[must_use]
    pub fn last_day(self) -> Date {
        let (m, d) = if self.half == 1 {
            (Month::June, 30)
        } else {
            (Month::December, 31)
        };
        Date::from_calendar_date(self.year, m, d).unwrap_or(Date::MIN)
    }
}

/// The period a day falls in.
#[must_use]
pub fn period_of(day: Date) -> Period {
    Period {
        year: day.year(),
        half: if (day.month() as u8) <= 6 { 1 } else { 2 },
    }
}

/// An evaluation of a period falls due on the last day of the month after the period.
#[must_use]
pub fn evaluation_due(period_end: Date) -> Date {
    let next_month_first = period_end.next_day().unwrap_or(period_end);
    let m = next_month_first.month();
    let y = next_month_first.year();
    let last = time::util::days_in_month(m, y);
    Date::from_calendar_date(y, m, last).unwrap_or(period_end)
}

/// A PKS in implementation whose end date has passed becomes SELESAI; a case whose KB end
/// date has passed ends with "jangka waktu habis" (domain.md §5 stage 8, §15 item 31).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AutoTransition {
    FinishPks {
        case: CaseId,
        agreement: AgreementId,
        version: i64,
        ends_on: Date,
    },
    EndCase {
        case: CaseId,
        version: i64,
        ends_on: Date,
    },
}

/// A PKS or case past its end date, as the store reads it.
#[derive(Debug, Clone)]
pub struct Expiring {
    pub case: CaseId,
    pub case_version: i64,
    /// The PKS, when this is a PKS in PELAKSANAAN; `None` for an AKTIF case's KB.
    pub pks: Option<(AgreementId, i64)>,
    pub ends_on: Date,
}

/// Which automatic transitions apply on `day`: those whose end date is before `day`.
#[must_use]
pub fn auto_transitions(items: &[Expiring], day: Date) -> Vec<AutoTransition> {
    items
        .iter()
        .filter(|e| e.ends_on < day)
        .map(|e| match e.pks {
            Some((agreement, version)) => AutoTransition::FinishPks {
                case: e.case,
                agreement,
                version,
                ends_on: e.ends_on,
            },
            None => AutoTransition::EndCase {
                case: e.case,
                version: e.case_version,
                ends_on: e.ends_on,
            },
        })
        .collect()
}

/// Kinds of jobs the worker runs.
pub mod job {
    /// The daily sweep: reminders and automatic transitions of one calendar day.
    pub const DAILY_SWEEP: &str = "daily_sweep";
    /// Delivers one e-mail of the outbox.
    pub const SEND_EMAIL: &str = "send_email";
    /// Does nothing (tests and health checks of the queue).
    pub const NOOP: &str = "noop";
}

/// When a failed job runs again: 1, 2, 4, … minutes, at most an hour.
#[must_use]
pub fn retry_at(attempts: i32, now: OffsetDateTime) -> OffsetDateTime {
    let exp = u32::try_from(attempts.clamp(1, 7) - 1).unwrap_or(0);
    now + Duration::minutes(i64::from(2_u32.pow(exp)).min(60))
}

/// The calendar day of a sweep: the day in WIB (UTC+7), where the working day of most
/// governments begins; a sweep at 00:30 WIB belongs to the new day.
#[must_use]
pub fn sweep_day(now: OffsetDateTime) -> Date {
    now.to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC))
        .date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};
    use uuid::Uuid;

    fn agreement(ends_on: Date) -> EndingAgreement {
        EndingAgreement {
            agreement: AgreementId(Uuid::nil()),
            case: CaseId(Uuid::nil()),
            kind: "kb".into(),
            title: "KB".into(),
            ends_on,
            regions: vec![RegionCode::parse("62").unwrap()],
            live: true,
            renewed: false,
        }
    }

    fn leads(s: &Snapshot, day: Date) -> Vec<String> {
        due_reminders(s, day, &ReminderPolicy::default())
            .into_iter()
            .map(|r| r.lead)
            .collect()
    }

    #[test]
    fn the_latest_due_stage_is_due_and_older_ones_are_superseded() {
        let s = Snapshot {
            agreements: vec![agreement(date!(2028 - 06 - 09))],
            ..Snapshot::default()
        };
        assert!(leads(&s, date!(2028 - 03 - 10)).is_empty());
        assert_eq!(leads(&s, date!(2028 - 03 - 11)), ["H-90"]);
        assert_eq!(leads(&s, date!(2028 - 04 - 11)), ["H-60"]);
        assert_eq!(leads(&s, date!(2028 - 06 - 09)), ["H-0"]);
        assert!(leads(&s, date!(2028 - 06 - 10)).is_empty());
        let mut renewed = s.clone();
        renewed.agreements[0].renewed = true;
        assert!(leads(&renewed, date!(2028 - 06 - 09)).is_empty());
    }

    #[test]
    fn periods_and_due_dates() {
        assert_eq!(period_of(date!(2026 - 07 - 01)).key(), "2026-S2");
        assert_eq!(period_of(date!(2026 - 07 - 01)).previous().key(), "2026-S1");
        assert_eq!(evaluation_due(date!(2026 - 06 - 30)), date!(2026 - 07 - 31));
        assert_eq!(evaluation_due(date!(2026 - 12 - 31)), date!(2027 - 01 - 31));
        assert_eq!(
            Period::parse("2026-S2").unwrap().last_day(),
            date!(2026 - 12 - 31)
        );
    }

    #[test]
    fn retries_back_off() {
        let t = datetime!(2026-01-01 00:00 UTC);
        assert_eq!(retry_at(1, t), t + Duration::minutes(1));
        assert_eq!(retry_at(3, t), t + Duration::minutes(4));
        assert_eq!(retry_at(30, t), t + Duration::minutes(60));
    }
}
