//! Single sign-on through OpenID Connect (ADR 0009) against a real provider on a loopback
//! port (`sinergi_test_support::TestIdp`): linking by user name, then by subject; refusals
//! (unregistered, state, every token defect, locked, disabled, unreachable); the session it
//! opens; and in a real browser, the cross-site redirect chain with the Strict session cookie.

use crate::on_both;
use axum::http::{Method, header};
use sinergi_test_support::oidc_idp::Defect;
use sinergi_test_support::{PASSWORD, Session, TestApp, TestIdp, TestResponse};

/// Where the in-process tests pretend Sinergi is served.
const PUBLIC: &str = "http://sinergi.test";

async fn with_idp(app: TestApp) -> (TestApp, TestIdp) {
    let idp = TestIdp::start(app.clock.clone()).await;
    let app = app.with_oidc(idp.settings(&format!("{PUBLIC}/masuk/sso/kembali")));
    (app, idp)
}

fn set_cookies(res: &TestResponse) -> Vec<String> {
    res.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

fn text(res: &TestResponse) -> String {
    String::from_utf8_lossy(&res.body).into_owned()
}

/// `/masuk/sso`, then the provider: the pending cookie and the callback's path and query.
async fn to_callback(app: &TestApp, idp: &TestIdp) -> (String, String) {
    let start = app.get("/masuk/sso").await;
    start.assert_status(axum::http::StatusCode::SEE_OTHER);
    let cookie = set_cookies(&start)
        .into_iter()
        .find(|c| c.starts_with("sinergi_sso="))
        .expect("the pending sign-in's cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let to = start.headers[header::LOCATION].to_str().unwrap();
    assert!(
        to.contains("code_challenge_method=S256") && to.contains("nonce="),
        "{to}"
    );
    let back = idp.authorize(to).await;
    let path = back
        .strip_prefix(PUBLIC)
        .expect("back to Sinergi")
        .to_owned();
    (cookie.split(';').next().unwrap().to_owned(), path)
}

async fn callback(app: &TestApp, cookie: &str, path: &str) -> TestResponse {
    app.request(Method::GET, path, None, &[("cookie", cookie)])
        .await
}

/// The whole flow; the callback's response.
async fn sso(app: &TestApp, idp: &TestIdp) -> TestResponse {
    let (cookie, path) = to_callback(app, idp).await;
    callback(app, &cookie, &path).await
}

async fn link_of(app: &TestApp, username: &str) -> (Option<String>, Option<String>) {
    let sql = "SELECT oidc_issuer, oidc_subject FROM users WHERE username = $1";
    match app.store.db() {
        sinergi_store::Db::Sqlite(p) => sqlx::query_as(sql).bind(username).fetch_one(p).await,
        sinergi_store::Db::Postgres(p) => sqlx::query_as(sql).bind(username).fetch_one(p).await,
    }
    .unwrap()
}

async fn pending_rows(app: &TestApp) -> i64 {
    let sql = "SELECT COUNT(*) FROM oidc_logins";
    match app.store.db() {
        sinergi_store::Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await,
        sinergi_store::Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await,
    }
    .unwrap()
}

/// A refused callback: the status, the message on the sign-in page, no session.
#[track_caller]
fn assert_refused(res: &TestResponse, status: u16, message: &str) {
    let body = text(res);
    assert_eq!(res.status.as_u16(), status, "{body}");
    assert!(body.contains(message), "expected «{message}» in: {body}");
    assert!(body.contains("id=\"galat\""), "shown on the sign-in page");
    assert!(
        !set_cookies(res)
            .iter()
            .any(|c| c.starts_with("sinergi_session=") && !c.starts_with("sinergi_session=;")),
        "no session"
    );
}

on_both! {
    async fn a_first_sso_sign_in_links_the_account_by_user_name_then_goes_by_subject(app: TestApp) {
        let (app, idp) = with_idp(app).await;
        let uid = app.user("budi.santoso", Some("62"), &["admin"], None).await;
        let page = text(&app.get("/masuk").await);
        assert!(page.contains("href=\"/masuk/sso\"") && page.contains("Masuk dengan SSO Pemprov"), "{page}");

        // The provider's user name differs in case only: account names are lower-case.
        idp.sign_in_as("sub-0001", Some("Budi.Santoso"));
        let res = sso(&app, &idp).await;
        res.assert_status(axum::http::StatusCode::OK);
        let body = text(&res);
        assert!(body.contains("<meta http-equiv=\"refresh\" content=\"0;url=/\">"), "{body}");
        assert!(body.contains("href=\"/\"") && body.contains("Lanjutkan"), "{body}");
        assert!(!body.contains("<script"), "no scripts");
        assert_eq!(res.headers[header::CACHE_CONTROL], "no-store");
        let cookies = set_cookies(&res);
        let session = cookies.iter().find(|c| c.starts_with("sinergi_session=")).unwrap();
        assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"), "{session}");
        assert!(cookies.iter().any(|c| c.starts_with("sinergi_sso=;") && c.contains("Max-Age=0")), "{cookies:?}");
        assert_eq!(pending_rows(&app).await, 0, "the pending sign-in is used up");
        assert_eq!(link_of(&app, "budi.santoso").await, (Some(idp.issuer().to_owned()), Some("sub-0001".to_owned())));

        // The link and the sign-in are on the audit trail, and the chain holds.
        let trail = app.store.audit_entries(sinergi_store::AuditScope::User(uid.0), 10).await.unwrap();
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(&actions[..2], ["session.sign_in_oidc", "user.link_oidc"], "{actions:?}");
        assert_eq!(trail[1].actor, "budi.santoso");
        assert_eq!(trail[1].after.as_ref().unwrap()["oidc_subject"], "sub-0001");
        assert!(app.store.verify_audit().await.unwrap().is_ok());

        // The session is an ordinary one: protected pages, CSRF-checked forms, sign-out.
        let s: Session = app.session_from(&res).await.expect("a working session");
        let account = text(&app.get_as(&s, "/akun").await);
        assert!(account.contains("budi.santoso"));
        app.post_form(&s, "/akun/bahasa", &[("language", "en")], None).await
            .assert_status(axum::http::StatusCode::SEE_OTHER);
        app.post_form(&s, "/akun/bahasa", &[("language", "id")], Some("palsu")).await
            .assert_status(axum::http::StatusCode::FORBIDDEN);
        app.post_form(&s, "/keluar", &[], None).await.assert_status(axum::http::StatusCode::SEE_OTHER);
        app.get_as(&s, "/akun").await.assert_status(axum::http::StatusCode::UNAUTHORIZED);

        // Next time the subject decides, whatever the user name claim says now.
        idp.sign_in_as("sub-0001", Some("nama.lain.di.sso"));
        let again = sso(&app, &idp).await;
        again.assert_status(axum::http::StatusCode::OK);
        let s = app.session_from(&again).await.unwrap();
        assert!(text(&app.get_as(&s, "/akun").await).contains("budi.santoso"));

        // Another person of the provider asserting the same user name does not take it over.
        idp.sign_in_as("sub-9999", Some("budi.santoso"));
        let res = sso(&app, &idp).await;
        assert_refused(&res, 403, "sudah ditautkan ke identitas SSO lain");
        assert_eq!(link_of(&app, "budi.santoso").await.1.as_deref(), Some("sub-0001"));

        // A wrong link is undone by the operator on the command line: the sessions end, the
        // change is audited, and the next SSO sign-in links by user name again.
        let unlink = |db: &str| std::process::Command::new(env!("CARGO_BIN_EXE_sinergi"))
            .env_remove("SINERGI_DATABASE_URL").env("RUST_LOG", "warn")
            .args(["admin", "unlink-sso", "--username", "budi.santoso", "--database-url", db])
            .output().unwrap();
        let out = unlink(&app.url);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("dilepas dari identitas SSO"));
        assert_eq!(link_of(&app, "budi.santoso").await, (None, None));
        app.get_as(&s, "/akun").await.assert_status(axum::http::StatusCode::UNAUTHORIZED);
        let sql = "SELECT actor FROM audit_log WHERE action = 'user.unlink_oidc' AND subject_id = $1";
        let by: String = match app.store.db() {
            sinergi_store::Db::Sqlite(p) => sqlx::query_scalar(sql).bind(uid.0.to_string()).fetch_one(p).await,
            sinergi_store::Db::Postgres(p) => sqlx::query_scalar(sql).bind(uid.0.to_string()).fetch_one(p).await,
        }.expect("the unlink is audited");
        assert!(by.starts_with("cli:"), "{by}");
        assert!(app.store.verify_audit().await.unwrap().is_ok());
        let twice = unlink(&app.url);
        assert_eq!(twice.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&twice.stderr).contains("tidak tertaut"));
        idp.sign_in_as("sub-9999", Some("budi.santoso"));
        sso(&app, &idp).await.assert_status(axum::http::StatusCode::OK);
        assert_eq!(link_of(&app, "budi.santoso").await.1.as_deref(), Some("sub-9999"));
    }

    async fn an_unregistered_sso_account_is_refused_with_what_to_ask_the_admin(app: TestApp) {
        let (app, idp) = with_idp(app).await;
        app.user("budi.santoso", Some("62"), &["admin"], None).await;
        idp.sign_in_as("sub-0002", Some("siti.rahma"));
        let res = sso(&app, &idp).await;
        assert_refused(&res, 403, "Akun SSO ini belum terdaftar di Sinergi. Minta admin Bagian Kerja Sama daerah Anda membuatkan akun dengan nama pengguna &#34;siti.rahma&#34;");
        assert!(app.store.user_by_name("siti.rahma").await.unwrap().is_none(), "never provisioned");
        assert_eq!(link_of(&app, "budi.santoso").await, (None, None));
        // In English on request; and without a user-name claim the message says which claim.
        idp.sign_in_as("sub-0003", None);
        let (cookie, path) = to_callback(&app, &idp).await;
        let res = app.request(Method::GET, &format!("{path}&lang=en"), None, &[("cookie", &cookie)]).await;
        assert_refused(&res, 403, "sent no user name (claim &#34;preferred_username&#34;)");
        assert_eq!(pending_rows(&app).await, 0);
    }

    async fn a_replayed_unknown_forged_or_expired_state_is_refused(app: TestApp) {
        let (app, idp) = with_idp(app).await;
        app.user("budi.santoso", Some("62"), &["admin"], None).await;
        idp.sign_in_as("sub-0001", Some("budi.santoso"));
        let msg = "Permintaan masuk SSO ini tidak dikenal, sudah dipakai, atau kedaluwarsa";

        let (cookie, path) = to_callback(&app, &idp).await;
        callback(&app, &cookie, &path).await.assert_status(axum::http::StatusCode::OK);
        let exchanges = idp.exchanges();
        // The same answer again (a replay): the pending sign-in is gone; no second exchange.
        assert_refused(&callback(&app, &cookie, &path).await, 400, msg);
        assert_eq!(idp.exchanges(), exchanges);
        // No cookie, or one Sinergi never issued.
        let (_, path) = to_callback(&app, &idp).await;
        assert_refused(&app.get(&path).await, 400, msg);
        assert_refused(&callback(&app, "sinergi_sso=0123abcd", &path).await, 400, msg);

        // A forged state uses up the pending sign-in: the genuine answer cannot follow it.
        let (cookie, path) = to_callback(&app, &idp).await;
        let forged = path.replace("state=", "state=x");
        assert_refused(&callback(&app, &cookie, &forged).await, 400, msg);
        assert_refused(&callback(&app, &cookie, &path).await, 400, msg);
        // The answer of another browser's sign-in, with this browser's cookie.
        let (mine, _) = to_callback(&app, &idp).await;
        let (_, theirs) = to_callback(&app, &idp).await;
        assert_refused(&callback(&app, &mine, &theirs).await, 400, msg);

        // Ten minutes is the limit.
        let (cookie, path) = to_callback(&app, &idp).await;
        app.clock.advance(time::Duration::minutes(11));
        assert_refused(&callback(&app, &cookie, &path).await, 400, msg);
        assert_eq!(idp.exchanges(), exchanges, "nothing refused here reached the token endpoint");
        // Expired rows are swept when the next sign-in starts.
        to_callback(&app, &idp).await;
        assert_eq!(pending_rows(&app).await, 1);
        assert_eq!(link_of(&app, "budi.santoso").await.1.as_deref(), Some("sub-0001"));
    }

    async fn every_defect_of_the_provider_is_refused_and_nothing_is_stored(app: TestApp) {
        let (app, idp) = with_idp(app).await;
        app.user("budi.santoso", Some("62"), &["admin"], None).await;
        idp.sign_in_as("sub-0001", Some("budi.santoso"));
        for (defect, status, message) in [
            (Defect::WrongAudience, 401, "ditujukan untuk aplikasi lain"),
            (Defect::WrongIssuer, 401, "diterbitkan oleh penerbit lain"),
            (Defect::Expired, 401, "ID token sudah kedaluwarsa"),
            (Defect::OtherKey, 401, "Tanda tangan ID token tidak sah"),
            (Defect::WrongNonce, 401, "tidak memuat nonce permintaan masuk ini"),
            (Defect::NoIdToken, 401, "tidak mengirim ID token"),
            (Defect::RefuseCode, 401, "menolak menukar kode otorisasi"),
            (Defect::ErrorParameter, 401, "tidak menyelesaikan proses masuk (access_denied — Pengguna membatalkan proses masuk)"),
            (Defect::ServerError, 502, "tidak dapat dihubungi atau jawabannya tidak dapat dibaca"),
        ] {
            idp.misbehave(defect);
            let res = sso(&app, &idp).await;
            assert_refused(&res, status, message);
            assert_eq!(link_of(&app, "budi.santoso").await, (None, None), "{defect:?} linked nothing");
            assert_eq!(pending_rows(&app).await, 0, "{defect:?}: the pending sign-in is used up");
        }
        let trail = app.store.audit_entries(sinergi_store::AuditScope::User(
            app.store.user_by_name("budi.santoso").await.unwrap().unwrap().id.0), 10).await.unwrap();
        assert!(trail.is_empty(), "no sign-in was recorded: {trail:?}");
        idp.misbehave(Defect::None);
        sso(&app, &idp).await.assert_status(axum::http::StatusCode::OK);
    }

    async fn locked_and_disabled_accounts_stay_refused(app: TestApp) {
        let (app, idp) = with_idp(app).await;
        app.user("budi.santoso", Some("62"), &["admin"], None).await;
        for _ in 0..5 {
            app.post_sign_in("budi.santoso", "salah-salah-salah").await;
        }
        idp.sign_in_as("sub-0001", Some("budi.santoso"));
        assert_refused(&sso(&app, &idp).await, 429, "Akun dikunci sementara");
        assert_eq!(link_of(&app, "budi.santoso").await, (None, None));
        app.clock.advance(time::Duration::minutes(16));
        sso(&app, &idp).await.assert_status(axum::http::StatusCode::OK);

        let sql = "UPDATE users SET disabled = TRUE WHERE username = 'budi.santoso'";
        match app.store.db() {
            sinergi_store::Db::Sqlite(p) => { sqlx::query(sql).execute(p).await.unwrap(); }
            sinergi_store::Db::Postgres(p) => { sqlx::query(sql).execute(p).await.unwrap(); }
        }
        assert_refused(&sso(&app, &idp).await, 403, "Akun ini dinonaktifkan");
        assert!(app.sign_in("budi.santoso", PASSWORD).await.is_none(), "nor with the password");
    }

    async fn without_oidc_settings_there_is_no_button_and_no_route(app: TestApp) {
        let page = text(&app.get("/masuk").await);
        assert!(page.contains("action=\"/masuk\"") && !page.contains("/masuk/sso"), "{page}");
        for path in ["/masuk/sso", "/masuk/sso/kembali?code=abc&state=def"] {
            let res = app.get(path).await;
            res.assert_status(axum::http::StatusCode::NOT_FOUND);
            assert!(text(&res).contains("route.not_found"));
            assert!(set_cookies(&res).is_empty());
        }
    }

    async fn an_unreachable_provider_is_a_502_discovery_is_cached_and_new_keys_are_fetched(app: TestApp) {
        // A port nobody listens on.
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let idp = TestIdp::start(app.clock.clone()).await;
        let mut settings = idp.settings(&format!("{PUBLIC}/masuk/sso/kembali"));
        settings.issuer = format!("http://127.0.0.1:{port}");
        let down = TestApp::on(app.backend).await.unwrap().with_oidc(settings);
        let res = down.get("/masuk/sso").await;
        assert_refused(&res, 502, "Penyedia SSO tidak dapat dihubungi");
        // Only the sign-in form's own token cookie (login CSRF), no pending sign-in.
        assert!(set_cookies(&res).iter().all(|c| c.starts_with("sinergi_masuk=")), "no pending sign-in");
        assert_eq!(pending_rows(&down).await, 0);

        let (app, idp) = (app.with_oidc(idp.settings(&format!("{PUBLIC}/masuk/sso/kembali"))), idp);
        for _ in 0..3 {
            app.get("/masuk/sso").await.assert_status(axum::http::StatusCode::SEE_OTHER);
        }
        assert_eq!(idp.discoveries(), 1, "the discovery document is reused");
        app.clock.advance(time::Duration::minutes(6));
        app.get("/masuk/sso").await.assert_status(axum::http::StatusCode::SEE_OTHER);
        assert_eq!(idp.discoveries(), 2, "and fetched again after five minutes");

        // The provider rotates its signing key: a token under an unknown key id fetches the
        // key set again at once instead of refusing sign-ins until the cache expires.
        app.user("budi.santoso", Some("62"), &["admin"], None).await;
        idp.sign_in_as("sub-0001", Some("budi.santoso"));
        sso(&app, &idp).await.assert_status(axum::http::StatusCode::OK);
        assert_eq!(idp.discoveries(), 2);
        idp.rotate_keys();
        sso(&app, &idp).await.assert_status(axum::http::StatusCode::OK);
        assert_eq!(idp.discoveries(), 3, "refreshed for the new key");
        sso(&app, &idp).await.assert_status(axum::http::StatusCode::OK);
        assert_eq!(idp.discoveries(), 3, "and cached again");
    }
}

