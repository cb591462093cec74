//! Server-rendered HTML pages in Bahasa Indonesia (English per request). Every core flow
//! works without JavaScript: plain links and forms, native `<datalist>` pickers.

pub mod account;
pub mod case;
pub mod common;
pub mod dashboard;
pub mod document_forms;
pub mod documents;
pub mod forms;
pub mod monitoring;
pub mod monitoring_forms;
pub mod notice;
pub mod notifications;
pub mod potential;
pub mod region;
pub mod register;
pub mod register_import;
pub mod sso;
pub mod synergy;
mod upload;
pub mod users;

use crate::auth::Access;
use crate::error::ApiError;
pub use crate::error::PageError;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use sinergi_domain::Lang;
use sinergi_domain::access::{Actor, Perm, Principal, Relation};

/// The HTML routes; the upload forms accept bodies up to `max_upload` bytes (plus room for
/// the form's other fields).
pub fn routes(max_upload: u64) -> Router<AppState> {
    let upload_limit = crate::state::upload_body_limit(max_upload);
    Router::new()
        .route("/", get(dashboard::show))
        .route("/kerja-sama", get(register::show).post(case::create))
        .route("/kerja-sama/baru", get(case::new_form))
        .route("/kerja-sama/{id}", get(case::show))
        .route("/kerja-sama/{id}/pertemuan", post(case::add_meeting))
        .route("/kerja-sama/{id}/transisi", post(case::transition))
        .route("/kerja-sama/{id}/surat", post(forms::add_letter))
        .route("/kerja-sama/{id}/perselisihan", post(forms::raise_dispute))
        .route(
            "/kerja-sama/{id}/perselisihan/{dispute}/{act}",
            post(forms::step_dispute),
        )
        .route(
            "/kerja-sama/{id}/surat/{letter}",
            post(forms::correct_letter),
        )
        .route(
            "/kerja-sama/{id}/surat/{letter}/{act}",
            post(forms::letter_act),
        )
        .route(
            "/kerja-sama/{id}/pihak/{ordinal}/dprd",
            post(forms::assess_dprd),
        )
        .route("/kerja-sama/{id}/naskah", post(forms::draft_kb))
        .route("/kerja-sama/{id}/naskah/{aid}", post(forms::update_kb))
        .route(
            "/kerja-sama/{id}/naskah/{aid}/langkah",
            post(forms::pks_step),
        )
        .route(
            "/kerja-sama/{id}/naskah/{aid}/surat-kuasa",
            post(forms::record_power_of_attorney),
        )
        .route("/kerja-sama/{id}/kak", post(forms::save_kak))
        .route(
            "/kerja-sama/{id}/persetujuan-pusat",
            post(forms::record_central_approval),
        )
        .route(
            "/kerja-sama/{id}/kajian/{kajian}/telaahan",
            get(forms::download_telaahan).merge(post(forms::attach_telaahan).layer(upload_limit)),
        )
        .route("/kerja-sama/{id}/pks", post(forms::draft_pks))
        .route("/kerja-sama/{id}/pemantauan", get(monitoring::show))
        .route(
            "/kerja-sama/{id}/pemantauan/kegiatan",
            post(monitoring_forms::add_activity),
        )
        .route(
            "/kerja-sama/{id}/pemantauan/realisasi",
            post(monitoring_forms::add_realisation),
        )
        .route(
            "/kerja-sama/{id}/pemantauan/realisasi/{rid}/bukti",
            post(monitoring_forms::add_evidence).layer(upload_limit),
        )
        .route(
            "/kerja-sama/{id}/pemantauan/program",
            post(monitoring_forms::add_programme),
        )
        .route(
            "/kerja-sama/{id}/pemantauan/monev",
            post(monitoring_forms::save_evaluation),
        )
        .route(
            "/kerja-sama/{id}/pemantauan/monev/{eid}",
            post(monitoring_forms::evaluation_step),
        )
        .route("/notifikasi", get(notifications::notifications))
        .route(
            "/notifikasi/{nid}/baca",
            post(notifications::read_notification),
        )
        .route("/kerja-sama/{id}/dokumen/{kind}", get(documents::show))
        .route(
            "/kerja-sama/{id}/dokumen/{kind}/mulai",
            post(document_forms::start),
        )
        .route(
            "/kerja-sama/{id}/dokumen/{kind}/ubah",
            post(document_forms::change),
        )
        .route(
            "/kerja-sama/{id}/dokumen/{kind}/komentar",
            post(document_forms::comment),
        )
        .route(
            "/kerja-sama/{id}/dokumen/{kind}/final",
            post(document_forms::finalize),
        )
        .route(
            "/kerja-sama/{id}/dokumen/{kind}/tanda-tangan",
            post(document_forms::sign),
        )
        .route(
            "/kerja-sama/{id}/dokumen/{kind}/pindaian",
            post(document_forms::upload_scan).layer(upload_limit),
        )
        .route(
            "/kerja-sama/{id}/dokumen/{kind}/pindaian/{scan}/sahkan",
            post(document_forms::validate_scan),
        )
        .route("/verifikasi/{code}", get(documents::verify))
        .route("/wilayah/{code}", get(region::show))
        .route("/wilayah/{code}/pejabat", post(forms::add_official))
        .route("/wilayah/{code}/tkksd", post(forms::form_tkksd))
        .route(
            "/wilayah/{code}/laporan-terkirim",
            post(forms::record_report),
        )
        .route("/wilayah/{code}/penomoran", post(forms::set_numbering_rule))
        .route("/wilayah/{code}/opd", post(forms::add_opd))
        .route(
            "/wilayah/{code}/pengguna",
            get(users::show).post(users::create),
        )
        .route("/wilayah/{code}/pengguna/{uid}", post(users::update))
        .route(
            "/wilayah/{code}/pengguna/{uid}/status",
            post(users::set_status),
        )
        .route(
            "/wilayah/{code}/pengguna/{uid}/sandi",
            post(users::reset_password),
        )
        .route(
            "/wilayah/{code}/impor-register",
            get(register_import::show).merge(post(register_import::upload).layer(upload_limit)),
        )
        .route(
            "/wilayah/{code}/impor-register/{sha}",
            get(register_import::preview).post(register_import::import),
        )
        .route(
            "/wilayah/{code}/impor-register/{sha}/proses/{run}",
            get(register_import::progress),
        )
        .route(
            "/wilayah/{code}/naskah-lama",
            post(register_import::record_legacy),
        )
        .route("/wilayah/{code}/potensi", get(potential::show_potential))
        .route("/wilayah/{code}/cari-mitra", get(potential::show_partners))
        .route("/wilayah/{code}/mitra/{partner}", get(potential::show_pair))
        .route("/bahasa", get(switch_language))
        .route("/masuk", get(account::sign_in_form).post(account::sign_in))
        .route("/masuk/sso", get(sso::start))
        .route("/masuk/sso/kembali", get(sso::callback))
        .route("/keluar", post(account::sign_out))
        .route("/akun", get(account::show))
        .route("/akun/sandi", post(account::change_password))
        .route("/akun/bahasa", post(account::set_language))
        .route("/akun/keluar-semua", post(account::sign_out_everywhere))
        .route("/akun/token", post(account::create_token))
        .route("/akun/token/{name}/cabut", post(account::revoke_token))
        .route("/kerja-sama/{id}/catatan", post(account::add_note))
        .route(
            "/kerja-sama/{id}/catatan/{note_id}/bagikan",
            post(account::share_note),
        )
        .route("/kerja-sama/{id}/audit", get(account::case_audit))
        .route("/static/sinergi.css", get(stylesheet))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../assets/sinergi.css"),
    )
}

