#![allow(
    clippy::unwrap_used,
    reason = "an integration test fails loudly on missing data"
)]
//! The one integration-test binary. Every test in `on_both!` runs against SQLite and, when
//! `SINERGI_TEST_POSTGRES_URL` is set (always in CI), against PostgreSQL: this is the
//! contract suite of the store, driven through the public API.

mod access;
mod api;
mod borders;
mod browser;
mod calendar_feed;
mod cli;
mod cli_hardening;
mod consumers;
mod contract;
mod demo;
mod disputes;
mod document_pages;
mod document_text;
mod documents;
mod docx_outputs;
mod email;
mod files;
mod hardening;
mod kajian;
mod kak;
mod letters;
mod logs;
mod monitoring;
mod numbering;
mod oidc;
mod onboarding;
mod opd;
mod openapi_contract;
mod other_kinds;
mod pages;
mod parties;
mod potential;
mod regions;
mod register_import;
mod report_outputs;
mod report_submissions;
mod rule_sets;
mod two_sides;
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

/// A transition as the operator, with the case's current version.
pub async fn step(app: &TestApp, id: &str, body: Value) -> sinergi_test_support::TestResponse {
    let v = app.get_staff(&format!("/api/v1/cases/{id}")).await.json()["version"]
        .as_i64()
        .unwrap();
    let mut body = body;
    body["expected_version"] = json!(v);
    app.post(&format!("/api/v1/cases/{id}/transitions"), &body)
        .await
}

