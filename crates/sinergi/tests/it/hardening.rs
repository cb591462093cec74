//! Issue 16: hostile files, security headers, paging, a full disk, concurrent start-up and the
//! smaller holes. Each test names the promise of docs/security.md it checks.

use crate::on_both;
use axum::http::{Method, StatusCode};
use serde_json::Value;
use sinergi_test_support::{TOKEN, TestApp, TestResponse};

async fn import(app: &TestApp, query: &str, name: &str, body: Vec<u8>) -> TestResponse {
    let auth = format!("Bearer {TOKEN}");
    app.request(
        Method::POST,
        &format!(
            "/api/v1/observations/imports?file_name={name}&year=2022&price_basis=adhb&source=uji{query}"
        ),
        Some(body),
        &[
            ("authorization", &auth),
            ("content-type", "application/octet-stream"),
        ],
    )
    .await
}

/// A 5 KB XLSX with cells at A1 and XFD1048576: calamine alone would ask for ~550 GB.
pub fn corner_bomb() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Provinsi").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    book.save_to_buffer().unwrap()
}

on_both! {
    async fn hostile_tables_are_refused_with_a_422_in_the_users_language(app: TestApp) {
        let before = app.store.observation_count(false).await.unwrap();
        let bomb = corner_bomb();
        let res = import(&app, "", "pdrb.xlsx", bomb.clone()).await;
        res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.json();
        assert_eq!(body["report"]["file_problems"][0]["code"], "import.too_many_rows");
        let problems = body["error"]["problems"].to_string();
        assert!(problems.contains("lembar berisi data sampai baris 1048576; paling banyak 5000 baris"), "{problems}");
        let en = import(&app, "&lang=en", "pdrb.xlsx", bomb).await;
        en.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(en.json()["error"]["problems"].to_string().contains("at most 5000 rows are read"));
        // A CSV whose data starts past the last row, and an XLS declaring 4 billion rows.
        let mut tall = "Provinsi;A\n".to_owned();
        tall.push_str(&"\n".repeat(6_000));
        tall.push_str("Bali;1\n");
        let res = import(&app, "", "pdrb.csv", tall.into_bytes()).await;
        res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.json()["report"]["file_problems"][0]["code"], "import.too_many_rows");
        // A dry run of the same file answers the same problem with 200 (nothing is stored).
        let dry = import(&app, "&dry_run=true", "pdrb.xlsx", corner_bomb()).await;
        dry.assert_status(StatusCode::OK);
        assert_eq!(dry.json()["importable"], false);
        assert_eq!(app.store.observation_count(false).await.unwrap(), before);
        // The server is alive and answers.
        app.get("/health").await.assert_status(StatusCode::OK);
    }

    async fn every_response_carries_the_security_headers(app: TestApp) {
        let csp = sinergi_web::security_headers::CONTENT_SECURITY_POLICY;
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'") && !csp.contains("script-src"));
        app.user("ani", Some("62"), &["admin"], None).await;
        let s = app.sign_in("ani", sinergi_test_support::PASSWORD).await.unwrap();
        let responses = [
            ("page", app.get("/").await),
            ("sign-in page", app.get("/masuk").await),
            ("api", app.get("/api/v1/cases").await),
            ("404", app.get("/tidak-ada").await),
            ("api 404", app.get("/api/v1/cases/017fb939-1400-7000-8000-00000000dead").await),
            ("stylesheet", app.get("/static/sinergi.css").await),
            ("signed-in page", app.get_as(&s, "/akun").await),
            ("signed-in api", app.get_staff("/api/v1/cases").await),
        ];
        for (what, r) in &responses {
            let h = &r.headers;
            assert_eq!(h["content-security-policy"], csp, "{what}");
            assert_eq!(h["x-frame-options"], "DENY", "{what}");
            assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
            assert_eq!(h["referrer-policy"], "no-referrer", "{what}");
            assert!(!h.contains_key("strict-transport-security"), "{what}: public_url is http here");
        }
        let cache = |i: usize| responses[i].1.headers.get("cache-control").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(cache(6).as_deref(), Some("no-store"), "signed-in page");
        assert_eq!(cache(7).as_deref(), Some("no-store"), "API with a token");
        assert_ne!(cache(0).as_deref(), Some("no-store"), "a public page may be cached");
        // The signing and transition forms cannot be framed: the case page says so too.
        app.store.load_founding_case(app.now()).await.unwrap();
        let case = app.get_as(&s, &format!("/kerja-sama/{}", sinergi_domain::demo::FOUNDING_CASE_ID)).await;
        case.assert_status(StatusCode::OK);
        assert_eq!(case.headers["x-frame-options"], "DENY");
        assert_eq!(case.headers["cache-control"], "no-store");

        // With an https public address, HSTS too (a router built with that setting).
        let mut web = sinergi_web::WebSettings { hsts: true, ..Default::default() };
        web.admin_token = Some(TOKEN.into());
        let router = sinergi_web::router(sinergi_web::AppState::new(app.store.clone(), std::sync::Arc::new(sinergi_domain::clock::SystemClock), web));
        let res = tower::ServiceExt::oneshot(router, axum::http::Request::get("/health").body(axum::body::Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.headers()["strict-transport-security"], sinergi_web::security_headers::STRICT_TRANSPORT_SECURITY);
    }
}

