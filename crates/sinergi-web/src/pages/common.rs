//! Small helpers every page handler uses: parsing a case id, the messages of a refusal, the
//! lines of a text box, the signed-in visitor.

use crate::error::ApiError;
use crate::pages::{PageError, Visitor};
use sinergi_domain::ids::CaseId;
use sinergi_domain::{DomainError, Lang};

pub struct Choice {
    pub value: String,
    pub label: String,
}

/// A moment as the reader reads it: the date and time in `zone`, with the zone's name
/// ("Senin, 1 Juni 2026 pukul 10.00 WITA"). Date and time always come from the same zone.
#[must_use]
pub(crate) fn stamp(
    t: time::OffsetDateTime,
    zone: sinergi_reference::TimeZone,
    lang: Lang,
) -> String {
    let offset =
        time::UtcOffset::from_hms(zone.utc_offset_hours(), 0, 0).unwrap_or(time::UtcOffset::UTC);
    let local = t.to_offset(offset);
    format!(
        "{} {} {:02}.{:02} {}",
        sinergi_domain::locale::date_long(local.date(), lang),
        lang.pick("pukul", "at"),
        local.hour(),
        local.minute(),
        zone.label()
    )
}

pub(crate) fn parse_id(s: &str) -> Result<CaseId, PageError> {
    s.parse()
        .map_err(|_| PageError(DomainError::not_found("case", s).into()))
}

/// The messages of a refusal, field by field.
pub(crate) fn messages(e: &ApiError, lang: Lang) -> Vec<String> {
    let mut out = vec![e.message(lang)];
    if let ApiError::Domain(d) = e {
        out.extend(
            d.fields()
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message(lang))),
        );
    }
    out
}

pub(crate) fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The actor of a change; the authorisation layer has already refused anyone not allowed.
pub(crate) fn require_staff(v: &Visitor) -> Result<sinergi_domain::access::Actor, PageError> {
    if v.staff {
        Ok(v.actor())
    } else {
        Err(ApiError::Unauthorized.into())
    }
}

/// A field refusal in both languages.
pub(crate) fn invalid(field: &str, lang_id: &str, lang_en: &str) -> ApiError {
    ApiError::Domain(DomainError::Validation(vec![
        sinergi_domain::FieldError::new(field, "invalid", lang_id, lang_en),
    ]))
}
