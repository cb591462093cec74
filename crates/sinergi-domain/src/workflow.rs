//! The regulated path of a case (domain.md §5) as guarded transitions. A transition is
//! planned here, purely; the store applies the plan atomically with its history row.

use crate::agreement::{Agreement, AgreementKind, AgreementStatus, check_kb_signable};
use crate::case::{Case, Direction, Stage, Termination, TerminationReason};
use crate::error::{DomainError, FieldError};
use crate::ids::{LetterId, OfficialId};
use crate::letter::{Attachment, Letter, LetterKind};
use crate::official::{OfficeKind, Official};
use crate::region::RegionCode;
use crate::rules::RuleSet;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// TKKSD recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    Layak,
    Perbaikan,
    TidakLayak,
}

/// A requested transition with the data it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// USULAN_DRAFT → DIAJUKAN_KE_TKKSD.
    Submit,
    /// DIAJUKAN_KE_TKKSD or PENAWARAN_MASUK → KAJIAN_TKKSD.
    StartReview,
    /// KAJIAN_TKKSD → PENAWARAN_DISIAPKAN / JAWABAN_DIKIRIM (layak), PERLU_PERBAIKAN, DITOLAK_INTERNAL.
    Recommend {
        recommendation: Recommendation,
        reviewer: OfficialId,
    },
    /// PERLU_PERBAIKAN → DIAJUKAN_KE_TKKSD.
    Resubmit,
    /// PENAWARAN_DISIAPKAN → PENAWARAN_DIKIRIM, with the offer letter signed by the kepala daerah.
    SendOffer { letter: LetterId },
    /// PENAWARAN_DIKIRIM → MENUNGGU_JAWABAN.
    MarkOfferDelivered,
    /// PENAWARAN_DIKIRIM or MENUNGGU_JAWABAN → PENYUSUNAN_KB (accepted) or DITOLAK_MITRA.
    RecordReply {
        accepted: bool,
        letter: Option<LetterId>,
    },
    /// JAWABAN_DIKIRIM → PENYUSUNAN_KB.
    StartDrafting,
    /// PENYUSUNAN_KB → KB_FINAL, once the KB draft exists.
    FinalizeKb,
    /// KB_FINAL → PENYUSUNAN_KB.
    ReopenKb,
    /// KB_FINAL → KB_DITANDATANGANI.
    SignKb,
    /// KB_DITANDATANGANI → MENUNGGU_DPRD or AKTIF, from the parties' DPRD assessments.
    Activate,
    /// MENUNGGU_DPRD → MENUNGGU_DPRD, AKTIF or DITOLAK_DPRD.
    RecordDprdDecision {
        party: u16,
        approved: bool,
        decision_number: Option<String>,
        decision_date: Date,
    },
    /// AKTIF → BERAKHIR.
    End {
        reason: TerminationReason,
        effective_on: Date,
    },
    /// AKTIF → DIAKHIRI_DINI, with a written notice.
    TerminateEarly {
        reason: TerminationReason,
        effective_on: Date,
        notice_letter: LetterId,
    },
    /// Any open stage before AKTIF → DIBATALKAN.
    Cancel,
}

impl Action {
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::StartReview => "start_review",
            Self::Recommend { .. } => "recommend",
            Self::Resubmit => "resubmit",
            Self::SendOffer { .. } => "send_offer",
            Self::MarkOfferDelivered => "mark_offer_delivered",
            Self::RecordReply { .. } => "record_reply",
            Self::StartDrafting => "start_drafting",
            Self::FinalizeKb => "finalize_kb",
            Self::ReopenKb => "reopen_kb",
            Self::SignKb => "sign_kb",
            Self::Activate => "activate",
            Self::RecordDprdDecision { .. } => "record_dprd_decision",
            Self::End { .. } => "end",
            Self::TerminateEarly { .. } => "terminate_early",
            Self::Cancel => "cancel",
        }
    }
}

