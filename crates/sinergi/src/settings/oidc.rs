//! `[auth.oidc]`: single sign-on through one OpenID Connect provider (ADR 0009).

use secrecy::SecretString;
use serde::Deserialize;

/// `[auth.oidc]`: one OpenID Connect provider (ADR 0009). Accounts still come from the
/// region's administrator; a first SSO sign-in links the account named by `username_claim`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcSettings {
    /// The issuer URL, exactly as in the provider's discovery document.
    pub issuer: String,
    pub client_id: String,
    /// Absent for a public client (PKCE only).
    pub client_secret: Option<SecretString>,
    /// The public URL of Sinergi's callback, `https://…/masuk/sso/kembali`.
    pub redirect_url: String,
    /// The sign-in button's text.
    #[serde(default = "default_sso_label")]
    pub label: String,
    /// Scopes to ask for: a list, or one space-separated string (the environment's form).
    #[serde(default = "default_scopes", deserialize_with = "scope_list")]
    pub scopes: Vec<String>,
    /// The ID-token claim whose value is the Sinergi user name to link.
    #[serde(default = "default_username_claim")]
    pub username_claim: String,
}

fn default_sso_label() -> String {
    "Masuk dengan SSO".to_owned()
}
fn default_scopes() -> Vec<String> {
    vec!["openid".into(), "profile".into(), "email".into()]
}
fn default_username_claim() -> String {
    "preferred_username".to_owned()
}

fn scope_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scopes {
        Text(String),
        List(Vec<String>),
    }
    let list = match Scopes::deserialize(d)? {
        Scopes::Text(s) => s.split_whitespace().map(str::to_owned).collect(),
        Scopes::List(l) => l,
    };
    Ok(list)
}

impl OidcSettings {
    /// The web layer's copy.
    #[must_use]
    pub fn web(&self) -> sinergi_web::OidcSettings {
        sinergi_web::OidcSettings {
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            redirect_url: self.redirect_url.clone(),
            label: self.label.clone(),
            scopes: self.scopes.clone(),
            username_claim: self.username_claim.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Settings;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    #[test]
    fn single_sign_on_is_off_unless_configured_and_takes_the_environment() {
        let s = Settings::load(None, &HashMap::new()).unwrap();
        assert!(
            s.auth.oidc.is_none(),
            "no [auth.oidc]: password sign-in only"
        );

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sinergi.toml");
        std::fs::write(
            &path,
            "[auth.oidc]\nissuer = \"https://sso.kalteng.go.id/realms/pemprov\"\nclient_id = \"sinergi\"\nredirect_url = \"https://sinergi.kalteng.go.id/masuk/sso/kembali\"\n",
        )
        .unwrap();
        let s = Settings::load(Some(&path), &HashMap::new()).unwrap();
        let o = s.auth.oidc.as_ref().unwrap();
        assert_eq!(o.label, "Masuk dengan SSO");
        assert_eq!(o.scopes, ["openid", "profile", "email"]);
        assert_eq!(o.username_claim, "preferred_username");
        assert!(o.client_secret.is_none());

        let env = HashMap::from([
            (
                "SINERGI_AUTH__OIDC__CLIENT_SECRET".to_owned(),
                "rahasia-sso".to_owned(),
            ),
            (
                "SINERGI_AUTH__OIDC__SCOPES".to_owned(),
                "openid nip".to_owned(),
            ),
            (
                "SINERGI_AUTH__OIDC__USERNAME_CLAIM".to_owned(),
                "nip".to_owned(),
            ),
            (
                "SINERGI_AUTH__OIDC__LABEL".to_owned(),
                "Masuk dengan SIMPEG".to_owned(),
            ),
        ]);
        let s = Settings::load(Some(&path), &env).unwrap();
        let o = s.auth.oidc.as_ref().unwrap();
        assert_eq!(
            o.client_secret.as_ref().unwrap().expose_secret(),
            "rahasia-sso"
        );
        assert_eq!(o.scopes, ["openid", "nip"]);
        assert_eq!(o.username_claim, "nip");
        assert_eq!(o.web().label, "Masuk dengan SIMPEG");
        assert!(
            !format!("{s:?}").contains("rahasia-sso"),
            "the secret stays out of Debug"
        );

        // Everything from the environment alone; a section without its issuer is an error.
        let env = HashMap::from([
            (
                "SINERGI_AUTH__OIDC__ISSUER".to_owned(),
                "http://127.0.0.1:9000".to_owned(),
            ),
            (
                "SINERGI_AUTH__OIDC__CLIENT_ID".to_owned(),
                "sinergi".to_owned(),
            ),
            (
                "SINERGI_AUTH__OIDC__REDIRECT_URL".to_owned(),
                "http://127.0.0.1:8080/masuk/sso/kembali".to_owned(),
            ),
        ]);
        assert_eq!(
            Settings::load(None, &env)
                .unwrap()
                .auth
                .oidc
                .unwrap()
                .issuer,
            "http://127.0.0.1:9000"
        );
        let partial = HashMap::from([(
            "SINERGI_AUTH__OIDC__CLIENT_ID".to_owned(),
            "sinergi".to_owned(),
        )]);
        assert!(Settings::load(None, &partial).is_err());
    }

    #[test]
    fn the_example_section_parses_once_uncommented() {
        let section: Vec<&str> = super::super::EXAMPLE
            .lines()
            .skip_while(|l| *l != "# [auth.oidc]")
            .take_while(|l| l.starts_with("# "))
            .map(|l| &l[2..])
            .collect();
        assert!(section.len() > 5, "the example documents [auth.oidc]");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sinergi.toml");
        std::fs::write(&path, section.join("\n")).unwrap();
        let s = Settings::load(Some(&path), &HashMap::new()).unwrap();
        let o = s.auth.oidc.unwrap();
        assert_eq!(o.client_id, "sinergi");
        assert!(o.redirect_url.ends_with("/masuk/sso/kembali"));
        assert_eq!(o.scopes, super::default_scopes());
        assert_eq!(o.label, super::default_sso_label());
        assert_eq!(o.username_claim, super::default_username_claim());
    }
}
