//! The OpenAPI document as clients and validators read it, and the router keeping its word.
//!
//! The handlers' annotations describe each operation's own answers; [`complete`] adds what
//! every operation shares because the layers around the handlers produce it (issue 15):
//! the error envelope for a bad path, query or body (400), an unknown or missing sign-in
//! (401), a refused permission or CSRF token (403), an unknown case or record (404), an
//! oversized body (413), a body that is not JSON (415), and the bearer security requirement
//! of every route the permission table closes to anonymous callers. Every response gets a
//! description (OpenAPI requires one).
//!
//! [`QueryRules`] reads the documented query parameters back from the finished document and
//! [`enforce_query`] refuses a request whose query breaks them (a type, a minimum or maximum,
//! an enum) with `request.invalid_query` before the handler runs: a documented limit is a
//! real limit, and the document cannot promise what the server does not check.

use crate::error::ApiError;
use crate::policy;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use sinergi_domain::access::Perm;
use std::collections::HashMap;
use std::sync::Arc;

const ENVELOPE: &str = "#/components/schemas/ErrorEnvelope";

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": ENVELOPE } } }
    })
}

/// The description of a status whose annotation gave none.
fn default_description(status: &str) -> &'static str {
    match status {
        "200" => "Berhasil (OK).",
        "201" => "Dibuat (created).",
        "204" => "Berhasil, tanpa isi (no content).",
        "400" => "Permintaan tidak valid: alamat, parameter pencarian atau isi JSON (bad request).",
        "401" => {
            "Perlu masuk, atau token tidak dikenal/dicabut (sign-in needed, or an unknown or revoked token)."
        }
        "403" => {
            "Tidak berwenang, atau token CSRF sesi tidak cocok (not permitted, or a session's CSRF token is wrong)."
        }
        "404" => {
            "Tidak ditemukan atau tidak terlihat oleh pemanggil (not found, or not visible to the caller)."
        }
        "409" => {
            "Bertabrakan dengan keadaan saat ini: versi usang atau tahap yang tidak sesuai (conflict: a stale version or the wrong stage)."
        }
        "413" => "Isi permintaan terlalu besar (request body too large).",
        "415" => "Isi permintaan harus JSON (the body must be application/json).",
        "422" => {
            "Isi permintaan ditolak aturan: validasi atau penjaga alur kerja (refused by validation or a workflow guard)."
        }
        "429" => "Terlalu banyak percobaan (too many attempts).",
        "500" => {
            "Kesalahan server; sebutkan request_id saat melapor (server error; quote the request_id)."
        }
        "503" => "Layanan belum siap (service not ready).",
        _ => "Jawaban (response).",
    }
}

fn requires_sign_in(perm: Perm) -> bool {
    !matches!(perm, Perm::PublicRead | Perm::CaseRead)
}

/// Adds the shared responses, security requirements and descriptions to `doc`.
#[must_use]
pub fn complete(doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let Ok(mut v) = serde_json::to_value(&doc) else {
        return doc;
    };
    complete_value(&mut v);
    serde_json::from_value(v).unwrap_or(doc)
}

/// [`complete`] on the document as JSON.
pub fn complete_value(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            complete_operation(path, method, op);
        }
    }
}

fn complete_operation(path: &str, method: &str, op: &mut Map<String, Value>) {
    let policy = policy::lookup(&method.to_uppercase(), path);
    let params = op
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let has_path = path.contains('{');
    let has_query = params.iter().any(|p| p["in"] == "query");
    let body_types: Vec<String> = op
        .get("requestBody")
        .and_then(|b| b.get("content"))
        .and_then(Value::as_object)
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default();
    let has_body = !body_types.is_empty();
    let json_body = body_types.iter().any(|t| t == "application/json");
    let sign_in = policy.is_some_and(|p| requires_sign_in(p.perm));
    let public = policy.is_some_and(|p| p.perm == Perm::PublicRead);
    let writes = !matches!(method, "get" | "head" | "options");

    if sign_in && !op.contains_key("security") {
        op.insert("security".into(), json!([{ "bearer": [] }]));
    } else if !sign_in && !public && !op.contains_key("security") {
        // Readable anonymously (published cases), more when signed in.
        op.insert("security".into(), json!([{}, { "bearer": [] }]));
    }

    let responses = op
        .entry("responses")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(responses) = responses.as_object_mut() else {
        return;
    };
    let mut add = |status: &str| {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| error_response(default_description(status)));
    };
    if has_path || has_query || has_body {
        add("400");
    }
    // An unknown or revoked bearer token is refused on every route, public ones included.
    add("401");
    if !public || writes {
        add("403");
    }
    if has_path {
        add("404");
    }
    if has_body {
        add("413");
    }
    if json_body {
        add("415");
    }
    // A fault of the server (or of a service it depends on, such as file storage) is the
    // error envelope with the request id to quote.
    add("500");
    for (status, r) in responses.iter_mut() {
        if let Some(r) = r.as_object_mut()
            && !r.contains_key("description")
        {
            r.insert(
                "description".into(),
                Value::String(default_description(status).to_owned()),
            );
        }
    }
}

/// The constraints of one documented query parameter.
#[derive(Debug, Clone, Default)]
struct Rule {
    name: String,
    required: bool,
    kind: Option<String>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    allowed: Option<Vec<String>>,
}

/// The documented query parameters of every operation, keyed by (METHOD, path template).
#[derive(Debug, Clone, Default)]
pub struct QueryRules {
    ops: HashMap<(String, String), Vec<Rule>>,
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let mut s = schema;
    for _ in 0..8 {
        match s.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                Some(next) => s = next,
                None => return s,
            },
            None => return s,
        }
    }
    s
}

