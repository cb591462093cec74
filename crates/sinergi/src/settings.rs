//! One typed settings tree: defaults → `sinergi.toml` → `SINERGI_*` environment → flags.

use anyhow::Context as _;
use secrecy::SecretString;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

mod limits;
mod oidc;
pub use limits::LimitSettings;
pub use oidc::OidcSettings;

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
    pub email: EmailSettings,
    #[serde(default)]
    pub reminders: ReminderSettings,
    #[serde(default)]
    pub worker: WorkerSettings,
    #[serde(default)]
    pub documents: DocumentSettings,
    /// What an uploaded or imported file may cost before it is read.
    #[serde(default)]
    pub limits: LimitSettings,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailSettings {
    pub smtp_host: Option<String>,
    #[serde(default = "default_smtp_port")]
    pub smtp_port: u16,
    #[serde(default = "default_from")]
    pub from: String,
    /// `none` (a relay on a trusted network), `starttls` (port 587) or `tls` (port 465).
    #[serde(default)]
    pub security: sinergi_worker::MailSecurity,
    /// Log in to the SMTP server with this user name and `smtp_password`.
    pub smtp_username: Option<String>,
    pub smtp_password: Option<SecretString>,
    /// A PEM file of CA certificates to trust besides the system's (a government's own CA).
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReminderSettings {
    pub kb_lead_days: Option<Vec<u32>>,
    pub pks_lead_days: Option<Vec<u32>>,
    #[serde(default = "default_offer_days")]
    pub offer_followup_days: Vec<u32>,
    #[serde(default = "default_dprd_days")]
    pub dprd_followup_days: Vec<u32>,
    #[serde(default = "default_evaluation_days")]
    pub evaluation_lead_days: Vec<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Embedded {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerSettings {
    #[serde(default = "default_embedded")]
    pub embedded: Embedded,
    #[serde(default = "default_poll")]
    pub poll_seconds: u64,
    #[serde(default = "default_lease")]
    pub lease_seconds: u32,
}

fn default_smtp_port() -> u16 {
    25
}
fn default_from() -> String {
    "sinergi@localhost".to_owned()
}
fn default_offer_days() -> Vec<u32> {
    vec![14, 30, 60]
}
fn default_dprd_days() -> Vec<u32> {
    vec![30, 45]
}
fn default_evaluation_days() -> Vec<u32> {
    vec![14, 0]
}
fn default_embedded() -> Embedded {
    Embedded::Auto
}
fn default_poll() -> u64 {
    30
}
fn default_lease() -> u32 {
    300
}

impl Default for EmailSettings {
    fn default() -> Self {
        Self {
            smtp_host: None,
            smtp_port: default_smtp_port(),
            from: default_from(),
            security: sinergi_worker::MailSecurity::default(),
            smtp_username: None,
            smtp_password: None,
            ca_file: None,
        }
    }
}
impl Default for ReminderSettings {
    fn default() -> Self {
        Self {
            kb_lead_days: None,
            pks_lead_days: None,
            offer_followup_days: default_offer_days(),
            dprd_followup_days: default_dprd_days(),
            evaluation_lead_days: default_evaluation_days(),
        }
    }
}
impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            embedded: default_embedded(),
            poll_seconds: default_poll(),
            lease_seconds: default_lease(),
        }
    }
}

/// Agreement documents: file storage, upload limit, verification address, signing secret.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSettings {
    /// Directory of the content-addressed file store (default: `<data_dir>/files`).
    pub files_dir: Option<PathBuf>,
    /// `local` (default) or `s3` (then `[documents.s3]` says where).
    #[serde(default = "default_file_backend")]
    pub file_backend: String,
    /// The bucket of the `s3` backend.
    pub s3: Option<S3Section>,
    #[serde(default = "default_max_upload")]
    pub max_upload_bytes: u64,
    /// Public address printed on final PDFs for verification (`<public_url>/verifikasi/CODE`).
    #[serde(default = "default_public_url")]
    pub public_url: String,
    /// Server secret the signatories' private keys are sealed with. Electronic signing is
    /// refused while it is not set.
    pub signing_secret: Option<SecretString>,
    /// Each government's kop surat by Kemendagri code: `[documents.letterheads.62]`.
    #[serde(default)]
    pub letterheads: std::collections::BTreeMap<String, LetterheadSection>,
}

