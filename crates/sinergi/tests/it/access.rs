//! Accounts, the permission table on every route, attacks, and the audit chain.

use crate::{on_both, open_case};
use axum::http::Method;
#[allow(unused_imports)]
use axum::http::StatusCode;
use serde_json::json;
use sinergi_domain::access::{Perm, Relation, Role, granted};
use sinergi_test_support::{PASSWORD, TOKEN};
use sinergi_web::policy::{ROUTES, RoutePolicy, Target};
use std::process::Command;

fn sinergi() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sinergi"));
    c.env_remove("SINERGI_DATABASE_URL").env("RUST_LOG", "warn");
    c
}

/// Every route the application serves has a policy, and every policy names a real route:
/// the API routes come from the OpenAPI document, the page routes from the page router's
/// source, so a new route without a policy fails here.
#[test]
fn every_route_has_exactly_one_policy() {
    let mut served: Vec<(String, String)> = Vec::new();
    let doc = serde_json::to_value(sinergi_web::openapi()).unwrap();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            served.push((method.to_uppercase(), path.clone()));
        }
    }
    served.push(("GET".into(), "/api/v1/openapi.json".into()));
    let src = [include_str!("../../../sinergi-web/src/pages.rs")].concat();
    for chunk in src.split(".route(").skip(1) {
        let Some(chunk) = chunk.trim_start().strip_prefix('"') else {
            continue;
        };
        let (path, rest) = chunk.split_once('"').unwrap();
        let call = rest.split(".route(").next().unwrap();
        for (needle, method) in [("get(", "GET"), ("post(", "POST")] {
            if call.contains(needle) {
                served.push((method.to_owned(), path.to_owned()));
            }
        }
    }
    let mut missing = Vec::new();
    for (m, p) in &served {
        if sinergi_web::policy::lookup(m, p).is_none() {
            missing.push(format!("{m} {p}"));
        }
    }
    assert!(missing.is_empty(), "routes without a policy: {missing:?}");
    let stale: Vec<String> = ROUTES
        .iter()
        .filter(|r| !served.iter().any(|(m, p)| m == r.method && p == r.path))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(
        stale.is_empty(),
        "policies for routes that do not exist: {stale:?}"
    );
    let mut seen = std::collections::HashSet::new();
    for r in ROUTES {
        assert!(
            seen.insert((r.method, r.path)),
            "twice: {} {}",
            r.method,
            r.path
        );
    }
}

/// The permissions document is the table.
#[test]
fn the_permissions_document_is_generated_from_the_table() {
    let out = sinergi().args(["admin", "permissions"]).output().unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    let doc = include_str!("../../../../docs/permissions.md");
    assert!(
        doc.contains(table.trim()),
        "docs/permissions.md is out of date: regenerate it with `sinergi admin permissions`"
    );
}

const OWN: &str = "62";
const PARTNER: &str = "51";
const UNRELATED: &str = "63";
const UNIT: &str = "Dinas Pariwisata";

struct Caller {
    label: String,
    token: Option<String>,
    role: Role,
    region: Option<&'static str>,
}

/// The relation the fixture gives a caller from `region` to a route's target.
fn relation(target: Target, region: Option<&str>, role: Role, self_user: bool) -> Relation {
    let kemendagri = role == Role::Kemendagri;
    match target {
        Target::Nothing | Target::NewCase => {
            if region.is_some() {
                Relation::Own
            } else {
                Relation::Unrelated
            }
        }
        Target::Case => match region {
            Some(OWN) => Relation::Own,
            Some(PARTNER) => Relation::Partner,
            _ if kemendagri => Relation::Supervised,
            _ => Relation::Unrelated,
        },
        Target::CaseOwnSide | Target::CaseParty => match region {
            Some(OWN | PARTNER) => Relation::Own,
            _ => Relation::Unrelated,
        },
        Target::Region => match region {
            Some(OWN) => Relation::Own,
            _ if kemendagri => Relation::Supervised,
            _ => Relation::Unrelated,
        },
        Target::User => match region {
            _ if self_user => Relation::Own,
            Some(OWN) => Relation::Own,
            _ if kemendagri => Relation::Supervised,
            _ => Relation::Unrelated,
        },
    }
}

