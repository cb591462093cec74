//! Each side acts for itself (issue 12): every party-scoped act is tried by the party whose
//! act it is, by the other party of the same case, by an unrelated region and by the
//! operator — through the API and through the page forms — and a refused act changes
//! nothing.

use crate::{official, on_both, open_case, staff_region, step};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use sinergi_test_support::{PASSWORD, Session, TestApp, TestResponse};

const KALTENG: &str = "62";
const BALI: &str = "51";
const KALSEL: &str = "63";

/// The users of the fixture: each region's secretariat admin (also TKKSD chair).
struct Users {
    kalteng: String,
    bali: String,
    kalsel: String,
}

async fn users(app: &TestApp) -> Users {
    for (name, region) in [
        ("admin-62", KALTENG),
        ("admin-51", BALI),
        ("admin-63", KALSEL),
    ] {
        app.user(name, Some(region), &["admin", "tkksd_chair"], None)
            .await;
    }
    Users {
        kalteng: app.token_of("admin-62").await,
        bali: app.token_of("admin-51").await,
        kalsel: app.token_of("admin-63").await,
    }
}

async fn case_json(app: &TestApp, id: &str) -> Value {
    app.get_staff(&format!("/api/v1/cases/{id}")).await.json()
}

/// A transition as the holder of `token`, with the case's current version.
async fn act_as(app: &TestApp, token: &str, id: &str, body: Value) -> TestResponse {
    let v = case_json(app, id).await["version"].clone();
    let mut body = body;
    body["expected_version"] = v;
    app.as_token(
        token,
        Method::POST,
        &format!("/api/v1/cases/{id}/transitions"),
        Some(&body),
    )
    .await
}

/// The other party is refused with `auth.not_your_act` naming whose act it is, and the case
/// (with its history) is exactly as before.
fn refused_as_not_yours(res: &TestResponse, whose: &str) {
    res.assert_status(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "auth.not_your_act", "{}", res.json());
    let msg = res.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(
        msg.contains(&format!("dicatat oleh pengguna {whose}")),
        "the refusal names whose act it is: {msg}"
    );
}

async fn unchanged<F: std::future::Future<Output = TestResponse>>(
    app: &TestApp,
    id: &str,
    attempt: F,
) -> TestResponse {
    let before = case_json(app, id).await;
    let history = app
        .get_staff(&format!("/api/v1/cases/{id}/history?limit=500"))
        .await
        .json()["total"]
        .clone();
    let res = attempt.await;
    assert_eq!(
        case_json(app, id).await,
        before,
        "a refused act changes nothing"
    );
    assert_eq!(
        app.get_staff(&format!("/api/v1/cases/{id}/history?limit=500"))
            .await
            .json()["total"],
        history,
        "and writes no history"
    );
    res
}

