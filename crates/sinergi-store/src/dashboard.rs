//! Read models for the dashboard and the region page: counts by stage, upcoming meetings,
//! recent activity, partners.

use crate::{Store, StoreError, on_pool};
use serde::Serialize;
use sinergi_domain::ids::{CaseId, MeetingId};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Which cases a reader may see besides the published ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Visibility {
    /// Published cases only (visitors, unrelated readers).
    #[default]
    Public,
    /// Every case (the platform operator, Kemendagri).
    All,
    /// Published cases and those where the region is a party — as another party only once the
    /// offer has reached it (before, the case is the initiator's internal work;
    /// `sinergi_domain::authority::may_read` is the same rule for one case).
    Party(String),
    /// Published cases and those where the region's OPD is involved (an OPD implementer).
    Unit { region: String, unit: String },
    /// Published cases and those of the province and its regencies and cities (pembina).
    Province(String),
}

impl Visibility {
    /// The condition over `c` (cases) with its arguments, numbered from `$first`.
    pub(crate) fn sql(&self, first: usize) -> (Option<String>, Vec<String>) {
        let (a, b) = (first, first + 1);
        match self {
            Self::All => (None, vec![]),
            Self::Public => (Some("c.published = TRUE".to_owned()), vec![]),
            Self::Party(r) => (
                Some(format!(
                    "(c.published = TRUE OR c.id IN (SELECT vp.case_id FROM case_parties vp WHERE vp.region_code = ${a} AND (vp.ordinal = 1 OR c.offered = TRUE)))"
                )),
                vec![r.clone()],
            ),
            Self::Unit { region, unit } => (
                Some(format!(
                    "(c.published = TRUE OR c.id IN (SELECT vu.case_id FROM case_units vu JOIN case_parties vp ON vp.case_id = vu.case_id AND vp.region_code = vu.region_code \
                     WHERE vu.region_code = ${a} AND LOWER(vu.unit) = LOWER(${b}) AND (vp.ordinal = 1 OR c.offered = TRUE)))"
                )),
                vec![region.clone(), unit.clone()],
            ),
            Self::Province(p) => (
                Some(format!(
                    "(c.published = TRUE OR c.id IN (SELECT vp.case_id FROM case_parties vp WHERE vp.region_code = ${a} OR vp.region_code LIKE ${b}))"
                )),
                vec![p.clone(), format!("{p}.%")],
            ),
        }
    }
}

/// Which cases a read model covers.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Only cases where this region is a party.
    pub region: Option<String>,
    pub visibility: Visibility,
}

impl Scope {
    /// The WHERE clause over `c` (cases) and its arguments, starting at `$first`.
    fn sql(&self, first: usize) -> (String, Vec<String>) {
        let mut conds = Vec::new();
        let (vis, mut args) = self.visibility.sql(first);
        conds.extend(vis);
        if let Some(r) = &self.region {
            args.push(r.clone());
            conds.push(format!(
                "c.id IN (SELECT cp.case_id FROM case_parties cp WHERE cp.region_code = ${})",
                first + args.len() - 1
            ));
        }
        if conds.is_empty() {
            ("1 = 1".to_owned(), args)
        } else {
            (conds.join(" AND "), args)
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StageCount {
    pub stage: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpcomingMeeting {
    pub case_id: CaseId,
    pub case_title: String,
    pub meeting_id: MeetingId,
    pub kind: String,
    pub title: String,
    pub date: Date,
    pub start_time: Option<String>,
    pub timezone: String,
    pub place: String,
}

#[derive(sqlx::FromRow)]
struct UpcomingRow {
    case_id: Uuid,
    case_title: String,
    id: Uuid,
    kind: String,
    title: String,
    meeting_date: Date,
    start_time: Option<String>,
    timezone: String,
    place: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub case_id: CaseId,
    pub case_title: String,
    pub at: OffsetDateTime,
    pub actor: String,
    pub action: String,
    pub from_stage: Option<String>,
    pub to_stage: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ActivityRow {
    case_id: Uuid,
    case_title: String,
    at: OffsetDateTime,
    actor: String,
    action: String,
    from_stage: Option<String>,
    to_stage: Option<String>,
}

/// A partner of a region and how many cases they share.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Partner {
    pub code: String,
    pub name: String,
    pub cases: i64,
}

impl Store {
    /// Number of cases per stage.
    ///
    /// # Errors
    /// Database errors.
    pub async fn stage_counts(&self, scope: &Scope) -> Result<Vec<StageCount>, StoreError> {
        let (cond, args) = scope.sql(1);
        let sql = format!(
            "SELECT c.stage AS stage, COUNT(*) AS count FROM cases c WHERE {cond} GROUP BY c.stage"
        );
        Ok(on_pool!(&self.db, p => {
            let mut q = sqlx::query_as::<_, StageCount>(sqlx::AssertSqlSafe(sql));
            for a in &args { q = q.bind(a.as_str()); }
            q.fetch_all(p).await?
        }))
    }

    /// Meetings on or after `from`, soonest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn upcoming_meetings(
        &self,
        scope: &Scope,
        from: Date,
        limit: i64,
    ) -> Result<Vec<UpcomingMeeting>, StoreError> {
        let (cond, args) = scope.sql(3);
        let sql = format!(
            "SELECT m.case_id, c.title AS case_title, m.id, m.kind, m.title, m.meeting_date, m.start_time, m.timezone, m.place \
             FROM meetings m JOIN cases c ON c.id = m.case_id WHERE m.meeting_date >= $1 AND {cond} \
             ORDER BY m.meeting_date, m.start_time, m.id LIMIT $2"
        );
        let rows: Vec<UpcomingRow> = on_pool!(&self.db, p => {
            let mut q = sqlx::query_as::<_, UpcomingRow>(sqlx::AssertSqlSafe(sql)).bind(from).bind(limit);
            for a in &args { q = q.bind(a.as_str()); }
            q.fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| UpcomingMeeting {
                case_id: CaseId(r.case_id),
                case_title: r.case_title,
                meeting_id: MeetingId(r.id),
                kind: r.kind,
                title: r.title,
                date: r.meeting_date,
                start_time: r.start_time,
                timezone: r.timezone,
                place: r.place,
            })
            .collect())
    }

    /// The latest history rows, newest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn recent_activity(
        &self,
        scope: &Scope,
        limit: i64,
    ) -> Result<Vec<Activity>, StoreError> {
        let (cond, args) = scope.sql(2);
        let sql = format!(
            "SELECT h.case_id, c.title AS case_title, h.at, h.actor, h.action, h.from_stage, h.to_stage \
             FROM case_history h JOIN cases c ON c.id = h.case_id WHERE {cond} ORDER BY h.at DESC, h.id DESC LIMIT $1"
        );
        let rows: Vec<ActivityRow> = on_pool!(&self.db, p => {
            let mut q = sqlx::query_as::<_, ActivityRow>(sqlx::AssertSqlSafe(sql)).bind(limit);
            for a in &args { q = q.bind(a.as_str()); }
            q.fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| Activity {
                case_id: CaseId(r.case_id),
                case_title: r.case_title,
                at: r.at,
                actor: r.actor,
                action: r.action,
                from_stage: r.from_stage,
                to_stage: r.to_stage,
            })
            .collect())
    }

    /// The regions that share cases with `region`, most shared first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn partners_of(
        &self,
        region: &str,
        visibility: &Visibility,
    ) -> Result<Vec<Partner>, StoreError> {
        let (vis, vargs) = visibility.sql(2);
        let published = vis.map(|v| format!(" AND {v}")).unwrap_or_default();
        let sql = format!(
            "SELECT r.code, r.name, COUNT(DISTINCT other.case_id) AS cases FROM case_parties mine \
             JOIN case_parties other ON other.case_id = mine.case_id AND other.region_code <> mine.region_code \
             JOIN regions r ON r.code = other.region_code JOIN cases c ON c.id = mine.case_id \
             WHERE mine.region_code = $1{published} GROUP BY r.code, r.name ORDER BY cases DESC, r.code LIMIT 200"
        );
        Ok(on_pool!(&self.db, p => {
            let mut q = sqlx::query_as::<_, Partner>(sqlx::AssertSqlSafe(sql)).bind(region);
            for a in &vargs {
                q = q.bind(a.as_str());
            }
            q.fetch_all(p).await?
        }))
    }
}

/// A date something is due: a follow-up agreed in a meeting, or an agreement's end.
#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    pub case_id: CaseId,
    pub case_title: String,
    pub due_on: Date,
    pub what: String,
    /// `next_step` or `agreement_end`.
    pub kind: &'static str,
}