/// What the table says, with the fixture's facts: the case is unpublished; only the OPD
/// implementer of the initiating side is involved in it.
fn expected(route: &RoutePolicy, c: &Caller, self_user: bool) -> (bool, bool) {
    let rel = relation(route.target, c.region, c.role, self_user);
    let eff = |perm: Perm, rel: Relation| {
        let rel = if c.role == Role::OpdImplementer && c.region != Some(OWN) {
            Relation::Unrelated
        } else {
            rel
        };
        granted(perm, c.role, rel)
    };
    let case_target = matches!(
        route.target,
        Target::Case | Target::CaseParty | Target::CaseOwnSide
    );
    let readable = !case_target
        || eff(
            Perm::CaseRead,
            relation(Target::Case, c.region, c.role, false),
        );
    let gate = eff(route.perm, rel)
        || (route.perm == Perm::CaseTransition
            && sinergi_web::auth::is_step_route(route.path)
            && eff(Perm::AgreementSign, rel));
    (readable, readable && gate)
}

fn denied(res: &sinergi_test_support::TestResponse) -> bool {
    let body = String::from_utf8_lossy(&res.body);
    matches!(res.status.as_u16(), 401 | 403 | 404)
        && [
            "auth.required",
            "auth.forbidden",
            "auth.read_only_token",
            "case.not_found",
        ]
        .iter()
        .any(|c| body.contains(c))
}

