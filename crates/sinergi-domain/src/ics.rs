//! iCalendar (RFC 5545) text for calendar feeds: meetings and deadlines.

use time::{Date, OffsetDateTime};

/// One calendar entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Globally unique and stable (the same event keeps its UID across feeds).
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    pub url: Option<String>,
    pub when: EventTime,
    /// The revision of the event (RFC 5545 §3.8.7.4): 0 when created, higher after each
    /// change, so calendar clients replace their copy instead of keeping a stale one.
    pub sequence: u32,
    /// When the event's source last changed (LAST-MODIFIED), when known.
    pub last_modified: Option<OffsetDateTime>,
}

/// A timed event (UTC instants) or an all-day one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventTime {
    Timed {
        start: OffsetDateTime,
        end: OffsetDateTime,
    },
    AllDay(Date),
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence.
fn fold(line: &str, out: &mut String) {
    let mut count = 0;
    for ch in line.chars() {
        let n = ch.len_utf8();
        if count + n > 75 {
            out.push_str("\r\n ");
            count = 1;
        }
        out.push(ch);
        count += n;
    }
    out.push_str("\r\n");
}

fn utc(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn day(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The calendar as text. `stamp` is the DTSTAMP of every event (the feed's generation time).
#[must_use]
pub fn calendar(name: &str, events: &[CalendarEvent], stamp: OffsetDateTime) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Sinergi//Kerja Sama Daerah//ID",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(l, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", escape(name)), &mut out);
    for e in events {
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:{}", e.uid), &mut out);
        fold(&format!("DTSTAMP:{}", utc(stamp)), &mut out);
        fold(&format!("SEQUENCE:{}", e.sequence), &mut out);
        if let Some(m) = e.last_modified {
            fold(&format!("LAST-MODIFIED:{}", utc(m)), &mut out);
        }
        match e.when {
            EventTime::Timed { start, end } => {
                fold(&format!("DTSTART:{}", utc(start)), &mut out);
                fold(&format!("DTEND:{}", utc(end)), &mut out);
            }
            EventTime::AllDay(d) => {
                fold(&format!("DTSTART;VALUE=DATE:{}", day(d)), &mut out);
                let next = d.next_day().unwrap_or(d);
                fold(&format!("DTEND;VALUE=DATE:{}", day(next)), &mut out);
            }
        }
        fold(&format!("SUMMARY:{}", escape(&e.summary)), &mut out);
        if !e.description.is_empty() {
            fold(&format!("DESCRIPTION:{}", escape(&e.description)), &mut out);
        }
        if let Some(l) = &e.location {
            fold(&format!("LOCATION:{}", escape(l)), &mut out);
        }
        if let Some(u) = &e.url {
            fold(&format!("URL:{u}"), &mut out);
        }
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn escapes_folds_and_ends_lines_with_crlf() {
        let long = "Penandatanganan Kesepakatan Bersama, Kalimantan Tengah; Bali — pariwisata dan kebudayaan";
        let text = calendar(
            "Sinergi 62",
            &[
                CalendarEvent {
                    uid: "m-1@sinergi".into(),
                    summary: long.into(),
                    description: "baris 1\nbaris 2".into(),
                    location: Some("Palangka Raya".into()),
                    url: None,
                    when: EventTime::Timed {
                        start: datetime!(2022-03-26 02:00 UTC),
                        end: datetime!(2022-03-26 04:00 UTC),
                    },
                    sequence: 0,
                    last_modified: Some(datetime!(2022-03-20 08:30:15 UTC)),
                },
                CalendarEvent {
                    uid: "d-1@sinergi".into(),
                    summary: "KB berakhir".into(),
                    description: String::new(),
                    location: None,
                    url: None,
                    when: EventTime::AllDay(date!(2027 - 03 - 25)),
                    sequence: 3,
                    last_modified: None,
                },
            ],
            datetime!(2026-06-01 00:00 UTC),
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART:20220326T020000Z\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20270325\r\nDTEND;VALUE=DATE:20270326\r\n"));
        assert!(text.contains("DESCRIPTION:baris 1\\nbaris 2"));
        assert!(text.contains("SEQUENCE:0\r\nLAST-MODIFIED:20220320T083015Z\r\n"));
        assert!(text.contains("UID:d-1@sinergi\r\nDTSTAMP:20260601T000000Z\r\nSEQUENCE:3\r\n"));
        assert!(text.contains("Kesepakatan Bersama\\, Kalimantan Tengah\\;"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
    }
}
