//! Evidence file bytes behind a small trait, addressed by their SHA-256. The documents work
//! brings the shared content-addressed storage; this local store is the stand-in to swap for
//! it: `put` returns the hex SHA-256, `get` returns the bytes of a hash.

use std::io::Write as _;
use std::path::PathBuf;

/// Where evidence bytes live.
pub trait FileStore: Send + Sync + std::fmt::Debug {
    /// Stores bytes; returns their SHA-256 in lower-case hex. Storing the same bytes twice
    /// keeps one copy.
    ///
    /// # Errors
    /// I/O errors.
    fn put(&self, bytes: &[u8]) -> std::io::Result<String>;

    /// The bytes of a hash, `None` when unknown.
    ///
    /// # Errors
    /// I/O errors other than a missing file.
    fn get(&self, sha256: &str) -> std::io::Result<Option<Vec<u8>>>;
}

/// SHA-256 of bytes in lower-case hex.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Files under a directory, as `ab/abcdef…` by hash; written to a temporary file first and
/// renamed, so a reader never sees half a file.
#[derive(Debug, Clone)]
pub struct LocalFileStore {
    root: PathBuf,
}

impl LocalFileStore {
    #[must_use]
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, sha256: &str) -> Option<PathBuf> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        Some(self.root.join(&sha256[..2]).join(sha256))
    }
}

impl FileStore for LocalFileStore {
    fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let hash = sha256_hex(bytes);
        let Some(path) = self.path(&hash) else {
            return Err(std::io::Error::other("invalid hash"));
        };
        if path.exists() {
            return Ok(hash);
        }
        let dir = path.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile_in(dir)?;
        tmp.1.write_all(bytes)?;
        tmp.1.sync_all()?;
        std::fs::rename(&tmp.0, &path)?;
        Ok(hash)
    }

    fn get(&self, sha256: &str) -> std::io::Result<Option<Vec<u8>>> {
        let Some(path) = self.path(sha256) else {
            return Ok(None);
        };
        match std::fs::read(path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn tempfile_in(dir: &std::path::Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    for n in 0..100_u32 {
        let p = dir.join(format!(".tmp-{}-{n}", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)
        {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no temporary file name free"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_come_back_by_their_hash() {
        let dir = tempfile::tempdir().unwrap();
        let s = LocalFileStore::new(dir.path());
        let h = s.put(b"berita acara").unwrap();
        assert_eq!(h, sha256_hex(b"berita acara"));
        assert_eq!(s.put(b"berita acara").unwrap(), h);
        assert_eq!(s.get(&h).unwrap().unwrap(), b"berita acara");
        assert!(s.get(&"0".repeat(64)).unwrap().is_none());
        assert!(s.get("../etc/passwd").unwrap().is_none());
    }
}
