//! The stage tracker: the regulated path of a case and which stages its history records, and
//! the tree of its documents.

use super::{DocNode, Step, action_form};
use crate::pages::case::labels::agreement_status;
use sinergi_domain::agreement::Agreement;
use sinergi_domain::case::{Case, Direction, Stage, party_role};
use sinergi_domain::official::Official;
use sinergi_domain::{Lang, locale};
use std::collections::HashMap;

/// The regulated path for a case of this direction.
pub(crate) fn path(direction: Direction, dprd: bool) -> Vec<Stage> {
    use Stage as S;
    let mut p = match direction {
        Direction::Keluar => vec![
            S::UsulanDraft,
            S::DiajukanKeTkksd,
            S::KajianTkksd,
            S::PenawaranDisiapkan,
            S::PenawaranDikirim,
            S::MenungguJawaban,
            S::PenyusunanKb,
        ],
        Direction::Masuk => vec![
            S::PenawaranMasuk,
            S::KajianTkksd,
            S::JawabanDikirim,
            S::PenyusunanKb,
        ],
    };
    p.extend([S::KbFinal, S::KbDitandatangani]);
    if dprd {
        p.push(S::MenungguDprd);
    }
    p.extend([S::Aktif, S::Berakhir]);
    p
}

/// The regulated path with each stage's state: "done" only when the history records the
/// case in that stage; a stage the case went past without a record is "unrecorded" (shown as
/// "tidak tercatat"), never "dilalui".
pub(crate) fn tracker(
    case: &Case,
    history: &[sinergi_store::HistoryEntry],
    lang: Lang,
) -> (Vec<Step>, Option<String>) {
    let recorded: std::collections::HashSet<&str> = history
        .iter()
        .flat_map(|h| [h.from_stage.as_deref(), h.to_stage.as_deref()])
        .flatten()
        .collect();
    let dprd = matches!(case.stage, Stage::MenungguDprd | Stage::DitolakDprd)
        || case.parties.iter().any(|p| p.dprd.approved.is_some());
    let p = path(case.direction, dprd);
    let at = p.iter().position(|s| *s == case.stage);
    let off = at.is_none().then(|| {
        lang.pick(case.stage.label_id(), case.stage.label_en())
            .to_owned()
    });
    let steps = p
        .iter()
        .enumerate()
        .map(|(i, s)| Step {
            label: lang.pick(s.label_id(), s.label_en()).to_owned(),
            state: match at {
                Some(a) if i == a => "current",
                _ if recorded.contains(s.as_str()) => "done",
                Some(a) if i < a => "unrecorded",
                _ => "todo",
            },
        })
        .collect();
    (steps, off)
}

pub(crate) fn doc_node(
    a: &Agreement,
    all: &[Agreement],
    officials: &HashMap<String, Official>,
    (lang, case_kind): (Lang, sinergi_domain::case::CaseKind),
) -> DocNode {
    let numbers = a
        .parties
        .iter()
        .map(|p| {
            let n = match (&p.number, p.number_unpublished) {
                (Some(n), _) => n.clone(),
                (None, true) => lang
                    .pick("tidak dipublikasikan", "not published")
                    .to_owned(),
                (None, false) => "—".to_owned(),
            };
            format!("{}: {n}", party_role(p.ordinal))
        })
        .collect();
    let signers: Vec<String> = a
        .parties
        .iter()
        .filter_map(|p| {
            let name = p.signatory_name.clone().or_else(|| {
                p.signatory
                    .and_then(|s| officials.get(&s.to_string()).map(|o| o.name.clone()))
            })?;
            Some(match &p.signatory_title {
                Some(t) => format!("{name} ({t})"),
                None => name,
            })
        })
        .collect();
    let signed = a.status.is_signed().then(|| {
        let mut s = String::new();
        if let Some(d) = a.signed_on {
            s.push_str(&locale::date_long(d, lang));
        }
        if let Some(pl) = &a.place {
            s.push_str(&format!(", {pl}"));
        }
        if !signers.is_empty() {
            s.push_str(&format!(" — {}", signers.join(lang.pick(" dan ", " and "))));
        }
        s
    });
    let term = match (a.starts_on, a.ends_on) {
        (Some(s), Some(e)) => Some(format!(
            "{} – {}",
            locale::date_short(s, lang),
            locale::date_short(e, lang)
        )),
        _ => None,
    };
    DocNode {
        kind: a.kind.label_in(case_kind).to_owned(),
        title: a.title.clone(),
        status: agreement_status(a.status, lang).to_owned(),
        numbers,
        signed,
        term,
        children: all
            .iter()
            .filter(|c| c.parent == Some(a.id))
            .map(|c| doc_node(c, all, officials, (lang, case_kind)))
            .collect(),
    }
}

/// A step's name as its button says it, for the dashboard's "Menunggu tindakan Anda".
pub(crate) fn step_label(step: &'static str, lang: Lang) -> String {
    action_form(step, lang).label
}