on_both! {
    async fn lists_under_a_case_page_with_a_true_total_and_a_maximum(app: TestApp) {
        let case = crate::open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let id = case["id"].as_str().unwrap();
        for d in 1..=12 {
            app.post(&format!("/api/v1/cases/{id}/meetings"), &serde_json::json!({
                "kind": "penjajakan", "date": format!("2026-06-{d:02}"), "place": format!("Ruang {d}")})).await.assert_status(StatusCode::CREATED);
        }
        let page = app.get_staff(&format!("/api/v1/cases/{id}/meetings?limit=5&offset=10")).await.json();
        let (list, total) = items(&page);
        assert_eq!((list.len(), total), (2, 12));
        assert_eq!(list[0]["place"], "Ruang 11", "ordered by date");
        let first = app.get_staff(&format!("/api/v1/cases/{id}/meetings?limit=5")).await.json();
        assert_eq!(items(&first).0.len(), 5);
        // History (13 rows: opening and 12 meetings) and the case's audit trail.
        let h = app.get_staff(&format!("/api/v1/cases/{id}/history?limit=3")).await.json();
        let (rows, total) = items(&h);
        assert_eq!((rows.len(), total), (3, 13));
        assert_eq!(rows[0]["action"], "create");
        let a = app.get_staff(&format!("/api/v1/cases/{id}/audit?limit=2&offset=1")).await.json();
        let (rows, total) = items(&a);
        assert_eq!(rows.len(), 2);
        assert_eq!(total, 13, "every entry of the case counted, not the page");
        // The maximum, and nonsense, are refused with the envelope.
        for q in ["limit=501", "limit=0", "offset=-1", "limit=x"] {
            let r = app.get_staff(&format!("/api/v1/cases/{id}/meetings?{q}")).await;
            r.assert_status(StatusCode::BAD_REQUEST);
            assert_eq!(r.code(), "request.invalid_query", "{q}");
        }
        // One's own audit trail and the smaller lists page the same way.
        app.user("ani", Some("62"), &["admin"], None).await;
        let token = app.token_of("ani").await;
        app.as_token(&token, Method::POST, &format!("/api/v1/cases/{id}/notes"), Some(&serde_json::json!({"kind": "note", "body": "Catatan satu"}))).await.assert_status(StatusCode::CREATED);
        app.as_token(&token, Method::POST, &format!("/api/v1/cases/{id}/notes"), Some(&serde_json::json!({"kind": "note", "body": "Catatan dua"}))).await.assert_status(StatusCode::CREATED);
        let mine = app.as_token(&token, Method::GET, "/api/v1/me/audit?limit=1", None).await.json();
        let (rows, total) = items(&mine);
        assert_eq!(rows.len(), 1);
        assert!(total >= 2, "{mine}");
        let notes = app.as_token(&token, Method::GET, &format!("/api/v1/cases/{id}/notes?limit=1&offset=1"), None).await.json();
        assert_eq!((items(&notes).0.len(), items(&notes).1), (1, 2));
        let urusan = app.get("/api/v1/reference/urusan?limit=10&offset=30").await.json();
        assert_eq!((items(&urusan).0.len(), items(&urusan).1), (2, 32));
        // The documented parameters are in the OpenAPI document.
        let openapi = app.get("/api/v1/openapi.json").await.json();
        let params = openapi["paths"]["/api/v1/cases/{id}/meetings"]["get"]["parameters"].to_string();
        assert!(params.contains("\"limit\"") && params.contains("\"offset\""), "{params}");
    }
}

