//! Loads the founding case through the ordinary operations, so the demo obeys every rule.

use crate::{Store, StoreError};
use sinergi_domain::access::Actor;
use sinergi_domain::agreement::{
    AgreementKind, AgreementPartyPatch, AgreementPatch, NewAgreementInput,
};
use sinergi_domain::case::{Contact, PartyPatch, PartyStatus};
use sinergi_domain::demo::{FOUNDING_CASE_ID, founding_case, participant};
use sinergi_domain::official::{NewTkksdInput, TkksdMember};
use std::collections::HashMap;
use time::OffsetDateTime;

fn actor() -> Actor {
    Actor::system("demo")
}

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
            let created = self
                .create_official(o.region, &o.input, &actor(), now)
                .await?;
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
            self.create_tkksd(region, &input, &actor(), now).await?;
        }
        let case = self
            .create_case_with_id(FOUNDING_CASE_ID, &f.case, &actor(), now)
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
            self.add_meeting(case.id, &input, &actor(), now).await?;
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
                &actor(),
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
        self.patch_agreement(case.id, kb.id, &patch, &actor(), now)
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
                    &actor(),
                    now,
                )
                .await?;
            version = updated.version;
        }
        self.record_signed(case.id, f.record_note, &actor(), now)
            .await?;
        Ok(true)
    }
}

/// What a synthetic load created.
#[derive(Debug, Clone, Copy, Default)]
pub struct SyntheticReport {
    pub cases: usize,
    pub meetings: usize,
}

impl Store {
    /// Loads `cases` visibly fictional cases (title marked "[FIKTIF]", `fictional = true`)
    /// between pseudo-randomly chosen governments, with `meetings_per_case` meetings each,
    /// for demonstrations and benchmarks. Deterministic for a given `seed`.
    ///
    /// # Errors
    /// Any refusal of the ordinary operations.
    pub async fn load_synthetic(
        &self,
        cases: usize,
        meetings_per_case: usize,
        seed: u64,
        now: OffsetDateTime,
    ) -> Result<SyntheticReport, StoreError> {
        use sinergi_domain::case::{CaseKind, Direction, FieldInput, NewCaseInput, PartyInput};
        use sinergi_domain::meeting::{MeetingKind, NewMeetingInput};
        use sinergi_domain::workflow::{Action, TransitionRequest};
        let regions = self
            .list_regions(&crate::RegionFilter {
                daerah_only: true,
                limit: 1000,
                ..crate::RegionFilter::default()
            })
            .await?
            .items;
        let fields = sinergi_domain::catalog::catalog().fields.clone();
        if regions.len() < 2 || fields.is_empty() {
            return Ok(SyntheticReport::default());
        }
        let mut state = seed | 1;
        let mut next = move |n: usize| -> usize {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % (n as u64).max(1)).unwrap_or(0)
        };
        let mut report = SyntheticReport::default();
        for i in 0..cases {
            let a = next(regions.len());
            let mut b = next(regions.len());
            if b == a {
                b = (a + 1) % regions.len();
            }
            let f1 = next(fields.len());
            let f2 = (f1 + 1 + next(fields.len() - 1)) % fields.len();
            let input = NewCaseInput {
                title: format!(
                    "[FIKTIF] Kerja sama {} – {} no. {}",
                    regions[a].name,
                    regions[b].name,
                    i + 1
                ),
                kind: CaseKind::KsddSukarela,
                direction: Direction::Keluar,
                object: Some(
                    "Data sintetis untuk demonstrasi dan uji kinerja; bukan kerja sama nyata."
                        .to_owned(),
                ),
                background: None,
                parties: vec![
                    PartyInput {
                        region: Some(regions[a].code.clone()),
                        name: None,
                        contact: Contact::default(),
                    },
                    PartyInput {
                        region: Some(regions[b].code.clone()),
                        name: None,
                        contact: Contact::default(),
                    },
                ],
                fields: vec![
                    FieldInput {
                        code: Some(fields[f1].code.clone()),
                        label: None,
                        priority: true,
                        urusan: None,
                    },
                    FieldInput {
                        code: Some(fields[f2].code.clone()),
                        label: None,
                        priority: false,
                        urusan: None,
                    },
                ],
                objectives: vec!["Contoh tujuan (fiktif)".to_owned()],
                sources: vec![],
                published: true,
                fictional: true,
                predecessor: None,
            };
            let created_at = now - time::Duration::minutes(i64::try_from(cases - i).unwrap_or(0));
            let case = self
                .create_case(&input, &Actor::system("synthetic"), created_at)
                .await?;
            let mut version = case.version;
            for action in [Action::Submit, Action::StartReview]
                .into_iter()
                .take(next(3))
            {
                let req = TransitionRequest {
                    kajian: None,
                    expected_version: version,
                    note: None,
                    action,
                };
                version = self
                    .transition(
                        case.id,
                        &req,
                        &sinergi_domain::authority::Acting::SYSTEM,
                        &Actor::system("synthetic"),
                        created_at,
                    )
                    .await?
                    .0
                    .version;
            }
            for m in 0..meetings_per_case {
                let date =
                    created_at.date() - time::Duration::days(i64::try_from(m * 7).unwrap_or(0));
                let input = NewMeetingInput {
                    kind: if m == 0 {
                        MeetingKind::Penjajakan
                    } else {
                        MeetingKind::Koordinasi
                    },
                    title: None,
                    date,
                    start_time: Some(format!("{:02}:00", 8 + next(8))),
                    end_time: None,
                    host_region: Some(regions[if m % 2 == 0 { a } else { b }].code.clone()),
                    place: "Ruang rapat (fiktif)".to_owned(),
                    participants: vec![],
                    agenda: vec!["Pembahasan (fiktif)".to_owned()],
                    minutes: None,
                    outcomes: vec![],
                    next_steps: vec![],
                };
                self.add_meeting(case.id, &input, &Actor::system("synthetic"), created_at)
                    .await?;
                report.meetings += 1;
            }
            report.cases += 1;
        }
        Ok(report)
    }
}

