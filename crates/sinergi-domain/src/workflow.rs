//! The regulated path of a case (domain.md §5) as guarded transitions. A transition is
//! planned here, purely; the store applies the plan atomically with its history row.

use crate::agreement::{
    Agreement, AgreementKind, AgreementStatus, Evidence, FinalText, apply_evidence,
    check_kb_signable,
};
use crate::authority::Acting;
use crate::case::{
    Case, Direction, JointAct, JointConsent, OfferReply, OfferReview, PartyStatus, Stage,
    Termination, TerminationReason,
};
use crate::error::{DomainError, FieldError};
use crate::ids::{LetterId, OfficialId};
use crate::letter::{Attachment, Letter, LetterKind};
use crate::official::{Instrument, Official, may_sign};
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

impl Recommendation {
    pub const ALL: [Self; 3] = [Self::Layak, Self::Perbaikan, Self::TidakLayak];

    /// The stored and serialised name (`layak`, `perbaikan`, `tidak_layak`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Layak => "layak",
            Self::Perbaikan => "perbaikan",
            Self::TidakLayak => "tidak_layak",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
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
    /// PENAWARAN_DIKIRIM → MENUNGGU_JAWABAN: the addressee acknowledges receipt.
    MarkOfferDelivered,
    /// The addressee's own TKKSD reviews the offer it received (the stage stays).
    ReviewOffer {
        recommendation: Recommendation,
        reviewer: OfficialId,
        /// The addressee, when the operator records it (users act for their own party).
        #[serde(default)]
        party: Option<u16>,
    },
    /// The addressee answers with its reply letter: PENYUSUNAN_KB once every addressee
    /// accepted, DITOLAK_MITRA when one declines.
    RecordReply {
        accepted: bool,
        letter: Option<LetterId>,
        /// The addressee, when the operator records it (users act for their own party).
        #[serde(default)]
        party: Option<u16>,
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
    /// AKTIF → BERAKHIR: at the end of the term, or by agreement of every party (each
    /// party's consent is recorded until the last one's ends the cooperation).
    End {
        reason: TerminationReason,
        effective_on: Date,
        /// What remains owed when it ends (the act that ends it records it).
        #[serde(default)]
        outstanding_obligations: Option<String>,
    },
    /// AKTIF → DIAKHIRI_DINI, with a written notice.
    TerminateEarly {
        reason: TerminationReason,
        effective_on: Date,
        notice_letter: LetterId,
        /// What remains owed when it ends.
        #[serde(default)]
        outstanding_obligations: Option<String>,
    },
    /// Any open stage before AKTIF → DIBATALKAN: the initiator alone before the offer is
    /// sent; afterwards by agreement of every party.
    Cancel,
    /// Withdraws the caller's own party's pending consent to cancelling or ending.
    WithdrawProposal,
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
            Self::ReviewOffer { .. } => "review_offer",
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
            Self::WithdrawProposal => "withdraw_proposal",
        }
    }
}

