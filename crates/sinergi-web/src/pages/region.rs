//! `/wilayah/{code}`: a region — profile, officials, its cases and its partners (list and an
//! SVG network drawn on the server).

use super::{Chrome, PageError, Visitor, render};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use sinergi_store::{CaseFilter, CaseSort};
use std::collections::HashMap;

pub struct CaseLine {
    pub id: String,
    pub title: String,
    pub stage: String,
    pub year: i32,
    pub fictional: bool,
}

pub struct Node {
    pub code: String,
    pub name: String,
    pub cases: i64,
    pub x: f64,
    pub y: f64,
    pub width: f64,
}

#[derive(Template)]
#[template(path = "region.html")]
struct RegionPage {
    chrome: Chrome,
    errors: Vec<String>,
    prefill: HashMap<String, String>,
    official_choices: Vec<(String, String)>,
    tkksd: Vec<String>,
    code: String,
    name: String,
    level: String,
    timezone: String,
    ancestors: Vec<(String, String)>,
    aliases: Vec<String>,
    neighbours: Vec<(String, String)>,
    children: i64,
    officials: Vec<String>,
    cases: Vec<CaseLine>,
    total_cases: i64,
    partners: Vec<Node>,
    version: String,
    /// The visitor is this region's admin (or the operator): a link to its accounts.
    manages_accounts: bool,
    /// The region's own secretariat may bring its earlier register in.
    imports_register: bool,
    /// Reports sent up the line (for those who may read the region's reports).
    submissions: Vec<SubmissionLine>,
    /// The visitor records the region's sent reports (its secretariat).
    records_reports: bool,
    /// A kabupaten/kota (its report to the Minister goes through the Governor).
    is_province: bool,
    /// The region's numbering rules and its register (for those who may read its reports).
    rules: Vec<RuleLine>,
    register: Vec<RegisterLine>,
    /// The region's OPD ("name (abbreviation)") and their names for the unit fields.
    opds: Vec<String>,
    opd_names: Vec<String>,
}

/// One numbering rule as the region page shows it.
pub struct RuleLine {
    pub kind: &'static str,
    pub classification: String,
    pub unit_code: String,
    pub pattern: String,
    /// The number the next document would get in the first month of a year (an example).
    pub example: String,
    pub yearly_reset: bool,
    pub retention: String,
}

/// One issued number.
pub struct RegisterLine {
    pub number: String,
    pub kind: &'static str,
    pub case_id: String,
    pub classification: String,
    pub retained_until: String,
    pub issued_on: String,
    pub issued_by: String,
}

pub struct SubmissionLine {
    pub kind: &'static str,
    pub period: String,
    pub addressee: String,
    pub letter: String,
    pub sent_on: String,
}

fn level_label(level: &str, lang: sinergi_domain::Lang) -> &'static str {
    match level {
        "province" => lang.pick("Provinsi", "Province"),
        "regency" => lang.pick("Kabupaten", "Regency"),
        "city" => lang.pick("Kota", "City"),
        "district" => lang.pick("Kecamatan", "District"),
        _ => lang.pick("Desa/Kelurahan", "Village"),
    }
}

impl RegionPage {
    /// A refused form's value for `key`.
    #[must_use]
    pub fn val<'a>(&'a self, key: &str) -> &'a str {
        self.prefill.get(key).map_or("", String::as_str)
    }
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    page_with_errors(
        &state,
        &v,
        &code,
        Vec::new(),
        HashMap::new(),
        StatusCode::OK,
    )
    .await
}

