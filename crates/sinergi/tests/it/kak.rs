//! Issue 22: the KAK is a record each party's OPD writes, in versions; the offer carries the
//! initiator's, and each side writes only its own.

use crate::{on_both, open_case};
use axum::http::Method;
use serde_json::json;
use sinergi_test_support::PASSWORD;

on_both! {
    async fn each_party_writes_its_own_kak_and_the_offer_needs_the_initiators(app: TestApp) {
        app.user("admin-kt", Some("62"), &["admin"], None).await;
        app.user("admin-bl", Some("51"), &["admin"], None).await;
        let case = open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let id = case["id"].as_str().unwrap().to_owned();
        let url = format!("/kerja-sama/{id}");

        // Kalteng's admin writes the KAK on the case page; a missing section is named.
        let ks = app.sign_in("admin-kt", PASSWORD).await.unwrap();
        let page = app.get_as(&ks, &url).await.text();
        assert!(page.contains("id=\"form-kak\""), "the initiator's form");
        let mut form = vec![("party", "1"), ("expected_version", ""), ("background", "Potensi kedua daerah saling mengisi."),
            ("purpose", "Kunjungan wisata"), ("object", "Pariwisata"), ("scope", ""), ("duration", "5 (lima) tahun"),
            ("benefits", "Pasar UMKM"), ("financing", "APBD TA 2027"), ("location", "")];
        let refused = app.post_form(&ks, &format!("{url}/kak"), &form, None).await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let body = refused.text();
        assert!(body.contains("Ruang lingkup") && body.contains("Potensi kedua daerah saling mengisi."), "the reason and what was typed: {body}");
        form[5] = ("scope", "Promosi bersama");
        app.post_form(&ks, &format!("{url}/kak"), &form, None).await.assert_status(StatusCode::SEE_OTHER);
        // A second save from the same page (version none) is stale: nothing is overwritten.
        let stale = app.post_form(&ks, &format!("{url}/kak"), &form, None).await;
        stale.assert_status(StatusCode::CONFLICT);
        form[1] = ("expected_version", "1");
        form[4] = ("object", "Pariwisata dan UMKM");
        app.post_form(&ks, &format!("{url}/kak"), &form, None).await.assert_status(StatusCode::SEE_OTHER);
        let shown = app.get_staff(&format!("/api/v1/cases/{id}/kak")).await.json();
        assert_eq!(shown["total"], 1);
        assert_eq!(shown["items"][0]["version"], 2);
        assert_eq!(shown["items"][0]["object"], "Pariwisata dan UMKM");
        assert_eq!(shown["items"][0]["location"], serde_json::Value::Null);
        let page = app.get_as(&ks, &url).await.text();
        assert!(page.contains("Pariwisata dan UMKM") && page.contains("versi 2"), "{page}");

        // Before the offer it is Kalteng's internal work: Bali cannot read it.
        let bl = app.token_of("admin-bl").await;
        app.as_token(&bl, Method::GET, &format!("/api/v1/cases/{id}/kak"), None).await.assert_status(StatusCode::NOT_FOUND);
        crate::send_offer(&app, &id).await;
        // Sent with the offer: Bali reads it, but cannot write Kalteng's.
        let read = app.as_token(&bl, Method::GET, &format!("/api/v1/cases/{id}/kak"), None).await;
        read.assert_status(StatusCode::OK);
        assert_eq!(read.json()["items"][0]["region"], "62");
        let forged = app.as_token(&bl, Method::PUT, &format!("/api/v1/cases/{id}/parties/1/kak"),
            Some(&json!({"expected_version": 3, "background": "x", "purpose": "x", "object": "x", "scope": "x", "duration": "x", "benefits": "x", "financing": "x"}))).await;
        forged.assert_status(StatusCode::FORBIDDEN);
        assert!(forged.text().contains("Provinsi Kalimantan Tengah"), "{}", forged.text());
        // Bali's page offers the form of its own party, party 2.
        let bs = app.sign_in("admin-bl", PASSWORD).await.unwrap();
        let page = app.get_as(&bs, &url).await.text();
        assert!(page.contains("name=\"party\" value=\"2\""), "Bali writes its own KAK");
        assert!(page.contains("Pariwisata dan UMKM"), "and reads Kalteng's");
        let bali_form = [("party", "2"), ("expected_version", ""), ("background", "Bali"), ("purpose", "Tujuan Bali"), ("object", "Pariwisata"),
            ("scope", "Promosi"), ("duration", "5 tahun"), ("benefits", "Manfaat"), ("financing", "APBD Bali")];
        app.post_form(&bs, &format!("{url}/kak"), &bali_form, None).await.assert_status(StatusCode::SEE_OTHER);
        let forged_page = app.post_form(&bs, &format!("{url}/kak"), &[("party", "1"), ("expected_version", "2"), ("background", "x"), ("purpose", "x"),
            ("object", "x"), ("scope", "x"), ("duration", "x"), ("benefits", "x"), ("financing", "x")], None).await;
        forged_page.assert_status(StatusCode::FORBIDDEN);
        let all = app.get_staff(&format!("/api/v1/cases/{id}/kak")).await.json();
        assert_eq!(all["total"], 2);
        assert_eq!(all["items"][0]["version"], 2, "Kalteng's KAK untouched");
        let hist = app.get_staff(&format!("/api/v1/cases/{id}/history")).await.text();
        assert!(hist.contains("kak_saved"));
        assert!(app.store.verify_audit().await.unwrap().is_ok());
    }
}