/// The officials and TKKSD a party needs to act: its head of region and its Sekda chairing
/// its TKKSD. Returns (head, sekda).
pub async fn staff_region(app: &TestApp, region: &str) -> (String, String) {
    let head = official(
        app,
        region,
        &format!("Kepala {region}"),
        &format!("Kepala Daerah {region}"),
        "kepala_daerah",
        "definitif",
    )
    .await;
    let sekda = official(
        app,
        region,
        &format!("Sekda {region}"),
        &format!("Sekretaris Daerah {region}"),
        "sekda",
        "definitif",
    )
    .await;
    app.post(
        &format!("/api/v1/regions/{region}/tkksd"),
        &json!({"members": [{"official": sekda, "position": "ketua"}]}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    (head, sekda)
}

/// The initiator's KAK (as the operator), which the offer needs.
pub async fn write_kak(app: &TestApp, id: &str) {
    let current = app
        .get_staff(&format!("/api/v1/cases/{id}/kak"))
        .await
        .json();
    if current["items"]
        .as_array()
        .is_some_and(|k| k.iter().any(|k| k["party"] == 1))
    {
        return;
    }
    let res = app
        .put(
            &format!("/api/v1/cases/{id}/parties/1/kak"),
            &json!({"background": "Potensi kedua daerah saling mengisi.", "purpose": "Meningkatkan kunjungan wisata dan pemasaran UMKM.",
                "object": "Pariwisata dan UMKM", "scope": "Promosi bersama; temu usaha UMKM.", "duration": "5 (lima) tahun",
                "benefits": "Kunjungan wisata dan pasar produk UMKM.", "financing": "APBD masing-masing pihak"}),
        )
        .await;
    res.assert_status(StatusCode::OK);
}

/// Takes a fresh case (as the operator) through the initiator's internal review to the offer
/// sent to the other party: from then on the partner sees it. Returns the initiator's (head, sekda).
pub async fn send_offer(app: &TestApp, id: &str) -> (String, String) {
    let case = app.get_staff(&format!("/api/v1/cases/{id}")).await.json();
    let from = case["parties"][0]["region"].as_str().unwrap().to_owned();
    let to = case["parties"][1]["region"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (head, sekda) = staff_region(app, &from).await;
    step(app, id, json!({"action": "submit"}))
        .await
        .assert_status(StatusCode::OK);
    step(app, id, json!({"action": "start_review"}))
        .await
        .assert_status(StatusCode::OK);
    step(
        app,
        id,
        json!({"action": "recommend", "recommendation": "layak", "reviewer": sekda}),
    )
    .await
    .assert_status(StatusCode::OK);
    write_kak(app, id).await;
    let letter = app.post(&format!("/api/v1/cases/{id}/letters"), &json!({"kind": "penawaran", "number": "000.8.3.3/1/KS", "date": "2026-01-05",
        "from_region": from, "to_region": to, "signatory": head, "subject": "Penawaran kerja sama", "attachments": ["kak", "rancangan_kb"]})).await;
    letter.assert_status(StatusCode::CREATED);
    step(
        app,
        id,
        json!({"action": "send_offer", "letter": letter.json()["id"]}),
    )
    .await
    .assert_status(StatusCode::OK);
    (head, sekda)
}

/// The addressee (party 2) reviews the offer in its own TKKSD and accepts it with its reply
/// letter: the case moves to PENYUSUNAN_KB. Returns the addressee's (head, sekda).
pub async fn accept_offer(app: &TestApp, id: &str) -> (String, String) {
    let case = app.get_staff(&format!("/api/v1/cases/{id}")).await.json();
    let from = case["parties"][0]["region"].as_str().unwrap().to_owned();
    let to = case["parties"][1]["region"].as_str().unwrap().to_owned();
    let (head, sekda) = staff_region(app, &to).await;
    step(
        app,
        id,
        json!({"action": "review_offer", "recommendation": "layak", "reviewer": sekda}),
    )
    .await
    .assert_status(StatusCode::OK);
    let letter = app.post(&format!("/api/v1/cases/{id}/letters"), &json!({"kind": "jawaban", "number": "000.8.3.3/2/KS", "date": "2026-01-12",
        "from_region": to, "to_region": from, "signatory": head, "subject": "Jawaban atas penawaran"})).await;
    letter.assert_status(StatusCode::CREATED);
    let res = step(
        app,
        id,
        json!({"action": "record_reply", "accepted": true, "letter": letter.json()["id"]}),
    )
    .await;
    res.assert_status(StatusCode::OK);
    assert_eq!(res.json()["case"]["stage"], "PENYUSUNAN_KB");
    (head, sekda)
}

/// Evidence of signing, as the operator: drafts and finalises the document's text, then each
/// government party's wet-ink scan is uploaded and validated. Returns the last validation's
/// JSON (its `advanced` says where the case or agreement moved).
pub async fn sign_with_scans(
    app: &TestApp,
    id: &str,
    kind: &str,
    agreement: Option<&str>,
) -> Value {
    let q = agreement
        .map(|a| format!("?agreement={a}"))
        .unwrap_or_default();
    let base = format!("/api/v1/cases/{id}/documents/{kind}");
    let shown = app.get_staff(&format!("{base}{q}")).await.json();
    if shown["draft"].is_null() {
        app.post(&format!("{base}{q}"), &json!({}))
            .await
            .assert_status(StatusCode::CREATED);
    }
    let shown = app.get_staff(&format!("{base}{q}")).await.json();
    let last = shown["versions"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    if last["is_final"] != true {
        app.post(
            &format!("{base}/finalize{q}"),
            &json!({"expected_version": last["number"]}),
        )
        .await
        .assert_status(StatusCode::OK);
    }
    let case = app.get_staff(&format!("/api/v1/cases/{id}")).await.json();
    let sep = if q.is_empty() { "?" } else { "&" };
    let mut out = Value::Null;
    for p in case["parties"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["region"].is_string())
    {
        let ordinal = p["ordinal"].as_i64().unwrap();
        let up = app
            .request(
                axum::http::Method::POST,
                &format!("{base}/wet-ink{q}{sep}party={ordinal}&file_name=ttd-{ordinal}.png&paraf=true&meterai=true&stempel=true"),
                Some(sinergi_test_support::PNG.to_vec()),
                &[("authorization", &format!("Bearer {}", sinergi_test_support::TOKEN)), ("content-type", "application/octet-stream")],
            )
            .await;
        up.assert_status(StatusCode::CREATED);
        let scan = up.json()["id"].as_str().unwrap().to_owned();
        let v = app
            .post(&format!("{base}/wet-ink/{scan}/validate{q}"), &json!({}))
            .await;
        v.assert_status(StatusCode::OK);
        out = v.json();
    }
    out
}
