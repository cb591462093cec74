//! Each side acts for itself (issue 12): every operation on a shared case belongs to one
//! party — its DPRD decision, its reply to an offer, its signature, its comments, letters and
//! numbers — or is a step any party may take, and only the users of the party whose act it is
//! may do it. The permission table (`access::POLICY`) says what a *role* may do; this module
//! adds *whose act* it is. Both checks are made here, once, for the API and the pages alike
//! (the application layer calls [`authorize`] before it writes).

use crate::DomainError;
use crate::access::{Perm, Principal, Relation, Role};
use crate::agreement::AgreementAction;
use crate::case::{Case, Party, Stage};
use crate::workflow::Action;

/// Whose act an operation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// One party's act: only that party's users (and the operator) may do it.
    Party(u16),
    /// An act of a party that received the offer (not the initiator), for itself.
    Addressee,
    /// A shared step any party of the case may take, for itself.
    AnyParty,
}

/// An operation as far as authority goes: the permission its role needs, whose act it is,
/// and its name for the refusal message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Act {
    pub perm: Perm,
    pub owner: Owner,
    /// The act's name in Indonesian, as the subject of "… Provinsi Bali dicatat oleh …".
    pub name_id: &'static str,
    /// The act's name in English, as the subject of "… of Bali is recorded by …".
    pub name_en: &'static str,
}

const fn act(perm: Perm, owner: Owner, name_id: &'static str, name_en: &'static str) -> Act {
    Act {
        perm,
        owner,
        name_id,
        name_en,
    }
}

/// Who is acting, once authorised: the party the caller acts for (`None` only for the
/// operator acting with its installation role when the act names no party).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acting {
    pub party: Option<u16>,
    pub operator: bool,
}

impl Acting {
    /// Sinergi itself (the daily sweep, the loaders): the installation role, for no party.
    pub const SYSTEM: Self = Self {
        party: None,
        operator: true,
    };
}

/// The stages before the offer is sent: the initiator's internal work.
#[must_use]
pub fn internal_stage(case: &Case) -> bool {
    !case.offered
}

/// Whose act a step of the case's path is.
#[must_use]
pub fn of_step(action: &Action, case: &Case) -> Act {
    use Owner::{Addressee, AnyParty, Party};
    use Perm::{AgreementSign, CaseTransition};
    let masuk = case.direction == crate::case::Direction::Masuk;
    let outside = !case.partners_outside().is_empty();
    match action {
        Action::MarkOfferDelivered if outside => act(
            CaseTransition,
            Party(1),
            "Tanda terima surat penawaran oleh mitra di luar Sinergi (dicatat pemrakarsa)",
            "The receipt of the offer by a partner outside Sinergi (recorded by the initiator)",
        ),
        Action::RecordReply { .. } if outside => act(
            CaseTransition,
            Party(1),
            "Jawaban mitra di luar Sinergi (dicatat pemrakarsa)",
            "The answer of a partner outside Sinergi (recorded by the initiator)",
        ),
        Action::Submit => act(
            CaseTransition,
            Party(1),
            "Pengajuan usulan ke TKKSD",
            "Submitting the proposal to the TKKSD",
        ),
        Action::StartReview | Action::Recommend { .. } if masuk => act(
            CaseTransition,
            Addressee,
            "Kajian TKKSD atas penawaran yang diterima",
            "The TKKSD review of the offer received",
        ),
        Action::StartReview => act(
            CaseTransition,
            Party(1),
            "Kajian TKKSD atas usulan",
            "The TKKSD review of the proposal",
        ),
        Action::Recommend { .. } => act(
            CaseTransition,
            Party(1),
            "Rekomendasi TKKSD atas usulan",
            "The TKKSD recommendation on the proposal",
        ),
        Action::Resubmit => act(
            CaseTransition,
            Party(1),
            "Pengajuan ulang usulan",
            "Resubmitting the proposal",
        ),
        Action::SendOffer { .. } => act(
            CaseTransition,
            Party(1),
            "Pengiriman surat penawaran",
            "Sending the offer letter",
        ),
        Action::MarkOfferDelivered => act(
            CaseTransition,
            Addressee,
            "Tanda terima surat penawaran",
            "The receipt of the offer letter",
        ),
        Action::ReviewOffer { .. } => act(
            CaseTransition,
            Addressee,
            "Kajian TKKSD atas penawaran",
            "The TKKSD review of the offer",
        ),
        Action::RecordReply { .. } => act(
            CaseTransition,
            Addressee,
            "Jawaban atas penawaran",
            "The reply to the offer",
        ),
        Action::StartDrafting
        | Action::FinalizeKb
        | Action::ReopenKb
        | Action::Activate
        | Action::End { .. }
        | Action::TerminateEarly { .. }
        | Action::WithdrawProposal => {
            act(CaseTransition, AnyParty, "Langkah bersama", "A shared step")
        }
        Action::SignKb => act(
            AgreementSign,
            AnyParty,
            "Pencatatan penandatanganan",
            "Recording the signing",
        ),
        Action::RecordDprdDecision { party, .. } => act(
            CaseTransition,
            Party(*party),
            "Keputusan DPRD",
            "The DPRD decision",
        ),
        Action::Cancel if internal_stage(case) && !masuk => act(
            CaseTransition,
            Party(1),
            "Pembatalan usulan internal",
            "Cancelling the internal proposal",
        ),
        Action::Cancel => act(
            CaseTransition,
            AnyParty,
            "Persetujuan pembatalan",
            "Consent to cancelling",
        ),
    }
}

