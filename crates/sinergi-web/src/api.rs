//! The JSON API under `/api/v1`. Every route is registered here, with its OpenAPI operation.

pub mod accounts;
pub mod agreements;
pub mod cases;
pub mod disputes;
pub mod documents;
pub mod dto;
pub mod feeds;
pub mod health;
pub mod kajian;
pub mod meetings;
pub mod monitoring;
pub mod potential;
pub mod reference;
pub mod regions;
pub mod register_imports;

use crate::state::AppState;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sinergi API",
        description = "Kerja Sama Daerah: the shared cooperation case between regional governments. \
                       Errors share one envelope with a stable `code`; messages are Indonesian by default \
                       and English with `Accept-Language: en`. Lists return `{items, total}` with `limit`/`offset`.",
        license(name = "AGPL-3.0-or-later")
    ),
    components(schemas(crate::error::ErrorEnvelope)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every API route with its documentation (uploads limited to the default 20 MiB).
pub fn routes() -> OpenApiRouter<AppState> {
    routes_with_upload_limit(20 * 1024 * 1024)
}

/// Every API route with its documentation; the upload routes accept bodies up to
/// `max_upload` bytes (plus room for the request's other parts), the rest the server's
/// general body limit.
pub fn routes_with_upload_limit(max_upload: u64) -> OpenApiRouter<AppState> {
    let uploads = OpenApiRouter::new()
        .routes(routes!(documents::upload_wet_ink))
        .routes(routes!(monitoring::upload_evidence))
        .routes(routes!(kajian::attach_telaahan))
        .routes(routes!(register_imports::import_register))
        .layer(crate::state::upload_body_limit(max_upload));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(uploads)
        .routes(routes!(health::health))
        .routes(routes!(health::ready))
        .routes(routes!(regions::list_regions))
        .routes(routes!(regions::get_region))
        .routes(routes!(regions::list_borders))
        .routes(routes!(regions::correct_border))
        .routes(routes!(
            regions::list_report_submissions,
            regions::record_report_submission
        ))
        .routes(routes!(
            regions::list_region_units,
            regions::add_region_unit
        ))
        .routes(routes!(regions::get_numbering))
        .routes(routes!(regions::set_numbering_rule))
        .routes(routes!(regions::list_officials, regions::create_official))
        .routes(routes!(regions::get_tkksd, regions::create_tkksd))
        .routes(routes!(reference::list_urusan))
        .routes(routes!(reference::list_fields))
        .routes(routes!(reference::list_pdrb_categories))
        .routes(routes!(reference::list_rule_sets, reference::add_rule_set))
        .routes(routes!(cases::list_cases, cases::create_case))
        .routes(routes!(register_imports::record_legacy))
        .routes(routes!(disputes::list_disputes, disputes::raise_dispute))
        .routes(routes!(disputes::step_dispute))
        .routes(routes!(cases::get_case, cases::patch_case))
        .routes(routes!(cases::patch_party))
        .routes(routes!(cases::list_kak))
        .routes(routes!(
            cases::list_central_approvals,
            cases::record_central_approval
        ))
        .routes(routes!(kajian::list_kajian))
        .routes(routes!(kajian::download_telaahan))
        .routes(routes!(cases::save_kak))
        .routes(routes!(cases::transition_case))
        .routes(routes!(cases::case_history))
        .routes(routes!(meetings::list_meetings, meetings::create_meeting))
        .routes(routes!(meetings::get_meeting))
        .routes(routes!(meetings::list_letters, meetings::create_letter))
        .routes(routes!(meetings::correct_letter))
        .routes(routes!(meetings::withdraw_letter))
        .routes(routes!(meetings::send_letter))
        .routes(routes!(
            agreements::list_agreements,
            agreements::create_agreement
        ))
        .routes(routes!(
            agreements::get_agreement,
            agreements::patch_agreement
        ))
        .routes(routes!(agreements::transition_agreement))
        .routes(routes!(
            agreements::list_powers_of_attorney,
            agreements::record_power_of_attorney
        ))
        .routes(routes!(accounts::list_notes, accounts::create_note))
        .routes(routes!(accounts::share_note))
        .routes(routes!(accounts::add_unit))
        .routes(routes!(accounts::case_audit))
        .routes(routes!(accounts::me))
        .routes(routes!(accounts::change_password))
        .routes(routes!(accounts::sign_out_everywhere))
        .routes(routes!(accounts::list_tokens, accounts::create_token))
        .routes(routes!(accounts::revoke_token))
        .routes(routes!(accounts::my_audit))
        .routes(routes!(accounts::user_audit))
        .routes(routes!(accounts::list_users, accounts::create_user))
        .routes(routes!(accounts::patch_user))
        .routes(routes!(accounts::reset_user_password))
        .routes(routes!(potential::get_potential))
        .routes(routes!(potential::list_partners))
        .routes(routes!(potential::get_pair))
        .routes(routes!(potential::case_scope_check))
        .routes(routes!(potential::import_table))
        .routes(routes!(potential::list_batches))
        .routes(routes!(monitoring::work_plan))
        .routes(routes!(
            monitoring::list_activities,
            monitoring::create_activity
        ))
        .routes(routes!(monitoring::create_realisation))
        .routes(routes!(monitoring::download_evidence))
        .routes(routes!(
            monitoring::list_programmes,
            monitoring::create_programme
        ))
        .routes(routes!(
            monitoring::list_evaluations,
            monitoring::save_evaluation
        ))
        .routes(routes!(monitoring::evaluation_step))
        .routes(routes!(feeds::my_notifications))
        .routes(routes!(feeds::read_notification))
        .routes(routes!(feeds::create_feed))
        .routes(routes!(feeds::region_calendar))
        .routes(routes!(feeds::private_calendar))
        .routes(routes!(feeds::region_report))
        .routes(routes!(documents::show, documents::start))
        .routes(routes!(documents::pdf))
        .routes(routes!(documents::docx))
        .routes(routes!(documents::edit))
        .routes(routes!(documents::comment))
        .routes(routes!(documents::show_redline))
        .routes(routes!(documents::finalize))
        .routes(routes!(documents::sign))
        .routes(routes!(documents::validate_wet_ink))
        .routes(routes!(documents::verify))
}

/// Paging parameters shared by the lists.
#[derive(Debug, Clone, Copy, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// Rows to skip, 0–100000 (default 0).
    #[param(minimum = 0, maximum = 100_000)]
    pub offset: Option<i64>,
}

impl Paging {
    /// The validated limit and offset.
    ///
    /// # Errors
    /// A limit outside 1–500 or a negative offset.
    pub fn resolve(self) -> Result<(i64, i64), crate::ApiError> {
        let limit = self.limit.unwrap_or(50);
        let offset = self.offset.unwrap_or(0);
        if !(1..=500).contains(&limit) {
            return Err(crate::ApiError::BadQuery {
                detail: format!("limit={limit} (1–500)"),
            });
        }
        if offset < 0 {
            return Err(crate::ApiError::BadQuery {
                detail: format!("offset={offset} (≥ 0)"),
            });
        }
        Ok((limit, offset))
    }
}
