//! The surat kuasa: the kepala daerah authorises an official of the same region (a Kepala
//! Dinas, the Sekda) to sign one Perjanjian Kerja Sama — never a KB or a Nota Kesepakatan
//! (PP 28/2018 Pasal 2 [V]; FAQ Kota Yogyakarta: "pejabat yang diberi kuasa hanya dapat
//! menandatangani PKS" [V]). A PKS signed by anyone but the kepala daerah names a recorded
//! surat kuasa that covers that PKS, that official and the signing day.

use crate::agreement::{Agreement, AgreementKind, instrument};
use crate::ids::{AgreementId, CaseId, OfficialId, PowerOfAttorneyId};
use crate::official::{ActingStatus, Instrument, OfficeKind, Official};
use crate::region::RegionCode;
use crate::{DomainError, FieldError};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// A recorded surat kuasa.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PowerOfAttorney {
    pub id: PowerOfAttorneyId,
    pub case_id: CaseId,
    /// The PKS (or addendum to a PKS) it authorises signing.
    pub agreement: AgreementId,
    pub region: RegionCode,
    /// The region's number of the surat kuasa.
    pub number: String,
    pub issued_on: Date,
    /// The kepala daerah who grants it (name and title as on the day).
    pub grantor: OfficialId,
    pub grantor_name: String,
    pub grantor_title: String,
    /// The official who receives it.
    pub grantee: OfficialId,
    pub grantee_name: String,
    pub grantee_title: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

/// Input for recording a surat kuasa.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewPowerOfAttorney {
    pub number: String,
    pub issued_on: Date,
    pub grantor: OfficialId,
    pub grantee: OfficialId,
}

impl NewPowerOfAttorney {
    /// Checks a surat kuasa for `agreement`: granted by a kepala daerah (definitive, Pj. or
    /// Plt.; a Plh. takes no act that changes legal status, UU 30/2014 Pasal 14 ayat (7) [P])
    /// to another official of the same region, for a PKS not yet signed, dated not after
    /// today, and not a number the region already used.
    ///
    /// # Errors
    /// `Validation` for missing or malformed fields; guards `power_of_attorney.*`.
    #[expect(
        clippy::too_many_arguments,
        reason = "each argument is a distinct fact the letter is checked against"
    )]
    pub fn validate(
        &self,
        id: PowerOfAttorneyId,
        agreement: &Agreement,
        parent_kind: Option<AgreementKind>,
        grantor: &Official,
        grantee: &Official,
        used_numbers: &[String],
        today: Date,
        now: OffsetDateTime,
    ) -> Result<PowerOfAttorney, DomainError> {
        let number = self.number.trim();
        let mut errors = Vec::new();
        if number.is_empty() {
            errors.push(FieldError::required("number"));
        } else if number.chars().count() > 200 {
            errors.push(FieldError::new(
                "number",
                "too_long",
                "Nomor surat kuasa paling panjang 200 karakter.",
                "The number is at most 200 characters.",
            ));
        }
        if self.issued_on > today {
            errors.push(FieldError::new(
                "issued_on",
                "in_future",
                "Tanggal surat kuasa tidak boleh di masa depan; catat setelah surat ditandatangani.",
                "The date cannot be in the future; record it once the letter is signed.",
            ));
        }
        if used_numbers.iter().any(|n| n == number) {
            errors.push(FieldError::new(
                "number",
                "taken",
                format!("Nomor {number} sudah tercatat sebagai surat kuasa daerah ini; satu nomor untuk satu surat."),
                format!("Number {number} is already recorded as a surat kuasa of this region; one number, one letter."),
            ));
        }
        if !errors.is_empty() {
            return Err(DomainError::Validation(errors));
        }
        if instrument(agreement.kind, parent_kind) != Instrument::Pks {
            return Err(DomainError::guard(
                "power_of_attorney.only_pks",
                "Surat kuasa hanya untuk Perjanjian Kerja Sama; Kesepakatan Bersama ditandatangani kepala daerah sendiri.",
                "A power of attorney is only for a Perjanjian Kerja Sama; a Kesepakatan Bersama is signed by the head of region in person.",
            ));
        }
        if agreement.status.is_signed() {
            return Err(DomainError::guard(
                "power_of_attorney.agreement_signed",
                "Naskah ini sudah ditandatangani; surat kuasa dicatat sebelum penandatanganan.",
                "This document is already signed; a power of attorney is recorded before signing.",
            ));
        }
        if grantor.office != OfficeKind::KepalaDaerah || grantor.acting == ActingStatus::Plh {
            return Err(DomainError::guard(
                "power_of_attorney.grantor_not_head",
                format!(
                    "{} ({}) bukan kepala daerah definitif, Pj. atau Plt.; surat kuasa diberikan kepala daerah (PP 28/2018 Pasal 2; Plh. tidak mengambil tindakan yang mengubah status hukum, UU 30/2014 Pasal 14 ayat (7)).",
                    grantor.name,
                    grantor.title()
                ),
                format!(
                    "{} ({}) is not a definitive, Pj. or Plt. head of region; the power of attorney is given by the head of region (PP 28/2018 art. 2; a Plh. takes no act that changes legal status, UU 30/2014 art. 14(7)).",
                    grantor.name,
                    grantor.title()
                ),
            ));
        }
        if !grantor.in_office_on(self.issued_on) {
            return Err(DomainError::guard(
                "power_of_attorney.grantor_not_in_office",
                format!("{} tidak menjabat pada {}.", grantor.name, self.issued_on),
                format!("{} was not in office on {}.", grantor.name, self.issued_on),
            ));
        }
        let party_region = agreement
            .parties
            .iter()
            .any(|p| p.region.as_ref() == Some(&grantor.region));
        if grantee.region != grantor.region || !party_region {
            return Err(DomainError::guard(
                "power_of_attorney.other_region",
                format!(
                    "{} dan {} harus pejabat daerah yang sama, dan daerah itu pihak naskah ini.",
                    grantor.name, grantee.name
                ),
                format!(
                    "{} and {} must be officials of the same region, a party to this document.",
                    grantor.name, grantee.name
                ),
            ));
        }
        if grantee.id == grantor.id || grantee.office == OfficeKind::KepalaDaerah {
            return Err(DomainError::guard(
                "power_of_attorney.grantee_is_head",
                format!(
                    "{} adalah kepala daerah dan menandatangani sendiri; surat kuasa diberikan kepada pejabat lain.",
                    grantee.name
                ),
                format!(
                    "{} is a head of region and signs in person; the power of attorney goes to another official.",
                    grantee.name
                ),
            ));
        }
        Ok(PowerOfAttorney {
            id,
            case_id: agreement.case_id,
            agreement: agreement.id,
            region: grantor.region.clone(),
            number: number.to_owned(),
            issued_on: self.issued_on,
            grantor: grantor.id,
            grantor_name: grantor.name.clone(),
            grantor_title: grantor.title(),
            grantee: grantee.id,
            grantee_name: grantee.name.clone(),
            grantee_title: grantee.title(),
            created_at: now,
        })
    }
}

