//! The audit log's hash chain: each entry's hash covers its content and the previous hash,
//! so changing, inserting or removing an entry breaks every hash after it.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry as hashed. Timestamps are RFC 3339 in UTC with whole seconds; before and
/// after are canonical JSON text (object keys sorted), stored exactly as hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    pub seq: i64,
    pub id: String,
    pub at: String,
    pub actor_id: Option<String>,
    pub actor: String,
    pub on_behalf_of: Option<String>,
    pub role: Option<String>,
    pub region: Option<String>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: Option<String>,
    pub case_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub request_id: Option<String>,
}

impl AuditRecord {
    /// The entry's hash given the previous entry's hash: SHA-256 over the JSON array of the
    /// fields followed by the previous hash (a JSON array is unambiguous, whatever the text).
    #[must_use]
    pub fn hash(&self, prev_hash: &str) -> String {
        let fields = serde_json::json!([
            self.seq,
            self.id,
            self.at,
            self.actor_id,
            self.actor,
            self.on_behalf_of,
            self.role,
            self.region,
            self.action,
            self.subject_kind,
            self.subject_id,
            self.case_id,
            self.before,
            self.after,
            self.request_id,
            prev_hash,
        ]);
        let digest = Sha256::digest(fields.to_string().as_bytes());
        hex(&digest)
    }
}

/// SHA-256 of bytes, lower-case hex: the one digest text of the project (file addresses,
/// token and session hashes, document hashes).
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hexadecimal.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Canonical JSON text of a value: object keys sorted (serde_json's map is ordered), no
/// insignificant whitespace.
#[must_use]
pub fn canonical<T: Serialize>(v: &T) -> Option<String> {
    serde_json::to_value(v).ok().map(|v| v.to_string())
}

/// Why a stored chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The entry's content no longer matches its hash.
    Altered { seq: i64, id: String },
    /// The entry does not point at the hash of the entry before it.
    Relinked { seq: i64, id: String },
    /// Sequence numbers skip: entries are missing before this one.
    Missing { expected: i64, found: i64 },
    /// The chain's head records more entries (or another last hash) than are stored.
    Truncated { head_seq: i64, last_seq: i64 },
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Altered { seq, id } => write!(
                f,
                "entri #{seq} ({id}) telah diubah: isinya tidak cocok dengan hash-nya / entry #{seq} ({id}) was altered: its content does not match its hash"
            ),
            Self::Relinked { seq, id } => write!(
                f,
                "entri #{seq} ({id}) tidak tersambung ke hash entri sebelumnya / entry #{seq} ({id}) does not link to the previous entry's hash"
            ),
            Self::Missing { expected, found } => write!(
                f,
                "entri #{expected} hilang (berikutnya #{found}) / entry #{expected} is missing (next is #{found})"
            ),
            Self::Truncated { head_seq, last_seq } => write!(
                f,
                "kepala rantai mencatat {head_seq} entri tetapi yang tersimpan berakhir di #{last_seq} / the chain head records {head_seq} entries but the stored ones end at #{last_seq}"
            ),
        }
    }
}

/// Verifies a chain given in sequence order, each with its stored prev_hash and hash, and the
/// head's (seq, hash). Returns the number of entries verified.
///
/// # Errors
/// The first break found.
pub fn verify<'a>(
    entries: impl IntoIterator<Item = (&'a AuditRecord, &'a str, &'a str)>,
    head: (i64, &str),
) -> Result<i64, ChainBreak> {
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    for (rec, prev_hash, hash) in entries {
        if rec.seq != expected_seq {
            return Err(ChainBreak::Missing {
                expected: expected_seq,
                found: rec.seq,
            });
        }
        if prev_hash != prev {
            return Err(ChainBreak::Relinked {
                seq: rec.seq,
                id: rec.id.clone(),
            });
        }
        if rec.hash(prev_hash) != hash {
            return Err(ChainBreak::Altered {
                seq: rec.seq,
                id: rec.id.clone(),
            });
        }
        prev = hash.to_owned();
        expected_seq += 1;
    }
    let last = expected_seq - 1;
    if head.0 != last || (last > 0 && head.1 != prev) {
        return Err(ChainBreak::Truncated {
            head_seq: head.0,
            last_seq: last,
        });
    }
    Ok(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(seq: i64) -> AuditRecord {
        AuditRecord {
            seq,
            id: format!("id-{seq}"),
            at: "2026-11-29T06:00:00Z".into(),
            actor_id: None,
            actor: "budi".into(),
            on_behalf_of: None,
            role: Some("admin".into()),
            region: Some("62".into()),
            action: "case.update".into(),
            subject_kind: "case".into(),
            subject_id: Some("c1".into()),
            case_id: Some("c1".into()),
            before: Some(r#"{"title":"a"}"#.into()),
            after: Some(r#"{"title":"b"}"#.into()),
            request_id: None,
        }
    }

    fn chain(n: i64) -> Vec<(AuditRecord, String, String)> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|s| {
                let r = rec(s);
                let h = r.hash(&prev);
                let out = (r, prev.clone(), h.clone());
                prev = h;
                out
            })
            .collect()
    }

    fn check(c: &[(AuditRecord, String, String)], head: (i64, &str)) -> Result<i64, ChainBreak> {
        verify(c.iter().map(|(r, p, h)| (r, p.as_str(), h.as_str())), head)
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(5);
        let last = c[4].2.clone();
        assert_eq!(check(&c, (5, &last)), Ok(5));
        assert_eq!(check(&[], (0, GENESIS)), Ok(0));
    }

    #[test]
    fn alteration_is_named() {
        let mut c = chain(5);
        let last = c[4].2.clone();
        c[2].0.after = Some(r#"{"title":"c"}"#.into());
        assert_eq!(
            check(&c, (5, &last)),
            Err(ChainBreak::Altered {
                seq: 3,
                id: "id-3".into()
            })
        );
    }

    #[test]
    fn removal_and_truncation_are_found() {
        let mut c = chain(5);
        let last = c[4].2.clone();
        c.remove(1);
        assert!(matches!(
            check(&c, (5, &last)),
            Err(ChainBreak::Missing {
                expected: 2,
                found: 3
            })
        ));
        let mut c = chain(5);
        c.pop();
        assert!(matches!(
            check(&c, (5, &last)),
            Err(ChainBreak::Truncated { .. })
        ));
    }

    #[test]
    fn a_rehashed_entry_breaks_the_link_after_it() {
        let mut c = chain(4);
        let last = c[3].2.clone();
        c[1].0.actor = "mallory".into();
        c[1].2 = c[1].0.hash(&c[1].1);
        assert_eq!(
            check(&c, (4, &last)),
            Err(ChainBreak::Relinked {
                seq: 3,
                id: "id-3".into()
            })
        );
    }
}
