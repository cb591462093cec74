//! A real S3-compatible server for the object-storage tests: moto's standalone server
//! (`pip install 'moto[server]'`, installed by `.ci/run`), one per test on a free loopback
//! port, stopped when dropped. The tests reach it through the production S3 client; the raw
//! helpers here (bucket creation, listing, overwriting an object behind the store's back)
//! speak plain HTTP/1.1 so that the harness shares no code with what it checks.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The environment variable naming the moto server binary (default `moto_server`).
pub const MOTO_SERVER_ENV: &str = "SINERGI_TEST_MOTO_SERVER";

/// The access key the tests' S3 clients use (moto accepts any secret).
pub const ACCESS_KEY: &str = "sinergi";

/// A running moto S3 server.
pub struct S3Server {
    child: Child,
    port: u16,
}

impl S3Server {
    /// Starts a server and waits until it answers.
    ///
    /// # Panics
    /// When moto is not installed or does not start: this test must not be skipped.
    pub async fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let program = std::env::var(MOTO_SERVER_ENV).unwrap_or_else(|_| "moto_server".into());
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {program} ({e}); install it with: pip install 'moto[server]'")
            });
        let server = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while server.raw("GET", "/", &[]).is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server
    }

    /// `http://127.0.0.1:PORT`.
    #[must_use]
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Creates a bucket.
    ///
    /// # Panics
    /// When the server refuses.
    pub fn create_bucket(&self, bucket: &str) {
        let (status, body) = self.raw("PUT", &format!("/{bucket}"), &[]).expect("bucket");
        assert_eq!(status, 200, "create bucket: {body}");
    }

    /// The keys in a bucket (ListObjectsV2's `<Key>` elements).
    ///
    /// # Panics
    /// When the server refuses.
    #[must_use]
    pub fn keys(&self, bucket: &str) -> Vec<String> {
        let (status, body) = self
            .raw("GET", &format!("/{bucket}?list-type=2"), &[])
            .expect("list");
        assert_eq!(status, 200, "list: {body}");
        body.split("<Key>")
            .skip(1)
            .filter_map(|s| s.split("</Key>").next())
            .map(str::to_owned)
            .collect()
    }

    /// Replaces an object's bytes directly on the server (to damage it).
    ///
    /// # Panics
    /// When the server refuses.
    pub fn overwrite(&self, bucket: &str, key: &str, bytes: &[u8]) {
        let (status, body) = self
            .raw("PUT", &format!("/{bucket}/{key}"), bytes)
            .expect("put");
        assert_eq!(status, 200, "overwrite: {body}");
    }

    fn raw(&self, method: &str, path: &str, body: &[u8]) -> std::io::Result<(u16, String)> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port))?;
        s.set_read_timeout(Some(Duration::from_secs(10)))?;
        // moto does not check signatures, but takes the account from the access key of an
        // AWS4 `Authorization` header (anonymous requests may not read or replace objects),
        // and a body without a binary content type would be parsed as a form.
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: {}\r\n\
             Content-Type: application/octet-stream\r\nx-amz-content-sha256: UNSIGNED-PAYLOAD\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0\r\n\
             Connection: close\r\n\r\n",
            self.port,
            body.len()
        );
        s.write_all(head.as_bytes())?;
        s.write_all(body)?;
        let mut out = Vec::new();
        s.read_to_end(&mut out)?;
        let text = String::from_utf8_lossy(&out).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| std::io::Error::other("no status line"))?;
        Ok((status, text))
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
