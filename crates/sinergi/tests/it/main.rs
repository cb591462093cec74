#![allow(
    clippy::unwrap_used,
    reason = "an integration test fails loudly on missing data"
)]
//! The one integration-test binary. Every test in `on_both!` runs against SQLite and, when
//! `SINERGI_TEST_POSTGRES_URL` is set (always in CI), against PostgreSQL: this is the
//! contract suite of the store, driven through the public API.

mod access;
mod api;
mod browser;
mod cli;
mod cli_hardening;
mod contract;
mod demo;
mod document_pages;
mod documents;
mod files;
mod hardening;
mod monitoring;
mod oidc;
mod pages;
mod potential;
mod regions;
mod ui_flow;
mod workflow;

use axum::http::StatusCode;
use serde_json::{Value, json};
use sinergi_test_support::TestApp;

/// Defines each test once and instantiates it for both backends.
#[macro_export]
macro_rules! on_both {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                #[allow(unused_imports)]
                use axum::http::StatusCode;
                #[allow(unused_imports)]
                use sinergi_test_support::TestApp;

                async fn body($app: sinergi_test_support::TestApp) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    body(sinergi_test_support::TestApp::sqlite().await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = sinergi_test_support::TestApp::postgres().await {
                        body(app).await;
                    } else {
                        eprintln!("skipped: {} is not set", sinergi_test_support::POSTGRES_ENV);
                    }
                }
            }
        )*
    };
}

/// Adds an official and returns its id.
pub async fn official(
    app: &TestApp,
    region: &str,
    name: &str,
    position: &str,
    office: &str,
    acting: &str,
) -> String {
    let res = app
        .post(
            &format!("/api/v1/regions/{region}/officials"),
            &json!({ "name": name, "position": position, "office": office, "acting": acting }),
        )
        .await;
    res.assert_status(StatusCode::CREATED);
    res.json()["id"].as_str().unwrap().to_owned()
}

/// Opens a case and returns its JSON.
pub async fn open_case(app: &TestApp, kind: &str, parties: &[&str]) -> Value {
    let parties: Vec<Value> = parties.iter().map(|p| json!({ "region": p })).collect();
    let res = app
        .post(
            "/api/v1/cases",
            &json!({
                "title": "Kerja Sama Pengembangan Pariwisata dan UMKM",
                "kind": kind,
                "parties": parties,
                "fields": [{ "code": "pariwisata_kebudayaan", "priority": true }, { "code": "umkm" }],
                "objectives": ["Saling mengisi potensi daerah"]
            }),
        )
        .await;
    res.assert_status(StatusCode::CREATED);
    res.json()
}

/// The number of cases staff can see.
pub async fn case_count(app: &TestApp) -> i64 {
    app.get_staff("/api/v1/cases?limit=1").await.json()["total"]
        .as_i64()
        .unwrap()
}
