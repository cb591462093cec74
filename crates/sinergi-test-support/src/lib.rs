//! Test support: a `TestApp` with an isolated database per test on SQLite (always) or
//! PostgreSQL (when `SINERGI_TEST_POSTGRES_URL` names a server's admin database), the
//! router driven in-process, and a clock the test controls.
//!
//! Reference data is loaded once per test process into a template (a SQLite file that is
//! copied, a PostgreSQL database used as `TEMPLATE`), so each test starts from a full,
//! migrated database in milliseconds.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use secrecy::SecretString;
use serde_json::Value;
use sinergi_domain::clock::Clock;
use sinergi_store::files::LocalFileStore;
use sinergi_store::{ConnectOptions, DatabaseUrl, Store};
use sinergi_web::{AppState, WebSettings};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;
use time::macros::datetime;
use tokio::sync::OnceCell;
use tower::ServiceExt;

/// The environment variable naming the PostgreSQL server for tests.
pub const POSTGRES_ENV: &str = "SINERGI_TEST_POSTGRES_URL";
/// The bearer token tests use for writes.
pub const TOKEN: &str = "test-token-sinergi";
/// The password of users made by [`TestApp::user`].
pub const PASSWORD: &str = "kata-sandi-uji-123";
/// Sign-in attempts per address per minute in tests.
pub const LOGIN_ATTEMPTS_PER_MINUTE: usize = 30;

/// A tiny valid PNG (1×1), for upload tests (files are checked by content).
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\xcf\xc0\0\0\x03\x01\x01\0\xc9\xfe\x92\xef\0\0\0\0IEND\xaeB`\x82";

/// A signed-in browser session.
#[derive(Debug, Clone)]
pub struct Session {
    /// `sinergi_session=…`, ready for a Cookie header.
    pub cookie: String,
    pub csrf: String,
}

/// Percent-encodes a form value.
#[must_use]
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A clock the test moves by hand.
#[derive(Debug)]
pub struct TestClock(Mutex<OffsetDateTime>);

impl TestClock {
    pub fn set(&self, t: OffsetDateTime) {
        *self.0.lock().expect("clock lock") = t;
    }

    pub fn advance(&self, d: time::Duration) {
        let mut g = self.0.lock().expect("clock lock");
        *g += d;
    }
}

impl Clock for TestClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().expect("clock lock")
    }
}

/// The instant every test starts at.
pub const START: OffsetDateTime = datetime!(2026-06-01 02:00:00 UTC);

/// One test's application.
pub struct TestApp {
    pub store: Store,
    pub router: Router,
    pub clock: Arc<TestClock>,
    pub backend: Backend,
    /// The database URL of this test (for the CLI tests).
    pub url: String,
    /// The file store of this test (documents, scans, evidence): a fresh local directory
    /// unless [`TestApp::use_file_store`] put another in.
    pub files: Arc<dyn sinergi_store::FileStore>,
    _files_dir: tempfile::TempDir,
    _guard: Guard,
}

enum Guard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin: String, name: String },
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Guard::Postgres { admin, name } = self {
            let (admin, name) = (admin.clone(), name.clone());
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async move {
                    if let Ok(url) = DatabaseUrl::parse(&admin)
                        && let Ok(store) = Store::connect(
                            &url,
                            ConnectOptions {
                                max_connections: 1,
                                ..Default::default()
                            },
                        )
                        .await
                    {
                        let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                        if let sinergi_store::Db::Postgres(p) = store.db() {
                            let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await;
                        }
                        store.close().await;
                    }
                });
            })
            .join();
        }
    }
}

static SQLITE_TEMPLATE: OnceCell<PathBuf> = OnceCell::const_new();
static PG_TEMPLATE: OnceCell<String> = OnceCell::const_new();
static PG_CREATE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn prepare(store: &Store) {
    store.migrate().await.expect("migrate");
    store.ensure_reference_data().await.expect("reference data");
    store.ensure_rule_sets(START).await.expect("rule sets");
}

async fn sqlite_template() -> PathBuf {
    SQLITE_TEMPLATE
        .get_or_init(|| async {
            let dir = tempfile::tempdir().expect("tempdir").keep();
            let path = dir.join("template.db");
            let store = Store::connect(
                &DatabaseUrl::sqlite_file(&path),
                ConnectOptions {
                    create_sqlite_file: true,
                    max_connections: 1,
                    ..Default::default()
                },
            )
            .await
            .expect("sqlite template");
            prepare(&store).await;
            if let sinergi_store::Db::Sqlite(p) = store.db() {
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(p)
                    .await
                    .expect("checkpoint");
            }
            store.close().await;
            path
        })
        .await
        .clone()
}

/// `postgres://u@h:5432/db?x` with the database replaced.
/// The admin URL with another database name.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let (server, _) = base.rsplit_once('/').unwrap_or((base, ""));
    match query {
        Some(q) => format!("{server}/{db}?{q}"),
        None => format!("{server}/{db}"),
    }
}