/// Every action name, for documentation and the UI.
pub const ACTION_NAMES: [&str; 16] = [
    "submit",
    "start_review",
    "recommend",
    "resubmit",
    "send_offer",
    "mark_offer_delivered",
    "record_reply",
    "start_drafting",
    "finalize_kb",
    "reopen_kb",
    "sign_kb",
    "activate",
    "record_dprd_decision",
    "end",
    "terminate_early",
    "cancel",
];

/// The actions whose stage precondition holds now (guards may still refuse them).
#[must_use]
pub fn actions_from(stage: Stage) -> Vec<&'static str> {
    use Stage as S;
    let mut v = match stage {
        S::UsulanDraft => vec!["submit"],
        S::DiajukanKeTkksd => vec!["start_review"],
        S::PenawaranMasuk => vec!["start_review"],
        S::KajianTkksd => vec!["recommend"],
        S::PerluPerbaikan => vec!["resubmit"],
        S::PenawaranDisiapkan => vec!["send_offer"],
        S::PenawaranDikirim => vec!["mark_offer_delivered", "record_reply"],
        S::MenungguJawaban => vec!["record_reply"],
        S::JawabanDikirim => vec!["start_drafting"],
        S::PenyusunanKb => vec!["finalize_kb"],
        S::KbFinal => vec!["sign_kb", "reopen_kb"],
        S::KbDitandatangani => vec!["activate"],
        S::MenungguDprd => vec!["record_dprd_decision"],
        S::Aktif => vec!["end", "terminate_early"],
        S::DitolakDprd => vec![],
        S::DitolakInternal | S::DitolakMitra | S::Berakhir | S::DiakhiriDini | S::Dibatalkan => {
            vec![]
        }
    };
    if can_cancel(stage) {
        v.push("cancel");
    }
    v
}

fn can_cancel(stage: Stage) -> bool {
    !stage.is_final() && !matches!(stage, Stage::Aktif)
}

/// Everything a transition may need to look at.
pub struct Context<'a> {
    pub letters: &'a [Letter],
    pub agreements: &'a [Agreement],
    pub officials: &'a dyn Fn(OfficialId) -> Option<Official>,
    /// Officials who are members of a TKKSD, with their region.
    pub tkksd_members: &'a [(RegionCode, OfficialId)],
    pub rules: &'a RuleSet,
    /// Today in the acting region's calendar.
    pub today: Date,
}

/// A requested transition with the caller's version and note.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct TransitionRequest {
    pub expected_version: i64,
    pub note: Option<String>,
    #[serde(flatten)]
    pub action: Action,
}

/// What applying a transition changes.
#[derive(Debug, Clone)]
pub struct Plan {
    pub case: Case,
    pub from: Stage,
    pub to: Stage,
    pub action: &'static str,
    pub note: Option<String>,
    pub details: serde_json::Value,
    /// The KB with its new status, when the transition moves it.
    pub kb: Option<Agreement>,
}

fn invalid(action: &Action, stage: Stage) -> DomainError {
    DomainError::InvalidTransition {
        action: action.name().to_owned(),
        stage: stage.as_str().to_owned(),
    }
}

