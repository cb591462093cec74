//! Implementation and monitoring: the job queue, staged reminders through a simulated
//! two-year agreement life with a controlled clock (worker restarted, a worker killed
//! mid-job, days skipped), e-mail through a real SMTP sink, work plans, M&E, reports and
//! calendar feeds — on both backends.

use crate::{official, on_both, open_case};
use serde_json::{Value, json};
use sinergi_store::{Db, Store};
use sinergi_test_support::{SmtpSink, TestApp};
use sinergi_worker::{MailSettings, Worker, WorkerConfig};
use std::collections::BTreeSet;
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

/// The kinds of the notices of acts to the other party (issue 13), told apart from reminders.
const ACT_NOTICES: [&str; 9] = [
    "offer_sent",
    "reply",
    "comment",
    "ready_to_sign",
    "signed",
    "dprd_decision",
    "pks_proposed",
    "evaluation_submitted",
    "stage",
];

pub async fn add_user(
    app: &TestApp,
    username: &str,
    region: &str,
    roles: &[&str],
    email: Option<&str>,
    unit: Option<&str>,
) -> Uuid {
    let id = Uuid::new_v4();
    let now = app.now();
    macro_rules! run {
        ($p:expr) => {{
            sqlx::query(
                "INSERT INTO users (id, username, display_name, email, region_code, unit, official_id, password_hash, oidc_subject, language, \
                 failed_logins, locked_until, sessions_valid_after, disabled, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, NULL, 'id', 0, NULL, $7, FALSE, 1, $7, $7)",
            )
            .bind(id).bind(username).bind(username).bind(email).bind(region).bind(unit).bind(now)
            .execute($p).await.unwrap();
            for r in roles {
                sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                    .bind(id).bind(*r).execute($p).await.unwrap();
            }
        }};
    }
    match app.store.db() {
        Db::Sqlite(p) => run!(p),
        Db::Postgres(p) => run!(p),
    }
    id
}

async fn case_version(app: &TestApp, id: &str) -> i64 {
    app.get_staff(&format!("/api/v1/cases/{id}")).await.json()["version"]
        .as_i64()
        .unwrap()
}

/// An AKTIF case between Kalimantan Tengah (62) and Bali (51) with a signed KB of the given
/// term; returns the case id.
pub async fn active_case(
    app: &TestApp,
    gubs: &(String, String),
    kb_start: Date,
    kb_end: Date,
    predecessor: Option<&str>,
) -> String {
    let case = match predecessor {
        None => open_case(app, "ksdd_sukarela", &["62", "51"]).await,
        Some(p) => {
            let res = app.post("/api/v1/cases", &json!({"title": "Perpanjangan kerja sama", "kind": "ksdd_sukarela",
                "parties": [{"region": "62"}, {"region": "51"}], "fields": [{"code": "pariwisata_kebudayaan"}], "predecessor": p})).await;
            res.assert_status(axum::http::StatusCode::CREATED);
            res.json()
        }
    };
    let id = case["id"].as_str().unwrap().to_owned();
    let kb = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "kb", "starts_on": kb_start.to_string(), "ends_on": kb_end.to_string()})).await;
    kb.assert_status(axum::http::StatusCode::CREATED);
    let kb = kb.json();
    let kb_url = format!(
        "/api/v1/cases/{id}/agreements/{}",
        kb["id"].as_str().unwrap()
    );
    app.patch(&kb_url, &json!({"expected_version": kb["version"], "place": "Palangka Raya", "signed_on": kb_start.to_string(),
        "parties": [{"ordinal": 1, "signatory": gubs.0, "number": "100/1/KS"}, {"ordinal": 2, "signatory": gubs.1, "number": "075/2/KS"}]}))
        .await.assert_status(axum::http::StatusCode::OK);
    app.store
        .record_signed(
            id.parse().unwrap(),
            "Dicatat untuk uji",
            &sinergi_domain::access::Actor::system("admin"),
            app.now(),
        )
        .await
        .unwrap();
    for party in [1, 2] {
        let v = case_version(app, &id).await;
        app.patch(
            &format!("/api/v1/cases/{id}/parties/{party}"),
            &json!({"expected_version": v,
            "dprd": {"burdens_public": false, "budgeted_in_current_apbd": true}}),
        )
        .await
        .assert_status(axum::http::StatusCode::OK);
    }
    let v = case_version(app, &id).await;
    let res = app
        .post(
            &format!("/api/v1/cases/{id}/transitions"),
            &json!({"action": "activate", "expected_version": v}),
        )
        .await;
    assert_eq!(res.json()["case"]["stage"], "AKTIF", "{}", res.json());
    id
}

/// A PKS in PELAKSANAAN for field 1; returns its id.
pub async fn pks_in_implementation(
    app: &TestApp,
    id: &str,
    gubs: &(String, String),
    start: Date,
    end: Date,
) -> String {
    let pks = app.post(&format!("/api/v1/cases/{id}/agreements"), &json!({"kind": "pks", "fields": [1], "starts_on": start.to_string(), "ends_on": end.to_string()})).await;
    pks.assert_status(axum::http::StatusCode::CREATED);
    let pks_id = pks.json()["id"].as_str().unwrap().to_owned();
    let url = format!("/api/v1/cases/{id}/agreements/{pks_id}");
    let mut cur = pks.json();
    for action in ["submit_review", "finalize", "request_signature"] {
        cur = app
            .post(
                &format!("{url}/transitions"),
                &json!({"action": action, "expected_version": cur["version"]}),
            )
            .await
            .json();
    }
    app.patch(&url, &json!({"expected_version": cur["version"], "place": "Denpasar", "signed_on": app.now().date().to_string(),
        "parties": [{"ordinal": 1, "signatory": gubs.0, "number": "500/3/KS"}, {"ordinal": 2, "signatory": gubs.1, "number": "500/9/KS"}]}))
        .await
        .assert_status(axum::http::StatusCode::OK);
    // Both parties' signed scans, validated: the PKS is signed on that evidence.
    let signed = crate::sign_with_scans(app, id, "pks", Some(&pks_id)).await;
    assert_eq!(signed["advanced"], "DITANDATANGANI", "{signed}");
    cur = app.get_staff(&url).await.json();
    let res = app
        .post(
            &format!("{url}/transitions"),
            &json!({"action": "start_implementation", "expected_version": cur["version"]}),
        )
        .await;
    res.assert_status(axum::http::StatusCode::OK);
    cur = res.json();
    assert_eq!(cur["status"], "PELAKSANAAN");
    pks_id
}

pub async fn governors(app: &TestApp) -> (String, String) {
    (
        official(
            app,
            "62",
            "Gubernur A",
            "Gubernur Kalimantan Tengah",
            "kepala_daerah",
            "definitif",
        )
        .await,
        official(
            app,
            "51",
            "Gubernur B",
            "Gubernur Bali",
            "kepala_daerah",
            "definitif",
        )
        .await,
    )
}

fn worker(app: &TestApp, sink: &SmtpSink, name: &str) -> Worker {
    let mut c = WorkerConfig::named(name);
    c.mail = Some(MailSettings::plain(
        "127.0.0.1",
        sink.port,
        "sinergi@test.invalid",
    ));
    Worker::new(app.store.clone(), c)
}

/// 09:00 WIB of a day.
fn morning(d: Date) -> OffsetDateTime {
    d.with_hms(2, 0, 0).unwrap().assume_utc()
}

type Sent = BTreeSet<(String, String, String, String, Date)>;

