//! Issue 22: rule sets are versioned data a deployment adds (API and CLI) with a first day;
//! a case keeps the set it was opened under.

use crate::on_both;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use sinergi_test_support::TestApp;

async fn forestry_between_cities(app: &TestApp) -> String {
    let created = app
        .post(
            "/api/v1/cases",
            &json!({"title": "Hutan kota", "kind": "ksdd_sukarela", "fields": [{"code": "kehutanan_perkebunan"}],
                "parties": [{"region": "62.71"}, {"region": "51.71"}]}),
        )
        .await;
    created.assert_status(StatusCode::CREATED);
    created.json()["id"].as_str().unwrap().to_owned()
}

/// The built-in set as stored, made into version 2 from `from`, with no provincial urusan.
async fn next_version(app: &TestApp, from: time::Date) -> Value {
    let sets = app.get("/api/v1/rule-sets").await.json();
    let mut v2 = sets["items"][0].clone();
    v2["version"] = json!(2);
    v2["effective_from"] = json!(from.to_string());
    v2["title"] = json!("KSDD menurut Pergub uji 2026");
    v2["provincial_urusan"] = json!([]);
    v2["references"]["provincial_urusan"]["citation"] = json!("Pergub uji: tidak ada pembatasan");
    v2
}

on_both! {
    async fn a_new_rule_set_applies_to_cases_opened_from_its_first_day_only(app: TestApp) {
        let before = forestry_between_cities(&app).await;
        let tomorrow = app.now().date().next_day().unwrap();
        let v2 = next_version(&app, tomorrow).await;

        // Only the operator adds rules.
        app.user("admin-pky", Some("62.71"), &["admin"], None).await;
        let admin = app.token_of("admin-pky").await;
        app.as_token(&admin, Method::POST, "/api/v1/rule-sets", Some(&v2)).await.assert_status(StatusCode::FORBIDDEN);

        // Refused sets store nothing, and say what is wrong.
        let mut bad = v2.clone();
        bad["version"] = json!(1);
        bad["effective_from"] = json!("2020-01-01");
        bad["pks_max_term_years"] = json!(0);
        bad["references"].as_object_mut().unwrap().remove("dprd_gate");
        let refused = app.send(Method::POST, "/api/v1/rule-sets", &bad).await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = refused.json()["error"]["fields"].as_array().unwrap().iter()
            .map(|f| f["field"].as_str().unwrap().to_owned()).collect();
        assert_eq!(fields, ["version", "effective_from", "pks_max_term_years", "references.dprd_gate"], "{}", refused.text());
        assert!(refused.text().contains("sudah lewat") || refused.text().contains("has passed"), "{}", refused.text());
        let mut broken = v2.clone();
        broken.as_object_mut().unwrap().remove("pks_max_term_years");
        app.send(Method::POST, "/api/v1/rule-sets", &broken).await.assert_status(StatusCode::BAD_REQUEST);
        assert_eq!(app.get("/api/v1/rule-sets").await.json()["total"], 1);

        let added = app.send(Method::POST, "/api/v1/rule-sets", &v2).await;
        added.assert_status(StatusCode::CREATED);
        // The same version twice is refused: a stored version never changes.
        let again = app.send(Method::POST, "/api/v1/rule-sets", &v2).await;
        again.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.text().contains("not_newer"), "{}", again.text());

        // Today the old set is still in force.
        let same_day = forestry_between_cities(&app).await;
        let c = app.get_staff(&format!("/api/v1/cases/{same_day}")).await.json();
        assert_eq!(c["rule_set"], json!({"id": "ksdd-permendagri-22-2020", "version": 1}));

        app.clock.advance(time::Duration::days(2));
        let after = forestry_between_cities(&app).await;
        let c = app.get_staff(&format!("/api/v1/cases/{after}")).await.json();
        assert_eq!(c["rule_set"], json!({"id": "ksdd-permendagri-22-2020", "version": 2}));
        let c = app.get_staff(&format!("/api/v1/cases/{before}")).await.json();
        assert_eq!(c["rule_set"]["version"], 1, "the earlier case keeps its rules");

        // The rule shows: the earlier case is still warned on kehutanan, the new one is not.
        let old_page = app.get_staff(&format!("/kerja-sama/{before}")).await.text();
        assert!(old_page.contains("id=\"kewenangan-1\""), "{old_page}");
        assert!(old_page.contains("ksdd-permendagri-22-2020 v1"), "{old_page}");
        let new_page = app.get_staff(&format!("/kerja-sama/{after}")).await.text();
        assert!(!new_page.contains("id=\"kewenangan-1\""), "{new_page}");
        assert!(new_page.contains("ksdd-permendagri-22-2020 v2") && new_page.contains("Pergub uji"), "{new_page}");

        let sql = "SELECT subject_id FROM audit_log WHERE action = 'rule_set.add'";
        let audited: Vec<String> = match app.store.db() {
            sinergi_store::Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
            sinergi_store::Db::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
        };
        assert_eq!(audited, ["ksdd-permendagri-22-2020/2"]);
    }
}

#[test]
fn the_operator_adds_a_rule_set_from_the_command_line() {
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
    let (ok, text, err) = run(&["rules", "show", "ksdd-permendagri-22-2020"]);
    assert!(ok, "{err}");
    let mut set: Value = serde_json::from_str(&text).unwrap();
    set["version"] = json!(2);
    set["pks_max_term_years"] = json!(3);
    let file = dir.path().join("v2.json");
    std::fs::write(&file, set.to_string()).unwrap();
    // Its first day is still the built-in set's (2020): refused, in Indonesian.
    let (ok, _, err) = run(&["rules", "add", file.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("effective_from") && err.contains("sudah lewat"),
        "{err}"
    );
    #[expect(
        clippy::disallowed_methods,
        reason = "the command line runs on the machine's clock, so its tomorrow is the test's"
    )]
    let today = time::OffsetDateTime::now_utc().date().next_day().unwrap();
    set["effective_from"] = json!(today.to_string());
    std::fs::write(&file, set.to_string()).unwrap();
    let (ok, text, err) = run(&["rules", "add", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(text.contains("versi 2"), "{text}");
    let (ok, text, _) = run(&["rules", "list"]);
    assert!(ok);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with("ksdd-permendagri-22-2020\t2\t"),
        "{text}"
    );
    // A file that is not a rule set, and a huge one, are refused before anything is stored.
    std::fs::write(&file, "{\"id\": 3}").unwrap();
    let (ok, _, err) = run(&["rules", "add", file.to_str().unwrap()]);
    assert!(!ok && err.contains("bukan aturan"), "{err}");
    std::fs::write(&file, vec![b' '; 300 * 1024]).unwrap();
    let (ok, _, err) = run(&["rules", "add", file.to_str().unwrap()]);
    assert!(!ok && err.contains("paling besar"), "{err}");
}
