//! The OpenAPI document as a contract every test keeps (issue 15): each response that
//! [`crate::TestApp::request`] receives from a documented operation must have a documented
//! status, a documented media type, and — for JSON — a body that validates against the
//! operation's schema for that status (JSON Schema 2020-12, as OpenAPI 3.1 uses it, checked
//! with the `jsonschema` crate). A mismatch panics in the test that produced it, so the
//! whole integration suite checks the document against the server's real answers.

use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use std::sync::{LazyLock, Mutex};

struct Contract {
    doc: Value,
    /// (path template, its segments), most literal segments first.
    templates: Vec<(String, Vec<String>)>,
}

static CONTRACT: LazyLock<Contract> = LazyLock::new(|| {
    let doc = serde_json::to_value(sinergi_web::openapi()).expect("OpenAPI as JSON");
    let mut templates: Vec<(String, Vec<String>)> = doc["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(|p| (p.clone(), p.split('/').map(str::to_owned).collect()))
        .collect();
    templates.sort_by_key(|(_, segs)| {
        std::cmp::Reverse(segs.iter().filter(|s| !s.starts_with('{')).count())
    });
    Contract { doc, templates }
});

type Validators = HashMap<(String, String, String), jsonschema::Validator>;
static VALIDATORS: LazyLock<Mutex<Validators>> = LazyLock::new(|| Mutex::new(HashMap::new()));
static SEEN: LazyLock<Mutex<BTreeSet<(String, String, u16)>>> =
    LazyLock::new(|| Mutex::new(BTreeSet::new()));

/// The documented path template a concrete path belongs to.
#[must_use]
pub fn template_of(path: &str) -> Option<String> {
    let segs: Vec<&str> = path.split('/').collect();
    CONTRACT
        .templates
        .iter()
        .find(|(_, t)| {
            t.len() == segs.len()
                && t.iter()
                    .zip(&segs)
                    .all(|(t, s)| t.starts_with('{') || t == s)
        })
        .map(|(p, _)| p.clone())
}

/// Every (METHOD, path template, status) answered so far in this process.
#[must_use]
pub fn seen() -> BTreeSet<(String, String, u16)> {
    SEEN.lock().expect("seen").clone()
}

/// Every documented (METHOD, path template).
#[must_use]
pub fn operations() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, item) in CONTRACT.doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            out.push((method.to_uppercase(), path.clone()));
        }
    }
    out
}

/// The document (as the server serves it).
#[must_use]
pub fn document() -> &'static Value {
    &CONTRACT.doc
}

/// A broken promise of the document: a panic, or with `SINERGI_TEST_CONTRACT_LOG=FILE` a line
/// appended to FILE (to collect every mismatch of a whole suite run at once).
fn fail(message: &str) {
    if let Ok(path) = std::env::var("SINERGI_TEST_CONTRACT_LOG") {
        use std::io::Write as _;
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let first: String = message.chars().take(600).collect();
            let _ = writeln!(f, "{}", first.replace('\n', " | "));
        }
        return;
    }
    panic!("{message}");
}

/// Checks one response; panics with what differs from the document.
pub fn check(method: &str, uri: &str, status: u16, content_type: Option<&str>, body: &[u8]) {
    let path = uri.split('?').next().unwrap_or(uri);
    let Some(template) = template_of(path) else {
        return;
    };
    let m = method.to_lowercase();
    let Some(op) = CONTRACT.doc["paths"][&template].get(&m) else {
        // A method the path does not have: the router's 405, not an operation.
        return;
    };
    SEEN.lock()
        .expect("seen")
        .insert((method.to_uppercase(), template.clone(), status));
    let key = status.to_string();
    let Some(response) = op["responses"].get(&key) else {
        fail(&format!(
            "OpenAPI: {method} {template} answered {status}, which is not documented \
             (documented: {:?}); body: {}",
            op["responses"]
                .as_object()
                .map(|r| r.keys().collect::<Vec<_>>()),
            String::from_utf8_lossy(body)
        ));
        return;
    };
    let media = content_type
        .map(|c| c.split(';').next().unwrap_or(c).trim().to_owned())
        .unwrap_or_default();
    let content = response["content"].as_object();
    if body.is_empty() && content.is_none() {
        return;
    }
    let Some(content) = content else {
        fail(&format!(
            "OpenAPI: {method} {template} {status} has a body ({media}) but documents none: {}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        ));
        return;
    };
    let Some((doc_media, entry)) = content.iter().find(|(k, _)| {
        **k == media
            || k.as_str() == "*/*"
            || (k.ends_with("/*") && media.starts_with(k.trim_end_matches('*')))
    }) else {
        fail(&format!(
            "OpenAPI: {method} {template} {status} answered {media}, documented {:?}",
            content.keys().collect::<Vec<_>>()
        ));
        return;
    };
    if media != "application/json" {
        return;
    }
    let Some(schema) = entry.get("schema") else {
        return;
    };
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            fail(&format!(
                "OpenAPI: {method} {template} {status} says {doc_media} but the body is not JSON ({e}): {}",
                String::from_utf8_lossy(body)
            ));
            return;
        }
    };
    let mut validators = VALIDATORS.lock().expect("validators");
    let vkey = (m.clone(), template.clone(), key);
    if !validators.contains_key(&vkey) {
        // The response schema as the root, with the components it refers to beside it.
        let mut root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": CONTRACT.doc["components"].clone(),
        });
        if let (Some(r), Some(s)) = (root.as_object_mut(), schema.as_object()) {
            for (k, v) in s {
                r.insert(k.clone(), v.clone());
            }
        }
        let v = jsonschema::draft202012::new(&root).unwrap_or_else(|e| {
            panic!("OpenAPI: the schema of {method} {template} {status} does not compile: {e}")
        });
        validators.insert(vkey.clone(), v);
    }
    let validator = &validators[&vkey];
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    if !errors.is_empty() {
        fail(&format!(
            "OpenAPI: {method} {uri} ({template}) {status} does not match its schema:\n  {}\nbody: {}",
            errors.join("\n  "),
            serde_json::to_string(&value)
                .unwrap_or_default()
                .chars()
                .take(2000)
                .collect::<String>()
        ));
    }
}
