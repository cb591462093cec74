//! The test provider's token endpoint: client authentication, the code's redirect URI and
//! PKCE checked, an RS256-signed ID token issued — or the defect it was told to send.

use super::{CLIENT_ID, CLIENT_SECRET, Defect, Grant, Inner};
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use openidconnect::core::{
    CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
};
use openidconnect::{
    AccessToken, AdditionalClaims, Audience, IdToken, IdTokenClaims, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, StandardClaims, SubjectIdentifier,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Claims {
    #[serde(flatten)]
    claims: Map<String, Value>,
}
impl AdditionalClaims for Claims {}

fn token_error(error: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({ "error": error })),
    )
        .into_response()
}

pub(super) async fn token(
    State(idp): State<Arc<Inner>>,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    idp.exchanges.fetch_add(1, Ordering::SeqCst);
    if *idp.defect.lock().expect("defect") == Defect::ServerError {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::response::Html("<h1>Internal Server Error</h1>"),
        )
            .into_response();
    }
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    if headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        != Some(basic.as_str())
    {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({ "error": "invalid_client" })),
        )
            .into_response();
    }
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    if get("grant_type") != "authorization_code" {
        return token_error("unsupported_grant_type");
    }
    let defect = *idp.defect.lock().expect("defect");
    // A code is good once, whatever happens next.
    let Some(grant) = idp.codes.lock().expect("codes").remove(&get("code")) else {
        return token_error("invalid_grant");
    };
    let challenge =
        PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(get("code_verifier")));
    if defect == Defect::RefuseCode
        || grant.redirect_uri != get("redirect_uri")
        || challenge.as_str() != grant.challenge
    {
        return token_error("invalid_grant");
    }
    let access_token = AccessToken::new(uuid::Uuid::new_v4().simple().to_string());
    let mut body = json!({
        "access_token": access_token.secret(),
        "token_type": "Bearer",
        "expires_in": 300,
    });
    if defect != Defect::NoIdToken {
        body["id_token"] = json!(id_token(&idp, &grant, defect, &access_token));
    }
    axum::Json(body).into_response()
}

fn id_token(idp: &Inner, grant: &Grant, defect: Defect, access_token: &AccessToken) -> String {
    let now = idp.clock.now();
    let now = chrono::DateTime::<chrono::Utc>::from_timestamp(now.unix_timestamp(), 0)
        .expect("a representable instant");
    let (issued, expires) = if defect == Defect::Expired {
        (
            now - chrono::Duration::minutes(10),
            now - chrono::Duration::minutes(5),
        )
    } else {
        (now, now + chrono::Duration::minutes(5))
    };
    let issuer = if defect == Defect::WrongIssuer {
        "http://penerbit-lain.invalid".to_owned()
    } else {
        idp.issuer.clone()
    };
    let audience = if defect == Defect::WrongAudience {
        "aplikasi-lain"
    } else {
        CLIENT_ID
    };
    let nonce = if defect == Defect::WrongNonce {
        Some("nonce-permintaan-lain".to_owned())
    } else {
        grant.nonce.clone()
    };
    let claims = IdTokenClaims::new(
        IssuerUrl::new(issuer).expect("issuer"),
        vec![Audience::new(audience.to_owned())],
        expires,
        issued,
        StandardClaims::new(SubjectIdentifier::new(grant.person.subject.clone())),
        Claims {
            claims: grant.person.claims.clone(),
        },
    )
    .set_nonce(nonce.map(Nonce::new));
    let key = if defect == Defect::OtherKey {
        &idp.other_key
    } else if idp.rotated.load(Ordering::SeqCst) {
        &idp.next_key
    } else {
        &idp.key
    };
    IdToken::<Claims, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>::new(
        claims,
        key,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        Some(access_token),
        None,
    )
    .expect("sign the ID token")
    .to_string()
}
