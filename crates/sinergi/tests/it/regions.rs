use crate::on_both;

on_both! {
    async fn the_kemendagri_list_is_complete(app: TestApp) {
        for (level, n) in [("province", 38), ("regency", 416), ("city", 98), ("district", 7285), ("village", 83762)] {
            let res = app.get(&format!("/api/v1/regions?level={level}&limit=1")).await;
            res.assert_status(StatusCode::OK);
            assert_eq!(res.json()["total"], n, "{level}");
        }
        let daerah = app.get("/api/v1/regions?daerah=true&limit=1").await.json();
        assert_eq!(daerah["total"], 552);
    }

    async fn spelling_variants_find_the_region(app: TestApp) {
        for (q, code) in [
            ("Palangka Raya", "62.71"),
            ("Palangkaraya", "62.71"),
            ("Kota Palangka Raya", "62.71"),
            ("DKI Jakarta", "31"),
            ("Kota Denpasar", "51.71"),
            ("kalteng", "62"),
        ] {
            let res = app.get(&format!("/api/v1/regions?daerah=true&q={}", q.replace(' ', "%20"))).await;
            res.assert_status(StatusCode::OK);
            let items = res.json()["items"].as_array().unwrap().clone();
            assert!(items.iter().any(|r| r["code"] == code), "{q} should find {code}: {items:?}");
        }
        let by_code = app.get("/api/v1/regions?q=62.7&daerah=true").await.json();
        assert_eq!(by_code["items"][0]["code"], "62.71");
    }

    async fn a_region_shows_its_ancestors_zone_and_neighbours(app: TestApp) {
        let r = app.get("/api/v1/regions/62.71").await.json();
        assert_eq!(r["name"], "Kota Palangkaraya");
        assert_eq!(r["level"], "city");
        assert_eq!(r["timezone"], "WIB");
        assert_eq!(r["ancestors"][0]["code"], "62");
        assert!(r["aliases"].as_array().unwrap().iter().any(|a| a == "Palangka Raya"));
        assert!(r["wilayah_version"].as_str().unwrap().contains("300.2.2-2138"));
        let bali = app.get("/api/v1/regions/51").await.json();
        assert_eq!(bali["timezone"], "WITA");
        assert_eq!(bali["neighbours"].as_array().unwrap().len(), 0);
        let kalteng = app.get("/api/v1/regions/62").await.json();
        assert!(kalteng["neighbours"].as_array().unwrap().iter().any(|n| n["code"] == "63"));
        assert_eq!(app.get("/api/v1/regions/99.99").await.code(), "region.not_found");
        assert_eq!(app.get("/api/v1/regions/abc").await.code(), "region.not_found");
    }

    async fn bad_region_queries_are_named(app: TestApp) {
        let res = app.get("/api/v1/regions?level=planet").await;
        res.assert_status(StatusCode::BAD_REQUEST);
        assert_eq!(res.code(), "request.invalid_query");
        assert!(res.json()["error"]["message"].as_str().unwrap().contains("planet"));
        let res = app.get("/api/v1/regions?limit=100000").await;
        res.assert_status(StatusCode::BAD_REQUEST);
        let res = app.get("/api/v1/regions?limit=abc").await;
        res.assert_status(StatusCode::BAD_REQUEST);
    }

    async fn reference_catalogues_are_served(app: TestApp) {
        let urusan = app.get("/api/v1/reference/urusan").await.json();
        assert_eq!(urusan["total"], 32);
        assert_eq!(urusan["items"][0]["name"], "Pendidikan");
        assert_eq!(urusan["items"][31]["name"], "Transmigrasi");
        let fields = app.get("/api/v1/reference/fields").await.json();
        assert_eq!(fields["total"], 10);
        assert_eq!(fields["items"][0]["urusan"], serde_json::json!(["3.26", "2.22"]));
        assert_eq!(app.get("/api/v1/reference/pdrb-categories").await.json()["total"], 17);
        let rules = app.get("/api/v1/rule-sets").await.json();
        assert_eq!(rules["items"][0]["pks_max_term_years"], 5);
        assert!(rules["items"][0]["references"]["pks_max_term_years"]["citation"].is_string());
    }
}
