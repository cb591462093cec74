//! Meetings of a case.

use crate::audit::{Change, append_audit};
use crate::history::{HistoryEntry, insert_history};
use crate::rows::MeetingRow;
use crate::{Store, StoreError, on_pool};
use sinergi_domain::access::Actor;
use sinergi_domain::ids::{CaseId, MeetingId};
use sinergi_domain::meeting::{Meeting, NewMeetingInput};
use sinergi_domain::region::RegionCode;
use sqlx::types::Json;
use time::OffsetDateTime;
use time::macros::format_description;

fn hhmm(t: time::Time) -> String {
    t.format(format_description!("[hour]:[minute]"))
        .unwrap_or_default()
}

impl Store {
    /// Records a meeting of a case.
    ///
    /// # Errors
    /// Unknown case; a host that is not a party; field errors; database errors.
    pub async fn add_meeting(
        &self,
        case_id: CaseId,
        input: &NewMeetingInput,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Meeting, StoreError> {
        let case = self.get_case(case_id).await?;
        let codes: Vec<String> = case
            .parties
            .iter()
            .filter_map(|p| p.region.as_ref().map(ToString::to_string))
            .collect();
        let dir = self.region_directory(&codes).await?;
        let m = input.validate(
            MeetingId::new_v7(now),
            &case,
            |c: &RegionCode| dir.zone(c),
            now,
        )?;
        let mut h = HistoryEntry::new(case_id, actor, "add_meeting", now);
        h.details =
            serde_json::json!({ "meeting": m.id, "kind": m.kind, "date": m.date.to_string() });
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO meetings (id, case_id, kind, title, meeting_date, start_time, end_time, timezone, starts_at, host_region, place, \
                 participants, agenda, minutes, outcomes, next_steps, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
            )
            .bind(m.id.0).bind(case_id.0).bind(m.kind.as_str()).bind(&m.title).bind(m.date)
            .bind(m.start_time.map(hhmm)).bind(m.end_time.map(hhmm)).bind(m.timezone.label()).bind(m.starts_at())
            .bind(m.host_region.as_str()).bind(&m.place).bind(Json(&m.participants)).bind(Json(&m.agenda))
            .bind(m.minutes.as_deref()).bind(Json(&m.outcomes)).bind(Json(&m.next_steps)).bind(now)
            .execute(&mut *tx).await?;
            for (i, n) in (1_i32..).zip(&m.next_steps) {
                sqlx::query("INSERT INTO meeting_next_steps (meeting_id, ordinal, case_id, text, due_on) VALUES ($1, $2, $3, $4, $5)")
                    .bind(m.id.0)
                    .bind(i)
                    .bind(case_id.0)
                    .bind(&n.text)
                    .bind(n.due_on)
                    .execute(&mut *tx)
                    .await?;
            }
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new("meeting.create", "meeting", m.id).case(case_id.0).after(&m))?;
            tx.commit().await?;
        });
        Ok(m)
    }

    /// The meetings of a case, by date.
    ///
    /// # Errors
    /// Database errors.
    pub async fn list_meetings(&self, case_id: CaseId) -> Result<Vec<Meeting>, StoreError> {
        let rows: Vec<MeetingRow> = on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT id, case_id, kind, title, meeting_date, start_time, end_time, timezone, host_region, place, participants, agenda, \
                 minutes, outcomes, next_steps, created_at FROM meetings WHERE case_id = $1 ORDER BY meeting_date, start_time, id",
            ).bind(case_id.0).fetch_all(p).await?
        });
        rows.into_iter().map(Meeting::try_from).collect()
    }

    /// One meeting.
    ///
    /// # Errors
    /// `meeting.not_found`; database errors.
    pub async fn get_meeting(&self, case_id: CaseId, id: MeetingId) -> Result<Meeting, StoreError> {
        self.list_meetings(case_id)
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or_else(|| sinergi_domain::DomainError::not_found("meeting", id).into())
    }
}
