//! `/kerja-sama/baru`: opening a case, with the regions typed or picked.

use crate::error::ApiError;
use crate::pages::register::picked_code;
use crate::pages::{Chrome, PageError, Visitor, render};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sinergi_domain::case::{CaseKind, Direction, FieldInput, NewCaseInput, PartyInput};
use sinergi_domain::catalog::catalog;

use crate::pages::common::*;

#[derive(Debug, Default, Clone)]
pub struct NewCaseForm {
    pub title: String,
    pub kind: String,
    pub party1: String,
    pub party2: String,
    pub party3: String,
    pub object: String,
    pub objectives: String,
    pub fields: Vec<String>,
    pub priority: String,
    pub published: Option<String>,
}

#[derive(Template)]
#[template(path = "case_new.html")]
pub(crate) struct NewCasePage<'a> {
    chrome: Chrome,
    form: NewCaseForm,
    errors: Vec<String>,
    kinds: Vec<Choice>,
    fields: Vec<Choice>,
    daerah: &'a [(String, String)],
}

pub(crate) async fn new_page(
    state: &AppState,
    v: &Visitor,
    form: NewCaseForm,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    Ok(render(&NewCasePage {
        chrome: Chrome::new(v, "new"),
        form,
        errors,
        kinds: CaseKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str().to_owned(),
                label: k.label_id().to_owned(),
            })
            .collect(),
        fields: catalog()
            .fields
            .iter()
            .map(|f| Choice {
                value: f.code.clone(),
                label: f.name.clone(),
            })
            .collect(),
        daerah: state.daerah().await?,
    }))
}

pub async fn new_form(State(state): State<AppState>, v: Visitor) -> Result<Response, PageError> {
    require_staff(&v)?;
    new_page(
        &state,
        &v,
        NewCaseForm {
            kind: "ksdd_sukarela".to_owned(),
            ..NewCaseForm::default()
        },
        Vec::new(),
    )
    .await
}

impl NewCaseForm {
    /// From the posted pairs (checkboxes repeat the `fields` key).
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = Self::default();
        for (k, v) in pairs {
            match k.as_str() {
                "title" => f.title = v,
                "kind" => f.kind = v,
                "party1" => f.party1 = v,
                "party2" => f.party2 = v,
                "party3" => f.party3 = v,
                "object" => f.object = v,
                "objectives" => f.objectives = v,
                "fields" => f.fields.push(v),
                "priority" => f.priority = v,
                "published" => f.published = Some(v),
                _ => {}
            }
        }
        f
    }

    #[must_use]
    pub fn has_field(&self, code: &str) -> bool {
        self.fields.iter().any(|f| f == code)
    }
}

/// A picker's value ("62.71 — Kota Palangkaraya"), a bare code, or a typed name in any
/// common spelling ("Palangka Raya") that names exactly one government.
pub(crate) async fn resolve_region(state: &AppState, text: &str) -> Result<String, PageError> {
    let code = picked_code(text);
    if sinergi_reference::level_of_code(&code).is_some() {
        return Ok(code);
    }
    let found = state
        .store
        .list_regions(&sinergi_store::RegionFilter {
            q: Some(text.trim().to_owned()),
            daerah_only: true,
            limit: 2,
            ..Default::default()
        })
        .await?;
    Ok(if found.total == 1 {
        found.items[0].code.clone()
    } else {
        text.trim().to_owned()
    })
}

pub async fn create(
    State(state): State<AppState>,
    v: Visitor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let f = NewCaseForm::from_pairs(pairs);
    let mut parties: Vec<PartyInput> = Vec::new();
    for p in [&f.party1, &f.party2, &f.party3]
        .into_iter()
        .filter(|p| !p.trim().is_empty())
    {
        parties.push(PartyInput {
            region: Some(resolve_region(&state, p).await?),
            name: None,
            contact: sinergi_domain::case::Contact::default(),
        });
    }
    let result = match CaseKind::parse(&f.kind) {
        None => Err(invalid(
            "kind",
            "Pilih jenis kerja sama.",
            "Choose the kind of cooperation.",
        )),
        Some(kind) => {
            let input = NewCaseInput {
                title: f.title.clone(),
                kind,
                direction: Direction::Keluar,
                object: Some(f.object.clone()),
                background: None,
                parties,
                fields: f
                    .fields
                    .iter()
                    .map(|c| FieldInput {
                        code: Some(c.clone()),
                        label: None,
                        priority: *c == f.priority,
                        urusan: None,
                    })
                    .collect(),
                objectives: lines(&f.objectives),
                sources: Vec::new(),
                published: f.published.is_some(),
                fictional: false,
                predecessor: None,
            };
            state
                .app
                .create_case(&v.caller(), &input)
                .await
                .map_err(ApiError::from)
        }
    };
    match result {
        Ok(case) => Ok(Redirect::to(&format!("/kerja-sama/{}?ok=dibuat", case.id)).into_response()),
        Err(e) => {
            let status = e.status();
            let mut res = new_page(&state, &v, f, messages(&e, v.lang)).await?;
            *res.status_mut() = if status == StatusCode::INTERNAL_SERVER_ERROR {
                status
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok(res)
        }
    }
}