fn migrations_fingerprint() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations/postgres");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("migrations")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for n in names {
        for b in std::fs::read(n).expect("read migration") {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// A one-connection store on the PostgreSQL server's admin database.
async fn admin_store(admin: &str) -> Store {
    Store::connect(
        &DatabaseUrl::parse(admin).expect("url"),
        ConnectOptions {
            max_connections: 1,
            ..Default::default()
        },
    )
    .await
    .expect("connect to the PostgreSQL admin database")
}

/// Runs one statement on the PostgreSQL admin connection.
///
/// # Errors
/// The database's.
pub async fn admin_exec(admin: &str, sql: &str) -> Result<(), sqlx::Error> {
    let store = admin_store(admin).await;
    let r = match store.db() {
        sinergi_store::Db::Postgres(p) => sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(p)
            .await
            .map(|_| ()),
        sinergi_store::Db::Sqlite(_) => Ok(()),
    };
    store.close().await;
    r
}

async fn pg_template(admin: &str) -> String {
    PG_TEMPLATE
        .get_or_init(|| async {
            let name = format!("sinergi_tpl_{}", migrations_fingerprint());
            let exists = {
                let store = admin_store(admin).await;
                let found: Option<i32> = match store.db() {
                    sinergi_store::Db::Postgres(p) => {
                        sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
                            .bind(&name)
                            .fetch_optional(p)
                            .await
                            .expect("pg_database")
                    }
                    sinergi_store::Db::Sqlite(_) => None,
                };
                store.close().await;
                found.is_some()
            };
            if !exists {
                let tmp = format!("{name}_build_{}", std::process::id());
                let _ = admin_exec(
                    admin,
                    &format!("DROP DATABASE IF EXISTS \"{tmp}\" WITH (FORCE)"),
                )
                .await;
                admin_exec(admin, &format!("CREATE DATABASE \"{tmp}\""))
                    .await
                    .expect("create template");
                let store = Store::connect(
                    &DatabaseUrl::parse(&with_database(admin, &tmp)).expect("url"),
                    ConnectOptions::default(),
                )
                .await
                .expect("connect template");
                prepare(&store).await;
                store.close().await;
                if admin_exec(
                    admin,
                    &format!("ALTER DATABASE \"{tmp}\" RENAME TO \"{name}\""),
                )
                .await
                .is_err()
                {
                    let _ = admin_exec(
                        admin,
                        &format!("DROP DATABASE IF EXISTS \"{tmp}\" WITH (FORCE)"),
                    )
                    .await;
                }
                drop_stale_templates(admin, &name).await;
            }
            name
        })
        .await
        .clone()
}

/// Templates of earlier schema versions are of no use any more. Several checkouts testing
/// against one server at once set `SINERGI_TEST_KEEP_TEMPLATES` so that none drops another's.
async fn drop_stale_templates(admin: &str, current: &str) {
    if std::env::var_os("SINERGI_TEST_KEEP_TEMPLATES").is_some() {
        return;
    }
    let Ok(url) = DatabaseUrl::parse(admin) else {
        return;
    };
    let Ok(store) = Store::connect(
        &url,
        ConnectOptions {
            max_connections: 1,
            ..Default::default()
        },
    )
    .await
    else {
        return;
    };
    let names: Vec<String> = match store.db() {
        sinergi_store::Db::Postgres(p) => sqlx::query_scalar(
            "SELECT datname FROM pg_database WHERE datname LIKE 'sinergi\\_tpl\\_%' AND datname <> $1 AND datname NOT LIKE '%\\_build\\_%'",
        )
        .bind(current)
        .fetch_all(p)
        .await
        .unwrap_or_default(),
        sinergi_store::Db::Sqlite(_) => Vec::new(),
    };
    store.close().await;
    for n in names {
        let _ = admin_exec(
            admin,
            &format!("DROP DATABASE IF EXISTS \"{n}\" WITH (FORCE)"),
        )
        .await;
    }
}

impl TestApp {
    /// A fresh app on SQLite.
    pub async fn sqlite() -> Self {
        let template = sqlite_template().await;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sinergi.db");
        std::fs::copy(&template, &path).expect("copy template");
        let url = DatabaseUrl::sqlite_file(&path);
        let store = Store::connect(
            &url,
            ConnectOptions {
                create_sqlite_file: false,
                max_connections: 5,
                ..Default::default()
            },
        )
        .await
        .expect("connect");
        store.migrate().await.expect("migrate");
        Self::assemble(
            store,
            Backend::Sqlite,
            url.expose().to_owned(),
            Guard::Sqlite(dir),
        )
    }

    /// A fresh app on PostgreSQL, or `None` when no server is configured. Under CI
    /// (`CI=true`) a missing server is a failure, not a skip.
    pub async fn postgres() -> Option<Self> {
        let Ok(admin) = std::env::var(POSTGRES_ENV) else {
            assert!(
                std::env::var("CI").is_err(),
                "{POSTGRES_ENV} must be set in CI: PostgreSQL tests may not be skipped there"
            );
            return None;
        };
        let template = pg_template(&admin).await;
        let name = format!("sinergi_it_{}", uuid::Uuid::new_v4().simple());
        {
            let _lock = PG_CREATE.lock().await;
            admin_exec(
                &admin,
                &format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""),
            )
            .await
            .expect("create test database");
        }
        let url = with_database(&admin, &name);
        let store = Store::connect(
            &DatabaseUrl::parse(&url).expect("url"),
            ConnectOptions {
                max_connections: 5,
                ..Default::default()
            },
        )
        .await
        .expect("connect");
        store.migrate().await.expect("migrate");
        Some(Self::assemble(
            store,
            Backend::Postgres,
            url,
            Guard::Postgres { admin, name },
        ))
    }

    /// A fresh app on the given backend (`None`: PostgreSQL not configured).
    pub async fn on(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite().await),
            Backend::Postgres => Self::postgres().await,
        }
    }

    fn state(
        store: &Store,
        clock: &Arc<TestClock>,
        files: &Arc<dyn sinergi_store::FileStore>,
    ) -> AppState {
        let settings = WebSettings {
            admin_token: Some(SecretString::from(TOKEN)),
            max_body_bytes: 64 * 1024,
            login: sinergi_store::LoginPolicy::default(),
            login_attempts_per_minute: LOGIN_ATTEMPTS_PER_MINUTE,
            secure_cookies: false,
            ..WebSettings::default()
        };
        AppState::new(store.clone(), clock.clone(), settings).with_documents(
            sinergi_web::DocumentSettings {
                files: files.clone(),
                ..Default::default()
            },
        )
    }

    fn assemble(store: Store, backend: Backend, url: String, guard: Guard) -> Self {
        let clock = Arc::new(TestClock(Mutex::new(START)));
        let files_dir = tempfile::tempdir().expect("tempdir");
        let files: Arc<dyn sinergi_store::FileStore> =
            Arc::new(LocalFileStore::new(files_dir.path()));
        let router = sinergi_web::router(Self::state(&store, &clock, &files));
        Self {
            store,
            router,
            clock,
            backend,
            url,
            files,
            _files_dir: files_dir,
            _guard: guard,
        }
    }

    /// The same app with its files in `files` (the S3 backend's tests).
    pub fn use_file_store(&mut self, files: Arc<dyn sinergi_store::FileStore>) {
        self.router = sinergi_web::router(Self::state(&self.store, &self.clock, &files));
        self.files = files;
    }

    /// The same app with notices of acts also sent by e-mail (SMTP configured).
    #[must_use]
    pub fn with_email_notices(mut self) -> Self {
        let mut state = Self::state(&self.store, &self.clock, &self.files);
        state.app.email_notices = true;
        self.router = sinergi_web::router(state);
        self
    }

    /// The same app offering single sign-on through an OpenID Connect provider (see
    /// [`oidc_idp::TestIdp`]): the router is rebuilt with `[auth.oidc]` set.
    #[must_use]
    pub fn with_oidc(mut self, settings: sinergi_web::OidcSettings) -> Self {
        let provider = sinergi_web::oidc::Provider::new(settings).expect("OpenID Connect settings");
        self.router = sinergi_web::router(
            Self::state(&self.store, &self.clock, &self.files).with_oidc(provider),
        );
        self
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Sends a request through the router.
    pub async fn request(
        &self,
        method: Method,
        uri: &str,
        body: Option<Vec<u8>>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let method_name = method.as_str().to_owned();
        let mut b = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let req = b
            .body(body.map_or_else(Body::empty, Body::from))
            .expect("request");
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        // Every answer of a documented operation must be what the OpenAPI document says.
        contract::check(
            &method_name,
            uri,
            status.as_u16(),
            headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok()),
            &bytes,
        );
        TestResponse {
            status,
            headers,
            body: bytes,
        }
    }

    /// GET as an anonymous visitor.
    pub async fn get(&self, uri: &str) -> TestResponse {
        self.request(Method::GET, uri, None, &[]).await
    }

    /// GET as staff.
    pub async fn get_staff(&self, uri: &str) -> TestResponse {
        let auth = format!("Bearer {TOKEN}");
        self.request(Method::GET, uri, None, &[("authorization", &auth)])
            .await
    }

    /// A JSON request as staff.
    pub async fn send(&self, method: Method, uri: &str, body: &Value) -> TestResponse {
        let auth = format!("Bearer {TOKEN}");
        self.request(
            method,
            uri,
            Some(serde_json::to_vec(body).expect("json")),
            &[
                ("authorization", &auth),
                (header::CONTENT_TYPE.as_str(), "application/json"),
            ],
        )
        .await
    }

    pub async fn post(&self, uri: &str, body: &Value) -> TestResponse {
        self.send(Method::POST, uri, body).await
    }

    pub async fn patch(&self, uri: &str, body: &Value) -> TestResponse {
        self.send(Method::PATCH, uri, body).await
    }

    pub async fn put(&self, uri: &str, body: &Value) -> TestResponse {
        self.send(Method::PUT, uri, body).await
    }

    /// Creates a user with a password of [`PASSWORD`]; returns its id.
    pub async fn user(
        &self,
        username: &str,
        region: Option<&str>,
        roles: &[&str],
        unit: Option<&str>,
    ) -> sinergi_domain::ids::UserId {
        let roles = roles
            .iter()
            .map(|r| sinergi_domain::access::Role::parse(r).expect("role"))
            .collect();
        self.store
            .create_user(
                &sinergi_store::NewUser {
                    username: username.to_owned(),
                    display_name: username.to_owned(),
                    password: Some(PASSWORD.to_owned()),
                    region: region.map(str::to_owned),
                    unit: unit.map(str::to_owned),
                    roles,
                    ..Default::default()
                },
                &sinergi_store::LoginPolicy::default(),
                &sinergi_domain::access::Actor::system("test"),
                self.now(),
            )
            .await
            .expect("create user")
            .id
    }

    /// Links a user's account to an official record (a kepala daerah's own account).
    pub async fn link_official(&self, username: &str, official: &str) {
        let u = self
            .store
            .user_by_name(username)
            .await
            .expect("db")
            .expect("user");
        self.store
            .link_official(
                u.id,
                Some(official.parse().expect("official id")),
                &sinergi_domain::access::Actor::system("test"),
                self.now(),
            )
            .await
            .expect("link official");
    }

    /// A read-write API token for a user.
    pub async fn token_of(&self, username: &str) -> String {
        let u = self
            .store
            .user_by_name(username)
            .await
            .expect("db")
            .expect("user");
        self.store
            .create_token(
                u.id,
                &format!("t-{}", uuid::Uuid::new_v4().simple()),
                &[],
                &sinergi_domain::access::Actor::system("test"),
                self.now(),
            )
            .await
            .expect("token")
            .1
    }

    /// A request with a bearer token.
    pub async fn as_token(
        &self,
        token: &str,
        method: Method,
        uri: &str,
        body: Option<&Value>,
    ) -> TestResponse {
        let auth = format!("Bearer {token}");
        let bytes = body.map(|b| serde_json::to_vec(b).expect("json"));
        let mut headers = vec![("authorization", auth.as_str())];
        if bytes.is_some() {
            headers.push((header::CONTENT_TYPE.as_str(), "application/json"));
        }
        self.request(method, uri, bytes, &headers).await
    }

    /// Signs in through the form; returns the session (cookie and CSRF token).
    pub async fn sign_in(&self, username: &str, password: &str) -> Option<Session> {
        let res = self.post_sign_in(username, password).await;
        self.session_from(&res).await
    }

    /// Posts the sign-in form as a browser does: first `GET /masuk` for the form's token and
    /// its cookie, then the form with both (login CSRF protection, issue 16).
    pub async fn post_sign_in(&self, username: &str, password: &str) -> TestResponse {
        let form = self.request(Method::GET, "/masuk", None, &[]).await;
        let page = String::from_utf8_lossy(&form.body).into_owned();
        let token = page
            .split("name=\"_csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_default()
            .to_owned();
        let cookie = form
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|c| c.starts_with("sinergi_masuk="))
            .unwrap_or_default()
            .to_owned();
        let body = format!(
            "username={}&password={}&_csrf={}",
            urlencode(username),
            urlencode(password),
            urlencode(&token)
        );
        self.request(
            Method::POST,
            "/masuk",
            Some(body.into_bytes()),
            &[
                (
                    header::CONTENT_TYPE.as_str(),
                    "application/x-www-form-urlencoded",
                ),
                ("cookie", &cookie),
            ],
        )
        .await
    }

    /// The browser session a response opened (its non-empty `sinergi_session` cookie), with
    /// the session's CSRF token read from the account page.
    pub async fn session_from(&self, res: &TestResponse) -> Option<Session> {
        let cookie = res
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|c| {
                c.strip_prefix(sinergi_web::auth::SESSION_COOKIE)
                    .and_then(|r| r.strip_prefix('='))
                    .is_some_and(|v| !v.is_empty())
            })?
            .to_owned();
        let page = self
            .request(Method::GET, "/akun", None, &[("cookie", &cookie)])
            .await;
        let text = String::from_utf8_lossy(&page.body).into_owned();
        let csrf = text
            .split("name=\"_csrf\" value=\"")
            .nth(1)?
            .split('"')
            .next()?
            .to_owned();
        Some(Session { cookie, csrf })
    }

    /// A form POST in a browser session (with its CSRF token unless `csrf` is given).
    pub async fn post_form(
        &self,
        s: &Session,
        uri: &str,
        fields: &[(&str, &str)],
        csrf: Option<&str>,
    ) -> TestResponse {
        let mut body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect();
        body.push(format!("_csrf={}", urlencode(csrf.unwrap_or(&s.csrf))));
        self.request(
            Method::POST,
            uri,
            Some(body.join("&").into_bytes()),
            &[
                (
                    header::CONTENT_TYPE.as_str(),
                    "application/x-www-form-urlencoded",
                ),
                ("cookie", &s.cookie),
            ],
        )
        .await
    }

    /// A `multipart/form-data` POST in a browser session, as a file-upload form sends it:
    /// the CSRF token in the query (the form's action), `files` as (field, file name, bytes),
    /// `fields` as plain parts.
    pub async fn post_multipart(
        &self,
        s: &Session,
        uri: &str,
        files: &[(&str, &str, &[u8])],
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let boundary = format!("----sinergi{}", uuid::Uuid::new_v4().simple());
        let mut body = Vec::new();
        for (name, file_name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let sep = if uri.contains('?') { '&' } else { '?' };
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.request(
            Method::POST,
            &format!("{uri}{sep}_csrf={}", urlencode(&s.csrf)),
            Some(body),
            &[
                (header::CONTENT_TYPE.as_str(), &content_type),
                ("cookie", &s.cookie),
            ],
        )
        .await
    }

    /// A GET in a browser session.
    pub async fn get_as(&self, s: &Session, uri: &str) -> TestResponse {
        self.request(Method::GET, uri, None, &[("cookie", &s.cookie)])
            .await
    }

    /// Serves the router over HTTP on a free local port, for a real client such as the
    /// [`browser::Browser`], and returns the base URL (`http://127.0.0.1:PORT`). The server
    /// runs on the test's runtime until the test ends; it is listening when this returns.
    pub async fn serve(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a local port");
        self.serve_on(listener)
    }

    /// As [`TestApp::serve`], on a listener bound beforehand (when the address must be known
    /// before the app is built, as an OpenID Connect redirect URL is).
    pub fn serve_on(&self, listener: tokio::net::TcpListener) -> String {
        let addr = listener.local_addr().expect("local address");
        let router = self.router.clone();
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .expect("serve");
        });
        format!("http://{addr}")
    }
}

/// A response with its body read.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    /// The body as text (a page, a refusal).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The error code of an error envelope.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn assert_status(&self, expected: StatusCode) -> &Self {
        assert_eq!(
            self.status,
            expected,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        self
    }
}

pub mod browser;
pub mod contract;
pub mod oidc_idp;
pub mod s3_server;
pub mod smtp_sink;
pub use browser::Browser;
pub use oidc_idp::TestIdp;
pub use s3_server::S3Server;
pub use smtp_sink::{ReceivedMail, SmtpSink};