fn rule(doc: &Value, p: &Value) -> Rule {
    let schema = resolve(doc, &p["schema"]);
    // `type` may be "integer" or ["integer", "null"]; `oneOf` [{$ref}, {type: null}].
    let schema = schema
        .get("oneOf")
        .and_then(Value::as_array)
        .and_then(|alts| {
            alts.iter()
                .map(|a| resolve(doc, a))
                .find(|a| a["type"] != "null")
        })
        .unwrap_or(schema);
    let kind = match &schema["type"] {
        Value::String(t) => Some(t.clone()),
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .map(str::to_owned),
        _ => None,
    };
    Rule {
        name: p["name"].as_str().unwrap_or_default().to_owned(),
        required: p["required"].as_bool().unwrap_or(false),
        kind,
        minimum: schema["minimum"].as_f64(),
        maximum: schema["maximum"].as_f64(),
        allowed: schema["enum"].as_array().map(|e| {
            e.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        }),
    }
}

impl QueryRules {
    /// Reads the rules from a finished document.
    #[must_use]
    pub fn from_document(doc: &utoipa::openapi::OpenApi) -> Self {
        let v = serde_json::to_value(doc).unwrap_or_default();
        let mut ops = HashMap::new();
        if let Some(paths) = v["paths"].as_object() {
            for (path, item) in paths {
                for (method, op) in item.as_object().into_iter().flatten() {
                    let rules: Vec<Rule> = op["parameters"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|p| p["in"] == "query")
                        .map(|p| rule(&v, p))
                        .collect();
                    if !rules.is_empty() {
                        ops.insert((method.to_uppercase(), path.clone()), rules);
                    }
                }
            }
        }
        Self { ops }
    }

    /// Checks a query string against the operation's rules; `Err` names what is wrong.
    ///
    /// # Errors
    /// The first broken rule, as `name=value (what is allowed)`.
    pub fn check(&self, method: &str, path: &str, query: Option<&str>) -> Result<(), String> {
        let method = if method == "HEAD" { "GET" } else { method };
        let Some(rules) = self.ops.get(&(method.to_owned(), path.to_owned())) else {
            return Ok(());
        };
        let pairs: Vec<(String, String)> = query.map(url_pairs).unwrap_or_default();
        for r in rules {
            let values: Vec<&str> = pairs
                .iter()
                .filter(|(k, _)| *k == r.name)
                .map(|(_, v)| v.as_str())
                .collect();
            if values.is_empty() && r.required {
                return Err(format!("{} (wajib diisi, required)", r.name));
            }
            for value in values {
                check_value(r, value)?;
            }
        }
        Ok(())
    }
}

fn url_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                if let Ok(b) = u8::from_str_radix(hex, 16) {
                    out.push(b);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn check_value(r: &Rule, value: &str) -> Result<(), String> {
    let bad = |what: String| Err(format!("{}={value} ({what})", r.name));
    if value.is_empty() && r.kind.as_deref() != Some("string") {
        // An empty value is "not given" for the deserialiser of optional fields.
        return Ok(());
    }
    let number = match r.kind.as_deref() {
        Some("integer") => match value.parse::<i64>() {
            #[expect(clippy::cast_precision_loss, reason = "bounds are small")]
            Ok(n) => Some(n as f64),
            Err(_) => return bad("bilangan bulat, an integer".into()),
        },
        Some("number") => match value.parse::<f64>() {
            Ok(n) if n.is_finite() => Some(n),
            _ => return bad("bilangan, a number".into()),
        },
        Some("boolean") => {
            if value != "true" && value != "false" {
                return bad("true/false".into());
            }
            None
        }
        _ => None,
    };
    if let Some(n) = number {
        if let Some(min) = r.minimum
            && n < min
        {
            return bad(format!("paling kecil {min}, at least {min}"));
        }
        if let Some(max) = r.maximum
            && n > max
        {
            return bad(format!("paling besar {max}, at most {max}"));
        }
    }
    if let Some(allowed) = &r.allowed
        && !allowed.iter().any(|a| a == value)
    {
        return bad(allowed.join(", "));
    }
    Ok(())
}

/// Refuses a request whose query string breaks the documented rules of its operation.
pub async fn enforce_query(
    State(rules): State<Arc<QueryRules>>,
    req: Request,
    next: Next,
) -> Response {
    let matched = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    if let Some(path) = matched
        && let Err(detail) = rules.check(req.method().as_str(), &path, req.uri().query())
    {
        return ApiError::BadQuery { detail }.into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_and_pairs() {
        assert_eq!(
            url_pairs("q=kerja+sama&x=%C3%A9&y"),
            vec![
                ("q".into(), "kerja sama".into()),
                ("x".into(), "é".into()),
                ("y".into(), String::new())
            ]
        );
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn rules_refuse_what_the_document_does_not_allow() {
        let r = Rule {
            name: "limit".into(),
            kind: Some("integer".into()),
            minimum: Some(1.0),
            maximum: Some(500.0),
            ..Rule::default()
        };
        assert!(check_value(&r, "50").is_ok());
        assert!(check_value(&r, "0").is_err());
        assert!(check_value(&r, "501").is_err());
        assert!(check_value(&r, "lima").is_err());
        let e = Rule {
            name: "data".into(),
            kind: Some("string".into()),
            allowed: Some(vec!["real".into(), "synthetic".into()]),
            ..Rule::default()
        };
        assert!(check_value(&e, "real").is_ok());
        assert_eq!(
            check_value(&e, "lain").unwrap_err(),
            "data=lain (real, synthetic)"
        );
    }
}
