//! OpenID Connect sign-in against one configured issuer (ADR 0009): discovery (cached for a
//! few minutes), the authorization-code flow with PKCE, `state` and `nonce`, and the ID token
//! checked by openidconnect — signature against the provider's published keys, issuer,
//! audience, expiry (on the application's clock) and nonce. The pages are `pages/sso.rs`; the
//! pending sign-ins and the account mapping live in the store.

mod error;
mod http;

pub use error::{OidcError, TokenDefect};

use crate::error::error_chain;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreClientAuthMethod,
    CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthType, AuthorizationCode, ClaimsVerificationError,
    Client, ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
    SignatureVerificationError, StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sinergi_store::PendingOidcLogin;
use time::{Duration, OffsetDateTime};

/// How long a started sign-in may take at the provider.
pub const PENDING_TTL: Duration = Duration::minutes(10);
/// How long the discovery document and key set are reused.
const METADATA_TTL: Duration = Duration::minutes(5);
/// Timeout of each request to the provider.
const HTTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The `[auth.oidc]` settings.
#[derive(Clone, Debug)]
pub struct OidcSettings {
    /// The issuer URL, exactly as the provider's discovery document states it.
    pub issuer: String,
    pub client_id: String,
    /// Absent for a public client (PKCE alone).
    pub client_secret: Option<SecretString>,
    /// The public URL of `/masuk/sso/kembali`, as registered at the provider.
    pub redirect_url: String,
    /// The text of the sign-in button.
    pub label: String,
    /// Scopes asked for (`openid` is always asked for).
    pub scopes: Vec<String>,
    /// The claim whose value names the account to link on a first sign-in.
    pub username_claim: String,
}

/// The ID token's claims beyond the standard ones, so that any configured claim can be read.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    claims: serde_json::Map<String, serde_json::Value>,
}
impl AdditionalClaims for OtherClaims {}

type TokenFields = IdTokenFields<
    OtherClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

type OidcClient = Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    StandardTokenResponse<TokenFields, CoreTokenType>,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Who the provider vouched for.
#[derive(Debug, Clone)]
pub struct VerifiedIdentity {
    pub subject: String,
    /// The configured user-name claim's value, when present and a string.
    pub username: Option<String>,
}

/// The configured provider, with its discovery document cached.
pub struct Provider {
    settings: OidcSettings,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    http: http::Http,
    discovered: tokio::sync::Mutex<Option<(OffsetDateTime, CoreProviderMetadata)>>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Provider {
    /// Checks the settings (URLs) and builds the HTTP client.
    ///
    /// # Errors
    /// An invalid issuer or redirect URL, an empty client id, no usable TLS set-up.
    pub fn new(settings: OidcSettings) -> Result<Self, String> {
        let issuer = IssuerUrl::new(settings.issuer.clone())
            .map_err(|e| format!("auth.oidc.issuer: {e}"))?;
        let redirect = RedirectUrl::new(settings.redirect_url.clone())
            .map_err(|e| format!("auth.oidc.redirect_url: {e}"))?;
        if settings.client_id.trim().is_empty() {
            return Err("auth.oidc.client_id is empty".to_owned());
        }
        let http = http::Http::new(HTTP_TIMEOUT).map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Self {
            settings,
            issuer,
            redirect,
            http,
            discovered: tokio::sync::Mutex::default(),
        })
    }

    /// The text of the sign-in button.
    #[must_use]
    pub fn label(&self) -> &str {
        &self.settings.label
    }

    /// The issuer, as configured (what linked subjects are recorded under).
    #[must_use]
    pub fn issuer(&self) -> &str {
        &self.settings.issuer
    }

    /// The claim that names the account to link.
    #[must_use]
    pub fn username_claim(&self) -> &str {
        &self.settings.username_claim
    }

