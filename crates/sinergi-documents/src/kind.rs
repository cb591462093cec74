//! The kinds of document the system writes.

use serde::{Deserialize, Serialize};

/// A kind of document, each with its own template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocumentKind {
    /// Kesepakatan Bersama.
    #[serde(rename = "kb")]
    Kb,
    /// Perjanjian Kerja Sama.
    #[serde(rename = "pks")]
    Pks,
    /// Addendum to a KB or PKS.
    #[serde(rename = "addendum")]
    Addendum,
    /// Surat penawaran kerja sama.
    #[serde(rename = "penawaran")]
    Penawaran,
    /// Berita acara of a meeting.
    #[serde(rename = "berita-acara")]
    BeritaAcara,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 5] = [
        Self::Kb,
        Self::Pks,
        Self::Addendum,
        Self::Penawaran,
        Self::BeritaAcara,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kb => "kb",
            Self::Pks => "pks",
            Self::Addendum => "addendum",
            Self::Penawaran => "penawaran",
            Self::BeritaAcara => "berita-acara",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind of agreement whose text this is, for the agreement documents (KB, PKS,
    /// addendum); letters and minutes belong to no agreement.
    #[must_use]
    pub fn agreement_kind(self) -> Option<sinergi_domain::agreement::AgreementKind> {
        use sinergi_domain::agreement::AgreementKind;
        match self {
            Self::Kb => Some(AgreementKind::Kb),
            Self::Pks => Some(AgreementKind::Pks),
            Self::Addendum => Some(AgreementKind::Addendum),
            Self::Penawaran | Self::BeritaAcara => None,
        }
    }

    /// The name of the document in Indonesian.
    #[must_use]
    pub fn label_id(self) -> &'static str {
        match self {
            Self::Kb => "Kesepakatan Bersama",
            Self::Pks => "Perjanjian Kerja Sama",
            Self::Addendum => "Addendum",
            Self::Penawaran => "Surat Penawaran Kerja Sama",
            Self::BeritaAcara => "Berita Acara",
        }
    }

    /// Whether the document is an agreement negotiated clause by clause.
    #[must_use]
    pub fn is_agreement(self) -> bool {
        matches!(self, Self::Kb | Self::Pks | Self::Addendum)
    }
}