/// Every action name, for documentation and the UI.
pub const ACTION_NAMES: [&str; 18] = [
    "submit",
    "start_review",
    "recommend",
    "resubmit",
    "send_offer",
    "mark_offer_delivered",
    "review_offer",
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
    "withdraw_proposal",
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
        S::PenawaranDikirim => vec!["mark_offer_delivered", "review_offer", "record_reply"],
        S::MenungguJawaban => vec!["review_offer", "record_reply"],
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

/// A representative request for an action name, to ask whose act it is (its data does not
/// matter, except the party of a DPRD decision, which is `own_party`).
#[must_use]
pub fn sample_action(name: &str, own_party: Option<u16>) -> Option<Action> {
    let d = time::Date::MIN;
    let official = OfficialId(uuid::Uuid::nil());
    let letter = LetterId(uuid::Uuid::nil());
    Some(match name {
        "submit" => Action::Submit,
        "start_review" => Action::StartReview,
        "recommend" => Action::Recommend {
            recommendation: Recommendation::Layak,
            reviewer: official,
        },
        "resubmit" => Action::Resubmit,
        "send_offer" => Action::SendOffer { letter },
        "mark_offer_delivered" => Action::MarkOfferDelivered,
        "review_offer" => Action::ReviewOffer {
            recommendation: Recommendation::Layak,
            reviewer: official,
            party: None,
        },
        "record_reply" => Action::RecordReply {
            accepted: true,
            letter: None,
            party: None,
        },
        "start_drafting" => Action::StartDrafting,
        "finalize_kb" => Action::FinalizeKb,
        "reopen_kb" => Action::ReopenKb,
        "sign_kb" => Action::SignKb,
        "activate" => Action::Activate,
        "record_dprd_decision" => Action::RecordDprdDecision {
            party: own_party?,
            approved: true,
            decision_number: None,
            decision_date: d,
        },
        "end" => Action::End {
            reason: TerminationReason::KesepakatanParaPihak,
            effective_on: d,
            outstanding_obligations: None,
        },
        "terminate_early" => Action::TerminateEarly {
            reason: TerminationReason::Wanprestasi,
            effective_on: d,
            notice_letter: letter,
            outstanding_obligations: None,
        },
        "cancel" => Action::Cancel,
        "withdraw_proposal" => Action::WithdrawProposal,
        _ => return None,
    })
}

/// The obligations still owed, as written (at most 4,000 characters).
fn obligations(text: Option<&str>) -> Result<Option<String>, DomainError> {
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    if text.is_some_and(|t| t.chars().count() > 4000) {
        return Err(DomainError::Validation(vec![FieldError::new(
            "outstanding_obligations",
            "too_long",
            "Uraian kewajiban yang tersisa paling banyak 4.000 karakter.",
            "The outstanding obligations take at most 4,000 characters.",
        )]));
    }
    Ok(text.map(str::to_owned))
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
    /// The KB's final text and each party's signature evidence, when it has one.
    pub kb_text: Option<&'a FinalText>,
    /// The history label of the acting user, for recorded consents.
    pub actor: &'a str,
    /// The parties (ordinals) that have written their KAK.
    pub kak_parties: &'a [u16],
    /// The central government's answers (KSDPL, KSDLL).
    pub central_approvals: &'a [crate::central_approval::CentralApproval],
}

/// A requested transition with the caller's version and note.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct TransitionRequest {
    pub expected_version: i64,
    pub note: Option<String>,
    /// The TKKSD meeting behind a `recommend` or `review_offer` (date, mode, attendees,
    /// minutes); recorded with the step as the kajian.
    #[serde(default)]
    pub kajian: Option<crate::kajian::KajianInput>,
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
    /// The letter the act sends (the offer, a reply, a termination notice): from now on it
    /// counts as sent and can no longer be corrected or withdrawn.
    pub sent_letter: Option<LetterId>,
    /// The TKKSD kajian the step records (`recommend`, `review_offer`).
    pub kajian: Option<crate::kajian::Kajian>,
}

fn invalid(action: &Action, stage: Stage) -> DomainError {
    DomainError::InvalidTransition {
        action: action.name().to_owned(),
        stage: stage.as_str().to_owned(),
    }
}

/// The party an act is recorded for: the acting party, or — for the operator — the one the
/// request names.
fn acting_party(acting: &Acting, named: Option<u16>) -> Result<u16, DomainError> {
    acting.party.or(named).ok_or_else(|| {
        DomainError::Validation(vec![FieldError::new(
            "party",
            "required",
            "Sebutkan pihak yang dicatat (party).",
            "Name the party this is recorded for (party).",
        )])
    })
}

/// The government parties that received the offer (every one but the initiator).
fn addressees(case: &Case) -> Vec<u16> {
    case.government_parties()
        .skip(1)
        .map(|p| p.ordinal)
        .collect()
}

/// The terms of a joint act: its reason, effective date and note.
type Terms = (Option<TerminationReason>, Option<Date>, Option<String>);