    /// The provider's metadata and keys, fetched at most every few minutes (or now, when
    /// `refresh`: a token was signed with a key the cached set does not hold).
    async fn metadata(
        &self,
        now: OffsetDateTime,
        refresh: bool,
    ) -> Result<CoreProviderMetadata, OidcError> {
        let mut cached = self.discovered.lock().await;
        if let Some((at, meta)) = cached.as_ref()
            && !refresh
            && now - *at < METADATA_TTL
            && *at <= now
        {
            return Ok(meta.clone());
        }
        let meta = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| {
                tracing::warn!(issuer = %self.settings.issuer, error = %error_chain(&e), "OpenID Connect discovery failed");
                OidcError::Unreachable
            })?;
        *cached = Some((now, meta.clone()));
        Ok(meta)
    }

    fn client(&self, meta: CoreProviderMetadata) -> OidcClient {
        let basic = meta
            .token_endpoint_auth_methods_supported()
            .is_none_or(|m| m.contains(&CoreClientAuthMethod::ClientSecretBasic));
        let secret = self
            .settings
            .client_secret
            .as_ref()
            .map(|s| ClientSecret::new(s.expose_secret().to_owned()));
        OidcClient::from_provider_metadata(
            meta,
            ClientId::new(self.settings.client_id.clone()),
            secret,
        )
        .set_redirect_uri(self.redirect.clone())
        .set_auth_type(if basic {
            AuthType::BasicAuth
        } else {
            AuthType::RequestBody
        })
    }

    /// Starts a sign-in: the provider's authorization URL (with PKCE challenge, `state` and
    /// `nonce`) and what the callback must check its answer against.
    ///
    /// # Errors
    /// The provider cannot be reached.
    pub async fn begin(
        &self,
        now: OffsetDateTime,
    ) -> Result<(String, PendingOidcLogin), OidcError> {
        let client = self.client(self.metadata(now, false).await?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in self
            .settings
            .scopes
            .iter()
            .filter(|s| s.as_str() != "openid")
        {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        Ok((
            url.to_string(),
            PendingOidcLogin {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                expires_at: now + PENDING_TTL,
            },
        ))
    }

    /// Exchanges the code (presenting the PKCE verifier) and verifies the ID token.
    ///
    /// # Errors
    /// The provider cannot be reached or refuses the code; the ID token is missing or fails a
    /// check.
    pub async fn finish(
        &self,
        pending: &PendingOidcLogin,
        code: &str,
        now: OffsetDateTime,
    ) -> Result<VerifiedIdentity, OidcError> {
        let first = self.client(self.metadata(now, false).await?);
        let response = first
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| {
                tracing::warn!(error = %e, "the provider's metadata names no token endpoint");
                OidcError::Unreachable
            })?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| {
                tracing::warn!(error = %error_chain(&e), "OpenID Connect code exchange failed");
                match e {
                    RequestTokenError::ServerResponse(_) => OidcError::Exchange,
                    _ => OidcError::Unreachable,
                }
            })?;
        let id_token = response
            .id_token()
            .ok_or(OidcError::Token(TokenDefect::Missing))?;
        let at =
            chrono::DateTime::<chrono::Utc>::from_timestamp(now.unix_timestamp(), now.nanosecond())
                .ok_or(OidcError::Token(TokenDefect::Other))?;
        // Signed with a key the cached set lacks: the provider may have rotated its keys.
        let refreshed;
        let mut client = &first;
        if matches!(
            id_token.signing_key(&first.id_token_verifier()),
            Err(SignatureVerificationError::NoMatchingKey)
        ) {
            refreshed = self.client(self.metadata(now, true).await?);
            client = &refreshed;
        }
        let verifier = client.id_token_verifier().set_time_fn(move || at);
        let nonce = Nonce::new(pending.nonce.clone());
        let claims = id_token.claims(&verifier, &nonce).map_err(|e| {
            tracing::warn!(error = %error_chain(&e), "ID token refused");
            OidcError::Token(defect(&e))
        })?;
        if let Some(expected) = claims.access_token_hash() {
            let actual = id_token
                .signing_alg()
                .and_then(|alg| {
                    id_token.signing_key(&verifier).and_then(|key| {
                        AccessTokenHash::from_token(response.access_token(), alg, key)
                            .map_err(|e| SignatureVerificationError::Other(e.to_string()))
                    })
                })
                .map_err(|_| OidcError::Token(TokenDefect::Other))?;
            if actual != *expected {
                return Err(OidcError::Token(TokenDefect::Other));
            }
        }
        let username = serde_json::to_value(claims).ok().and_then(|v| {
            v.get(&self.settings.username_claim)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        });
        Ok(VerifiedIdentity {
            subject: claims.subject().as_str().to_owned(),
            username,
        })
    }
}

/// Which check an ID token failed.
fn defect(e: &ClaimsVerificationError) -> TokenDefect {
    match e {
        ClaimsVerificationError::Expired(_) => TokenDefect::Expired,
        ClaimsVerificationError::InvalidAudience(_) => TokenDefect::Audience,
        ClaimsVerificationError::InvalidIssuer(_) => TokenDefect::Issuer,
        ClaimsVerificationError::InvalidNonce(_) => TokenDefect::Nonce,
        ClaimsVerificationError::SignatureVerification(_) => TokenDefect::Signature,
        _ => TokenDefect::Other,
    }
}
