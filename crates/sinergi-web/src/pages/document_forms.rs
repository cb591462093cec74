//! The forms of the document page (`/kerja-sama/{id}/dokumen/{kind}/…`): start a draft from
//! the template, change a clause (edit, add, remove, move), comment on a clause, finalise,
//! sign electronically, upload the wet-ink scan and validate it. Each calls the same store
//! operation as the API; a refusal shows the page again with the reasons, nothing stored.

use super::common::{messages, parse_id, require_staff};
use super::documents::page;
use super::{PageError, Visitor, render};
use crate::document_access::kind_of;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sinergi_app::DocTarget;
use sinergi_documents::draft::Ayat;
use sinergi_domain::{DomainError, FieldError};
use sinergi_store::DraftOp;

/// A clause's paragraphs as the edit box shows them: one paragraph per block, blocks
/// separated by an empty line, the lettered list items as lines starting with "- ".
#[must_use]
pub fn ayat_text(ayat: &[Ayat]) -> String {
    ayat.iter()
        .map(|a| {
            let mut s = a.text.clone();
            for item in &a.items {
                s.push_str("\n- ");
                s.push_str(item);
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The paragraphs typed in an edit box (the inverse of [`ayat_text`]).
#[must_use]
pub fn parse_ayat(text: &str) -> Vec<Ayat> {
    let mut out = Vec::new();
    for block in text.replace("\r\n", "\n").split("\n\n") {
        let mut words: Vec<&str> = Vec::new();
        let mut items = Vec::new();
        for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match line.strip_prefix("- ") {
                Some(item) => items.push(item.trim().to_owned()),
                None => words.push(line),
            }
        }
        if !words.is_empty() || !items.is_empty() {
            out.push(Ayat {
                text: words.join(" "),
                items,
            });
        }
    }
    out
}

/// Which document the form is about: for a PKS or an addendum, `?agreement=` names it.
#[derive(Debug, Default, Deserialize)]
pub struct DocParams {
    pub agreement: Option<sinergi_domain::ids::AgreementId>,
}

/// Back to the document page: on to `anchor` when accepted (with a notice when the signing
/// is complete or still waits for something), or the page again with the reasons and the
/// refusal's status.
async fn finish<T>(
    state: &AppState,
    v: &Visitor,
    t: DocTarget,
    result: Result<T, ApiError>,
    (anchor, done): (&str, &str),
) -> Result<Response, PageError> {
    let query = t
        .agreement
        .map_or_else(String::new, |a| format!("?agreement={a}"));
    match result {
        Ok(_) => Ok(Redirect::to(&super::notice::with(
            &format!(
                "/kerja-sama/{}/dokumen/{}{query}#{anchor}",
                t.case_id,
                t.kind.as_str()
            ),
            done,
        ))
        .into_response()),
        Err(e) => {
            let doc = match state.app.doc_ref(t).await {
                Ok(d) => d,
                Err(_) => sinergi_store::DocRef::of_case(t.case_id, t.kind),
            };
            let mut res = render(&page(state, v, doc, (None, None), messages(&e, v.lang)).await?);
            *res.status_mut() = e.status();
            Ok(res)
        }
    }
}

/// Signing or validating a scan: when the last party's evidence did not yet complete the
/// signing, the page says why instead of moving on silently.
async fn finish_signed<T>(
    state: &AppState,
    v: &Visitor,
    t: DocTarget,
    result: Result<sinergi_app::Signed<T>, ApiError>,
    anchor: (&str, &str),
) -> Result<Response, PageError> {
    match result {
        Ok(s) if s.pending.is_some() => {
            let doc = state.app.doc_ref(t).await?;
            let why = s.pending.map(|d| d.message(v.lang)).unwrap_or_default();
            let note = format!(
                "{} {why}",
                v.lang.pick(
                    "Semua pihak telah menandatangani, tetapi penandatanganan belum dapat dicatat:",
                    "Every party has signed, but the signing cannot be recorded yet:"
                )
            );
            Ok(render(
                &page(state, v, doc, (None, None), vec![note]).await?,
            ))
        }
        Ok(s) => finish(state, v, t, Ok::<_, ApiError>(s.record), anchor).await,
        Err(e) => finish::<()>(state, v, t, Err(e), anchor).await,
    }
}

fn target(id: &str, kind: &str, q: &DocParams) -> Result<DocTarget, PageError> {
    Ok(DocTarget {
        case_id: parse_id(id)?,
        kind: kind_of(kind)?,
        agreement: q.agreement,
    })
}

fn number(field: &str, s: &str) -> Result<i64, ApiError> {
    s.trim().parse().map_err(|_| {
        let (id, en) = sinergi_domain::field_words::words(field);
        ApiError::Domain(DomainError::Validation(vec![FieldError::new(
            field,
            "invalid",
            format!("{id} harus berisi angka."),
            format!("{en} must be a number."),
        )]))
    })
}

pub async fn start(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, kind)): Path<(String, String)>,
    Query(q): Query<DocParams>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let t = target(&id, &kind, &q)?;
    let r = state
        .app
        .start_draft(&v.caller(), t)
        .await
        .map_err(ApiError::from);
    finish(&state, &v, t, r, ("versi", "dokumen_mulai")).await
}

#[derive(Deserialize)]
pub struct ClauseChange {
    #[serde(default)]
    expected_version: String,
    /// `edit`, `add`, `remove`, `up` or `down`.
    #[serde(default)]
    op: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    heading: String,
    #[serde(default)]
    ayat: String,
    #[serde(default)]
    note: String,
}

pub async fn change(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, kind)): Path<(String, String)>,
    Query(q): Query<DocParams>,
    Form(f): Form<ClauseChange>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let t = target(&id, &kind, &q)?;
    let r = async {
        let expected = number("expected_version", &f.expected_version)?;
        let key = f.key.trim().to_owned();
        let op = match f.op.as_str() {
            "edit" => DraftOp::Edit {
                key,
                heading: f.heading.trim().to_owned(),
                ayat: parse_ayat(&f.ayat),
            },
            "add" => DraftOp::Add {
                key: Some(key).filter(|k| !k.is_empty()),
                heading: f.heading.trim().to_owned(),
                ayat: parse_ayat(&f.ayat),
                at: None,
            },
            "remove" => DraftOp::Remove { key },
            "up" | "down" => DraftOp::Reorder {
                keys: moved(&state, t, &key, f.op == "up").await?,
            },
            _ => {
                return Err(ApiError::Domain(DomainError::Validation(vec![
                    FieldError::required("op"),
                ])));
            }
        };
        let note = Some(f.note.trim()).filter(|n| !n.is_empty());
        state
            .app
            .edit_draft(&v.caller(), t, expected, &op, note)
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish(&state, &v, t, r, ("naskah", "dokumen_ubah")).await
}