/// The region page, with the reasons and the values of a refused form.
pub(crate) async fn page_with_errors(
    state: &AppState,
    v: &Visitor,
    code: &str,
    errors: Vec<String>,
    prefill: HashMap<String, String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let r = state.store.get_region(code).await?;
    let tkksd = state.store.current_tkksd(code).await?;
    let officials = state
        .store
        .officials_of_regions(std::slice::from_ref(&r.region.code))
        .await?;
    let cases = state
        .store
        .list_cases(&CaseFilter {
            region: Some(r.region.code.clone()),
            visibility: v.visibility(),
            sort: CaseSort::UpdatedDesc,
            limit: 100,
            ..CaseFilter::default()
        })
        .await?;
    let partners = state
        .store
        .partners_of(&r.region.code, &v.visibility())
        .await?;
    let shown: Vec<_> = partners.iter().take(24).collect();
    let n = shown.len().max(1);
    let max = shown.iter().map(|p| p.cases).max().unwrap_or(1).max(1);
    #[expect(
        clippy::cast_precision_loss,
        reason = "at most 24 nodes and small counts"
    )]
    let nodes = shown
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let angle =
                std::f64::consts::TAU * (i as f64) / (n as f64) - std::f64::consts::FRAC_PI_2;
            Node {
                code: p.code.clone(),
                name: p.name.clone(),
                cases: p.cases,
                x: 260.0 + 180.0 * angle.cos(),
                y: 200.0 + 150.0 * angle.sin(),
                width: 1.0 + 5.0 * (p.cases as f64) / (max as f64),
            }
        })
        .collect();
    let tkksd_lines = tkksd
        .map(|t| {
            t.members
                .iter()
                .filter_map(|m| {
                    officials
                        .iter()
                        .find(|o| o.id == m.official)
                        .map(|o| format!("{} — {} ({})", o.name, o.title(), m.position.as_str()))
                })
                .collect()
        })
        .unwrap_or_default();
    let manages_accounts = v.staff
        && sinergi_domain::account::may_manage_accounts(
            &v.principal,
            &r.region.code,
            str::to_owned,
        )
        .is_ok();
    let relation = v.principal.relation_to_side(&r.region.code, &[]);
    let may = |perm| v.staff && v.principal.may(perm, relation, false);
    let imports_register = ["province", "regency", "city"].contains(&r.region.level.as_str())
        && may(sinergi_domain::access::Perm::RegisterImport);
    let submissions = if may(sinergi_domain::access::Perm::ReportRead) {
        state
            .app
            .report_submissions(&v.caller(), &r.region.code)
            .await
            .map_err(ApiError::from)?
            .into_iter()
            .map(|s| SubmissionLine {
                kind: sinergi_domain::report_submission::ReportKind::parse(&s.kind)
                    .map_or("", |k| k.label_id()),
                period: s.period,
                addressee: {
                    let a = sinergi_domain::report_submission::Addressee::parse(&s.addressee)
                        .map_or("", |a| a.label_id());
                    if s.via_governor {
                        format!(
                            "{a} {}",
                            lang.pick("melalui Gubernur", "through the Governor")
                        )
                    } else {
                        a.to_owned()
                    }
                },
                letter: s.letter_number,
                sent_on: sinergi_domain::locale::date_short(s.sent_on, lang),
            })
            .collect()
    } else {
        Vec::new()
    };
    let records_reports = may(sinergi_domain::access::Perm::RegionManage);
    let (rules, register) = if may(sinergi_domain::access::Perm::ReportRead) {
        numbering_lines(state, v, &r.region.code).await?
    } else {
        (Vec::new(), Vec::new())
    };
    let is_province = r.region.level == "province";
    let units = state.store.opds_of_region(&r.region.code).await?;
    let opds = units
        .iter()
        .map(|o| match &o.abbreviation {
            Some(a) => format!("{} ({a})", o.name),
            None => o.name.clone(),
        })
        .collect();
    let opd_names = units.into_iter().map(|o| o.name).collect();
    let mut res = render(&RegionPage {
        manages_accounts,
        imports_register,
        submissions,
        records_reports,
        is_province,
        rules,
        register,
        opds,
        opd_names,
        errors,
        prefill,
        official_choices: officials
            .iter()
            .map(|o| (o.id.to_string(), format!("{} — {}", o.name, o.title())))
            .collect(),
        tkksd: tkksd_lines,
        chrome: Chrome::new(v, "region"),
        name: r.region.name.clone(),
        level: level_label(&r.region.level, lang).to_owned(),
        timezone: r.region.timezone.clone(),
        ancestors: r
            .ancestors
            .iter()
            .map(|a| (a.code.clone(), a.name.clone()))
            .collect(),
        aliases: r.aliases.clone(),
        neighbours: r
            .neighbours
            .iter()
            .map(|a| (a.code.clone(), a.name.clone()))
            .collect(),
        children: r.children_count,
        officials: officials
            .iter()
            .map(|o| format!("{} — {}", o.name, o.title()))
            .collect(),
        total_cases: cases.total,
        cases: cases
            .items
            .into_iter()
            .map(|c| CaseLine {
                id: c.id.to_string(),
                title: c.title,
                stage: lang.pick(c.stage.label_id(), c.stage.label_en()).to_owned(),
                year: c.year,
                fictional: c.fictional,
            })
            .collect(),
        partners: nodes,
        version: r.wilayah_version.clone(),
        code: r.region.code,
    });
    *res.status_mut() = status;
    Ok(res)
}

/// The region's rules (with an example number) and the numbers it issued.
async fn numbering_lines(
    state: &AppState,
    v: &Visitor,
    code: &str,
) -> Result<(Vec<RuleLine>, Vec<RegisterLine>), PageError> {
    use sinergi_domain::numbering::NumberedKind;
    let lang = v.lang;
    let (rules, register) = state
        .app
        .numbering(&v.caller(), code, None)
        .await
        .map_err(ApiError::from)?;
    let kind_label = |k: &str| NumberedKind::parse(k).map_or("", NumberedKind::label_id);
    let today = sinergi_domain::clock::today(state.clock.now());
    let rules = rules
        .iter()
        .map(|row| RuleLine {
            kind: kind_label(&row.kind),
            classification: row.classification.clone(),
            unit_code: row.unit_code.clone(),
            pattern: row.pattern.clone(),
            example: row.rule().map(|r| r.format(1, today)).unwrap_or_default(),
            yearly_reset: row.yearly_reset,
            retention: row.retention_years.map_or_else(
                || lang.pick("belum ditetapkan", "not set").to_owned(),
                |y| {
                    format!(
                        "{y} {}",
                        lang.pick("tahun setelah berakhir", "years after the end")
                    )
                },
            ),
        })
        .collect();
    let register = register
        .into_iter()
        .map(|e| RegisterLine {
            kind: kind_label(&e.kind),
            case_id: e.case_id.to_string(),
            classification: e.classification,
            retained_until: e.retained_until.map(|y| y.to_string()).unwrap_or_default(),
            issued_on: sinergi_domain::locale::date_short(e.issued_on, lang),
            issued_by: e.issued_by,
            number: e.number,
        })
        .collect();
    Ok((rules, register))
}