/// Whose act a step of a PKS or an addendum is: shared steps any party may take (signing
/// follows from each party's own evidence).
#[must_use]
pub fn of_agreement_step(action: &AgreementAction) -> Act {
    let perm = if matches!(action, AgreementAction::Sign) {
        Perm::AgreementSign
    } else {
        Perm::CaseTransition
    };
    act(perm, Owner::AnyParty, "Langkah naskah", "A document step")
}

/// One party's own record: status, number, signatory, contact, DPRD assessment.
#[must_use]
pub fn of_party_record(ordinal: u16) -> Act {
    act(
        Perm::PartyEdit,
        Owner::Party(ordinal),
        "Data pihak (status, nomor, penanda tangan, kontak, penilaian DPRD)",
        "The party record (status, number, signatory, contact, DPRD assessment)",
    )
}

/// The central government's answer on a KSDPL/KSDLL, recorded by the Indonesian party.
#[must_use]
pub fn of_central_approval(ordinal: u16) -> Act {
    act(
        Perm::CaseEdit,
        Owner::Party(ordinal),
        "Persetujuan Menteri Dalam Negeri dan Menteri Luar Negeri",
        "The approval of the Ministers of Home and Foreign Affairs",
    )
}

/// One party's TKKSD kajian record (its telaahan staf).
#[must_use]
pub fn of_kajian(ordinal: u16) -> Act {
    act(
        Perm::CaseEdit,
        Owner::Party(ordinal),
        "Kajian TKKSD dan telaahan staf",
        "The TKKSD review and its staff study",
    )
}

/// One party's Kerangka Acuan Kerja.
#[must_use]
pub fn of_kak(ordinal: u16) -> Act {
    act(
        Perm::CaseEdit,
        Owner::Party(ordinal),
        "Kerangka Acuan Kerja (KAK)",
        "The terms of reference (KAK)",
    )
}

/// One party's number, signatory and surat kuasa on an agreement document.
#[must_use]
pub fn of_agreement_party(ordinal: u16) -> Act {
    act(
        Perm::CaseEdit,
        Owner::Party(ordinal),
        "Nomor dan penanda tangan naskah",
        "The document number and signatory",
    )
}

/// A comment on a clause, made for one party.
#[must_use]
pub fn of_comment(ordinal: u16) -> Act {
    act(
        Perm::CaseEdit,
        Owner::Party(ordinal),
        "Komentar atas nama",
        "A comment on behalf",
    )
}

/// A letter sent by one party.
#[must_use]
pub fn of_letter(ordinal: u16) -> Act {
    act(
        Perm::CaseEdit,
        Owner::Party(ordinal),
        "Surat dari",
        "A letter from",
    )
}

/// One party's signature evidence: its wet-ink scan and its checklist.
#[must_use]
pub fn of_scan(ordinal: u16, validate: bool) -> Act {
    if validate {
        act(
            Perm::CaseTransition,
            Owner::Party(ordinal),
            "Validasi pindaian naskah bertanda tangan",
            "Validating the signed scan",
        )
    } else {
        act(
            Perm::CaseEdit,
            Owner::Party(ordinal),
            "Pindaian naskah bertanda tangan",
            "The signed scan",
        )
    }
}

