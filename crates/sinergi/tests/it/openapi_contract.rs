//! The OpenAPI document against its real consumers (issue 15): `openapi-spec-validator`
//! accepts it, and every documented operation is called — with the founding case's real ids
//! for the success answers, and with the errors every client meets (no or a revoked token, a
//! malformed id, an unknown id, a body that is not JSON, malformed JSON, a query over a
//! documented maximum or outside a documented enum). `TestApp::request` validates each answer
//! against the document (`sinergi_test_support::contract`), so a status or a body the
//! document does not describe fails here.

use crate::on_both;
use axum::http::{Method, StatusCode};
use sinergi_test_support::{TOKEN, TestApp, contract};
use std::collections::BTreeSet;

#[test]
fn openapi_spec_validator_accepts_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openapi.json");
    std::fs::write(&path, serde_json::to_vec(&sinergi_web::openapi()).unwrap()).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-m", "openapi_spec_validator"])
        .arg(&path)
        .output()
        .expect("python3");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !text.contains("No module named"),
        "pip install openapi-spec-validator (as .ci/run does): {text}"
    );
    assert!(
        out.status.success(),
        "openapi-spec-validator refused the document:\n{text}"
    );
    assert!(text.contains("OK"), "{text}");
}

#[test]
fn every_response_has_a_description_and_queries_are_in_the_query() {
    let doc = contract::document();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, r) in op["responses"].as_object().unwrap() {
                assert!(r["description"].is_string(), "{method} {path} {status}");
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] == "path" {
                    let name = p["name"].as_str().unwrap();
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: {name} is not a path parameter"
                    );
                }
            }
            if op.get("security").is_some() {
                assert!(op["responses"]["401"].is_object(), "{method} {path}");
            }
        }
    }
}