/// Who is looking, in which language, with what the authorisation layer decided.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub lang: Lang,
    /// Signed in (any account or the operator).
    pub staff: bool,
    /// The current path and query, for the language switch.
    pub path: String,
    pub principal: Principal,
    pub access: Option<Access>,
}

impl Visitor {
    /// The reader's time zone: their region's, or WIB for a visitor without one.
    #[must_use]
    pub fn zone(&self) -> sinergi_reference::TimeZone {
        self.principal
            .region
            .as_deref()
            .and_then(sinergi_reference::timezone_of)
            .unwrap_or(sinergi_reference::TimeZone::Wib)
    }

    /// A moment in the reader's zone (see [`common::stamp`]).
    #[must_use]
    pub fn stamp(&self, t: time::OffsetDateTime) -> String {
        common::stamp(t, self.zone(), self.lang)
    }

    /// Whether the visitor may also do `perm` on this page's case or region.
    #[must_use]
    pub fn can(&self, perm: Perm) -> bool {
        self.access.as_ref().is_some_and(|a| a.may(perm))
    }

    /// The actor of a change made through this page.
    #[must_use]
    pub fn actor(&self) -> Actor {
        self.access.as_ref().map_or_else(
            || Actor::of(&self.principal, None),
            crate::auth::Access::actor,
        )
    }

