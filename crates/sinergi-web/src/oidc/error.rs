//! Why an SSO sign-in was refused, with a stable code and a message in the caller's language.
//! Carried as [`crate::ApiError::Oidc`], so it is rendered like every other error.

use axum::http::StatusCode;
use sinergi_domain::Lang;

/// What is wrong with the ID token the provider sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenDefect {
    /// The token response carried no ID token.
    Missing,
    /// Not signed by one of the provider's published keys (or an algorithm it does not use).
    Signature,
    /// Issued for another client.
    Audience,
    /// Issued by another issuer than the configured one.
    Issuer,
    Expired,
    /// Not the nonce of this sign-in (a replayed or injected token).
    Nonce,
    /// Anything else the verification refused.
    Other,
}

/// A refused SSO sign-in.
#[derive(Debug, Clone)]
pub enum OidcError {
    /// The provider could not be reached, or its discovery document, keys or token response
    /// could not be read.
    Unreachable,
    /// The callback belongs to no sign-in of this browser: no or an unknown pending sign-in,
    /// one already used or expired, a `state` that does not match, or no code.
    State,
    /// The provider answered the sign-in with an `error` parameter.
    Provider {
        error: String,
        description: Option<String>,
    },
    /// The provider refused to exchange the code.
    Exchange,
    Token(TokenDefect),
    /// No account for this person: accounts are made by the region's administrator.
    Unregistered {
        username: Option<String>,
        claim: String,
    },
    /// The account of that user name is linked to another person of this provider.
    LinkedToOther {
        username: String,
    },
    Disabled,
}

/// Provider-supplied text is shown escaped and cut short.
fn clipped(s: &str) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(200).collect();
    if s.chars().count() > 200 {
        out.push('…');
    }
    out
}