/// In a real browser: Sinergi at 127.0.0.1 and the provider at `localhost` are different
/// sites, so the provider's redirect back is a cross-site navigation. The pending cookie
/// (Lax) must come along, and the Strict session cookie must be in place for `/` — which the
/// refresh page makes a same-site navigation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_sign_in_works_in_a_real_browser_across_sites() {
    let Some(browser) = crate::browser::browser().await else {
        return;
    };
    let app = TestApp::sqlite().await;
    app.user("budi.santoso", Some("62"), &["admin"], None).await;
    let idp = TestIdp::start_as("localhost", app.clock.clone()).await;
    idp.sign_in_as("sub-0001", Some("budi.santoso"));
    idp.ask_to_press_a_button();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = app.with_oidc(idp.settings(&format!("{base}/masuk/sso/kembali")));
    assert_eq!(app.serve_on(listener), base);

    browser.goto(&format!("{base}/masuk")).await;
    browser.click("#masuk-sso").await;
    // At the provider's page; pressing its button starts the cross-site chain back.
    browser.wait_for("#setuju").await;
    assert!(browser.current_url().await.starts_with(idp.issuer()));
    browser.click("#setuju").await;
    // Through the callback and its refresh page to the dashboard, signed in.
    let name = browser.wait_for("#akun").await.text().await.unwrap();
    assert_eq!(name, "budi.santoso");
    assert_eq!(browser.current_url().await, format!("{base}/"));
    browser.screenshot("sso-signed-in").await;
    browser.goto(&format!("{base}/akun")).await;
    assert!(browser.page_source().await.contains("budi.santoso"));
    browser.close().await;
}