    /// The caller of a use case made through this page.
    #[must_use]
    pub fn caller(&self) -> sinergi_app::Caller {
        self.access.as_ref().map_or_else(
            || sinergi_app::Caller::new(self.principal.clone(), None),
            crate::auth::Access::caller,
        )
    }

    /// Which cases the visitor sees besides the published ones.
    #[must_use]
    pub fn visibility(&self) -> sinergi_store::Visibility {
        crate::auth::visibility_of(&self.principal)
    }
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let _ = state;
        let principal = parts
            .extensions
            .get::<Principal>()
            .cloned()
            .unwrap_or_else(Principal::anonymous);
        let access = parts.extensions.get::<Access>().cloned();
        Ok(Self {
            lang: crate::middleware::lang_for(
                &parts.uri,
                &parts.headers,
                principal.language.as_deref(),
            ),
            staff: !principal.is_anonymous(),
            principal,
            access,
            path: parts
                .uri
                .path_and_query()
                .map_or_else(|| "/".to_owned(), ToString::to_string),
        })
    }
}

/// What every page's frame needs.
pub struct Chrome {
    pub lang: Lang,
    pub staff: bool,
    /// May open new cases (shows the menu entry).
    pub can_create: bool,
    /// The signed-in user's name, for the header.
    pub user: String,
    /// The session's CSRF token, put in every form.
    pub csrf: String,
    pub section: &'static str,
    pub other_lang_href: String,
    /// What the form just completed did (`?ok=<key>`, `notice::text`).
    pub notice: Option<&'static str>,
}

impl Chrome {
    #[must_use]
    pub fn new(v: &Visitor, section: &'static str) -> Self {
        let other = match v.lang {
            Lang::Id => "en",
            Lang::En => "id",
        };
        // Through /bahasa, so the choice sticks: a cookie for this browser and, when signed
        // in, the account's own preference. The page's other parameters come back with it.
        let (path, query) = v
            .path
            .split_once('?')
            .map_or((v.path.as_str(), ""), |(p, q)| (p, q));
        let kept: Vec<&str> = query
            .split('&')
            .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
            .collect();
        let back = if kept.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", kept.join("&"))
        };
        let href = format!("/bahasa?ke={other}&kembali={}", register::urlencode(&back));
        Self {
            lang: v.lang,
            staff: v.staff,
            can_create: v.principal.may(Perm::CaseCreate, Relation::Own, false),
            user: v.principal.display_name.clone(),
            csrf: v.principal.csrf.clone().unwrap_or_default(),
            section,
            other_lang_href: href,
            notice: notice::key_of(query).and_then(|k| notice::text(k, v.lang)),
        }
    }

    /// Indonesian or English text.
    #[must_use]
    pub fn t<'a>(&self, id: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(id, en)
    }

    #[must_use]
    pub fn lang_code(&self) -> &'static str {
        match self.lang {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    #[must_use]
    pub fn other_lang_code(&self) -> &'static str {
        match self.lang {
            Lang::Id => "en",
            Lang::En => "id",
        }
    }

    #[must_use]
    pub fn other_lang_label(&self) -> &'static str {
        match self.lang {
            Lang::Id => "English",
            Lang::En => "Bahasa Indonesia",
        }
    }
}

/// Renders a template into a response.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            PageError(ApiError::Internal).into_response()
        }
    }
}

#[derive(Deserialize)]
struct LanguageQuery {
    ke: String,
    #[serde(default)]
    kembali: String,
}

/// Remembers the visitor's language in a cookie (and, for a signed-in user, as the account's
/// preference) and goes back to the page.
async fn switch_language(
    axum::extract::State(state): axum::extract::State<AppState>,
    v: Visitor,
    axum::extract::Query(q): axum::extract::Query<LanguageQuery>,
) -> Result<Response, PageError> {
    let lang = if q.ke == "en" { "en" } else { "id" };
    if let Some(uid) = v.principal.user_id {
        state
            .store
            .set_language(
                sinergi_domain::ids::UserId(uid),
                lang,
                &v.actor(),
                state.clock.now(),
            )
            .await?;
    }
    // Only paths of this site: never an open redirect.
    let back = if q.kembali.starts_with('/')
        && !q.kembali.starts_with("//")
        && !q.kembali.contains('\\')
    {
        q.kembali.as_str()
    } else {
        "/"
    };
    let mut res = Redirect::to(back).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "lang={lang}; SameSite=Lax; Path=/; Max-Age=31536000"
    )) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}