/// Plans a transition of `case`.
///
/// # Errors
/// Stale version, an action not allowed from the stage, or a failed guard.
#[expect(
    clippy::too_many_lines,
    reason = "one arm per regulated step reads best as one table"
)]
pub fn plan(
    case: &Case,
    req: &TransitionRequest,
    ctx: &Context<'_>,
    now: OffsetDateTime,
) -> Result<Plan, DomainError> {
    use Stage as S;
    if req.expected_version != case.version {
        return Err(DomainError::VersionConflict {
            expected: req.expected_version,
            current: case.version,
        });
    }
    let note = req
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    if note.as_ref().is_some_and(|n| n.chars().count() > 5000) {
        return Err(DomainError::Validation(vec![FieldError::too_long(
            "note", 5000,
        )]));
    }
    let from = case.stage;
    let action = &req.action;
    let mut next = case.clone();
    let mut details = serde_json::Value::Null;
    let mut kb_update = None;
    let kb = ctx.agreements.iter().find(|a| a.kind == AgreementKind::Kb);
    let to = match (action, from) {
        (Action::Submit, S::UsulanDraft) | (Action::Resubmit, S::PerluPerbaikan) => {
            S::DiajukanKeTkksd
        }
        (Action::StartReview, S::DiajukanKeTkksd | S::PenawaranMasuk) => S::KajianTkksd,
        (
            Action::Recommend {
                recommendation,
                reviewer,
            },
            S::KajianTkksd,
        ) => {
            let reviewing: Vec<&RegionCode> = match case.direction {
                Direction::Keluar => case
                    .parties
                    .first()
                    .and_then(|p| p.region.as_ref())
                    .into_iter()
                    .collect(),
                Direction::Masuk => case
                    .parties
                    .iter()
                    .skip(1)
                    .filter_map(|p| p.region.as_ref())
                    .collect(),
            };
            let member = ctx
                .tkksd_members
                .iter()
                .any(|(r, o)| o == reviewer && reviewing.contains(&r));
            if !member {
                return Err(DomainError::guard(
                    "case.reviewer_not_tkksd_member",
                    "Rekomendasi kajian hanya dapat dicatat oleh anggota TKKSD daerah yang mengkaji.",
                    "A review recommendation can only be recorded by a member of the reviewing region's TKKSD.",
                ));
            }
            details = serde_json::json!({ "recommendation": recommendation, "reviewer": reviewer });
            match (recommendation, case.direction) {
                (Recommendation::Layak, Direction::Keluar) => S::PenawaranDisiapkan,
                (Recommendation::Layak, Direction::Masuk) => S::JawabanDikirim,
                (Recommendation::Perbaikan, _) => S::PerluPerbaikan,
                (Recommendation::TidakLayak, _) => S::DitolakInternal,
            }
        }
        (Action::SendOffer { letter }, S::PenawaranDisiapkan) => {
            let initiator = case.parties.first().and_then(|p| p.region.clone());
            let Some(l) = ctx.letters.iter().find(|l| l.id == *letter) else {
                return Err(DomainError::not_found("letter", letter));
            };
            if l.kind != LetterKind::Penawaran || l.from_region != initiator {
                return Err(DomainError::guard(
                    "case.offer_letter_required",
                    "Penawaran memerlukan surat berjenis penawaran dari pihak pemrakarsa.",
                    "Sending the offer needs a letter of kind penawaran from the initiating party.",
                ));
            }
            let signer = l.signatory.and_then(ctx.officials);
            if !signer.is_some_and(|o| {
                Some(&o.region) == initiator.as_ref() && o.office == OfficeKind::KepalaDaerah
            }) {
                return Err(DomainError::guard(
                    "case.offer_not_signed_by_head",
                    "Surat penawaran harus ditandatangani kepala daerah; perangkat daerah tidak dapat mengirim penawaran.",
                    "The offer letter must be signed by the head of region; an agency cannot send an offer.",
                ));
            }
            if !(l.attachments.contains(&Attachment::Kak)
                && l.attachments.contains(&Attachment::RancanganKb))
            {
                return Err(DomainError::guard(
                    "case.offer_attachments_missing",
                    "Surat penawaran harus dilampiri KAK dan rancangan Kesepakatan Bersama.",
                    "The offer letter must carry the KAK and the draft Kesepakatan Bersama.",
                ));
            }
            details = serde_json::json!({ "letter": letter });
            S::PenawaranDikirim
        }
        (Action::MarkOfferDelivered, S::PenawaranDikirim) => S::MenungguJawaban,
        (Action::RecordReply { accepted, letter }, S::PenawaranDikirim | S::MenungguJawaban) => {
            if let Some(id) = letter
                && !ctx.letters.iter().any(|l| l.id == *id)
            {
                return Err(DomainError::not_found("letter", id));
            }
            details = serde_json::json!({ "accepted": accepted, "letter": letter });
            if *accepted {
                S::PenyusunanKb
            } else {
                S::DitolakMitra
            }
        }
        (Action::StartDrafting, S::JawabanDikirim) => S::PenyusunanKb,
        (Action::FinalizeKb, S::PenyusunanKb) => {
            let Some(kb) = kb else {
                return Err(DomainError::guard(
                    "kb.draft_missing",
                    "Rancangan Kesepakatan Bersama belum dibuat.",
                    "The draft Kesepakatan Bersama does not exist yet.",
                ));
            };
            let mut k = kb.clone();
            k.status = AgreementStatus::Final;
            k.version += 1;
            k.updated_at = now;
            kb_update = Some(k);
            S::KbFinal
        }
        (Action::ReopenKb, S::KbFinal) => {
            if let Some(kb) = kb {
                let mut k = kb.clone();
                k.status = AgreementStatus::Penyusunan;
                k.version += 1;
                k.updated_at = now;
                kb_update = Some(k);
            }
            S::PenyusunanKb
        }
        (Action::SignKb, S::KbFinal) => {
            let Some(kb) = kb else {
                return Err(DomainError::guard(
                    "kb.draft_missing",
                    "Rancangan Kesepakatan Bersama belum dibuat.",
                    "The draft Kesepakatan Bersama does not exist yet.",
                ));
            };
            check_kb_signable(kb, ctx.officials, ctx.rules, ctx.today)?;
            let mut k = kb.clone();
            k.status = AgreementStatus::Ditandatangani;
            k.version += 1;
            k.updated_at = now;
            details = serde_json::json!({ "signed_on": k.signed_on, "place": k.place });
            kb_update = Some(k);
            S::KbDitandatangani
        }
        (Action::Activate, S::KbDitandatangani) => {
            let mut any_required = false;
            for p in case.parties.iter().filter(|p| p.region.is_some()) {
                match p.dprd.required(case.kind, ctx.rules) {
                    None => {
                        return Err(DomainError::guard(
                            "case.dprd_unassessed",
                            format!(
                                "Syarat persetujuan DPRD untuk {} belum dinilai (membebani masyarakat dan daerah; teranggarkan dalam APBD tahun berjalan).",
                                p.name
                            ),
                            format!(
                                "The DPRD approval conditions for {} are not assessed yet (burdens the public and region; budgeted in the current APBD).",
                                p.name
                            ),
                        ));
                    }
                    Some(true) => any_required = true,
                    Some(false) => {}
                }
            }
            details = serde_json::json!({ "dprd_required": any_required });
            if any_required {
                S::MenungguDprd
            } else {
                S::Aktif
            }
        }
        (
            Action::RecordDprdDecision {
                party,
                approved,
                decision_number,
                decision_date,
            },
            S::MenungguDprd,
        ) => {
            let kind = case.kind;
            let Some(p) = next.parties.iter_mut().find(|p| p.ordinal == *party) else {
                return Err(DomainError::not_found("party", party));
            };
            if p.dprd.required(kind, ctx.rules) != Some(true) {
                return Err(DomainError::guard(
                    "case.dprd_not_required",
                    format!("{} tidak memerlukan persetujuan DPRD.", p.name),
                    format!("{} does not need DPRD approval.", p.name),
                ));
            }
            if *decision_date > ctx.today {
                return Err(DomainError::guard(
                    "case.decision_in_future",
                    "Tanggal keputusan DPRD tidak boleh di masa depan.",
                    "The DPRD decision date cannot be in the future.",
                ));
            }
            p.dprd.approved = Some(*approved);
            p.dprd.decision_number.clone_from(decision_number);
            p.dprd.decision_date = Some(*decision_date);
            details = serde_json::json!({ "party": party, "approved": approved, "decision_number": decision_number, "decision_date": decision_date });
            let required: Vec<_> = next
                .parties
                .iter()
                .filter(|p| p.dprd.required(kind, ctx.rules) == Some(true))
                .collect();
            if required.iter().any(|p| p.dprd.approved == Some(false)) {
                S::DitolakDprd
            } else if required.iter().all(|p| p.dprd.approved == Some(true)) {
                S::Aktif
            } else {
                S::MenungguDprd
            }
        }
        (
            Action::End {
                reason,
                effective_on,
            },
            S::Aktif,
        ) => {
            next.termination = Some(Termination {
                reason: *reason,
                effective_on: *effective_on,
                note: note.clone(),
            });
            details = serde_json::json!({ "reason": reason, "effective_on": effective_on });
            S::Berakhir
        }
        (
            Action::TerminateEarly {
                reason,
                effective_on,
                notice_letter,
            },
            S::Aktif,
        ) => {
            if *reason == TerminationReason::JangkaWaktuHabis {
                return Err(DomainError::guard(
                    "case.early_termination_reason",
                    "Pengakhiran lebih awal tidak dapat beralasan jangka waktu habis; gunakan tindakan 'end'.",
                    "Early termination cannot give 'term expired' as its reason; use the 'end' action.",
                ));
            }
            if !ctx
                .letters
                .iter()
                .any(|l| l.id == *notice_letter && l.kind == LetterKind::PemberitahuanPengakhiran)
            {
                return Err(DomainError::guard(
                    "case.termination_notice_required",
                    "Pengakhiran lebih awal memerlukan surat pemberitahuan pengakhiran.",
                    "Early termination needs a written termination notice.",
                ));
            }
            next.termination = Some(Termination {
                reason: *reason,
                effective_on: *effective_on,
                note: note.clone(),
            });
            details = serde_json::json!({ "reason": reason, "effective_on": effective_on, "notice_letter": notice_letter });
            S::DiakhiriDini
        }
        (Action::Cancel, st) if can_cancel(st) => {
            if note.is_none() {
                return Err(DomainError::Validation(vec![FieldError::new(
                    "note",
                    "required",
                    "Pembatalan memerlukan alasan pada kolom catatan.",
                    "Cancelling needs a reason in the note.",
                )]));
            }
            S::Dibatalkan
        }
        _ => return Err(invalid(action, from)),
    };
    next.stage = to;
    next.version += 1;
    next.updated_at = now;
    Ok(Plan {
        case: next,
        from,
        to,
        action: action.name(),
        note,
        details,
        kb: kb_update,
    })
}