/// The clause keys of the latest version with `key` moved one place up or down.
async fn moved(
    state: &AppState,
    t: DocTarget,
    key: &str,
    up: bool,
) -> Result<Vec<String>, ApiError> {
    let doc = state.app.doc_ref(t).await?;
    let mut keys: Vec<String> = state
        .store
        .document_draft(doc)
        .await?
        .and_then(|(_, versions)| versions.last().cloned())
        .map(|v| v.clauses.into_iter().map(|c| c.key).collect())
        .unwrap_or_default();
    let at = keys
        .iter()
        .position(|k| k == key)
        .ok_or_else(|| DomainError::not_found("clause", key))?;
    let other = if up {
        at.checked_sub(1)
    } else {
        Some(at + 1).filter(|i| *i < keys.len())
    };
    if let Some(other) = other {
        keys.swap(at, other);
    }
    Ok(keys)
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    clause_key: String,
    #[serde(default)]
    party: String,
    #[serde(default)]
    body: String,
}

pub async fn comment(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, kind)): Path<(String, String)>,
    Query(q): Query<DocParams>,
    Form(f): Form<CommentForm>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let t = target(&id, &kind, &q)?;
    let r = async {
        let version = number("version", &f.version)?;
        let party = match f.party.trim() {
            "" => None,
            p => Some(u16::try_from(number("party", p)?).unwrap_or(0)),
        };
        state
            .app
            .comment(&v.caller(), t, version, f.clause_key.trim(), party, &f.body)
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish(&state, &v, t, r, ("komentar", "komentar")).await
}

#[derive(Deserialize)]
pub struct FinalizeForm {
    #[serde(default)]
    expected_version: String,
}

pub async fn finalize(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, kind)): Path<(String, String)>,
    Query(q): Query<DocParams>,
    Form(f): Form<FinalizeForm>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let t = target(&id, &kind, &q)?;
    let r = async {
        let expected = number("expected_version", &f.expected_version)?;
        state
            .app
            .finalize(&v.caller(), t, expected)
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish(&state, &v, t, r, ("versi", "final")).await
}

#[derive(Deserialize)]
pub struct SignForm {
    #[serde(default)]
    official: String,
    #[serde(default)]
    sha256: String,
}

pub async fn sign(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, kind)): Path<(String, String)>,
    Query(q): Query<DocParams>,
    Form(f): Form<SignForm>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let t = target(&id, &kind, &q)?;
    let r = async {
        let official = f.official.trim().parse().map_err(|_| {
            ApiError::Domain(DomainError::Validation(vec![FieldError::required(
                "official",
            )]))
        })?;
        state
            .app
            .sign(&v.caller(), t, official, f.sha256.trim())
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish_signed(&state, &v, t, r, ("tanda-tangan", "ttd")).await
}

pub async fn upload_scan(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, kind)): Path<(String, String)>,
    Query(q): Query<DocParams>,
    form: Multipart,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let t = target(&id, &kind, &q)?;
    let r = async {
        let up = super::upload::read(
            form,
            (
                "Pilih berkas pindaian naskah bertanda tangan (PDF, PNG, atau JPEG).",
                "Choose the scan of the signed document (PDF, PNG or JPEG).",
            ),
        )
        .await?;
        state
            .app
            .upload_scan(
                &v.caller(),
                t,
                None,
                &up.bytes,
                up.file_name.as_deref(),
                (up.has("paraf"), up.has("meterai"), up.has("stempel")),
            )
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish(&state, &v, t, r, ("pindaian", "pindaian")).await
}

pub async fn validate_scan(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, kind, scan)): Path<(String, String, String)>,
    Query(q): Query<DocParams>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let t = target(&id, &kind, &q)?;
    let r = async {
        let scan = scan
            .parse()
            .map_err(|_| DomainError::not_found("wet_ink_scan", &scan))?;
        state
            .app
            .validate_scan(&v.caller(), t, scan)
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish_signed(&state, &v, t, r, ("pindaian", "sahkan")).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_lettered_items_survive_the_edit_box() {
        let ayat = vec![
            Ayat::text("Ruang lingkup Kesepakatan Bersama ini meliputi:"),
            Ayat {
                text: "Bidang:".into(),
                items: vec!["pariwisata;".into(), "UMKM.".into()],
            },
        ];
        let text = ayat_text(&ayat);
        assert_eq!(parse_ayat(&text), ayat);
        assert_eq!(
            parse_ayat("satu\r\nbaris\r\n\r\n\r\n- butir"),
            vec![
                Ayat::text("satu baris"),
                Ayat {
                    text: String::new(),
                    items: vec!["butir".into()]
                }
            ]
        );
        assert!(parse_ayat("  \n\n ").is_empty());
    }
}