/// One party's electronic signature.
#[must_use]
pub fn of_signature(ordinal: u16) -> Act {
    act(
        Perm::AgreementSign,
        Owner::Party(ordinal),
        "Tanda tangan elektronik",
        "The electronic signature",
    )
}

/// One party's M&E form, or its review of one.
#[must_use]
pub fn of_evaluation(ordinal: u16) -> Act {
    act(
        Perm::Evaluate,
        Owner::Party(ordinal),
        "Formulir monitoring dan evaluasi",
        "The monitoring and evaluation form",
    )
}

/// One party's own regional programme (RPJMD/RKPD) linked to a field.
#[must_use]
pub fn of_programme(ordinal: u16) -> Act {
    act(
        Perm::CaseEdit,
        Owner::Party(ordinal),
        "Program RPJMD/RKPD",
        "The RPJMD/RKPD programme",
    )
}

/// Raising a dispute: the raising party's own act.
#[must_use]
pub fn of_dispute(ordinal: u16) -> Act {
    act(
        Perm::CaseEdit,
        Owner::Party(ordinal),
        "Perselisihan yang diajukan",
        "A dispute raised by",
    )
}

/// Shared content of the case (scope, objectives, meetings, drafts), edited by any party.
#[must_use]
pub fn of_shared_content() -> Act {
    act(
        Perm::CaseEdit,
        Owner::AnyParty,
        "Isi bersama",
        "The shared content",
    )
}

/// The party a principal belongs to in a case.
#[must_use]
pub fn own_party<'a>(p: &Principal, case: &'a Case) -> Option<&'a Party> {
    let region = p.region.as_deref()?;
    case.parties
        .iter()
        .find(|x| x.region.as_ref().is_some_and(|r| r.as_str() == region))
}

/// The caller's relation to the case, with the rule that before the offer the case is the
/// initiator's internal work: another party does not see it then (unless it is published).
#[must_use]
pub fn relation(p: &Principal, case: &Case) -> Relation {
    let regions: Vec<String> = case
        .parties
        .iter()
        .filter_map(|x| x.region.as_ref().map(ToString::to_string))
        .collect();
    p.relation_to_case(&regions)
}

/// Whether the caller may read a case: published cases are open to all; otherwise its parties
/// (a partner only once the offer has reached it) and its overseers. `unit_involved` says
/// whether an OPD implementer's unit is recorded in the case.
#[must_use]
pub fn may_read(
    p: &Principal,
    relation: Relation,
    published: bool,
    offered: bool,
    unit_involved: bool,
) -> bool {
    if published {
        return true;
    }
    if relation == Relation::Partner && !offered {
        return false;
    }
    p.may(Perm::CaseRead, relation, unit_involved)
}

