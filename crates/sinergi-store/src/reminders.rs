//! Staged reminders: the facts a sweep needs, the recipients, and delivery through the
//! ledger. A reminder is recorded as (subject, lead, recipient, channel) with
//! insert-if-absent in the same transaction as its in-app notification or its outbox row
//! (and the job that sends it), so a reminder is never sent twice and never lost between
//! the ledger and the outbox.

use crate::jobs::{NewJob, insert_job, utc};
use crate::rows::MeetingRow;
use crate::{Store, StoreError, on_pool};
use serde::Serialize;
use sinergi_domain::case::Stage;
use sinergi_domain::ids::{AgreementId, CaseId};
use sinergi_domain::meeting::Meeting;
use sinergi_domain::region::RegionCode;
use sinergi_domain::schedule::{
    DueReminder, EndingAgreement, EvaluationTarget, Expiring, MeetingSoon, PendingDprd,
    PendingOffer, Snapshot, job, sweep_day,
};
use sinergi_domain::{Lang, locale};
use std::collections::{BTreeMap, HashMap};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A user who receives reminders.
#[derive(Debug, Clone, Serialize)]
pub struct Recipient {
    pub user_id: Uuid,
    pub username: String,
    /// The name the account shows ("Dra. Ni Made …"), for the salutation of a letter.
    pub display_name: String,
    pub email: Option<String>,
    pub region: Option<String>,
}

/// Where a reminder is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    InApp,
    Email,
}

impl Channel {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InApp => "in_app",
            Self::Email => "email",
        }
    }
}

/// One ledger row.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LedgerEntry {
    pub subject: String,
    pub lead: String,
    pub recipient: Uuid,
    pub username: String,
    pub channel: String,
    pub kind: String,
    pub due_on: Date,
    pub sent_on: Date,
}

/// An in-app notification.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Notification {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub read_at: Option<OffsetDateTime>,
}

/// An e-mail of the outbox.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OutboxEntry {
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub kind: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub sent_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct AgreementEndRow {
    id: Uuid,
    case_id: Uuid,
    kind: String,
    title: String,
    status: String,
    starts_on: Option<Date>,
    ends_on: Date,
    stage: String,
    renewed: bool,
    region_code: String,
}

fn codes(list: &[String]) -> Vec<RegionCode> {
    list.iter()
        .filter_map(|c| RegionCode::parse(c).ok())
        .collect()
}

const OUTBOX_COLS: &str = "id, user_id, to_address, subject, body, kind, status, attempts, last_error, created_at, sent_at";

