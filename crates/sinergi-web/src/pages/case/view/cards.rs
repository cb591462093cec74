//! The case page's cards built from the case's records: parties, fields, meetings and their
//! story, letters, history, and the actions a visitor may take now.

use super::{
    ActionForm, FieldRow, HistoryRow, LetterRow, MeetingCard, PartyCard, Records, Viewpoint,
};
use crate::pages::case::labels::{action_label, kind_label, letter_kind, stage_label, yes_no};
use crate::pages::common::*;
use crate::pages::{PageError, Visitor};
use crate::state::AppState;
use sinergi_domain::agreement::AgreementKind;
use sinergi_domain::case::{Case, JointAct, party_role};
use sinergi_domain::catalog::catalog;
use sinergi_domain::{Lang, locale};

/// The parties side by side: officials, number, signatory, DPRD gate.
pub(super) fn party_cards(r: &Records, v: &Visitor) -> Vec<PartyCard> {
    let lang = v.lang;
    r.case
        .parties
        .iter()
        .map(|p| {
            let code = p
                .region
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            let kb_party = r
                .agreements
                .iter()
                .find(|a| a.kind == AgreementKind::Kb)
                .and_then(|kb| kb.parties.iter().find(|x| x.ordinal == p.ordinal));
            PartyCard {
                role: party_role(p.ordinal),
                name: p.name.clone(),
                officials: r
                    .officials
                    .iter()
                    .filter(|o| o.region.as_str() == code)
                    .map(|o| format!("{} — {}", o.name, o.title()))
                    .collect(),
                unit: p.contact.unit.clone(),
                number: kb_party.and_then(|k| match (&k.number, k.number_unpublished) {
                    (Some(n), _) => Some(n.clone()),
                    (None, true) => Some(
                        lang.pick("nomor KB tidak dipublikasikan", "KB number not published")
                            .to_owned(),
                    ),
                    _ => None,
                }),
                signatory: p
                    .signatory
                    .and_then(|s| r.by_id.get(&s.to_string()))
                    .map(|o| format!("{} ({})", o.name, o.title())),
                dprd: match p.dprd.required(r.case.kind, &r.rules) {
                    None => lang
                        .pick(
                            "Syarat persetujuan DPRD belum dinilai",
                            "DPRD conditions not assessed",
                        )
                        .to_owned(),
                    Some(false) => lang
                        .pick(
                            "Tidak memerlukan persetujuan DPRD",
                            "No DPRD approval needed",
                        )
                        .to_owned(),
                    Some(true) => match p.dprd.approved {
                        Some(true) => lang
                            .pick("Disetujui DPRD", "Approved by the DPRD")
                            .to_owned(),
                        Some(false) => lang.pick("Ditolak DPRD", "Rejected by the DPRD").to_owned(),
                        None => lang
                            .pick("Memerlukan persetujuan DPRD", "Needs DPRD approval")
                            .to_owned(),
                    },
                },
                ordinal: p.ordinal,
                // Each party assesses its own DPRD conditions (the partner too).
                can_assess: sinergi_domain::authority::authorize(
                    &v.principal,
                    &r.case,
                    &sinergi_domain::authority::of_party_record(p.ordinal),
                    false,
                    None,
                )
                .is_ok(),
                burdens_public: yes_no(p.dprd.burdens_public),
                budgeted: yes_no(p.dprd.budgeted_in_current_apbd),
                justification: p.dprd.justification.clone().unwrap_or_default(),
                code,
            }
        })
        .collect()
}