/// A government's kop surat: its lambang daerah (an SVG file) and address lines.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterheadSection {
    /// An SVG file of the lambang daerah.
    pub lambang: Option<PathBuf>,
    /// Address lines under the name: street and city, telephone, e-mail, website.
    #[serde(default)]
    pub address: Vec<String>,
}

impl DocumentSettings {
    /// Reads the configured letterheads and gives them to the document layouts.
    ///
    /// # Errors
    /// A lambang file that cannot be read or is not SVG.
    pub fn install_letterheads(&self) -> anyhow::Result<()> {
        let mut heads = std::collections::BTreeMap::new();
        for (code, h) in &self.letterheads {
            let lambang_svg = match &h.lambang {
                Some(f) => {
                    let text = std::fs::read_to_string(f).with_context(|| {
                        format!("membaca lambang {} (reading the lambang)", f.display())
                    })?;
                    sinergi_documents::letterhead::check_svg(&text)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
                    Some(text)
                }
                None => None,
            };
            heads.insert(
                code.clone(),
                sinergi_documents::LetterheadInput {
                    lambang_svg,
                    address: h.address.clone(),
                },
            );
        }
        sinergi_documents::letterhead::install(heads);
        Ok(())
    }
}

impl Default for DocumentSettings {
    fn default() -> Self {
        Self {
            files_dir: None,
            file_backend: default_file_backend(),
            s3: None,
            max_upload_bytes: default_max_upload(),
            public_url: default_public_url(),
            signing_secret: None,
            letterheads: std::collections::BTreeMap::new(),
        }
    }
}

/// S3-compatible object storage (AWS S3, MinIO, Ceph RGW, Garage …) for the file store.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Section {
    /// The service address, e.g. `https://minio.example.go.id:9000`; absent = AWS S3.
    pub endpoint: Option<String>,
    pub bucket: String,
    #[serde(default = "default_s3_region")]
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    /// A key prefix inside the bucket.
    #[serde(default)]
    pub prefix: String,
    /// Allow a plain-HTTP endpoint (only on a private network).
    #[serde(default)]
    pub allow_http: bool,
    #[serde(default = "default_s3_timeout")]
    pub timeout_seconds: u64,
}

fn default_s3_region() -> String {
    "us-east-1".to_owned()
}
fn default_s3_timeout() -> u64 {
    30
}