on_both! {
    async fn every_party_scoped_act_belongs_to_its_own_party(app: TestApp) {
        let u = users(&app).await;
        let case = open_case(&app, "ksdd_sukarela", &[KALTENG, BALI]).await;
        let id = case["id"].as_str().unwrap().to_owned();
        let id = id.as_str();
        let (gub_62, sekda_62) = staff_region(&app, KALTENG).await;
        let (gub_51, sekda_51) = staff_region(&app, BALI).await;

        // Before the offer the case is Kalteng's internal work: Bali and Kalsel do not even
        // see it, and cannot steer it.
        for token in [&u.bali, &u.kalsel] {
            let res = app.as_token(token, Method::GET, &format!("/api/v1/cases/{id}"), None).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND);
            let res = unchanged(&app, id, act_as(&app, token, id, json!({"action": "cancel", "note": "dibatalkan mitra"}))).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "the partner cannot cancel the initiator's draft");
            let res = unchanged(&app, id, act_as(&app, token, id, json!({"action": "submit"}))).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND);
        }
        let listed = app.as_token(&u.bali, Method::GET, "/api/v1/cases", None).await.json();
        assert!(!listed.to_string().contains(id), "nor in its register");
        for body in [json!({"action": "submit"}), json!({"action": "start_review"}),
                     json!({"action": "recommend", "recommendation": "layak", "reviewer": sekda_62})] {
            act_as(&app, &u.kalteng, id, body).await.assert_status(StatusCode::OK);
        }
        // A Plh. may not sign the offer letter (a [P] rule with its legal reference).
        let plh = official(&app, KALTENG, "Plh Gubernur", "Gubernur Kalimantan Tengah", "kepala_daerah", "plh").await;
        let plh_letter = app.as_token(&u.kalteng, Method::POST, &format!("/api/v1/cases/{id}/letters"), Some(&json!({"kind": "penawaran",
            "date": "2026-05-20", "signatory": plh, "subject": "Penawaran", "attachments": ["kak", "rancangan_kb"]}))).await;
        plh_letter.assert_status(StatusCode::CREATED);
        assert_eq!(plh_letter.json()["from_region"], KALTENG, "a user's letter is from its own side");
        let res = unchanged(&app, id, act_as(&app, &u.kalteng, id, json!({"action": "send_offer", "letter": plh_letter.json()["id"]}))).await;
        assert_eq!(res.code(), "case.offer_signed_by_plh");
        let rules = app.get("/api/v1/rule-sets").await.json().to_string();
        assert!(rules.contains("plh_may_sign_offer") && rules.contains("UU 30/2014"), "the rule carries its reference");
        // A letter "from Bali" written by Kalteng is refused.
        let forged = app.as_token(&u.kalteng, Method::POST, &format!("/api/v1/cases/{id}/letters"), Some(&json!({"kind": "jawaban",
            "date": "2026-05-20", "from_region": BALI, "subject": "Jawaban palsu"}))).await;
        refused_as_not_yours(&forged, "Provinsi Bali");
        let offer = app.as_token(&u.kalteng, Method::POST, &format!("/api/v1/cases/{id}/letters"), Some(&json!({"kind": "penawaran",
            "date": "2026-05-20", "to_region": BALI, "signatory": gub_62, "subject": "Penawaran", "attachments": ["kak", "rancangan_kb"]}))).await.json();
        // Kalteng writes its own KAK, which the offer carries.
        let kak = json!({"background": "Latar", "purpose": "Tujuan", "object": "Pariwisata", "scope": "Promosi", "duration": "5 tahun",
            "benefits": "Kunjungan", "financing": "APBD"});
        app.as_token(&u.kalteng, Method::PUT, &format!("/api/v1/cases/{id}/parties/1/kak"), Some(&kak)).await.assert_status(StatusCode::OK);
        act_as(&app, &u.kalteng, id, json!({"action": "send_offer", "letter": offer["id"]})).await.assert_status(StatusCode::OK);
        // Now Bali sees it; Kalsel still does not.
        app.as_token(&u.bali, Method::GET, &format!("/api/v1/cases/{id}"), None).await.assert_status(StatusCode::OK);
        assert_eq!(app.as_token(&u.kalsel, Method::GET, &format!("/api/v1/cases/{id}"), None).await.status, StatusCode::NOT_FOUND);

        // The reply is Bali's: Kalteng cannot acknowledge, review or answer its own offer.
        for body in [json!({"action": "mark_offer_delivered"}),
                     json!({"action": "review_offer", "recommendation": "layak", "reviewer": sekda_51}),
                     json!({"action": "record_reply", "accepted": true})] {
            let res = unchanged(&app, id, act_as(&app, &u.kalteng, id, body)).await;
            refused_as_not_yours(&res, "Provinsi Bali");
        }
        // Naming the party does not help.
        let res = unchanged(&app, id, act_as(&app, &u.kalteng, id, json!({"action": "record_reply", "accepted": true, "party": 2}))).await;
        refused_as_not_yours(&res, "Provinsi Bali");
        act_as(&app, &u.bali, id, json!({"action": "mark_offer_delivered"})).await.assert_status(StatusCode::OK);
        // Bali's reply needs its own TKKSD review and its own reply letter.
        let res = unchanged(&app, id, act_as(&app, &u.bali, id, json!({"action": "record_reply", "accepted": true}))).await;
        assert_eq!(res.code(), "case.reply_letter_required");
        let reply = app.as_token(&u.bali, Method::POST, &format!("/api/v1/cases/{id}/letters"), Some(&json!({"kind": "jawaban",
            "date": "2026-05-25", "to_region": KALTENG, "signatory": gub_51, "subject": "Jawaban"}))).await.json();
        let res = unchanged(&app, id, act_as(&app, &u.bali, id, json!({"action": "record_reply", "accepted": true, "letter": reply["id"]}))).await;
        assert_eq!(res.code(), "case.reply_needs_review");
        // Its review is made by its own TKKSD, not Kalteng's.
        let res = unchanged(&app, id, act_as(&app, &u.bali, id, json!({"action": "review_offer", "recommendation": "layak", "reviewer": sekda_62}))).await;
        assert_eq!(res.code(), "case.reviewer_not_tkksd_member");
        act_as(&app, &u.bali, id, json!({"action": "review_offer", "recommendation": "layak", "reviewer": sekda_51})).await.assert_status(StatusCode::OK);
        let res = act_as(&app, &u.bali, id, json!({"action": "record_reply", "accepted": true, "letter": reply["id"]})).await;
        res.assert_status(StatusCode::OK);
        assert_eq!(res.json()["case"]["stage"], "PENYUSUNAN_KB");
        let bali_party = &res.json()["case"]["parties"][1];
        assert_eq!(bali_party["acts"]["reply"]["accepted"], true, "{bali_party}");
        assert_eq!(bali_party["acts"]["offer_review"]["recommendation"], "layak");

        // After the offer, cancelling is a joint act: one party's click only records its consent.
        let res = act_as(&app, &u.bali, id, json!({"action": "cancel", "note": "Prioritas berubah"})).await;
        res.assert_status(StatusCode::OK);
        assert_eq!(res.json()["case"]["stage"], "PENYUSUNAN_KB", "not cancelled by one party");
        assert_eq!(res.json()["history"]["action"], "propose_cancel");
        let again = unchanged(&app, id, act_as(&app, &u.bali, id, json!({"action": "cancel", "note": "lagi"}))).await;
        assert_eq!(again.code(), "case.already_consented");
        act_as(&app, &u.bali, id, json!({"action": "withdraw_proposal"})).await.assert_status(StatusCode::OK);
        assert!(case_json(&app, id).await["parties"][1]["acts"]["consent"].is_null());

        // The KB: each party enters its own number and signatory; the other's is refused.
        let kb = app.as_token(&u.kalteng, Method::POST, &format!("/api/v1/cases/{id}/agreements"), Some(&json!({"kind": "kb", "starts_on": "2026-06-01", "ends_on": "2031-05-31"}))).await.json();
        let kb_url = format!("/api/v1/cases/{id}/agreements/{}", kb["id"].as_str().unwrap());
        let forged = app.as_token(&u.kalteng, Method::PATCH, &kb_url, Some(&json!({"expected_version": kb["version"],
            "parties": [{"ordinal": 2, "signatory": gub_51, "number": "075/9/KS"}]}))).await;
        refused_as_not_yours(&forged, "Provinsi Bali");
        assert!(app.get_staff(&kb_url).await.json()["parties"][1]["number"].is_null(), "nothing stored");
        let kb = app.as_token(&u.kalteng, Method::PATCH, &kb_url, Some(&json!({"expected_version": kb["version"], "place": "Denpasar", "signed_on": "2026-05-30",
            "parties": [{"ordinal": 1, "signatory": gub_62, "number": "100/1/KS"}]}))).await;
        kb.assert_status(StatusCode::OK);
        app.as_token(&u.bali, Method::PATCH, &kb_url, Some(&json!({"expected_version": kb.json()["version"],
            "parties": [{"ordinal": 2, "signatory": gub_51, "number": "075/2/KS"}]}))).await.assert_status(StatusCode::OK);
        act_as(&app, &u.kalteng, id, json!({"action": "finalize_kb"})).await.assert_status(StatusCode::OK);

        // A signature is evidence, not a flag: sign_kb with neither is refused, for everyone.
        let res = unchanged(&app, id, step(&app, id, json!({"action": "sign_kb"}))).await;
        assert_eq!(res.code(), "document.final_text_missing");
        let docs = format!("/api/v1/cases/{id}/documents/kb");
        app.as_token(&u.bali, Method::POST, &docs, Some(&json!({}))).await.assert_status(StatusCode::CREATED);
        // Comments: each party's own; "on behalf of" the other is refused.
        let c = app.as_token(&u.kalteng, Method::POST, &format!("{docs}/comments"), Some(&json!({"version": 1, "clause_key": "jangka_waktu", "body": "Lima tahun cukup."}))).await;
        c.assert_status(StatusCode::CREATED);
        assert_eq!(c.json()["party_ordinal"], 1, "a comment is the commenter's own party's");
        let forged = app.as_token(&u.kalteng, Method::POST, &format!("{docs}/comments"), Some(&json!({"version": 1, "clause_key": "jangka_waktu", "party_ordinal": 2, "body": "atas nama Bali"}))).await;
        refused_as_not_yours(&forged, "Provinsi Bali");
        assert_eq!(app.get_staff(&docs).await.json()["comments"].as_array().unwrap().len(), 1);
        let fin = app.as_token(&u.bali, Method::POST, &format!("{docs}/finalize"), Some(&json!({"expected_version": 1}))).await;
        fin.assert_status(StatusCode::OK);
        let sha = fin.json()["pdf_sha256"].as_str().unwrap().to_owned();
        let res = unchanged(&app, id, step(&app, id, json!({"action": "sign_kb"}))).await;
        assert_eq!(res.code(), "document.party_not_signed", "a final text alone is not a signature");

        // Kalteng's governor signs through his own account; his admin cannot.
        app.user("gub-62", Some(KALTENG), &["kepala_daerah"], None).await;
        app.link_official("gub-62", &gub_62).await;
        let gub = app.token_of("gub-62").await;
        let by_admin = app.as_token(&u.kalteng, Method::POST, &format!("{docs}/signatures"), Some(&json!({"official": gub_62, "sha256": sha}))).await;
        assert_eq!(by_admin.code(), "document.sign_own_account_only");
        let by_other = app.as_token(&gub, Method::POST, &format!("{docs}/signatures"), Some(&json!({"official": gub_51, "sha256": sha}))).await;
        refused_as_not_yours(&by_other, "Provinsi Bali");
        let signed = app.as_token(&gub, Method::POST, &format!("{docs}/signatures"), Some(&json!({"official": gub_62, "sha256": sha}))).await;
        signed.assert_status(StatusCode::CREATED);
        assert!(signed.json()["advanced"].is_null(), "one side's signature does not sign the KB");
        let res = unchanged(&app, id, step(&app, id, json!({"action": "sign_kb"}))).await;
        assert_eq!(res.code(), "document.party_not_signed");
        assert!(res.json()["error"]["message"].as_str().unwrap().contains("Provinsi Bali belum menandatangani"));

        // Bali signs in wet ink: its own scan, validated by its own admin — not Kalteng's.
        let upload = |token: &str, query: &str| {
            let auth = format!("Bearer {token}");
            let uri = format!("{docs}/wet-ink?{query}&file_name=kb-bali.png&paraf=true&meterai=true&stempel=true");
            let app = &app;
            async move {
                app.request(Method::POST, &uri, Some(sinergi_test_support::PNG.to_vec()),
                    &[("authorization", auth.as_str()), ("content-type", "application/octet-stream")]).await
            }
        };
        let forged = upload(&u.kalteng, "party=2").await;
        refused_as_not_yours(&forged, "Provinsi Bali");
        let scan = upload(&u.bali, "x=1").await;
        scan.assert_status(StatusCode::CREATED);
        assert_eq!(scan.json()["party_ordinal"], 2, "the uploader's own party's scan");
        let scan_id = scan.json()["id"].as_str().unwrap().to_owned();
        let forged = app.as_token(&u.kalteng, Method::POST, &format!("{docs}/wet-ink/{scan_id}/validate"), Some(&json!({}))).await;
        refused_as_not_yours(&forged, "Provinsi Bali");
        assert_eq!(case_json(&app, id).await["stage"], "KB_FINAL");
        let v = app.as_token(&u.bali, Method::POST, &format!("{docs}/wet-ink/{scan_id}/validate"), Some(&json!({}))).await;
        v.assert_status(StatusCode::OK);
        assert_eq!(v.json()["advanced"], "KB_DITANDATANGANI", "the last party's evidence signs the KB: {}", v.json());
        let kb_now = app.get_staff(&kb_url).await.json();
        assert_eq!(kb_now["status"], "DITANDATANGANI");

        // Each party assesses its own DPRD conditions and records its own DPRD's decision.
        let assess = |token: String, ordinal: u16, budgeted: bool| {
            let app = &app;
            async move {
                let v = case_json(app, id).await["version"].clone();
                app.as_token(&token, Method::PATCH, &format!("/api/v1/cases/{id}/parties/{ordinal}"), Some(&json!({"expected_version": v,
                    "dprd": {"burdens_public": false, "budgeted_in_current_apbd": budgeted}}))).await
            }
        };
        let forged = unchanged(&app, id, assess(u.kalteng.clone(), 2, false)).await;
        forged.assert_status(StatusCode::FORBIDDEN);
        assess(u.kalteng.clone(), 1, true).await.assert_status(StatusCode::OK);
        assess(u.bali.clone(), 2, false).await.assert_status(StatusCode::OK);
        let res = act_as(&app, &u.kalteng, id, json!({"action": "activate"})).await;
        assert_eq!(res.json()["case"]["stage"], "MENUNGGU_DPRD");
        let forged = unchanged(&app, id, act_as(&app, &u.kalteng, id, json!({"action": "record_dprd_decision", "party": 2, "approved": true, "decision_date": "2026-05-31"}))).await;
        refused_as_not_yours(&forged, "Provinsi Bali");
        assert!(forged.json()["error"]["message"].as_str().unwrap().starts_with("Keputusan DPRD Provinsi Bali dicatat oleh pengguna Provinsi Bali"));
        let unrelated = unchanged(&app, id, act_as(&app, &u.kalsel, id, json!({"action": "record_dprd_decision", "party": 2, "approved": true, "decision_date": "2026-05-31"}))).await;
        assert_eq!(unrelated.status, StatusCode::NOT_FOUND, "an unrelated region does not see the case");
        let res = act_as(&app, &u.bali, id, json!({"action": "record_dprd_decision", "party": 2, "approved": true, "decision_number": "7/DPRD/2026", "decision_date": "2026-05-31"})).await;
        res.assert_status(StatusCode::OK);
        assert_eq!(res.json()["case"]["stage"], "AKTIF");

        // Ending before the term is joint: Kalteng's consent, then Bali's, ends it.
        let res = act_as(&app, &u.kalteng, id, json!({"action": "end", "reason": "kesepakatan_para_pihak", "effective_on": "2026-12-31", "note": "Disepakati"})).await;
        assert_eq!(res.json()["case"]["stage"], "AKTIF");
        let differs = unchanged(&app, id, act_as(&app, &u.bali, id, json!({"action": "end", "reason": "tujuan_tercapai", "effective_on": "2026-12-31"}))).await;
        assert_eq!(differs.code(), "case.joint_terms_differ");
        let res = act_as(&app, &u.bali, id, json!({"action": "end", "reason": "kesepakatan_para_pihak", "effective_on": "2026-12-31"})).await;
        assert_eq!(res.json()["case"]["stage"], "BERAKHIR", "{}", res.json());
        let trail = app.get_staff(&format!("/api/v1/cases/{id}/audit")).await.json().to_string();
        assert!(trail.contains("admin-51") && trail.contains("admin-62"), "each party's act is on record as its own");
    }

    async fn the_operator_keeps_its_installation_role_and_is_audited_as_such(app: TestApp) {
        let case = open_case(&app, "ksdd_sukarela", &[KALTENG, BALI]).await;
        let id = case["id"].as_str().unwrap().to_owned();
        crate::send_offer(&app, &id).await;
        // The operator records Bali's acknowledgement (the party defaults to the addressee).
        let res = step(&app, &id, json!({"action": "mark_offer_delivered"})).await;
        res.assert_status(StatusCode::OK);
        assert_eq!(res.json()["history"]["actor"], "operator");
        let trail = app.get_staff(&format!("/api/v1/cases/{id}/audit")).await.json();
        let last = &trail["items"][0];
        assert_eq!(last["actor"], "operator");
        assert_eq!(last["role"], "operator");
    }

    async fn the_pages_offer_each_side_only_its_own_forms_and_refuse_the_others(app: TestApp) {
        let _u = users(&app).await;
        let case = open_case(&app, "ksdd_sukarela", &[KALTENG, BALI]).await;
        let id = case["id"].as_str().unwrap().to_owned();
        let url = format!("/kerja-sama/{id}");
        let k: Session = app.sign_in("admin-62", PASSWORD).await.unwrap();
        let b: Session = app.sign_in("admin-51", PASSWORD).await.unwrap();
        let html = |r: TestResponse| String::from_utf8_lossy(&r.body).into_owned();
        let version = |h: &str| h.split("name=\"expected_version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        // Bali's browser does not find Kalteng's draft, nor can it cancel it by a forged form.
        assert_eq!(app.get_as(&b, &url).await.status, StatusCode::NOT_FOUND);
        let forged = app.post_form(&b, &format!("{url}/transisi"), &[("action", "cancel"), ("expected_version", "1"), ("note", "batal")], None).await;
        assert_eq!(forged.status, StatusCode::NOT_FOUND);
        assert_eq!(case_json(&app, &id).await["stage"], "USULAN_DRAFT");
        let own = html(app.get_as(&k, &url).await);
        assert!(own.contains("id=\"aksi-submit\"") && own.contains("id=\"aksi-cancel\""));

        crate::send_offer(&app, &id).await;
        // The offer is Bali's to answer: Kalteng's page has no reply form, Bali's has.
        let own = html(app.get_as(&k, &url).await);
        assert!(!own.contains("id=\"aksi-record_reply\"") && !own.contains("id=\"aksi-mark_offer_delivered\""), "no reply form for the initiator");
        let partner = html(app.get_as(&b, &url).await);
        assert!(partner.contains("id=\"aksi-mark_offer_delivered\"") && partner.contains("id=\"aksi-record_reply\"") && partner.contains("id=\"aksi-review_offer\""));
        // A forged reply form from Kalteng's session is refused on the page, naming whose act it is.
        let forged = app.post_form(&k, &format!("{url}/transisi"), &[("action", "record_reply"), ("accepted", "ya"), ("expected_version", &version(&own))], None).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let body = html(forged);
        assert!(body.contains("Jawaban atas penawaran Provinsi Bali dicatat oleh pengguna Provinsi Bali"), "{body}");
        assert!(body.contains("id=\"tindakan\"") || body.contains("id=\"judul\""), "the case page comes back with its navigation");
        assert_eq!(case_json(&app, &id).await["stage"], "PENAWARAN_DIKIRIM");
        // Bali's letter form sends from Bali only.
        assert!(partner.contains("name=\"from_region\"><option value=\"51\"") && !partner.contains("name=\"from_region\"><option value=\"62\""));

        crate::accept_offer(&app, &id).await;
        let kb = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "kb", "starts_on": "2026-06-01", "ends_on": "2031-05-31"})).await;
        kb.assert_status(StatusCode::CREATED);
        // The KB signing form: each side edits its own line only.
        let own = html(app.get_as(&k, &url).await);
        assert!(own.contains("id=\"kb-sig-1\"") && !own.contains("id=\"kb-sig-2\"") && own.contains("id=\"kb-pihak-2\""));
        let partner = html(app.get_as(&b, &url).await);
        assert!(partner.contains("id=\"kb-sig-2\"") && !partner.contains("id=\"kb-sig-1\""));
        // A forged KB form from Kalteng with Bali's number is refused and stores nothing.
        let kb_id = kb.json()["id"].as_str().unwrap().to_owned();
        let forged = app.post_form(&k, &format!("{url}/naskah/{kb_id}"), &[("expected_version", "1"), ("place", "Denpasar"), ("p2_present", "1"), ("p2_number", "075/9/KS")], None).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert!(html(forged).contains("Nomor dan penanda tangan naskah Provinsi Bali dicatat oleh pengguna Provinsi Bali"));
        assert!(app.get_staff(&format!("/api/v1/cases/{id}/agreements/{kb_id}")).await.json()["parties"][1]["number"].is_null());
    }

    async fn staff_acting_for_the_governor_are_recorded_with_the_official_they_acted_for(app: TestApp) {
        // Two heads of Kalteng on record: a past governor and the one in office.
        let old = app.post("/api/v1/regions/62/officials", &json!({"name": "Gubernur Lama", "position": "Gubernur Kalimantan Tengah", "office": "kepala_daerah",
            "acting": "definitif", "term_start": "2016-02-12", "term_end": "2021-02-12"})).await;
        old.assert_status(StatusCode::CREATED);
        let head = app.post("/api/v1/regions/62/officials", &json!({"name": "Agustiar Sabran", "position": "Gubernur Kalimantan Tengah", "office": "kepala_daerah",
            "acting": "definitif", "term_start": "2025-02-20"})).await.json();
        let plt = app.post("/api/v1/regions/62/officials", &json!({"name": "Plt Masa Lalu", "position": "Gubernur Kalimantan Tengah", "office": "kepala_daerah",
            "acting": "plt", "term_start": "2021-02-13", "term_end": "2021-04-01"})).await;
        plt.assert_status(StatusCode::CREATED);
        app.user("ajudan-62", Some(KALTENG), &["kepala_daerah_staff"], None).await;
        let token = app.token_of("ajudan-62").await;
        let principal = app.store.token_principal(&token, app.now()).await.unwrap().unwrap();
        assert_eq!(principal.actor_label(), "ajudan-62 a.n. Gubernur Kalimantan Tengah Agustiar Sabran",
            "the head in office today, not the last one entered");

        // Both governments' signed scans are in, but Kalteng's number is not: the KB waits.
        let case = open_case(&app, "ksdd_sukarela", &[KALTENG, BALI]).await;
        let id = case["id"].as_str().unwrap().to_owned();
        crate::send_offer(&app, &id).await;
        crate::accept_offer(&app, &id).await;
        let heads: Vec<Value> = app.get("/api/v1/regions/51/officials").await.json()["items"].as_array().unwrap().clone();
        let gub_51 = heads.iter().find(|o| o["office"] == "kepala_daerah").unwrap()["id"].as_str().unwrap().to_owned();
        let kb = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "kb", "starts_on": "2026-06-01", "ends_on": "2031-05-31"})).await.json();
        let kb_url = format!("/api/v1/cases/{id}/agreements/{}", kb["id"].as_str().unwrap());
        app.patch(&kb_url, &json!({"expected_version": kb["version"], "place": "Palangka Raya", "signed_on": "2026-05-30",
            "parties": [{"ordinal": 1, "signatory": head["id"]}, {"ordinal": 2, "signatory": gub_51, "number": "2"}]})).await.assert_status(StatusCode::OK);
        step(&app, &id, json!({"action": "finalize_kb"})).await.assert_status(StatusCode::OK);
        let last = crate::sign_with_scans(&app, &id, "kb", None).await;
        assert!(last["advanced"].is_null(), "{last}");
        assert!(last["pending"].as_str().unwrap().contains("Nomor PIHAK KESATU belum diisi"), "the page says why: {last}");
        assert_eq!(case_json(&app, &id).await["stage"], "KB_FINAL");
        let kb = app.get_staff(&kb_url).await.json();
        app.patch(&kb_url, &json!({"expected_version": kb["version"], "parties": [{"ordinal": 1, "number": "100/1/KS"}]})).await.assert_status(StatusCode::OK);
        // The governor's staff records the signing, "atas nama" the governor who signed.
        let res = act_as(&app, &token, &id, json!({"action": "sign_kb"})).await;
        res.assert_status(StatusCode::OK);
        assert_eq!(res.json()["case"]["stage"], "KB_DITANDATANGANI");
        assert_eq!(res.json()["history"]["actor"], "ajudan-62 a.n. Gubernur Kalimantan Tengah Agustiar Sabran");
        let trail = app.get_staff(&format!("/api/v1/cases/{id}/audit")).await.json();
        let entry = trail["items"].as_array().unwrap().iter().find(|e| e["action"] == "case.sign_kb").unwrap().clone();
        assert_eq!(entry["actor"], "ajudan-62 a.n. Gubernur Kalimantan Tengah Agustiar Sabran");
        assert_eq!(entry["on_behalf_of"], "Gubernur Kalimantan Tengah Agustiar Sabran");
        assert_eq!(entry["role"], "kepala_daerah_staff");
        // Staff may prepare and record, never steer the case.
        let refused = act_as(&app, &token, &id, json!({"action": "activate"})).await;
        assert_eq!(refused.code(), "auth.forbidden");
    }
}

