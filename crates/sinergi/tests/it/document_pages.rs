//! The document page's forms, as a signed-in secretariat admin uses them in a browser
//! session without JavaScript: start the draft, change clauses, comment, finalise, sign,
//! upload and validate the wet-ink scan — each refusal shown on the page, nothing stored.

use crate::on_both;
use axum::http::StatusCode;
use serde_json::Value;
use sinergi_domain::demo::FOUNDING_CASE_ID;
use sinergi_test_support::{PASSWORD, Session, TestApp, TestResponse};

fn html(r: &TestResponse) -> String {
    String::from_utf8_lossy(&r.body).into_owned()
}

async fn view(app: &TestApp) -> Value {
    app.get_staff(&format!("/api/v1/cases/{FOUNDING_CASE_ID}/documents/kb"))
        .await
        .json()
}

async fn official(app: &TestApp, region: &str, name: &str) -> String {
    let list = app
        .get(&format!("/api/v1/regions/{region}/officials"))
        .await
        .json();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == name)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn see_other(r: &TestResponse, anchor: &str) {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", html(r));
    // On to the anchor, with the notice of what happened (`?ok=`).
    let location = r.headers["location"].to_str().unwrap();
    assert!(
        location.starts_with(&format!("/kerja-sama/{FOUNDING_CASE_ID}/dokumen/kb?ok="))
            && location.ends_with(&format!("#{anchor}")),
        "{location}"
    );
}