/// Records one party's consent to a joint act; `Some((reason, effective_on, note))` once every
/// government party has consented (or the operator acts with its installation role), with the
/// first proposer's terms.
fn consent(
    next: &mut Case,
    act: JointAct,
    acting: &Acting,
    terms: Terms,
    ctx: &Context<'_>,
) -> Result<Option<Terms>, DomainError> {
    if acting.operator && acting.party.is_none() {
        return Ok(Some(terms));
    }
    let me = acting_party(acting, None)?;
    let proposal = next
        .parties
        .iter()
        .filter(|p| p.ordinal != me)
        .find_map(|p| p.acts.consent.clone().filter(|c| c.act == act));
    if let Some(p) = &proposal {
        let differs = (terms.0.is_some() && terms.0 != p.reason)
            || (terms.1.is_some() && terms.1 != p.effective_on);
        if differs {
            return Err(DomainError::guard(
                "case.joint_terms_differ",
                format!(
                    "Pihak lain sudah mengusulkan {} dengan alasan dan tanggal berlaku tertentu; setujui usulan yang sama (tanpa mengubah alasan dan tanggal) atau bahas dahulu.",
                    act.label(crate::Lang::Id)
                ),
                format!(
                    "Another party has proposed {} with a given reason and effective date; consent to the same proposal (without changing them) or discuss it first.",
                    act.label(crate::Lang::En)
                ),
            ));
        }
    }
    let party = next
        .parties
        .iter_mut()
        .find(|p| p.ordinal == me)
        .ok_or_else(|| DomainError::not_found("party", me))?;
    if party.acts.consent.as_ref().is_some_and(|c| c.act == act) {
        return Err(DomainError::guard(
            "case.already_consented",
            format!(
                "{} sudah menyetujui {}; menunggu persetujuan pihak lain.",
                party.short_name(),
                act.label(crate::Lang::Id)
            ),
            format!(
                "{} has already consented to {}; waiting for the other parties.",
                party.short_name(),
                act.label(crate::Lang::En)
            ),
        ));
    }
    let (reason, effective_on, note) = match &proposal {
        Some(p) => (p.reason, p.effective_on, p.note.clone().or(terms.2)),
        None => terms,
    };
    party.acts.consent = Some(JointConsent {
        act,
        reason,
        effective_on,
        note: note.clone(),
        by: ctx.actor.to_owned(),
        on: ctx.today,
    });
    let all = next
        .government_parties()
        .all(|p| p.acts.consent.as_ref().is_some_and(|c| c.act == act));
    Ok(all.then_some((reason, effective_on, note)))
}

