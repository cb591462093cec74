//! The negotiable body of an agreement: a tree of clauses (Pasal), each with its paragraphs
//! (ayat), each paragraph with an optional lettered list.

use serde::{Deserialize, Serialize};

/// One paragraph (ayat) of a clause, with an optional lettered list (a., b., …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ayat {
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
}

impl Ayat {
    #[must_use]
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            items: Vec::new(),
        }
    }

    /// The paragraph as plain words, list included (for diffs and search).
    #[must_use]
    pub fn plain(&self) -> String {
        let mut s = self.text.clone();
        for (i, item) in self.items.iter().enumerate() {
            s.push(' ');
            s.push_str(&crate::model::letter_label(i));
            s.push(' ');
            s.push_str(item);
        }
        s
    }
}

/// One clause (Pasal). `key` is stable across versions (the template section it came from,
/// or a generated key for a clause added in negotiation), so versions can be compared clause
/// by clause even after reordering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clause {
    pub key: String,
    pub heading: String,
    pub ayat: Vec<Ayat>,
}

/// The clause tree of one version of a draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub clauses: Vec<Clause>,
}

/// Why an edit of a clause tree was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    #[error("no clause with key {0}")]
    UnknownClause(String),
    #[error("a clause with key {0} already exists")]
    DuplicateKey(String),
    #[error("position {0} is out of range")]
    BadPosition(usize),
    #[error("the order must name every clause exactly once")]
    BadOrder,
    #[error("a clause needs a heading and at least one non-empty paragraph")]
    Empty,
}

impl Draft {
    #[must_use]
    pub fn position(&self, key: &str) -> Option<usize> {
        self.clauses.iter().position(|c| c.key == key)
    }

    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.key == key)
    }

    fn check(clause: &Clause) -> Result<(), DraftError> {
        if clause.heading.trim().is_empty()
            || clause.ayat.is_empty()
            || clause.ayat.iter().any(|a| a.text.trim().is_empty())
        {
            return Err(DraftError::Empty);
        }
        Ok(())
    }

    /// Inserts a clause at `at` (or at the end).
    ///
    /// # Errors
    /// A duplicate key, an empty clause, a position past the end.
    pub fn add(&mut self, clause: Clause, at: Option<usize>) -> Result<(), DraftError> {
        Self::check(&clause)?;
        if self.position(&clause.key).is_some() {
            return Err(DraftError::DuplicateKey(clause.key));
        }
        let at = at.unwrap_or(self.clauses.len());
        if at > self.clauses.len() {
            return Err(DraftError::BadPosition(at));
        }
        self.clauses.insert(at, clause);
        Ok(())
    }

    /// Replaces the heading and paragraphs of a clause.
    ///
    /// # Errors
    /// An unknown clause or an empty one.
    pub fn edit(&mut self, key: &str, heading: String, ayat: Vec<Ayat>) -> Result<(), DraftError> {
        let next = Clause {
            key: key.to_owned(),
            heading,
            ayat,
        };
        Self::check(&next)?;
        let i = self
            .position(key)
            .ok_or_else(|| DraftError::UnknownClause(key.to_owned()))?;
        self.clauses[i] = next;
        Ok(())
    }

    /// Removes a clause.
    ///
    /// # Errors
    /// An unknown clause.
    pub fn remove(&mut self, key: &str) -> Result<Clause, DraftError> {
        let i = self
            .position(key)
            .ok_or_else(|| DraftError::UnknownClause(key.to_owned()))?;
        Ok(self.clauses.remove(i))
    }

    /// Puts the clauses in the given order of keys.
    ///
    /// # Errors
    /// An order that does not name every clause exactly once.
    pub fn reorder(&mut self, keys: &[String]) -> Result<(), DraftError> {
        if keys.len() != self.clauses.len() {
            return Err(DraftError::BadOrder);
        }
        let mut next = Vec::with_capacity(keys.len());
        for k in keys {
            let c = self.get(k).ok_or(DraftError::BadOrder)?;
            if next.iter().any(|x: &Clause| x.key == *k) {
                return Err(DraftError::BadOrder);
            }
            next.push(c.clone());
        }
        self.clauses = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(key: &str) -> Clause {
        Clause {
            key: key.into(),
            heading: key.to_uppercase(),
            ayat: vec![Ayat::text("isi")],
        }
    }

    #[test]
    fn add_edit_reorder_remove() {
        let mut d = Draft::default();
        d.add(clause("a"), None).unwrap();
        d.add(clause("b"), None).unwrap();
        d.add(clause("c"), Some(0)).unwrap();
        assert_eq!(
            d.add(clause("a"), None),
            Err(DraftError::DuplicateKey("a".into()))
        );
        d.reorder(&["a".into(), "b".into(), "c".into()]).unwrap();
        assert_eq!(
            d.reorder(&["a".into(), "a".into(), "c".into()]),
            Err(DraftError::BadOrder)
        );
        d.edit("b", "BARU".into(), vec![Ayat::text("teks baru")])
            .unwrap();
        assert_eq!(d.get("b").unwrap().heading, "BARU");
        assert_eq!(d.edit("b", "X".into(), vec![]), Err(DraftError::Empty));
        d.remove("a").unwrap();
        assert_eq!(d.clauses.len(), 2);
        assert!(d.remove("zz").is_err());
    }
}