on_both! {
    async fn every_route_answers_every_role_as_the_table_says(app: TestApp) {
        let case = open_case(&app, "ksdd_sukarela", &[OWN, PARTNER]).await;
        let id = case["id"].as_str().unwrap().to_owned();
        assert_eq!(case["published"], false);
        // The offer has gone out, so the partner shares the case (before, it is the
        // initiator's internal work: see the party-of-the-act tests).
        crate::send_offer(&app, &id).await;
        app.post(&format!("/api/v1/cases/{id}/units"), &json!({"region": OWN, "unit": UNIT}))
            .await
            .assert_status(StatusCode::NO_CONTENT);
        let mut callers = vec![
            Caller { label: "anonymous".into(), token: None, role: Role::Public, region: None },
            Caller { label: "operator".into(), token: Some(TOKEN.into()), role: Role::Operator, region: None },
        ];
        let mut admin_own = None;
        for role in Role::ACCOUNT {
            let regions: &[Option<&'static str>] = if role == Role::Kemendagri {
                &[None]
            } else {
                &[Some(OWN), Some(PARTNER), Some(UNRELATED)]
            };
            for &region in regions {
                let name = format!("{}-{}", role.as_str().replace('_', "-"), region.unwrap_or("nasional"));
                let unit = matches!(role, Role::OpdImplementer | Role::OpdInitiator).then_some(UNIT);
                let uid = app.user(&name, region, &[role.as_str()], unit).await;
                if role == Role::Admin && region == Some(OWN) {
                    admin_own = Some(uid);
                }
                let token = app.token_of(&name).await;
                callers.push(Caller { label: name, token: Some(token), role, region });
            }
        }
        let admin_own = admin_own.unwrap();
        let fill = |path: &str| {
            path.replace("{id}", &id)
                .replace("{ordinal}", "1")
                .replace("{code}", OWN)
                .replace("{partner}", PARTNER)
                .replace("{uid}", &admin_own.to_string())
                .replace("{name}", "tidak-ada")
                .replace("{meeting_id}", &uuid::Uuid::now_v7().to_string())
                .replace("{agreement_id}", &uuid::Uuid::now_v7().to_string())
                .replace("{aid}", &uuid::Uuid::now_v7().to_string())
                .replace("{note_id}", &uuid::Uuid::now_v7().to_string())
                .replace("{activity_id}", &uuid::Uuid::now_v7().to_string())
                .replace("{realisation_id}", &uuid::Uuid::now_v7().to_string())
                .replace("{evidence_id}", &uuid::Uuid::now_v7().to_string())
                .replace("{evaluation_id}", &uuid::Uuid::now_v7().to_string())
                .replace("{notification_id}", &uuid::Uuid::now_v7().to_string())
                .replace("{eid}", &uuid::Uuid::now_v7().to_string())
                .replace("{nid}", &uuid::Uuid::now_v7().to_string())
                .replace("{token}", "tidak-ada")
                .replace("{kind}", "register")
                .replace("{scan}", &uuid::Uuid::now_v7().to_string())
                .replace("{rid}", &uuid::Uuid::now_v7().to_string())
        };
        let mut wrong = Vec::new();
        let mut checked = 0;
        for route in ROUTES {
            let uri = fill(route.path);
            let method = Method::from_bytes(route.method.as_bytes()).unwrap();
            for c in &callers {
                let self_user = c.label == "admin-62";
                let (readable, allowed) = expected(route, c, self_user);
                let auth = c.token.as_ref().map(|t| format!("Bearer {t}"));
                let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("authorization", a.as_str())).collect();
                let res = app.request(method.clone(), &uri, None, &headers).await;
                checked += 1;
                if denied(&res) == allowed {
                    wrong.push(format!(
                        "{} {} as {}: expected {}, got {}",
                        route.method, route.path, c.label,
                        if allowed { "allowed" } else if readable { "forbidden" } else { "hidden" },
                        res.status
                    ));
                }
                if !allowed && !readable && c.role != Role::Public {
                    assert_eq!(res.status, StatusCode::NOT_FOUND, "{} {} as {}: an unreadable case does not exist", route.method, route.path, c.label);
                }
            }
        }
        assert!(checked > 2000, "{checked} requests");
        assert!(wrong.is_empty(), "{} mismatches:\n{}", wrong.len(), wrong.join("\n"));
    }

    async fn cross_region_guessing_forged_csrf_and_reused_sessions_are_refused(app: TestApp) {
        let case = open_case(&app, "ksdd_sukarela", &[OWN, PARTNER]).await;
        let id = case["id"].as_str().unwrap().to_owned();
        app.user("admin-63", Some(UNRELATED), &["admin"], None).await;
        app.user("admin-62", Some(OWN), &["admin"], None).await;
        // An unrelated region's admin guessing the id: the case does not exist for them.
        let outsider = app.token_of("admin-63").await;
        let res = app.as_token(&outsider, Method::GET, &format!("/api/v1/cases/{id}"), None).await;
        res.assert_status(StatusCode::NOT_FOUND);
        assert_eq!(res.code(), "case.not_found");
        let res = app.as_token(&outsider, Method::PATCH, &format!("/api/v1/cases/{id}"), Some(&json!({"expected_version": 1, "title": "Diambil alih"}))).await;
        res.assert_status(StatusCode::NOT_FOUND);
        // Nor can they open a case on someone else's behalf.
        let res = app.as_token(&outsider, Method::POST, "/api/v1/cases", Some(&json!({
            "kind": "ksdd_sukarela", "title": "Kerja sama orang lain", "parties": [{"region": OWN}, {"region": PARTNER}]
        }))).await;
        res.assert_status(StatusCode::FORBIDDEN);
        assert_eq!(res.code(), "auth.not_own_region");

        // A browser session: the form with the right CSRF token works, a forged one does not.
        let s = app.sign_in("admin-62", PASSWORD).await.expect("signed in");
        let page = app.get_as(&s, &format!("/kerja-sama/{id}")).await;
        page.assert_status(StatusCode::OK);
        // A signed-in page is never served to (or from) the anonymous page cache.
        let staff_list = String::from_utf8(app.get_as(&s, "/kerja-sama").await.body).unwrap();
        assert!(staff_list.contains(&id), "the party sees its unpublished case");
        let anon_list = String::from_utf8(app.get("/kerja-sama").await.body).unwrap();
        assert!(!anon_list.contains(&id), "visitors do not");
        let staff_again = String::from_utf8(app.get_as(&s, "/kerja-sama").await.body).unwrap();
        assert!(staff_again.contains(&id));
        let forged = app.post_form(&s, &format!("/kerja-sama/{id}/catatan"), &[("kind", "note"), ("body", "palsu")], Some("0123456789abcdef")).await;
        forged.assert_status(StatusCode::FORBIDDEN);
        assert!(String::from_utf8_lossy(&forged.body).contains("auth.csrf"));
        let missing = app.request(Method::POST, &format!("/kerja-sama/{id}/catatan"), Some(b"kind=note&body=tanpa".to_vec()),
            &[("content-type", "application/x-www-form-urlencoded"), ("cookie", &s.cookie)]).await;
        missing.assert_status(StatusCode::FORBIDDEN);
        let ok = app.post_form(&s, &format!("/kerja-sama/{id}/catatan"), &[("kind", "note"), ("body", "Catatan asli")], None).await;
        ok.assert_status(StatusCode::SEE_OTHER);
        let notes = app.store.list_notes(id.parse().unwrap(), Some(OWN)).await.unwrap();
        assert_eq!(notes.len(), 1, "only the genuine form wrote");

        // After signing out, the same cookie is nobody.
        let out = app.post_form(&s, "/keluar", &[], None).await;
        out.assert_status(StatusCode::SEE_OTHER);
        let again = app.get_as(&s, "/akun").await;
        again.assert_status(StatusCode::UNAUTHORIZED);
        let again = app.post_form(&s, &format!("/kerja-sama/{id}/catatan"), &[("kind", "note"), ("body", "lagi")], None).await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    }

    async fn a_revoked_or_read_only_token_and_a_user_outside_their_role_are_refused(app: TestApp) {
        let case = open_case(&app, "ksdd_sukarela", &[OWN, PARTNER]).await;
        let id = case["id"].as_str().unwrap().to_owned();
        app.user("opd-62", Some(OWN), &["opd_initiator"], Some(UNIT)).await;
        let token = app.token_of("opd-62").await;
        // An OPD initiator may edit the shared content but not move the case along its path.
        let res = app.as_token(&token, Method::POST, &format!("/api/v1/cases/{id}/transitions"), Some(&json!({"action": "submit", "expected_version": 1}))).await;
        res.assert_status(StatusCode::FORBIDDEN);
        assert_eq!(res.code(), "auth.forbidden");
        assert!(res.json()["error"]["message"].as_str().unwrap().contains("case_transition"));
        // A read-only token may read but not write.
        let ro = app.as_token(&token, Method::POST, "/api/v1/me/tokens", Some(&json!({"name": "baca", "scopes": ["read"]}))).await;
        ro.assert_status(StatusCode::CREATED);
        let secret = ro.json()["token"].as_str().unwrap().to_owned();
        app.as_token(&secret, Method::GET, &format!("/api/v1/cases/{id}"), None).await.assert_status(StatusCode::OK);
        let res = app.as_token(&secret, Method::PATCH, &format!("/api/v1/cases/{id}"), Some(&json!({"expected_version": 1, "title": "Baru"}))).await;
        res.assert_status(StatusCode::FORBIDDEN);
        assert_eq!(res.code(), "auth.read_only_token");
        // Revoked: the token is refused outright.
        app.as_token(&token, Method::DELETE, "/api/v1/me/tokens/baca", None).await.assert_status(StatusCode::NO_CONTENT);
        let res = app.as_token(&secret, Method::GET, "/api/v1/me", None).await;
        res.assert_status(StatusCode::UNAUTHORIZED);
        let listed = app.as_token(&token, Method::GET, "/api/v1/me/tokens", None).await.json();
        let baca = listed["items"].as_array().unwrap().iter().find(|t| t["name"] == "baca").unwrap();
        assert!(baca["revoked_at"].is_string());
        assert!(!listed.to_string().contains(&secret), "secrets are never listed");
        // Anonymous writes: 401.
        let res = app.request(Method::PATCH, &format!("/api/v1/cases/{id}"), Some(b"{}".to_vec()), &[("content-type", "application/json")]).await;
        res.assert_status(StatusCode::UNAUTHORIZED);
    }

    async fn typed_text_is_stored_verbatim_and_shown_escaped(app: TestApp) {
        app.user("admin-62", Some(OWN), &["admin", "tkksd_chair"], None).await;
        let token = app.token_of("admin-62").await;
        let evil = "<script>alert('x')</script>'; DROP TABLE cases; --";
        let res = app.as_token(&token, Method::POST, "/api/v1/cases", Some(&json!({
            "kind": "ksdd_sukarela", "title": evil, "object": evil, "background": evil, "objectives": [evil],
            "parties": [{"region": OWN}, {"region": PARTNER}], "fields": [{"label": evil}]
        }))).await;
        res.assert_status(StatusCode::CREATED);
        let id = res.json()["id"].as_str().unwrap().to_owned();
        app.as_token(&token, Method::POST, &format!("/api/v1/cases/{id}/meetings"), Some(&json!({
            "kind": "koordinasi", "date": "2026-06-20", "place": evil, "minutes": evil, "outcomes": [evil]
        }))).await.assert_status(StatusCode::CREATED);
        app.as_token(&token, Method::POST, &format!("/api/v1/cases/{id}/notes"), Some(&json!({"kind": "note", "body": evil}))).await.assert_status(StatusCode::CREATED);
        assert_eq!(app.as_token(&token, Method::GET, &format!("/api/v1/cases/{id}"), None).await.json()["title"], evil);
        let s = app.sign_in("admin-62", PASSWORD).await.unwrap();
        let page = String::from_utf8(app.get_as(&s, &format!("/kerja-sama/{id}")).await.body).unwrap();
        assert!(!page.contains("<script>alert"), "never rendered as markup");
        assert!(page.contains("&#60;script&#62;") || page.contains("&lt;script&gt;"));
        let list = String::from_utf8(app.get_as(&s, "/kerja-sama").await.body).unwrap();
        assert!(!list.contains("<script>alert"));
        assert!(app.get_staff("/api/v1/cases").await.json()["total"].as_i64().unwrap() >= 1, "the table survived");
    }

    async fn a_partner_sees_shared_content_but_not_the_other_sides_private_papers(app: TestApp) {
        let case = open_case(&app, "ksdd_sukarela", &[OWN, PARTNER]).await;
        let id = case["id"].as_str().unwrap().to_owned();
        crate::send_offer(&app, &id).await;
        app.user("tkksd-62", Some(OWN), &["tkksd_member"], None).await;
        app.user("admin-51", Some(PARTNER), &["admin"], None).await;
        let own = app.token_of("tkksd-62").await;
        let partner = app.token_of("admin-51").await;
        for (body, shared) in [("Telaahan rahasia TKKSD", false), ("Catatan untuk mitra", true)] {
            app.as_token(&own, Method::POST, &format!("/api/v1/cases/{id}/notes"), Some(&json!({"kind": "tkksd_review", "body": body, "shared": shared})))
                .await.assert_status(StatusCode::CREATED);
        }
        let seen = app.as_token(&partner, Method::GET, &format!("/api/v1/cases/{id}/notes"), None).await.json().to_string();
        assert!(seen.contains("Catatan untuk mitra") && !seen.contains("rahasia"), "{seen}");
        let mine = app.as_token(&own, Method::GET, &format!("/api/v1/cases/{id}/notes"), None).await.json().to_string();
        assert!(mine.contains("rahasia") && mine.contains("Catatan untuk mitra"));
        // The partner edits the shared content.
        let v = app.get_staff(&format!("/api/v1/cases/{id}")).await.json()["version"].clone();
        let res = app.as_token(&partner, Method::PATCH, &format!("/api/v1/cases/{id}"), Some(&json!({"expected_version": v, "objectives": ["Saling mengisi"]}))).await;
        res.assert_status(StatusCode::OK);
        // The partner's page shows the shared note and not the private one.
        let s = app.sign_in("admin-51", PASSWORD).await.unwrap();
        let page = String::from_utf8(app.get_as(&s, &format!("/kerja-sama/{id}")).await.body).unwrap();
        assert!(page.contains("Catatan untuk mitra") && !page.contains("rahasia"));
        // Anonymous visitors see published cases without staff's personal data.
        app.store.load_founding_case(app.now()).await.unwrap();
        let public = app.get("/api/v1/cases/017fb939-1400-7000-8000-000000006251").await;
        public.assert_status(StatusCode::OK);
        let officials = app.get("/api/v1/regions/62/officials").await.json().to_string();
        assert!(!officials.contains("\"phone\":\"") && !officials.contains("\"nip\":\""), "{officials}");
    }

    async fn failed_sign_ins_lock_the_account_and_flood_is_limited(app: TestApp) {
        app.user("budi", Some(OWN), &["admin"], None).await;
        for _ in 0..4 {
            let r = app.post_sign_in("budi", "salah-salah-salah").await;
            r.assert_status(StatusCode::UNAUTHORIZED);
            assert!(String::from_utf8_lossy(&r.body).contains("Nama pengguna atau kata sandi salah"));
        }
        let r = app.post_sign_in("budi", "salah-salah-salah").await;
        r.assert_status(StatusCode::TOO_MANY_REQUESTS);
        assert!(String::from_utf8_lossy(&r.body).contains("Akun dikunci sementara"));
        // Even the right password is refused while locked, and works after the lockout.
        assert!(app.sign_in("budi", PASSWORD).await.is_none());
        app.clock.advance(time::Duration::minutes(16));
        assert!(app.sign_in("budi", PASSWORD).await.is_some());
        // Many attempts from one address within a minute are slowed down, whatever the name.
        let mut limited = false;
        for i in 0..40 {
            let r = app.post_sign_in(&format!("orang{i}"), "apa-saja-salah").await;
            if r.status == StatusCode::TOO_MANY_REQUESTS {
                assert!(String::from_utf8_lossy(&r.body).contains("Terlalu banyak percobaan"));
                limited = true;
                break;
            }
        }
        assert!(limited);
    }

    async fn password_change_and_sign_out_everywhere_end_old_sessions(app: TestApp) {
        app.user("sari", Some(PARTNER), &["admin"], None).await;
        let laptop = app.sign_in("sari", PASSWORD).await.unwrap();
        let phone = app.sign_in("sari", PASSWORD).await.unwrap();
        app.clock.advance(time::Duration::seconds(5));
        let res = app.post_form(&laptop, "/akun/sandi", &[("current", "salah-sekali-ini"), ("new", "kata-sandi-baru-1"), ("confirm", "kata-sandi-baru-1")], None).await;
        res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(String::from_utf8_lossy(&res.body).contains("Kata sandi saat ini salah"));
        let res = app.post_form(&laptop, "/akun/sandi", &[("current", PASSWORD), ("new", "kata-sandi-baru-1"), ("confirm", "kata-sandi-baru-1")], None).await;
        res.assert_status(StatusCode::SEE_OTHER);
        app.get_as(&phone, "/akun").await.assert_status(StatusCode::UNAUTHORIZED);
        assert!(app.sign_in("sari", PASSWORD).await.is_none());
        let fresh = app.sign_in("sari", "kata-sandi-baru-1").await.unwrap();
        app.clock.advance(time::Duration::seconds(5));
        app.post_form(&fresh, "/akun/keluar-semua", &[], None).await.assert_status(StatusCode::SEE_OTHER);
        app.get_as(&fresh, "/akun").await.assert_status(StatusCode::UNAUTHORIZED);
    }

    async fn the_audit_chain_records_every_change_and_detects_tampering(app: TestApp) {
        app.user("admin-62", Some(OWN), &["admin"], None).await;
        let token = app.token_of("admin-62").await;
        let res = app.as_token(&token, Method::POST, "/api/v1/cases", Some(&json!({
            "kind": "ksdd_sukarela", "title": "Kerja Sama Audit", "fields": [{"code": "umkm"}], "parties": [{"region": OWN}, {"region": PARTNER}]
        }))).await;
        res.assert_status(StatusCode::CREATED);
        let id = res.json()["id"].as_str().unwrap().to_owned();
        app.as_token(&token, Method::PATCH, &format!("/api/v1/cases/{id}"), Some(&json!({"expected_version": 1, "title": "Kerja Sama Audit (revisi)"})))
            .await.assert_status(StatusCode::OK);
        let trail = app.as_token(&token, Method::GET, &format!("/api/v1/cases/{id}/audit"), None).await.json();
        let items = trail["items"].as_array().unwrap();
        assert_eq!(items[0]["action"], "case.update");
        assert_eq!(items[0]["actor"], "admin-62");
        assert_eq!(items[0]["role"], "admin");
        assert_eq!(items[0]["region"], OWN);
        assert_eq!(items[0]["before"]["title"], "Kerja Sama Audit");
        assert_eq!(items[0]["after"]["title"], "Kerja Sama Audit (revisi)");
        assert!(items[0]["request_id"].is_string(), "the request id of the change");
        assert_eq!(items[1]["action"], "case.create");
        let mine = app.as_token(&token, Method::GET, "/api/v1/me/audit", None).await.json();
        assert_eq!(mine["items"].as_array().unwrap().len(), 2, "the case's creation and its edit");

        let verify = |url: &str| sinergi().args(["audit", "verify", "--database-url", url]).output().unwrap();
        let out = verify(&app.url);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("Rantai audit utuh"));

        // Someone with database access rewrites history.
        let seq: i64 = match app.store.db() {
            sinergi_store::Db::Sqlite(p) => {
                sqlx::query("DROP TRIGGER audit_log_no_update").execute(p).await.unwrap();
                let seq: i64 = sqlx::query_scalar("SELECT seq FROM audit_log WHERE action = 'case.update'").fetch_one(p).await.unwrap();
                sqlx::query("UPDATE audit_log SET after_json = REPLACE(after_json, '(revisi)', '(palsu)') WHERE seq = $1").bind(seq).execute(p).await.unwrap();
                seq
            }
            sinergi_store::Db::Postgres(p) => {
                sqlx::query("DROP TRIGGER audit_log_no_update ON audit_log").execute(p).await.unwrap();
                let seq: i64 = sqlx::query_scalar("SELECT seq FROM audit_log WHERE action = 'case.update'").fetch_one(p).await.unwrap();
                sqlx::query("UPDATE audit_log SET after_json = REPLACE(after_json, '(revisi)', '(palsu)') WHERE seq = $1").bind(seq).execute(p).await.unwrap();
                seq
            }
        };
        let out = verify(&app.url);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("#{seq}")) && err.contains("diubah"), "{err}");
    }

    async fn the_command_line_creates_users_and_tokens(app: TestApp) {
        let out = sinergi().args(["admin", "create-user", "--username", "gubernur-staf", "--password", "kata-sandi-kuat-1",
            "--region", "62", "--role", "kepala_daerah_staff", "--database-url", &app.url]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let out = sinergi().args(["admin", "create-user", "--username", "x", "--password", "pendek",
            "--region", "99", "--role", "raja", "--database-url", &app.url]).output().unwrap();
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("Peran \"raja\" tidak dikenal"));
        let out = sinergi().args(["admin", "create-token", "--username", "gubernur-staf", "--name", "skrip", "--database-url", &app.url]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8(out.stdout).unwrap();
        let token = stdout.lines().last().unwrap().trim().to_owned();
        let me = app.as_token(&token, Method::GET, "/api/v1/me", None).await;
        me.assert_status(StatusCode::OK);
        assert_eq!(me.json()["roles"], json!(["kepala_daerah_staff"]));
        let out = sinergi().args(["admin", "list-tokens", "--username", "gubernur-staf", "--database-url", &app.url]).output().unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains("skrip"));
        let out = sinergi().args(["admin", "revoke-token", "--username", "gubernur-staf", "--name", "skrip", "--database-url", &app.url]).output().unwrap();
        assert!(out.status.success());
        app.as_token(&token, Method::GET, "/api/v1/me", None).await.assert_status(StatusCode::UNAUTHORIZED);
    }
}

