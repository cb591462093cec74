//! Content-addressed file storage behind the [`FileStore`] trait: bytes are stored under
//! their SHA-256 and never overwritten. [`LocalFileStore`] keeps them on local disk (the
//! default); an S3-compatible backend implements the same trait (docs/adr/0008).

use std::path::{Path, PathBuf};

pub use sinergi_domain::audit::sha256_hex;

/// Where file bytes live.
pub trait FileStore: Send + Sync + std::fmt::Debug {
    /// Stores `bytes` under their SHA-256 and returns it. Storing the same bytes again is a
    /// no-op; an existing object is never replaced.
    ///
    /// # Errors
    /// I/O errors.
    fn put(&self, bytes: &[u8]) -> std::io::Result<String>;

    /// The bytes stored under `sha256`, if any; they are re-hashed, and a mismatch (a
    /// damaged object) is an error.
    ///
    /// # Errors
    /// I/O errors; a damaged object.
    fn get(&self, sha256: &str) -> std::io::Result<Option<Vec<u8>>>;
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
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        Some(self.dir.join(&sha256[..2]).join(&sha256[2..]))
    }

    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl FileStore for LocalFileStore {
    fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha = sha256_hex(bytes);
        let path = self
            .path(&sha)
            .ok_or_else(|| std::io::Error::other("bad hash"))?;
        if path.exists() {
            return Ok(sha);
        }
        let parent = path
            .parent()
            .ok_or_else(|| std::io::Error::other("bad path"))?;
        std::fs::create_dir_all(parent)?;
        // Write to a unique temporary name, then link into place: a reader never sees a
        // half-written object, and an object that appeared meanwhile is kept, not replaced.
        let tmp = parent.join(format!(".{}.{}.tmp", &sha[2..], std::process::id()));
        std::fs::write(&tmp, bytes)?;
        let linked = std::fs::hard_link(&tmp, &path);
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => Ok(sha),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(sha),
            Err(e) => Err(e),
        }
    }

    fn get(&self, sha256: &str) -> std::io::Result<Option<Vec<u8>>> {
        let Some(path) = self.path(sha256) else {
            return Ok(None);
        };
        match std::fs::read(&path) {
            Ok(bytes) => {
                if sha256_hex(&bytes) != sha256 {
                    return Err(std::io::Error::other(format!(
                        "stored object {sha256} is damaged"
                    )));
                }
                Ok(Some(bytes))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_addressed_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let fs = LocalFileStore::new(dir.path());
        let a = fs.put(b"isi pertama").unwrap();
        assert_eq!(a, sha256_hex(b"isi pertama"));
        assert_eq!(fs.put(b"isi pertama").unwrap(), a);
        assert_eq!(fs.get(&a).unwrap().unwrap(), b"isi pertama");
        assert!(fs.get(&sha256_hex(b"lain")).unwrap().is_none());
        assert!(fs.get("../../etc/passwd").unwrap().is_none());
        // A damaged object is reported, not served.
        std::fs::write(fs.path(&a).unwrap(), b"diubah").unwrap();
        assert!(fs.get(&a).is_err());
    }
}
