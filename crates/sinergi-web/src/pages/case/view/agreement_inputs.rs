//! The models of the KB and PKS forms: each side's signatory, number and surat kuasa, the
//! letters to choose from, and the fields that still lack a PKS.

use super::{KbForm, KbPartyForm, Records, Viewpoint};
use crate::pages::case::labels::{agreement_status, pks_steps};
use crate::pages::common::*;
use sinergi_domain::Lang;
use sinergi_domain::agreement::{Agreement, AgreementKind};
use sinergi_domain::case::party_role;
use sinergi_domain::letter::LetterKind;

/// The letters a step may name, per kind: the visitor's own party's.
pub(super) fn letter_choices(r: &Records, vp: &Viewpoint) -> Vec<(String, Vec<Choice>)> {
    [
        LetterKind::Penawaran,
        LetterKind::Jawaban,
        LetterKind::PemberitahuanPengakhiran,
    ]
    .iter()
    .map(|k| {
        (
            k.as_str().to_owned(),
            r.letters
                .iter()
                .filter(|l| l.kind == *k && l.withdrawn_at.is_none())
                .filter(|l| vp.is_own(l.from_region.as_ref()))
                .map(|l| Choice {
                    value: l.id.to_string(),
                    label: format!("{} — {}", l.number.clone().unwrap_or_default(), l.subject),
                })
                .collect(),
        )
    })
    .collect()
}

/// The KB's signing data: each party edits its own line.
pub(super) fn kb_form(r: &Records, vp: &Viewpoint, lang: Lang) -> Option<KbForm> {
    r.agreements
        .iter()
        .find(|a| a.kind == AgreementKind::Kb)
        .map(|k| agreement_form(k, r, vp, lang))
}

/// The PKS of the case, each with its own form, in the order they were drafted.
pub(super) fn pks_forms(r: &Records, vp: &Viewpoint, lang: Lang) -> Vec<KbForm> {
    r.agreements
        .iter()
        .filter(|a| a.kind == AgreementKind::Pks)
        .map(|a| agreement_form(a, r, vp, lang))
        .collect()
}

/// The case's fields without a PKS (a revoked or rejected one does not count).
pub(super) fn fields_without_pks(r: &Records) -> Vec<Choice> {
    use sinergi_domain::agreement::AgreementStatus as S;
    r.case
        .fields
        .iter()
        .filter(|f| {
            !r.agreements.iter().any(|a| {
                a.kind == AgreementKind::Pks
                    && a.fields.contains(&f.ordinal)
                    && !matches!(a.status, S::Dicabut | S::Ditolak)
            })
        })
        .map(|f| Choice {
            value: f.ordinal.to_string(),
            label: f.label.clone(),
        })
        .collect()
}

pub(super) fn agreement_form(k: &Agreement, r: &Records, vp: &Viewpoint, lang: Lang) -> KbForm {
    let field = k
        .fields
        .first()
        .and_then(|o| r.case.fields.iter().find(|f| f.ordinal == *o));
    KbForm {
        id: k.id.to_string(),
        version: k.version,
        place: k.place.clone().unwrap_or_default(),
        signed_on: k.signed_on.map(|d| d.to_string()).unwrap_or_default(),
        signed: k.status.is_signed(),
        key: field
            .map(|f| {
                f.code
                    .clone()
                    .unwrap_or_else(|| format!("bidang-{}", f.ordinal))
            })
            .unwrap_or_default(),
        title: k.title.clone(),
        status: agreement_status(k.status, lang).to_owned(),
        starts_on: k.starts_on.map(|d| d.to_string()).unwrap_or_default(),
        ends_on: k.ends_on.map(|d| d.to_string()).unwrap_or_default(),
        steps: pks_steps(k.status, lang)
            .into_iter()
            .map(|(value, label)| Choice {
                value: value.to_owned(),
                label: label.to_owned(),
            })
            .collect(),
        powers: r
            .powers
            .iter()
            .filter(|w| w.agreement == k.id)
            .map(|w| {
                format!(
                    "{} {} · {} — {} ({}) {} {} ({})",
                    lang.pick("Nomor", "Number"),
                    w.number,
                    sinergi_domain::locale::date_long(w.issued_on, lang),
                    w.grantor_name,
                    w.grantor_title,
                    lang.pick("memberi kuasa kepada", "authorises"),
                    w.grantee_name,
                    w.grantee_title,
                )
            })
            .collect(),
        own_party: k.parties.iter().any(|p| vp.is_own(p.region.as_ref())),
        parties: k
            .parties
            .iter()
            .map(|p| KbPartyForm {
                ordinal: p.ordinal,
                role: party_role(p.ordinal),
                signatory: p.signatory.map(|s| s.to_string()).unwrap_or_default(),
                number: p.number.clone().unwrap_or_default(),
                unpublished: p.number_unpublished,
                own: vp.is_own(p.region.as_ref()),
                power_of_attorney: p.power_of_attorney.clone().unwrap_or_default(),
                summary: format!(
                    "{} · {}{}",
                    p.signatory
                        .and_then(|s| r.by_id.get(&s.to_string()))
                        .map_or_else(|| "—".to_owned(), |o| format!("{} ({})", o.name, o.title())),
                    p.number.clone().unwrap_or_else(|| {
                        lang.pick("nomor belum diisi", "no number yet").to_owned()
                    }),
                    p.power_of_attorney
                        .as_ref()
                        .map(|k| format!(
                            " · {} {k}",
                            lang.pick("surat kuasa", "power of attorney")
                        ))
                        .unwrap_or_default()
                ),
            })
            .collect(),
    }
}
