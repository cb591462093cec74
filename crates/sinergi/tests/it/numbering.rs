//! Issue 22: each party's number comes from its own register when the text is finalised —
//! Kode Klasifikasi Arsip, running number, unit code — never typed twice, never given twice,
//! and the register entry is the document's archive metadata in that region.

use crate::{accept_offer, on_both, open_case, send_offer};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use sinergi_test_support::{PASSWORD, TestApp};
use time::macros::datetime;

/// A case in PENYUSUNAN_KB between Kalteng and Bali with its KB record and a started draft.
/// Returns (case id, KB agreement id).
async fn kb_in_drafting(app: &TestApp) -> (String, String) {
    let case = open_case(app, "ksdd_sukarela", &["62", "51"]).await;
    let id = case["id"].as_str().unwrap().to_owned();
    send_offer(app, &id).await;
    accept_offer(app, &id).await;
    let kb = app
        .post(
            &format!("/api/v1/cases/{id}/agreements"),
            &json!({"kind": "kb", "starts_on": "2026-07-01", "ends_on": "2031-06-30"}),
        )
        .await;
    kb.assert_status(StatusCode::CREATED);
    app.post(&format!("/api/v1/cases/{id}/documents/kb"), &json!({}))
        .await
        .assert_status(StatusCode::CREATED);
    (id, kb.json()["id"].as_str().unwrap().to_owned())
}

async fn finalize(app: &TestApp, id: &str, version: i64) -> sinergi_test_support::TestResponse {
    app.post(
        &format!("/api/v1/cases/{id}/documents/kb/finalize"),
        &json!({"expected_version": version}),
    )
    .await
}

