//! The only place that reads the wall clock. Everything else receives `now` as a value.

use time::OffsetDateTime;

/// Source of the current instant.
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[expect(
        clippy::disallowed_methods,
        reason = "this is the one sanctioned clock read"
    )]
    fn now(&self) -> OffsetDateTime {
        // Whole seconds: stored timestamps then have one fixed width and sort as text on
        // SQLite; ids (time-ordered) break ties within a second.
        let now = OffsetDateTime::now_utc();
        now.replace_nanosecond(0).unwrap_or(now)
    }
}

/// A clock that always answers the same instant (tests, `--now` on the command line).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub OffsetDateTime);

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}

/// "Today" for date guards: the calendar day in the easternmost zone (WIT, UTC+9), so that
/// nothing signed or decided today anywhere in Indonesia counts as "in the future".
#[must_use]
pub fn today(now: OffsetDateTime) -> time::Date {
    now.to_offset(time::UtcOffset::from_hms(9, 0, 0).unwrap_or(time::UtcOffset::UTC))
        .date()
}
