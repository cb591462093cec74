//! The versioned rule set: every parameter of the law that is a number, a switch or an
//! unconfirmed practice lives here with its legal reference, never in code.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, macros::date};

/// How sure we are of a rule (domain.md §0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Confidence {
    /// Verified in a cited public source.
    V,
    /// From a predecessor rule or a regional SOP.
    P,
    /// Unconfirmed: the deployment must confirm it.
    U,
}

/// Where a parameter comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LegalReference {
    pub citation: String,
    pub confidence: Confidence,
}

/// Where the DPRD approval gate sits in the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DprdGate {
    /// After the KB is signed, before it becomes active and PKS are made (default).
    AfterKb,
}

/// One version of the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RuleSet {
    /// Stable identifier, e.g. `ksdd-permendagri-22-2020`.
    pub id: String,
    pub version: u32,
    pub title: String,
    /// The first day these rules apply.
    pub effective_from: Date,
    /// Maximum term of a Perjanjian Kerja Sama in years.
    pub pks_max_term_years: u32,
    /// Every party's number is needed to record a KB as signed (a number known but not
    /// published may be declared as such).
    pub kb_requires_party_numbers: bool,
    /// KSDPL and KSDLL always need DPRD approval.
    pub foreign_always_needs_dprd: bool,
    pub dprd_gate: DprdGate,
    /// Days before an agreement's end date at which reminders go out.
    pub reminder_lead_days: Vec<u32>,
    /// Days the partner has to answer an offer; `None` when no deadline is set.
    pub offer_reply_days: Option<u32>,
    /// Days the DPRD has to decide; `None` when no deadline is set.
    pub dprd_response_days: Option<u32>,
    /// A Plh. (pelaksana harian) kepala daerah may sign the surat penawaran.
    #[serde(default)]
    pub plh_may_sign_offer: bool,
    /// A Plh. kepala daerah may sign a Kesepakatan Bersama (or an addendum to it).
    #[serde(default)]
    pub plh_may_sign_kb: bool,
    /// The addressee answers an offer with its own reply letter (surat jawaban).
    #[serde(default = "yes")]
    pub reply_requires_letter: bool,
    /// The addressee's TKKSD reviews an offer before its reply (an acceptance needs "layak").
    #[serde(default = "yes")]
    pub reply_requires_tkksd_review: bool,
    /// Urusan that are not a kabupaten/kota's competence (a case between kabupaten/kota only
    /// that names one gets a warning, not a refusal: a sub-urusan may still be theirs).
    #[serde(default = "provincial_urusan")]
    pub provincial_urusan: Vec<String>,
    /// Legal reference per parameter name.
    pub references: BTreeMap<String, LegalReference>,
}

fn yes() -> bool {
    true
}

/// Kehutanan (3.28) and ESDM (3.29): the central government's and the province's under
/// UU 23/2014 (a kabupaten/kota keeps the Tahura); codes as in the shipped urusan list [U].
fn provincial_urusan() -> Vec<String> {
    vec!["3.28".to_owned(), "3.29".to_owned()]
}

/// Warnings for a case between kabupaten/kota only that names an urusan of the province
/// (Indonesian, English), one per field.
#[must_use]
pub fn competence_warnings(case: &crate::case::Case, rules: &RuleSet) -> Vec<(String, String)> {
    use sinergi_reference::RegionLevel;
    let governments: Vec<RegionLevel> = case
        .parties
        .iter()
        .filter_map(|p| p.region.as_ref().map(crate::region::RegionCode::level))
        .collect();
    let only_local = !governments.is_empty()
        && governments
            .iter()
            .all(|l| matches!(l, RegionLevel::Regency | RegionLevel::City));
    if !only_local {
        return Vec::new();
    }
    case.fields
        .iter()
        .filter(|f| f.urusan.iter().any(|u| rules.provincial_urusan.contains(u)))
        .map(|f| {
            (
                format!(
                    "Bidang \"{}\" menyangkut urusan yang menjadi kewenangan provinsi (kehutanan, ESDM; UU 23/2014), padahal semua pihaknya kabupaten/kota. Pastikan ruang lingkupnya kewenangan kabupaten/kota (mis. Tahura, perkebunan) atau libatkan pemerintah provinsi.",
                    f.label
                ),
                format!(
                    "The field \"{}\" concerns an affair of the province (forestry, energy and mineral resources; UU 23/2014), yet every party is a kabupaten/kota. Keep its scope within their competence (e.g. a Tahura, plantations) or involve the province.",
                    f.label
                ),
            )
        })
        .collect()
}

fn reference(citation: &str, confidence: Confidence) -> LegalReference {
    LegalReference {
        citation: citation.to_owned(),
        confidence,
    }
}

