//! Electronic signatures over the SHA-256 of a final PDF.
//!
//! Each signatory (an official) has an Ed25519 key pair generated for them; the private key
//! is stored sealed with ChaCha20-Poly1305 under a key derived (HKDF-SHA256) from the server
//! secret, bound to the key's id, and the public key is published. What is signed is not the
//! bare hash but a statement that binds it to the signer, the capacity and the time
//! ([`Statement`]), so a signature cannot be moved to another person, role or file.
//!
//! [`Signer`] is the seam for a certified signer: a PSrE (BSrE/BSSN) signer implements the
//! same trait by sending the digest to the provider and returning its CMS/PAdES signature
//! (see docs/adr/0008-agreement-documents.md).

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::Sha256;

/// The scheme name stored with each signature.
pub const ED25519: &str = "ed25519-sinergi-v1";

/// Why signing or opening a key failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    #[error("the sealed key cannot be opened (wrong server secret or altered record)")]
    SealBroken,
    #[error("malformed key material")]
    Malformed,
    #[error("the signer is unavailable: {0}")]
    Unavailable(String),
}

pub use sinergi_domain::audit::{hex, sha256_hex};

/// Bytes of a hex string.
#[must_use]
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// What a signatory signs: the file's hash bound to who, in what capacity, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// SHA-256 of the PDF, lowercase hex.
    pub sha256: String,
    /// The verification code printed on the PDF.
    pub code: String,
    /// The signer's id (the official's UUID).
    pub signer: String,
    pub name: String,
    /// The capacity: title as printed and party role ("Gubernur Bali — PIHAK KEDUA").
    pub capacity: String,
    /// RFC 3339 UTC time of signing.
    pub signed_at: String,
}

impl Statement {
    /// The canonical bytes that are signed (one field per line, fixed order).
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let clean = |s: &str| s.replace(['\n', '\r'], " ");
        format!(
            "{ED25519}\nsha256:{}\ncode:{}\nsigner:{}\nname:{}\ncapacity:{}\nsigned_at:{}\n",
            clean(&self.sha256),
            clean(&self.code),
            clean(&self.signer),
            clean(&self.name),
            clean(&self.capacity),
            clean(&self.signed_at)
        )
        .into_bytes()
    }
}

/// A signer: the Ed25519 signer below, or a certified provider later.
pub trait Signer {
    /// The scheme recorded with the signature ("ed25519-sinergi-v1", "pades-bsre", …).
    fn scheme(&self) -> &'static str;
    /// The public key (or certificate) that verifies the signatures.
    fn public_key(&self) -> Vec<u8>;
    /// Signs the statement's bytes.
    ///
    /// # Errors
    /// The signer is unavailable.
    fn sign(&self, statement: &Statement) -> Result<Vec<u8>, SignError>;
}

/// A signatory's own Ed25519 key.
pub struct Ed25519Signer {
    key: SigningKey,
}

impl Ed25519Signer {
    /// A new key from 32 random bytes (the caller draws them from the OS generator).
    #[must_use]
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self {
            key: SigningKey::from_bytes(&seed),
        }
    }

    /// Opens a sealed private key.
    ///
    /// # Errors
    /// A wrong server secret, an altered record, or a different key id.
    pub fn unseal(server_secret: &[u8], key_id: &str, sealed: &[u8]) -> Result<Self, SignError> {
        let seed = unseal(server_secret, key_id, sealed)?;
        Ok(Self::from_seed(seed))
    }

    /// The private key sealed for storage.
    #[must_use]
    pub fn seal(&self, server_secret: &[u8], key_id: &str, nonce: [u8; 12]) -> Vec<u8> {
        seal(server_secret, key_id, &self.key.to_bytes(), nonce)
    }
}

impl Signer for Ed25519Signer {
    fn scheme(&self) -> &'static str {
        ED25519
    }

    fn public_key(&self) -> Vec<u8> {
        self.key.verifying_key().to_bytes().to_vec()
    }

    fn sign(&self, statement: &Statement) -> Result<Vec<u8>, SignError> {
        Ok(self.key.sign(&statement.to_bytes()).to_bytes().to_vec())
    }
}

/// Whether `signature` by `public_key` is valid for `statement`.
#[must_use]
pub fn verify(public_key: &[u8], statement: &Statement, signature: &[u8]) -> bool {
    let Ok(pk) = <[u8; 32]>::try_from(public_key) else {
        return false;
    };
    let Ok(sig) = <[u8; 64]>::try_from(signature) else {
        return false;
    };
    let Ok(key) = VerifyingKey::from_bytes(&pk) else {
        return false;
    };
    key.verify_strict(&statement.to_bytes(), &Signature::from_bytes(&sig))
        .is_ok()
}