/// Checks that the caller may do `act` on `case`: the role grants its permission under the
/// caller's relation to the case, and the act is the caller's own party's. The operator keeps
/// its installation role (it may act for any party; the audit names it as the operator).
///
/// `on_behalf` names the party an operator acts for, when the request says so.
///
/// # Errors
/// `auth.forbidden` when the role does not allow it, `auth.not_your_act` when the act belongs
/// to another party, naming whose act it is.
pub fn authorize(
    p: &Principal,
    case: &Case,
    act: &Act,
    unit_involved: bool,
    on_behalf: Option<u16>,
) -> Result<Acting, DomainError> {
    // A party's own act is judged on that party's side (the side's own records need
    // `Own`); shared steps on the caller's relation to the case.
    let rel = match act.owner {
        Owner::Party(o) => match case.party(o).and_then(|x| x.region.as_ref()) {
            Some(r) => {
                let regions: Vec<String> = case
                    .parties
                    .iter()
                    .filter_map(|x| x.region.as_ref().map(ToString::to_string))
                    .collect();
                p.relation_to_side(r.as_str(), &regions)
            }
            None => relation(p, case),
        },
        _ => relation(p, case),
    };
    if !p.may(act.perm, rel, unit_involved) {
        // Another party's own record, which the caller's role could edit on its own side:
        // say whose act it is rather than only "not allowed".
        let would_on_own_side = matches!(act.owner, Owner::Party(_))
            && own_party(p, case).is_some()
            && p.may(act.perm, Relation::Own, unit_involved);
        if !would_on_own_side {
            return Err(DomainError::Forbidden {
                perm: act.perm.as_str(),
            });
        }
    }
    if p.has(Role::Operator) {
        let party = match act.owner {
            Owner::Party(o) => Some(o),
            Owner::Addressee => on_behalf.or_else(|| single_addressee(case)),
            Owner::AnyParty => on_behalf,
        };
        return Ok(Acting {
            party,
            operator: true,
        });
    }
    let Some(mine) = own_party(p, case) else {
        return Err(DomainError::Forbidden {
            perm: act.perm.as_str(),
        });
    };
    let refuse = |owner: &Party| DomainError::NotYourAct {
        act_id: act.name_id.to_owned(),
        act_en: act.name_en.to_owned(),
        owner: owner.short_name().to_owned(),
        caller: Some(mine.short_name().to_owned()),
    };
    match act.owner {
        Owner::Party(o) if o != mine.ordinal => {
            let owner = case
                .party(o)
                .ok_or_else(|| DomainError::not_found("party", o))?;
            Err(refuse(owner))
        }
        Owner::Addressee if Some(mine.ordinal) == case.initiator().map(|i| i.ordinal) => {
            let owner = case
                .parties
                .iter()
                .find(|x| x.region.is_some() && x.ordinal != mine.ordinal)
                .unwrap_or(mine);
            Err(refuse(owner))
        }
        _ => {
            if let Some(o) = on_behalf
                && o != mine.ordinal
                && let Some(owner) = case.party(o)
            {
                return Err(refuse(owner));
            }
            Ok(Acting {
                party: Some(mine.ordinal),
                operator: false,
            })
        }
    }
}

/// The one government party that received the offer, in a bilateral case.
fn single_addressee(case: &Case) -> Option<u16> {
    let mut it = case.government_parties().skip(1);
    match (it.next(), it.next()) {
        (Some(a), None) => Some(a.ordinal),
        _ => None,
    }
}

/// The steps of the path the caller may take now: allowed from the stage, granted to the
/// role, and the caller's own party's. (Guards may still refuse them.)
#[must_use]
pub fn available_steps(p: &Principal, case: &Case, unit_involved: bool) -> Vec<&'static str> {
    let mine = own_party(p, case);
    let operator = p.has(Role::Operator);
    let mut names = crate::workflow::actions_from(case.stage);
    if !case.stage.is_final() {
        names.push("withdraw_proposal");
    }
    names
        .into_iter()
        .filter(|name| match *name {
            "withdraw_proposal" => mine.is_some_and(|m| m.acts.consent.is_some()),
            "record_dprd_decision" => {
                operator
                    || mine.is_some_and(|m| {
                        m.dprd.approved.is_none() && m.dprd.burdens_public.is_some()
                    })
            }
            "review_offer" | "record_reply" => {
                operator || mine.is_some_and(|m| m.acts.reply.is_none())
            }
            _ => true,
        })
        .filter(|name| {
            let sample = crate::workflow::sample_action(name, mine.map(|m| m.ordinal).or(Some(1)));
            sample.is_some_and(|a| {
                authorize(p, case, &of_step(&a, case), unit_involved, None).is_ok()
            })
        })
        .collect()
}