/// The fields with their urusan.
pub(super) fn field_rows(case: &Case) -> Vec<FieldRow> {
    let cat = catalog();
    case.fields
        .iter()
        .map(|f| FieldRow {
            label: f.label.clone(),
            priority: f.priority,
            urusan: f
                .urusan
                .iter()
                .map(|u| {
                    cat.urusan
                        .iter()
                        .find(|x| &x.code == u)
                        .map_or_else(|| u.clone(), |x| format!("{} ({u})", x.name))
                })
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect()
}

/// The meetings, times in the host's zone and the parties'.
pub(super) fn meeting_cards(r: &Records, lang: Lang) -> Vec<MeetingCard> {
    let name_of = |code: &str| {
        r.case
            .parties
            .iter()
            .find(|p| p.region.as_ref().is_some_and(|c| c.as_str() == code))
            .map_or_else(|| code.to_owned(), |p| p.name.clone())
    };
    r.meetings
        .iter()
        .map(|m| MeetingCard {
            kind: kind_label(m.kind, lang).to_owned(),
            title: m.title.clone(),
            date: locale::date_long(m.date, lang),
            time: m
                .start_time
                .map(|t| locale::time_label(t, m.timezone, &r.zones, lang)),
            place: m.place.clone(),
            host: name_of(m.host_region.as_str()),
            participants: m
                .participants
                .iter()
                .map(|p| format!("{} — {}", p.name, p.position))
                .collect(),
            agenda: m.agenda.clone(),
            minutes: m.minutes.clone(),
            outcomes: m.outcomes.clone(),
            next_steps: m
                .next_steps
                .iter()
                .map(|n| match n.due_on {
                    Some(d) => format!("{} ({})", n.text, locale::date_long(d, lang)),
                    None => n.text.clone(),
                })
                .collect(),
        })
        .collect()
}

/// The case told as a story, one line per meeting.
pub(super) fn story(meetings: &[sinergi_domain::meeting::Meeting], lang: Lang) -> Vec<String> {
    let mut story = Vec::new();
    for m in meetings {
        let who: Vec<String> = m
            .participants
            .iter()
            .map(|p| format!("{} ({})", p.name, p.position))
            .collect();
        let mut s = format!(
            "{}, {}: {}",
            locale::date_long(m.date, lang),
            m.place,
            kind_label(m.kind, lang)
        );
        if !who.is_empty() {
            s.push_str(&format!(" — {}", who.join(lang.pick(" dan ", " and "))));
        }
        if let Some(o) = m.outcomes.first() {
            s.push_str(&format!(". {o}"));
        }
        story.push(s);
    }
    story
}

/// The letters with their state; the visitor's own party's letters not yet sent carry what
/// the correction form needs.
pub(super) fn letter_rows(
    letters: &[sinergi_domain::letter::Letter],
    vp: &Viewpoint,
    can_edit: bool,
    v: &Visitor,
) -> Vec<LetterRow> {
    use sinergi_domain::letter::{Attachment, LetterKind};
    let lang = v.lang;
    letters
        .iter()
        .map(|l| {
            let pending = l.sent_at.is_none() && l.withdrawn_at.is_none();
            let status = match (l.withdrawn_at, l.sent_at) {
                (Some(at), _) => format!("{} {}", lang.pick("Ditarik", "Withdrawn"), v.stamp(at)),
                (None, Some(at)) => format!("{} {}", lang.pick("Dikirim", "Sent"), v.stamp(at)),
                (None, None) => lang
                    .pick(
                        "Belum dikirim — pengirim masih dapat memperbaiki atau menariknya",
                        "Not sent yet — its sender may still correct or withdraw it",
                    )
                    .to_owned(),
            };
            LetterRow {
                id: l.id.to_string(),
                version: l.version,
                kind: letter_kind(l.kind, lang).to_owned(),
                number: l.number.clone().unwrap_or_else(|| "—".to_owned()),
                date: locale::date_short(l.date, lang),
                subject: l.subject.clone(),
                status,
                pending,
                withdrawn: l.withdrawn_at.is_some(),
                editable: pending && can_edit && vp.is_own(l.from_region.as_ref()),
                marked_by_sender: !matches!(
                    l.kind,
                    LetterKind::Penawaran
                        | LetterKind::Jawaban
                        | LetterKind::PemberitahuanPengakhiran
                ),
                kind_code: l.kind.as_str().to_owned(),
                number_raw: l.number.clone().unwrap_or_default(),
                date_iso: l.date.to_string(),
                from_region: l
                    .from_region
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                to_region: l
                    .to_region
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                signatory: l.signatory.map(|s| s.to_string()).unwrap_or_default(),
                srikandi_ref: l.srikandi_ref.clone().unwrap_or_default(),
                kak: l.attachments.contains(&Attachment::Kak),
                draft_kb: l.attachments.contains(&Attachment::RancanganKb),
            }
        })
        .collect()
}

/// The history, newest first.
pub(super) fn history_rows(history: &[sinergi_store::HistoryEntry], lang: Lang) -> Vec<HistoryRow> {
    history
        .iter()
        .rev()
        .map(|h| HistoryRow {
            when: {
                let d = h
                    .at
                    .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC));
                format!(
                    "{} {} WIB",
                    locale::date_short(d.date(), lang),
                    locale::time_hm(d.time())
                )
            },
            actor: h.actor.clone(),
            action: action_label(&h.action, lang),
            change: match (&h.from_stage, &h.to_stage) {
                (Some(f), Some(t)) if f != t => Some(format!(
                    "{} → {}",
                    stage_label(f, lang),
                    stage_label(t, lang)
                )),
                (None, Some(t)) => Some(stage_label(t, lang)),
                _ => None,
            },
            note: h.note.clone(),
        })
        .collect()
}

