//! Store-level guarantees that must hold on both backends.

use crate::{on_both, open_case};
use serde_json::json;
use sinergi_domain::case::CasePatch;
use sinergi_domain::ids::CaseId;
use sinergi_store::{Db, StoreError};

on_both! {
    async fn two_concurrent_edits_never_lose_an_update(app: TestApp) {
        let case = open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let id: CaseId = case["id"].as_str().unwrap().parse().unwrap();
        let patch = |title: &str| CasePatch { expected_version: 1, title: Some(title.to_owned()), object: None, background: None,
            fields: None, objectives: None, sources: None, published: None };
        let (a, b) = (patch("Judul dari Kalimantan Tengah"), patch("Judul dari Bali"));
        let now = app.now();
        let (ka, kb) = (sinergi_domain::access::Actor::system("kalteng"), sinergi_domain::access::Actor::system("bali"));
        let (ra, rb) = tokio::join!(
            app.store.patch_case(id, &a, &ka, now),
            app.store.patch_case(id, &b, &kb, now),
        );
        let wins = [&ra, &rb].iter().filter(|r| r.is_ok()).count();
        assert_eq!(wins, 1, "exactly one edit wins: {ra:?} / {rb:?}");
        let loser = if ra.is_ok() { &rb } else { &ra };
        assert!(matches!(loser, Err(StoreError::Domain(sinergi_domain::DomainError::VersionConflict { .. }))), "{loser:?}");
        let winner_title = if ra.is_ok() { "Judul dari Kalimantan Tengah" } else { "Judul dari Bali" };
        let stored = app.store.get_case(id).await.unwrap();
        assert_eq!(stored.title, winner_title);
        assert_eq!(stored.version, 2);
        // Through HTTP the stale edit is a 409 with its code.
        let res = app.patch(&format!("/api/v1/cases/{id}"), &json!({"expected_version": 1, "title": "Terlambat"})).await;
        res.assert_status(StatusCode::CONFLICT);
        assert_eq!(res.code(), "case.version_conflict");
        assert_eq!(app.store.get_case(id).await.unwrap().title, winner_title);
        let history = app.store.case_history(id).await.unwrap();
        assert_eq!(history.iter().filter(|h| h.action == "update").count(), 1);
    }

    async fn history_rows_cannot_be_changed_or_deleted(app: TestApp) {
        let case = open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let id: CaseId = case["id"].as_str().unwrap().parse().unwrap();
        let (upd, del) = match app.store.db() {
            Db::Sqlite(p) => (
                sqlx::query("UPDATE case_history SET note = 'diubah' WHERE case_id = $1").bind(id.0).execute(p).await.map(|_| ()),
                sqlx::query("DELETE FROM case_history WHERE case_id = $1").bind(id.0).execute(p).await.map(|_| ()),
            ),
            Db::Postgres(p) => (
                sqlx::query("UPDATE case_history SET note = 'diubah' WHERE case_id = $1").bind(id.0).execute(p).await.map(|_| ()),
                sqlx::query("DELETE FROM case_history WHERE case_id = $1").bind(id.0).execute(p).await.map(|_| ()),
            ),
        };
        assert!(upd.unwrap_err().to_string().contains("append-only"));
        assert!(del.unwrap_err().to_string().contains("append-only"));
        assert_eq!(app.store.case_history(id).await.unwrap().len(), 1);
    }

    async fn a_database_refuses_a_second_kb_and_a_party_twice_even_behind_the_domain(app: TestApp) {
        let case = open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let id: CaseId = case["id"].as_str().unwrap().parse().unwrap();
        let dup = match app.store.db() {
            Db::Sqlite(p) => sqlx::query("INSERT INTO case_parties (case_id, ordinal, region_code, name, status, contact, dprd) VALUES ($1, 3, '62', 'x', 'persiapan', '{}', '{}')")
                .bind(id.0).execute(p).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query("INSERT INTO case_parties (case_id, ordinal, region_code, name, status, contact, dprd) VALUES ($1, 3, '62', 'x', 'persiapan', '{}', '{}')")
                .bind(id.0).execute(p).await.map(|_| ()),
        };
        assert!(dup.is_err(), "unique (case, region) must hold in the schema");
        let fk = match app.store.db() {
            Db::Sqlite(p) => sqlx::query("INSERT INTO case_parties (case_id, ordinal, region_code, name, status, contact, dprd) VALUES ($1, 4, '99', 'x', 'persiapan', '{}', '{}')")
                .bind(id.0).execute(p).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query("INSERT INTO case_parties (case_id, ordinal, region_code, name, status, contact, dprd) VALUES ($1, 4, '99', 'x', 'persiapan', '{}', '{}')")
                .bind(id.0).execute(p).await.map(|_| ()),
        };
        assert!(fk.is_err(), "foreign keys must be enforced");
    }

    async fn reloading_reference_data_and_the_demo_is_idempotent(app: TestApp) {
        let report = app.store.ensure_reference_data().await.unwrap();
        assert!(!report.loaded);
        assert!(app.store.load_founding_case(app.now()).await.unwrap());
        assert!(!app.store.load_founding_case(app.now()).await.unwrap());
        assert_eq!(app.get("/api/v1/cases").await.json()["total"], 1);
    }
}
