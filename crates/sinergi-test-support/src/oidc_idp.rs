//! A real OpenID Connect provider for tests, served by axum on a loopback port inside the test
//! process: the discovery document, the key set, an authorization endpoint that signs the
//! chosen person in at once and redirects back with code and state, and a token endpoint that
//! checks the client's credentials, the redirect URI and PKCE, and issues RS256-signed ID
//! tokens. [`TestIdp::misbehave`] makes it send the defects Sinergi must refuse.
//!
//! The RSA keys are fixed test keys (`keys/*.pem`, never used for anything else), so no test
//! waits for key generation.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use openidconnect::core::{
    CoreClientAuthMethod, CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreResponseType,
    CoreRsaPrivateSigningKey, CoreSubjectIdentifierType,
};
use openidconnect::{
    AuthUrl, EmptyAdditionalProviderMetadata, IssuerUrl, JsonWebKeyId, JsonWebKeySet,
    JsonWebKeySetUrl, PrivateSigningKey, ResponseTypes, TokenUrl,
};
use serde_json::{Map, Value, json};
use sinergi_domain::clock::Clock;

mod token;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use token::token;

/// The client Sinergi is registered as.
pub const CLIENT_ID: &str = "sinergi-uji";
pub const CLIENT_SECRET: &str = "rahasia-klien-uji";
const KEY_ID: &str = "kunci-uji-1";
const NEXT_KEY_ID: &str = "kunci-uji-2";

/// What the provider gets wrong on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Defect {
    #[default]
    None,
    /// The ID token is for another client.
    WrongAudience,
    /// The ID token names another issuer.
    WrongIssuer,
    /// The ID token expired five minutes ago.
    Expired,
    /// Signed with a key the provider does not publish (under the published key's id).
    OtherKey,
    /// The ID token carries another nonce.
    WrongNonce,
    /// The authorization endpoint answers `error=access_denied`.
    ErrorParameter,
    /// The token response carries no ID token.
    NoIdToken,
    /// The token endpoint refuses every code (`invalid_grant`).
    RefuseCode,
    /// The token endpoint fails (HTTP 500, an HTML page).
    ServerError,
}

/// The person who signs in at the provider.
#[derive(Debug, Clone)]
struct Person {
    subject: String,
    claims: Map<String, Value>,
}

struct Grant {
    nonce: Option<String>,
    challenge: String,
    redirect_uri: String,
    person: Person,
}

struct Inner {
    issuer: String,
    clock: Arc<dyn Clock>,
    key: CoreRsaPrivateSigningKey,
    /// The unpublished key of [`Defect::OtherKey`], under the published key's id.
    other_key: CoreRsaPrivateSigningKey,
    /// The key after [`TestIdp::rotate_keys`], under its own id.
    next_key: CoreRsaPrivateSigningKey,
    rotated: std::sync::atomic::AtomicBool,
    person: Mutex<Person>,
    defect: Mutex<Defect>,
    /// Show a sign-in page whose button the person presses, as a real provider does.
    interactive: std::sync::atomic::AtomicBool,
    codes: Mutex<HashMap<String, Grant>>,
    discoveries: AtomicUsize,
    exchanges: AtomicUsize,
}

/// The provider; it stops when dropped.
pub struct TestIdp {
    inner: Arc<Inner>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestIdp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn signing_key(pem: &str, id: &str) -> CoreRsaPrivateSigningKey {
    CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(id.to_owned())))
        .expect("test RSA key")
}

impl TestIdp {
    /// A provider at `http://127.0.0.1:PORT`, timing its tokens by `clock` (the app's).
    pub async fn start(clock: Arc<dyn Clock>) -> Self {
        Self::start_as("127.0.0.1", clock).await
    }