#[derive(sqlx::FromRow)]
struct NextStepRow {
    case_id: Uuid,
    case_title: String,
    text: String,
    due_on: Date,
}

#[derive(sqlx::FromRow)]
struct EndRow {
    case_id: Uuid,
    case_title: String,
    title: String,
    ends_on: Date,
}

impl Store {
    /// Follow-ups agreed in meetings and agreements ending, due from `from` on, soonest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn deadlines(
        &self,
        scope: &Scope,
        from: Date,
        limit: usize,
    ) -> Result<Vec<Deadline>, StoreError> {
        let lim = i64::try_from(limit).unwrap_or(50);
        let (cond, args) = scope.sql(3);
        let steps_sql = format!(
            "SELECT n.case_id, c.title AS case_title, n.text, n.due_on FROM meeting_next_steps n JOIN cases c ON c.id = n.case_id \
             WHERE n.due_on >= $1 AND {cond} ORDER BY n.due_on, n.meeting_id, n.ordinal LIMIT $2"
        );
        let ends_sql = format!(
            "SELECT a.case_id, c.title AS case_title, a.title, a.ends_on FROM agreements a JOIN cases c ON c.id = a.case_id \
             WHERE a.ends_on >= $1 AND a.status IN ('DITANDATANGANI', 'PELAKSANAAN') AND {cond} ORDER BY a.ends_on LIMIT $2"
        );
        let (steps, ends): (Vec<NextStepRow>, Vec<EndRow>) = on_pool!(&self.db, p => {
            let mut q = sqlx::query_as::<_, NextStepRow>(sqlx::AssertSqlSafe(steps_sql)).bind(from).bind(lim);
            let mut e = sqlx::query_as::<_, EndRow>(sqlx::AssertSqlSafe(ends_sql)).bind(from).bind(lim);
            for a in &args {
                q = q.bind(a.as_str());
                e = e.bind(a.as_str());
            }
            (q.fetch_all(p).await?, e.fetch_all(p).await?)
        });
        let mut out: Vec<Deadline> = steps
            .into_iter()
            .map(|r| Deadline {
                case_id: CaseId(r.case_id),
                case_title: r.case_title,
                due_on: r.due_on,
                what: r.text,
                kind: "next_step",
            })
            .chain(ends.into_iter().map(|e| Deadline {
                case_id: CaseId(e.case_id),
                case_title: e.case_title,
                due_on: e.ends_on,
                what: e.title,
                kind: "agreement_end",
            }))
            .collect();
        out.sort_by_key(|d| d.due_on);
        out.truncate(limit);
        Ok(out)
    }
}