/// One party-scoped operation of the matrix: what it is, and the request for case `id`.
struct Op {
    name: &'static str,
    method: Method,
    uri: String,
    body: Option<Value>,
    raw: Option<Vec<u8>>,
}

/// A case at MENUNGGU_JAWABAN with a KB, a final KB text and a scan of each party (uploaded by
/// the operator): every act of PIHAK KEDUA (Bali) is possible now. Returns the case id and
/// the operations that are Bali's.
async fn bali_acts(app: &TestApp, gub_51: &str, sekda_51: &str) -> (String, Vec<Op>) {
    let case = open_case(app, "ksdd_sukarela", &[KALTENG, BALI]).await;
    let id = case["id"].as_str().unwrap().to_owned();
    crate::send_offer(app, &id).await;
    step(app, &id, json!({"action": "mark_offer_delivered"}))
        .await
        .assert_status(StatusCode::OK);
    let kb = app
        .post(
            &format!("/api/v1/cases/{id}/agreements"),
            &json!({"kind": "kb"}),
        )
        .await
        .json();
    let docs = format!("/api/v1/cases/{id}/documents/kb");
    app.post(&docs, &json!({}))
        .await
        .assert_status(StatusCode::CREATED);
    let fin = app
        .post(&format!("{docs}/finalize"), &json!({"expected_version": 1}))
        .await
        .json();
    let up = app
        .request(
            Method::POST,
            &format!("{docs}/wet-ink?party=2&file_name=b.png&paraf=true&meterai=true&stempel=true"),
            Some(sinergi_test_support::PNG.to_vec()),
            &[
                (
                    "authorization",
                    &format!("Bearer {}", sinergi_test_support::TOKEN),
                ),
                ("content-type", "application/octet-stream"),
            ],
        )
        .await
        .json();
    let v = case_json(app, &id).await["version"].clone();
    let t = |action: Value| {
        let mut b = action;
        b["expected_version"] = v.clone();
        Some(b)
    };
    let ops = vec![
        Op {
            name: "review_offer",
            method: Method::POST,
            uri: format!("/api/v1/cases/{id}/transitions"),
            body: t(
                json!({"action": "review_offer", "recommendation": "layak", "reviewer": sekda_51}),
            ),
            raw: None,
        },
        Op {
            name: "record_reply",
            method: Method::POST,
            uri: format!("/api/v1/cases/{id}/transitions"),
            body: t(json!({"action": "record_reply", "accepted": false, "party": 2})),
            raw: None,
        },
        Op {
            name: "party_record",
            method: Method::PATCH,
            uri: format!("/api/v1/cases/{id}/parties/2"),
            body: Some(json!({"expected_version": v, "document_number": "075/1"})),
            raw: None,
        },
        Op {
            name: "letter",
            method: Method::POST,
            uri: format!("/api/v1/cases/{id}/letters"),
            body: Some(
                json!({"kind": "jawaban", "date": "2026-05-25", "from_region": BALI, "subject": "Jawaban"}),
            ),
            raw: None,
        },
        Op {
            name: "kb_number",
            method: Method::PATCH,
            uri: format!(
                "/api/v1/cases/{id}/agreements/{}",
                kb["id"].as_str().unwrap()
            ),
            body: Some(
                json!({"expected_version": kb["version"], "parties": [{"ordinal": 2, "number": "075/2"}]}),
            ),
            raw: None,
        },
        Op {
            name: "comment",
            method: Method::POST,
            uri: format!("{docs}/comments"),
            body: Some(
                json!({"version": 1, "clause_key": "jangka_waktu", "party_ordinal": 2, "body": "Catatan"}),
            ),
            raw: None,
        },
        Op {
            name: "signature",
            method: Method::POST,
            uri: format!("{docs}/signatures"),
            body: Some(json!({"official": gub_51, "sha256": fin["pdf_sha256"]})),
            raw: None,
        },
        Op {
            name: "scan",
            method: Method::POST,
            uri: format!(
                "{docs}/wet-ink?party=2&file_name=c.png&paraf=true&meterai=true&stempel=true"
            ),
            body: None,
            raw: Some(sinergi_test_support::PNG.to_vec()),
        },
        Op {
            name: "validate_scan",
            method: Method::POST,
            uri: format!("{docs}/wet-ink/{}/validate", up["id"].as_str().unwrap()),
            body: Some(json!({})),
            raw: None,
        },
    ];
    (id, ops)
}

