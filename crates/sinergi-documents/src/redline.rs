//! Redlines: the words inserted and deleted between two versions of a draft, clause by
//! clause (matched by key, so a moved clause is compared with itself).
//!
//! The word diff is a longest-common-subsequence over whitespace-separated words, after the
//! common prefix and suffix are set aside (clauses are short, so the quadratic table is small).

use crate::draft::{Clause, Draft};
use serde::Serialize;

/// A run of words that is the same, inserted or deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "snake_case")]
pub enum Segment {
    Same(String),
    Ins(String),
    Del(String),
}

/// How a clause changed between the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClauseChange {
    Unchanged,
    Changed,
    Added,
    Removed,
}

/// One clause of a redline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseDiff {
    pub key: String,
    /// The heading in the newer version (the older one for a removed clause).
    pub heading: String,
    pub change: ClauseChange,
    /// Positions (1-based Pasal numbers) in the older and the newer version.
    pub old_position: Option<usize>,
    pub new_position: Option<usize>,
    pub segments: Vec<Segment>,
}

impl ClauseDiff {
    /// Number of inserted and deleted words.
    #[must_use]
    pub fn counts(&self) -> (usize, usize) {
        let words = |s: &str| s.split_whitespace().count();
        self.segments.iter().fold((0, 0), |(i, d), s| match s {
            Segment::Ins(t) => (i + words(t), d),
            Segment::Del(t) => (i, d + words(t)),
            Segment::Same(_) => (i, d),
        })
    }
}

/// The text of a clause as compared: heading, then each ayat numbered "(n)" when there are
/// several, with its lettered list.
#[must_use]
pub fn clause_text(c: &Clause) -> String {
    let mut parts = vec![c.heading.clone()];
    for (i, a) in c.ayat.iter().enumerate() {
        if c.ayat.len() > 1 {
            parts.push(format!("({})", i + 1));
        }
        parts.push(a.plain());
    }
    parts.join(" ")
}

/// The word-level difference of two texts, as runs.
#[must_use]
pub fn diff_words(old: &str, new: &str) -> Vec<Segment> {
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<(u8, &str)> = Vec::with_capacity(a.len() + b.len());
    ops.extend(a[..prefix].iter().map(|w| (0, *w)));
    // LCS table over the middle part: lcs[i][j] = LCS of am[i..] and bm[j..].
    let (n, m) = (am.len(), bm.len());
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if am[i] == bm[j] {
                lcs[at(i + 1, j + 1)] + 1
            } else {
                lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && am[i] == bm[j] {
            ops.push((0, am[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[at(i, j + 1)] >= lcs[at(i + 1, j)]) {
            ops.push((1, bm[j]));
            j += 1;
        } else {
            ops.push((2, am[i]));
            i += 1;
        }
    }
    ops.extend(a[a.len() - suffix..].iter().map(|w| (0, *w)));
    // Deletions before insertions inside a changed stretch read better: "lima [-tiga-] [+empat+]".
    let mut out: Vec<Segment> = Vec::new();
    let mut k = 0;
    while k < ops.len() {
        if ops[k].0 == 0 {
            let start = k;
            while k < ops.len() && ops[k].0 == 0 {
                k += 1;
            }
            out.push(Segment::Same(join(&ops[start..k])));
        } else {
            let start = k;
            while k < ops.len() && ops[k].0 != 0 {
                k += 1;
            }
            let dels: Vec<(u8, &str)> =
                ops[start..k].iter().filter(|o| o.0 == 2).copied().collect();
            let ins: Vec<(u8, &str)> = ops[start..k].iter().filter(|o| o.0 == 1).copied().collect();
            if !dels.is_empty() {
                out.push(Segment::Del(join(&dels)));
            }
            if !ins.is_empty() {
                out.push(Segment::Ins(join(&ins)));
            }
        }
    }
    out
}

fn join(ops: &[(u8, &str)]) -> String {
    ops.iter().map(|o| o.1).collect::<Vec<_>>().join(" ")
}

/// The redline of two versions, in the newer version's order; a removed clause appears
/// after the clause that preceded it in the older version.
#[must_use]
pub fn redline(old: &Draft, new: &Draft) -> Vec<ClauseDiff> {
    let mut out: Vec<ClauseDiff> = Vec::new();
    for (ni, c) in new.clauses.iter().enumerate() {
        let before = old.position(&c.key);
        let text = clause_text(c);
        let (change, segments) = match before.map(|i| &old.clauses[i]) {
            None => (ClauseChange::Added, vec![Segment::Ins(text)]),
            Some(o) if o == c => (ClauseChange::Unchanged, vec![Segment::Same(text)]),
            Some(o) => (ClauseChange::Changed, diff_words(&clause_text(o), &text)),
        };
        out.push(ClauseDiff {
            key: c.key.clone(),
            heading: c.heading.clone(),
            change,
            old_position: before.map(|i| i + 1),
            new_position: Some(ni + 1),
            segments,
        });
    }
    for (oi, c) in old.clauses.iter().enumerate() {
        if new.position(&c.key).is_some() {
            continue;
        }
        // After the nearest earlier clause that is still there (or first).
        let anchor = old.clauses[..oi]
            .iter()
            .rev()
            .find_map(|p| out.iter().position(|d| d.key == p.key));
        let at = anchor.map_or(0, |a| a + 1);
        out.insert(
            at,
            ClauseDiff {
                key: c.key.clone(),
                heading: c.heading.clone(),
                change: ClauseChange::Removed,
                old_position: Some(oi + 1),
                new_position: None,
                segments: vec![Segment::Del(clause_text(c))],
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::Ayat;

    fn c(key: &str, text: &str) -> Clause {
        Clause {
            key: key.into(),
            heading: key.to_uppercase(),
            ayat: vec![Ayat::text(text)],
        }
    }

    #[test]
    fn words_inserted_and_deleted() {
        let d = diff_words(
            "berlaku untuk jangka waktu lima tahun sejak ditandatangani",
            "berlaku untuk jangka waktu tiga tahun terhitung sejak ditandatangani",
        );
        assert_eq!(
            d,
            vec![
                Segment::Same("berlaku untuk jangka waktu".into()),
                Segment::Del("lima".into()),
                Segment::Ins("tiga".into()),
                Segment::Same("tahun".into()),
                Segment::Ins("terhitung".into()),
                Segment::Same("sejak ditandatangani".into()),
            ]
        );
        assert_eq!(diff_words("a b", "a b"), vec![Segment::Same("a b".into())]);
        assert_eq!(diff_words("", "a"), vec![Segment::Ins("a".into())]);
        assert_eq!(diff_words("a", ""), vec![Segment::Del("a".into())]);
    }

    #[test]
    fn clauses_matched_by_key_across_reorder_add_and_remove() {
        let old = Draft {
            clauses: vec![c("a", "satu dua"), c("b", "tiga"), c("c", "empat")],
        };
        let new = Draft {
            clauses: vec![c("c", "empat"), c("a", "satu tiga"), c("d", "baru")],
        };
        let r = redline(&old, &new);
        let keys: Vec<_> = r.iter().map(|d| (d.key.as_str(), d.change)).collect();
        assert_eq!(
            keys,
            vec![
                ("c", ClauseChange::Unchanged),
                ("a", ClauseChange::Changed),
                ("b", ClauseChange::Removed),
                ("d", ClauseChange::Added),
            ]
        );
        assert_eq!(r[1].counts(), (1, 1));
        assert_eq!(r[0].old_position, Some(3));
        assert_eq!(r[0].new_position, Some(1));
    }
}