async fn numbers(app: &TestApp, id: &str, kb: &str) -> Vec<Value> {
    let a = app
        .get_staff(&format!("/api/v1/cases/{id}/agreements/{kb}"))
        .await
        .json();
    a["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["number"].clone())
        .collect()
}

on_both! {
    async fn each_party_numbers_the_kb_from_its_own_register_when_it_is_finalised(app: TestApp) {
        app.clock.set(datetime!(2026-06-10 03:00 UTC));
        app.user("admin-kt", Some("62"), &["admin"], None).await;
        app.user("admin-bl", Some("51"), &["admin"], None).await;
        let kt = app.token_of("admin-kt").await;
        let bl = app.token_of("admin-bl").await;

        // Kalteng sets its rule through the API: year printed, count restarting each year.
        let rule = json!({"classification": "100.3.6", "unit_code": "KS", "pattern": "{klasifikasi}/{urut}/{unit}/{tahun}"});
        let set = app.as_token(&kt, Method::PUT, "/api/v1/regions/62/numbering-rules/kb", Some(&rule)).await;
        set.assert_status(StatusCode::OK);
        assert_eq!(set.json()["pattern"], "{klasifikasi}/{urut}/{unit}/{tahun}");
        // It may not set Bali's, and a malformed rule names its fields in Indonesian.
        let forged = app.as_token(&kt, Method::PUT, "/api/v1/regions/51/numbering-rules/kb", Some(&rule)).await;
        forged.assert_status(StatusCode::FORBIDDEN);
        let bad = app.as_token(&kt, Method::PUT, "/api/v1/regions/62/numbering-rules/kb",
            Some(&json!({"classification": "KS-1", "unit_code": "ks", "pattern": "{urut}/{nomor}"}))).await;
        bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let text = bad.text();
        assert!(text.contains("classification") && text.contains("unit_code") && text.contains("pattern"), "{text}");
        assert!(text.contains("Permendagri 83/2022"), "{text}");
        let unknown = app.as_token(&kt, Method::PUT, "/api/v1/regions/62/numbering-rules/memo", Some(&rule)).await;
        assert_eq!(unknown.code(), "numbering.unknown_kind");
        let shown = app.as_token(&kt, Method::GET, "/api/v1/regions/62/numbering", None).await.json();
        assert_eq!(shown["rules"][0]["classification"], "100.3.6", "the refused rule changed nothing");

        // Bali sets its own on its region page, with a retention; Kalteng's browser cannot.
        let bs = app.sign_in("admin-bl", PASSWORD).await.unwrap();
        let ks = app.sign_in("admin-kt", PASSWORD).await.unwrap();
        assert!(app.get_as(&bs, "/wilayah/51").await.text().contains("id=\"form-penomoran\""));
        assert!(!app.get_as(&ks, "/wilayah/51").await.text().contains("id=\"form-penomoran\""));
        let form = [("numbered_kind", "kb"), ("classification", "000.8.3.3"), ("unit_code", "B.PEM"), ("pattern", ""), ("yearly_reset", "ya"), ("retention_years", "10")];
        app.post_form(&ks, "/wilayah/51/penomoran", &form, None).await.assert_status(StatusCode::FORBIDDEN);
        let refused = app.post_form(&bs, "/wilayah/51/penomoran", &[("numbered_kind", "kb"), ("classification", "000.8.3.3"), ("unit_code", "B.PEM"), ("pattern", "{unit}"), ("retention_years", "10")], None).await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let page = refused.text();
        assert!(page.contains("{urut}") && page.contains("B.PEM"), "the reason and what was typed: {page}");
        app.post_form(&bs, "/wilayah/51/penomoran", &form, None).await.assert_status(StatusCode::SEE_OTHER);
        let page = app.get_as(&bs, "/wilayah/51").await.text();
        assert!(page.contains("000.8.3.3/1/B.PEM"), "the example number: {page}");

        // Finalising the KB gives both numbers, each from its own register, printed in the PDF.
        let (id, kb) = kb_in_drafting(&app).await;
        assert_eq!(numbers(&app, &id, &kb).await, [Value::Null, Value::Null]);
        finalize(&app, &id, 1).await.assert_status(StatusCode::OK);
        assert_eq!(numbers(&app, &id, &kb).await, [json!("100.3.6/1/KS/2026"), json!("000.8.3.3/1/B.PEM")]);
        let pdf = app.get_staff(&format!("/api/v1/cases/{id}/documents/kb/pdf")).await.body;
        let text = crate::report_outputs::pdf_text(&pdf);
        assert!(text.contains("100.3.6/1/KS/2026") && text.contains("000.8.3.3/1/B.PEM"), "{text}");

        // The register is each region's archive index: klasifikasi and how long it is kept.
        let reg = app.as_token(&bl, Method::GET, "/api/v1/regions/51/numbering", None).await.json();
        let entry = &reg["register"][0];
        assert_eq!(entry["number"], "000.8.3.3/1/B.PEM");
        assert_eq!(entry["classification"], "000.8.3.3");
        assert_eq!(entry["retained_until"], 2041, "ten years after the term ends in 2031");
        assert_eq!(entry["party_ordinal"], 2);
        app.as_token(&bl, Method::GET, "/api/v1/regions/62/numbering", None).await.assert_status(StatusCode::FORBIDDEN);
        let page = app.get_as(&bs, "/wilayah/51").await.text();
        assert!(page.contains("id=\"register-nomor\"") && page.contains("000.8.3.3/1/B.PEM") && page.contains("2041"), "{page}");
        assert!(!page.contains("100.3.6/1/KS/2026"), "Bali's register holds only Bali's numbers");

        // The document page says where each party filed it.
        let doc_page = app.get_as(&bs, &format!("/kerja-sama/{id}/dokumen/kb")).await.text();
        assert!(doc_page.contains("id=\"arsip\"") && doc_page.contains("000.8.3.3/1/B.PEM · klasifikasi 000.8.3.3 · disimpan s.d. 2041"), "{doc_page}");

        // A new version finalised again keeps its numbers: nothing is issued twice.
        app.post(&format!("/api/v1/cases/{id}/documents/kb/edits"),
            &json!({"expected_version": 1, "op": "edit", "key": "objek", "heading": "OBJEK", "ayat": [{"text": "Objek kerja sama pariwisata dan UMKM."}]}))
            .await.assert_status(StatusCode::CREATED);
        finalize(&app, &id, 2).await.assert_status(StatusCode::OK);
        assert_eq!(numbers(&app, &id, &kb).await, [json!("100.3.6/1/KS/2026"), json!("000.8.3.3/1/B.PEM")]);
        let reg = app.as_token(&kt, Method::GET, "/api/v1/regions/62/numbering", None).await.json();
        assert_eq!(reg["register"].as_array().unwrap().len(), 1);

        // The next KB takes the next running number; in a new year the count restarts.
        let (id2, kb2) = kb_in_drafting(&app).await;
        finalize(&app, &id2, 1).await.assert_status(StatusCode::OK);
        assert_eq!(numbers(&app, &id2, &kb2).await, [json!("100.3.6/2/KS/2026"), json!("000.8.3.3/2/B.PEM")]);
        app.clock.set(datetime!(2027-01-04 03:00 UTC));
        let (id3, kb3) = kb_in_drafting(&app).await;
        finalize(&app, &id3, 1).await.assert_status(StatusCode::OK);
        assert_eq!(numbers(&app, &id3, &kb3).await, [json!("100.3.6/1/KS/2027"), json!("000.8.3.3/1/B.PEM")]);

        // Letters: a letter recorded without a number takes the next one of its sender's
        // register; a number typed is kept.
        app.as_token(&kt, Method::PUT, "/api/v1/regions/62/numbering-rules/surat",
            Some(&json!({"classification": "000.8.3.3", "unit_code": "KS", "retention_years": 5}))).await.assert_status(StatusCode::OK);
        let letters = format!("/api/v1/cases/{id3}/letters");
        let first = app.as_token(&kt, Method::POST, &letters, Some(&json!({"kind": "lainnya", "date": "2027-01-04", "subject": "Undangan rapat"}))).await;
        first.assert_status(StatusCode::CREATED);
        assert_eq!(first.json()["number"], "000.8.3.3/1/KS");
        let typed = app.as_token(&kt, Method::POST, &letters, Some(&json!({"kind": "lainnya", "number": "005/77/KS", "date": "2027-01-04", "subject": "Undangan"}))).await;
        assert_eq!(typed.json()["number"], "005/77/KS");
        let second = app.as_token(&kt, Method::POST, &letters, Some(&json!({"kind": "lainnya", "date": "2027-01-04", "subject": "Pemberitahuan"}))).await;
        assert_eq!(second.json()["number"], "000.8.3.3/2/KS");
        let reg = app.as_token(&kt, Method::GET, "/api/v1/regions/62/numbering?year=2027", None).await.json();
        let kinds: Vec<&str> = reg["register"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds.iter().filter(|k| **k == "surat").count(), 2, "{reg}");
        assert!(reg["register"].as_array().unwrap().iter().any(|e| e["letter_id"] == first.json()["id"]));

        // A party whose region has no rule keeps typing its number; the issue is audited.
        let hist = app.get_staff(&format!("/api/v1/cases/{id}/history")).await.text();
        assert!(hist.contains("numbers_issued"), "{hist}");
        assert!(app.store.verify_audit().await.unwrap().is_ok());
    }

    async fn documents_finalised_at_once_never_share_a_number(app: TestApp) {
        app.clock.set(datetime!(2026-06-10 03:00 UTC));
        app.put("/api/v1/regions/62/numbering-rules/kb", &json!({"classification": "100.3.6", "unit_code": "KS"}))
            .await.assert_status(StatusCode::OK);
        let mut cases = Vec::new();
        for _ in 0..6 {
            cases.push(kb_in_drafting(&app).await);
        }
        let (a, b, c, d, e, f) = tokio::join!(
            finalize(&app, &cases[0].0, 1),
            finalize(&app, &cases[1].0, 1),
            finalize(&app, &cases[2].0, 1),
            finalize(&app, &cases[3].0, 1),
            finalize(&app, &cases[4].0, 1),
            finalize(&app, &cases[5].0, 1),
        );
        for r in [a, b, c, d, e, f] {
            r.assert_status(StatusCode::OK);
        }
        let mut got = Vec::new();
        for (id, kb) in &cases {
            let n = numbers(&app, id, kb).await;
            got.push(n[0].as_str().unwrap().to_owned());
            assert!(n[1].is_null(), "Bali set no rule: its number stays its own to type");
        }
        got.sort();
        let want: Vec<String> = {
            let mut w: Vec<String> = (1..=6).map(|i| format!("100.3.6/{i}/KS")).collect();
            w.sort();
            w
        };
        assert_eq!(got, want, "six numbers, each once, none skipped");
    }
}