impl Store {
    /// Live agreements with an end date on or after `day`, with their parties' regions.
    async fn agreement_rows(&self, day: Date) -> Result<Vec<AgreementEndRow>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT a.id, a.case_id, a.kind, a.title, a.status, a.starts_on, a.ends_on, c.stage, \
                 EXISTS (SELECT 1 FROM cases s WHERE s.predecessor_id = c.id AND s.stage NOT IN ('DIBATALKAN', 'DITOLAK_INTERNAL', 'DITOLAK_MITRA')) AS renewed, \
                 p.region_code FROM agreements a JOIN cases c ON c.id = a.case_id \
                 JOIN case_parties p ON p.case_id = c.id AND p.region_code IS NOT NULL \
                 WHERE a.kind IN ('kb', 'pks') AND a.ends_on IS NOT NULL AND a.ends_on >= $1 AND c.stage = 'AKTIF' \
                 ORDER BY a.ends_on, a.id, p.ordinal",
            )
            .bind(day)
            .fetch_all(p)
            .await?
        }))
    }

    /// Everything the sweep of `day` looks at.
    ///
    /// # Errors
    /// Database errors.
    pub async fn reminder_snapshot(&self, day: Date) -> Result<Snapshot, StoreError> {
        let mut snap = Snapshot::default();
        // Agreements (one row per party region, grouped here).
        let mut grouped: BTreeMap<Uuid, (AgreementEndRow, Vec<String>)> = BTreeMap::new();
        for r in self.agreement_rows(day).await? {
            let region = r.region_code.clone();
            grouped
                .entry(r.id)
                .or_insert_with(|| (r, Vec::new()))
                .1
                .push(region);
        }
        let evaluated = self.submitted_admin_periods().await?;
        for (_, (r, regions)) in grouped {
            let regions = codes(&regions);
            let live = match r.kind.as_str() {
                "kb" => r.stage == "AKTIF" && r.status == "DITANDATANGANI",
                _ => matches!(r.status.as_str(), "DITANDATANGANI" | "PELAKSANAAN"),
            };
            if r.kind == "pks"
                && r.status == "PELAKSANAAN"
                && let Some(starts_on) = r.starts_on
            {
                snap.evaluations.push(EvaluationTarget {
                    agreement: AgreementId(r.id),
                    case: CaseId(r.case_id),
                    title: r.title.clone(),
                    starts_on,
                    ends_on: Some(r.ends_on),
                    regions: regions.clone(),
                    done_periods: evaluated.get(&r.id).cloned().unwrap_or_default(),
                });
            }
            snap.agreements.push(EndingAgreement {
                agreement: AgreementId(r.id),
                case: CaseId(r.case_id),
                kind: r.kind,
                title: r.title,
                ends_on: r.ends_on,
                regions,
                live,
                renewed: r.renewed,
            });
        }
        // Offers waiting for a reply, and DPRD gates waiting for a decision.
        let waiting: Vec<(Uuid, String)> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT id, stage FROM cases WHERE stage IN ('PENAWARAN_DIKIRIM', 'MENUNGGU_JAWABAN', 'MENUNGGU_DPRD') ORDER BY id")
                .fetch_all(p).await?
        });
        let sets = self.rule_sets().await?;
        for (id, stage) in waiting {
            let case = self.get_case(CaseId(id)).await?;
            let rules = sinergi_domain::rules::RuleSet::of_case(&sets, &case)
                .cloned()
                .unwrap_or_default();
            let history = self.case_history(case.id).await?;
            let opened = |action: &str| {
                history
                    .iter()
                    .rev()
                    .find(|h| h.action == action)
                    .map(|h| sweep_day(h.at))
            };
            if stage == Stage::MenungguDprd.as_str() {
                let Some(since) = opened("activate") else {
                    continue;
                };
                for p in &case.parties {
                    if let Some(region) = &p.region
                        && p.dprd.required(case.kind, &rules) == Some(true)
                        && p.dprd.approved.is_none()
                    {
                        snap.dprd.push(PendingDprd {
                            case: case.id,
                            title: case.title.clone(),
                            since,
                            party: p.ordinal,
                            region: region.clone(),
                        });
                    }
                }
            } else if let (Some(sent_on), Some(region)) = (
                opened("send_offer"),
                case.parties.first().and_then(|p| p.region.clone()),
            ) {
                snap.offers.push(PendingOffer {
                    case: case.id,
                    title: case.title.clone(),
                    sent_on,
                    region,
                });
            }
        }
        // Tomorrow's meetings of open cases.
        if let Some(tomorrow) = day.next_day() {
            let rows: Vec<MeetingRow> = on_pool!(&self.db, p => {
                sqlx::query_as(
                    "SELECT m.id, m.case_id, m.kind, m.title, m.meeting_date, m.start_time, m.end_time, m.timezone, m.host_region, m.place, \
                     m.participants, m.agenda, m.minutes, m.outcomes, m.next_steps, m.created_at FROM meetings m JOIN cases c ON c.id = m.case_id \
                     WHERE m.meeting_date = $1 AND c.stage NOT IN ('DITOLAK_INTERNAL', 'DITOLAK_MITRA', 'BERAKHIR', 'DIAKHIRI_DINI', 'DIBATALKAN') ORDER BY m.id",
                ).bind(tomorrow).fetch_all(p).await?
            });
            for r in rows {
                let m = Meeting::try_from(r)?;
                let case = self.get_case(m.case_id).await?;
                let codes: Vec<String> = case
                    .parties
                    .iter()
                    .filter_map(|p| p.region.as_ref().map(ToString::to_string))
                    .collect();
                let dir = self.region_directory(&codes).await?;
                // Every party's time zone: "pukul 10.00 WITA (09.00 WIB)".
                let zones: Vec<sinergi_domain::TimeZone> = case
                    .parties
                    .iter()
                    .filter_map(|p| p.region.as_ref().and_then(|r| dir.zone(r)))
                    .collect();
                let mut when = locale::date_long(m.date, Lang::Id);
                if let Some(t) = m.start_time {
                    when.push_str(&format!(
                        ", {}",
                        locale::time_label(t, m.timezone, &zones, Lang::Id)
                    ));
                }
                snap.meetings.push(MeetingSoon {
                    meeting: m.id,
                    case: m.case_id,
                    title: m.title.clone(),
                    case_title: case.title.clone(),
                    date: m.date,
                    when,
                    place: m.place.clone(),
                    regions: case
                        .parties
                        .iter()
                        .filter_map(|p| p.region.clone())
                        .collect(),
                });
            }
        }
        Ok(snap)
    }

    /// For each agreement, the periods whose admin M&E form is submitted or reviewed.
    async fn submitted_admin_periods(&self) -> Result<HashMap<Uuid, Vec<String>>, StoreError> {
        let rows: Vec<(Option<Uuid>, String)> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT agreement_id, period FROM evaluations WHERE form = 'admin' AND status IN ('submitted', 'reviewed')")
                .fetch_all(p).await?
        });
        let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
        for (a, period) in rows {
            if let Some(a) = a {
                out.entry(a).or_default().push(period);
            }
        }
        Ok(out)
    }

    /// PKS in implementation and active cases whose end date is before `day`.
    ///
    /// # Errors
    /// Database errors.
    pub async fn expiring(&self, day: Date) -> Result<Vec<Expiring>, StoreError> {
        let rows: Vec<(Uuid, i64, String, Uuid, i64, Date)> = on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT c.id, c.version, a.kind, a.id, a.version, a.ends_on FROM agreements a JOIN cases c ON c.id = a.case_id \
                 WHERE c.stage = 'AKTIF' AND a.ends_on IS NOT NULL AND a.ends_on < $1 \
                 AND ((a.kind = 'pks' AND a.status = 'PELAKSANAAN') OR (a.kind = 'kb' AND a.status = 'DITANDATANGANI')) \
                 ORDER BY a.ends_on, a.kind DESC, a.id",
            ).bind(day).fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(case, case_version, kind, agreement, version, ends_on)| Expiring {
                    case: CaseId(case),
                    case_version,
                    pks: (kind == "pks").then_some((AgreementId(agreement), version)),
                    ends_on,
                },
            )
            .collect())
    }

    /// The users who receive a reminder for `case` in `regions` with one of `roles`
    /// (an `opd_implementer` only when its unit is one of the case's units on its side).
    ///
    /// # Errors
    /// Database errors.
    pub async fn recipients(
        &self,
        case: CaseId,
        regions: &[RegionCode],
        roles: &[&str],
    ) -> Result<Vec<Recipient>, StoreError> {
        if regions.is_empty() || roles.is_empty() {
            return Ok(Vec::new());
        }
        let region_ph: Vec<String> = (0..regions.len()).map(|i| format!("${}", i + 2)).collect();
        let role_ph: Vec<String> = (0..roles.len())
            .map(|i| format!("${}", i + 2 + regions.len()))
            .collect();
        let sql = format!(
            "SELECT DISTINCT u.id, u.username, u.display_name, u.email, u.region_code FROM users u JOIN user_roles r ON r.user_id = u.id \
             WHERE u.disabled = FALSE AND u.region_code IN ({}) AND r.role IN ({}) \
             AND (r.role <> 'opd_implementer' OR EXISTS (SELECT 1 FROM case_units cu WHERE cu.case_id = $1 AND cu.region_code = u.region_code AND cu.unit = u.unit)) \
             ORDER BY u.username",
            region_ph.join(", "),
            role_ph.join(", ")
        );
        type Row = (Uuid, String, String, Option<String>, Option<String>);
        let rows: Vec<Row> = on_pool!(&self.db, p => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case.0);
            for r in regions { q = q.bind(r.as_str()); }
            for r in roles { q = q.bind(*r); }
            q.fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(user_id, username, display_name, email, region)| Recipient {
                    user_id,
                    username,
                    display_name,
                    email: email.filter(|e| !e.trim().is_empty()),
                    region,
                },
            )
            .collect())
    }

    /// Delivers one reminder to one recipient on one channel, unless the ledger already has
    /// it: the ledger row and the notification (in-app) or the outbox row and its sending
    /// job (e-mail) are written in one transaction. Returns whether it was new. An e-mail
    /// carries `letter`, its (subject, text) as the worker composed it; without one the
    /// e-mail channel delivers nothing.
    ///
    /// # Errors
    /// Database errors.
    pub async fn deliver_reminder(
        &self,
        r: &DueReminder,
        to: &Recipient,
        channel: Channel,
        letter: Option<&(String, String)>,
        day: Date,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let now = utc(now);
        let address = match (channel, &to.email, letter) {
            (Channel::Email, None, _) | (Channel::Email, _, None) => return Ok(false),
            (Channel::Email, Some(a), Some(_)) => Some(a.clone()),
            (Channel::InApp, _, _) => None,
        };
        let (subject, text) = letter.cloned().unwrap_or_default();
        let id = sinergi_domain::ids::new_id(now);
        Ok(on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            let fresh = sqlx::query(
                "INSERT INTO reminder_ledger (subject, lead, recipient, channel, kind, case_id, due_on, sent_on, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (subject, lead, recipient, channel) DO NOTHING",
            )
            .bind(&r.subject).bind(&r.lead).bind(to.user_id).bind(channel.as_str()).bind(r.kind.as_str())
            .bind(r.case.0).bind(r.due_on).bind(day).bind(now)
            .execute(&mut *tx).await?.rows_affected() == 1;
            if fresh {
                match address {
                    None => {
                        sqlx::query(
                            "INSERT INTO notifications (id, user_id, case_id, kind, title, body, link, created_at, read_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)",
                        )
                        .bind(id).bind(to.user_id).bind(r.case.0).bind(r.kind.as_str()).bind(&r.title).bind(&r.body)
                        .bind(&r.link).bind(now)
                        .execute(&mut *tx).await?;
                    }
                    Some(address) => {
                        sqlx::query(
                            "INSERT INTO email_outbox (id, user_id, to_address, subject, body, kind, status, attempts, last_error, created_at, sent_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, NULL, $7, NULL)",
                        )
                        .bind(id).bind(to.user_id).bind(&address).bind(&subject).bind(&text)
                        .bind(r.kind.as_str()).bind(now)
                        .execute(&mut *tx).await?;
                        let job = NewJob {
                            kind: job::SEND_EMAIL,
                            payload: serde_json::json!({ "outbox": id }),
                            run_at: now,
                            dedup_key: Some(format!("email:{id}")),
                            max_attempts: 8,
                        };
                        let _queued = insert_job!(tx, &job, now)?;
                    }
                }
            }
            tx.commit().await?;
            fresh
        }))
    }

    /// The reminder ledger, oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn reminder_ledger(&self) -> Result<Vec<LedgerEntry>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT l.subject, l.lead, l.recipient, u.username, l.channel, l.kind, l.due_on, l.sent_on FROM reminder_ledger l \
                 JOIN users u ON u.id = l.recipient ORDER BY l.sent_on, l.subject, l.lead, u.username, l.channel",
            ).fetch_all(p).await?
        }))
    }

    /// The in-app notifications of a user (by user name), newest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn notifications_for(
        &self,
        username: &str,
        limit: i64,
    ) -> Result<Vec<Notification>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT n.id, n.kind, n.title, n.body, n.link, n.created_at, n.read_at FROM notifications n JOIN users u ON u.id = n.user_id \
                 WHERE u.username = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $2",
            ).bind(username).bind(limit).fetch_all(p).await?
        }))
    }

    /// Marks a user's notification read; false when it is not theirs.
    ///
    /// # Errors
    /// Database errors.
    pub async fn mark_notification_read(
        &self,
        username: &str,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query(
                "UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = (SELECT id FROM users WHERE username = $3)",
            ).bind(utc(now)).bind(id).bind(username).execute(p).await?.rows_affected() == 1
        }))
    }

    /// The e-mail outbox, oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn outbox(&self, status: Option<&str>) -> Result<Vec<OutboxEntry>, StoreError> {
        let sql = format!(
            "SELECT {OUTBOX_COLS} FROM email_outbox WHERE ($1 IS NULL OR status = $1) ORDER BY created_at, id"
        );
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(status).fetch_all(p).await?
        }))
    }

    /// One outbox e-mail.
    ///
    /// # Errors
    /// Database errors.
    pub async fn outbox_entry(&self, id: Uuid) -> Result<Option<OutboxEntry>, StoreError> {
        let sql = format!("SELECT {OUTBOX_COLS} FROM email_outbox WHERE id = $1");
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?
        }))
    }

    /// Records an attempt to send an outbox e-mail.
    ///
    /// # Errors
    /// Database errors.
    pub async fn record_outbox_attempt(
        &self,
        id: Uuid,
        error: Option<&str>,
        give_up: bool,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let status = match (error, give_up) {
            (None, _) => "sent",
            (Some(_), true) => "failed",
            (Some(_), false) => "pending",
        };
        on_pool!(&self.db, p => {
            sqlx::query(
                "UPDATE email_outbox SET status = $1, attempts = attempts + 1, last_error = $2, sent_at = CASE WHEN $1 = 'sent' THEN $3 ELSE sent_at END WHERE id = $4",
            ).bind(status).bind(error).bind(utc(now)).bind(id).execute(p).await?;
        });
        Ok(())
    }
}