on_both! {
    async fn the_document_page_drafts_finalises_signs_and_takes_scans(app: TestApp) {
        app.store.load_founding_case(app.now()).await.unwrap();
        app.user("admin-62", Some("62"), &["admin"], None).await;
        let s: Session = app.sign_in("admin-62", PASSWORD).await.unwrap();
        let page = format!("/kerja-sama/{FOUNDING_CASE_ID}/dokumen/kb");
        let first = html(&app.get_as(&s, &page).await);
        assert!(first.contains("id=\"form-mulai\""), "an admin of a party may start the draft");
        let visitor = app.get(&page).await;
        visitor.assert_status(StatusCode::OK);
        assert!(!html(&visitor).contains("<form method=\"post\""), "visitors get no forms");

        app.post_form(&s, &format!("{page}/mulai"), &[], None).await.assert_status(StatusCode::SEE_OTHER);
        let twice = app.post_form(&s, &format!("{page}/mulai"), &[], None).await;
        assert!(twice.status.is_client_error(), "{}", twice.status);
        assert!(html(&twice).contains("role=\"alert\""));
        let body = html(&app.get_as(&s, &page).await);
        assert_eq!(body.matches("<form method=\"post\"").count(), body.matches("name=\"_csrf\"").count(), "every form carries the token");
        assert!(body.contains("id=\"pasal-jangka_waktu\""));

        // Edit a clause with a lettered list, typed as the edit box explains.
        let term = "Kesepakatan Bersama ini berlaku untuk jangka waktu 5 (lima) tahun.\r\n\r\nPerpanjangan dapat dilakukan:\r\n- atas kesepakatan PARA PIHAK;\r\n- setelah evaluasi.";
        let edit = [("expected_version", "1"), ("op", "edit"), ("key", "jangka_waktu"), ("heading", "JANGKA WAKTU"), ("ayat", term), ("note", "Usul PIHAK KEDUA")];
        see_other(&app.post_form(&s, &format!("{page}/ubah"), &edit, None).await, "naskah");
        let v = view(&app).await;
        let clause = v["versions"][1]["clauses"].as_array().unwrap().iter().find(|c| c["key"] == "jangka_waktu").unwrap().clone();
        assert_eq!(clause["ayat"][0]["text"], "Kesepakatan Bersama ini berlaku untuk jangka waktu 5 (lima) tahun.");
        assert_eq!(clause["ayat"][1]["items"][1], "setelah evaluasi.");
        assert_eq!(v["versions"][1]["change_note"], "Usul PIHAK KEDUA");
        // The same form against version 1 again is stale: refused on the page, nothing added.
        let stale = app.post_form(&s, &format!("{page}/ubah"), &edit, None).await;
        assert!(stale.status.is_client_error(), "{}", stale.status);
        assert!(html(&stale).contains("role=\"alert\""));
        assert_eq!(view(&app).await["versions"].as_array().unwrap().len(), 2);
        let keys = |v: &Value, n: usize| -> Vec<String> { v["versions"][n]["clauses"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap().to_owned()).collect() };
        let before = keys(&view(&app).await, 1);
        let at = before.iter().position(|k| k == "jangka_waktu").unwrap();
        see_other(&app.post_form(&s, &format!("{page}/ubah"), &[("expected_version", "2"), ("op", "up"), ("key", "jangka_waktu")], None).await, "naskah");
        let after = keys(&view(&app).await, 2);
        assert_eq!(after[at - 1], "jangka_waktu");
        assert_eq!(after[at], before[at - 1]);
        see_other(&app.post_form(&s, &format!("{page}/ubah"), &[("expected_version", "3"), ("op", "add"), ("heading", "KERAHASIAAN"), ("ayat", "PARA PIHAK menjaga kerahasiaan data.")], None).await, "naskah");
        let v = view(&app).await;
        let added = v["versions"][3]["clauses"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(added["heading"], "KERAHASIAAN");
        let no_op = app.post_form(&s, &format!("{page}/ubah"), &[("expected_version", "4"), ("op", "ganti")], None).await;
        assert_eq!(no_op.status, StatusCode::UNPROCESSABLE_ENTITY);
        see_other(&app.post_form(&s, &format!("{page}/ubah"), &[("expected_version", "4"), ("op", "remove"), ("key", added["key"].as_str().unwrap())], None).await, "naskah");

        // A comment, with markup typed into it, is stored and shown escaped; it is the
        // commenter's own party's, and the form says so instead of offering a choice.
        let body = html(&app.get_as(&s, &page).await);
        assert!(body.contains("<input type=\"hidden\" name=\"party\" value=\"1\">") && !body.contains("name=\"party\"><option"), "no 'on behalf of' choice");
        see_other(&app.post_form(&s, &format!("{page}/komentar"), &[("version", "5"), ("clause_key", "jangka_waktu"), ("party", "1"), ("body", "<script>alert(1)</script> Setuju lima tahun.")], None).await, "komentar");
        let body = html(&app.get_as(&s, &page).await);
        assert!(body.contains("&#60;script&#62;alert(1)&#60;/script&#62; Setuju lima tahun.") && !body.contains("<script>alert(1)"), "{}", &body[body.find("komentar").unwrap_or(0)..]);
        // Posting as PIHAK KEDUA is refused, naming whose comment it would be; nothing stored.
        let as_bali = app.post_form(&s, &format!("{page}/komentar"), &[("version", "5"), ("clause_key", "jangka_waktu"), ("party", "2"), ("body", "atas nama Bali")], None).await;
        assert_eq!(as_bali.status, StatusCode::FORBIDDEN);
        assert!(html(&as_bali).contains("Komentar atas nama Provinsi Bali dicatat oleh pengguna Provinsi Bali"), "{}", html(&as_bali));
        assert!(html(&as_bali).contains("atas nama Bali") || html(&as_bali).contains("id=\"form-komentar\""), "the page comes back with its forms");
        let bad_party = app.post_form(&s, &format!("{page}/komentar"), &[("version", "5"), ("clause_key", "jangka_waktu"), ("party", "3"), ("body", "x")], None).await;
        assert!(bad_party.status.is_client_error());
        assert_eq!(view(&app).await["comments"].as_array().unwrap().len(), 1);

        // Finalise, then sign as the governor; a Sekda is refused.
        see_other(&app.post_form(&s, &format!("{page}/final"), &[("expected_version", "5")], None).await, "versi");
        let v = view(&app).await;
        let sha = v["versions"][4]["pdf_sha256"].as_str().unwrap().to_owned();
        assert_eq!(v["versions"][4]["is_final"], true);
        let body = html(&app.get_as(&s, &page).await);
        // The admin prepares; only the governor's own account signs.
        assert!(!body.contains("id=\"form-tanda-tangan\"") && body.contains("id=\"ttd-akun-sendiri\"") && body.contains(&sha), "{body}");
        let governor = official(&app, "62", "Sugianto Sabran").await;
        let by_admin = app.post_form(&s, &format!("{page}/tanda-tangan"), &[("official", &governor), ("sha256", &sha)], None).await;
        assert!(by_admin.status.is_client_error(), "{}", by_admin.status);
        assert!(html(&by_admin).contains("akun Sugianto Sabran sendiri"));
        app.user("gub-62", Some("62"), &["kepala_daerah"], None).await;
        app.link_official("gub-62", &governor).await;
        let g = app.sign_in("gub-62", PASSWORD).await.unwrap();
        let body = html(&app.get_as(&g, &page).await);
        assert!(body.contains("id=\"form-tanda-tangan\"") && body.contains("Anda menandatangani sebagai") && !body.contains("Wayan Koster —"), "the governor signs as himself only");
        let sekda = official(&app, "51", "Dewa Made Indra").await;
        let refused = app.post_form(&g, &format!("{page}/tanda-tangan"), &[("official", &sekda), ("sha256", &sha)], None).await;
        assert!(refused.status.is_client_error(), "{}", refused.status);
        assert!(html(&refused).contains("role=\"alert\""));
        // Bali's staff cannot put Kalteng's governor's signature on the document.
        app.user("admin-51", Some("51"), &["admin"], None).await;
        let bali = app.token_of("admin-51").await;
        let other_side = app.as_token(&bali, axum::http::Method::POST, &format!("/api/v1/cases/{FOUNDING_CASE_ID}/documents/kb/signatures"),
            Some(&serde_json::json!({ "official": governor, "sha256": sha }))).await;
        assert_eq!(other_side.code(), "auth.not_your_act");
        see_other(&app.post_form(&g, &format!("{page}/tanda-tangan"), &[("official", &governor), ("sha256", &sha)], None).await, "tanda-tangan");
        let code = v["versions"][4]["verification_code"].as_str().unwrap().to_owned();
        let report = app.get(&format!("/api/v1/verifikasi/{code}")).await.json();
        assert_eq!(report["signatures"].as_array().unwrap().len(), 1);
        assert_eq!(report["signatures"][0]["signer_name"], "Sugianto Sabran");
        let body = html(&app.get_as(&s, &page).await);
        assert!(body.contains("Sugianto Sabran — Gubernur Kalimantan Tengah — PIHAK KESATU"));
        assert!(body.contains("id=\"terkunci\"") && !body.contains("value=\"edit\""), "a signed text offers no edit forms");

        // The wet-ink scan: upload (multipart), the checklist decides validation.
        let scans = format!("{page}/pindaian");
        let partial = app.post_multipart(&s, &scans, &[("file", "kb-ttd.png", sinergi_test_support::PNG)], &[("paraf", "on"), ("stempel", "on")]).await;
        see_other(&partial, "pindaian");
        let wrong = app.post_multipart(&s, &scans, &[("file", "kb-ttd.pdf", sinergi_test_support::PNG)], &[("paraf", "on")]).await;
        assert!(wrong.status.is_client_error());
        assert!(html(&wrong).contains("role=\"alert\""));
        let forged = Session { csrf: "palsu".into(), ..s.clone() };
        app.post_multipart(&forged, &scans, &[("file", "kb-ttd.png", sinergi_test_support::PNG)], &[]).await.assert_status(StatusCode::FORBIDDEN);
        let listed = view(&app).await["wet_ink"].as_array().unwrap().clone();
        assert_eq!(listed.len(), 1, "refused uploads store nothing");
        let scan = listed[0]["id"].as_str().unwrap().to_owned();
        let incomplete = app.post_form(&s, &format!("{scans}/{scan}/sahkan"), &[], None).await;
        assert!(incomplete.status.is_client_error(), "{}", incomplete.status);
        assert!(html(&incomplete).contains("meterai"));
        let full = app.post_multipart(&s, &scans, &[("file", "kb-ttd-lengkap.png", sinergi_test_support::PNG)], &[("paraf", "on"), ("meterai", "on"), ("stempel", "on")]).await;
        see_other(&full, "pindaian");
        let complete = view(&app).await["wet_ink"].as_array().unwrap().iter().find(|w| w["meterai"] == true).unwrap()["id"].as_str().unwrap().to_owned();
        see_other(&app.post_form(&s, &format!("{scans}/{complete}/sahkan"), &[], None).await, "pindaian");
        let body = html(&app.get_as(&s, &page).await);
        assert!(body.contains("kb-ttd-lengkap.png") && body.contains("admin-62"));

        // Anonymous posts are refused before anything is read.
        let anon = app.request(axum::http::Method::POST, &format!("{page}/final"), Some(b"expected_version=5".to_vec()), &[("content-type", "application/x-www-form-urlencoded")]).await;
        assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    }
}