/// Plans recording an agreement that was already signed outside Sinergi (a legacy entry, or
/// a case reconstructed from published sources): the KB must pass the same signing checks,
/// and the case moves straight to KB_DITANDATANGANI with the note saying where it came from.
///
/// # Errors
/// A case already past signing or closed, a missing KB, or a failed signing check.
pub fn plan_record_signed(
    case: &Case,
    ctx: &Context<'_>,
    note: &str,
    now: OffsetDateTime,
) -> Result<Plan, DomainError> {
    if case.stage.is_final() || case.stage.kb_signed() {
        return Err(DomainError::InvalidTransition {
            action: "record_signed".into(),
            stage: case.stage.as_str().into(),
        });
    }
    let Some(kb) = ctx.agreements.iter().find(|a| a.kind == AgreementKind::Kb) else {
        return Err(DomainError::guard(
            "kb.draft_missing",
            "Rancangan Kesepakatan Bersama belum dibuat.",
            "The draft Kesepakatan Bersama does not exist yet.",
        ));
    };
    check_kb_signable(kb, ctx.officials, ctx.rules, ctx.today)?;
    let mut k = kb.clone();
    k.status = AgreementStatus::Ditandatangani;
    k.version += 1;
    k.updated_at = now;
    let mut next = case.clone();
    next.stage = Stage::KbDitandatangani;
    next.version += 1;
    next.updated_at = now;
    Ok(Plan {
        from: case.stage,
        to: Stage::KbDitandatangani,
        action: "record_signed",
        note: Some(note.to_owned()),
        details: serde_json::json!({ "signed_on": k.signed_on, "place": k.place }),
        case: next,
        kb: Some(k),
    })
}