impl Default for RuleSet {
    /// The built-in rules for KSDD under PP 28/2018 and Permendagri 22/2020.
    fn default() -> Self {
        let mut references = BTreeMap::new();
        references.insert(
            "pks_max_term_years".to_owned(),
            reference(
                "Praktik Kota Yogyakarta (FAQ kerja sama): jangka waktu paling lama 5 tahun",
                Confidence::V,
            ),
        );
        references.insert(
            "kb_requires_party_numbers".to_owned(),
            reference(
                "Praktik naskah KSD: dua nomor, satu per pihak (domain.md §13.1)",
                Confidence::V,
            ),
        );
        references.insert(
            "foreign_always_needs_dprd".to_owned(),
            reference("Permendagri 25/2020; FAQ Kota Yogyakarta", Confidence::V),
        );
        references.insert(
            "dprd_gate".to_owned(),
            reference(
                "PP 28/2018 (syarat persetujuan DPRD); posisi dalam alur dari Permendagri 22/2009",
                Confidence::P,
            ),
        );
        references.insert(
            "reminder_lead_days".to_owned(),
            reference(
                "Praktik SIKERJA Samarinda: H-90, H-60, H-30, H-7, H-0",
                Confidence::V,
            ),
        );
        references.insert(
            "offer_reply_days".to_owned(),
            reference(
                "Tidak ditemukan dalam sumber; tetapkan menurut Pergub/SOP daerah",
                Confidence::U,
            ),
        );
        references.insert(
            "dprd_response_days".to_owned(),
            reference(
                "Praktik pendahulu ±45 hari, belum terkonfirmasi",
                Confidence::U,
            ),
        );
        references.insert(
            "plh_may_sign_offer".to_owned(),
            reference(
                "UU 30/2014 Pasal 14 ayat (7) dan SE Kepala BKN 1/SE/I/2021: Plh. tidak berwenang mengambil keputusan atau tindakan strategis yang mengubah status hukum",
                Confidence::P,
            ),
        );
        references.insert(
            "plh_may_sign_kb".to_owned(),
            reference(
                "UU 30/2014 Pasal 14 ayat (7); SE Kepala BKN 1/SE/I/2021; FAQ Kota Yogyakarta: KB ditandatangani kepala daerah",
                Confidence::P,
            ),
        );
        references.insert(
            "reply_requires_letter".to_owned(),
            reference(
                "Permendagri 22/2009 Lampiran I (penawaran dijawab secara tertulis); SOP Kota Yogyakarta",
                Confidence::P,
            ),
        );
        references.insert(
            "provincial_urusan".to_owned(),
            reference(
                "UU 23/2014 Lampiran huruf AA (kehutanan: kabupaten/kota hanya Tahura) dan CC (ESDM: pusat dan provinsi)",
                Confidence::P,
            ),
        );
        references.insert(
            "reply_requires_tkksd_review".to_owned(),
            reference(
                "SOP Kota Yogyakarta: penawaran yang diterima dikaji TKKSD sebelum dijawab (domain.md §5 tahap 2d)",
                Confidence::P,
            ),
        );
        Self {
            id: "ksdd-permendagri-22-2020".to_owned(),
            version: 1,
            title: "Kerja Sama Daerah menurut PP 28/2018 dan Permendagri 22/2020".to_owned(),
            effective_from: date!(2020 - 04 - 14),
            pks_max_term_years: 5,
            kb_requires_party_numbers: true,
            foreign_always_needs_dprd: true,
            dprd_gate: DprdGate::AfterKb,
            reminder_lead_days: vec![90, 60, 30, 7, 0],
            offer_reply_days: None,
            dprd_response_days: None,
            plh_may_sign_offer: false,
            plh_may_sign_kb: false,
            reply_requires_letter: true,
            reply_requires_tkksd_review: true,
            provincial_urusan: provincial_urusan(),
            references,
        }
    }
}

impl RuleSet {
    /// The rule set in force on `day`: the latest whose `effective_from` is not after it.
    #[must_use]
    pub fn in_force(sets: &[RuleSet], day: Date) -> Option<&RuleSet> {
        sets.iter()
            .filter(|s| s.effective_from <= day)
            .max_by_key(|s| (s.effective_from, s.version))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parameter_has_a_reference() {
        let r = RuleSet::default();
        for key in [
            "pks_max_term_years",
            "kb_requires_party_numbers",
            "reminder_lead_days",
            "dprd_gate",
        ] {
            assert!(r.references.contains_key(key), "{key}");
        }
    }

    #[test]
    fn the_latest_effective_set_is_in_force() {
        let a = RuleSet::default();
        let b = RuleSet {
            version: 2,
            effective_from: date!(2030 - 01 - 01),
            pks_max_term_years: 3,
            ..RuleSet::default()
        };
        let sets = vec![a, b];
        assert_eq!(
            RuleSet::in_force(&sets, date!(2025 - 01 - 01))
                .unwrap()
                .version,
            1
        );
        assert_eq!(
            RuleSet::in_force(&sets, date!(2031 - 01 - 01))
                .unwrap()
                .version,
            2
        );
        assert!(RuleSet::in_force(&sets, date!(2019 - 01 - 01)).is_none());
    }
}