/// The demo accounts' password: for demonstrations only (documented in the README).
pub const DEMO_PASSWORD: &str = "sinergi-demo-2022";

impl Store {
    /// Demo accounts for the founding case's two provinces, a staff member acting for the
    /// Governor of Kalimantan Tengah, and a Kemendagri reader. Idempotent.
    ///
    /// # Errors
    /// Database errors.
    pub async fn load_demo_accounts(
        &self,
        policy: &crate::LoginPolicy,
        now: OffsetDateTime,
    ) -> Result<Vec<String>, StoreError> {
        use sinergi_domain::access::Role;
        let accounts: [(&str, &str, Option<&str>, &[Role]); 7] = [
            (
                "admin.kalteng",
                "Admin Biro Pemerintahan Setda Kalteng",
                Some("62"),
                &[Role::Admin, Role::TkksdChair],
            ),
            (
                "admin.bali",
                "Admin Biro Pemerintahan Setda Bali",
                Some("51"),
                &[Role::Admin, Role::TkksdChair],
            ),
            (
                "gubernur.kalteng",
                "Sugianto Sabran",
                Some("62"),
                &[Role::KepalaDaerah],
            ),
            (
                "gubernur.bali",
                "Wayan Koster",
                Some("51"),
                &[Role::KepalaDaerah],
            ),
            (
                "staf.gubernur.kalteng",
                "Staf Gubernur Kalimantan Tengah",
                Some("62"),
                &[Role::KepalaDaerahStaff],
            ),
            (
                "dprd.kalteng",
                "DPRD Provinsi Kalimantan Tengah",
                Some("62"),
                &[Role::Dprd],
            ),
            (
                "kemendagri",
                "Ditjen Bina Administrasi Kewilayahan",
                None,
                &[Role::Kemendagri],
            ),
        ];
        let mut made = Vec::new();
        for (username, name, region, roles) in accounts {
            if self.user_by_name(username).await?.is_some() {
                continue;
            }
            // A governor's account belongs to his official record: only it signs as him.
            let official = match (roles, region) {
                ([Role::KepalaDaerah], Some(r)) => self
                    .officials_of_regions(&[r.to_owned()])
                    .await?
                    .into_iter()
                    .find(|o| o.name == name)
                    .map(|o| o.id),
                _ => None,
            };
            self.create_user(
                &crate::NewUser {
                    username: username.to_owned(),
                    display_name: name.to_owned(),
                    password: Some(DEMO_PASSWORD.to_owned()),
                    region: region.map(str::to_owned),
                    roles: roles.to_vec(),
                    official,
                    ..Default::default()
                },
                policy,
                &actor(),
                now,
            )
            .await?;
            made.push(username.to_owned());
        }
        Ok(made)
    }
}