async fn send(app: &TestApp, token: &str, op: &Op) -> TestResponse {
    let auth = format!("Bearer {token}");
    match (&op.body, &op.raw) {
        (_, Some(raw)) => {
            app.request(
                op.method.clone(),
                &op.uri,
                Some(raw.clone()),
                &[
                    ("authorization", auth.as_str()),
                    ("content-type", "application/octet-stream"),
                ],
            )
            .await
        }
        (body, None) => {
            app.as_token(token, op.method.clone(), &op.uri, body.as_ref())
                .await
        }
    }
}

on_both! {
    async fn every_party_scoped_operation_answers_own_other_unrelated_and_operator(app: TestApp) {
        let u = users(&app).await;
        let (_, sekda_62) = staff_region(&app, KALTENG).await;
        let (gub_51, sekda_51) = staff_region(&app, BALI).await;
        let _ = sekda_62;
        let gub_62 = app.get("/api/v1/regions/62/officials").await.json()["items"].as_array().unwrap().iter()
            .find(|o| o["office"] == "kepala_daerah").unwrap()["id"].as_str().unwrap().to_owned();
        // The governors' own accounts, for the signature.
        for (name, region, official) in [("gub-62", KALTENG, &gub_62), ("gub-51", BALI, &gub_51)] {
            app.user(name, Some(region), &["kepala_daerah", "admin"], None).await;
            app.link_official(name, official).await;
        }
        let (gub62, gub51) = (app.token_of("gub-62").await, app.token_of("gub-51").await);
        let (id, ops) = bali_acts(&app, &gub_51, &sekda_51).await;
        let mut wrong = Vec::new();
        let auth_codes = ["auth.not_your_act", "auth.forbidden", "auth.required", "case.not_found"];
        for op in &ops {
            // The other party of the same case (Kalteng; its governor for the signature).
            let other = if op.name == "signature" { &gub62 } else { &u.kalteng };
            let res = unchanged(&app, &id, send(&app, other, op)).await;
            if res.status != StatusCode::FORBIDDEN || res.code() != "auth.not_your_act" {
                wrong.push(format!("{} as the other party: {} {}", op.name, res.status, res.code()));
            }
            // An unrelated region: the case does not exist for it.
            let res = unchanged(&app, &id, send(&app, &u.kalsel, op)).await;
            if res.status != StatusCode::NOT_FOUND {
                wrong.push(format!("{} as an unrelated region: {} {}", op.name, res.status, res.code()));
            }
        }
        // The own party (its governor for the signature): never an authority refusal.
        for op in &ops {
            let own = if op.name == "signature" { &gub51 } else { &u.bali };
            let res = send(&app, own, op).await;
            if auth_codes.contains(&res.code().as_str()) {
                wrong.push(format!("{} as the own party: {} {}", op.name, res.status, res.code()));
            }
        }
        // The operator, on a second case in the same state: its installation role passes
        // every party check (an electronic signature is still the official's own).
        let (_, ops) = bali_acts(&app, &gub_51, &sekda_51).await;
        for op in &ops {
            let res = send(&app, sinergi_test_support::TOKEN, op).await;
            let code = res.code();
            let expected_refusal = op.name == "signature" && code == "document.sign_own_account_only";
            if auth_codes.contains(&code.as_str()) || (op.name == "signature" && !expected_refusal) {
                wrong.push(format!("{} as the operator: {} {code}", op.name, res.status));
            }
        }
        assert!(wrong.is_empty(), "{} mismatches:\n{}", wrong.len(), wrong.join("\n"));
    }
}

