//! Identifier newtypes, so a meeting id can never be passed where a case id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

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
                let ts = uuid::Timestamp::from_unix(uuid::NoContext, secs, sub);
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