fn expect(out: &mut Sent, kind: &str, lead: &str, on: Date, users: &[(&str, bool)]) {
    for (u, email) in users {
        out.insert((kind.into(), lead.into(), (*u).into(), "in_app".into(), on));
        if *email {
            out.insert((kind.into(), lead.into(), (*u).into(), "email".into(), on));
        }
    }
}

on_both! {
    async fn reminders_through_a_two_year_agreement_life_go_out_exactly_once(app: TestApp) {
        let sink = SmtpSink::start().await;
        let gubs = governors(&app).await;
        add_user(&app, "admin62", "62", &["admin"], Some("admin62@kalteng.test"), None).await;
        add_user(&app, "gub62", "62", &["kepala_daerah"], Some("gubernur@kalteng.test"), None).await;
        add_user(&app, "opd62", "62", &["opd_implementer"], Some("dispar@kalteng.test"), Some("Dinas Pariwisata")).await;
        add_user(&app, "admin51", "51", &["admin"], None, None).await;
        add_user(&app, "member51", "51", &["tkksd_member"], Some("tkksd@bali.test"), None).await;
        add_user(&app, "admin63", "63", &["admin"], Some("admin@kalsel.test"), None).await;

        // The agreement: a KB of two years, a PKS of one year in implementation, an activity
        // whose Kalimantan Tengah OPD makes opd62 a recipient, a meeting in September.
        app.clock.set(datetime!(2026-06-01 02:00 UTC));
        let id = active_case(&app, &gubs, date!(2026-06-01), date!(2028-05-31), None).await;
        let pks = pks_in_implementation(&app, &id, &gubs, date!(2026-07-01), date!(2027-06-30)).await;
        app.post(&format!("/api/v1/cases/{id}/activities"), &json!({"field": 1, "title": "Pameran bersama",
            "responsible": [{"party": 1, "unit": "Dinas Pariwisata"}, {"party": 2, "unit": "Dinas Pariwisata Provinsi Bali"}],
            "indicators": [{"name": "Pameran terselenggara", "unit": "kali", "target": 2}]})).await.assert_status(axum::http::StatusCode::CREATED);
        app.post(&format!("/api/v1/cases/{id}/meetings"), &json!({"kind": "koordinasi", "title": "Rapat koordinasi pelaksanaan",
            "date": "2026-09-15", "start_time": "10:00", "place": "Denpasar", "host_region": "51"})).await.assert_status(axum::http::StatusCode::CREATED);
        // A second agreement, renewed by a successor case in January 2027: its reminders stop.
        let old = active_case(&app, &gubs, date!(2026-06-01), date!(2027-03-31), None).await;

        let skipped = |d: Date| (date!(2027-04-28)..=date!(2027-05-03)).contains(&d) || (date!(2028-02-25)..=date!(2028-04-03)).contains(&d);
        let mut w = worker(&app, &sink, "a");
        let mut day = date!(2026-06-01);
        let mut generation = 0;
        while day <= date!(2028-06-05) {
            if skipped(day) {
                day = day.next_day().unwrap();
                continue;
            }
            app.clock.set(morning(day));
            // The worker is stopped and started again every month.
            if day.day() == 1 {
                generation += 1;
                w = worker(&app, &sink, &format!("gen{generation}"));
            }
            if day == date!(2026-12-01) {
                // A worker dies holding the day's sweep: nobody else may take it until its
                // lease runs out, then the next worker does, and nothing goes out twice.
                let dead = worker(&app, &sink, "dead");
                dead.schedule(app.now()).await.unwrap();
                let held = app.store.claim_job("dead", app.now(), Duration::minutes(5)).await.unwrap().unwrap();
                assert_eq!(held.kind, "daily_sweep");
                let r = w.run_once(app.now()).await.unwrap();
                assert!(r.done.is_empty(), "a leased job must not be taken: {r:?}");
                let later = app.now() + Duration::minutes(10);
                let r = w.run_once(later).await.unwrap();
                assert_eq!(r.done.iter().filter(|(_, k)| k == "daily_sweep").count(), 1);
                let job = app.store.list_jobs(None, 1000).await.unwrap().into_iter().find(|j| j.id == held.id).unwrap();
                assert_eq!((job.status.as_str(), job.attempts), ("done", 2));
                assert_eq!(job.claimed_by.as_deref(), Some(w.id()));
            } else {
                let r = w.run_once(app.now()).await.unwrap();
                assert!(r.failed.is_empty(), "{day}: {r:?}");
                // Running again the same day sends nothing new.
                let again = w.run_once(app.now() + Duration::hours(3)).await.unwrap();
                assert!(again.done.iter().all(|(_, k)| k != "send_email"), "{day}: {again:?}");
            }
            if day == date!(2027-01-10) {
                active_case(&app, &gubs, date!(2027-01-10), date!(2029-01-09), Some(&old)).await;
            }
            if day == date!(2027-01-20) {
                // The admin form of 2026-S2 is submitted: the H-0 evaluation reminder is not needed.
                let f = app.post(&format!("/api/v1/cases/{id}/evaluations"), &json!({"agreement": pks, "period": "2026-S2", "form": "admin",
                    "answers": admin_answers(), "rating": 4, "recommendation": "dilanjutkan"})).await;
                f.assert_status(axum::http::StatusCode::OK);
                let f = f.json();
                app.post(&format!("/api/v1/cases/{id}/evaluations/{}/steps", f["id"].as_str().unwrap()),
                    &json!({"step": "submit", "expected_version": f["version"]})).await.assert_status(axum::http::StatusCode::OK);
            }
            day = day.next_day().unwrap();
        }

        let mut expected = Sent::new();
        let end_users = [("admin51", false), ("admin62", true), ("gub62", true), ("opd62", true)];
        expect(&mut expected, "meeting_tomorrow", "H-1", date!(2026-09-14), &[("admin51", false), ("admin62", true), ("member51", true)]);
        expect(&mut expected, "agreement_end", "H-90", date!(2026-12-31), &[("admin51", false), ("admin62", true), ("gub62", true)]);
        expect(&mut expected, "evaluation_due", "H-14", date!(2027-01-17), &[("admin51", false), ("admin62", true), ("opd62", true)]);
        for (lead, on) in [("H-90", date!(2027-04-01)), ("H-60", date!(2027-05-04)), ("H-30", date!(2027-05-31)), ("H-7", date!(2027-06-23)), ("H-0", date!(2027-06-30))] {
            expect(&mut expected, "agreement_end", lead, on, &end_users);
        }
        for (lead, on) in [("H-60", date!(2028-04-04)), ("H-30", date!(2028-05-01)), ("H-7", date!(2028-05-24)), ("H-0", date!(2028-05-31))] {
            expect(&mut expected, "agreement_end", lead, on, &end_users);
        }
        let ledger = app.store.reminder_ledger().await.unwrap();
        let got: Sent = ledger.iter().map(|l| (l.kind.clone(), l.lead.clone(), l.username.clone(), l.channel.clone(), l.sent_on)).collect();
        assert_eq!(got.len(), ledger.len(), "a ledger key twice");
        let missing: Vec<_> = expected.difference(&got).collect();
        let extra: Vec<_> = got.difference(&expected).collect();
        assert!(missing.is_empty() && extra.is_empty(), "missing {missing:#?}\nextra {extra:#?}");
        // The caught-up stage keeps its own due date.
        assert!(ledger.iter().any(|l| l.lead == "H-60" && l.due_on == date!(2027-05-01) && l.sent_on == date!(2027-05-04)));

        // Every e-mail reached the SMTP sink exactly once; every in-app one is a notification.
        let emails = ledger.iter().filter(|l| l.channel == "email").count();
        let mails = sink.messages();
        assert_eq!(mails.len(), emails);
        let outbox = app.store.outbox(None).await.unwrap();
        assert_eq!(outbox.len(), emails);
        assert!(outbox.iter().all(|e| e.status == "sent"), "{outbox:?}");
        let mut subjects: Vec<String> = mails.iter().map(|m| format!("{} {}", m.to.join(","), m.header("subject").unwrap())).collect();
        subjects.sort();
        subjects.dedup();
        assert_eq!(subjects.len(), mails.len(), "an e-mail went out twice");
        assert!(mails.iter().any(|m| m.to == ["gubernur@kalteng.test"] && m.header("subject").unwrap().contains("Kesepakatan Bersama berakhir hari ini (H-0)")));
        assert!(mails.iter().all(|m| m.to != ["admin@kalsel.test"]));
        // (Besides the notices of the acts that walked the case, issue 13.)
        let bell = app.store.notifications_for("admin51", 500).await.unwrap();
        let reminders = bell.iter().filter(|n| !ACT_NOTICES.contains(&n.kind.as_str())).count();
        assert_eq!(reminders, ledger.iter().filter(|l| l.username == "admin51").count());

        // The automatic transitions ran on the same scheduler and are in the history.
        let pks_now = app.get_staff(&format!("/api/v1/cases/{id}/agreements/{pks}")).await.json();
        assert_eq!(pks_now["status"], "SELESAI");
        let case_now = app.get_staff(&format!("/api/v1/cases/{id}")).await.json();
        assert_eq!(case_now["stage"], "BERAKHIR");
        assert_eq!(case_now["termination"]["reason"], "jangka_waktu_habis");
        assert_eq!(case_now["termination"]["effective_on"], "2028-05-31");
        let history = app.get_staff(&format!("/api/v1/cases/{id}/history")).await.json();
        let auto: Vec<(String, String)> = history["items"].as_array().unwrap().iter()
            .filter(|h| h["actor"] == "sistem")
            .map(|h| (h["action"].as_str().unwrap().to_owned(), h["at"].as_str().unwrap()[..10].to_owned())).collect();
        assert_eq!(auto, [("pks_finish".to_owned(), "2027-07-01".to_owned()), ("end".to_owned(), "2028-06-01".to_owned())]);
        let old_now = app.get_staff(&format!("/api/v1/cases/{old}")).await.json();
        assert_eq!(old_now["stage"], "BERAKHIR");
    }

    async fn the_worker_command_sends_the_outbox_and_lists_it(app: TestApp) {
        let sink = SmtpSink::start().await;
        let gubs = governors(&app).await;
        add_user(&app, "admin62", "62", &["admin"], Some("admin62@kalteng.test"), None).await;
        active_case(&app, &gubs, date!(2026-06-01), date!(2026-09-01), None).await;
        let (url, port) = (app.url.clone(), sink.port);
        let worker_at = move |now: &'static str| {
            let url = url.clone();
            tokio::task::spawn_blocking(move || {
                std::process::Command::new(env!("CARGO_BIN_EXE_sinergi"))
                    .env_remove("SINERGI_DATABASE_URL")
                    .env("RUST_LOG", "warn")
                    .env("SINERGI_EMAIL__SMTP_HOST", "127.0.0.1")
                    .env("SINERGI_EMAIL__SMTP_PORT", port.to_string())
                    .args(["worker", "--once", "--now", now, "--database-url", &url])
                    .output()
                    .unwrap()
            })
        };
        let out = worker_at("2026-06-03T09:00:00+07:00").await.unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(sink.messages().len(), 1, "H-90 of a KB ending 2026-09-01 is due on 2026-06-03");
        // The same day again: nothing new.
        let out = worker_at("2026-06-03T15:00:00+07:00").await.unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(sink.messages().len(), 1);
        let list = std::process::Command::new(env!("CARGO_BIN_EXE_sinergi"))
            .env_remove("SINERGI_DATABASE_URL")
            .args(["notifications", "list", "--format", "json", "--database-url", &app.url])
            .output()
            .unwrap();
        assert!(list.status.success(), "{}", String::from_utf8_lossy(&list.stderr));
        let v: Value = serde_json::from_slice(&list.stdout).unwrap();
        assert_eq!(v["total"], 1);
        assert_eq!(v["items"][0]["to_address"], "admin62@kalteng.test");
        assert_eq!(v["items"][0]["status"], "sent");
        assert!(v["items"][0]["subject"].as_str().unwrap().contains("H-90"));
    }
}