on_both! {
    async fn each_party_keeps_its_own_programmes_and_m_and_e_forms(app: TestApp) {
        let u = users(&app).await;
        app.store.load_founding_case(app.now()).await.unwrap();
        let id = sinergi_domain::demo::FOUNDING_CASE_ID.to_string();
        let id = id.as_str();
        for ordinal in [1, 2] {
            let v = case_json(&app, id).await["version"].clone();
            app.patch(&format!("/api/v1/cases/{id}/parties/{ordinal}"), &json!({"expected_version": v,
                "dprd": {"burdens_public": false, "budgeted_in_current_apbd": true}})).await.assert_status(StatusCode::OK);
        }
        step(&app, id, json!({"action": "activate"})).await.assert_status(StatusCode::OK);
        // A programme is its party's own RPJMD/RKPD programme.
        let prog = json!({"party": 2, "field": 1, "plan": "rpjmd", "code": "3.26.02", "name": "Program Pemasaran Pariwisata"});
        let forged = unchanged(&app, id, app.as_token(&u.kalteng, Method::POST, &format!("/api/v1/cases/{id}/programmes"), Some(&prog))).await;
        refused_as_not_yours(&forged, "Provinsi Bali");
        app.as_token(&u.bali, Method::POST, &format!("/api/v1/cases/{id}/programmes"), Some(&prog)).await.assert_status(StatusCode::CREATED);
        // Each party fills its own M&E form; the other can neither write nor submit it.
        let form = json!({"period": "2026-S1", "form": "pelaksana", "answers": {}});
        let own = app.as_token(&u.kalteng, Method::POST, &format!("/api/v1/cases/{id}/evaluations"), Some(&form)).await;
        own.assert_status(StatusCode::OK);
        assert_eq!(own.json()["party"], 1, "a user's form is their own party's");
        let mut for_bali = form.clone();
        for_bali["party"] = json!(2);
        let forged = app.as_token(&u.kalteng, Method::POST, &format!("/api/v1/cases/{id}/evaluations"), Some(&for_bali)).await;
        refused_as_not_yours(&forged, "Provinsi Bali");
        let bali = app.as_token(&u.bali, Method::POST, &format!("/api/v1/cases/{id}/evaluations"), Some(&form)).await;
        bali.assert_status(StatusCode::OK);
        assert_eq!(bali.json()["party"], 2, "Bali's form of the same period is its own, beside Kalteng's");
        let forged = app.as_token(&u.bali, Method::POST, &format!("/api/v1/cases/{id}/evaluations/{}/steps", own.json()["id"].as_str().unwrap()),
            Some(&json!({"step": "submit", "expected_version": own.json()["version"]}))).await;
        refused_as_not_yours(&forged, "Provinsi Kalimantan Tengah");
        let forms = app.get_staff(&format!("/api/v1/cases/{id}/evaluations")).await.json();
        assert_eq!(forms["items"].as_array().unwrap().len(), 2);
        assert!(forms["items"].as_array().unwrap().iter().all(|f| f["status"] == "draft"));
    }
}