/// Plans a transition of `case`, taken by `acting` (the party the caller acts for, as the
/// authority check found it).
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
    acting: &Acting,
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
    let mut sent_letter = None;
    let mut kajian = None;
    let mut name = action.name();
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
            let reviewing: Vec<u16> = match case.direction {
                Direction::Keluar => vec![1],
                Direction::Masuk => match acting.party {
                    Some(o) if o != 1 => vec![o],
                    _ => addressees(case),
                },
            };
            let regions: Vec<&RegionCode> = reviewing
                .iter()
                .filter_map(|o| case.party(*o).and_then(|p| p.region.as_ref()))
                .collect();
            let member = ctx
                .tkksd_members
                .iter()
                .any(|(r, o)| o == reviewer && regions.contains(&r));
            if !member {
                return Err(DomainError::guard(
                    "case.reviewer_not_tkksd_member",
                    "Rekomendasi kajian hanya dapat dicatat oleh anggota TKKSD daerah yang mengkaji.",
                    "A review recommendation can only be recorded by a member of the reviewing region's TKKSD.",
                ));
            }
            let reviewer_official = (ctx.officials)(*reviewer)
                .ok_or_else(|| DomainError::not_found("official", reviewer))?;
            if let (Some(party), Some(region)) = (reviewing.first(), regions.first()) {
                kajian = Some(req.kajian.clone().unwrap_or_default().check(
                    &crate::kajian::Reviewing {
                        party: *party,
                        region,
                        subject: if case.direction == Direction::Masuk {
                            crate::kajian::ReviewSubject::Penawaran
                        } else {
                            crate::kajian::ReviewSubject::Usulan
                        },
                        recommendation: *recommendation,
                        reviewer: &reviewer_official,
                    },
                    ctx.officials,
                    ctx.today,
                )?);
            }
            details = serde_json::json!({ "recommendation": recommendation, "reviewer": reviewer });
            if case.direction == Direction::Masuk {
                for p in next
                    .parties
                    .iter_mut()
                    .filter(|p| reviewing.contains(&p.ordinal))
                {
                    p.acts.offer_review = Some(OfferReview {
                        recommendation: *recommendation,
                        reviewer: *reviewer,
                        on: ctx.today,
                    });
                }
            }
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
            l.check_usable()?;
            if l.kind != LetterKind::Penawaran || l.from_region != initiator {
                return Err(DomainError::guard(
                    "case.offer_letter_required",
                    "Penawaran memerlukan surat berjenis penawaran dari pihak pemrakarsa.",
                    "Sending the offer needs a letter of kind penawaran from the initiating party.",
                ));
            }
            let signer = l.signatory.and_then(ctx.officials);
            match signer {
                Some(o) if Some(&o.region) == initiator.as_ref() => {
                    may_sign(Instrument::Penawaran, &o, false, ctx.rules)?;
                }
                _ => {
                    return Err(DomainError::guard(
                        "case.offer_not_signed_by_head",
                        "Surat penawaran harus ditandatangani kepala daerah; perangkat daerah tidak dapat mengirim penawaran.",
                        "The offer letter must be signed by the head of region; an agency cannot send an offer.",
                    ));
                }
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
            if !ctx.kak_parties.contains(&1) {
                return Err(crate::kak::missing_for_offer(
                    case.parties.first().map_or("", |p| p.name.as_str()),
                ));
            }
            details = serde_json::json!({ "letter": letter });
            sent_letter = Some(*letter);
            next.offered = true;
            if let Some(p) = next.parties.first_mut() {
                p.status = PartyStatus::PenawaranDikirim;
            }
            S::PenawaranDikirim
        }
        (Action::MarkOfferDelivered, S::PenawaranDikirim) => S::MenungguJawaban,
        (
            Action::ReviewOffer {
                recommendation,
                reviewer,
                party,
            },
            S::PenawaranDikirim | S::MenungguJawaban,
        ) => {
            let o = acting_party(acting, *party)?;
            if !addressees(case).contains(&o) {
                return Err(DomainError::guard(
                    "case.not_an_addressee",
                    "Kajian atas penawaran dicatat oleh pihak yang menerima penawaran.",
                    "The review of an offer is recorded by a party that received it.",
                ));
            }
            let region = case.party(o).and_then(|p| p.region.clone());
            let member = ctx
                .tkksd_members
                .iter()
                .any(|(r, m)| m == reviewer && Some(r) == region.as_ref());
            if !member {
                return Err(DomainError::guard(
                    "case.reviewer_not_tkksd_member",
                    "Rekomendasi kajian hanya dapat dicatat oleh anggota TKKSD daerah yang mengkaji.",
                    "A review recommendation can only be recorded by a member of the reviewing region's TKKSD.",
                ));
            }
            if let (Some(region), Some(reviewer_official)) = (&region, (ctx.officials)(*reviewer)) {
                kajian = Some(req.kajian.clone().unwrap_or_default().check(
                    &crate::kajian::Reviewing {
                        party: o,
                        region,
                        subject: crate::kajian::ReviewSubject::Penawaran,
                        recommendation: *recommendation,
                        reviewer: &reviewer_official,
                    },
                    ctx.officials,
                    ctx.today,
                )?);
            }
            if let Some(p) = next.parties.iter_mut().find(|p| p.ordinal == o) {
                p.acts.offer_review = Some(OfferReview {
                    recommendation: *recommendation,
                    reviewer: *reviewer,
                    on: ctx.today,
                });
                p.status = if *recommendation == Recommendation::Layak {
                    PartyStatus::DisetujuiTkksd
                } else {
                    PartyStatus::KajianTkksd
                };
            }
            details = serde_json::json!({ "party": o, "recommendation": recommendation, "reviewer": reviewer });
            from
        }
        (
            Action::RecordReply {
                accepted,
                letter,
                party,
            },
            S::PenawaranDikirim | S::MenungguJawaban,
        ) => {
            let outside = case.partners_outside();
            let external = !outside.is_empty();
            // A partner outside Sinergi answers by its own letter, which the initiator records;
            // a government addressee answers for itself.
            let (o, targets) = if external {
                (party.unwrap_or(outside[0]), outside)
            } else {
                (acting_party(acting, *party)?, addressees(case))
            };
            if !targets.contains(&o) {
                return Err(DomainError::guard(
                    "case.not_an_addressee",
                    "Jawaban atas penawaran dicatat oleh pihak yang menerima penawaran.",
                    "The reply to an offer is recorded by a party that received it.",
                ));
            }
            let p = case
                .party(o)
                .ok_or_else(|| DomainError::not_found("party", o))?;
            if p.acts.reply.is_some() {
                return Err(DomainError::guard(
                    "case.already_replied",
                    format!("{} sudah menjawab penawaran ini.", p.short_name()),
                    format!("{} has already answered this offer.", p.short_name()),
                ));
            }
            match letter {
                None if external && ctx.rules.reply_requires_letter && note.is_none() => {
                    return Err(DomainError::guard(
                        "case.external_reply_reference",
                        format!(
                            "Catat rujukan surat jawaban {} (nomor dan tanggalnya) pada catatan.",
                            p.short_name()
                        ),
                        format!(
                            "Note the reference of {}'s reply letter (its number and date).",
                            p.short_name()
                        ),
                    ));
                }
                None if external => {}
                Some(id) => {
                    let Some(l) = ctx.letters.iter().find(|l| l.id == *id) else {
                        return Err(DomainError::not_found("letter", id));
                    };
                    l.check_usable()?;
                    sent_letter = Some(*id);
                    if l.kind != LetterKind::Jawaban || l.from_region != p.region {
                        return Err(DomainError::guard(
                            "case.reply_letter_required",
                            format!(
                                "Jawaban memerlukan surat berjenis jawaban dari {} sendiri.",
                                p.short_name()
                            ),
                            format!(
                                "The reply needs a letter of kind jawaban from {} itself.",
                                p.short_name()
                            ),
                        ));
                    }
                }
                None if ctx.rules.reply_requires_letter => {
                    return Err(DomainError::guard(
                        "case.reply_letter_required",
                        format!(
                            "Catat dahulu surat jawaban {} (jenis: jawaban), lalu pilih surat itu pada jawaban.",
                            p.short_name()
                        ),
                        format!(
                            "First record {}'s reply letter (kind: jawaban), then choose it for the reply.",
                            p.short_name()
                        ),
                    ));
                }
                None => {}
            }
            // A partner outside Sinergi has no TKKSD here.
            if ctx.rules.reply_requires_tkksd_review && !external {
                match &p.acts.offer_review {
                    None => {
                        return Err(DomainError::guard(
                            "case.reply_needs_review",
                            format!(
                                "TKKSD {} belum mengkaji penawaran ini; catat kajiannya dahulu (aturan: penawaran dikaji sebelum dijawab).",
                                p.short_name()
                            ),
                            format!(
                                "{}'s TKKSD has not reviewed this offer yet; record its review first (rule: an offer is reviewed before it is answered).",
                                p.short_name()
                            ),
                        ));
                    }
                    Some(r) if *accepted && r.recommendation != Recommendation::Layak => {
                        return Err(DomainError::guard(
                            "case.reply_review_not_layak",
                            format!(
                                "Penawaran hanya dapat diterima setelah TKKSD {} merekomendasikannya layak.",
                                p.short_name()
                            ),
                            format!(
                                "The offer can only be accepted once {}'s TKKSD found it layak.",
                                p.short_name()
                            ),
                        ));
                    }
                    Some(_) => {}
                }
            }
            if let Some(p) = next.parties.iter_mut().find(|p| p.ordinal == o) {
                p.acts.reply = Some(OfferReply {
                    accepted: *accepted,
                    letter: *letter,
                    on: ctx.today,
                });
                p.status = if *accepted {
                    PartyStatus::PenawaranDiterima
                } else {
                    PartyStatus::JawabanDikirim
                };
            }
            details = serde_json::json!({ "party": o, "accepted": accepted, "letter": letter });
            let replies: Vec<Option<bool>> = targets
                .iter()
                .map(|t| {
                    next.party(*t)
                        .and_then(|x| x.acts.reply.as_ref())
                        .map(|r| r.accepted)
                })
                .collect();
            if replies.contains(&Some(false)) {
                S::DitolakMitra
            } else if replies.iter().all(|r| *r == Some(true)) {
                S::PenyusunanKb
            } else {
                from
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
            if let Some(text) = ctx.kb_text
                && let Some((o, _)) = text.signed.first()
            {
                let who = case.party(*o).map_or_else(
                    || crate::case::party_role(*o),
                    |p| p.short_name().to_owned(),
                );
                return Err(DomainError::guard(
                    "kb.reopen_after_signature",
                    format!(
                        "{who} sudah menandatangani naskah final; naskah tidak dapat dibuka kembali. Perubahan sesudah penandatanganan dilakukan dengan addendum."
                    ),
                    format!(
                        "{who} has already signed the final text; it cannot be reopened. Changes after signing are made by addendum."
                    ),
                ));
            }
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
            let mut k = kb.clone();
            if let Some(text) = ctx.kb_text {
                apply_evidence(&mut k, text, ctx.officials)?;
            }
            check_kb_signable(
                &k,
                case,
                ctx.officials,
                ctx.rules,
                ctx.today,
                Evidence::Required(ctx.kb_text),
            )?;
            crate::central_approval::check_for_signing(case, ctx.central_approvals)?;
            k.status = AgreementStatus::Ditandatangani;
            k.version += 1;
            k.updated_at = now;
            details = serde_json::json!({ "signed_on": k.signed_on, "place": k.place,
                "evidence": ctx.kb_text.map(|t| &t.signed) });
            for p in next.parties.iter_mut().filter(|p| p.region.is_some()) {
                p.status = PartyStatus::Ditandatangani;
            }
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
                                "Syarat persetujuan DPRD untuk {} belum dinilai (membebani masyarakat dan daerah; teranggarkan dalam APBD tahun berjalan). Penilaian itu dicatat oleh {} sendiri.",
                                p.name,
                                p.short_name()
                            ),
                            format!(
                                "The DPRD approval conditions for {} are not assessed yet (burdens the public and region; budgeted in the current APBD). {} records that assessment itself.",
                                p.name,
                                p.short_name()
                            ),
                        ));
                    }
                    Some(true) => any_required = true,
                    Some(false) => {}
                }
            }
            details = serde_json::json!({ "dprd_required": any_required });
            if any_required {
                for p in next.parties.iter_mut() {
                    if p.dprd.required(case.kind, ctx.rules) == Some(true) {
                        p.status = PartyStatus::MenungguDprd;
                    }
                }
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
            if p.dprd.approved.is_some() {
                return Err(DomainError::guard(
                    "case.dprd_already_decided",
                    format!("Keputusan DPRD {} sudah dicatat.", p.short_name()),
                    format!(
                        "The DPRD decision of {} is already recorded.",
                        p.short_name()
                    ),
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
            p.status = if *approved {
                PartyStatus::DisetujuiDprd
            } else {
                PartyStatus::DitolakDprd
            };
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
                outstanding_obligations,
            },
            S::Aktif,
        ) => {
            let outstanding = obligations(outstanding_obligations.as_deref())?;
            let term_over = kb
                .and_then(|k| k.ends_on)
                .is_some_and(|e| e <= ctx.today && e <= *effective_on);
            if *reason == TerminationReason::JangkaWaktuHabis && !term_over {
                return Err(DomainError::guard(
                    "case.term_not_over",
                    "Jangka waktu Kesepakatan Bersama belum habis; pengakhiran sebelumnya dilakukan atas kesepakatan para pihak atau dengan pengakhiran lebih awal (pemberitahuan tertulis).",
                    "The term of the Kesepakatan Bersama is not over; ending it earlier is done by agreement of the parties or by early termination with a written notice.",
                ));
            }
            let agreed = if term_over {
                Some((Some(*reason), Some(*effective_on), note.clone()))
            } else {
                consent(
                    &mut next,
                    JointAct::End,
                    acting,
                    (Some(*reason), Some(*effective_on), note.clone()),
                    ctx,
                )?
            };
            match agreed {
                Some((r, e, n)) => {
                    next.termination = Some(Termination {
                        reason: r.unwrap_or(*reason),
                        effective_on: e.unwrap_or(*effective_on),
                        note: n,
                        outstanding_obligations: outstanding,
                    });
                    details =
                        serde_json::json!({ "reason": r, "effective_on": e, "joint": !term_over });
                    S::Berakhir
                }
                None => {
                    name = "propose_end";
                    details = serde_json::json!({ "reason": reason, "effective_on": effective_on, "party": acting.party });
                    from
                }
            }
        }
        (
            Action::TerminateEarly {
                reason,
                effective_on,
                notice_letter,
                outstanding_obligations,
            },
            S::Aktif,
        ) => {
            let outstanding = obligations(outstanding_obligations.as_deref())?;
            if *reason == TerminationReason::JangkaWaktuHabis {
                return Err(DomainError::guard(
                    "case.early_termination_reason",
                    "Pengakhiran lebih awal tidak dapat beralasan jangka waktu habis; gunakan tindakan 'end'.",
                    "Early termination cannot give 'term expired' as its reason; use the 'end' action.",
                ));
            }
            let Some(notice) = ctx
                .letters
                .iter()
                .find(|l| l.id == *notice_letter && l.kind == LetterKind::PemberitahuanPengakhiran)
            else {
                return Err(DomainError::guard(
                    "case.termination_notice_required",
                    "Pengakhiran lebih awal memerlukan surat pemberitahuan pengakhiran.",
                    "Early termination needs a written termination notice.",
                ));
            };
            notice.check_usable()?;
            sent_letter = Some(*notice_letter);
            if let Some(o) = acting.party
                && !acting.operator
                && notice.from_region != case.party(o).and_then(|p| p.region.clone())
            {
                return Err(DomainError::guard(
                    "case.notice_from_other_party",
                    "Surat pemberitahuan pengakhiran harus dikirim oleh pihak yang mengakhiri.",
                    "The termination notice must be sent by the party that terminates.",
                ));
            }
            next.termination = Some(Termination {
                reason: *reason,
                effective_on: *effective_on,
                note: note.clone(),
                outstanding_obligations: outstanding,
            });
            details = serde_json::json!({ "reason": reason, "effective_on": effective_on, "notice_letter": notice_letter, "party": acting.party });
            S::DiakhiriDini
        }
        (Action::Cancel, st) if can_cancel(st) => {
            let internal = !case.offered;
            let proposal_pending = case.parties.iter().any(|p| {
                p.acts
                    .consent
                    .as_ref()
                    .is_some_and(|c| c.act == JointAct::Cancel)
            });
            if note.is_none() && (internal || !proposal_pending) {
                return Err(DomainError::Validation(vec![FieldError::new(
                    "note",
                    "required",
                    "Pembatalan memerlukan alasan pada kolom catatan.",
                    "Cancelling needs a reason in the note.",
                )]));
            }
            if internal {
                S::Dibatalkan
            } else {
                match consent(
                    &mut next,
                    JointAct::Cancel,
                    acting,
                    (None, None, note.clone()),
                    ctx,
                )? {
                    Some(_) => {
                        details = serde_json::json!({ "joint": true });
                        S::Dibatalkan
                    }
                    None => {
                        name = "propose_cancel";
                        details = serde_json::json!({ "party": acting.party });
                        from
                    }
                }
            }
        }
        (Action::WithdrawProposal, st) if !st.is_final() => {
            let o = acting_party(acting, None)?;
            let Some(p) = next.parties.iter_mut().find(|p| p.ordinal == o) else {
                return Err(DomainError::not_found("party", o));
            };
            let Some(c) = p.acts.consent.take() else {
                return Err(DomainError::guard(
                    "case.no_proposal",
                    "Pihak Anda tidak memiliki usulan pembatalan atau pengakhiran yang dapat ditarik.",
                    "Your party has no proposal to cancel or end that could be withdrawn.",
                ));
            };
            details = serde_json::json!({ "party": o, "act": c.act });
            from
        }
        _ => return Err(invalid(action, from)),
    };
    if to != from {
        for p in &mut next.parties {
            p.acts.consent = None;
        }
    }
    if req.kajian.is_some() && kajian.is_none() {
        return Err(DomainError::guard(
            "case.kajian_not_here",
            "Data rapat kajian TKKSD hanya dicatat bersama rekomendasi kajian (recommend atau review_offer).",
            "TKKSD review meeting data is recorded only with a review recommendation (recommend or review_offer).",
        ));
    }
    next.stage = to;
    next.version += 1;
    next.updated_at = now;
    Ok(Plan {
        case: next,
        from,
        to,
        action: name,
        note,
        details,
        kb: kb_update,
        sent_letter,
        kajian,
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
    check_kb_signable(
        kb,
        case,
        ctx.officials,
        ctx.rules,
        ctx.today,
        Evidence::Recorded,
    )?;
    let mut k = kb.clone();
    k.status = AgreementStatus::Ditandatangani;
    k.version += 1;
    k.updated_at = now;
    let mut next = case.clone();
    next.stage = Stage::KbDitandatangani;
    next.offered = true;
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
        sent_letter: None,
        kajian: None,
    })
}
