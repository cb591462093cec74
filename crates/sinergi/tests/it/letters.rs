//! Letters can be corrected or withdrawn until sent (issue 13): by their sender only, never
//! on a stale version, and never once sent — an act that uses a letter (the offer, a reply, a
//! termination notice) sends it; other letters are marked sent by their sender. Through the
//! API and through the case page's forms, with each side in its own session.

use crate::{on_both, open_case, staff_region, step};
use axum::http::Method;
use serde_json::{Value, json};
use sinergi_test_support::{PASSWORD, TestApp, TestResponse};

async fn letter_of(app: &TestApp, case: &str, id: &str) -> Value {
    let all = app
        .get_staff(&format!("/api/v1/cases/{case}/letters?limit=100"))
        .await
        .json();
    all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == id)
        .cloned()
        .unwrap()
}

fn text(r: &TestResponse) -> String {
    String::from_utf8_lossy(&r.body).into_owned()
}

async fn as_user(
    app: &TestApp,
    token: &str,
    method: Method,
    uri: &str,
    body: &Value,
) -> TestResponse {
    app.as_token(token, method, uri, Some(body)).await
}

on_both! {
    async fn letters_are_corrected_or_withdrawn_until_sent(app: TestApp) {
        app.user("admin-kt", Some("62"), &["admin", "tkksd_chair"], None).await;
        app.user("admin-bl", Some("51"), &["admin", "tkksd_chair"], None).await;
        let (kalteng, bali) = (app.token_of("admin-kt").await, app.token_of("admin-bl").await);
        let case = open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let id = case["id"].as_str().unwrap();
        let (head, sekda) = staff_region(&app, "62").await;
        staff_region(&app, "51").await;
        for body in [json!({"action": "submit"}), json!({"action": "start_review"}),
                     json!({"action": "recommend", "recommendation": "layak", "reviewer": sekda})] {
            step(&app, id, body).await.assert_status(StatusCode::OK);
        }
        let letters = format!("/api/v1/cases/{id}/letters");
        let offer = |number: &str| json!({"kind": "penawaran", "number": number, "date": "2026-01-05", "to_region": "51",
            "signatory": head, "subject": "Penawaran kerja sama", "attachments": ["kak", "rancangan_kb"]});

        // Recorded, not sent: it can be corrected, version by version.
        let l = as_user(&app, &kalteng, Method::POST, &letters, &offer("000.8.3.3/1/KS-salah")).await;
        l.assert_status(StatusCode::CREATED);
        let l = l.json();
        let lid = l["id"].as_str().unwrap().to_owned();
        assert_eq!(l["version"], 1);
        assert!(l["sent_at"].is_null() && l["withdrawn_at"].is_null(), "{l}");
        let fixed = as_user(&app, &kalteng, Method::PATCH, &format!("{letters}/{lid}"),
            &json!({"expected_version": 1, "letter": offer("000.8.3.3/1/KS")})).await;
        fixed.assert_status(StatusCode::OK);
        assert_eq!(fixed.json()["version"], 2);
        assert_eq!(letter_of(&app, id, &lid).await["number"], "000.8.3.3/1/KS");
        // A correction made on the old version is refused and changes nothing.
        let stale = as_user(&app, &kalteng, Method::PATCH, &format!("{letters}/{lid}"),
            &json!({"expected_version": 1, "letter": offer("000.8.3.3/9/KS")})).await;
        stale.assert_status(StatusCode::CONFLICT);
        assert_eq!(letter_of(&app, id, &lid).await["number"], "000.8.3.3/1/KS");
        // A correction is checked as a new letter is.
        let mut empty = offer("000.8.3.3/1/KS");
        empty["subject"] = json!("");
        let bad = as_user(&app, &kalteng, Method::PATCH, &format!("{letters}/{lid}"),
            &json!({"expected_version": 2, "letter": empty})).await;
        bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        // Bali does not see Kalteng's internal draft, let alone its letters.
        let res = as_user(&app, &bali, Method::PATCH, &format!("{letters}/{lid}"),
            &json!({"expected_version": 2, "letter": offer("x")})).await;
        res.assert_status(StatusCode::NOT_FOUND);

        // A wrong letter is withdrawn: it stays on record and serves no act.
        let wrong = as_user(&app, &kalteng, Method::POST, &letters, &offer("000.8.3.3/2/KS")).await.json();
        let wid = wrong["id"].as_str().unwrap().to_owned();
        let res = as_user(&app, &kalteng, Method::POST, &format!("{letters}/{wid}/withdraw"), &json!({"expected_version": 1})).await;
        res.assert_status(StatusCode::OK);
        assert!(res.json()["withdrawn_at"].is_string());
        let res = step(&app, id, json!({"action": "send_offer", "letter": wid})).await;
        res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.code(), "letter.withdrawn");
        let res = as_user(&app, &kalteng, Method::PATCH, &format!("{letters}/{wid}"),
            &json!({"expected_version": 2, "letter": offer("000.8.3.3/2/KS")})).await;
        assert_eq!(res.code(), "letter.withdrawn");

        // The offer sends its letter: from then on it cannot change.
        crate::write_kak(&app, id).await;
        step(&app, id, json!({"action": "send_offer", "letter": lid})).await.assert_status(StatusCode::OK);
        let sent = letter_of(&app, id, &lid).await;
        assert!(sent["sent_at"].is_string(), "{sent}");
        for (method, uri, body) in [
            (Method::PATCH, format!("{letters}/{lid}"), json!({"expected_version": 2, "letter": offer("000.8.3.3/3/KS")})),
            (Method::POST, format!("{letters}/{lid}/withdraw"), json!({"expected_version": 2})),
            (Method::POST, format!("{letters}/{lid}/send"), json!({"expected_version": 2})),
        ] {
            let res = as_user(&app, &kalteng, method, &uri, &body).await;
            res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(res.code(), "letter.already_sent");
            let msg = res.json()["error"]["message"].as_str().unwrap().to_owned();
            assert!(msg.contains("sudah dikirim"), "{msg}");
        }
        assert_eq!(letter_of(&app, id, &lid).await["number"], "000.8.3.3/1/KS");

        // A letter no act sends is marked sent by its sender, and only by its sender.
        let invite = as_user(&app, &bali, Method::POST, &letters, &json!({"kind": "undangan", "date": "2026-01-10",
            "to_region": "62", "subject": "Undangan rapat koordinasi"})).await;
        invite.assert_status(StatusCode::CREATED);
        let iid = invite.json()["id"].as_str().unwrap().to_owned();
        for uri in [format!("{letters}/{iid}/withdraw"), format!("{letters}/{iid}/send")] {
            let res = as_user(&app, &kalteng, Method::POST, &uri, &json!({"expected_version": 1})).await;
            res.assert_status(StatusCode::FORBIDDEN);
            assert_eq!(res.code(), "auth.not_your_act");
        }
        let res = as_user(&app, &kalteng, Method::PATCH, &format!("{letters}/{iid}"),
            &json!({"expected_version": 1, "letter": {"kind": "undangan", "date": "2026-01-11", "subject": "Undangan"}})).await;
        res.assert_status(StatusCode::FORBIDDEN);
        let res = as_user(&app, &bali, Method::POST, &format!("{letters}/{iid}/send"), &json!({"expected_version": 1})).await;
        res.assert_status(StatusCode::OK);
        assert!(res.json()["sent_at"].is_string());

        // The history and the audit trail say what happened, in words.
        let history = app.get_staff(&format!("/api/v1/cases/{id}/history?limit=100")).await.json().to_string();
        for action in ["correct_letter", "withdraw_letter", "send_letter"] {
            assert!(history.contains(action), "{action} in {history}");
        }
    }

    async fn the_case_page_corrects_and_withdraws_a_letter(app: TestApp) {
        app.user("admin-kt", Some("62"), &["admin", "tkksd_chair"], None).await;
        app.user("admin-bl", Some("51"), &["admin", "tkksd_chair"], None).await;
        let case = open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let id = case["id"].as_str().unwrap();
        let (head, _) = crate::send_offer(&app, id).await;
        staff_region(&app, "51").await;
        let kt = app.sign_in("admin-kt", PASSWORD).await.unwrap();
        let bl = app.sign_in("admin-bl", PASSWORD).await.unwrap();
        let url = format!("/kerja-sama/{id}");

        // Kalteng records its DPRD request with a typo, from its page.
        let res = app.post_form(&kt, &format!("{url}/surat"), &[("kind", "permohonan_persetujuan_dprd"), ("number", "100/KS-slah"),
            ("date", "2026-02-01"), ("from_region", "62"), ("signatory", &head), ("subject", "Permohonan persetujuan DPRD")], None).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", text(&res));
        let lid = app.get_staff(&format!("/api/v1/cases/{id}/letters?limit=100")).await.json()["items"].as_array().unwrap()
            .iter().find(|l| l["number"] == "100/KS-slah").unwrap()["id"].as_str().unwrap().to_owned();
        let page = text(&app.get_as(&kt, &url).await);
        assert!(page.contains("<span class=\"small badge\">Belum dikirim"), "the page says it is not sent yet");
        assert!(page.contains(&format!("action=\"/kerja-sama/{id}/surat/{lid}\"")), "its sender can correct it");
        assert!(page.contains("Permohonan persetujuan DPRD"), "the kind in words");
        // Bali sees the letter, not its sender's forms.
        let other = text(&app.get_as(&bl, &url).await);
        assert!(other.contains("100/KS-slah") && !other.contains(&format!("/surat/{lid}\"")), "no correction form for Bali");
        // Bali's forged correction is refused and changes nothing.
        let res = app.post_form(&bl, &format!("{url}/surat/{lid}"), &[("version", "1"), ("kind", "undangan"), ("date", "2026-02-01"),
            ("from_region", "62"), ("subject", "Palsu")], None).await;
        res.assert_status(StatusCode::FORBIDDEN);

        // The correction, from the form.
        let fields = [("version", "1"), ("kind", "permohonan_persetujuan_dprd"), ("number", "100/KS"), ("date", "2026-02-01"),
            ("from_region", "62"), ("signatory", head.as_str()), ("subject", "Permohonan persetujuan DPRD")];
        let res = app.post_form(&kt, &format!("{url}/surat/{lid}"), &fields, None).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(res.headers["location"].to_str().unwrap().contains("ok=surat_ubah"));
        // The same form sent again is stale: the page says so, in the letter's own form.
        let res = app.post_form(&kt, &format!("{url}/surat/{lid}"), &fields, None).await;
        res.assert_status(StatusCode::CONFLICT);
        assert!(text(&res).contains("role=\"alert\""));
        // Withdrawing needs the confirmation.
        let res = app.post_form(&kt, &format!("{url}/surat/{lid}/tarik"), &[("version", "2")], None).await;
        res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text(&res).contains("Centang konfirmasi untuk menarik surat"));
        let res = app.post_form(&kt, &format!("{url}/surat/{lid}/tarik"), &[("version", "2"), ("yakin", "ya")], None).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = text(&app.get_as(&kt, &url).await);
        assert!(page.contains("<span class=\"small muted\">Ditarik ") && !page.contains(&format!("action=\"/kerja-sama/{id}/surat/{lid}\"")), "withdrawn: no forms");
        let l = app.get_staff(&format!("/api/v1/cases/{id}/letters?limit=100")).await.json();
        let l = l["items"].as_array().unwrap().iter().find(|l| l["id"] == lid.as_str()).unwrap();
        assert_eq!(l["number"], "100/KS");
        assert!(l["withdrawn_at"].is_string());
        // The offer letter was sent by the offer: listed as sent, without forms.
        assert!(page.contains("<span class=\"small muted\">Dikirim "), "the sent offer letter says so");
    }
}
