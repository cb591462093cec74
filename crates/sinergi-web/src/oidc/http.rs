//! openidconnect's HTTP client: the process's one reqwest client (rustls with ring, system
//! roots, no redirects — a followed redirect would let a provider's answer point Sinergi at
//! an internal address), with a cap on how much a provider may send back.

use openidconnect::{AsyncHttpClient, HttpRequest, HttpResponse};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// Discovery documents, key sets and token responses are a few kilobytes.
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Why a request to the provider failed.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("request failed: {0}")]
    Request(#[from] reqwest::Error),
    #[error("response larger than {MAX_RESPONSE_BYTES} bytes")]
    TooLarge,
    #[error("response: {0}")]
    Response(#[from] openidconnect::http::Error),
}

/// The HTTP client handed to openidconnect.
#[derive(Debug, Clone)]
pub struct Http(reqwest::Client);

impl Http {
    /// A client with the given timeout per request.
    ///
    /// # Errors
    /// When the TLS configuration cannot be built.
    pub fn new(timeout: Duration) -> Result<Self, reqwest::Error> {
        Ok(Self(sinergi_store::tls::http_client(timeout)?))
    }

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let (parts, body) = request.into_parts();
        let mut res = self
            .0
            .request(parts.method, parts.uri.to_string())
            .headers(parts.headers)
            .body(body)
            .send()
            .await?;
        let mut out = openidconnect::http::Response::builder().status(res.status());
        for (name, value) in res.headers() {
            out = out.header(name, value);
        }
        let mut body = Vec::new();
        while let Some(chunk) = res.chunk().await? {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(HttpError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(out.body(body)?)
    }
}

impl<'c> AsyncHttpClient<'c> for Http {
    type Error = HttpError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}