/// A concrete path for a template: real ids of the founding case where there are such.
fn concrete(template: &str, ids: &Ids) -> String {
    template
        .replace("{id}", &ids.case)
        .replace("{code}", "62")
        .replace("{partner}", "51")
        .replace("{meeting_id}", &ids.meeting)
        .replace("{agreement_id}", &ids.agreement)
        .replace("{ordinal}", "1")
        .replace(
            "{kind}",
            if template.contains("/reports/") {
                "register"
            } else {
                "kb"
            },
        )
        .replace("{uid}", &ids.user)
        .split('/')
        .map(|s| {
            if s.starts_with('{') {
                "017fb939-1400-7000-8000-0000000000ff"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

struct Ids {
    case: String,
    meeting: String,
    agreement: String,
    user: String,
}

async fn call(
    app: &TestApp,
    method: &Method,
    uri: &str,
    body: Option<(&str, &[u8])>,
    token: Option<&str>,
) -> StatusCode {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers: Vec<(&str, &str)> = Vec::new();
    if let Some(a) = &auth {
        headers.push(("authorization", a));
    }
    if let Some((ct, _)) = body {
        headers.push(("content-type", ct));
    }
    app.request(method.clone(), uri, body.map(|(_, b)| b.to_vec()), &headers)
        .await
        .status
}

on_both! {
    async fn every_operation_answers_what_the_document_says(app: TestApp) {
        app.store.load_founding_case(app.now()).await.unwrap();
        let case = sinergi_domain::demo::FOUNDING_CASE_ID.to_string();
        let meetings = app.get_staff(&format!("/api/v1/cases/{case}/meetings")).await.json();
        let agreements = app.get_staff(&format!("/api/v1/cases/{case}/agreements")).await.json();
        let me = app.get_staff("/api/v1/me").await;
        let _ = &me;
        let ids = Ids {
            case: case.clone(),
            meeting: meetings["items"][0]["id"].as_str().unwrap().to_owned(),
            agreement: agreements["items"][0]["id"].as_str().unwrap().to_owned(),
            user: me.json()["id"].as_str().unwrap_or("017fb939-1400-7000-8000-0000000000fe").to_owned(),
        };
        // An administrator of Kalimantan Tengah (a party) reads what the operator token cannot:
        // their own account, notes of their side.
        crate::monitoring::add_user(&app, "admin62", "62", &["admin"], Some("admin62@kalteng.test"), None).await;
        let admin = app.token_of("admin62").await;
        let mut succeeded: BTreeSet<(String, String)> = BTreeSet::new();
        let mut refused: BTreeSet<(String, String)> = BTreeSet::new();
        for (method, template) in contract::operations() {
            let m = Method::from_bytes(method.as_bytes()).unwrap();
            let uri = concrete(&template, &ids);
            let key = (method.clone(), template.clone());
            let writes = m != Method::GET;
            // A revoked or unknown token is refused on every route.
            assert_eq!(call(&app, &m, &uri, None, Some("kein-token")).await, StatusCode::UNAUTHORIZED, "{method} {template}");
            // Anonymous: whatever it answers must be documented (checked inside `request`).
            let anon = call(&app, &m, &uri, None, None).await;
            if writes {
                assert!(anon == StatusCode::UNAUTHORIZED || anon == StatusCode::NOT_FOUND, "{method} {template}: {anon}");
            }
            if template.contains("{id}") {
                let bad = uri.replacen(&ids.case, "bukan-uuid", 1);
                let s = call(&app, &m, &bad, None, Some(TOKEN)).await;
                assert!(s == StatusCode::BAD_REQUEST || s == StatusCode::NOT_FOUND, "{method} {template}: {s}");
                let unknown = uri.replacen(&ids.case, "017fb939-1400-7000-8000-0000000000aa", 1);
                let s = call(&app, &m, &unknown, None, Some(TOKEN)).await;
                assert!(s.is_client_error(), "{method} {template}: {s}");
            }
            if writes {
                let op = &contract::document()["paths"][&template][method.to_lowercase()];
                if op["requestBody"]["content"]["application/json"].is_object() {
                    // Refused either by the permission check or by the body reader, always
                    // with a documented status (checked inside `request`).
                    let s = call(&app, &m, &uri, Some(("text/plain", b"{}")), Some(TOKEN)).await;
                    assert!(s.is_client_error(), "{method} {template}: {s}");
                    let s = call(&app, &m, &uri, Some(("application/json", b"{\"kurang")), Some(TOKEN)).await;
                    assert!(s.is_client_error(), "{method} {template}: {s}");
                    if s != StatusCode::FORBIDDEN && s != StatusCode::NOT_FOUND {
                        assert_eq!(s, StatusCode::BAD_REQUEST, "{method} {template}: malformed JSON");
                    }
                }
                refused.insert(key);
                continue;
            }
            let mut s = call(&app, &m, &uri, None, Some(TOKEN)).await;
            if !s.is_success() {
                s = call(&app, &m, &uri, None, Some(&admin)).await;
            }
            if s.is_success() {
                succeeded.insert(key);
            } else {
                refused.insert(key);
            }
        }
        // Reading works wherever the founding case has the record.
        for must in ["/api/v1/cases", "/api/v1/cases/{id}", "/api/v1/cases/{id}/meetings/{meeting_id}", "/api/v1/cases/{id}/agreements/{agreement_id}",
                     "/api/v1/regions/{code}", "/api/v1/regions/{code}/partners/{partner}", "/api/v1/cases/{id}/documents/{kind}/pdf",
                     "/api/v1/cases/{id}/history", "/api/v1/cases/{id}/audit", "/api/v1/regions/{code}/reports/{kind}", "/api/v1/regions/{code}/calendar.ics"] {
            assert!(succeeded.contains(&("GET".to_owned(), must.to_owned())), "GET {must} did not succeed");
        }
        let gets = contract::operations().into_iter().filter(|(m, _)| m == "GET").count();
        assert!(succeeded.len() * 10 >= gets * 8, "only {} of {gets} reads succeeded: refused {refused:?}", succeeded.len());

        // Documented maxima and enums are enforced.
        for (uri, code) in [
            ("/api/v1/cases?offset=100001", "request.invalid_query"),
            ("/api/v1/cases?limit=501", "request.invalid_query"),
            ("/api/v1/cases?limit=lima", "request.invalid_query"),
            ("/api/v1/regions?offset=-1", "request.invalid_query"),
            ("/api/v1/regions/62/potential?data=lain", "request.invalid_query"),
            ("/api/v1/regions/62/partners?data=lain", "request.invalid_query"),
            ("/api/v1/regions/62/partners/51?data=lain", "request.invalid_query"),
        ] {
            let res = app.get(uri).await;
            res.assert_status(StatusCode::BAD_REQUEST);
            assert_eq!(res.code(), code, "{uri}");
        }
        app.get("/api/v1/cases?offset=100000").await.assert_status(StatusCode::OK);
        app.get("/api/v1/regions/62/potential?data=real").await.assert_status(StatusCode::OK);
    }
}
