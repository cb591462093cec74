//! One typed settings tree: defaults → `sinergi.toml` → `SINERGI_*` environment → flags.

use anyhow::Context as _;
use secrecy::SecretString;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub const EXAMPLE: &str = include_str!("../sinergi.example.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    #[serde(default)]
    pub database: DatabaseSettings,
    #[serde(default)]
    pub server: ServerSettings,
    #[serde(default)]
    pub auth: AuthSettings,
    #[serde(default)]
    pub log: LogSettings,
    #[serde(default)]
    pub documents: DocumentSettings,
}

/// Agreement documents: file storage, upload limit, verification address, signing secret.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSettings {
    /// Directory of the content-addressed file store (default: `<data_dir>/files`).
    pub files_dir: Option<PathBuf>,
    /// `local` (default) or `s3` (see docs/adr/0006-agreement-documents.md: not built yet).
    #[serde(default = "default_file_backend")]
    pub file_backend: String,
    #[serde(default = "default_max_upload")]
    pub max_upload_bytes: u64,
    /// Public address printed on final PDFs for verification (`<public_url>/verifikasi/CODE`).
    #[serde(default = "default_public_url")]
    pub public_url: String,
    /// Server secret the signatories' private keys are sealed with. Electronic signing is
    /// refused while it is not set.
    pub signing_secret: Option<SecretString>,
}

impl Default for DocumentSettings {
    fn default() -> Self {
        Self {
            files_dir: None,
            file_backend: default_file_backend(),
            max_upload_bytes: default_max_upload(),
            public_url: default_public_url(),
            signing_secret: None,
        }
    }
}

fn default_file_backend() -> String {
    "local".to_owned()
}
fn default_max_upload() -> u64 {
    20 * 1024 * 1024
}
fn default_public_url() -> String {
    "http://127.0.0.1:8080".to_owned()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: Option<SecretString>,
    #[serde(default = "default_max_connections")]
    pub max_connections: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    #[serde(default = "default_max_body")]
    pub max_body_bytes: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    pub admin_token: Option<SecretString>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    #[serde(default = "default_filter")]
    pub filter: String,
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("data")
}
fn default_max_connections() -> u32 {
    10
}
fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}
fn default_max_body() -> usize {
    1024 * 1024
}
fn default_filter() -> String {
    "info,sqlx=warn".to_owned()
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: None,
            max_connections: default_max_connections(),
        }
    }
}
impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            listen: default_listen(),
            max_body_bytes: default_max_body(),
        }
    }
}
impl Default for LogSettings {
    fn default() -> Self {
        Self {
            filter: default_filter(),
        }
    }
}

/// Environment variables that are not settings: the shorthand flag and the test harness's.
fn is_reserved(key: &str) -> bool {
    key == "SINERGI_DATABASE_URL" || key.starts_with("SINERGI_TEST_")
}

impl Settings {
    /// Loads the settings. `file` is `--config`; without it `sinergi.toml` in the working
    /// directory is read when present.
    ///
    /// # Errors
    /// An unreadable or invalid file, an unknown key, an unknown `SINERGI_*` variable.
    pub fn load(file: Option<&Path>, env: &HashMap<String, String>) -> anyhow::Result<Self> {
        let mut builder = config::Config::builder();
        match file {
            Some(f) => {
                anyhow::ensure!(
                    f.exists(),
                    "berkas konfigurasi {} tidak ada (configuration file not found)",
                    f.display()
                );
                builder =
                    builder.add_source(config::File::from(f).format(config::FileFormat::Toml));
            }
            None => {
                if Path::new("sinergi.toml").exists() {
                    builder = builder
                        .add_source(config::File::new("sinergi.toml", config::FileFormat::Toml));
                }
            }
        }
        let vars: HashMap<String, String> = env
            .iter()
            .filter(|(k, _)| k.starts_with("SINERGI_") && !is_reserved(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        builder = builder.add_source(
            config::Environment::with_prefix("SINERGI")
                .prefix_separator("_")
                .separator("__")
                .source(Some(vars)),
        );
        let cfg = builder
            .build()
            .context("membaca konfigurasi (reading the configuration)")?;
        cfg.try_deserialize().context(
            "konfigurasi tidak valid; lihat `sinergi config example` (invalid configuration)",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn the_example_parses_into_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sinergi.toml");
        std::fs::write(&path, EXAMPLE).unwrap();
        let s = Settings::load(Some(&path), &HashMap::new()).unwrap();
        assert_eq!(s.server.listen, default_listen());
        assert_eq!(s.database.max_connections, 10);
        assert!(s.auth.admin_token.is_none());
    }

    #[test]
    fn environment_overrides_the_file_and_unknown_keys_fail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sinergi.toml");
        std::fs::write(&path, "[server]\nlisten = \"127.0.0.1:9000\"\n").unwrap();
        let env = HashMap::from([
            (
                "SINERGI_SERVER__LISTEN".to_owned(),
                "127.0.0.1:9100".to_owned(),
            ),
            ("SINERGI_AUTH__ADMIN_TOKEN".to_owned(), "rahasia".to_owned()),
            ("SINERGI_DATABASE_URL".to_owned(), "ignored-here".to_owned()),
        ]);
        let s = Settings::load(Some(&path), &env).unwrap();
        assert_eq!(s.server.listen.port(), 9100);
        assert_eq!(
            s.auth.admin_token.as_ref().unwrap().expose_secret(),
            "rahasia"
        );
        assert!(
            !format!("{s:?}").contains("rahasia"),
            "secrets must not show in Debug"
        );

        let bad = HashMap::from([("SINERGI_SERVR__LISTEN".to_owned(), "x".to_owned())]);
        assert!(Settings::load(Some(&path), &bad).is_err());
    }
}
