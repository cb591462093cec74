//! Loads the founding case through the ordinary operations, so the demo obeys every rule.

use crate::{Store, StoreError};
use sinergi_domain::agreement::{
    AgreementKind, AgreementPartyPatch, AgreementPatch, NewAgreementInput,
};
use sinergi_domain::case::{PartyPatch, PartyStatus};
use sinergi_domain::demo::{FOUNDING_CASE_ID, founding_case, participant};
use sinergi_domain::official::{NewTkksdInput, TkksdMember};
use std::collections::HashMap;
use time::OffsetDateTime;

const ACTOR: &str = "demo";

impl Store {
    /// Loads the Kalimantan Tengah – Bali founding case unless it is already there.
    /// Returns whether it was loaded now.
    ///
    /// # Errors
    /// Any refusal of the ordinary operations (which would be a bug in the demo data).
    pub async fn load_founding_case(&self, now: OffsetDateTime) -> Result<bool, StoreError> {
        match self.get_case(FOUNDING_CASE_ID).await {
            Ok(_) => return Ok(false),
            Err(StoreError::Domain(sinergi_domain::DomainError::NotFound { .. })) => {}
            Err(e) => return Err(e),
        }
        let f = founding_case();
        let mut ids = HashMap::new();
        for o in &f.officials {
            let created = self.create_official(o.region, &o.input, now).await?;
            ids.insert(o.who, created.id);
        }
        for (region, who, position) in &f.tkksd_chairs {
            let input = NewTkksdInput {
                decree_number: None,
                decree_date: None,
                period_start: None,
                period_end: None,
                secretariat_unit: None,
                members: vec![TkksdMember {
                    official: ids[who],
                    position: *position,
                }],
            };
            self.create_tkksd(region, &input, now).await?;
        }
        let case = self
            .create_case_with_id(FOUNDING_CASE_ID, &f.case, ACTOR, now)
            .await?;
        for m in &f.meetings {
            let mut input = m.input.clone();
            input.participants = m
                .participants
                .iter()
                .filter_map(|w| {
                    f.officials
                        .iter()
                        .find(|o| o.who == *w)
                        .map(|o| participant(o, ids[w]))
                })
                .collect();
            self.add_meeting(case.id, &input, ACTOR, now).await?;
        }
        let (kb, _) = self
            .create_agreement(
                case.id,
                &NewAgreementInput {
                    kind: AgreementKind::Kb,
                    parent: None,
                    title: Some(f.kb_title.to_owned()),
                    fields: case.fields.iter().map(|x| x.ordinal).collect(),
                    starts_on: None,
                    ends_on: None,
                    changes: None,
                    reason: None,
                },
                ACTOR,
                now,
            )
            .await?;
        let patch = AgreementPatch {
            expected_version: kb.version,
            title: None,
            place: Some(f.kb_place.to_owned()),
            signed_on: Some(f.kb_signed_on),
            starts_on: None,
            ends_on: None,
            parties: f
                .kb_signatories
                .iter()
                .map(|(ordinal, who)| AgreementPartyPatch {
                    ordinal: *ordinal,
                    number: None,
                    number_unpublished: Some(true),
                    signatory: Some(ids[who]),
                    power_of_attorney: None,
                })
                .collect(),
        };
        self.patch_agreement(case.id, kb.id, &patch, ACTOR, now)
            .await?;
        let mut version = case.version;
        for (ordinal, who) in &f.kb_signatories {
            let updated = self
                .patch_party(
                    case.id,
                    *ordinal,
                    &PartyPatch {
                        expected_version: version,
                        status: Some(PartyStatus::Ditandatangani),
                        document_number: None,
                        signatory: Some(ids[who]),
                        contact: None,
                        dprd: None,
                    },
                    ACTOR,
                    now,
                )
                .await?;
            version = updated.version;
        }
        self.record_signed(case.id, f.record_note, ACTOR, now)
            .await?;
        Ok(true)
    }
}
