//! Issue 22: the TKKSD kajian is a record — the meeting, who attended, the minutes, the
//! recommendation and who decided it, and the telaahan staf — kept by the reviewing side.

use crate::{official, on_both, open_case, staff_region, step};
use axum::http::Method;
use serde_json::json;
use sinergi_test_support::{PASSWORD, PNG};

on_both! {
    async fn the_tkksd_kajian_is_recorded_with_its_recommendation_for_its_own_side(app: TestApp) {
        app.user("admin-kt", Some("62"), &["admin"], None).await;
        app.user("admin-bl", Some("51"), &["admin"], None).await;
        let case = open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let id = case["id"].as_str().unwrap().to_owned();
        let (head, sekda) = staff_region(&app, "62").await;
        let (bali_head, bali_sekda) = staff_region(&app, "51").await;
        let kadis = official(&app, "62", "Kadis Pariwisata", "Kepala Dinas Kebudayaan dan Pariwisata", "kepala_perangkat_daerah", "definitif").await;
        step(&app, &id, json!({"action": "submit"})).await.assert_status(StatusCode::OK);
        step(&app, &id, json!({"action": "start_review"})).await.assert_status(StatusCode::OK);

        // Kalteng's admin records the recommendation with its meeting on the case page.
        let ks = app.sign_in("admin-kt", PASSWORD).await.unwrap();
        let page = app.get_as(&ks, &format!("/kerja-sama/{id}")).await.text();
        assert!(page.contains("name=\"kajian_attendee\"") && page.contains("Kadis Pariwisata"), "the attendees to tick");
        let v = app.get_staff(&format!("/api/v1/cases/{id}")).await.json()["version"].to_string();
        let mut form = vec![("action", "recommend"), ("expected_version", v.as_str()), ("recommendation", "layak"), ("reviewer", sekda.as_str()),
            ("kajian_meeting_on", "2026-05-12"), ("kajian_mode", "daring"), ("kajian_attendee", kadis.as_str()),
            ("kajian_attendee", bali_head.as_str()), ("kajian_minutes", "Usulan dinilai layak; KAK dilengkapi.")];
        // An official of Bali is no attendee of Kalteng's TKKSD: refused, nothing stored.
        let refused = app.post_form(&ks, &format!("/kerja-sama/{id}/transisi"), &form, None).await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().contains("Peserta kajian harus pejabat 62"), "{}", refused.text());
        assert!(refused.text().contains("Usulan dinilai layak; KAK dilengkapi."), "what was typed stays");
        assert_eq!(app.get_staff(&format!("/api/v1/cases/{id}")).await.json()["stage"], "KAJIAN_TKKSD");
        form.retain(|(k, val)| !(*k == "kajian_attendee" && *val == bali_head));
        app.post_form(&ks, &format!("/kerja-sama/{id}/transisi"), &form, None).await.assert_status(StatusCode::SEE_OTHER);
        assert_eq!(app.get_staff(&format!("/api/v1/cases/{id}")).await.json()["stage"], "PENAWARAN_DISIAPKAN");

        let kt = app.token_of("admin-kt").await;
        let list = app.as_token(&kt, Method::GET, &format!("/api/v1/cases/{id}/kajian"), None).await.json();
        assert_eq!(list["total"], 1);
        let k = &list["items"][0];
        assert_eq!(k["subject"], "usulan");
        assert_eq!(k["mode"], "daring");
        assert_eq!(k["meeting_on"], "2026-05-12");
        assert_eq!(k["recommendation"], "layak");
        assert_eq!(k["decided_by"]["name"], "Sekda 62");
        let names: Vec<&str> = k["attendees"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Sekda 62", "Kadis Pariwisata"], "the decider is always an attendee");
        let kid = k["id"].as_str().unwrap().to_owned();

        // The telaahan staf: checked by content, attached on the page, downloaded back.
        let upload = format!("/kerja-sama/{id}/kajian/{kid}/telaahan");
        let wrong = app.post_multipart(&ks, &upload, &[("file", "telaahan.pdf", b"bukan pdf")], &[]).await;
        wrong.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        app.post_multipart(&ks, &upload, &[("file", "telaahan-staf.png", PNG)], &[]).await.assert_status(StatusCode::SEE_OTHER);
        let page = app.get_as(&ks, &format!("/kerja-sama/{id}")).await.text();
        assert!(page.contains("telaahan-staf.png") && page.contains("Kadis Pariwisata (Kepala Dinas Kebudayaan dan Pariwisata)"), "{page}");
        let file = app.get_as(&ks, &upload).await;
        file.assert_status(StatusCode::OK);
        assert_eq!(file.body, PNG);

        // The offer goes; Bali then sees the case but not Kalteng's kajian.
        crate::write_kak(&app, &id).await;
        let letter = app.post(&format!("/api/v1/cases/{id}/letters"), &json!({"kind": "penawaran", "number": "000.8.3.3/1/KS", "date": "2026-05-13",
            "from_region": "62", "to_region": "51", "signatory": head, "subject": "Penawaran kerja sama", "attachments": ["kak", "rancangan_kb"]})).await;
        step(&app, &id, json!({"action": "send_offer", "letter": letter.json()["id"]})).await.assert_status(StatusCode::OK);
        let bl = app.token_of("admin-bl").await;
        let seen = app.as_token(&bl, Method::GET, &format!("/api/v1/cases/{id}/kajian"), None).await;
        seen.assert_status(StatusCode::OK);
        assert_eq!(seen.json()["total"], 0, "the other side's kajian is its internal work");
        app.as_token(&bl, Method::GET, &format!("/api/v1/cases/{id}/kajian/{kid}/telaahan-file"), None).await
            .assert_status(StatusCode::NOT_FOUND);
        let bs = app.sign_in("admin-bl", PASSWORD).await.unwrap();
        app.get_as(&bs, &upload).await.assert_status(StatusCode::NOT_FOUND);
        assert!(!app.get_as(&bs, &format!("/kerja-sama/{id}")).await.text().contains("telaahan-staf.png"));

        // Bali's own TKKSD reviews the offer: its kajian, which Kalteng does not see.
        let res = app.as_token(&bl, Method::POST, &format!("/api/v1/cases/{id}/transitions"), Some(&json!({
            "action": "review_offer", "recommendation": "layak", "reviewer": bali_sekda,
            "expected_version": app.get_staff(&format!("/api/v1/cases/{id}")).await.json()["version"],
            "kajian": {"meeting_on": "2026-05-20", "mode": "luring", "minutes": "Penawaran Kalteng layak diterima."}}))).await;
        res.assert_status(StatusCode::OK);
        let bali_list = app.as_token(&bl, Method::GET, &format!("/api/v1/cases/{id}/kajian"), None).await.json();
        assert_eq!(bali_list["total"], 1);
        assert_eq!(bali_list["items"][0]["subject"], "penawaran");
        assert_eq!(bali_list["items"][0]["region"], "51");
        assert_eq!(app.as_token(&kt, Method::GET, &format!("/api/v1/cases/{id}/kajian"), None).await.json()["total"], 1);
        // Meeting data on a step that is no review is refused.
        let odd = app.as_token(&bl, Method::POST, &format!("/api/v1/cases/{id}/transitions"), Some(&json!({
            "action": "mark_offer_delivered", "expected_version": app.get_staff(&format!("/api/v1/cases/{id}")).await.json()["version"],
            "kajian": {"minutes": "x"}}))).await;
        assert_eq!(odd.code(), "case.kajian_not_here");
        assert!(app.store.verify_audit().await.unwrap().is_ok());
    }
}
