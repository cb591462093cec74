//! Onboarding in the web interface (issue 13): after the operator creates a region's first
//! admin, the admin creates, changes, deactivates and resets its own region's accounts
//! through the pages, sees the set-up checklist until the region can run a case, and is told
//! whose accounts another government's are. The other party hears of acts that ask
//! something of it, once, with an absolute link.

use super::*;
use sinergi_test_support::{PASSWORD, Session};

fn html(res: &sinergi_test_support::TestResponse) -> String {
    String::from_utf8_lossy(&res.body).into_owned()
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    s.split(start).nth(1)?.split(end).next()
}

async fn signed_in(app: &TestApp, username: &str) -> Session {
    app.sign_in(username, PASSWORD).await.expect("signed in")
}

/// A row's id and version on the accounts page.
fn account_of(page: &str, username: &str) -> (String, String) {
    let card = page
        .split("<article class=\"card\" id=\"akun-")
        .find(|c| c.contains(&format!("<span class=\"small muted\">{username}</span>")))
        .expect("the account's card");
    let id = card.split('"').next().unwrap().to_owned();
    let version = between(card, "name=\"version\" value=\"", "\"")
        .unwrap()
        .to_owned();
    (id, version)
}

on_both! {
    async fn an_admin_runs_its_own_accounts_in_the_browser(app: TestApp) {
        app.user("admin.62", Some("62"), &["admin"], None).await;
        let admin = signed_in(&app, "admin.62").await;

        // The checklist shows what is missing, with links to where it is set up.
        let home = html(&app.get_as(&admin, "/").await);
        assert!(home.contains("Persiapan daerah Anda"), "{home}");
        assert!(home.contains("href=\"/wilayah/62#aksi-tkksd\""));
        assert!(home.contains("href=\"/wilayah/62/pengguna\""));
        assert!(home.contains("Menunggu tindakan Anda"));

        // A refused form keeps what was typed and says which field and why.
        let res = app
            .post_form(&admin, "/wilayah/62/pengguna", &[("username", "siti.tkksd"), ("display_name", "Siti Aminah")], None)
            .await;
        res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let page = html(&res);
        assert!(page.contains("value=\"siti.tkksd\""), "the input is kept");
        assert!(page.contains("Pilih sedikitnya satu peran."), "{page}");

        // Created: the temporary password is shown once.
        let res = app
            .post_form(
                &admin,
                "/wilayah/62/pengguna",
                &[("username", "siti.tkksd"), ("display_name", "Siti Aminah"), ("roles", "tkksd_member"), ("roles", "tkksd_chair")],
                None,
            )
            .await;
        res.assert_status(StatusCode::CREATED);
        let page = html(&res);
        assert!(page.contains("Akun dibuat."), "{page}");
        let temporary = between(&page, "<code id=\"sandi-baru\">", "</code>").unwrap().to_owned();
        assert!(temporary.len() >= 12);
        let again = html(&app.get_as(&admin, "/wilayah/62/pengguna").await);
        assert!(!again.contains(&temporary), "shown once");
        assert!(again.contains("Ketua TKKSD"), "roles by their names");

        // The new user signs in with it and is sent to change it first.
        let res = app.post_sign_in("siti.tkksd", &temporary).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(res.headers["location"], "/akun?ok=ganti_sandi#sandi");
        let siti = app.session_from(&res).await.unwrap();
        let home = html(&app.get_as(&siti, "/").await);
        assert!(home.contains("kata sandi sementara"), "the dashboard reminds");
        app.post_form(&siti, "/akun/sandi", &[("current", &temporary), ("new", "sandi-baru-siti-2026"), ("confirm", "sandi-baru-siti-2026")], None)
            .await;
        let user = app.store.user_by_name("siti.tkksd").await.unwrap().unwrap();
        let user = app.store.get_user(user.id).await.unwrap();
        assert!(!user.must_change_password);

        // Roles change; an admin cannot deactivate itself.
        let page = html(&app.get_as(&admin, "/wilayah/62/pengguna").await);
        let (sid, version) = account_of(&page, "siti.tkksd");
        let res = app
            .post_form(
                &admin,
                &format!("/wilayah/62/pengguna/{sid}"),
                &[("version", &version), ("display_name", "Siti Aminah, S.H."), ("roles", "tkksd_member"), ("unit", ""), ("email", ""), ("official", "")],
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", html(&res));
        let user = app.store.get_user(user.id).await.unwrap();
        assert_eq!(user.roles, vec![sinergi_domain::access::Role::TkksdMember]);
        // A stale edit is refused, nothing changes.
        let res = app
            .post_form(
                &admin,
                &format!("/wilayah/62/pengguna/{sid}"),
                &[("version", &version), ("display_name", "Lama"), ("roles", "admin")],
                None,
            )
            .await;
        res.assert_status(StatusCode::CONFLICT);
        assert_eq!(app.store.get_user(user.id).await.unwrap().display_name, "Siti Aminah, S.H.");

        let (own, own_version) = account_of(&page, "admin.62");
        let res = app
            .post_form(&admin, &format!("/wilayah/62/pengguna/{own}/status"), &[("version", &own_version), ("aktif", "tidak"), ("yakin", "ya")], None)
            .await;
        res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html(&res).contains("tidak dapat menonaktifkan akun Anda sendiri"));

        // Deactivated: the session ends and the sign-in is refused; reactivated: it works.
        let page = html(&app.get_as(&admin, "/wilayah/62/pengguna").await);
        let (sid, version) = account_of(&page, "siti.tkksd");
        let res = app
            .post_form(&admin, &format!("/wilayah/62/pengguna/{sid}/status"), &[("version", &version), ("aktif", "tidak"), ("yakin", "ya")], None)
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(res.headers["location"].to_str().unwrap().contains("ok=akun_nonaktif"));
        assert_ne!(app.get_as(&siti, "/akun").await.status, StatusCode::OK, "the session ended");
        assert!(app.sign_in("siti.tkksd", "sandi-baru-siti-2026").await.is_none());
        let page = html(&app.get_as(&admin, "/wilayah/62/pengguna").await);
        let (_, version) = account_of(&page, "siti.tkksd");
        app.post_form(&admin, &format!("/wilayah/62/pengguna/{sid}/status"), &[("version", &version), ("aktif", "ya")], None)
            .await;
        assert!(app.sign_in("siti.tkksd", "sandi-baru-siti-2026").await.is_some());

        // A reset gives a new temporary password and ends the old one.
        let res = app.post_form(&admin, &format!("/wilayah/62/pengguna/{sid}/sandi"), &[], None).await;
        res.assert_status(StatusCode::OK);
        let temporary = between(&html(&res), "<code id=\"sandi-baru\">", "</code>").unwrap().to_owned();
        assert!(app.sign_in("siti.tkksd", "sandi-baru-siti-2026").await.is_none());
        assert!(app.sign_in("siti.tkksd", &temporary).await.is_some());

        // The audit log has each of the admin's acts.
        let admin_id = app.store.user_by_name("admin.62").await.unwrap().unwrap().id;
        let audit = app.store.audit_page(sinergi_store::AuditScope::User(admin_id.0), 50, 0).await.unwrap();
        let actions: Vec<&str> = audit.items.iter().map(|e| e.action.as_str()).collect();
        for a in ["user.create", "user.update", "user.deactivate", "user.reactivate", "user.reset_password"] {
            assert!(actions.contains(&a), "{a} in {actions:?}");
        }
    }

    async fn a_province_admin_is_told_whose_accounts_a_kabupatens_are(app: TestApp) {
        app.user("admin.62", Some("62"), &["admin"], None).await;
        app.user("admin.6271", Some("62.71"), &["admin"], None).await;
        let admin = signed_in(&app, "admin.62").await;
        let res = app.get_as(&admin, "/wilayah/62.71/pengguna").await;
        res.assert_status(StatusCode::FORBIDDEN);
        let page = html(&res);
        assert!(page.contains("dikelola oleh admin Bagian Kerja Sama"), "{page}");
        assert!(page.contains("Sebagai pembina"), "what the province sees");
        assert!(page.contains("aria-label=\"Navigasi utama\"") && page.contains("href=\"/kerja-sama\""), "the navigation stays");
        let res = app
            .post_form(&admin, "/wilayah/62.71/pengguna", &[("username", "susup"), ("roles", "admin")], None)
            .await;
        res.assert_status(StatusCode::FORBIDDEN);
        assert!(app.store.user_by_name("susup").await.unwrap().is_none(), "nothing stored");
        // Nor a role it may not give, in its own region.
        let res = app
            .post_form(&admin, "/wilayah/62/pengguna", &[("username", "pusat"), ("roles", "kemendagri")], None)
            .await;
        res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(app.store.user_by_name("pusat").await.unwrap().is_none());

        // The API says the same.
        let token = app.token_of("admin.62").await;
        let res = app
            .as_token(&token, axum::http::Method::POST, "/api/v1/regions/62.71/users", Some(&json!({"username": "susup", "password": "sandi-panjang-sekali", "roles": ["admin"]})))
            .await;
        res.assert_status(StatusCode::FORBIDDEN);
        let kab = app.store.user_by_name("admin.6271").await.unwrap().unwrap();
        let res = app
            .as_token(&token, axum::http::Method::POST, &format!("/api/v1/users/{}/password-reset", kab.id), None)
            .await;
        res.assert_status(StatusCode::FORBIDDEN);
        // Its own: a reset answers the temporary password; a patch checks the version.
        let own = app.user("staf.62", Some("62"), &["tkksd_member"], None).await;
        let res = app
            .as_token(&token, axum::http::Method::POST, &format!("/api/v1/users/{own}/password-reset"), None)
            .await;
        res.assert_status(StatusCode::OK);
        assert!(res.json()["temporary_password"].as_str().unwrap().len() >= 12);
        let res = app
            .as_token(&token, axum::http::Method::PATCH, &format!("/api/v1/users/{own}"), Some(&json!({"version": 1, "disabled": true})))
            .await;
        res.assert_status(StatusCode::CONFLICT);
        let current = app.store.get_user(own).await.unwrap().version;
        let res = app
            .as_token(&token, axum::http::Method::PATCH, &format!("/api/v1/users/{own}"), Some(&json!({"version": current, "disabled": true, "unit": "Biro Pemerintahan"})))
            .await;
        res.assert_status(StatusCode::OK);
        assert_eq!(res.json()["disabled"], true);
        assert_eq!(res.json()["unit"], "Biro Pemerintahan");
    }

    async fn the_other_party_hears_of_the_offer_and_the_reply_once(app: TestApp) {
        let app = app.with_email_notices();
        app.user("admin.62", Some("62"), &["admin"], None).await;
        app.user("admin.51", Some("51"), &["admin"], None).await;
        app.user("opd.51", Some("51"), &["opd_implementer"], Some("Dinas Pariwisata")).await;
        app.store
            .update_account(
                app.store.user_by_name("admin.51").await.unwrap().unwrap().id,
                &sinergi_store::AccountChange { email: Some("ks@baliprov.go.id".into()), ..Default::default() },
                None,
                &sinergi_domain::access::Actor::system("test"),
                app.now(),
            )
            .await
            .unwrap();
        let case = open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let id = case["id"].as_str().unwrap();
        send_offer(&app, id).await;
        let bali = app.store.notifications_for("admin.51", 20).await.unwrap();
        let offer: Vec<_> = bali.iter().filter(|n| n.kind == "offer_sent").collect();
        assert_eq!(offer.len(), 1, "{bali:?}");
        let link = offer[0].link.clone().unwrap_or_default();
        assert!(link.starts_with("http://") && link.contains(&format!("/kerja-sama/{id}")), "absolute: {link}");
        assert!(app.store.notifications_for("opd.51", 20).await.unwrap().is_empty(), "not the OPD's work");
        let mail = app.store.outbox(None).await.unwrap();
        let letter = mail.iter().find(|m| m.to_address == "ks@baliprov.go.id").expect("an e-mail");
        assert!(letter.body.starts_with("Yth. admin.51,"), "{}", letter.body);
        assert!(letter.body.contains(&link));

        accept_offer(&app, id).await;
        let kalteng = app.store.notifications_for("admin.62", 20).await.unwrap();
        assert_eq!(kalteng.iter().filter(|n| n.kind == "reply").count(), 1, "{kalteng:?}");
        let bali = app.store.notifications_for("admin.51", 20).await.unwrap();
        assert_eq!(bali.iter().filter(|n| n.kind == "offer_sent").count(), 1, "still once");

        // The partner's dashboard lists what awaits it.
        let s = signed_in(&app, "admin.62").await;
        let home = html(&app.get_as(&s, "/").await);
        assert!(home.contains("Menunggu tindakan Anda"));
    }
}
