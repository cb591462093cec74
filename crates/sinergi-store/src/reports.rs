//! What reports and calendar feeds read: the cases of a region (or of a province with its
//! regencies and cities) with their agreements, meetings and deadlines; private feed tokens.

use crate::files::sha256_hex;
use crate::jobs::utc;
use crate::rows::MeetingRow;
use crate::{Store, StoreError, on_pool};
use sinergi_domain::agreement::Agreement;
use sinergi_domain::case::Case;
use sinergi_domain::ids::CaseId;
use sinergi_domain::meeting::Meeting;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// The cases of a region with their agreements.
#[derive(Debug, Clone)]
pub struct RegionCases {
    pub region: String,
    pub region_name: String,
    /// For a province: whether the regencies' and cities' cases are included.
    pub with_children: bool,
    pub cases: Vec<(Case, Vec<Agreement>)>,
}

/// A meeting or a deadline for a calendar.
#[derive(Debug, Clone)]
pub enum CalendarItem {
    Meeting {
        case: Case,
        meeting: Meeting,
    },
    AgreementEnd {
        case: Case,
        agreement: Agreement,
        ends_on: Date,
    },
    NextStep {
        case: Case,
        text: String,
        due_on: Date,
        meeting: Uuid,
        ordinal: i32,
        /// When the meeting that set the step was recorded.
        recorded_at: OffsetDateTime,
    },
}

impl Store {
    /// The ids of the cases in which `region` (and, when `with_children`, any regency or city
    /// under it) is a party.
    async fn case_ids_of(
        &self,
        region: &str,
        with_children: bool,
        published_only: bool,
    ) -> Result<Vec<Uuid>, StoreError> {
        let like = if with_children {
            format!("{region}.%")
        } else {
            region.to_owned()
        };
        let rows: Vec<(Uuid,)> = on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT DISTINCT c.id FROM cases c JOIN case_parties p ON p.case_id = c.id \
                 WHERE (p.region_code = $1 OR p.region_code LIKE $2) AND ($3 = FALSE OR c.published = TRUE) ORDER BY c.id",
            ).bind(region).bind(like).bind(published_only).fetch_all(p).await?
        });
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// The cases of a region for its reports (unpublished ones included: reports go to
    /// officials). A province includes its regencies' and cities' cases.
    ///
    /// # Errors
    /// Unknown region; database errors.
    pub async fn region_cases(&self, region: &str) -> Result<RegionCases, StoreError> {
        let detail = self.get_region(region).await?;
        let with_children = !region.contains('.');
        let mut cases = Vec::new();
        for id in self.case_ids_of(region, with_children, false).await? {
            let case = self.get_case(CaseId(id)).await?;
            let agreements = self.list_agreements(case.id).await?;
            cases.push((case, agreements));
        }
        cases.sort_by(|a, b| {
            a.0.created_at
                .cmp(&b.0.created_at)
                .then(a.0.id.cmp(&b.0.id))
        });
        Ok(RegionCases {
            region: region.to_owned(),
            region_name: detail.region.name.clone(),
            with_children,
            cases,
        })
    }

    /// Meetings and deadlines of a region's cases (only published ones when asked).
    ///
    /// # Errors
    /// Database errors.
    pub async fn calendar_items(
        &self,
        region: &str,
        published_only: bool,
    ) -> Result<Vec<CalendarItem>, StoreError> {
        let mut out = Vec::new();
        for id in self.case_ids_of(region, false, published_only).await? {
            let case = self.get_case(CaseId(id)).await?;
            let rows: Vec<MeetingRow> = on_pool!(&self.db, p => {
                sqlx::query_as(
                    "SELECT id, case_id, kind, title, meeting_date, start_time, end_time, timezone, host_region, place, participants, agenda, \
                     minutes, outcomes, next_steps, created_at FROM meetings WHERE case_id = $1 ORDER BY meeting_date, id",
                ).bind(id).fetch_all(p).await?
            });
            for r in rows {
                let meeting = Meeting::try_from(r)?;
                for (i, n) in (1_i32..).zip(&meeting.next_steps) {
                    if let Some(due_on) = n.due_on {
                        out.push(CalendarItem::NextStep {
                            case: case.clone(),
                            text: n.text.clone(),
                            due_on,
                            meeting: meeting.id.0,
                            ordinal: i,
                            recorded_at: meeting.created_at,
                        });
                    }
                }
                out.push(CalendarItem::Meeting {
                    case: case.clone(),
                    meeting,
                });
            }
            for a in self.list_agreements(case.id).await? {
                if let Some(ends_on) = a.ends_on
                    && a.status.is_signed()
                {
                    out.push(CalendarItem::AgreementEnd {
                        case: case.clone(),
                        agreement: a,
                        ends_on,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Makes a new private calendar feed token for a user (by user name); returns the token.
    /// Only its SHA-256 is stored.
    ///
    /// # Errors
    /// Unknown user; database errors.
    pub async fn create_feed_token(
        &self,
        username: &str,
        now: OffsetDateTime,
    ) -> Result<String, StoreError> {
        let user: Option<(Uuid,)> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT id FROM users WHERE username = $1 AND disabled = FALSE").bind(username).fetch_optional(p).await?
        });
        let Some((user,)) = user else {
            return Err(sinergi_domain::DomainError::not_found("user", username).into());
        };
        let token = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
        on_pool!(&self.db, p => {
            sqlx::query("INSERT INTO calendar_feed_tokens (token_hash, user_id, created_at, revoked_at) VALUES ($1, $2, $3, NULL)")
                .bind(sha256_hex(token.as_bytes())).bind(user).bind(utc(now)).execute(p).await?;
        });
        Ok(token)
    }

    /// The user name and region of a valid feed token.
    ///
    /// # Errors
    /// Database errors.
    pub async fn feed_token_user(
        &self,
        token: &str,
    ) -> Result<Option<(String, Option<String>)>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT u.username, u.region_code FROM calendar_feed_tokens t JOIN users u ON u.id = t.user_id \
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = FALSE",
            ).bind(sha256_hex(token.as_bytes())).fetch_optional(p).await?
        }))
    }
}
