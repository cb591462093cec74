//! Content-addressed file storage behind the [`FileStore`] trait: bytes are stored under
//! their SHA-256 and never overwritten. [`LocalFileStore`] keeps them on local disk (the
//! default); [`S3FileStore`] keeps them in S3-compatible object storage (docs/adr/0008).

mod s3;

use std::path::{Path, PathBuf};

pub use s3::{S3FileStore, S3Settings};
pub use sinergi_domain::audit::sha256_hex;

/// Where file bytes live.
#[async_trait::async_trait]
pub trait FileStore: Send + Sync + std::fmt::Debug {
    /// Stores `bytes` under their SHA-256 and returns it. Storing the same bytes again is a
    /// no-op; an existing object is never replaced.
    ///
    /// # Errors
    /// I/O errors.
    async fn put(&self, bytes: &[u8]) -> std::io::Result<String>;

    /// The bytes stored under `sha256`, if any; they are re-hashed, and a mismatch (a
    /// damaged object) is an error.
    ///
    /// # Errors
    /// I/O errors; a damaged object.
    async fn get(&self, sha256: &str) -> std::io::Result<Option<Vec<u8>>>;
}

/// Whether `sha256` is a well-formed object name (64 hex digits): anything else — a path,
/// `..` — names no object.
fn is_object_name(sha256: &str) -> bool {
    sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The bytes, if they are what `sha256` names; a damaged object is an error.
fn checked(sha256: &str, bytes: Vec<u8>) -> std::io::Result<Vec<u8>> {
    if sha256_hex(&bytes) == sha256 {
        Ok(bytes)
    } else {
        Err(std::io::Error::other(format!(
            "stored object {sha256} is damaged"
        )))
    }
}

/// Files on local disk: `DIR/ab/cdef…` (the first two hex digits as a directory).
#[derive(Debug, Clone)]
pub struct LocalFileStore {
    dir: PathBuf,
}

impl LocalFileStore {
    #[must_use]
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn path(&self, sha256: &str) -> Option<PathBuf> {
        is_object_name(sha256).then(|| self.dir.join(&sha256[..2]).join(&sha256[2..]))
    }

    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn put_blocking(path: &Path, sha: &str, bytes: &[u8]) -> std::io::Result<()> {
        if path.exists() {
            return Ok(());
        }
        let parent = path
            .parent()
            .ok_or_else(|| std::io::Error::other("bad path"))?;
        std::fs::create_dir_all(parent)?;
        // Write to a unique temporary name, then link into place: a reader never sees a
        // half-written object, and an object that appeared meanwhile is kept, not replaced.
        let tmp = parent.join(format!(
            ".{}.{}.{}.tmp",
            &sha[2..],
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::write(&tmp, bytes)?;
        let linked = std::fs::hard_link(&tmp, path);
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(e),
        }
    }
}

#[async_trait::async_trait]
impl FileStore for LocalFileStore {
    async fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha = sha256_hex(bytes);
        let path = self
            .path(&sha)
            .ok_or_else(|| std::io::Error::other("bad hash"))?;
        let (owned, name) = (bytes.to_vec(), sha.clone());
        tokio::task::spawn_blocking(move || Self::put_blocking(&path, &name, &owned))
            .await
            .map_err(std::io::Error::other)??;
        Ok(sha)
    }

    async fn get(&self, sha256: &str) -> std::io::Result<Option<Vec<u8>>> {
        let Some(path) = self.path(sha256) else {
            return Ok(None);
        };
        match tokio::fs::read(&path).await {
            Ok(bytes) => checked(sha256, bytes).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn content_addressed_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let fs = LocalFileStore::new(dir.path());
        let a = fs.put(b"isi pertama").await.unwrap();
        assert_eq!(a, sha256_hex(b"isi pertama"));
        assert_eq!(fs.put(b"isi pertama").await.unwrap(), a);
        assert_eq!(fs.get(&a).await.unwrap().unwrap(), b"isi pertama");
        assert!(fs.get(&sha256_hex(b"lain")).await.unwrap().is_none());
        assert!(fs.get("../../etc/passwd").await.unwrap().is_none());
        // A damaged object is reported, not served.
        std::fs::write(fs.path(&a).unwrap(), b"diubah").unwrap();
        assert!(fs.get(&a).await.is_err());
    }
}