impl PowerOfAttorney {
    /// Whether this letter lets `official` sign `agreement` on `day`.
    #[must_use]
    pub fn covers(&self, agreement: AgreementId, official: OfficialId, day: Date) -> bool {
        self.agreement == agreement && self.grantee == official && self.issued_on <= day
    }
}

/// The recorded surat kuasa a party names for its signatory, or why it cannot be used.
///
/// # Errors
/// `pks.power_of_attorney_not_recorded` when no recorded letter of the region with that number
/// covers this document and this signatory.
pub fn find<'a>(
    powers: &'a [PowerOfAttorney],
    agreement: AgreementId,
    region: &RegionCode,
    number: &str,
    signatory: Option<OfficialId>,
    day: Date,
) -> Result<&'a PowerOfAttorney, DomainError> {
    let number = number.trim();
    powers
        .iter()
        .find(|k| {
            &k.region == region
                && k.number == number
                && signatory.is_some_and(|s| k.covers(agreement, s, day))
        })
        .ok_or_else(|| {
            let known: Vec<&str> = powers
                .iter()
                .filter(|k| &k.region == region && k.agreement == agreement)
                .map(|k| k.number.as_str())
                .collect();
            let listed = if known.is_empty() {
                "belum ada".to_owned()
            } else {
                known.join(", ")
            };
            let listed_en = if known.is_empty() {
                "none yet".to_owned()
            } else {
                known.join(", ")
            };
            DomainError::guard(
                "pks.power_of_attorney_not_recorded",
                format!(
                    "Surat kuasa nomor {number} tidak tercatat untuk naskah ini dan penanda tangan ini (tercatat: {listed}). Catat surat kuasa dari kepala daerah lebih dahulu."
                ),
                format!(
                    "No recorded power of attorney number {number} covers this document and this signatory (recorded: {listed_en}). Record the head of region's power of attorney first."
                ),
            )
        })
}
