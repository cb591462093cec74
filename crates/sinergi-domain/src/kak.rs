//! The Kerangka Acuan Kerja (KAK) a party's OPD pemrakarsa writes for a proposed
//! cooperation (issue 22; domain.md stage 1a, entity 8): background, aim, object, scope,
//! location, duration, benefits, impact and risk, financing, and how it fits the RPJMD/RKPD.
//! It goes to the TKKSD with the initiation letter and to the partner with the offer
//! [V Yogyakarta SOP; SIKERJA Samarinda permohonan fields], so the offer needs it (the
//! `kak` attachment of a surat penawaran is this record, not a tick box).
//!
//! Each save is a new version; an editor who saw an older version is refused, and a version
//! once saved is never changed.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::{Checker, DomainError};

/// The KAK's text, section by section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct KakContent {
    /// Latar belakang.
    pub background: String,
    /// Maksud dan tujuan.
    pub purpose: String,
    /// Objek kerja sama.
    pub object: String,
    /// Ruang lingkup.
    pub scope: String,
    /// Lokasi.
    #[serde(default)]
    pub location: Option<String>,
    /// Jangka waktu yang diusulkan.
    pub duration: String,
    /// Manfaat.
    pub benefits: String,
    /// Analisis dampak dan risiko.
    #[serde(default)]
    pub impact: Option<String>,
    /// Pembiayaan: sumber, tahun anggaran, perkiraan jumlah.
    pub financing: String,
    /// Keselarasan dengan RPJMD/RKPD.
    #[serde(default)]
    pub plan_alignment: Option<String>,
}

/// A save as the editor sends it: the version it saw (none for the first) and the text.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct KakInput {
    /// The version the editor saw; none when the party has no KAK yet.
    #[serde(default)]
    pub expected_version: Option<i64>,
    #[serde(flatten)]
    pub content: KakContent,
}

/// One saved version of a party's KAK.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Kak {
    pub party: u16,
    pub region: String,
    pub version: i64,
    #[serde(flatten)]
    pub content: KakContent,
    pub author: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub saved_at: OffsetDateTime,
}

const LONG: usize = 20_000;

impl KakInput {
    /// Checks the save against the party's latest version; returns the trimmed text and the
    /// new version's number.
    ///
    /// # Errors
    /// A stale or missing `expected_version`; a required section empty or too long.
    pub fn validate(&self, latest: Option<i64>) -> Result<(KakContent, i64), DomainError> {
        if self.expected_version != latest {
            return Err(DomainError::VersionConflict {
                expected: self.expected_version.unwrap_or(0),
                current: latest.unwrap_or(0),
            });
        }
        let k = &self.content;
        let mut c = Checker::default();
        let content = KakContent {
            background: c.text("background", &k.background, LONG),
            purpose: c.text("purpose", &k.purpose, LONG),
            object: c.text("object", &k.object, 2000),
            scope: c.text("scope", &k.scope, LONG),
            location: c.opt_text("location", k.location.as_deref(), 2000),
            duration: c.text("duration", &k.duration, 500),
            benefits: c.text("benefits", &k.benefits, LONG),
            impact: c.opt_text("impact", k.impact.as_deref(), LONG),
            financing: c.text("financing", &k.financing, LONG),
            plan_alignment: c.opt_text("plan_alignment", k.plan_alignment.as_deref(), LONG),
        };
        c.finish()?;
        Ok((content, latest.unwrap_or(0) + 1))
    }
}

/// The refusal of an offer whose initiator has no KAK yet.
#[must_use]
pub fn missing_for_offer(initiator: &str) -> DomainError {
    DomainError::guard(
        "case.kak_missing",
        format!(
            "Penawaran dilampiri KAK, tetapi {initiator} belum menyusun KAK kerja sama ini; isi KAK pada halaman kerja sama lebih dahulu."
        ),
        format!(
            "The offer carries the KAK, but {initiator} has not written the KAK of this case yet; fill in the KAK on the case page first."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(v: Option<i64>) -> KakInput {
        KakInput {
            expected_version: v,
            content: KakContent {
                background: " Potensi pariwisata kedua daerah saling mengisi. ".into(),
                purpose: "Meningkatkan kunjungan wisata.".into(),
                object: "Pariwisata dan UMKM".into(),
                scope: "Promosi bersama; pameran UMKM.".into(),
                location: Some(String::new()),
                duration: "5 (lima) tahun".into(),
                benefits: "Kunjungan dan pemasaran produk.".into(),
                impact: None,
                financing: "APBD masing-masing, TA 2027".into(),
                plan_alignment: None,
            },
        }
    }

    #[test]
    fn the_first_save_is_version_one_and_text_is_trimmed() {
        let (c, v) = input(None).validate(None).unwrap();
        assert_eq!(v, 1);
        assert_eq!(
            c.background,
            "Potensi pariwisata kedua daerah saling mengisi."
        );
        assert_eq!(c.location, None, "an empty optional section is none");
    }

    #[test]
    fn a_stale_save_and_missing_sections_are_refused() {
        assert!(matches!(
            input(Some(1)).validate(Some(2)),
            Err(DomainError::VersionConflict {
                expected: 1,
                current: 2
            })
        ));
        assert!(
            input(None).validate(Some(1)).is_err(),
            "a second first save"
        );
        let mut i = input(Some(2));
        i.content.scope = " ".into();
        i.content.financing = String::new();
        let e = i.validate(Some(2)).unwrap_err();
        let fields: Vec<_> = e.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["scope", "financing"]);
    }
}
