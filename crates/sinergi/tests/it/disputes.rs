//! Issue 22: a dispute (perselisihan) raised by one party, settled by consultation or before
//! the Governor or the Minister — each party acting for itself, through the pages and the API.

use crate::on_both;
use axum::http::Method;
use serde_json::json;
use sinergi_domain::demo::FOUNDING_CASE_ID;
use sinergi_test_support::PASSWORD;

on_both! {
    async fn a_party_raises_a_dispute_and_either_party_records_its_settlement(app: TestApp) {
        app.store.load_founding_case(app.now()).await.unwrap();
        app.user("admin-kt", Some("62"), &["admin"], None).await;
        app.user("admin-bl", Some("51"), &["admin"], None).await;
        app.user("admin-jt", Some("33"), &["admin"], None).await;
        let id = FOUNDING_CASE_ID.to_string();
        // Bali raises it through its page; Kalimantan Tengah sees it on its own.
        let bali = app.sign_in("admin-bl", PASSWORD).await.unwrap();
        let raised = app.post_form(&bali, &format!("/kerja-sama/{id}/perselisihan"), &[("subject", "Pembagian biaya promosi bersama 2026"), ("description", "Kontribusi belum disepakati."), ("raised_on", "2026-05-20")], None).await;
        raised.assert_status(StatusCode::SEE_OTHER);
        let kalteng = app.sign_in("admin-kt", PASSWORD).await.unwrap();
        let page = app.get_as(&kalteng, &format!("/kerja-sama/{id}")).await.text();
        assert!(page.contains("Pembagian biaya promosi bersama 2026") && page.contains("Diajukan oleh Provinsi Bali"), "{page}");
        assert!(page.contains("Perselisihan diajukan"), "the history says so");
        let kt = app.token_of("admin-kt").await;
        let list = app.as_token(&kt, Method::GET, &format!("/api/v1/cases/{id}/disputes"), None).await.json();
        let d = list["items"][0].clone();
        assert_eq!((d["forum"].as_str(), d["raised_by"].as_u64()), (Some("musyawarah"), Some(2)));
        let steps = format!("/api/v1/cases/{id}/disputes/{}/steps", d["id"].as_str().unwrap());
        let stale = app.as_token(&kt, Method::POST, &steps, Some(&json!({"step": "escalate", "expected_version": 7}))).await;
        stale.assert_status(StatusCode::CONFLICT);
        // Consultation fails: Kalimantan Tengah and Bali are provinces, so the Minister.
        let up = app.as_token(&kt, Method::POST, &steps, Some(&json!({"step": "escalate", "expected_version": 1}))).await;
        up.assert_status(StatusCode::OK);
        assert_eq!(up.json()["forum"], "menteri");
        let again = app.as_token(&kt, Method::POST, &steps, Some(&json!({"step": "escalate", "expected_version": 2}))).await;
        assert_eq!(again.code(), "dispute.already_escalated");
        let early = app.as_token(&kt, Method::POST, &steps, Some(&json!({"step": "resolve", "expected_version": 2, "decision": "x", "decided_on": "2026-05-01"}))).await;
        early.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        // Bali records the Minister's decision through its page.
        let did = d["id"].as_str().unwrap();
        let settled = app.post_form(&bali, &format!("/kerja-sama/{id}/perselisihan/{did}/putusan"), &[("version", "2"), ("decision", "Biaya dibagi sama rata sesuai keputusan Menteri."), ("decided_on", "2026-05-28")], None).await;
        settled.assert_status(StatusCode::SEE_OTHER);
        let closed = app.as_token(&kt, Method::POST, &steps, Some(&json!({"step": "resolve", "expected_version": 3, "decision": "lain", "decided_on": "2026-05-29"}))).await;
        assert_eq!(closed.code(), "dispute.closed");
        let page = app.get_as(&kalteng, &format!("/kerja-sama/{id}")).await.text();
        assert!(page.contains("Biaya dibagi sama rata") && page.contains("Menteri Dalam Negeri"));
        // Nobody else: an unrelated region may read the published case but not act; the operator is no party.
        let jt = app.token_of("admin-jt").await;
        let body = json!({"subject": "x", "raised_on": "2026-05-20"});
        app.as_token(&jt, Method::POST, &format!("/api/v1/cases/{id}/disputes"), Some(&body)).await.assert_status(StatusCode::FORBIDDEN);
        assert_eq!(app.post(&format!("/api/v1/cases/{id}/disputes"), &body).await.code(), "dispute.not_a_party");
        assert!(app.store.verify_audit().await.unwrap().is_ok());
    }

    async fn a_dispute_needs_a_signed_agreement_and_neighbours_go_to_the_governor(app: TestApp) {
        app.user("admin-pky", Some("62.71"), &["admin"], None).await;
        let pky = app.token_of("admin-pky").await;
        let open = app.as_token(&pky, Method::POST, "/api/v1/cases", Some(&json!({"title": "Pengelolaan sampah", "kind": "ksdd_sukarela", "fields": [{"code": "umkm"}], "parties": [{"region": "62.71"}, {"region": "62.11"}]}))).await.json();
        let early = app.as_token(&pky, Method::POST, &format!("/api/v1/cases/{}/disputes", open["id"].as_str().unwrap()), Some(&json!({"subject": "x", "raised_on": "2026-05-20"}))).await;
        assert_eq!(early.code(), "dispute.no_agreement");
        // An agreement already signed with Pulang Pisau, recorded by hand.
        let signed = app.as_token(&pky, Method::POST, "/api/v1/cases/legacy", Some(&json!({"partner": "Kab. Pulang Pisau", "kind": "KB", "subject": "Pengelolaan Air Bersih", "signed_on": "14/02/2024", "term": "5 tahun"}))).await;
        signed.assert_status(StatusCode::CREATED);
        let case = signed.json()["rows"][0]["case_id"].as_str().unwrap().to_owned();
        let future = app.as_token(&pky, Method::POST, &format!("/api/v1/cases/{case}/disputes"), Some(&json!({"subject": "Debit air", "raised_on": "2030-01-01"}))).await;
        future.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let d = app.as_token(&pky, Method::POST, &format!("/api/v1/cases/{case}/disputes"), Some(&json!({"subject": "Debit air", "raised_on": "2026-05-20"}))).await;
        d.assert_status(StatusCode::CREATED);
        let steps = format!("/api/v1/cases/{case}/disputes/{}/steps", d.json()["id"].as_str().unwrap());
        let up = app.as_token(&pky, Method::POST, &steps, Some(&json!({"step": "escalate", "expected_version": 1}))).await.json();
        assert_eq!(up["forum"], "gubernur", "two kabupaten/kota of one province go to their Governor");
    }
}