on_both! {
    async fn lockout_looks_the_same_for_every_name(app: TestApp) {
        app.user("budi", Some("62"), &["admin"], None).await;
        for name in ["budi", "tidak.ada.orangnya"] {
            for _ in 0..4 {
                let r = app.post_sign_in(name, "salah-salah-salah").await;
                r.assert_status(StatusCode::UNAUTHORIZED);
                assert!(String::from_utf8_lossy(&r.body).contains("Nama pengguna atau kata sandi salah"), "{name}");
            }
            let r = app.post_sign_in(name, "salah-salah-salah").await;
            r.assert_status(StatusCode::TOO_MANY_REQUESTS);
            assert!(String::from_utf8_lossy(&r.body).contains("Akun dikunci sementara"), "{name}");
        }
        app.clock.advance(time::Duration::minutes(16));
        app.post_sign_in("tidak.ada.orangnya", "salah-salah-salah").await.assert_status(StatusCode::UNAUTHORIZED);
    }

    async fn a_cross_site_sign_in_post_is_refused(app: TestApp) {
        app.user("budi", Some("62"), &["admin"], None).await;
        let form = format!("username=budi&password={}", sinergi_test_support::PASSWORD);
        // What a form on another site sends: no token, no SameSite=Strict cookie.
        let r = app.request(Method::POST, "/masuk", Some(form.clone().into_bytes()),
            &[("content-type", "application/x-www-form-urlencoded"), ("origin", "https://situs-lain.example")]).await;
        r.assert_status(StatusCode::FORBIDDEN);
        assert!(!r.headers.get_all("set-cookie").iter().any(|c| c.to_str().unwrap().starts_with("sinergi_session=")), "no session");
        assert!(String::from_utf8_lossy(&r.body).contains("name=\"_csrf\""), "the form again, with a fresh token");
        // A token without its cookie (or the reverse) is refused too.
        let r = app.request(Method::POST, "/masuk", Some(format!("{form}&_csrf=abc").into_bytes()),
            &[("content-type", "application/x-www-form-urlencoded"), ("cookie", "sinergi_masuk=def")]).await;
        r.assert_status(StatusCode::FORBIDDEN);
        assert!(app.sign_in("budi", sinergi_test_support::PASSWORD).await.is_some(), "the real form works");
    }

    async fn anonymous_visitors_never_read_a_published_cases_drafts(app: TestApp) {
        app.store.load_founding_case(app.now()).await.unwrap();
        let id = sinergi_domain::demo::FOUNDING_CASE_ID;
        let base = format!("/api/v1/cases/{id}/documents/kb");
        // Before any draft: the template from the public facts is public.
        app.get(&format!("{base}/pdf")).await.assert_status(StatusCode::OK);
        app.post(&base, &serde_json::json!({})).await.assert_status(StatusCode::CREATED);
        app.user("luar", Some("35"), &["admin"], None).await;
        let outsider = app.token_of("luar").await;
        for path in [base.clone(), format!("{base}/pdf"), format!("{base}/docx"), format!("{base}/redline?from=1&to=1"), format!("/kerja-sama/{id}/dokumen/kb")] {
            let anon = app.get(&path).await;
            anon.assert_status(StatusCode::NOT_FOUND);
            let other = app.as_token(&outsider, Method::GET, &path, None).await;
            other.assert_status(StatusCode::NOT_FOUND);
            app.get_staff(&path).await.assert_status(StatusCode::OK);
        }
        // The case itself stays public.
        app.get(&format!("/api/v1/cases/{id}")).await.assert_status(StatusCode::OK);
    }

    async fn a_token_read_writes_last_used_at_at_most_every_five_minutes(app: TestApp) {
        let uid = app.user("ani", Some("62"), &["admin"], None).await;
        let token = app.token_of("ani").await;
        let used = || async { app.store.list_tokens(uid).await.unwrap()[0].last_used_at };
        app.as_token(&token, Method::GET, "/api/v1/me", None).await.assert_status(StatusCode::OK);
        let first = used().await.unwrap();
        app.clock.advance(time::Duration::minutes(2));
        app.as_token(&token, Method::GET, "/api/v1/me", None).await.assert_status(StatusCode::OK);
        assert_eq!(used().await.unwrap(), first, "no write two minutes later");
        app.clock.advance(time::Duration::minutes(4));
        app.as_token(&token, Method::GET, "/api/v1/me", None).await.assert_status(StatusCode::OK);
        assert!(used().await.unwrap() > first, "written again after five minutes");
    }
}

