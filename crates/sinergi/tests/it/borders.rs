//! Issue 22: Kerja Sama Wajib between kabupaten/kota on the shipped land borders, and the
//! operator's audited corrections, which survive loading a newer shipped list.

use crate::on_both;
use axum::http::Method;
use serde_json::json;
use sinergi_test_support::TestApp;

async fn wajib(app: &TestApp, a: &str, b: &str) -> sinergi_test_support::TestResponse {
    app.post(
        "/api/v1/cases",
        &json!({"title": "Pengelolaan sampah regional", "kind": "ksdd_wajib", "fields": [{"code": "umkm"}], "parties": [{"region": a}, {"region": b}]}),
    )
    .await
}

async fn forget_borders_version(app: &TestApp) {
    let sql = "UPDATE reference_meta SET value = 'lama' WHERE key = 'borders_version'";
    match app.store.db() {
        sinergi_store::Db::Sqlite(p) => {
            sqlx::query(sql).execute(p).await.unwrap();
        }
        sinergi_store::Db::Postgres(p) => {
            sqlx::query(sql).execute(p).await.unwrap();
        }
    }
}

on_both! {
    async fn neighbouring_cities_and_regencies_may_cooperate_by_obligation(app: TestApp) {
        // Palangka Raya borders Pulang Pisau and Katingan, not Kotawaringin Barat.
        wajib(&app, "62.71", "62.11").await.assert_status(StatusCode::CREATED);
        wajib(&app, "62.71", "62.06").await.assert_status(StatusCode::CREATED);
        let far = wajib(&app, "62.71", "62.01").await;
        assert_eq!(far.code(), "case.wajib_requires_border");
        let borders = app.get("/api/v1/regions/62.71/borders").await;
        borders.assert_status(StatusCode::OK);
        let items = borders.json()["items"].as_array().unwrap().clone();
        let pulang_pisau = items.iter().find(|b| b["a"] == "62.11").unwrap();
        assert_eq!(pulang_pisau["source"], "shipped");
        assert!(pulang_pisau["note"].as_str().unwrap().contains("[U]"));
        let detail = app.get("/api/v1/regions/62.71").await.json();
        assert!(detail["neighbours"].as_array().unwrap().iter().any(|n| n["code"] == "62.11"));
    }

    async fn the_operator_corrects_a_border_and_the_correction_is_audited_and_kept(app: TestApp) {
        app.user("admin-pky", Some("62.71"), &["admin"], None).await;
        let admin = app.token_of("admin-pky").await;
        let body = json!({"present": false, "note": "Uji: koreksi menurut peta batas"});
        let forbidden = app.as_token(&admin, Method::PUT, "/api/v1/borders/62.71/62.11", Some(&body)).await;
        forbidden.assert_status(StatusCode::FORBIDDEN);
        let removed = app.send(Method::PUT, "/api/v1/borders/62.71/62.11", &body).await;
        removed.assert_status(StatusCode::OK);
        assert_eq!(removed.json()["removed"], true);
        assert_eq!(removed.json()["a"], "62.11", "stored once, smaller code first");
        assert_eq!(wajib(&app, "62.71", "62.11").await.code(), "case.wajib_requires_border");
        let added = app.send(Method::PUT, "/api/v1/borders/62.01/62.71", &json!({"present": true, "note": "Uji: batas ditambahkan"})).await;
        added.assert_status(StatusCode::OK);
        wajib(&app, "62.71", "62.01").await.assert_status(StatusCode::CREATED);

        // A newer shipped list is loaded: the operator's removal stands.
        forget_borders_version(&app).await;
        app.store.ensure_borders().await.unwrap();
        assert_eq!(wajib(&app, "62.71", "62.11").await.code(), "case.wajib_requires_border");
        let listed = app.get("/api/v1/regions/62.71/borders").await.json();
        let row = listed["items"].as_array().unwrap().iter().find(|b| b["a"] == "62.11").unwrap().clone();
        assert_eq!((row["removed"].as_bool(), row["source"].as_str()), (Some(true), Some("operator")));

        // Refused corrections change nothing.
        let no_reason = app.send(Method::PUT, "/api/v1/borders/62.71/62.06", &json!({"present": false, "note": " "})).await;
        no_reason.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let mixed = app.send(Method::PUT, "/api/v1/borders/62/62.71", &json!({"present": true, "note": "x"})).await;
        assert_eq!(mixed.code(), "border.invalid_pair");
        let unknown = app.send(Method::PUT, "/api/v1/borders/62.71/62.99", &json!({"present": true, "note": "x"})).await;
        unknown.assert_status(StatusCode::NOT_FOUND);
        wajib(&app, "62.71", "62.06").await.assert_status(StatusCode::CREATED);

        let sql = "SELECT action FROM audit_log WHERE subject_kind = 'region_border' ORDER BY seq";
        let actions: Vec<String> = match app.store.db() {
            sinergi_store::Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
            sinergi_store::Db::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
        };
        assert_eq!(actions, ["border.remove", "border.add"], "every correction is audited, refusals are not");
        assert!(app.store.verify_audit().await.unwrap().is_ok());
    }
}

/// The same corrections from the command line.
#[test]
fn the_operator_corrects_borders_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display());
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sinergi"))
            .env_remove("SINERGI_DATABASE_URL")
            .env("RUST_LOG", "warn")
            .current_dir(dir.path())
            .args(args)
            .args(["--database-url", &url])
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, text, err) = run(&["borders", "list", "62.71"]);
    assert!(ok, "{err}");
    assert!(text.contains("62.11\tberbatasan\tshipped"), "{text}");
    let (ok, text, err) = run(&[
        "borders",
        "remove",
        "62.71",
        "62.11",
        "--note",
        "Peta BIG 2026",
    ]);
    assert!(ok, "{err}");
    assert!(text.contains("tidak berbatasan"));
    let (ok, text, _) = run(&["borders", "list", "62.71"]);
    assert!(ok);
    assert!(
        text.contains("62.11\tDIHAPUS (removed)\toperator\tPeta BIG 2026"),
        "{text}"
    );
    let (ok, _, err) = run(&["borders", "add", "62", "62.71", "--note", "x"]);
    assert!(!ok);
    assert!(err.contains("keduanya provinsi"), "{err}");
}

on_both! {
    async fn a_case_between_cities_on_forestry_is_warned_not_refused(app: TestApp) {
        let fields = json!([{"code": "kehutanan_perkebunan"}]);
        let kota = app.post("/api/v1/cases", &json!({"title": "Hutan kota", "kind": "ksdd_sukarela", "fields": fields, "parties": [{"region": "62.71"}, {"region": "51.71"}]})).await;
        kota.assert_status(StatusCode::CREATED);
        let page = app.get_staff(&format!("/kerja-sama/{}", kota.json()["id"].as_str().unwrap())).await.text();
        assert!(page.contains("id=\"kewenangan-1\"") && page.contains("kewenangan provinsi"), "{page}");
        let provinces = app.post("/api/v1/cases", &json!({"title": "Hutan lindung", "kind": "ksdd_sukarela", "fields": fields, "parties": [{"region": "62"}, {"region": "51.71"}]})).await;
        let page = app.get_staff(&format!("/kerja-sama/{}", provinces.json()["id"].as_str().unwrap())).await.text();
        assert!(!page.contains("id=\"kewenangan-1\""), "a province among the parties holds the competence");
        let rules = app.get("/api/v1/rule-sets").await.json();
        assert!(rules.to_string().contains("provincial_urusan"), "the list is rule-set data with its reference");
    }
}