on_both! {
    async fn a_users_language_region_and_atas_nama_follow_the_account(app: TestApp) {
        use axum::http::Method;
        let gub = crate::official(&app, "62", "Agustiar Sabran", "Gubernur Kalimantan Tengah", "kepala_daerah", "definitif").await;
        assert!(!gub.is_empty());
        app.user("ajudan-62", Some(OWN), &["kepala_daerah_staff"], None).await;
        app.user("admin-62", Some(OWN), &["admin"], None).await;
        let case = open_case(&app, "ksdd_sukarela", &[OWN, PARTNER]).await;
        let id = case["id"].as_str().unwrap().to_owned();
        // The dashboard opens on the user's own region.
        let s = app.sign_in("admin-62", PASSWORD).await.unwrap();
        let page = String::from_utf8(app.get_as(&s, "/").await.body).unwrap();
        assert!(page.contains("list=\"daerah\" value=\"62"), "the region picker holds the user's region");
        let national = String::from_utf8(app.get_as(&s, "/?wilayah=").await.body).unwrap();
        assert!(national.contains("list=\"daerah\" value=\"\""), "an empty choice is the national view");
        // English as the account's language, without ?lang.
        app.post_form(&s, "/akun/bahasa", &[("language", "en")], None).await.assert_status(StatusCode::SEE_OTHER);
        let page = String::from_utf8(app.get_as(&s, "/kerja-sama").await.body).unwrap();
        assert!(page.contains("<html lang=\"en\">"), "the user's language");
        let page = String::from_utf8(app.get_as(&s, "/kerja-sama?lang=id").await.body).unwrap();
        assert!(page.contains("<html lang=\"id\">"), "an explicit choice still wins");
        // Staff acting for the governor are recorded "atas nama".
        let token = app.token_of("ajudan-62").await;
        let me = app.as_token(&token, Method::GET, "/api/v1/me", None).await.json();
        assert_eq!(me["roles"], json!(["kepala_daerah_staff"]));
        let res = app.as_token(&token, Method::POST, &format!("/api/v1/cases/{id}/transitions"), Some(&json!({"action": "submit", "expected_version": 1}))).await;
        res.assert_status(StatusCode::FORBIDDEN);
        assert!(res.json()["error"]["message"].as_str().unwrap().contains("case_transition"), "staff may sign, not steer");
        let principal = app.store.token_principal(&token, app.now()).await.unwrap().unwrap();
        assert_eq!(principal.actor_label(), "ajudan-62 a.n. Gubernur Kalimantan Tengah Agustiar Sabran");
    }
}