    /// A provider listening on 127.0.0.1 but known as `http://{host}:PORT` (`localhost`
    /// makes it another site than the app for a browser).
    pub async fn start_as(host: &str, clock: Arc<dyn Clock>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a local port");
        let port = listener.local_addr().expect("local address").port();
        let inner = Arc::new(Inner {
            issuer: format!("http://{host}:{port}"),
            clock,
            key: signing_key(include_str!("../keys/oidc-idp.pem"), KEY_ID),
            other_key: signing_key(include_str!("../keys/oidc-other.pem"), KEY_ID),
            next_key: signing_key(include_str!("../keys/oidc-other.pem"), NEXT_KEY_ID),
            rotated: std::sync::atomic::AtomicBool::new(false),
            person: Mutex::new(Person {
                subject: "nobody".into(),
                claims: Map::new(),
            }),
            defect: Mutex::default(),
            interactive: std::sync::atomic::AtomicBool::new(false),
            codes: Mutex::default(),
            discoveries: AtomicUsize::new(0),
            exchanges: AtomicUsize::new(0),
        });
        let router = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(inner.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, router).await.expect("serve the IdP");
        });
        Self { inner, task }
    }

    /// The issuer URL.
    pub fn issuer(&self) -> &str {
        &self.inner.issuer
    }

    /// Settings for Sinergi to use this provider, answering at `redirect_url`.
    pub fn settings(&self, redirect_url: &str) -> sinergi_web::OidcSettings {
        sinergi_web::OidcSettings {
            issuer: self.inner.issuer.clone(),
            client_id: CLIENT_ID.to_owned(),
            client_secret: Some(CLIENT_SECRET.to_owned().into()),
            redirect_url: redirect_url.to_owned(),
            label: "Masuk dengan SSO Pemprov".to_owned(),
            scopes: vec!["openid".into(), "profile".into()],
            username_claim: "preferred_username".to_owned(),
        }
    }

    /// Who signs in next: a subject and, when given, a `preferred_username`.
    pub fn sign_in_as(&self, subject: &str, username: Option<&str>) {
        let mut claims = Map::new();
        if let Some(u) = username {
            claims.insert("preferred_username".into(), json!(u));
        }
        *self.inner.person.lock().expect("person") = Person {
            subject: subject.to_owned(),
            claims,
        };
    }

    /// Adds a claim to the next sign-ins' ID tokens.
    pub fn set_claim(&self, name: &str, value: Value) {
        self.inner
            .person
            .lock()
            .expect("person")
            .claims
            .insert(name.to_owned(), value);
    }

    /// From now on, gets `defect` wrong ([`Defect::None`] to behave again).
    pub fn misbehave(&self, defect: Defect) {
        *self.inner.defect.lock().expect("defect") = defect;
    }

    /// Shows a sign-in page with a button (`#setuju`) instead of answering at once. The
    /// person's press is then a navigation that starts at the provider's site, as in real
    /// life: what happens after it is a cross-site chain for Sinergi's cookies.
    pub fn ask_to_press_a_button(&self) {
        self.inner.interactive.store(true, Ordering::SeqCst);
    }

    /// Rotates the signing key: tokens are signed with a new key under a new id, and the key
    /// set publishes both.
    pub fn rotate_keys(&self) {
        self.inner.rotated.store(true, Ordering::SeqCst);
    }

    /// How often the discovery document was fetched.
    pub fn discoveries(&self) -> usize {
        self.inner.discoveries.load(Ordering::SeqCst)
    }

    /// How many code exchanges were asked for.
    pub fn exchanges(&self) -> usize {
        self.inner.exchanges.load(Ordering::SeqCst)
    }

    /// What a browser does at the provider: opens the authorization URL Sinergi redirected
    /// to and returns where the provider sends it back (the `Location`).
    pub async fn authorize(&self, url: &str) -> String {
        assert!(
            url.starts_with(&self.inner.issuer),
            "{url} is not at this provider"
        );
        let client = sinergi_store::tls::http_client(std::time::Duration::from_secs(10))
            .expect("HTTP client");
        let res = client.get(url).send().await.expect("the provider answers");
        assert_eq!(
            res.status().as_u16(),
            303,
            "{}",
            res.text().await.unwrap_or_default()
        );
        res.headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .expect("a redirect back")
            .to_owned()
    }
}

async fn discovery(State(idp): State<Arc<Inner>>) -> Response {
    idp.discoveries.fetch_add(1, Ordering::SeqCst);
    let base = &idp.issuer;
    let meta = CoreProviderMetadata::new(
        IssuerUrl::new(base.clone()).expect("issuer"),
        AuthUrl::new(format!("{base}/authorize")).expect("auth url"),
        JsonWebKeySetUrl::new(format!("{base}/jwks")).expect("jwks url"),
        vec![ResponseTypes::new(vec![CoreResponseType::Code])],
        vec![CoreSubjectIdentifierType::Public],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
        EmptyAdditionalProviderMetadata {},
    )
    .set_token_endpoint(Some(
        TokenUrl::new(format!("{base}/token")).expect("token url"),
    ))
    .set_token_endpoint_auth_methods_supported(Some(vec![CoreClientAuthMethod::ClientSecretBasic]));
    axum::Json(meta).into_response()
}

async fn jwks(State(idp): State<Arc<Inner>>) -> Response {
    let mut keys = vec![idp.key.as_verification_key()];
    if idp.rotated.load(Ordering::SeqCst) {
        keys.push(idp.next_key.as_verification_key());
    }
    axum::Json(JsonWebKeySet::new(keys)).into_response()
}

fn bad_request(what: &str) -> Response {
    (StatusCode::BAD_REQUEST, what.to_owned()).into_response()
}

fn encode(s: &str) -> String {
    crate::urlencode(s)
}

async fn authorize(
    State(idp): State<Arc<Inner>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    if get("client_id") != CLIENT_ID
        || get("response_type") != "code"
        || get("code_challenge_method") != "S256"
        || get("code_challenge").is_empty()
        || !get("scope").split(' ').any(|s| s == "openid")
    {
        return bad_request("not an authorization-code request of the test client with PKCE");
    }
    if idp.interactive.load(Ordering::SeqCst) && get("approved").is_empty() {
        return sign_in_page(&q);
    }
    let redirect_uri = get("redirect_uri");
    let state = encode(&get("state"));
    if *idp.defect.lock().expect("defect") == Defect::ErrorParameter {
        return Redirect::to(&format!(
            "{redirect_uri}?error=access_denied&error_description={}&state={state}",
            encode("Pengguna membatalkan proses masuk")
        ))
        .into_response();
    }
    let code = uuid::Uuid::new_v4().simple().to_string();
    let person = idp.person.lock().expect("person").clone();
    idp.codes.lock().expect("codes").insert(
        code.clone(),
        Grant {
            nonce: q.get("nonce").cloned(),
            challenge: get("code_challenge"),
            redirect_uri: redirect_uri.clone(),
            person,
        },
    );
    Redirect::to(&format!("{redirect_uri}?code={code}&state={state}")).into_response()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The provider's own page: the request's parameters carried by a form with one button.
fn sign_in_page(q: &HashMap<String, String>) -> Response {
    let fields: String = q
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(k),
                escape(v)
            )
        })
        .collect();
    axum::response::Html(format!(
        "<!doctype html><title>SSO Pemprov</title><form method=\"get\" action=\"/authorize\">\
         {fields}<input type=\"hidden\" name=\"approved\" value=\"1\">\
         <button id=\"setuju\" type=\"submit\">Masuk</button></form>"
    ))
    .into_response()
}