/// The steps the visitor may take now, as forms: only their own party's; a joint act
/// proposed by another party reads "consent".
pub(super) fn action_forms(case: &Case, v: &Visitor, unit_involved: bool) -> Vec<ActionForm> {
    let lang = v.lang;
    let mine = sinergi_domain::authority::own_party(&v.principal, case);
    let proposed_by_other = |act: JointAct| {
        case.parties.iter().any(|p| {
            Some(p.ordinal) != mine.map(|m| m.ordinal)
                && p.acts.consent.as_ref().is_some_and(|c| c.act == act)
        })
    };
    if v.staff {
        sinergi_domain::authority::available_steps(&v.principal, case, unit_involved)
            .into_iter()
            .map(|a| {
                let mut f = action_form(a, lang);
                if a == "cancel" && case.offered && proposed_by_other(JointAct::Cancel) {
                    f.label = lang
                        .pick("Setujui pembatalan", "Consent to cancelling")
                        .to_owned();
                }
                if a == "end" && proposed_by_other(JointAct::End) {
                    f.label = lang
                        .pick("Setujui pengakhiran", "Consent to ending")
                        .to_owned();
                }
                f
            })
            .collect()
    } else {
        Vec::new()
    }
}

pub(crate) fn action_form(a: &'static str, lang: Lang) -> ActionForm {
    let label = match a {
        "submit" => lang.pick("Ajukan ke TKKSD", "Submit to the TKKSD"),
        "start_review" => lang.pick("Mulai kajian TKKSD", "Start the TKKSD review"),
        "recommend" => lang.pick("Catat rekomendasi TKKSD", "Record the TKKSD recommendation"),
        "resubmit" => lang.pick("Ajukan kembali", "Resubmit"),
        "send_offer" => lang.pick("Kirim penawaran", "Send the offer"),
        "mark_offer_delivered" => lang.pick(
            "Tandai surat penawaran sudah diterima",
            "Acknowledge receipt of the offer letter",
        ),
        "review_offer" => lang.pick(
            "Catat kajian TKKSD atas penawaran",
            "Record the TKKSD review of the offer",
        ),
        "record_reply" => lang.pick(
            "Catat jawaban atas penawaran",
            "Record the reply to the offer",
        ),
        "withdraw_proposal" => lang.pick("Tarik usulan", "Withdraw the proposal"),
        "start_drafting" => lang.pick("Mulai penyusunan KB", "Start drafting the KB"),
        "finalize_kb" => lang.pick("Tetapkan naskah KB final", "Mark the KB final"),
        "reopen_kb" => lang.pick("Buka kembali naskah KB", "Reopen the KB draft"),
        "sign_kb" => lang.pick("Catat penandatanganan KB", "Record the KB signing"),
        "activate" => lang.pick(
            "Periksa persetujuan DPRD dan aktifkan",
            "Check the DPRD gate and activate",
        ),
        "record_dprd_decision" => lang.pick("Catat keputusan DPRD", "Record the DPRD decision"),
        "end" => lang.pick("Akhiri kerja sama", "End the cooperation"),
        "terminate_early" => lang.pick("Akhiri lebih awal", "Terminate early"),
        "cancel" => lang.pick("Batalkan", "Cancel"),
        _ => a,
    };
    ActionForm {
        action: a,
        label: label.to_owned(),
        needs_reviewer: matches!(a, "recommend" | "review_offer"),
        needs_letter: match a {
            "send_offer" => Some("penawaran"),
            "record_reply" => Some("jawaban"),
            "terminate_early" => Some("pemberitahuan_pengakhiran"),
            _ => None,
        },
        needs_reply: a == "record_reply",
        needs_dprd: a == "record_dprd_decision",
        needs_reason: matches!(a, "end" | "terminate_early"),
    }
}

/// Pending consents to cancelling or ending, one line per party.
pub(super) fn proposals(case: &Case, lang: Lang) -> Vec<String> {
    case.parties
        .iter()
        .filter_map(|p| {
            p.acts.consent.as_ref().map(|c| {
                format!(
                    "{} {} {} ({}){}",
                    p.short_name(),
                    lang.pick("menyetujui", "consents to"),
                    c.act.label(lang),
                    locale::date_long(c.on, lang),
                    c.note
                        .as_deref()
                        .map(|n| format!(": {n}"))
                        .unwrap_or_default()
                )
            })
        })
        .collect()
}

/// The TKKSD members who may record a recommendation: the visitor's own region's.
pub(super) async fn reviewers(
    state: &AppState,
    r: &Records,
    vp: &Viewpoint,
) -> Result<Vec<Choice>, PageError> {
    Ok({
        let mut out = Vec::new();
        let reviewing: Vec<String> = if vp.operator {
            r.regions.clone()
        } else {
            vp.own_region.iter().cloned().collect()
        };
        for region in &reviewing {
            if let Some(t) = state.store.current_tkksd(region).await? {
                for m in &t.members {
                    if let Some(o) = r.by_id.get(&m.official.to_string()) {
                        out.push(Choice {
                            value: o.id.to_string(),
                            label: format!("{} — {} ({})", o.name, o.title(), m.position.as_str()),
                        });
                    }
                }
            }
        }
        out
    })
}
