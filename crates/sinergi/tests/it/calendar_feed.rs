//! Calendar feeds as calendar programs read them (issue 15): parsed with Python's
//! `icalendar`; absolute URLs from the configured public address only, never from the
//! request's `Host` header; SEQUENCE and LAST-MODIFIED that move when an event changes.

use crate::consumers::python;
use crate::monitoring::{active_case, governors};
use crate::on_both;
use axum::http::Method;
use serde_json::{Value, json};
use time::macros::date;

async fn feed(app: &sinergi_test_support::TestApp, host: &str) -> Value {
    let res = app
        .request(
            Method::GET,
            "/api/v1/regions/62/calendar.ics",
            None,
            &[("host", host), ("x-forwarded-proto", "https")],
        )
        .await;
    res.assert_status(axum::http::StatusCode::OK);
    assert!(
        !String::from_utf8_lossy(&res.body).contains(host),
        "the Host header reached the feed"
    );
    python("ics.py", &[], &res.body)
}

fn event<'a>(cal: &'a Value, uid_prefix: &str) -> &'a Value {
    cal["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["uid"].as_str().unwrap().starts_with(uid_prefix))
        .unwrap_or_else(|| panic!("no event {uid_prefix}: {cal}"))
}

on_both! {
    async fn feeds_link_to_the_public_address_and_version_their_events(app: TestApp) {
        app.clock.set(time::macros::datetime!(2026-06-01 02:00 UTC));
        let gubs = governors(&app).await;
        let id = active_case(&app, &gubs, date!(2026-06-01), date!(2028-05-31), None).await;
        app.post(&format!("/api/v1/cases/{id}/meetings"), &json!({"kind": "koordinasi", "title": "Rapat koordinasi",
            "date": "2026-06-10", "start_time": "10:00", "end_time": "12:00", "place": "Palangka Raya", "host_region": "62",
            "next_steps": [{"text": "Kirim laporan", "due_on": "2026-07-01"}]})).await.assert_status(axum::http::StatusCode::CREATED);
        let v = app.get_staff(&format!("/api/v1/cases/{id}")).await.json()["version"].clone();
        app.patch(&format!("/api/v1/cases/{id}"), &json!({"expected_version": v, "published": true})).await.assert_status(axum::http::StatusCode::OK);

        // A PKS signed: its end date is an event.
        let pks = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "pks", "fields": [1], "starts_on": "2026-07-01", "ends_on": "2027-06-30"})).await;
        pks.assert_status(axum::http::StatusCode::CREATED);
        let pks_id = pks.json()["id"].as_str().unwrap().to_owned();
        let url = format!("/api/v1/cases/{id}/agreements/{pks_id}");
        let mut cur = pks.json();
        for action in ["submit_review", "finalize", "request_signature"] {
            cur = app.post(&format!("{url}/transitions"), &json!({"action": action, "expected_version": cur["version"]})).await.json();
        }
        app.patch(&url, &json!({"expected_version": cur["version"], "place": "Denpasar", "signed_on": "2026-06-01",
            "parties": [{"ordinal": 1, "signatory": gubs.0, "number": "500/3/KS"}, {"ordinal": 2, "signatory": gubs.1, "number": "500/9/KS"}]}))
            .await.assert_status(axum::http::StatusCode::OK);
        // Both parties' signed scans are the evidence that signs it.
        let signed = crate::sign_with_scans(&app, &id, "pks", Some(&pks_id)).await;
        assert_eq!(signed["advanced"], "DITANDATANGANI", "{signed}");
        cur = app.get_staff(&url).await.json();

        let cal = feed(&app, "evil.example").await;
        assert_eq!(cal["version"], "2.0");
        let events = cal["events"].as_array().unwrap();
        assert_eq!(events.len(), 4, "meeting, next step, KB end, PKS end: {cal}");
        for e in events {
            assert_eq!(e["url"], format!("http://127.0.0.1:8080/kerja-sama/{id}"), "{e}");
            assert!(e["sequence"].is_u64(), "{e}");
            assert!(e["last_modified"].is_string(), "{e}");
            assert!(e["dtstamp"].is_string(), "{e}");
        }
        let meeting = event(&cal, "meeting-");
        assert_eq!(meeting["sequence"], 0);
        assert_eq!(meeting["dtstart"], "2026-06-10T03:00:00+00:00");
        let pks_end = event(&cal, &format!("end-{pks_id}@"));
        assert_eq!(pks_end["dtstart"], "2027-06-30");
        let before = pks_end["sequence"].as_u64().unwrap();
        assert_eq!(before, u64::try_from(cur["version"].as_i64().unwrap() - 1).unwrap());
        let modified = pks_end["last_modified"].as_str().unwrap().to_owned();

        // The PKS changes (implementation starts a day later): same UID, higher SEQUENCE,
        // later LAST-MODIFIED.
        app.clock.advance(time::Duration::days(1));
        app.post(&format!("{url}/transitions"), &json!({"action": "start_implementation", "expected_version": cur["version"]}))
            .await.assert_status(axum::http::StatusCode::OK);
        let cal = feed(&app, "sinergi.attacker.test").await;
        let pks_end = event(&cal, &format!("end-{pks_id}@"));
        assert_eq!(pks_end["sequence"].as_u64().unwrap(), before + 1);
        assert!(pks_end["last_modified"].as_str().unwrap() > modified.as_str(), "{pks_end}");
        assert_eq!(cal["events"].as_array().unwrap().len(), 4, "a change is not a new event");

        // The private feed's address is absolute too, on the public address.
        crate::monitoring::add_user(&app, "admin", "62", &["admin"], None, None).await;
        let tok = app.token_of("admin").await;
        let link = app.as_token(&tok, Method::POST, "/api/v1/me/calendar-feed", Some(&json!({}))).await;
        link.assert_status(axum::http::StatusCode::CREATED);
        let url = link.json()["url"].as_str().unwrap().to_owned();
        let path = url.strip_prefix("http://127.0.0.1:8080").unwrap_or_else(|| panic!("{url}"));
        let private = app.request(Method::GET, path, None, &[("host", "evil.example")]).await;
        private.assert_status(axum::http::StatusCode::OK);
        let cal = python("ics.py", &[], &private.body);
        assert_eq!(cal["events"].as_array().unwrap().len(), 4);
    }
}