/// A page as signed-in staff (the session cookie of the web interface).
pub async fn page_as_staff(app: &TestApp, uri: &str) -> sinergi_test_support::TestResponse {
    let auth = format!("Bearer {}", sinergi_test_support::TOKEN);
    app.request(
        axum::http::Method::GET,
        uri,
        None,
        &[("authorization", &auth)],
    )
    .await
}

pub fn admin_answers() -> Value {
    let keys = [
        "kesesuaian_tujuan",
        "ketepatan_waktu",
        "kontribusi_mitra",
        "tingkat_koordinasi",
        "capaian_indikator",
        "dampak_pelaksanaan",
        "inovasi_manfaat",
        "kelengkapan_dokumen",
        "pelaporan_berkala",
        "kendala_administrasi",
        "relevansi_kebutuhan",
        "saran",
        "bukti",
    ];
    let mut m = serde_json::Map::new();
    for k in keys {
        m.insert(k.to_owned(), json!({"score": 4, "note": "Baik"}));
    }
    Value::Object(m)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_on_postgresql_claim_each_job_once() {
    let Some(app) = TestApp::postgres().await else {
        eprintln!("skipped: {} is not set", sinergi_test_support::POSTGRES_ENV);
        return;
    };
    let now = app.now();
    let mut ids = BTreeSet::new();
    for i in 0..400 {
        let added = app
            .store
            .enqueue_job(
                &sinergi_store::NewJob {
                    kind: "noop",
                    payload: json!({"n": i}),
                    run_at: now,
                    dedup_key: Some(format!("noop:{i}")),
                    max_attempts: 3,
                },
                now,
            )
            .await
            .unwrap();
        assert!(added);
    }
    for j in app.store.list_jobs(Some("queued"), 1000).await.unwrap() {
        ids.insert(j.id);
    }
    assert_eq!(ids.len(), 400);
    let url = sinergi_store::DatabaseUrl::parse(&app.url).unwrap();
    let mut handles = Vec::new();
    for name in ["pg-a", "pg-b"] {
        let store = Store::connect(&url, sinergi_store::ConnectOptions::default())
            .await
            .unwrap();
        let mut c = WorkerConfig::named(name);
        c.id = name.to_owned();
        let w = Worker::new(store, c);
        handles.push(tokio::spawn(async move { w.run_due(now).await.unwrap() }));
    }
    let mut seen = BTreeSet::new();
    let mut per_worker = Vec::new();
    for h in handles {
        let r = h.await.unwrap();
        per_worker.push(r.done.len());
        for (id, _) in r.done {
            assert!(seen.insert(id), "job {id} ran twice");
        }
    }
    assert_eq!(seen, ids);
    eprintln!("jobs per worker: {per_worker:?}");
    let jobs = app.store.list_jobs(None, 1000).await.unwrap();
    assert!(
        jobs.iter().all(|j| j.status == "done" && j.attempts == 1),
        "a job was claimed twice"
    );
}

on_both! {
    async fn a_work_plan_with_evidence_programmes_and_the_three_forms(app: TestApp) {
        let gubs = governors(&app).await;
        let id = active_case(&app, &gubs, date!(2026-06-01), date!(2031-05-31), None).await;
        let pks = pks_in_implementation(&app, &id, &gubs, date!(2026-06-01), date!(2027-12-31)).await;

        // An activity needs each side's OPD and an indicator with a target.
        let bad = app.post(&format!("/api/v1/cases/{id}/activities"), &json!({"field": 9, "title": "X", "responsible": [], "indicators": []})).await;
        bad.assert_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = bad.json()["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect();
        assert!(["field", "responsible", "indicators"].iter().all(|f| fields.iter().any(|x| x == f)), "{fields:?}");
        let apbd_without_party = app.post(&format!("/api/v1/cases/{id}/activities"), &json!({"field": 1, "title": "X",
            "responsible": [{"party": 1, "unit": "Dispar"}], "budget": [{"fiscal_year": 2026, "source": "apbd", "amount": 1000}],
            "indicators": [{"name": "n", "unit": "u", "target": 1}]})).await;
        assert_eq!(apbd_without_party.json()["error"]["fields"][0]["field"], "budget[0].party");
        let a = app.post(&format!("/api/v1/cases/{id}/activities"), &json!({"field": 1, "title": "Festival budaya bersama",
            "responsible": [{"party": 1, "unit": "Dinas Kebudayaan dan Pariwisata"}, {"party": 2, "unit": "Dinas Pariwisata Provinsi Bali"}],
            "starts_on": "2026-07-01", "ends_on": "2026-12-31",
            "budget": [{"fiscal_year": 2026, "party": 1, "source": "apbd", "amount": 150000000}, {"fiscal_year": 2026, "source": "lainnya", "source_note": "CSR BUMD", "amount": 25000000}],
            "indicators": [{"name": "Festival terselenggara", "unit": "kali", "target": 2}, {"name": "Pengunjung", "unit": "orang", "target": 1000}]})).await;
        a.assert_status(axum::http::StatusCode::CREATED);
        let a = a.json();
        assert_eq!(a["agreement_id"], pks.as_str(), "field 1 is under the PKS");
        // Field 2 has no PKS: its activity goes under the KB.
        let b = app.post(&format!("/api/v1/cases/{id}/activities"), &json!({"field": 2, "title": "Pelatihan UMKM",
            "responsible": [{"party": 2, "unit": "Dinas Koperasi dan UKM"}], "indicators": [{"name": "Peserta", "unit": "orang", "target": 50}]})).await.json();
        let kb_id = app.get_staff(&format!("/api/v1/cases/{id}/agreements")).await.json()["items"].as_array().unwrap().iter()
            .find(|x| x["kind"] == "kb").unwrap()["id"].clone();
        assert_eq!(b["agreement_id"], kb_id);

        // Realisation, with evidence stored by its SHA-256; progress is computed.
        let ind = |x: &Value, i: usize| x["indicators"][i]["id"].as_str().unwrap().to_owned();
        let r = app.post(&format!("/api/v1/cases/{id}/activities/{}/realisations", a["id"].as_str().unwrap()),
            &json!({"indicator": ind(&a, 0), "value": 1, "realised_on": "2026-06-01", "note": "Festival pertama"})).await;
        r.assert_status(axum::http::StatusCode::CREATED);
        let future = app.post(&format!("/api/v1/cases/{id}/activities/{}/realisations", a["id"].as_str().unwrap()),
            &json!({"indicator": ind(&a, 1), "value": 1, "realised_on": "2030-01-01"})).await;
        assert_eq!(future.code(), "validation.failed");
        app.post(&format!("/api/v1/cases/{id}/activities/{}/realisations", a["id"].as_str().unwrap()),
            &json!({"indicator": ind(&a, 1), "value": 1500, "realised_on": "2026-06-01"})).await.assert_status(axum::http::StatusCode::CREATED);
        let photo = sinergi_test_support::PNG.to_vec();
        let auth = format!("Bearer {}", sinergi_test_support::TOKEN);
        // Evidence is checked by content: a program, or a file whose name promises another
        // kind, is refused and nothing is attached.
        for (name, bytes, code) in [("foto.png", b"MZ\x90\0program".to_vec(), "file.type_not_allowed"), ("foto.pdf", sinergi_test_support::PNG.to_vec(), "file.name_mismatch")] {
            let refused = app.request(axum::http::Method::POST,
                &format!("/api/v1/cases/{id}/realisations/{}/evidence?name={name}", r.json()["id"].as_str().unwrap()),
                Some(bytes), &[("authorization", &auth), ("content-type", "image/png")]).await;
            assert_eq!(refused.code(), code);
        }
        let up = app.request(axum::http::Method::POST,
            &format!("/api/v1/cases/{id}/realisations/{}/evidence?name=foto-festival.png", r.json()["id"].as_str().unwrap()),
            Some(photo.clone()), &[("authorization", &auth), ("content-type", "image/png")]).await;
        up.assert_status(axum::http::StatusCode::CREATED);
        // A scanned berita acara is larger than the server's general body limit (64 KiB in
        // tests); the evidence route takes files up to the upload limit.
        let mut minutes = b"%PDF-1.7\n".to_vec();
        minutes.resize(300 * 1024, b' ');
        minutes.extend_from_slice(b"\n%%EOF\n");
        let large = app.request(axum::http::Method::POST,
            &format!("/api/v1/cases/{id}/realisations/{}/evidence?name=berita-acara.pdf", r.json()["id"].as_str().unwrap()),
            Some(minutes), &[("authorization", &auth), ("content-type", "application/pdf")]).await;
        large.assert_status(axum::http::StatusCode::CREATED);
        let sha = up.json()["sha256"].as_str().unwrap().to_owned();
        assert_eq!(sha, sinergi_store::files::sha256_hex(&photo));
        let evidence_url = format!("/api/v1/cases/{id}/evidence/{}", up.json()["id"].as_str().unwrap());
        assert_eq!(app.get(&evidence_url).await.status, axum::http::StatusCode::UNAUTHORIZED, "evidence is for staff");
        let down = app.get_staff(&evidence_url).await;
        down.assert_status(axum::http::StatusCode::OK);
        assert_eq!(down.body, photo);
        assert_eq!(down.headers["content-type"], "image/png");
        let plan = app.get_staff(&format!("/api/v1/cases/{id}/work-plan")).await.json();
        assert_eq!(plan["activities"][0]["indicators"][0]["percent"], 50.0);
        assert_eq!(plan["activities"][0]["indicators"][1]["percent"], 100.0, "capped at 100 %");
        assert_eq!(plan["activities"][0]["percent"], 75.0);
        assert_eq!(plan["fields"][0]["percent"], 75.0);
        assert_eq!(plan["fields"][1]["percent"], 0.0);
        assert_eq!(plan["percent"], 37.5);
        assert_eq!(plan["activities"][0]["realisations"][0]["evidence"][0]["file_name"], "foto-festival.png");

        // Programme synergy: each side's RPJMD/RKPD programmes per field, on the case page.
        app.post(&format!("/api/v1/cases/{id}/programmes"), &json!({"party": 1, "field": 1, "plan": "rpjmd", "code": "3.26.02", "name": "Program Peningkatan Daya Tarik Destinasi Pariwisata"})).await.assert_status(axum::http::StatusCode::CREATED);
        app.post(&format!("/api/v1/cases/{id}/programmes"), &json!({"party": 2, "field": 1, "plan": "rkpd", "code": "3.26.03", "name": "Program Pemasaran Pariwisata"})).await.assert_status(axum::http::StatusCode::CREATED);
        let twice = app.post(&format!("/api/v1/cases/{id}/programmes"), &json!({"party": 2, "field": 1, "plan": "rkpd", "code": "3.26.03", "name": "Program Pemasaran Pariwisata"})).await;
        twice.assert_status(axum::http::StatusCode::CONFLICT);
        let bad_plan = app.post(&format!("/api/v1/cases/{id}/programmes"), &json!({"party": 1, "field": 1, "plan": "renstra", "code": "1", "name": "x"})).await;
        assert_eq!(bad_plan.json()["error"]["fields"][0]["field"], "plan");
        let page = page_as_staff(&app, &format!("/kerja-sama/{id}")).await;
        let html = String::from_utf8(page.body).unwrap();
        assert!(html.contains("Yang dibawa setiap pihak, per bidang"));
        assert!(html.contains("RPJMD 3.26.02 — Program Peningkatan Daya Tarik Destinasi Pariwisata"));
        assert!(html.contains("RKPD 3.26.03 — Program Pemasaran Pariwisata"));
        assert!(html.contains("OPD: Dinas Pariwisata Provinsi Bali"));
        let page = page_as_staff(&app, &format!("/kerja-sama/{id}/pemantauan")).await;
        page.assert_status(axum::http::StatusCode::OK);
        let html = String::from_utf8(page.body).unwrap();
        assert!(html.contains("Festival budaya bersama") && (html.contains("37%") || html.contains("38%")), "overall progress shown");
        assert!(html.contains("Rp150.000.000,00"));

        // The three forms: draft → submitted → reviewed; incomplete forms are refused.
        let f = app.post(&format!("/api/v1/cases/{id}/evaluations"), &json!({"agreement": pks, "period": "2026-S1", "form": "pelaksana",
            "answers": {"realisasi_kegiatan": {"score": 4}}})).await;
        f.assert_status(axum::http::StatusCode::OK);
        let f = f.json();
        let step = |e: &Value, s: &str| {
            let url = format!("/api/v1/cases/{id}/evaluations/{}/steps", e["id"].as_str().unwrap());
            let body = json!({"step": s, "expected_version": e["version"]});
            let app = &app;
            async move { app.post(&url, &body).await }
        };
        let incomplete = step(&f, "submit").await;
        assert_eq!(incomplete.code(), "validation.failed");
        let wrong = app.post(&format!("/api/v1/cases/{id}/evaluations"), &json!({"period": "2026-S1", "form": "pelaksana", "rating": 5})).await;
        assert_eq!(wrong.json()["error"]["fields"][0]["field"], "recommendation");
        let answers: serde_json::Map<String, Value> = ["realisasi_kegiatan", "kesesuaian_output", "pemanfaatan_hasil", "kendala", "keberlanjutan", "laporan"]
            .iter().map(|k| ((*k).to_owned(), json!({"score": 4, "note": "Sesuai"}))).collect();
        let f = app.post(&format!("/api/v1/cases/{id}/evaluations"), &json!({"agreement": pks, "period": "2026-S1", "form": "pelaksana", "answers": answers})).await.json();
        assert_eq!(f["version"], 2);
        let submitted = step(&f, "submit").await.json();
        assert_eq!(submitted["status"], "submitted");
        let locked = app.post(&format!("/api/v1/cases/{id}/evaluations"), &json!({"agreement": pks, "period": "2026-S1", "form": "pelaksana"})).await;
        assert_eq!(locked.code(), "evaluation.locked");
        let reviewed = step(&submitted, "review").await.json();
        assert_eq!((reviewed["status"].as_str(), reviewed["reviewed_by"].as_str()), (Some("reviewed"), Some("operator")));
        let lokus: serde_json::Map<String, Value> = ["kepatuhan_pks", "koordinasi", "kesesuaian_anggaran", "temuan", "rekomendasi", "catatan"]
            .iter().map(|k| ((*k).to_owned(), json!({"note": "Baik"}))).collect();
        let l = app.post(&format!("/api/v1/cases/{id}/evaluations"), &json!({"agreement": pks, "period": "2026-S1", "form": "tkksd_lokus", "answers": lokus})).await.json();
        step(&l, "submit").await.assert_status(axum::http::StatusCode::OK);
        let adm = app.post(&format!("/api/v1/cases/{id}/evaluations"), &json!({"agreement": pks, "period": "2026-S1", "form": "admin", "answers": admin_answers()})).await.json();
        let no_rec = step(&adm, "submit").await;
        let missing: Vec<String> = no_rec.json()["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect();
        assert_eq!(missing, ["rating", "recommendation"]);
        let adm = app.post(&format!("/api/v1/cases/{id}/evaluations"), &json!({"agreement": pks, "period": "2026-S1", "form": "admin", "answers": admin_answers(), "rating": 4, "recommendation": "diperluas"})).await.json();
        step(&adm, "submit").await.assert_status(axum::http::StatusCode::OK);
        let all = app.get_staff(&format!("/api/v1/cases/{id}/evaluations")).await.json();
        assert_eq!(all["total"], 3);
        assert_eq!(app.get(&format!("/api/v1/cases/{id}/evaluations")).await.status, axum::http::StatusCode::UNAUTHORIZED);
        let history = app.get_staff(&format!("/api/v1/cases/{id}/history")).await.json();
        let actions: Vec<&str> = history["items"].as_array().unwrap().iter().map(|h| h["action"].as_str().unwrap()).collect();
        for a in ["add_activity", "add_realisation", "add_evidence", "add_programme", "save_evaluation", "submit_evaluation", "review_evaluation"] {
            assert!(actions.contains(&a), "history lacks {a}");
        }

        // Reports: XLSX and PDF for the region, a province's report includes its regencies.
        for (kind, needle) in [("register", "Register Kerja Sama Daerah"), ("evaluation", "Laporan Evaluasi"), ("mapping", "Pemetaan Urusan")] {
            let x = app.get_staff(&format!("/api/v1/regions/62/reports/{kind}?format=xlsx")).await;
            x.assert_status(axum::http::StatusCode::OK);
            assert!(x.body.starts_with(b"PK"), "{kind} is a zip (XLSX)");
            let p = app.get_staff(&format!("/api/v1/regions/62/reports/{kind}?format=pdf")).await;
            assert!(p.body.starts_with(b"%PDF-"));
            let text = crate::report_outputs::pdf_text(&p.body);
            assert!(text.contains(needle), "{kind}");
        }
        let pdf = app.get_staff("/api/v1/regions/62/reports/mapping?format=pdf").await;
        let text = crate::report_outputs::pdf_text(&pdf.body);
        assert!(text.contains("3.26.02") || text.contains("RPJMD"), "the mapping shows the linked programmes");
        assert_eq!(app.get("/api/v1/regions/62/reports/register").await.status, axum::http::StatusCode::UNAUTHORIZED);
    }

    async fn calendar_feeds_and_notifications(app: TestApp) {
        let gubs = governors(&app).await;
        add_user(&app, "admin", "62", &["admin"], None, None).await;
        let id = active_case(&app, &gubs, date!(2026-06-01), date!(2028-05-31), None).await;
        app.post(&format!("/api/v1/cases/{id}/meetings"), &json!({"kind": "koordinasi", "title": "Rapat koordinasi; evaluasi, tahap 1",
            "date": "2026-06-10", "start_time": "10:00", "end_time": "12:00", "place": "Palangka Raya", "host_region": "62",
            "next_steps": [{"text": "Kirim laporan", "due_on": "2026-07-01"}]})).await.assert_status(axum::http::StatusCode::CREATED);
        // Unpublished: not in the public feed.
        let feed = app.get("/api/v1/regions/62/calendar.ics").await;
        feed.assert_status(axum::http::StatusCode::OK);
        assert_eq!(feed.headers["content-type"], "text/calendar; charset=utf-8");
        let text = String::from_utf8(feed.body).unwrap();
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && !text.contains("BEGIN:VEVENT"));
        let v = case_version(&app, &id).await;
        app.patch(&format!("/api/v1/cases/{id}"), &json!({"expected_version": v, "published": true})).await.assert_status(axum::http::StatusCode::OK);
        let text = String::from_utf8(app.get("/api/v1/regions/62/calendar.ics").await.body).unwrap();
        assert!(text.contains("SUMMARY:Rapat koordinasi\\; evaluasi\\, tahap 1\r\n"), "{text}");
        assert!(text.contains("DTSTART:20260610T030000Z\r\nDTEND:20260610T050000Z\r\n"), "10.00 WIB is 03.00 UTC: {text}");
        assert!(text.contains("DTSTART;VALUE=DATE:20280531"), "the KB's end date");
        assert!(text.contains("SUMMARY:Tenggat: Kirim laporan"));
        assert!(text.contains(&format!("URL:http://127.0.0.1:8080/kerja-sama/{id}\r\n")), "URL is an absolute URI on the public address");
        assert_eq!(app.get("/api/v1/regions/99/calendar.ics").await.status, axum::http::StatusCode::NOT_FOUND);

        // The private feed: a secret address per user, every case of the user's region.
        let tok = app.token_of("admin").await;
        let link = app.as_token(&tok, axum::http::Method::POST, "/api/v1/me/calendar-feed", Some(&json!({}))).await;
        link.assert_status(axum::http::StatusCode::CREATED);
        let url = link.json()["url"].as_str().unwrap().to_owned();
        let private = app.get(&url).await;
        private.assert_status(axum::http::StatusCode::OK);
        assert!(String::from_utf8(private.body).unwrap().contains("BEGIN:VEVENT"));
        assert_eq!(app.get("/api/v1/calendar/bukan-token/sinergi.ics").await.status, axum::http::StatusCode::NOT_FOUND);

        // Notifications of the signed-in user, from a sweep.
        let w = Worker::new(app.store.clone(), WorkerConfig::named("t"));
        w.run_once(morning(date!(2026-06-09))).await.unwrap();
        let mine = app.as_token(&tok, axum::http::Method::GET, "/api/v1/me/notifications", None).await.json();
        let reminders: Vec<&Value> = mine["items"].as_array().unwrap().iter().filter(|n| !ACT_NOTICES.contains(&n["kind"].as_str().unwrap())).collect();
        assert_eq!(reminders.len(), 1, "{mine}");
        assert_eq!(reminders[0]["kind"], "meeting_tomorrow");
        let nid = reminders[0]["id"].as_str().unwrap().to_owned();
        let bearer = format!("Bearer {tok}");
        let page = String::from_utf8(app.request(axum::http::Method::GET, "/notifikasi", None, &[("authorization", &bearer)]).await.body).unwrap();
        assert!(page.contains("Besok: Rapat koordinasi"));
        app.as_token(&tok, axum::http::Method::POST, &format!("/api/v1/me/notifications/{nid}/read"), Some(&json!({}))).await.assert_status(axum::http::StatusCode::NO_CONTENT);
        assert!(app.as_token(&tok, axum::http::Method::GET, "/api/v1/me/notifications", None).await.json()["items"][0]["read_at"].is_string());
        assert_eq!(app.get("/api/v1/me/notifications").await.status, axum::http::StatusCode::UNAUTHORIZED);
    }
}

on_both! {
    async fn the_report_command_writes_xlsx_and_pdf(app: TestApp) {
        let gubs = governors(&app).await;
        active_case(&app, &gubs, date!(2026-06-01), date!(2028-05-31), None).await;
        let dir = tempfile::tempdir().unwrap();
        for (kind, format) in [("register", "xlsx"), ("evaluation", "xlsx"), ("mapping", "xlsx"), ("register", "pdf"), ("mapping", "pdf")] {
            let out = dir.path().join(format!("{kind}.{format}"));
            let url = app.url.clone();
            let out2 = out.clone();
            let res = tokio::task::spawn_blocking(move || {
                std::process::Command::new(env!("CARGO_BIN_EXE_sinergi"))
                    .env_remove("SINERGI_DATABASE_URL")
                    .env("RUST_LOG", "warn")
                    .args(["report", kind, "--region", "62", "--format", format, "--output", out2.to_str().unwrap(), "--database-url", &url])
                    .output()
                    .unwrap()
            }).await.unwrap();
            assert!(res.status.success(), "{kind} {format}: {}", String::from_utf8_lossy(&res.stderr));
            let bytes = std::fs::read(&out).unwrap();
            match format {
                "xlsx" => assert!(bytes.starts_with(b"PK"), "{kind}"),
                _ => assert!(bytes.starts_with(b"%PDF") && crate::report_outputs::pdf_text(&bytes).contains("Kalimantan Tengah"), "{kind}"),
            }
        }
        // A province's register includes its regencies' and cities' cooperation.
        let x = app.get_staff("/api/v1/regions/62/reports/register?format=pdf").await;
        assert!(crate::report_outputs::pdf_text(&x.body).contains("Kabupaten-Kota"));
        let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_sinergi"))
            .env_remove("SINERGI_DATABASE_URL")
            .args(["report", "register", "--region", "99", "--output", dir.path().join("x.xlsx").to_str().unwrap(), "--database-url", &app.url])
            .output()
            .unwrap();
        assert!(!unknown.status.success());
    }
}

on_both! {
    async fn unanswered_offers_and_pending_dprd_decisions_are_chased_until_answered(app: TestApp) {
        let gubs = governors(&app).await;
        add_user(&app, "admin62", "62", &["admin"], None, None).await;
        add_user(&app, "admin51", "51", &["admin"], None, None).await;
        let sekda = official(&app, "62", "Sekda A", "Sekretaris Daerah", "sekda", "definitif").await;
        app.post("/api/v1/regions/62/tkksd", &json!({"members": [{"official": sekda, "position": "ketua"}]})).await
            .assert_status(axum::http::StatusCode::CREATED);
        // An offer sent on 1 June 2026.
        let offer = open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let oid = offer["id"].as_str().unwrap().to_owned();
        let step = |body: Value| {
            let oid = oid.clone();
            let app = &app;
            async move {
                let mut body = body;
                body["expected_version"] = json!(case_version(app, &oid).await);
                let r = app.post(&format!("/api/v1/cases/{oid}/transitions"), &body).await;
                r.assert_status(axum::http::StatusCode::OK);
            }
        };
        step(json!({"action": "submit"})).await;
        step(json!({"action": "start_review"})).await;
        step(json!({"action": "recommend", "recommendation": "layak", "reviewer": sekda})).await;
        let letter = app.post(&format!("/api/v1/cases/{oid}/letters"), &json!({"kind": "penawaran", "number": "000.8.3.3/15/KS", "date": "2026-06-01",
            "from_region": "62", "to_region": "51", "signatory": gubs.0, "subject": "Penawaran kerja sama", "attachments": ["kak", "rancangan_kb"]})).await.json();
        crate::write_kak(&app, &oid).await;
        step(json!({"action": "send_offer", "letter": letter["id"]})).await;
        // A KB signed on 1 June 2026 whose Kalimantan Tengah DPRD must approve it.
        let gate = open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let gid = gate["id"].as_str().unwrap().to_owned();
        let kb = app.post(&format!("/api/v1/cases/{gid}/agreements"), &json!({"kind": "kb", "starts_on": "2026-06-01", "ends_on": "2031-05-31"})).await.json();
        app.patch(&format!("/api/v1/cases/{gid}/agreements/{}", kb["id"].as_str().unwrap()), &json!({"expected_version": kb["version"], "place": "Palangka Raya",
            "signed_on": "2026-06-01", "parties": [{"ordinal": 1, "signatory": gubs.0, "number": "1"}, {"ordinal": 2, "signatory": gubs.1, "number": "2"}]}))
            .await.assert_status(axum::http::StatusCode::OK);
        app.store.record_signed(gid.parse().unwrap(), "uji", &sinergi_domain::access::Actor::system("admin"), app.now()).await.unwrap();
        for (party, budgeted) in [(1, false), (2, true)] {
            let v = case_version(&app, &gid).await;
            app.patch(&format!("/api/v1/cases/{gid}/parties/{party}"), &json!({"expected_version": v,
                "dprd": {"burdens_public": false, "budgeted_in_current_apbd": budgeted}})).await.assert_status(axum::http::StatusCode::OK);
        }
        let v = case_version(&app, &gid).await;
        let r = app.post(&format!("/api/v1/cases/{gid}/transitions"), &json!({"action": "activate", "expected_version": v})).await;
        assert_eq!(r.json()["case"]["stage"], "MENUNGGU_DPRD");

        // Bali's TKKSD will review the offer and Bali will answer with its own letter.
        let sekda_bali = official(&app, "51", "Sekda B", "Sekretaris Daerah", "sekda", "definitif").await;
        app.post("/api/v1/regions/51/tkksd", &json!({"members": [{"official": sekda_bali, "position": "ketua"}]})).await
            .assert_status(axum::http::StatusCode::CREATED);
        let w = Worker::new(app.store.clone(), WorkerConfig::named("t"));
        let mut day = date!(2026-06-01);
        while day <= date!(2026-09-30) {
            app.clock.set(morning(day));
            w.run_once(app.now()).await.unwrap();
            if day == date!(2026-07-05) {
                // The partner answers: the offer reminders stop.
                step(json!({"action": "review_offer", "recommendation": "layak", "reviewer": sekda_bali})).await;
                let reply = app.post(&format!("/api/v1/cases/{oid}/letters"), &json!({"kind": "jawaban", "number": "000/7/KS", "date": "2026-07-05",
                    "from_region": "51", "to_region": "62", "signatory": gubs.1, "subject": "Jawaban"})).await.json();
                step(json!({"action": "record_reply", "accepted": true, "letter": reply["id"]})).await;
            }
            day = day.next_day().unwrap();
        }
        let ledger = app.store.reminder_ledger().await.unwrap();
        let got: BTreeSet<(String, String, String, Date)> = ledger.iter().map(|l| (l.kind.clone(), l.lead.clone(), l.username.clone(), l.sent_on)).collect();
        assert_eq!(got.len(), ledger.len());
        assert_eq!(got, BTreeSet::from([
            ("offer_unanswered".to_owned(), "D+14".to_owned(), "admin62".to_owned(), date!(2026-06-15)),
            ("offer_unanswered".to_owned(), "D+30".to_owned(), "admin62".to_owned(), date!(2026-07-01)),
            ("dprd_pending".to_owned(), "D+30".to_owned(), "admin62".to_owned(), date!(2026-07-01)),
            ("dprd_pending".to_owned(), "D+45".to_owned(), "admin62".to_owned(), date!(2026-07-16)),
        ]));
    }
}

/// Posts a form as signed-in staff.
async fn post_form(app: &TestApp, uri: &str, form: &str) -> sinergi_test_support::TestResponse {
    let auth = format!("Bearer {}", sinergi_test_support::TOKEN);
    app.request(
        axum::http::Method::POST,
        uri,
        Some(form.as_bytes().to_vec()),
        &[
            ("authorization", &auth),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
    )
    .await
}

on_both! {
    async fn the_monitoring_page_forms_work_without_javascript(app: TestApp) {
        let gubs = governors(&app).await;
        let id = active_case(&app, &gubs, date!(2026-06-01), date!(2031-05-31), None).await;
        let base = format!("/kerja-sama/{id}/pemantauan");
        // A refused form comes back with the reason.
        let refused = post_form(&app, &format!("{base}/kegiatan"), "field=1&title=Pameran&indicator=Pameran&indicator_unit=kali&target=nol").await;
        assert_eq!(refused.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        assert!(String::from_utf8(refused.body).unwrap().contains("Isi dengan angka."));
        let ok = post_form(&app, &format!("{base}/kegiatan"),
            "field=1&title=Pameran+bersama&unit_1=Dinas+Pariwisata&unit_2=Dinas+Pariwisata+Bali&starts_on=2026-07-01&ends_on=2026-12-31\
             &fiscal_year=2026&source=apbd&source_party=1&amount=50.000.000&indicator=Pameran&indicator_unit=kali&target=4").await;
        assert_eq!(ok.status, axum::http::StatusCode::SEE_OTHER);
        assert_eq!(ok.headers["location"], format!("{base}?ok=kegiatan").as_str());
        let plan = app.get_staff(&format!("/api/v1/cases/{id}/work-plan")).await.json();
        let a = &plan["activities"][0];
        assert_eq!(a["budget"][0]["amount"], 50_000_000);
        let indicator = format!("{}:{}", a["id"].as_str().unwrap(), a["indicators"][0]["indicator"].as_str().unwrap());
        post_form(&app, &format!("{base}/realisasi"), &format!("indicator={indicator}&value=1&realised_on=2026-06-01&note=Pameran+pertama")).await
            .assert_status(axum::http::StatusCode::SEE_OTHER);
        post_form(&app, &format!("{base}/program"), "party=2&field=1&plan=rkpd&code=3.26.02&name=Pemasaran+Pariwisata").await
            .assert_status(axum::http::StatusCode::SEE_OTHER);
        post_form(&app, &format!("{base}/monev"), "form=pelaksana&period=2026-S1&agreement=&score_realisasi_kegiatan=4&note_kendala=Cuaca").await
            .assert_status(axum::http::StatusCode::SEE_OTHER);
        let html = String::from_utf8(page_as_staff(&app, &format!("{base}?ok=kegiatan")).await.body).unwrap();
        assert!(html.contains("Kegiatan ditambahkan."));
        assert!(html.contains("25%"), "1 of 4 exhibitions");
        // In a browser session every form carries the session's CSRF token, and needs it.
        app.user("admin-62", Some("62"), &["admin"], None).await;
        let s = app.sign_in("admin-62", sinergi_test_support::PASSWORD).await.unwrap();
        let page = String::from_utf8(app.get_as(&s, &base).await.body).unwrap();
        assert_eq!(page.matches("<form").count(), page.matches("name=\"_csrf\"").count(), "every form has the token");
        let fields = [("party", "1"), ("field", "1"), ("plan", "rpjmd"), ("code", "3.26.09"), ("name", "Promosi Bersama")];
        app.post_form(&s, &format!("{base}/program"), &fields, Some("palsu")).await.assert_status(axum::http::StatusCode::FORBIDDEN);
        app.post_form(&s, &format!("{base}/program"), &fields, None).await.assert_status(axum::http::StatusCode::SEE_OTHER);
        // Evidence through the page's upload form (multipart, CSRF in the form's address).
        let plan = app.get_staff(&format!("/api/v1/cases/{id}/work-plan")).await.json();
        let rid = plan["activities"][0]["realisations"][0]["id"].as_str().unwrap().to_owned();
        let bukti = format!("{base}/realisasi/{rid}/bukti");
        let up = app.post_multipart(&s, &bukti, &[("file", "berita-acara.png", sinergi_test_support::PNG)], &[]).await;
        up.assert_status(axum::http::StatusCode::SEE_OTHER);
        assert_eq!(up.headers["location"], format!("{base}?ok=bukti").as_str());
        let wrong = app.post_multipart(&s, &bukti, &[("file", "program.png", b"MZ\x90\0program")], &[]).await;
        assert!(wrong.status.is_client_error(), "{}", wrong.status);
        assert!(String::from_utf8(wrong.body).unwrap().contains("PDF, DOCX, PNG"), "the refusal names the allowed kinds");
        let forged = sinergi_test_support::Session { csrf: "palsu".into(), ..s.clone() };
        app.post_multipart(&forged, &bukti, &[("file", "lagi.png", sinergi_test_support::PNG)], &[]).await.assert_status(axum::http::StatusCode::FORBIDDEN);
        let empty = app.post_multipart(&s, &bukti, &[], &[("catatan", "tanpa berkas")]).await;
        assert_eq!(empty.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        let plan = app.get_staff(&format!("/api/v1/cases/{id}/work-plan")).await.json();
        let evidence = plan["activities"][0]["realisations"][0]["evidence"].as_array().unwrap().clone();
        assert_eq!(evidence.len(), 1, "only the accepted upload is attached");
        assert_eq!(evidence[0]["file_name"], "berita-acara.png");
        assert_eq!(evidence[0]["media_type"], "image/png");
        let page = String::from_utf8(app.get_as(&s, &format!("{base}?ok=bukti")).await.body).unwrap();
        assert!(page.contains("Berkas bukti disimpan."));
        assert!(page.contains(&format!("/api/v1/cases/{id}/evidence/{}", evidence[0]["id"].as_str().unwrap())));
        assert!(html.contains("RKPD 3.26.02 — Pemasaran Pariwisata"));
        assert!(html.contains("Realisasi kegiatan: 4/5"));
        let forms = app.get_staff(&format!("/api/v1/cases/{id}/evaluations")).await.json();
        let e = &forms["items"][0];
        let submit = post_form(&app, &format!("{base}/monev/{}", e["id"].as_str().unwrap()), &format!("step=submit&expected_version={}", e["version"])).await;
        assert_eq!(submit.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY, "an incomplete form is not submitted");
        assert!(String::from_utf8(submit.body).unwrap().contains("answers.kesesuaian_output"));
        // Anonymous visitors see the plan of a published case but no forms, and cannot post.
        assert_eq!(app.get(&base).await.status, axum::http::StatusCode::NOT_FOUND, "unpublished");
        assert_eq!(post_form_anonymous(&app, &format!("{base}/program")).await, axum::http::StatusCode::UNAUTHORIZED);
    }
}

async fn post_form_anonymous(app: &TestApp, uri: &str) -> axum::http::StatusCode {
    app.request(
        axum::http::Method::POST,
        uri,
        Some(b"party=1".to_vec()),
        &[("content-type", "application/x-www-form-urlencoded")],
    )
    .await
    .status
}

on_both! {
    async fn the_founding_case_is_assessed_activated_and_monitored_from_the_web(app: TestApp) {
        // Everything a secretariat does between a signed KB and its first realisation, in a
        // browser session, without the API.
        app.store.load_founding_case(app.now()).await.unwrap();
        let id = sinergi_domain::demo::FOUNDING_CASE_ID;
        app.user("admin-62", Some("62"), &["admin"], None).await;
        app.user("admin-51", Some("51"), &["admin"], None).await;
        let s = app.sign_in("admin-62", sinergi_test_support::PASSWORD).await.unwrap();
        let page = |html: &str| html.split("name=\"expected_version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let case_url = format!("/kerja-sama/{id}");
        let html = String::from_utf8(app.get_as(&s, &case_url).await.body).unwrap();
        assert!(html.contains("id=\"dprd-1\"") && !html.contains("id=\"dprd-2\""), "only the own side's assessment");
        // Activation is refused while the DPRD conditions are not assessed.
        let refused = app.post_form(&s, &format!("{case_url}/transisi"), &[("action", "activate"), ("expected_version", &page(&html))], None).await;
        assert!(refused.status.is_client_error());
        assert!(String::from_utf8(refused.body).unwrap().contains("belum dinilai"));
        let unanswered = app.post_form(&s, &format!("{case_url}/pihak/1/dprd"), &[("expected_version", &page(&html))], None).await;
        assert_eq!(unanswered.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        let assess = [("burdens_public", "tidak"), ("budgeted", "ya"), ("justification", "Tanpa beban APBD"), ("expected_version", &page(&html))];
        app.post_form(&s, &format!("{case_url}/pihak/1/dprd"), &assess, None).await.assert_status(axum::http::StatusCode::SEE_OTHER);
        // Bali's admin assesses Bali's side, never Kalteng's.
        let bali = app.sign_in("admin-51", sinergi_test_support::PASSWORD).await.unwrap();
        let html = String::from_utf8(app.get_as(&bali, &case_url).await.body).unwrap();
        let mine = [("burdens_public", "tidak"), ("budgeted", "ya"), ("expected_version", &page(&html))];
        app.post_form(&bali, &format!("{case_url}/pihak/1/dprd"), &mine, None).await.assert_status(axum::http::StatusCode::FORBIDDEN);
        app.post_form(&bali, &format!("{case_url}/pihak/2/dprd"), &mine, None).await.assert_status(axum::http::StatusCode::SEE_OTHER);
        let case = app.get_staff(&format!("/api/v1/cases/{id}")).await.json();
        assert_eq!(case["parties"][0]["dprd"]["justification"], "Tanpa beban APBD", "{case}");
        // Neither side burdens the public and both have budgeted it: no DPRD approval is
        // needed, the KB is put into force, and the work plan starts on the monitoring page.
        let html = String::from_utf8(app.get_as(&s, &case_url).await.body).unwrap();
        app.post_form(&s, &format!("{case_url}/transisi"), &[("action", "activate"), ("expected_version", &page(&html))], None).await
            .assert_status(axum::http::StatusCode::SEE_OTHER);
        let case = app.get_staff(&format!("/api/v1/cases/{id}")).await.json();
        assert_eq!(case["stage"], "AKTIF");
        let activity = [("field", "1"), ("title", "Pameran bersama"), ("unit_1", "Dinas Pariwisata"), ("indicator", "Pameran"), ("indicator_unit", "kali"), ("target", "4")];
        let added = app.post_form(&s, &format!("{case_url}/pemantauan/kegiatan"), &activity, None).await;
        assert_eq!(added.status, axum::http::StatusCode::SEE_OTHER, "{}", String::from_utf8_lossy(&added.body));
    }
}