impl Settings {
    /// The worker configuration these settings describe.
    ///
    /// # Errors
    /// An unreadable `email.ca_file`; a login name without a password.
    pub fn worker_config(&self, prefix: &str) -> anyhow::Result<sinergi_worker::WorkerConfig> {
        let mut c = sinergi_worker::WorkerConfig::named(prefix);
        c.lease = time::Duration::seconds(i64::from(self.worker.lease_seconds.max(10)));
        c.poll = std::time::Duration::from_secs(self.worker.poll_seconds.max(1));
        let r = &self.reminders;
        if let Some(v) = &r.kb_lead_days {
            c.policy.agreement_lead_days.insert("kb".into(), v.clone());
        }
        if let Some(v) = &r.pks_lead_days {
            c.policy.agreement_lead_days.insert("pks".into(), v.clone());
        }
        c.policy
            .offer_followup_days
            .clone_from(&r.offer_followup_days);
        c.policy
            .dprd_followup_days
            .clone_from(&r.dprd_followup_days);
        c.policy
            .evaluation_lead_days
            .clone_from(&r.evaluation_lead_days);
        c.public_url.clone_from(&self.documents.public_url);
        c.mail = match &self.email.smtp_host {
            None => None,
            Some(h) => {
                let e = &self.email;
                anyhow::ensure!(
                    e.smtp_username.is_none() || e.smtp_password.is_some(),
                    "email.smtp_username tanpa email.smtp_password (a login name without a password)"
                );
                let extra_roots_pem = match &e.ca_file {
                    Some(f) => Some(std::fs::read_to_string(f).with_context(|| {
                        format!("membaca email.ca_file {} (reading)", f.display())
                    })?),
                    None => None,
                };
                Some(sinergi_worker::MailSettings {
                    host: h.clone(),
                    port: e.smtp_port,
                    from: e.from.clone(),
                    security: e.security,
                    username: e.smtp_username.clone(),
                    password: e.smtp_password.clone(),
                    extra_roots_pem,
                })
            }
        };
        Ok(c)
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// The platform operator's bearer token (installation, legacy data entry). Leave unset
    /// in normal operation: people sign in with accounts.
    pub admin_token: Option<SecretString>,
    /// Failed sign-ins before an account is locked.
    #[serde(default = "default_max_failures")]
    pub max_failed_logins: i32,
    /// How long a locked account stays locked, in minutes.
    #[serde(default = "default_lockout")]
    pub lockout_minutes: i64,
    /// Browser session lifetime, in hours.
    #[serde(default = "default_session_hours")]
    pub session_hours: i64,
    /// Sign-in attempts allowed per client address per minute.
    #[serde(default = "default_login_rate")]
    pub login_attempts_per_minute: usize,
    /// Mark cookies Secure (set when Sinergi is served over TLS).
    #[serde(default)]
    pub secure_cookies: bool,
    /// Single sign-on through an OpenID Connect provider; absent: password sign-in only.
    pub oidc: Option<OidcSettings>,
}

impl AuthSettings {
    /// The sign-in policy for the store.
    #[must_use]
    pub fn login_policy(&self) -> sinergi_store::LoginPolicy {
        sinergi_store::LoginPolicy {
            max_failures: self.max_failed_logins,
            lockout: time::Duration::minutes(self.lockout_minutes),
            session_ttl: time::Duration::hours(self.session_hours),
            ..sinergi_store::LoginPolicy::default()
        }
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            admin_token: None,
            max_failed_logins: default_max_failures(),
            lockout_minutes: default_lockout(),
            session_hours: default_session_hours(),
            login_attempts_per_minute: default_login_rate(),
            secure_cookies: false,
            oidc: None,
        }
    }
}

fn default_max_failures() -> i32 {
    5
}
fn default_lockout() -> i64 {
    15
}
fn default_session_hours() -> i64 {
    12
}
fn default_login_rate() -> usize {
    10
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    #[serde(default = "default_filter")]
    pub filter: String,
    /// `text` (default; colour only on a terminal) or `json` (one object per line).
    #[serde(default)]
    pub format: crate::logging::LogFormat,
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
            format: crate::logging::LogFormat::default(),
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
    fn reminder_stages_are_configurable_per_agreement_kind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sinergi.toml");
        std::fs::write(
            &path,
            "[reminders]\npks_lead_days = [30, 0]\noffer_followup_days = [7]\n[email]\nsmtp_host = \"127.0.0.1\"\nsmtp_port = 2525\n",
        )
        .unwrap();
        let s = Settings::load(Some(&path), &HashMap::new()).unwrap();
        let c = s.worker_config("t").unwrap();
        assert_eq!(c.policy.leads_for("pks"), [30, 0]);
        assert_eq!(c.policy.leads_for("kb"), [90, 60, 30, 7, 0]);
        assert_eq!(c.policy.offer_followup_days, [7]);
        assert_eq!(c.mail.unwrap().port, 2525);
        let none = Settings::load(None, &HashMap::new())
            .unwrap()
            .worker_config("t")
            .unwrap();
        assert!(none.mail.is_none(), "no SMTP host: in-app reminders only");
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
