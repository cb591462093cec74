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

/// Which rule set, and which version of it, a case was opened under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RuleSetRef {
    pub id: String,
    pub version: u32,
}

impl std::fmt::Display for RuleSetRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} v{}", self.id, self.version)
    }
}

/// Every parameter of a rule set; each needs its legal reference.
pub const PARAMETERS: [&str; 12] = [
    "pks_max_term_years",
    "kb_requires_party_numbers",
    "foreign_always_needs_dprd",
    "dprd_gate",
    "reminder_lead_days",
    "offer_reply_days",
    "dprd_response_days",
    "plh_may_sign_offer",
    "plh_may_sign_kb",
    "reply_requires_letter",
    "reply_requires_tkksd_review",
    "provincial_urusan",
];

impl RuleSet {
    /// This set's identity, as a case records it.
    #[must_use]
    pub fn reference(&self) -> RuleSetRef {
        RuleSetRef {
            id: self.id.clone(),
            version: self.version,
        }
    }

    /// The rules a case follows: the set it was opened under; for a case recorded before
    /// cases kept their set, the one in force on the day it was opened.
    #[must_use]
    pub fn of_case<'a>(sets: &'a [RuleSet], case: &crate::case::Case) -> Option<&'a RuleSet> {
        match &case.rule_set {
            Some(r) => sets.iter().find(|s| s.id == r.id && s.version == r.version),
            None => Self::in_force(sets, case.created_at.date()),
        }
    }

    /// Checks a rule set a deployment adds: an id of lower-case words, a version above every
    /// stored version of that id, a first day not in the past (cases already opened keep
    /// their set, and what was in force yesterday stays what it was), values in range, and a
    /// legal reference for every parameter.
    ///
    /// # Errors
    /// `DomainError::Validation` naming each problem.
    pub fn validate_new(
        &self,
        existing: &[RuleSet],
        today: Date,
    ) -> Result<(), crate::DomainError> {
        use crate::FieldError;
        let mut errors = Vec::new();
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 80
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            errors.push(FieldError::new(
                "id",
                "invalid",
                "Pengenal aturan terdiri dari huruf kecil, angka dan tanda hubung (mis. ksdd-pergub-kalteng-2027), paling panjang 80.",
                "The rule set id is lower-case letters, digits and hyphens (e.g. ksdd-pergub-kalteng-2027), at most 80.",
            ));
        }
        if self.title.trim().is_empty() {
            errors.push(FieldError::required("title"));
        }
        if let Some(latest) = existing
            .iter()
            .filter(|s| s.id == self.id)
            .map(|s| s.version)
            .max()
            && self.version <= latest
        {
            errors.push(FieldError::new(
                "version",
                "not_newer",
                format!(
                    "Aturan {} versi {latest} sudah ada; versi baru harus lebih besar dari {latest}. Versi yang tersimpan tidak diubah karena kasus yang dibuka di bawahnya tetap memakainya.",
                    self.id
                ),
                format!(
                    "Rule set {} version {latest} exists; a new version must be above {latest}. Stored versions are never changed: the cases opened under them keep them.",
                    self.id
                ),
            ));
        }
        if self.version == 0 {
            errors.push(FieldError::new(
                "version",
                "invalid",
                "Versi dimulai dari 1.",
                "Versions start at 1.",
            ));
        }
        if self.effective_from < today {
            errors.push(FieldError::new(
                "effective_from",
                "in_the_past",
                format!(
                    "Tanggal berlaku {} sudah lewat; aturan baru berlaku paling cepat hari ini ({today}).",
                    self.effective_from
                ),
                format!(
                    "The first day {} has passed; new rules apply from today ({today}) at the earliest.",
                    self.effective_from
                ),
            ));
        }
        if !(1..=30).contains(&self.pks_max_term_years) {
            errors.push(FieldError::new(
                "pks_max_term_years",
                "out_of_range",
                "Jangka waktu PKS paling lama antara 1 dan 30 tahun.",
                "The maximum PKS term is between 1 and 30 years.",
            ));
        }
        if self.reminder_lead_days.iter().any(|d| *d > 366) {
            errors.push(FieldError::new(
                "reminder_lead_days",
                "out_of_range",
                "Pengingat paling awal 366 hari sebelum berakhir.",
                "Reminders go out at most 366 days before the end.",
            ));
        }
        for (name, days) in [
            ("offer_reply_days", self.offer_reply_days),
            ("dprd_response_days", self.dprd_response_days),
        ] {
            if days.is_some_and(|d| d == 0 || d > 366) {
                errors.push(FieldError::new(
                    name,
                    "out_of_range",
                    "Tenggat antara 1 dan 366 hari, atau kosong bila tidak ada tenggat.",
                    "A deadline is between 1 and 366 days, or empty when there is none.",
                ));
            }
        }
        for name in PARAMETERS {
            let cited = self
                .references
                .get(name)
                .is_some_and(|r| !r.citation.trim().is_empty());
            if !cited {
                errors.push(FieldError::new(
                    format!("references.{name}"),
                    "required",
                    format!(
                        "Parameter {name} belum punya dasar hukum: tuliskan peraturan atau SOP-nya dan tingkat kepastiannya (V, P atau U)."
                    ),
                    format!(
                        "The parameter {name} has no legal reference: write its regulation or SOP and its confidence (V, P or U)."
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(crate::DomainError::Validation(errors))
        }
    }

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
        for key in PARAMETERS {
            assert!(r.references.contains_key(key), "{key}");
        }
        // The serialised set names every parameter the list names, and no other.
        let body = serde_json::to_value(&r).unwrap();
        for key in PARAMETERS {
            assert!(body.get(key).is_some(), "{key}");
        }
        let fields = body.as_object().unwrap().len();
        assert_eq!(
            fields,
            PARAMETERS.len() + 5,
            "id, version, title, effective_from, references"
        );
    }

    #[test]
    fn a_new_version_is_checked() {
        let today = date!(2027 - 01 - 10);
        let stored = vec![RuleSet::default()];
        let next = RuleSet {
            version: 2,
            effective_from: date!(2027 - 02 - 01),
            pks_max_term_years: 3,
            ..RuleSet::default()
        };
        next.validate_new(&stored, today).unwrap();
        let mut bad = RuleSet {
            version: 1,
            effective_from: date!(2027 - 01 - 01),
            pks_max_term_years: 0,
            ..RuleSet::default()
        };
        bad.references.remove("plh_may_sign_kb");
        let crate::DomainError::Validation(errs) = bad.validate_new(&stored, today).unwrap_err()
        else {
            panic!("validation")
        };
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "version",
                "effective_from",
                "pks_max_term_years",
                "references.plh_may_sign_kb"
            ]
        );
        // Another id starts its own versions.
        let other = RuleSet {
            id: "ksdd-pergub-kalteng-2027".to_owned(),
            version: 1,
            effective_from: today,
            ..RuleSet::default()
        };
        other.validate_new(&stored, today).unwrap();
        let shouting = RuleSet {
            id: "Pergub Kalteng".to_owned(),
            ..other
        };
        assert!(shouting.validate_new(&stored, today).is_err());
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
