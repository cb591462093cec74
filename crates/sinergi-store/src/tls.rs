//! The one TLS set-up of the process: rustls with the ring provider, trusting the system's
//! roots (government networks often run their own certificate authority, installed in the
//! system store). Outgoing HTTPS — the S3 file backend, OpenID Connect — goes through
//! [`http_client`].

/// Installs ring as the process-wide rustls provider; harmless when one is already installed.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A `reqwest` client on the process's rustls provider, with a bounded timeout.
///
/// # Errors
/// When the TLS configuration cannot be built (no usable system roots).
pub fn http_client(timeout: std::time::Duration) -> Result<reqwest::Client, reqwest::Error> {
    install_crypto_provider();
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
}
