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

    /// The URL with every password replaced by `***`: the one in the user information
    /// (`postgres://user:***@host/db`, however many `@` the password holds) and the value of
    /// any query parameter whose name contains `password` (`?password=`, `?sslpassword=`).
    /// A URL the `url` crate cannot parse is shown by its scheme only, since where its
    /// password ends cannot be known.
    #[must_use]
    pub fn redacted(&self) -> String {
        let s = self.expose();
        let Ok(mut url) = ::url::Url::parse(s) else {
            let scheme = s.split_once(':').map_or("", |(scheme, _)| scheme);
            return format!("{scheme}:***");
        };
        let mut masked = false;
        if url.password().is_some() {
            masked = url.set_password(Some(MASK)).is_ok();
            if !masked {
                return format!("{}:***", url.scheme());
            }
        }
        let secret = |name: &str| name.to_ascii_lowercase().contains("password");
        if url.query_pairs().any(|(name, _)| secret(&name)) {
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .map(|(name, value)| {
                    let value = if secret(&name) { MASK.into() } else { value };
                    (name.into_owned(), value.into_owned())
                })
                .collect();
            url.query_pairs_mut().clear().extend_pairs(pairs);
            masked = true;
        }
        if masked { url.into() } else { s.to_owned() }
    }
}

/// What a password is replaced by.
const MASK: &str = "***";

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
    fn a_password_with_at_signs_is_masked_whole() {
        let u = DatabaseUrl::parse("postgres://u:p@ss@h/db").unwrap();
        let shown = u.to_string();
        assert_eq!(shown, "postgres://u:***@h/db");
        for part in ["p@ss", "p%40ss", "ss@", "@ss"] {
            assert!(!shown.contains(part), "{shown}");
            assert!(!format!("{u:?}").contains(part));
        }
        let u = DatabaseUrl::parse("postgresql://admin:a@b:c@@db.example:5432/sinergi").unwrap();
        assert_eq!(
            u.redacted(),
            "postgresql://admin:***@db.example:5432/sinergi"
        );
    }

    #[test]
    fn a_password_in_the_query_is_masked() {
        let u = DatabaseUrl::parse(
            "postgres://sinergi@db/sinergi?sslmode=require&password=rahasia&sslpassword=kunci",
        )
        .unwrap();
        let shown = u.to_string();
        assert!(
            !shown.contains("rahasia") && !shown.contains("kunci"),
            "{shown}"
        );
        assert_eq!(
            shown,
            "postgres://sinergi@db/sinergi?sslmode=require&password=***&sslpassword=***"
        );
        let u = DatabaseUrl::parse("postgres://u:x@h/db?PassWord=y%26z").unwrap();
        assert_eq!(
            format!("{u:?}"),
            "DatabaseUrl(postgres://u:***@h/db?PassWord=***)"
        );
    }

    #[test]
    fn urls_without_secrets_are_shown_as_given() {
        for s in [
            "postgres://postgres@127.0.0.1:5432/postgres",
            "sqlite:///var/lib/sinergi/sinergi.db?mode=rwc",
            "sqlite://data/x.db",
            "sqlite::memory:",
        ] {
            assert_eq!(DatabaseUrl::parse(s).unwrap().redacted(), s);
        }
        // Unparseable: nothing beyond the scheme.
        let u = DatabaseUrl::parse("postgres://u:p@[::1/db").unwrap();
        assert_eq!(u.redacted(), "postgres:***");
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
