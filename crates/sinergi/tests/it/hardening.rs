//! Issue 16: hostile files, security headers, paging, a full disk, concurrent start-up and the
//! smaller holes. Each test names the promise of docs/security.md it checks.

use crate::on_both;
use axum::http::{Method, StatusCode};
use serde_json::Value;
use sinergi_test_support::{TOKEN, TestApp, TestResponse};

fn text(res: &TestResponse) -> String {
    String::from_utf8_lossy(&res.body).into_owned()
}

async fn import(app: &TestApp, query: &str, name: &str, body: Vec<u8>) -> TestResponse {
    let auth = format!("Bearer {TOKEN}");
    app.request(
        Method::POST,
        &format!(
            "/api/v1/observations/imports?file_name={name}&year=2022&price_basis=adhb&source=uji{query}"
        ),
        Some(body),
        &[
            ("authorization", &auth),
            ("content-type", "application/octet-stream"),
        ],
    )
    .await
}

/// A 5 KB XLSX with cells at A1 and XFD1048576: calamine alone would ask for ~550 GB.
pub fn corner_bomb() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Provinsi").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    book.save_to_buffer().unwrap()
}

on_both! {
    async fn hostile_tables_are_refused_with_a_422_in_the_users_language(app: TestApp) {
        let before = app.store.observation_count(false).await.unwrap();
        let bomb = corner_bomb();
        let res = import(&app, "", "pdrb.xlsx", bomb.clone()).await;
        res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.json();
        assert_eq!(body["report"]["file_problems"][0]["code"], "import.too_many_rows");
        let problems = body["error"]["problems"].to_string();
        assert!(problems.contains("lembar berisi data sampai baris 1048576; paling banyak 5000 baris"), "{problems}");
        let en = import(&app, "&lang=en", "pdrb.xlsx", bomb).await;
        en.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(en.json()["error"]["problems"].to_string().contains("at most 5000 rows are read"));
        // A CSV whose data starts past the last row, and an XLS declaring 4 billion rows.
        let mut tall = "Provinsi;A\n".to_owned();
        tall.push_str(&"\n".repeat(6_000));
        tall.push_str("Bali;1\n");
        let res = import(&app, "", "pdrb.csv", tall.into_bytes()).await;
        res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.json()["report"]["file_problems"][0]["code"], "import.too_many_rows");
        // A dry run of the same file answers the same problem with 200 (nothing is stored).
        let dry = import(&app, "&dry_run=true", "pdrb.xlsx", corner_bomb()).await;
        dry.assert_status(StatusCode::OK);
        assert_eq!(dry.json()["importable"], false);
        assert_eq!(app.store.observation_count(false).await.unwrap(), before);
        // The server is alive and answers.
        app.get("/health").await.assert_status(StatusCode::OK);
    }

    async fn every_response_carries_the_security_headers(app: TestApp) {
        let csp = sinergi_web::security_headers::CONTENT_SECURITY_POLICY;
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'") && !csp.contains("script-src"));
        app.user("ani", Some("62"), &["admin"], None).await;
        let s = app.sign_in("ani", sinergi_test_support::PASSWORD).await.unwrap();
        let responses = [
            ("page", app.get("/").await),
            ("sign-in page", app.get("/masuk").await),
            ("api", app.get("/api/v1/cases").await),
            ("404", app.get("/tidak-ada").await),
            ("api 404", app.get("/api/v1/cases/017fb939-1400-7000-8000-00000000dead").await),
            ("stylesheet", app.get("/static/sinergi.css").await),
            ("signed-in page", app.get_as(&s, "/akun").await),
            ("signed-in api", app.get_staff("/api/v1/cases").await),
        ];
        for (what, r) in &responses {
            let h = &r.headers;
            assert_eq!(h["content-security-policy"], csp, "{what}");
            assert_eq!(h["x-frame-options"], "DENY", "{what}");
            assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
            assert_eq!(h["referrer-policy"], "no-referrer", "{what}");
            assert!(!h.contains_key("strict-transport-security"), "{what}: public_url is http here");
        }
        let cache = |i: usize| responses[i].1.headers.get("cache-control").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(cache(6).as_deref(), Some("no-store"), "signed-in page");
        assert_eq!(cache(7).as_deref(), Some("no-store"), "API with a token");
        assert_ne!(cache(0).as_deref(), Some("no-store"), "a public page may be cached");
        // The signing and transition forms cannot be framed: the case page says so too.
        app.store.load_founding_case(app.now()).await.unwrap();
        let case = app.get_as(&s, &format!("/kerja-sama/{}", sinergi_domain::demo::FOUNDING_CASE_ID)).await;
        case.assert_status(StatusCode::OK);
        assert_eq!(case.headers["x-frame-options"], "DENY");
        assert_eq!(case.headers["cache-control"], "no-store");

        // With an https public address, HSTS too (a router built with that setting).
        let mut web = sinergi_web::WebSettings { hsts: true, ..Default::default() };
        web.admin_token = Some(TOKEN.into());
        let router = sinergi_web::router(sinergi_web::AppState::new(app.store.clone(), std::sync::Arc::new(sinergi_domain::clock::SystemClock), web));
        let res = tower::ServiceExt::oneshot(router, axum::http::Request::get("/health").body(axum::body::Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.headers()["strict-transport-security"], sinergi_web::security_headers::STRICT_TRANSPORT_SECURITY);
    }
}

/// The JSON of a list response, asserting the envelope.
pub fn items(v: &Value) -> (&Vec<Value>, i64) {
    (v["items"].as_array().unwrap(), v["total"].as_i64().unwrap())
}