/// The JSON of a list response, asserting the envelope.
pub fn items(v: &Value) -> (&Vec<Value>, i64) {
    (v["items"].as_array().unwrap(), v["total"].as_i64().unwrap())
}

/// A store on the test's SQLite file whose every connection is capped at `pages` pages.
async fn capped_store(app: &TestApp, pages: u32) -> sinergi_store::Store {
    sinergi_store::Store::connect(
        &sinergi_store::DatabaseUrl::parse(&app.url).unwrap(),
        sinergi_store::ConnectOptions {
            max_connections: 3,
            sqlite_max_page_count: Some(pages),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

async fn sqlite_exec(store: &sinergi_store::Store, sql: &str) {
    let sinergi_store::Db::Sqlite(p) = store.db() else {
        unreachable!()
    };
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(p)
        .await
        .unwrap();
}

fn router_on(store: &sinergi_store::Store) -> axum::Router {
    let web = sinergi_web::WebSettings {
        admin_token: Some(TOKEN.into()),
        ..Default::default()
    };
    sinergi_web::router(sinergi_web::AppState::new(
        store.clone(),
        std::sync::Arc::new(sinergi_domain::clock::SystemClock),
        web,
    ))
}

async fn call(
    router: &axum::Router,
    method: Method,
    uri: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut req = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {TOKEN}"));
    let body = match body {
        Some(b) => {
            req = req.header("content-type", "application/json");
            axum::body::Body::from(serde_json::to_vec(b).unwrap())
        }
        None => axum::body::Body::empty(),
    };
    let res = tower::ServiceExt::oneshot(router.clone(), req.body(body).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = http_body_util::BodyExt::collect(res.into_body())
        .await
        .unwrap()
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn new_case(i: usize) -> Value {
    serde_json::json!({"title": format!("Kerja Sama Uji Disk Penuh {i} {}", "x".repeat(400)), "kind": "ksdd_sukarela",
        "parties": [{"region": "62"}, {"region": "51"}], "fields": [{"code": "umkm"}], "objectives": ["Uji"]})
}

/// SQLite at its size limit (`max_page_count`, the same SQLITE_FULL a full disk gives): no
/// write is acknowledged that is not stored, `/ready` says 503 while writes fail, and the
/// server recovers by itself once space returns. Every 201 survives a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_sqlite_database_never_acknowledges_a_lost_write_and_recovers() {
    let app = TestApp::sqlite().await;
    // Room to free later: a scratch table with ~100 pages.
    sqlite_exec(&app.store, "CREATE TABLE scratch (b BLOB); INSERT INTO scratch VALUES (zeroblob(400000)); PRAGMA wal_checkpoint(TRUNCATE);").await;
    let sinergi_store::Db::Sqlite(p) = app.store.db() else {
        unreachable!()
    };
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(p)
        .await
        .unwrap();
    let store = capped_store(&app, u32::try_from(pages + 6).unwrap()).await;
    let router = router_on(&store);
    assert_eq!(
        call(&router, Method::GET, "/ready", None).await.0,
        StatusCode::OK
    );
    let mut acknowledged = Vec::new();
    let mut refused = 0;
    for i in 0..30 {
        let (status, body) = call(&router, Method::POST, "/api/v1/cases", Some(&new_case(i))).await;
        match status {
            StatusCode::CREATED => acknowledged.push(body["id"].as_str().unwrap().to_owned()),
            StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!(
                    body["error"]["code"], "service.storage_unavailable",
                    "{body}"
                );
                assert!(
                    body["error"]["message"]
                        .as_str()
                        .unwrap()
                        .contains("TIDAK tersimpan")
                );
                refused += 1;
            }
            other => panic!("{i}: {other} {body}"),
        }
    }
    assert!(
        refused > 0 && !acknowledged.is_empty(),
        "{refused} refused, {} stored",
        acknowledged.len()
    );
    let (status, body) = call(&router, Method::GET, "/ready", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "service.storage_unavailable");
    // Reads still work while writes fail.
    assert_eq!(
        call(
            &router,
            Method::GET,
            &format!("/api/v1/cases/{}", acknowledged[0]),
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    // Space returns (the scratch pages go back to the free list): writes work again, by
    // themselves, without a restart.
    sqlite_exec(&store, "DROP TABLE scratch").await;
    assert_eq!(
        call(&router, Method::GET, "/ready", None).await.0,
        StatusCode::OK
    );
    let (status, body) = call(&router, Method::POST, "/api/v1/cases", Some(&new_case(99))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    acknowledged.push(body["id"].as_str().unwrap().to_owned());
    // A restart (a new process on the same file) finds every acknowledged case.
    store.close().await;
    app.store.close().await;
    let reopened = sinergi_store::Store::connect(
        &sinergi_store::DatabaseUrl::parse(&app.url).unwrap(),
        sinergi_store::ConnectOptions::default(),
    )
    .await
    .unwrap();
    let router = router_on(&reopened);
    for id in &acknowledged {
        assert_eq!(
            call(&router, Method::GET, &format!("/api/v1/cases/{id}"), None)
                .await
                .0,
            StatusCode::OK,
            "{id} was acknowledged"
        );
    }
    let (_, list) = call(&router, Method::GET, "/api/v1/cases?limit=500", None).await;
    let titles = list["items"].to_string();
    assert_eq!(
        titles.matches("Kerja Sama Uji Disk Penuh").count(),
        acknowledged.len(),
        "no unacknowledged write was stored either"
    );
}

/// After SQLite rolled a transaction back by itself (what a failed COMMIT on a full disk may
/// do), the driver still counts it open and its ROLLBACK fails. Such a connection must never
/// be reused: it would nest the next request's transaction in a savepoint that is answered as
/// done but never committed, holding the write lock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_left_in_a_transaction_is_never_reused() {
    let app = TestApp::sqlite().await;
    let sinergi_store::Db::Sqlite(pool) = app.store.db() else {
        unreachable!()
    };
    {
        let mut conn = pool.acquire().await.unwrap();
        let mut tx = sqlx::Connection::begin(&mut *conn).await.unwrap();
        // SQLite's own rollback, behind the driver's back.
        sqlx::raw_sql("ROLLBACK").execute(&mut *tx).await.unwrap();
        drop(tx);
        assert!(
            sqlx::Connection::is_in_transaction(&*conn),
            "the driver still counts the transaction"
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let mut held = Vec::new();
    for _ in 0..pool.options().get_max_connections() {
        let c = pool.acquire().await.unwrap();
        assert!(
            !sqlx::Connection::is_in_transaction(&*c),
            "a pooled connection is inside a transaction"
        );
        held.push(c);
    }
    drop(held);
    // And the store goes on writing and committing.
    let case = crate::open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
    let fresh = sinergi_store::Store::connect(
        &sinergi_store::DatabaseUrl::parse(&app.url).unwrap(),
        sinergi_store::ConnectOptions::default(),
    )
    .await
    .unwrap();
    let id: sinergi_domain::ids::CaseId = case["id"].as_str().unwrap().parse().unwrap();
    assert!(
        fresh.get_case(id).await.is_ok(),
        "committed, visible to another connection"
    );
}