/// Whether the case's internal stages are past (the offer went out or came in).
#[must_use]
pub fn offered_at(stage: Stage) -> bool {
    !matches!(
        stage,
        Stage::UsulanDraft
            | Stage::DiajukanKeTkksd
            | Stage::KajianTkksd
            | Stage::PerluPerbaikan
            | Stage::DitolakInternal
            | Stage::PenawaranDisiapkan
            | Stage::Dibatalkan
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{CaseKind, Contact, Direction, DprdAssessment, PartyActs, PartyStatus};
    use crate::ids::CaseId;
    use crate::region::RegionCode;

    fn party(ordinal: u16, code: &str, name: &str) -> Party {
        Party {
            ordinal,
            region: Some(RegionCode::parse(code).unwrap()),
            name: name.into(),
            status: PartyStatus::Persiapan,
            document_number: None,
            signatory: None,
            contact: Contact::default(),
            dprd: DprdAssessment::default(),
            acts: PartyActs::default(),
        }
    }

    fn case(stage: Stage, offered: bool) -> Case {
        let t = time::macros::datetime!(2026-01-01 00:00 UTC);
        Case {
            id: CaseId::new_v7(t),
            kind: CaseKind::KsddSukarela,
            direction: Direction::Keluar,
            title: "Uji".into(),
            object: None,
            background: None,
            stage,
            version: 1,
            published: false,
            fictional: false,
            offered,
            predecessor: None,
            parties: vec![
                party(1, "62", "Pemerintah Provinsi Kalimantan Tengah"),
                party(2, "51", "Pemerintah Provinsi Bali"),
            ],
            fields: vec![],
            objectives: vec![],
            sources: vec![],
            termination: None,
            rule_set: None,
            created_at: t,
            updated_at: t,
        }
    }

    fn admin(region: &str) -> Principal {
        let mut p = Principal::anonymous();
        p.region = Some(region.into());
        p.roles = vec![Role::Admin];
        p.can_write = true;
        p.username = format!("admin-{region}");
        p
    }

    #[test]
    fn one_party_cannot_record_the_other_partys_dprd_decision() {
        let c = case(Stage::MenungguDprd, true);
        let step = Action::RecordDprdDecision {
            party: 2,
            approved: true,
            decision_number: None,
            decision_date: time::macros::date!(2026 - 01 - 01),
        };
        let e = authorize(&admin("62"), &c, &of_step(&step, &c), false, None).unwrap_err();
        assert_eq!(e.code(), "auth.not_your_act");
        assert!(
            e.message(crate::Lang::Id)
                .starts_with("Keputusan DPRD Provinsi Bali dicatat oleh pengguna Provinsi Bali"),
            "{}",
            e.message(crate::Lang::Id)
        );
        let ok = authorize(&admin("51"), &c, &of_step(&step, &c), false, None).unwrap();
        assert_eq!(ok.party, Some(2));
        assert!(authorize(&Principal::operator(), &c, &of_step(&step, &c), false, None).is_ok());
    }

    #[test]
    fn the_partner_neither_sees_nor_steers_the_internal_draft() {
        let c = case(Stage::UsulanDraft, false);
        let bali = admin("51");
        assert!(!may_read(&bali, relation(&bali, &c), false, false, false));
        let kalteng = admin("62");
        assert!(may_read(
            &kalteng,
            relation(&kalteng, &c),
            false,
            false,
            false
        ));
        for step in [Action::Submit, Action::Cancel] {
            assert_eq!(
                authorize(&bali, &c, &of_step(&step, &c), false, None)
                    .unwrap_err()
                    .code(),
                "auth.not_your_act"
            );
            assert!(authorize(&kalteng, &c, &of_step(&step, &c), false, None).is_ok());
        }
    }

    #[test]
    fn only_the_addressee_answers_the_offer() {
        let c = case(Stage::MenungguJawaban, true);
        let reply = Action::RecordReply {
            accepted: true,
            letter: None,
            party: None,
        };
        assert_eq!(
            authorize(&admin("62"), &c, &of_step(&reply, &c), false, None)
                .unwrap_err()
                .code(),
            "auth.not_your_act"
        );
        assert_eq!(
            authorize(&admin("51"), &c, &of_step(&reply, &c), false, None)
                .unwrap()
                .party,
            Some(2)
        );
        // Naming the other party explicitly is refused too.
        assert!(authorize(&admin("51"), &c, &of_step(&reply, &c), false, Some(1)).is_err());
    }

    #[test]
    fn a_role_without_the_permission_is_refused_before_the_party_question() {
        let c = case(Stage::MenungguJawaban, true);
        let mut dprd = admin("51");
        dprd.roles = vec![Role::Dprd];
        let e = authorize(
            &dprd,
            &c,
            &of_step(&Action::MarkOfferDelivered, &c),
            false,
            None,
        )
        .unwrap_err();
        assert_eq!(e.code(), "auth.forbidden");
    }

    #[test]
    fn steps_offered_to_each_side_are_its_own() {
        let c = case(Stage::PenawaranDikirim, true);
        assert!(!available_steps(&admin("62"), &c, false).contains(&"record_reply"));
        let bali = available_steps(&admin("51"), &c, false);
        assert!(bali.contains(&"record_reply") && bali.contains(&"mark_offer_delivered"));
    }
}
