//! Files in S3-compatible object storage (AWS S3, MinIO, Ceph RGW, Garage …) through the
//! `object_store` crate: objects are named `PREFIX/ab/cdef…` by their SHA-256, like the
//! local store, and written only when absent — content addressing means an existing object
//! already holds these bytes, so nothing is ever overwritten.

use std::time::Duration;

use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{ClientOptions, ObjectStoreExt, PutPayload, RetryConfig};
use secrecy::{ExposeSecret, SecretString};

use super::{FileStore, checked, is_object_name, sha256_hex};

/// Where and how to reach the bucket.
#[derive(Clone, Debug)]
pub struct S3Settings {
    /// The service's address, e.g. `https://minio.kalteng.go.id:9000`; `None` = AWS itself.
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    /// A key prefix inside the bucket, e.g. `sinergi/files` (may be empty).
    pub prefix: String,
    /// Allow plain `http://` endpoints (a storage server on the same private network).
    pub allow_http: bool,
    /// How long one request may take.
    pub timeout: Duration,
}

/// Content-addressed files in a bucket.
#[derive(Debug)]
pub struct S3FileStore {
    store: AmazonS3,
    prefix: String,
}

impl S3FileStore {
    /// Connects lazily: no request is made until the first file is stored or read.
    ///
    /// # Errors
    /// An incomplete or malformed configuration (no bucket, a bad endpoint address).
    pub fn new(s: &S3Settings) -> std::io::Result<Self> {
        crate::tls::install_crypto_provider();
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(&s.bucket)
            .with_region(&s.region)
            .with_access_key_id(&s.access_key_id)
            .with_secret_access_key(s.secret_access_key.expose_secret())
            .with_client_options(
                ClientOptions::new()
                    .with_allow_http(s.allow_http)
                    .with_timeout(s.timeout)
                    .with_connect_timeout(Duration::from_secs(10)),
            )
            // A storage server that is down should fail a request within seconds, with a
            // clear error, not hold the upload for minutes of retries.
            .with_retry(RetryConfig {
                max_retries: 2,
                retry_timeout: s.timeout,
                ..RetryConfig::default()
            });
        if let Some(endpoint) = &s.endpoint {
            // Self-hosted services (MinIO and the like) address buckets by path.
            b = b
                .with_endpoint(endpoint)
                .with_virtual_hosted_style_request(false);
        }
        let store = b.build().map_err(std::io::Error::other)?;
        Ok(Self {
            store,
            prefix: s.prefix.trim_matches('/').to_owned(),
        })
    }

    fn location(&self, sha256: &str) -> ObjectPath {
        let name = format!("{}/{}", &sha256[..2], &sha256[2..]);
        if self.prefix.is_empty() {
            ObjectPath::from(name)
        } else {
            ObjectPath::from(format!("{}/{name}", self.prefix))
        }
    }
}

fn io(e: object_store::Error) -> std::io::Error {
    std::io::Error::other(format!("penyimpanan objek S3: {e}"))
}

#[async_trait::async_trait]
impl FileStore for S3FileStore {
    async fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha = sha256_hex(bytes);
        let location = self.location(&sha);
        match self.store.head(&location).await {
            Ok(_) => return Ok(sha),
            Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(io(e)),
        }
        self.store
            .put(&location, PutPayload::from(bytes.to_vec()))
            .await
            .map_err(io)?;
        Ok(sha)
    }

    async fn get(&self, sha256: &str) -> std::io::Result<Option<Vec<u8>>> {
        if !is_object_name(sha256) {
            return Ok(None);
        }
        match self.store.get(&self.location(sha256)).await {
            Ok(found) => {
                let bytes = found.bytes().await.map_err(io)?;
                checked(sha256, bytes.to_vec()).map(Some)
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(io(e)),
        }
    }
}
