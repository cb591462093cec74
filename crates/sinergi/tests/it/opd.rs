//! Issue 22: a region keeps its own list of Perangkat Daerah; once it has one, a unit named
//! on an official, a user or a case is one of them, stored under the list's own name.

use crate::{on_both, open_case};
use axum::http::Method;
use serde_json::json;
use sinergi_test_support::PASSWORD;

on_both! {
    async fn a_regions_opd_list_makes_every_unit_name_one_of_its_agencies(app: TestApp) {
        app.user("admin-bl", Some("51"), &["admin"], None).await;
        app.user("admin-kt", Some("62"), &["admin"], None).await;
        let bl = app.token_of("admin-bl").await;
        let kt = app.token_of("admin-kt").await;

        // Bali's admin enters its agencies; Kalteng's may not, and bad entries name their field.
        let disbudpar = json!({"name": "Dinas Kebudayaan dan  Pariwisata", "abbreviation": "Disbudpar", "urusan": ["3.26", "2.22"]});
        let res = app.as_token(&bl, Method::POST, "/api/v1/regions/51/units", Some(&disbudpar)).await;
        res.assert_status(StatusCode::CREATED);
        assert_eq!(res.json()["name"], "Dinas Kebudayaan dan Pariwisata", "spaces folded");
        app.as_token(&kt, Method::POST, "/api/v1/regions/51/units", Some(&json!({"name": "Dinas Palsu"}))).await
            .assert_status(StatusCode::FORBIDDEN);
        let dup = app.as_token(&bl, Method::POST, "/api/v1/regions/51/units",
            Some(&json!({"name": "dinas kebudayaan dan pariwisata", "urusan": ["9.99"]}))).await;
        dup.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let text = dup.text();
        assert!(text.contains("sudah ada") && text.contains("9.99"), "{text}");
        let list = app.get("/api/v1/regions/51/units").await.json();
        assert_eq!(list["total"], 1, "the refused entry stored nothing; the list is public");

        // An official's unit: matched by abbreviation, stored under the list's name.
        let o = app.as_token(&bl, Method::POST, "/api/v1/regions/51/officials",
            Some(&json!({"name": "I Gusti Ngurah", "position": "Kepala Dinas Kebudayaan dan Pariwisata", "office": "kepala_perangkat_daerah", "unit": "DISBUDPAR"}))).await;
        o.assert_status(StatusCode::CREATED);
        assert_eq!(o.json()["unit"], "Dinas Kebudayaan dan Pariwisata");
        let unknown = app.as_token(&bl, Method::POST, "/api/v1/regions/51/officials",
            Some(&json!({"name": "Made", "position": "Kepala Dinas", "office": "kepala_perangkat_daerah", "unit": "Dinas Pariwisata"}))).await;
        unknown.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.text().contains("tidak ada dalam daftar perangkat daerah Provinsi Bali"), "{}", unknown.text());
        // Kalteng has no list yet: its units are kept as typed.
        let free = app.as_token(&kt, Method::POST, "/api/v1/regions/62/officials",
            Some(&json!({"name": "Kadis", "position": "Kepala Dinas", "office": "kepala_perangkat_daerah", "unit": "Dinas  Pariwisata"}))).await;
        free.assert_status(StatusCode::CREATED);
        assert_eq!(free.json()["unit"], "Dinas Pariwisata");

        // A user's unit, and a case's implementing OPD.
        let u = app.as_token(&bl, Method::POST, "/api/v1/regions/51/users",
            Some(&json!({"username": "opd-bl", "password": "sandi-panjang-sekali", "roles": ["opd_implementer"], "unit": "disbudpar"}))).await;
        u.assert_status(StatusCode::CREATED);
        assert_eq!(u.json()["unit"], "Dinas Kebudayaan dan Pariwisata");
        let bad_user = app.as_token(&bl, Method::POST, "/api/v1/regions/51/users",
            Some(&json!({"username": "opd-x", "password": "sandi-panjang-sekali", "roles": ["opd_implementer"], "unit": "Dispar"}))).await;
        bad_user.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let case = open_case(&app, "ksdd_sukarela", &["51", "62"]).await;
        let id = case["id"].as_str().unwrap();
        let opd = app.token_of("opd-bl").await;
        let before = app.as_token(&opd, Method::GET, &format!("/api/v1/cases/{id}"), None).await;
        assert_ne!(before.status, StatusCode::OK, "an OPD not on the case does not see it");
        let refused = app.post(&format!("/api/v1/cases/{id}/units"), &json!({"region": "51", "unit": "Dispar"})).await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        app.post(&format!("/api/v1/cases/{id}/units"), &json!({"region": "51", "unit": "Disbudpar"})).await
            .assert_status(StatusCode::NO_CONTENT);
        // The implementer's account and the case's OPD are one name, so the account sees the case.
        app.as_token(&opd, Method::GET, &format!("/api/v1/cases/{id}"), None).await.assert_status(StatusCode::OK);
        assert!(app.store.verify_audit().await.unwrap().is_ok());

        // On the region page: Bali's admin adds one; Kalteng's browser cannot; a refusal keeps
        // what was typed.
        let bs = app.sign_in("admin-bl", PASSWORD).await.unwrap();
        let ks = app.sign_in("admin-kt", PASSWORD).await.unwrap();
        let page = app.get_as(&bs, "/wilayah/51").await.text();
        assert!(page.contains("id=\"form-opd\"") && page.contains("Dinas Kebudayaan dan Pariwisata (Disbudpar)"));
        assert!(page.contains("<option value=\"Dinas Kebudayaan dan Pariwisata\">"), "the unit field suggests the list");
        assert!(!app.get_as(&ks, "/wilayah/51").await.text().contains("id=\"form-opd\""));
        app.post_form(&ks, "/wilayah/51/opd", &[("name", "Biro Palsu")], None).await.assert_status(StatusCode::FORBIDDEN);
        app.post_form(&bs, "/wilayah/51/opd", &[("name", "Biro Pemerintahan dan Otonomi Daerah"), ("abbreviation", "Biro Pem"), ("urusan", "")], None).await
            .assert_status(StatusCode::SEE_OTHER);
        let again = app.post_form(&bs, "/wilayah/51/opd", &[("name", "Dinas Kelautan"), ("abbreviation", "biro pem"), ("urusan", "3.25")], None).await;
        again.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let page = again.text();
        assert!(page.contains("Singkatan biro pem sudah dipakai") && page.contains("value=\"Dinas Kelautan\""), "{page}");
        assert_eq!(app.get("/api/v1/regions/51/units").await.json()["total"], 2);
    }
}