on_both! {
    async fn the_demo_accounts_sign_in_and_see_their_side(app: TestApp) {
        app.store.load_founding_case(app.now()).await.unwrap();
        let policy = sinergi_store::LoginPolicy::default();
        let made = app.store.load_demo_accounts(&policy, app.now()).await.unwrap();
        assert_eq!(made.len(), 7);
        assert!(app.store.load_demo_accounts(&policy, app.now()).await.unwrap().is_empty(), "idempotent");
        let s = app.sign_in("admin.bali", sinergi_store::DEMO_PASSWORD).await.expect("demo sign-in");
        let page = String::from_utf8(app.get_as(&s, "/kerja-sama/017fb939-1400-7000-8000-000000006251").await.body).unwrap();
        assert!(page.contains("Catatan internal"), "a party sees its notes section");
        assert!(page.contains("/kerja-sama/017fb939-1400-7000-8000-000000006251/audit"), "and the audit trail");
        let audit = app.get_as(&s, "/kerja-sama/017fb939-1400-7000-8000-000000006251/audit").await;
        audit.assert_status(StatusCode::OK);
        let k = app.sign_in("kemendagri", sinergi_store::DEMO_PASSWORD).await.unwrap();
        let page = String::from_utf8(app.get_as(&k, "/kerja-sama/017fb939-1400-7000-8000-000000006251").await.body).unwrap();
        assert!(!page.contains("id=\"aksi-pertemuan\""), "Kemendagri reads, never edits");
    }
}
