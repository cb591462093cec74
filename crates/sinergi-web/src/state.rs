//! Shared state of the handlers.

use secrecy::{ExposeSecret, SecretString};
use sinergi_domain::clock::Clock;
use sinergi_store::Store;
use std::sync::Arc;

/// Web settings, taken from the application settings.
#[derive(Clone, Debug)]
pub struct WebSettings {
    /// Bearer token of the platform operator (installation, legacy data entry); unset in
    /// normal operation, where people use accounts.
    pub admin_token: Option<SecretString>,
    /// Largest accepted request body in bytes.
    pub max_body_bytes: usize,
    /// Sign-in policy: lockout, session lifetime, password hashing cost.
    pub login: sinergi_store::LoginPolicy,
    /// Sign-in attempts allowed per client address per minute.
    pub login_attempts_per_minute: usize,
    /// Mark cookies `Secure` (behind TLS).
    pub secure_cookies: bool,
    /// What an imported BPS table may cost before it is read (`[limits]`).
    pub import_limits: sinergi_bps::Limits,
    /// Send `Strict-Transport-Security` (the public address is https).
    pub hsts: bool,
}

impl Default for WebSettings {
    fn default() -> Self {
        Self {
            admin_token: None,
            max_body_bytes: 1024 * 1024,
            login: sinergi_store::LoginPolicy::default(),
            login_attempts_per_minute: 10,
            secure_cookies: false,
            import_limits: sinergi_bps::Limits::default(),
            hsts: false,
        }
    }
}

impl WebSettings {
    /// Whether a presented token is the configured one (constant time in its length).
    #[must_use]
    pub fn token_matches(&self, presented: &str) -> bool {
        let Some(expected) = &self.admin_token else {
            return false;
        };
        let (a, b) = (expected.expose_secret().as_bytes(), presented.as_bytes());
        if a.len() != b.len() || a.is_empty() {
            return false;
        }
        a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// Files and agreement documents (defined in the application layer, which uses them).
pub use sinergi_app::DocumentSettings;

/// How large a request an upload route accepts: the upload limit plus room for the request's
/// other parts (form fields, multipart headers). The store refuses a file over the limit
/// itself, with its own message.
pub fn upload_body_limit(max_upload: u64) -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(
        usize::try_from(max_upload)
            .unwrap_or(usize::MAX)
            .saturating_add(1 << 20),
    )
}

#[derive(Clone)]
pub struct AppState {
    /// The application layer: every use case, for the API and the pages alike.
    pub app: sinergi_app::App,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<WebSettings>,
    pub login_limiter: Arc<crate::auth::LoginLimiter>,
    pub documents: Arc<DocumentSettings>,
    /// The 552 governments (code, name) for pickers; reference data does not change while
    /// the server runs.
    daerah: Arc<tokio::sync::OnceCell<Vec<(String, String)>>>,
    /// Loaded observations of the regional-potential comparison sets (issue 6).
    pub potential: Arc<crate::potential::PotentialCache>,
    /// The OpenID Connect provider, when `[auth.oidc]` is configured (ADR 0009).
    pub oidc: Option<Arc<crate::oidc::Provider>>,
    /// Register imports running in the background on this node (large files).
    pub imports: Arc<crate::pages::register_import::Runs>,
}

impl AppState {
    #[must_use]
    pub fn new(store: Store, clock: Arc<dyn Clock>, settings: WebSettings) -> Self {
        let documents = Arc::new(DocumentSettings::default());
        Self {
            app: sinergi_app::App::new(store.clone(), clock.clone(), documents.clone()),
            store,
            clock,
            settings: Arc::new(settings),
            login_limiter: Arc::default(),
            documents,
            daerah: Arc::default(),
            potential: Arc::default(),
            oidc: None,
            imports: Arc::default(),
        }
    }

    /// Offers sign-in through an OpenID Connect provider.
    #[must_use]
    pub fn with_oidc(mut self, provider: crate::oidc::Provider) -> Self {
        self.oidc = Some(Arc::new(provider));
        self
    }

    /// Sets the agreement-document settings.
    #[must_use]
    pub fn with_documents(mut self, documents: DocumentSettings) -> Self {
        self.documents = Arc::new(documents);
        self.app.documents = self.documents.clone();
        self
    }

    /// Provinces, regencies and cities as (code, name), for pickers.
    ///
    /// # Errors
    /// Database errors on the first call.
    pub async fn daerah(&self) -> Result<&[(String, String)], sinergi_store::StoreError> {
        let list = self
            .daerah
            .get_or_try_init(|| async {
                let page = self
                    .store
                    .list_regions(&sinergi_store::RegionFilter {
                        daerah_only: true,
                        limit: 1000,
                        ..Default::default()
                    })
                    .await?;
                Ok::<_, sinergi_store::StoreError>(
                    page.items.into_iter().map(|r| (r.code, r.name)).collect(),
                )
            })
            .await?;
        Ok(list)
    }
}
