//! Issue 22: a region records the reports it sent up the line — the mapping result to
//! Kemendagri, evaluation and implementation reports to the Governor and the Minister.

use crate::on_both;
use axum::http::Method;
use serde_json::json;
use sinergi_test_support::PASSWORD;

on_both! {
    async fn the_secretariat_records_a_report_sent_and_its_overseers_see_it(app: TestApp) {
        app.user("admin-pky", Some("62.71"), &["admin"], None).await;
        app.user("admin-bl", Some("51"), &["admin"], None).await;
        app.user("pembina-kt", Some("62"), &["pembina"], None).await;
        let admin = app.token_of("admin-pky").await;
        let body = json!({"kind": "pemetaan", "period": "2026-s2", "addressee": "menteri", "letter_number": "100.3/45/Pem", "sent_on": "2026-05-30"});
        let res = app.as_token(&admin, Method::POST, "/api/v1/regions/62.71/report-submissions", Some(&body)).await;
        res.assert_status(StatusCode::CREATED);
        let row = res.json();
        assert_eq!(row["period"], "2026-S2");
        assert_eq!(row["via_governor"], true, "a kota reports to the Minister through the Governor");
        // Another region's admin may neither record nor read it; the governor as pembina reads it.
        let bali = app.token_of("admin-bl").await;
        app.as_token(&bali, Method::POST, "/api/v1/regions/62.71/report-submissions", Some(&body)).await.assert_status(StatusCode::FORBIDDEN);
        app.as_token(&bali, Method::GET, "/api/v1/regions/62.71/report-submissions", None).await.assert_status(StatusCode::FORBIDDEN);
        let pembina = app.token_of("pembina-kt").await;
        let seen = app.as_token(&pembina, Method::GET, "/api/v1/regions/62.71/report-submissions", None).await;
        seen.assert_status(StatusCode::OK);
        assert_eq!(seen.json()["items"][0]["letter_number"], "100.3/45/Pem");
        // Refusals name the field; nothing is stored.
        let future = json!({"kind": "evaluasi", "period": "2026", "addressee": "gubernur", "letter_number": "x", "sent_on": "2026-12-31"});
        let r = app.as_token(&admin, Method::POST, "/api/v1/regions/62.71/report-submissions", Some(&future)).await;
        r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("sent_on"));
        let wrong = json!({"kind": "evaluasi", "period": "semester 2", "addressee": "gubernur", "letter_number": " ", "sent_on": "2026-05-01"});
        let r = app.as_token(&admin, Method::POST, "/api/v1/regions/62.71/report-submissions", Some(&wrong)).await;
        assert!(r.text().contains("period") && r.text().contains("letter_number"), "{}", r.text());
        let province = json!({"kind": "evaluasi", "period": "2026", "addressee": "gubernur", "letter_number": "x", "sent_on": "2026-05-01"});
        let r = app.post("/api/v1/regions/62/report-submissions", &province).await;
        assert!(r.text().contains("kepada Menteri"), "{}", r.text());
        let all = app.as_token(&admin, Method::GET, "/api/v1/regions/62.71/report-submissions", None).await.json();
        assert_eq!(all["total"], 1);
        assert!(app.store.verify_audit().await.unwrap().is_ok());

        // Through the region page.
        let s = app.sign_in("admin-pky", PASSWORD).await.unwrap();
        let page = app.get_as(&s, "/wilayah/62.71").await.text();
        assert!(page.contains("form-laporan-terkirim") && page.contains("100.3/45/Pem"));
        assert!(page.contains("Menteri Dalam Negeri melalui Gubernur"));
        let done = app.post_form(&s, "/wilayah/62.71/laporan-terkirim", &[("report_kind", "evaluasi"), ("period", "2026-S1"), ("addressee", "gubernur"), ("letter_number", "700/12/Pem"), ("sent_on", "2026-05-20")], None).await;
        done.assert_status(StatusCode::SEE_OTHER);
        let refused = app.post_form(&s, "/wilayah/62.71/laporan-terkirim", &[("report_kind", "evaluasi"), ("period", "2026-S9"), ("addressee", "gubernur"), ("letter_number", "700/13/Pem"), ("sent_on", "2026-05-20")], None).await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().contains("700/13/Pem"), "what was typed stays");
        let bali_s = app.sign_in("admin-bl", PASSWORD).await.unwrap();
        assert!(!app.get_as(&bali_s, "/wilayah/62.71").await.text().contains("100.3/45/Pem"), "another region does not see it");
    }
}