fn cipher(server_secret: &[u8]) -> ChaCha20Poly1305 {
    let hk = hkdf::Hkdf::<Sha256>::new(Some(b"sinergi-key-seal-v1"), server_secret);
    let mut okm = [0u8; 32];
    // 32 bytes is always a valid HKDF-SHA256 output length.
    let _ = hk.expand(b"signing-key", &mut okm);
    ChaCha20Poly1305::new(&okm.into())
}

/// Seals 32 secret bytes: nonce ‖ ciphertext ‖ tag, authenticated with the key id.
#[must_use]
pub fn seal(server_secret: &[u8], key_id: &str, secret: &[u8; 32], nonce: [u8; 12]) -> Vec<u8> {
    let n = Nonce::from(nonce);
    let ct = cipher(server_secret)
        .encrypt(
            &n,
            Payload {
                msg: secret,
                aad: key_id.as_bytes(),
            },
        )
        .unwrap_or_default();
    let mut out = nonce.to_vec();
    out.extend(ct);
    out
}

/// Opens what [`seal`] sealed.
///
/// # Errors
/// A wrong secret, a different key id, altered bytes.
pub fn unseal(server_secret: &[u8], key_id: &str, sealed: &[u8]) -> Result<[u8; 32], SignError> {
    if sealed.len() != 12 + 32 + 16 {
        return Err(SignError::Malformed);
    }
    let nonce: [u8; 12] = sealed[..12].try_into().map_err(|_| SignError::Malformed)?;
    let pt = cipher(server_secret)
        .decrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &sealed[12..],
                aad: key_id.as_bytes(),
            },
        )
        .map_err(|_| SignError::SealBroken)?;
    pt.try_into().map_err(|_| SignError::Malformed)
}

/// A verification code from 10 random bytes: 16 Crockford base-32 characters in groups of
/// four ("7K3M-Q9XD-…"), easy to read aloud and type.
#[must_use]
pub fn verification_code(random: [u8; 10]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bits: u128 = 0;
    for b in random {
        bits = (bits << 8) | u128::from(b);
    }
    let mut chars = Vec::with_capacity(19);
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            chars.push(b'-');
        }
        let shift = 75 - 5 * i;
        let idx = usize::try_from((bits >> shift) & 31).unwrap_or(0);
        chars.push(ALPHABET[idx]);
    }
    String::from_utf8_lossy(&chars).into_owned()
}

/// Normalises a typed code: upper case, Crockford look-alikes mapped, dashes re-inserted.
#[must_use]
pub fn normalize_code(s: &str) -> String {
    let raw: String = s
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    raw.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement() -> Statement {
        Statement {
            sha256: sha256_hex(b"%PDF-1.7 isi"),
            code: "ABCD-EFGH-JKMN-PQRS".into(),
            signer: "official-1".into(),
            name: "Wayan Koster".into(),
            capacity: "Gubernur Bali — PIHAK KEDUA".into(),
            signed_at: "2022-03-26T03:00:00Z".into(),
        }
    }

    #[test]
    fn sign_verify_and_refuse_another_file() {
        let s = Ed25519Signer::from_seed([7; 32]);
        let st = statement();
        let sig = s.sign(&st).unwrap();
        assert!(verify(&s.public_key(), &st, &sig));
        let other = Statement {
            sha256: sha256_hex(b"%PDF-1.7 isi lain"),
            ..st.clone()
        };
        assert!(!verify(&s.public_key(), &other, &sig));
        let moved = Statement {
            capacity: "Sekretaris Daerah".into(),
            ..st
        };
        assert!(!verify(&s.public_key(), &moved, &sig));
    }

    #[test]
    fn sealed_keys_open_only_with_the_same_secret_and_id() {
        let s = Ed25519Signer::from_seed([9; 32]);
        let sealed = s.seal(b"rahasia server", "key-1", [1; 12]);
        assert_eq!(sealed.len(), 60);
        let back = Ed25519Signer::unseal(b"rahasia server", "key-1", &sealed).unwrap();
        assert_eq!(back.public_key(), s.public_key());
        assert_eq!(
            Ed25519Signer::unseal(b"rahasia lain", "key-1", &sealed).err(),
            Some(SignError::SealBroken)
        );
        assert_eq!(
            Ed25519Signer::unseal(b"rahasia server", "key-2", &sealed).err(),
            Some(SignError::SealBroken)
        );
    }

    #[test]
    fn codes_are_readable_and_normalised() {
        let c = verification_code([0xA5; 10]);
        assert_eq!(c.len(), 19);
        assert_eq!(normalize_code(&c.to_lowercase().replace('-', " ")), c);
        assert_eq!(unhex(&hex(&[0, 255, 16])), Some(vec![0, 255, 16]));
    }
}