on_both! {
    async fn each_side_records_its_own_surat_kuasa_on_the_page(app: TestApp) {
        use time::macros::{date, datetime};
        let _u = users(&app).await;
        app.clock.set(datetime!(2026-06-15 02:00 UTC));
        let gubs = crate::monitoring::governors(&app).await;
        let kadis = official(&app, KALTENG, "Kadis Pariwisata", "Kepala Dinas Pariwisata", "kepala_perangkat_daerah", "definitif").await;
        let id = crate::monitoring::active_case(&app, &gubs, date!(2026-06-01), date!(2031-05-31), None).await;
        let pks = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "pks", "fields": [1], "starts_on": "2026-07-01", "ends_on": "2027-06-30"})).await;
        pks.assert_status(StatusCode::CREATED);
        let pks_id = pks.json()["id"].as_str().unwrap().to_owned();
        let url = format!("/kerja-sama/{id}");
        let form_url = format!("{url}/naskah/{pks_id}/surat-kuasa");
        let k: Session = app.sign_in("admin-62", PASSWORD).await.unwrap();
        let b: Session = app.sign_in("admin-51", PASSWORD).await.unwrap();
        let html = |r: TestResponse| String::from_utf8_lossy(&r.body).into_owned();

        // Each side's form offers its own head of region as grantor and its own officials as
        // grantees, never the other side's.
        let own = html(app.get_as(&k, &url).await);
        assert!(own.contains("id=\"form-kuasa-pariwisata_kebudayaan\""), "Kalteng has the form");
        let grantor_select = own.split("name=\"grantor\"").nth(1).unwrap().split("</select>").next().unwrap();
        assert!(grantor_select.contains(&gubs.0) && !grantor_select.contains(&gubs.1) && !grantor_select.contains(&kadis));
        let grantee_select = own.split("name=\"grantee\"").nth(1).unwrap().split("</select>").next().unwrap();
        assert!(grantee_select.contains(&kadis) && !grantee_select.contains(&gubs.0));
        let partner = html(app.get_as(&b, &url).await);
        let grantor_select = partner.split("name=\"grantor\"").nth(1).unwrap().split("</select>").next().unwrap();
        assert!(grantor_select.contains(&gubs.1) && !grantor_select.contains(&gubs.0));

        // Kalteng's browser cannot record a letter of Bali's governor.
        let forged = app.post_form(&k, &form_url, &[("number", "180/1/HK"), ("issued_on", "2026-06-10"), ("grantor", &gubs.1), ("grantee", &kadis)], None).await;
        let status = forged.status;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", html(forged));
        // A form without its date says which field is missing, in Indonesian, and keeps the number.
        let incomplete = app.post_form(&k, &form_url, &[("number", "180/1/HK"), ("issued_on", ""), ("grantor", &gubs.0), ("grantee", &kadis)], None).await;
        assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
        let body = html(incomplete);
        assert!(body.contains("Tanggal surat"), "{body}");
        assert!(body.contains("value=\"180/1/HK\""), "the typed number comes back");
        // A date after today is refused.
        let future = app.post_form(&k, &form_url, &[("number", "180/1/HK"), ("issued_on", "2026-07-01"), ("grantor", &gubs.0), ("grantee", &kadis)], None).await;
        assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.get_staff(&format!("/api/v1/cases/{id}/agreements/{pks_id}/powers-of-attorney")).await.json()["total"], 0, "nothing stored by a refused form");

        // Kalteng records its own; both sides see it on the page.
        let ok = app.post_form(&k, &form_url, &[("number", "180/1/HK"), ("issued_on", "2026-06-10"), ("grantor", &gubs.0), ("grantee", &kadis)], None).await;
        ok.assert_status(StatusCode::SEE_OTHER);
        let own = html(app.get_as(&k, &url).await);
        assert!(own.contains("Surat kuasa tercatat") && own.contains("180/1/HK") && own.contains("memberi kuasa kepada Kadis Pariwisata"), "{own}");
        let partner = html(app.get_as(&b, &url).await);
        assert!(partner.contains("180/1/HK") && partner.contains("Gubernur A"));
        let listed = app.get_staff(&format!("/api/v1/cases/{id}/agreements/{pks_id}/powers-of-attorney")).await.json();
        assert_eq!(listed["total"], 1);
        assert_eq!(listed["items"][0]["grantee"], kadis.as_str());
        // The same number twice is refused.
        let twice = app.post_form(&k, &form_url, &[("number", "180/1/HK"), ("issued_on", "2026-06-10"), ("grantor", &gubs.0), ("grantee", &kadis)], None).await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html(twice).contains("sudah tercatat"));
    }
}
