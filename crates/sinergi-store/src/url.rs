//! The database URL: which backend, and never the password in a log line.

use secrecy::{ExposeSecret, SecretString};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database URL whose `Debug` and `Display` mask the password.
#[derive(Clone)]
pub struct DatabaseUrl(SecretString);

impl DatabaseUrl {
    /// Parses a URL; only `sqlite:` and `postgres://` / `postgresql://` are accepted.
    ///
    /// # Errors
    /// A message naming the unknown scheme.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.starts_with("sqlite:")
            || s.starts_with("postgres://")
            || s.starts_with("postgresql://")
        {
            Ok(Self(SecretString::from(s.to_owned())))
        } else {
            let scheme = s.split(':').next().unwrap_or("");
            Err(format!(
                "Skema URL basis data '{scheme}' tidak dikenal; gunakan sqlite:// atau postgres://. (Unknown database URL scheme '{scheme}'; use sqlite:// or postgres://.)"
            ))
        }
    }

    /// The SQLite URL of a file path.
    #[must_use]
    pub fn sqlite_file(path: &std::path::Path) -> Self {
        Self(SecretString::from(format!("sqlite://{}", path.display())))
    }

    #[must_use]
    pub fn backend(&self) -> Backend {
        if self.0.expose_secret().starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }

    /// The full URL, for the driver only.
    #[must_use]
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The file path of a SQLite URL (`:memory:` for an in-memory database).
    #[must_use]
    pub fn sqlite_path(&self) -> Option<String> {
        let rest = self.expose().strip_prefix("sqlite:")?;
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let path = rest.split('?').next()?;
        if path.is_empty() {
            None
        } else {
            Some(path.to_owned())
        }
    }

    /// Whether the URL explicitly asks to create the file (`?mode=rwc`).
    #[must_use]
    pub fn sqlite_mode_rwc(&self) -> bool {
        self.expose()
            .split_once('?')
            .is_some_and(|(_, q)| q.split('&').any(|kv| kv == "mode=rwc"))
    }

    /// The URL with any password replaced by `***`.
    #[must_use]
    pub fn redacted(&self) -> String {
        let s = self.expose();
        let Some((scheme, rest)) = s.split_once("://") else {
            return s.to_owned();
        };
        match rest.split_once('@') {
            Some((userinfo, host)) => {
                let user = userinfo.split(':').next().unwrap_or("");
                if userinfo.contains(':') {
                    format!("{scheme}://{user}:***@{host}")
                } else {
                    s.to_owned()
                }
            }
            None => s.to_owned(),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_schemes_are_refused() {
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("/tmp/x.db").is_err());
        assert!(DatabaseUrl::parse("sqlite:///tmp/x.db").is_ok());
        assert!(DatabaseUrl::parse("postgresql://u@h/db").is_ok());
    }

    #[test]
    fn passwords_never_show() {
        let u = DatabaseUrl::parse("postgres://sinergi:rahasia@db:5432/sinergi").unwrap();
        assert!(!format!("{u:?}").contains("rahasia"));
        assert!(!format!("{u}").contains("rahasia"));
        assert_eq!(u.redacted(), "postgres://sinergi:***@db:5432/sinergi");
    }

    #[test]
    fn sqlite_paths_are_extracted() {
        let u = DatabaseUrl::parse("sqlite:///var/lib/sinergi/sinergi.db?mode=rwc").unwrap();
        assert_eq!(
            u.sqlite_path().as_deref(),
            Some("/var/lib/sinergi/sinergi.db")
        );
        assert!(u.sqlite_mode_rwc());
        let u = DatabaseUrl::parse("sqlite://data/x.db").unwrap();
        assert_eq!(u.sqlite_path().as_deref(), Some("data/x.db"));
        assert!(!u.sqlite_mode_rwc());
    }
}
