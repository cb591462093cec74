use crate::{case_count, on_both, open_case};
use axum::http::Method;
use serde_json::{Value, json};

on_both! {
    async fn a_case_is_opened_between_two_regions(app: TestApp) {
        let case = open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        assert_eq!(case["stage"], "USULAN_DRAFT");
        assert_eq!(case["version"], 1);
        assert_eq!(case["parties"][0]["role"], "PIHAK KESATU");
        assert_eq!(case["parties"][0]["name"], "Pemerintah Provinsi Kalimantan Tengah");
        assert_eq!(case["parties"][1]["role"], "PIHAK KEDUA");
        assert_eq!(case["parties"][1]["name"], "Pemerintah Provinsi Bali");
        assert_eq!(case["fields"][0]["urusan"][0]["code"], "3.26");
        assert_eq!(case["available_actions"], json!(["submit", "cancel"]));
        let id = case["id"].as_str().unwrap();
        let history = app.get_staff(&format!("/api/v1/cases/{id}/history")).await.json();
        assert_eq!(history["total"], 1);
        assert_eq!(history["items"][0]["action"], "create");
        assert_eq!(history["items"][0]["actor"], "operator");
    }

    async fn bad_cases_are_refused_with_specific_codes_and_nothing_is_stored(app: TestApp) {
        let before = case_count(&app).await;
        let cases = [
            (json!({"title": "X", "kind": "ksdd_sukarela", "fields": [{"code": "pariwisata_kebudayaan"}], "parties": [{"region": "62"}, {"region": "99"}]}), "region.unknown"),
            (json!({"title": "X", "kind": "ksdd_sukarela", "fields": [{"code": "pariwisata_kebudayaan"}], "parties": [{"region": "62"}, {"region": "62"}]}), "case.duplicate_party"),
            (json!({"title": "X", "kind": "ksdd_sukarela", "fields": [{"code": "pariwisata_kebudayaan"}], "parties": [{"region": "62"}]}), "case.too_few_parties"),
            (json!({"title": "X", "kind": "ksdd_wajib", "fields": [{"code": "pariwisata_kebudayaan"}], "parties": [{"region": "62"}, {"region": "51"}]}), "case.wajib_requires_border"),
            (json!({"title": "X", "kind": "ksdd_wajib", "fields": [{"code": "pariwisata_kebudayaan"}], "parties": [{"region": "62"}, {"region": "51.71"}]}), "case.wajib_requires_border"),
            (json!({"title": "X", "kind": "ksdd_sukarela", "fields": [{"code": "pariwisata_kebudayaan"}], "parties": [{"region": "62"}, {"region": "62.71.01"}]}), "region.not_daerah"),
            (json!({"title": "X", "kind": "ksdd_sukarela", "fields": [{"code": "pariwisata_kebudayaan"}], "parties": [{"region": "62"}, {"name": "PT Contoh"}]}), "case.party_not_allowed"),
            (json!({"title": " ", "kind": "ksdd_sukarela", "fields": [{"code": "pariwisata_kebudayaan"}], "parties": [{"region": "62"}, {"region": "51"}]}), "validation.failed"),
            (json!({"title": "X", "kind": "ksdd_sukarela", "parties": [{"region": "62"}, {"region": "51"}], "fields": [{"code": "antariksa"}]}), "validation.failed"),
            // The object of a cooperation is an urusan: a case without a field is refused.
            (json!({"title": "X", "kind": "ksdd_sukarela", "parties": [{"region": "62"}, {"region": "51"}]}), "validation.failed"),
        ];
        for (body, code) in cases {
            let res = app.post("/api/v1/cases", &body).await;
            assert!(res.status.is_client_error(), "{body}: {}", res.status);
            assert_eq!(res.code(), code, "{body}");
            assert!(!res.json()["error"]["message"].as_str().unwrap().is_empty());
        }
        assert_eq!(case_count(&app).await, before);
    }

    async fn a_wajib_case_needs_bordering_regions(app: TestApp) {
        open_case(&app, "ksdd_wajib", &["62", "63"]).await;
        open_case(&app, "ksdd_wajib", &["62", "62.71"]).await;
    }

    async fn a_third_party_case_takes_a_named_party(app: TestApp) {
        let res = app.post("/api/v1/cases", &json!({"title": "Pengelolaan Air", "kind": "ksdpk", "fields": [{"code": "pariwisata_kebudayaan"}],
            "parties": [{"region": "62.71"}, {"name": "PT Air Bersih Kahayan"}]})).await;
        res.assert_status(StatusCode::CREATED);
        assert_eq!(res.json()["parties"][1]["name"], "PT Air Bersih Kahayan");
        assert_eq!(res.json()["parties"][1]["region"], serde_json::Value::Null);
    }

    async fn malformed_and_oversized_requests_get_clear_errors(app: TestApp) {
        let before = case_count(&app).await;
        let auth = format!("Bearer {}", sinergi_test_support::TOKEN);
        let h = [("authorization", auth.as_str()), ("content-type", "application/json")];
        let res = app.request(Method::POST, "/api/v1/cases", Some(b"{\"title\": ".to_vec()), &h).await;
        res.assert_status(StatusCode::BAD_REQUEST);
        assert_eq!(res.code(), "request.malformed_json");
        let res = app.request(Method::POST, "/api/v1/cases", Some(br#"{"title": "x", "kind": "perang", "parties": []}"#.to_vec()), &h).await;
        res.assert_status(StatusCode::BAD_REQUEST);
        assert_eq!(res.code(), "request.malformed_json");
        let big = format!(r#"{{"title": "{}", "kind": "ksdd_sukarela", "parties": []}}"#, "a".repeat(200 * 1024));
        let res = app.request(Method::POST, "/api/v1/cases", Some(big.into_bytes()), &h).await;
        res.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(res.code(), "request.too_large");
        let res = app.request(Method::POST, "/api/v1/cases", Some(b"{}".to_vec()), &[("authorization", auth.as_str())]).await;
        res.assert_status(StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(case_count(&app).await, before);
        let res = app.get("/api/v1/nothing-here").await;
        res.assert_status(StatusCode::NOT_FOUND);
        assert_eq!(res.code(), "route.not_found");
        let res = app.request(Method::DELETE, "/api/v1/cases", None, &[]).await;
        res.assert_status(StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(res.code(), "route.method_not_allowed");
        let res = app.get("/api/v1/cases/not-a-uuid").await;
        res.assert_status(StatusCode::BAD_REQUEST);
        assert_eq!(res.code(), "request.invalid_path");
    }

    async fn anonymous_writes_are_refused_and_unpublished_cases_hidden(app: TestApp) {
        let res = app.request(Method::POST, "/api/v1/cases", Some(b"{}".to_vec()), &[("content-type", "application/json")]).await;
        res.assert_status(StatusCode::UNAUTHORIZED);
        assert_eq!(res.code(), "auth.required");
        let res = app.request(Method::GET, "/api/v1/cases", None, &[("authorization", "Bearer wrong")]).await;
        res.assert_status(StatusCode::UNAUTHORIZED);
        let case = open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let id = case["id"].as_str().unwrap();
        app.get(&format!("/api/v1/cases/{id}")).await.assert_status(StatusCode::NOT_FOUND);
        app.get(&format!("/api/v1/cases/{id}/meetings")).await.assert_status(StatusCode::NOT_FOUND);
        assert_eq!(app.get("/api/v1/cases").await.json()["total"], 0);
        app.get_staff(&format!("/api/v1/cases/{id}")).await.assert_status(StatusCode::OK);
        let res = app.patch(&format!("/api/v1/cases/{id}"), &json!({"expected_version": 1, "published": true})).await;
        res.assert_status(StatusCode::OK);
        app.get(&format!("/api/v1/cases/{id}")).await.assert_status(StatusCode::OK);
        assert_eq!(app.get("/api/v1/cases").await.json()["total"], 1);
    }

    async fn errors_speak_the_callers_language(app: TestApp) {
        let id_msg = app.get("/api/v1/regions/99").await.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(id_msg.contains("tidak ditemukan"), "{id_msg}");
        let res = app.request(Method::GET, "/api/v1/regions/99", None, &[("accept-language", "en-US,en;q=0.9")]).await;
        let en = res.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(en.contains("not found"), "{en}");
        let en2 = app.get("/api/v1/regions/99?lang=en").await.json()["error"]["message"].as_str().unwrap().to_owned();
        assert_eq!(en, en2);
        assert!(res.json()["request_id"].as_str().unwrap().len() > 8);
        assert!(res.headers.contains_key("x-request-id"));
    }

    async fn the_register_filters_sorts_and_pages(app: TestApp) {
        open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let _b = open_case(&app, "ksdd_wajib", &["62", "63"]).await;
        let res = app.post("/api/v1/cases", &json!({"title": "Pengelolaan Sampah Regional", "kind": "ksdd_sukarela",
            "parties": [{"region": "51.71"}, {"region": "51.03"}], "fields": [{"label": "Persampahan", "urusan": ["2.11"]}]})).await;
        res.assert_status(StatusCode::CREATED);
        let q = |s: &str| format!("/api/v1/cases?{s}");
        assert_eq!(app.get_staff(&q("region=62")).await.json()["total"], 2);
        assert_eq!(app.get_staff(&q("region=51.71")).await.json()["total"], 1);
        assert_eq!(app.get_staff(&q("kind=ksdd_wajib")).await.json()["total"], 1);
        assert_eq!(app.get_staff(&q("stage=usulan_draft")).await.json()["total"], 3);
        assert_eq!(app.get_staff(&q("stage=AKTIF")).await.json()["total"], 0);
        assert_eq!(app.get_staff(&q("field=umkm")).await.json()["total"], 2);
        assert_eq!(app.get_staff(&q("urusan=2.11")).await.json()["total"], 1);
        assert_eq!(app.get_staff(&q("urusan=3.26")).await.json()["total"], 2);
        assert_eq!(app.get_staff(&q("year=2026")).await.json()["total"], 3);
        assert_eq!(app.get_staff(&q("year=2021")).await.json()["total"], 0);
        assert_eq!(app.get_staff(&q("q=sampah")).await.json()["total"], 1);
        assert_eq!(app.get_staff(&q("q=bali")).await.json()["total"], 1);
        assert_eq!(app.get_staff(&q("q=100%25")).await.json()["total"], 0);
        let page = app.get_staff(&q("limit=2&offset=0&sort=title")).await.json();
        assert_eq!(page["total"], 3);
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        assert_eq!(page["items"][0]["title"], "Kerja Sama Pengembangan Pariwisata dan UMKM");
        let page2 = app.get_staff(&q("limit=2&offset=2&sort=title")).await.json();
        assert_eq!(page2["items"][0]["title"], "Pengelolaan Sampah Regional");
        assert_eq!(app.get_staff(&q("kind=perang")).await.code(), "request.invalid_query");
        assert_eq!(app.get_staff(&q("stage=SELESAI_SEMUA")).await.code(), "request.invalid_query");
        assert_eq!(app.get_staff(&q("sort=random")).await.code(), "request.invalid_query");
    }

    async fn officials_carry_acting_titles_and_hide_personal_data_from_the_public(app: TestApp) {
        let res = app.post("/api/v1/regions/62/officials", &json!({"name": "Budi", "position": "Sekretaris Daerah Provinsi Kalimantan Tengah",
            "office": "sekda", "acting": "plt", "nip": "198001012005011001", "email": "budi@kalteng.go.id", "phone": "0811"})).await;
        res.assert_status(StatusCode::CREATED);
        assert_eq!(res.json()["title"], "Plt. Sekretaris Daerah Provinsi Kalimantan Tengah");
        let public = app.get("/api/v1/regions/62/officials").await.json();
        assert_eq!(public["items"][0]["name"], "Budi");
        assert_eq!(public["items"][0]["nip"], serde_json::Value::Null);
        assert_eq!(public["items"][0]["email"], serde_json::Value::Null);
        let staff = app.get_staff("/api/v1/regions/62/officials").await.json();
        assert_eq!(staff["items"][0]["nip"], "198001012005011001");
        let res = app.post("/api/v1/regions/62/officials", &json!({"name": "A", "position": "B", "office": "sekda", "nip": "12"})).await;
        assert_eq!(res.code(), "validation.failed");
        let res = app.post("/api/v1/regions/62/officials", &json!({"name": "A", "position": "B", "office": "sekda",
            "term_start": "2024-01-01", "term_end": "2023-01-01"})).await;
        assert_eq!(res.code(), "validation.dates_out_of_order");
        let res = app.post("/api/v1/regions/99/officials", &json!({"name": "A", "position": "B", "office": "sekda"})).await;
        assert_eq!(res.code(), "region.unknown");
    }

    async fn meetings_keep_the_hosts_zone_and_convert_for_the_partner(app: TestApp) {
        let case = open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let id = case["id"].as_str().unwrap();
        let res = app.post(&format!("/api/v1/cases/{id}/meetings"), &json!({
            "kind": "penjajakan", "date": "2026-06-04", "start_time": "10:00", "end_time": "12:00", "host_region": "51",
            "place": "Kantor Gubernur Bali, Denpasar",
            "participants": [{"name": "Dewa", "position": "Sekda Bali"}],
            "agenda": ["Penjajakan"], "outcomes": ["Sepakat mengkaji konsep"],
            "next_steps": [{"text": "Penandatanganan", "due_on": "2026-06-06"}]
        })).await;
        res.assert_status(StatusCode::CREATED);
        let m = res.json();
        assert_eq!(m["timezone"], "WITA");
        assert_eq!(m["time_label"], "pukul 10.00 WITA (09.00 WIB)");
        let listed = app.get_staff(&format!("/api/v1/cases/{id}/meetings")).await.json();
        assert_eq!(listed["total"], 1);
        assert_eq!(listed["items"][0]["outcomes"][0], "Sepakat mengkaji konsep");
        let bad = app.post(&format!("/api/v1/cases/{id}/meetings"), &json!({
            "kind": "penjajakan", "date": "2026-06-04", "start_time": "12:00", "end_time": "10:00", "place": "X"})).await;
        assert_eq!(bad.code(), "validation.dates_out_of_order");
        let bad = app.post(&format!("/api/v1/cases/{id}/meetings"), &json!({
            "kind": "penjajakan", "date": "2026-06-04", "host_region": "63", "place": "X"})).await;
        assert_eq!(bad.code(), "meeting.host_not_party");
        let bad = app.post(&format!("/api/v1/cases/{id}/meetings"), &json!({
            "kind": "penjajakan", "date": "2026-06-04", "start_time": "25:99", "place": "X"})).await;
        assert_eq!(bad.code(), "validation.failed");
        assert_eq!(app.get_staff(&format!("/api/v1/cases/{id}/meetings")).await.json()["total"], 1);
    }

    async fn the_openapi_document_describes_every_route(app: TestApp) {
        let doc = app.get("/api/v1/openapi.json").await.json();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        let paths = doc["paths"].as_object().unwrap();
        for p in ["/api/v1/regions", "/api/v1/regions/{code}", "/api/v1/cases", "/api/v1/cases/{id}",
                  "/api/v1/cases/{id}/transitions", "/api/v1/cases/{id}/meetings", "/api/v1/cases/{id}/letters",
                  "/api/v1/cases/{id}/agreements", "/api/v1/regions/{code}/officials", "/health", "/ready"] {
            assert!(paths.contains_key(p), "{p} missing from the OpenAPI document");
        }
        // Every documented operation is routed: none answers "no such route".
        for (path, item) in paths {
            let concrete = path.replace("{code}", "62").replace("{id}", "017fb939-1400-7000-8000-000000006251")
                .replace("{meeting_id}", "017fb939-1400-7000-8000-000000000001")
                .replace("{agreement_id}", "017fb939-1400-7000-8000-000000000001").replace("{ordinal}", "1");
            for method in item.as_object().unwrap().keys() {
                let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                let res = app.request(m, &concrete, None, &[]).await;
                // A feed or a file answers in its own format; only JSON can be the router's refusal.
                let code = serde_json::from_slice::<Value>(&res.body).map(|v| v["error"]["code"].as_str().unwrap_or_default().to_owned()).unwrap_or_default();
                assert_ne!(code, "route.not_found", "{method} {path}");
                assert_ne!(code, "route.method_not_allowed", "{method} {path}");
            }
        }
        assert!(doc["components"]["schemas"].as_object().unwrap().contains_key("ErrorEnvelope"));
    }

    async fn health_and_readiness_answer(app: TestApp) {
        assert_eq!(app.get("/health").await.json()["status"], "ok");
        assert_eq!(app.get("/ready").await.json()["status"], "ready");
    }
}