impl OidcError {
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Unreachable => StatusCode::BAD_GATEWAY,
            Self::State => StatusCode::BAD_REQUEST,
            Self::Provider { .. } | Self::Exchange | Self::Token(_) => StatusCode::UNAUTHORIZED,
            Self::Unregistered { .. } | Self::LinkedToOther { .. } | Self::Disabled => {
                StatusCode::FORBIDDEN
            }
        }
    }

    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreachable => "oidc.unreachable",
            Self::State => "oidc.invalid_state",
            Self::Provider { .. } => "oidc.provider_error",
            Self::Exchange => "oidc.exchange_failed",
            Self::Token(d) => match d {
                TokenDefect::Missing => "oidc.token_missing",
                TokenDefect::Signature => "oidc.token_signature",
                TokenDefect::Audience => "oidc.token_audience",
                TokenDefect::Issuer => "oidc.token_issuer",
                TokenDefect::Expired => "oidc.token_expired",
                TokenDefect::Nonce => "oidc.token_nonce",
                TokenDefect::Other => "oidc.token_invalid",
            },
            Self::Unregistered { .. } => "oidc.unregistered",
            Self::LinkedToOther { .. } => "oidc.linked_to_other",
            Self::Disabled => "oidc.account_disabled",
        }
    }

    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let again_id = "Mulai lagi dari tombol SSO di halaman Masuk.";
        let again_en = "Start again from the SSO button on the sign-in page.";
        let (id, en): (String, String) = match self {
            Self::Unreachable => (
                "Penyedia SSO tidak dapat dihubungi atau jawabannya tidak dapat dibaca. Coba lagi nanti, atau masuk dengan kata sandi.".into(),
                "The SSO provider cannot be reached or its answer cannot be read. Try again later, or sign in with your password.".into(),
            ),
            Self::State => (
                format!("Permintaan masuk SSO ini tidak dikenal, sudah dipakai, atau kedaluwarsa (batasnya 10 menit). {again_id}"),
                format!("This SSO sign-in is unknown, already used or expired (the limit is 10 minutes). {again_en}"),
            ),
            Self::Provider { error, description } => {
                let detail = description
                    .as_deref()
                    .map(|d| format!(" — {}", clipped(d)))
                    .unwrap_or_default();
                let error = clipped(error);
                (
                    format!("Penyedia SSO tidak menyelesaikan proses masuk ({error}{detail}). {again_id}"),
                    format!("The SSO provider did not complete the sign-in ({error}{detail}). {again_en}"),
                )
            }
            Self::Exchange => (
                format!("Penyedia SSO menolak menukar kode otorisasi (kode tidak sah, sudah dipakai, atau kedaluwarsa). {again_id}"),
                format!("The SSO provider refused to exchange the authorization code (invalid, already used or expired). {again_en}"),
            ),
            Self::Token(d) => {
                let (id, en) = match d {
                    TokenDefect::Missing => ("Penyedia SSO tidak mengirim ID token.", "The SSO provider sent no ID token."),
                    TokenDefect::Signature => (
                        "Tanda tangan ID token tidak sah: token tidak ditandatangani dengan kunci penyedia SSO.",
                        "The ID token's signature is invalid: it was not signed with the SSO provider's key.",
                    ),
                    TokenDefect::Audience => (
                        "ID token ini ditujukan untuk aplikasi lain (audience tidak sama dengan client_id Sinergi).",
                        "This ID token was issued for another application (its audience is not Sinergi's client_id).",
                    ),
                    TokenDefect::Issuer => (
                        "ID token ini diterbitkan oleh penerbit lain, bukan penyedia SSO yang dikonfigurasi.",
                        "This ID token comes from another issuer than the configured SSO provider.",
                    ),
                    TokenDefect::Expired => ("ID token sudah kedaluwarsa.", "The ID token has expired."),
                    TokenDefect::Nonce => (
                        "ID token tidak memuat nonce permintaan masuk ini (token lama atau disisipkan).",
                        "The ID token does not carry this sign-in's nonce (an old or injected token).",
                    ),
                    TokenDefect::Other => ("ID token tidak dapat diverifikasi.", "The ID token cannot be verified."),
                };
                (format!("{id} {again_id}"), format!("{en} {again_en}"))
            }
            Self::Unregistered { username: Some(u), .. } => (
                format!("Akun SSO ini belum terdaftar di Sinergi. Minta admin Bagian Kerja Sama daerah Anda membuatkan akun dengan nama pengguna \"{u}\", lalu masuk lagi dengan SSO."),
                format!("This SSO account is not registered in Sinergi. Ask your region's cooperation office admin to create an account with the user name \"{u}\", then sign in with SSO again."),
            ),
            Self::Unregistered { username: None, claim } => (
                format!("Akun SSO ini belum terdaftar di Sinergi, dan penyedia SSO tidak mengirim nama pengguna (klaim \"{claim}\"). Minta admin Bagian Kerja Sama daerah Anda memeriksanya."),
                format!("This SSO account is not registered in Sinergi, and the SSO provider sent no user name (claim \"{claim}\"). Ask your region's cooperation office admin to look into it."),
            ),
            Self::LinkedToOther { username } => (
                format!("Akun Sinergi \"{username}\" sudah ditautkan ke identitas SSO lain. Minta admin Bagian Kerja Sama daerah Anda memeriksanya."),
                format!("The Sinergi account \"{username}\" is already linked to another SSO identity. Ask your region's cooperation office admin to look into it."),
            ),
            Self::Disabled => (
                "Akun ini dinonaktifkan. Hubungi admin Bagian Kerja Sama daerah Anda.".into(),
                "This account is disabled. Contact your region's cooperation office admin.".into(),
            ),
        };
        match lang {
            Lang::Id => id,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_text_is_cut_short_and_stripped_of_control_characters() {
        let e = OidcError::Provider {
            error: "access_denied\r\n".into(),
            description: Some("x".repeat(500)),
        };
        let m = e.message(Lang::En);
        assert!(m.contains("(access_denied — xxx"));
        assert!(m.contains('…'));
        assert!(m.len() < 400);
        assert_eq!(e.status(), StatusCode::UNAUTHORIZED);
    }
}
