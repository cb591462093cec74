//! Issue 22: the kinds with a partner outside Sinergi. A foreign partner's receipt and answer
//! are recorded by the initiator; a KSDPL is signed only once the Ministers of Home and
//! Foreign Affairs approved it; a Sinergi with the central government has no PKS.

use crate::{on_both, staff_region, step};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use sinergi_test_support::{PASSWORD, TestApp};
use time::macros::datetime;

async fn open_with_outside_partner(app: &TestApp, kind: &str, partner: &str) -> String {
    let res = app
        .post(
            "/api/v1/cases",
            &json!({"title": "Kerja Sama Promosi Pariwisata", "kind": kind,
                "parties": [{"region": "62"}, {"name": partner}],
                "fields": [{"code": "pariwisata_kebudayaan", "priority": true}], "objectives": ["Promosi wisata"]}),
        )
        .await;
    res.assert_status(StatusCode::CREATED);
    res.json()["id"].as_str().unwrap().to_owned()
}

async fn stage(app: &TestApp, id: &str) -> Value {
    app.get_staff(&format!("/api/v1/cases/{id}")).await.json()["stage"].clone()
}

on_both! {
    async fn a_ksdpl_reaches_signing_only_with_both_ministers_approval(app: TestApp) {
        app.clock.set(datetime!(2026-06-10 03:00 UTC));
        app.user("admin-kt", Some("62"), &["admin"], None).await;
        app.user("admin-bl", Some("51"), &["admin"], None).await;
        let kt = app.token_of("admin-kt").await;
        let id = open_with_outside_partner(&app, "ksdpl", "Pemerintah Prefektur Okinawa, Jepang").await;
        let (head, sekda) = staff_region(&app, "62").await;
        for body in [json!({"action": "submit"}), json!({"action": "start_review"}),
                     json!({"action": "recommend", "recommendation": "layak", "reviewer": sekda})] {
            step(&app, &id, body).await.assert_status(StatusCode::OK);
        }
        crate::write_kak(&app, &id).await;
        let letter = app.post(&format!("/api/v1/cases/{id}/letters"), &json!({"kind": "penawaran", "number": "000.8.3.3/7/KS", "date": "2026-05-02",
            "from_region": "62", "signatory": head, "subject": "Penawaran kerja sama", "attachments": ["kak", "rancangan_kb"]})).await;
        letter.assert_status(StatusCode::CREATED);
        step(&app, &id, json!({"action": "send_offer", "letter": letter.json()["id"]})).await.assert_status(StatusCode::OK);

        // The partner has no account here: Kalteng's own secretariat records its receipt and
        // its answer, with the reference of the partner's letter.
        let act = |body: Value| {
            let app = &app;
            let kt = kt.clone();
            let id = id.clone();
            async move {
                let mut body = body;
                body["expected_version"] = app.get_staff(&format!("/api/v1/cases/{id}")).await.json()["version"].clone();
                app.as_token(&kt, Method::POST, &format!("/api/v1/cases/{id}/transitions"), Some(&body)).await
            }
        };
        act(json!({"action": "mark_offer_delivered"})).await.assert_status(StatusCode::OK);
        let bare = act(json!({"action": "record_reply", "accepted": true})).await;
        assert_eq!(bare.code(), "case.external_reply_reference", "{}", bare.text());
        act(json!({"action": "record_reply", "accepted": true, "note": "Surat Gubernur Okinawa No. 2026-15 tanggal 20 Mei 2026"})).await
            .assert_status(StatusCode::OK);
        assert_eq!(stage(&app, &id).await, "PENYUSUNAN_KB");

        // The KB: Kalteng's side alone signs; the partner's signature is outside Sinergi.
        let kb = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "kb", "starts_on": "2026-06-01", "ends_on": "2031-05-31"})).await;
        kb.assert_status(StatusCode::CREATED);
        let kb_url = format!("/api/v1/cases/{id}/agreements/{}", kb.json()["id"].as_str().unwrap());
        app.patch(&kb_url, &json!({"expected_version": kb.json()["version"], "place": "Palangka Raya", "signed_on": "2026-06-01",
            "parties": [{"ordinal": 1, "signatory": head, "number": "100.3.6/4/KS"}]})).await.assert_status(StatusCode::OK);
        step(&app, &id, json!({"action": "finalize_kb"})).await.assert_status(StatusCode::OK);
        let signed = crate::sign_with_scans(&app, &id, "kb", None).await;
        assert!(signed["pending"].as_str().is_some_and(|p| p.contains("persetujuan Menteri Dalam Negeri")), "signing waits for the ministers: {signed}");
        assert_eq!(stage(&app, &id).await, "KB_FINAL");
        let refused = step(&app, &id, json!({"action": "sign_kb"})).await;
        assert_eq!(refused.code(), "central_approval.missing");
        assert!(refused.text().contains("Menteri Dalam Negeri dan Menteri Luar Negeri"), "{}", refused.text());

        // Kalteng records the ministers' letters; Bali, no party, cannot; a refusal keeps the gate.
        let approvals = format!("/api/v1/cases/{id}/central-approvals");
        let bl = app.token_of("admin-bl").await;
        let forged = app.as_token(&bl, Method::POST, &approvals, Some(&json!({"ministry": "kemendagri", "letter_number": "x", "letter_date": "2026-06-02", "approved": true}))).await;
        assert_eq!(forged.status, StatusCode::NOT_FOUND);
        let future = app.as_token(&kt, Method::POST, &approvals, Some(&json!({"ministry": "kemendagri", "letter_number": "100.4/1/OTDA", "letter_date": "2026-07-01", "approved": true}))).await;
        future.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        app.as_token(&kt, Method::POST, &approvals, Some(&json!({"ministry": "kemendagri", "letter_number": "100.4/1/OTDA", "letter_date": "2026-06-03", "approved": true}))).await
            .assert_status(StatusCode::CREATED);
        app.as_token(&kt, Method::POST, &approvals, Some(&json!({"ministry": "kemenlu", "letter_number": "KL/55/VI/2026", "letter_date": "2026-06-04", "approved": false, "note": "Lengkapi terjemahan"}))).await
            .assert_status(StatusCode::CREATED);
        let still = step(&app, &id, json!({"action": "sign_kb"})).await;
        assert_eq!(still.code(), "central_approval.missing");
        assert!(still.text().contains("Menteri Luar Negeri") && !still.text().contains("Menteri Dalam Negeri dan"), "{}", still.text());
        // The Foreign Affairs approval through the case page.
        let ks = app.sign_in("admin-kt", PASSWORD).await.unwrap();
        let page = app.get_as(&ks, &format!("/kerja-sama/{id}")).await.text();
        assert!(page.contains("id=\"form-pusat\"") && page.contains("KL/55/VI/2026") && page.contains("tidak disetujui"), "{page}");
        app.post_form(&ks, &format!("/kerja-sama/{id}/persetujuan-pusat"), &[("ministry", "kemenlu"), ("letter_number", "KL/60/VI/2026"),
            ("letter_date", "2026-06-08"), ("approved", "ya"), ("note", "")], None).await.assert_status(StatusCode::SEE_OTHER);
        step(&app, &id, json!({"action": "sign_kb"})).await.assert_status(StatusCode::OK);
        assert_eq!(stage(&app, &id).await, "KB_DITANDATANGANI");
        let listed = app.as_token(&kt, Method::GET, &approvals, None).await.json();
        assert_eq!(listed["total"], 3);
        assert!(app.store.verify_audit().await.unwrap().is_ok());
    }

    async fn a_sinergi_is_a_nota_kesepakatan_without_pks_and_a_ksdd_needs_no_minister(app: TestApp) {
        let id = open_with_outside_partner(&app, "sinergi", "Badan Pusat Statistik").await;
        let pks = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "pks", "starts_on": "2026-06-01", "ends_on": "2027-05-31"})).await;
        assert_eq!(pks.code(), "agreement.no_pks_for_sinergi");
        assert!(pks.text().contains("Nota Kesepakatan"), "{}", pks.text());
        // Through the offer to the central agency (its answer recorded by the initiator) to the
        // agreement's text: a Nota Kesepakatan with its Rencana Kerja.
        let (head, sekda) = staff_region(&app, "62").await;
        for body in [json!({"action": "submit"}), json!({"action": "start_review"}),
                     json!({"action": "recommend", "recommendation": "layak", "reviewer": sekda})] {
            step(&app, &id, body).await.assert_status(StatusCode::OK);
        }
        crate::write_kak(&app, &id).await;
        let letter = app.post(&format!("/api/v1/cases/{id}/letters"), &json!({"kind": "penawaran", "number": "000.8.3.3/8/KS", "date": "2026-01-05",
            "from_region": "62", "signatory": head, "subject": "Permohonan sinergi", "attachments": ["kak", "rancangan_kb"]})).await;
        step(&app, &id, json!({"action": "send_offer", "letter": letter.json()["id"]})).await.assert_status(StatusCode::OK);
        step(&app, &id, json!({"action": "record_reply", "accepted": true, "note": "Surat Kepala BPS No. B-12/2026"})).await.assert_status(StatusCode::OK);
        assert_eq!(stage(&app, &id).await, "PENYUSUNAN_KB");
        let nk = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "kb", "starts_on": "2026-06-01", "ends_on": "2029-05-31"})).await;
        nk.assert_status(StatusCode::CREATED);
        // Its Rencana Kerja is agreed with it: activities entered while the text is drafted
        // become the annex's lines.
        let activity = app.post(&format!("/api/v1/cases/{id}/activities"), &json!({"agreement": nk.json()["id"], "field": 1,
            "title": "Survei potensi wisata bersama BPS", "responsible": [{"party": 1, "unit": "Dinas Kebudayaan dan Pariwisata"}],
            "starts_on": "2026-07-01", "ends_on": "2026-12-31", "indicators": [{"name": "Laporan survei", "unit": "dokumen", "target": 1.0}]})).await;
        activity.assert_status(StatusCode::CREATED);
        let docs = format!("/api/v1/cases/{id}/documents/kb");
        app.post(&docs, &json!({})).await.assert_status(StatusCode::CREATED);
        assert_eq!(app.get_staff(&docs).await.json()["draft"]["template"], "nk@1");
        let page = app.get_staff(&format!("/kerja-sama/{id}/dokumen/kb")).await.text();
        assert!(page.contains("<h1>Nota Kesepakatan</h1>"), "{page}");
        let case_page = app.get_staff(&format!("/kerja-sama/{id}")).await.text();
        assert!(case_page.contains("Nota Kesepakatan tentang Kerja Sama Promosi Pariwisata"), "the NK's own title");
        let text = crate::report_outputs::pdf_text(&app.get_staff(&format!("{docs}/pdf")).await.body);
        assert!(text.contains("NOTA KESEPAKATAN") && text.contains("RENCANA KERJA"), "{text}");
        assert!(!text.contains("KESEPAKATAN BERSAMA"), "{text}");
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Survei potensi wisata bersama BPS") && flat.contains("Dinas Kebudayaan dan Pariwisata"), "the Rencana Kerja lists the activity: {flat}");
        // A KSDD's work plan still waits for its KB to be in force.
        let ksdd_kb_stage = crate::open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let early = app.post(&format!("/api/v1/cases/{}/activities", ksdd_kb_stage["id"].as_str().unwrap()), &json!({"field": 1,
            "title": "x", "responsible": [{"party": 1, "unit": "Dinas"}], "indicators": [{"name": "x", "unit": "x", "target": 1.0}]})).await;
        assert_eq!(early.code(), "workplan.case_not_active");
        let ksdd = crate::open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let r = app.post(&format!("/api/v1/cases/{}/central-approvals", ksdd["id"].as_str().unwrap()),
            &json!({"ministry": "kemendagri", "letter_number": "x", "letter_date": "2026-01-02", "approved": true})).await;
        assert_eq!(r.code(), "central_approval.not_needed");
    }
}
