use crate::{official, on_both, open_case, sign_with_scans};
use serde_json::{Value, json};
use sinergi_test_support::TestApp;

async fn act(
    app: &TestApp,
    id: &str,
    version: i64,
    body: Value,
) -> sinergi_test_support::TestResponse {
    let mut body = body;
    body["expected_version"] = json!(version);
    app.post(&format!("/api/v1/cases/{id}/transitions"), &body)
        .await
}

async fn version(app: &TestApp, id: &str) -> i64 {
    app.get_staff(&format!("/api/v1/cases/{id}")).await.json()["version"]
        .as_i64()
        .unwrap()
}

async fn stage(app: &TestApp, id: &str) -> String {
    app.get_staff(&format!("/api/v1/cases/{id}")).await.json()["stage"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Runs `body` and checks it is refused with `code` while the case stays as it was.
async fn refused(app: &TestApp, id: &str, body: Value, code: &str) {
    let before = app.get_staff(&format!("/api/v1/cases/{id}")).await.json();
    let v = before["version"].as_i64().unwrap();
    let res = act(app, id, v, body.clone()).await;
    assert!(res.status.is_client_error(), "{body}: {}", res.status);
    assert_eq!(res.code(), code, "{body}");
    let after = app.get_staff(&format!("/api/v1/cases/{id}")).await.json();
    assert_eq!(before, after, "a refused transition must change nothing");
}

on_both! {
    async fn a_case_travels_the_regulated_path_to_an_active_kb_and_a_pks(app: TestApp) {
        let gub_kalteng = official(&app, "62", "Gubernur A", "Gubernur Kalimantan Tengah", "kepala_daerah", "definitif").await;
        let sekda_kalteng = official(&app, "62", "Sekda A", "Sekretaris Daerah Provinsi Kalimantan Tengah", "sekda", "pj").await;
        let kadis = official(&app, "62", "Kadis A", "Kepala Dinas Pariwisata", "kepala_perangkat_daerah", "definitif").await;
        let gub_kalsel = official(&app, "63", "Gubernur B", "Gubernur Kalimantan Selatan", "kepala_daerah", "definitif").await;
        let plh_kalsel = official(&app, "63", "Plh B", "Gubernur Kalimantan Selatan", "kepala_daerah", "plh").await;
        app.post("/api/v1/regions/62/tkksd", &json!({"decree_number": "188.44/1/2026", "members": [
            {"official": sekda_kalteng, "position": "ketua"}]})).await.assert_status(StatusCode::CREATED);

        let case = open_case(&app, "ksdd_wajib", &["62", "63"]).await;
        let id = case["id"].as_str().unwrap().to_owned();
        let id = id.as_str();

        // A transition from the wrong stage, and a stale version.
        refused(&app, id, json!({"action": "sign_kb"}), "case.invalid_transition").await;
        let res = act(&app, id, 99, json!({"action": "submit"})).await;
        res.assert_status(StatusCode::CONFLICT);
        assert_eq!(res.code(), "case.version_conflict");

        act(&app, id, 1, json!({"action": "submit"})).await.assert_status(StatusCode::OK);
        act(&app, id, version(&app, id).await, json!({"action": "start_review"})).await.assert_status(StatusCode::OK);
        refused(&app, id, json!({"action": "recommend", "recommendation": "layak", "reviewer": kadis}), "case.reviewer_not_tkksd_member").await;
        let res = act(&app, id, version(&app, id).await, json!({"action": "recommend", "recommendation": "layak", "reviewer": sekda_kalteng})).await;
        res.assert_status(StatusCode::OK);
        assert_eq!(res.json()["case"]["stage"], "PENAWARAN_DISIAPKAN");
        assert_eq!(res.json()["history"]["from_stage"], "KAJIAN_TKKSD");

        // The offer: an agency cannot send it, it needs the KAK and the draft KB.
        let letter = |signatory: &str, attachments: Value| json!({"kind": "penawaran", "number": "000.8.3.3/15/KS", "date": "2026-06-01",
            "from_region": "62", "to_region": "63", "signatory": signatory, "subject": "Penawaran kerja sama", "attachments": attachments});
        let by_agency = app.post(&format!("/api/v1/cases/{id}/letters"), &letter(&kadis, json!(["kak", "rancangan_kb"]))).await.json();
        refused(&app, id, json!({"action": "send_offer", "letter": by_agency["id"]}), "case.offer_not_signed_by_head").await;
        let bare = app.post(&format!("/api/v1/cases/{id}/letters"), &letter(&gub_kalteng, json!([]))).await.json();
        refused(&app, id, json!({"action": "send_offer", "letter": bare["id"]}), "case.offer_attachments_missing").await;
        let wrong_region = app.post(&format!("/api/v1/cases/{id}/letters"), &letter(&gub_kalsel, json!(["kak"]))).await;
        assert_eq!(wrong_region.code(), "letter.signatory_other_region");
        let good = app.post(&format!("/api/v1/cases/{id}/letters"), &letter(&gub_kalteng, json!(["kak", "rancangan_kb"]))).await.json();
        // The KAK the letter carries is the initiator's record, not a tick box.
        refused(&app, id, json!({"action": "send_offer", "letter": good["id"]}), "case.kak_missing").await;
        crate::write_kak(&app, id).await;
        act(&app, id, version(&app, id).await, json!({"action": "send_offer", "letter": good["id"]})).await.assert_status(StatusCode::OK);
        act(&app, id, version(&app, id).await, json!({"action": "mark_offer_delivered"})).await.assert_status(StatusCode::OK);
        // The reply is the addressee's: its own reply letter, after its own TKKSD review.
        refused(&app, id, json!({"action": "record_reply", "accepted": true}), "case.reply_letter_required").await;
        let reply = app.post(&format!("/api/v1/cases/{id}/letters"), &json!({"kind": "jawaban", "number": "000/9/KS", "date": "2026-06-05",
            "from_region": "63", "to_region": "62", "signatory": gub_kalsel, "subject": "Jawaban"})).await.json();
        refused(&app, id, json!({"action": "record_reply", "accepted": true, "letter": reply["id"]}), "case.reply_needs_review").await;
        let sekda_kalsel = official(&app, "63", "Sekda B", "Sekretaris Daerah Provinsi Kalimantan Selatan", "sekda", "definitif").await;
        app.post("/api/v1/regions/63/tkksd", &json!({"members": [{"official": sekda_kalsel, "position": "ketua"}]})).await.assert_status(StatusCode::CREATED);
        refused(&app, id, json!({"action": "review_offer", "recommendation": "layak", "reviewer": sekda_kalteng}), "case.reviewer_not_tkksd_member").await;
        act(&app, id, version(&app, id).await, json!({"action": "review_offer", "recommendation": "perbaikan", "reviewer": sekda_kalsel})).await.assert_status(StatusCode::OK);
        assert_eq!(stage(&app, id).await, "MENUNGGU_JAWABAN", "a review does not move the shared stage");
        refused(&app, id, json!({"action": "record_reply", "accepted": true, "letter": reply["id"]}), "case.reply_review_not_layak").await;
        act(&app, id, version(&app, id).await, json!({"action": "review_offer", "recommendation": "layak", "reviewer": sekda_kalsel})).await.assert_status(StatusCode::OK);
        act(&app, id, version(&app, id).await, json!({"action": "record_reply", "accepted": true, "letter": reply["id"]})).await.assert_status(StatusCode::OK);
        assert_eq!(stage(&app, id).await, "PENYUSUNAN_KB");

        // The KB: drafted, finalised, and signed only by both heads of region.
        refused(&app, id, json!({"action": "finalize_kb"}), "kb.draft_missing").await;
        let kb = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "kb", "starts_on": "2026-06-10", "ends_on": "2031-06-09"})).await;
        kb.assert_status(StatusCode::CREATED);
        let kb_id = kb.json()["id"].as_str().unwrap().to_owned();
        let again = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "kb"})).await;
        assert_eq!(again.code(), "agreement.kb_exists");
        let early_pks = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "pks", "starts_on": "2026-07-01", "ends_on": "2027-07-01"})).await;
        assert_eq!(early_pks.code(), "agreement.pks_requires_active_kb");
        act(&app, id, version(&app, id).await, json!({"action": "finalize_kb"})).await.assert_status(StatusCode::OK);
        refused(&app, id, json!({"action": "sign_kb"}), "kb.signing_date_missing").await;

        let kb_url = format!("/api/v1/cases/{id}/agreements/{kb_id}");
        let kb_version = |v: &Value| v["version"].as_i64().unwrap();
        let current = app.get_staff(&kb_url).await.json();
        // A signing date in the future is refused when it is entered.
        let early = app.patch(&kb_url, &json!({"expected_version": kb_version(&current), "signed_on": "2099-06-10"})).await;
        assert_eq!(early.code(), "validation.failed");
        assert_eq!(early.json()["error"]["fields"][0]["code"], "in_future");
        app.clock.set(time::macros::datetime!(2026-06-10 03:00 UTC));
        let patched = app.patch(&kb_url, &json!({"expected_version": kb_version(&current), "place": "Palangka Raya", "signed_on": "2026-06-10",
            "parties": [{"ordinal": 1, "signatory": kadis, "number": "100/1/KS"}, {"ordinal": 2, "signatory": plh_kalsel, "number": "120/7/KS"}]})).await;
        patched.assert_status(StatusCode::OK);
        refused(&app, id, json!({"action": "sign_kb"}), "kb.signatory_not_head_of_region").await;
        let stale = app.patch(&kb_url, &json!({"expected_version": kb_version(&current), "place": "X"})).await;
        assert_eq!(stale.code(), "case.version_conflict");
        let patched = app.patch(&kb_url, &json!({"expected_version": kb_version(&patched.json()),
            "parties": [{"ordinal": 1, "signatory": gub_kalteng}]})).await;
        patched.assert_status(StatusCode::OK);
        refused(&app, id, json!({"action": "sign_kb"}), "kb.signatory_not_head_of_region").await;
        let patched = app.patch(&kb_url, &json!({"expected_version": kb_version(&patched.json()),
            "parties": [{"ordinal": 2, "signatory": gub_kalsel}]})).await;
        patched.assert_status(StatusCode::OK);
        // Every datum is there, but a signature is evidence, not a flag: nobody has signed.
        refused(&app, id, json!({"action": "sign_kb", "note": "Ditandatangani di Palangka Raya"}), "document.final_text_missing").await;
        let signed = sign_with_scans(&app, id, "kb", None).await;
        assert_eq!(signed["advanced"], "KB_DITANDATANGANI", "the last party's evidence signs the KB: {signed}");
        assert_eq!(stage(&app, id).await, "KB_DITANDATANGANI");
        let signed = app.get_staff(&kb_url).await.json();
        assert_eq!(signed["status"], "DITANDATANGANI");
        assert_eq!(signed["parties"][0]["signatory_title"], "Gubernur Kalimantan Tengah");
        let locked = app.patch(&kb_url, &json!({"expected_version": kb_version(&signed), "place": "X"})).await;
        assert_eq!(locked.code(), "agreement.locked");
        let scope = app.patch(&format!("/api/v1/cases/{id}"), &json!({"expected_version": version(&app, id).await, "title": "Baru"})).await;
        assert_eq!(scope.code(), "case.scope_locked");

        // The DPRD gate, computed from the two PP 28/2018 conditions.
        refused(&app, id, json!({"action": "activate"}), "case.dprd_unassessed").await;
        let v = version(&app, id).await;
        app.patch(&format!("/api/v1/cases/{id}/parties/1"), &json!({"expected_version": v,
            "dprd": {"burdens_public": false, "budgeted_in_current_apbd": false, "justification": "Belum dianggarkan"}})).await.assert_status(StatusCode::OK);
        let v = version(&app, id).await;
        let c = app.patch(&format!("/api/v1/cases/{id}/parties/2"), &json!({"expected_version": v,
            "dprd": {"burdens_public": false, "budgeted_in_current_apbd": true}})).await;
        c.assert_status(StatusCode::OK);
        assert_eq!(c.json()["parties"][0]["dprd"]["required"], true);
        assert_eq!(c.json()["parties"][1]["dprd"]["required"], false);
        let res = act(&app, id, version(&app, id).await, json!({"action": "activate"})).await;
        assert_eq!(res.json()["case"]["stage"], "MENUNGGU_DPRD");
        refused(&app, id, json!({"action": "record_dprd_decision", "party": 2, "approved": true, "decision_date": "2026-06-09"}), "case.dprd_not_required").await;
        refused(&app, id, json!({"action": "record_dprd_decision", "party": 1, "approved": true, "decision_date": "2027-01-01"}), "case.decision_in_future").await;
        let res = act(&app, id, version(&app, id).await, json!({"action": "record_dprd_decision", "party": 1, "approved": true,
            "decision_number": "7/DPRD/2026", "decision_date": "2026-06-09"})).await;
        res.assert_status(StatusCode::OK);
        assert_eq!(res.json()["case"]["stage"], "AKTIF");

        // PKS under the active KB, within the maximum term.
        let too_long = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "pks", "fields": [1], "starts_on": "2026-07-01", "ends_on": "2032-07-01"})).await;
        assert_eq!(too_long.code(), "agreement.term_too_long");
        let backwards = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "pks", "starts_on": "2026-07-01", "ends_on": "2026-01-01"})).await;
        assert_eq!(backwards.code(), "validation.dates_out_of_order");
        let pks = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "pks", "fields": [1], "starts_on": "2026-07-01", "ends_on": "2031-07-01"})).await;
        pks.assert_status(StatusCode::CREATED);
        assert_eq!(pks.json()["parent"], kb_id.as_str());
        assert_eq!(pks.json()["warnings"][0]["code"], "after_kb_end");
        let addendum = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "addendum", "parent": kb_id, "reason": "Perluasan bidang", "changes": "Pasal 3"})).await;
        addendum.assert_status(StatusCode::CREATED);
        assert_eq!(app.get_staff(&format!("/api/v1/cases/{id}/agreements")).await.json()["total"], 3);

        // The PKS's own path; an agency head signs only with a surat kuasa.
        let pks_id = pks.json()["id"].as_str().unwrap().to_owned();
        let pks_url = format!("/api/v1/cases/{id}/agreements/{pks_id}");
        let step = |v: i64, body: Value| { let mut b = body; b["expected_version"] = json!(v); b };
        let pks_v = |a: &Value| a["version"].as_i64().unwrap();
        let kb_step = app.post(&format!("{kb_url}/transitions"), &step(kb_version(&signed), json!({"action": "sign"}))).await;
        assert_eq!(kb_step.code(), "agreement.kb_moves_with_case");
        let cur = app.get_staff(&pks_url).await.json();
        let bad = app.post(&format!("{pks_url}/transitions"), &step(pks_v(&cur), json!({"action": "sign"}))).await;
        assert_eq!(bad.code(), "case.invalid_transition");
        let r = app.post(&format!("{pks_url}/transitions"), &step(pks_v(&cur), json!({"action": "submit_review"}))).await.json();
        assert_eq!(r["status"], "KAJIAN_TKKSD");
        let r = app.post(&format!("{pks_url}/transitions"), &step(pks_v(&r), json!({"action": "finalize"}))).await.json();
        let r = app.post(&format!("{pks_url}/transitions"), &step(pks_v(&r), json!({"action": "request_signature"}))).await.json();
        assert_eq!(r["status"], "MENUNGGU_TTD");
        let r = app.patch(&pks_url, &json!({"expected_version": pks_v(&r), "place": "Banjarmasin", "signed_on": "2026-06-10", "ends_on": "2031-06-30",
            "parties": [{"ordinal": 1, "signatory": kadis, "number": "500/3/DISPAR"}, {"ordinal": 2, "signatory": gub_kalsel, "number": "500/9/KS"}]})).await;
        r.assert_status(StatusCode::OK);
        let r = r.json();
        let refused_sign = app.post(&format!("{pks_url}/transitions"), &step(pks_v(&r), json!({"action": "sign"}))).await;
        assert_eq!(refused_sign.code(), "pks.power_of_attorney_required");
        assert_eq!(app.get_staff(&pks_url).await.json()["status"], "MENUNGGU_TTD");
        // A surat kuasa typed but never recorded is refused; the governor's recorded one is named.
        let unrecorded = app.patch(&pks_url, &json!({"expected_version": pks_v(&r), "parties": [{"ordinal": 1, "power_of_attorney": "180/12/HK/2026"}]})).await;
        assert_eq!(unrecorded.code(), "pks.power_of_attorney_not_recorded", "{}", unrecorded.text());
        let poa_url = format!("{pks_url}/powers-of-attorney");
        let self_grant = app.post(&poa_url, &json!({"number": "180/12/HK/2026", "issued_on": "2026-06-05", "grantor": kadis, "grantee": kadis})).await;
        assert_eq!(self_grant.code(), "power_of_attorney.grantor_not_head");
        let recorded = app.post(&poa_url, &json!({"number": "180/12/HK/2026", "issued_on": "2026-06-05", "grantor": gub_kalteng, "grantee": kadis})).await;
        recorded.assert_status(StatusCode::CREATED);
        let twice = app.post(&poa_url, &json!({"number": "180/12/HK/2026", "issued_on": "2026-06-05", "grantor": gub_kalteng, "grantee": kadis})).await;
        twice.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.get_staff(&poa_url).await.json()["total"], 1);
        let r = app.patch(&pks_url, &json!({"expected_version": pks_v(&r), "parties": [{"ordinal": 1, "power_of_attorney": "180/12/HK/2026"}]})).await.json();
        let no_text = app.post(&format!("{pks_url}/transitions"), &step(pks_v(&r), json!({"action": "sign"}))).await;
        assert_eq!(no_text.code(), "document.final_text_missing", "a PKS is signed on evidence too");
        let signed = sign_with_scans(&app, id, "pks", Some(&pks_id)).await;
        assert_eq!(signed["advanced"], "DITANDATANGANI", "{signed}");
        let r = app.get_staff(&pks_url).await;
        let r = app.post(&format!("{pks_url}/transitions"), &step(pks_v(&r.json()), json!({"action": "start_implementation"}))).await.json();
        assert_eq!(r["status"], "PELAKSANAAN");
        let early = app.post(&format!("{pks_url}/transitions"), &step(pks_v(&r), json!({"action": "finish"}))).await;
        assert_eq!(early.code(), "pks.not_ended_yet");
        let r = app.post(&format!("{pks_url}/transitions"), &step(pks_v(&r), json!({"action": "revoke", "reason": "Program dialihkan"}))).await.json();
        assert_eq!(r["status"], "DICABUT");
        let history = app.get_staff(&format!("/api/v1/cases/{id}/history")).await.json();
        let term_edit = history["items"].as_array().unwrap().iter()
            .find(|h| h["action"] == "update_agreement" && h["details"]["changes"]["ends_on"].is_object()).unwrap().clone();
        assert_eq!(term_edit["details"]["changes"]["ends_on"]["from"], "2031-07-01");
        assert_eq!(term_edit["details"]["changes"]["ends_on"]["to"], "2031-06-30");
        assert!(history["items"].as_array().unwrap().iter().any(|h| h["action"] == "pks_sign" && h["to_stage"] == "DITANDATANGANI"));

        // Early termination needs a notice letter; then the case is closed.
        refused(&app, id, json!({"action": "terminate_early", "reason": "wanprestasi", "effective_on": "2027-01-01",
            "notice_letter": good["id"]}), "case.termination_notice_required").await;
        let too_long = "x".repeat(4001);
        refused(&app, id, json!({"action": "end", "reason": "kesepakatan_para_pihak", "effective_on": "2026-12-31",
            "outstanding_obligations": too_long}), "validation.failed").await;
        let res = act(&app, id, version(&app, id).await, json!({"action": "end", "reason": "kesepakatan_para_pihak", "effective_on": "2026-12-31", "note": "Disepakati",
            "outstanding_obligations": "  Laporan akhir kegiatan 2026 oleh Dinas Pariwisata Provinsi Bali  "})).await;
        res.assert_status(StatusCode::OK);
        assert_eq!(res.json()["case"]["stage"], "BERAKHIR");
        assert_eq!(res.json()["case"]["termination"]["reason"], "kesepakatan_para_pihak");
        assert_eq!(res.json()["case"]["termination"]["outstanding_obligations"], "Laporan akhir kegiatan 2026 oleh Dinas Pariwisata Provinsi Bali", "ending does not cancel what is owed");
        let page = String::from_utf8(app.get_staff(&format!("/kerja-sama/{id}")).await.body).unwrap();
        assert!(page.contains("id=\"kewajiban-tersisa\">Laporan akhir kegiatan 2026"), "the case page says what is still owed");
        let closed = app.post(&format!("/api/v1/cases/{id}/meetings"), &json!({"kind": "monitoring", "date": "2027-01-02", "place": "X"})).await;
        assert_eq!(closed.code(), "case.closed");

        let history = app.get_staff(&format!("/api/v1/cases/{id}/history")).await.json();
        let actions: Vec<&str> = history["items"].as_array().unwrap().iter().map(|h| h["action"].as_str().unwrap()).collect();
        for a in ["create", "submit", "start_review", "recommend", "add_letter", "send_offer", "mark_offer_delivered", "record_reply",
                  "create_agreement", "finalize_kb", "update_agreement", "sign_kb", "update_party", "activate", "record_dprd_decision", "end"] {
            assert!(actions.contains(&a), "history lacks {a}: {actions:?}");
        }
        let sign = history["items"].as_array().unwrap().iter().find(|h| h["action"] == "sign_kb").unwrap();
        assert_eq!(sign["from_stage"], "KB_FINAL");
        assert_eq!(sign["to_stage"], "KB_DITANDATANGANI");
        assert!(sign["note"].as_str().unwrap().contains("bukti tanda tangan"), "{sign}");
        assert_eq!(sign["details"]["evidence"].as_array().unwrap().len(), 2, "both parties' evidence is on record: {sign}");
        assert_eq!(sign["actor"], "operator");
    }

    async fn a_rejected_proposal_and_a_cancelled_case_are_final(app: TestApp) {
        let sekda = official(&app, "51", "Sekda", "Sekretaris Daerah Provinsi Bali", "sekda", "definitif").await;
        app.post("/api/v1/regions/51/tkksd", &json!({"members": [{"official": sekda, "position": "ketua"}]})).await.assert_status(StatusCode::CREATED);
        let case = open_case(&app, "ksdd_sukarela", &["51", "62"]).await;
        let id = case["id"].as_str().unwrap();
        act(&app, id, 1, json!({"action": "submit"})).await.assert_status(StatusCode::OK);
        act(&app, id, 2, json!({"action": "start_review"})).await.assert_status(StatusCode::OK);
        act(&app, id, 3, json!({"action": "recommend", "recommendation": "perbaikan", "reviewer": sekda})).await.assert_status(StatusCode::OK);
        assert_eq!(stage(&app, id).await, "PERLU_PERBAIKAN");
        act(&app, id, 4, json!({"action": "resubmit"})).await.assert_status(StatusCode::OK);
        act(&app, id, 5, json!({"action": "start_review"})).await.assert_status(StatusCode::OK);
        act(&app, id, 6, json!({"action": "recommend", "recommendation": "tidak_layak", "reviewer": sekda})).await.assert_status(StatusCode::OK);
        assert_eq!(stage(&app, id).await, "DITOLAK_INTERNAL");
        refused(&app, id, json!({"action": "cancel", "note": "x"}), "case.invalid_transition").await;

        let other = open_case(&app, "ksdd_sukarela", &["51", "62"]).await;
        let oid = other["id"].as_str().unwrap();
        refused(&app, oid, json!({"action": "cancel"}), "validation.failed").await;
        act(&app, oid, 1, json!({"action": "cancel", "note": "Prioritas berubah"})).await.assert_status(StatusCode::OK);
        assert_eq!(stage(&app, oid).await, "DIBATALKAN");
        let res = app.patch(&format!("/api/v1/cases/{oid}"), &json!({"expected_version": 2, "title": "Y"})).await;
        assert_eq!(res.code(), "case.closed");
    }

    async fn an_inbound_offer_is_reviewed_and_answered(app: TestApp) {
        let sekda = official(&app, "62", "Sekda", "Sekretaris Daerah", "sekda", "definitif").await;
        app.post("/api/v1/regions/62/tkksd", &json!({"members": [{"official": sekda, "position": "ketua"}]})).await.assert_status(StatusCode::CREATED);
        let res = app.post("/api/v1/cases", &json!({"title": "Tawaran dari Kalimantan Selatan", "kind": "ksdd_sukarela", "direction": "masuk",
            "fields": [{"code": "perdagangan"}], "parties": [{"region": "63"}, {"region": "62"}]})).await;
        res.assert_status(StatusCode::CREATED);
        assert_eq!(res.json()["stage"], "PENAWARAN_MASUK");
        let id = res.json()["id"].as_str().unwrap().to_owned();
        act(&app, &id, 1, json!({"action": "start_review"})).await.assert_status(StatusCode::OK);
        let r = act(&app, &id, 2, json!({"action": "recommend", "recommendation": "layak", "reviewer": sekda})).await;
        assert_eq!(r.json()["case"]["stage"], "JAWABAN_DIKIRIM");
        act(&app, &id, 3, json!({"action": "start_drafting"})).await.assert_status(StatusCode::OK);
        assert_eq!(stage(&app, &id).await, "PENYUSUNAN_KB");
    }
}
