//! Identifier newtypes, so a meeting id can never be passed where a case id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// One counter for every id, so ids made in the same millisecond still sort in the order
/// they were made (history rows written at one instant keep their order).
static V7_CONTEXT: std::sync::Mutex<uuid::ContextV7> =
    std::sync::Mutex::new(uuid::ContextV7::new());

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            utoipa::ToSchema,
        )]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new time-ordered (v7) identifier.
            #[must_use]
            pub fn new_v7(at: time::OffsetDateTime) -> Self {
                let nanos = at.unix_timestamp_nanos();
                let secs = u64::try_from(nanos.div_euclid(1_000_000_000)).unwrap_or(0);
                let sub = u32::try_from(nanos.rem_euclid(1_000_000_000)).unwrap_or(0);
                let ctx = V7_CONTEXT.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                let ts = uuid::Timestamp::from_unix(&*ctx, secs, sub);
                Self(Uuid::new_v7(ts))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// A cooperation case (kerja sama).
    CaseId
);
id_type!(
    /// A meeting of a case.
    MeetingId
);
id_type!(
    /// A letter (surat) of a case.
    LetterId
);
id_type!(
    /// A Kesepakatan Bersama, Perjanjian Kerja Sama or addendum.
    AgreementId
);
id_type!(
    /// An official (pejabat).
    OfficialId
);
id_type!(
    /// A TKKSD (coordination team) of a region.
    TkksdId
);
id_type!(
    /// One immutable history row.
    HistoryId
);
id_type!(
    /// A user account.
    UserId
);
id_type!(
    /// An API token.
    TokenId
);
id_type!(
    /// One side's private note on a case.
    NoteId
);
id_type!(
    /// One audit log entry.
    AuditId
);
id_type!(
    /// A dispute (perselisihan) between the parties of a case.
    DisputeId
);

/// A new time-ordered id for a record without an id type of its own.
#[must_use]
pub fn new_id(at: time::OffsetDateTime) -> Uuid {
    HistoryId::new_v7(at).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_made_at_one_instant_keep_their_order() {
        let t = time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
        let ids: Vec<CaseId> = (0..1000).map(|_| CaseId::new_v7(t)).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
    }
}
id_type!(
    /// A surat kuasa: the kepala daerah's authorisation of an official to sign one PKS.
    PowerOfAttorneyId
);
