//! The HTML pages, read as text (the browser tests drive them in chromium).

use crate::{on_both, open_case};
use axum::http::Method;

fn html(res: &sinergi_test_support::TestResponse) -> String {
    String::from_utf8(res.body.clone()).unwrap()
}

/// A signed-in secretariat admin of `region`.
async fn staff_in(
    app: &sinergi_test_support::TestApp,
    region: &str,
) -> sinergi_test_support::Session {
    let name = format!("staf-{region}");
    app.user(&name, Some(region), &["admin", "tkksd_chair"], None)
        .await;
    app.sign_in(&name, sinergi_test_support::PASSWORD)
        .await
        .expect("signed in")
}

on_both! {
    async fn the_founding_case_page_tells_the_story(app: TestApp) {
        app.store.load_founding_case(app.now()).await.unwrap();
        let res = app.get("/kerja-sama/017fb939-1400-7000-8000-000000006251").await;
        res.assert_status(StatusCode::OK);
        let page = html(&res);
        assert!(page.contains("<html lang=\"id\">"));
        for fact in ["Kamis, 24 Maret 2022", "Sabtu, 26 Maret 2022", "Kantor Gubernur Bali, Denpasar", "Gedung Gajah",
                     "Pj. Sekretaris Daerah Provinsi Kalimantan Tengah", "Dewa Made Indra", "Sugianto Sabran", "Wayan Koster",
                     "PIHAK KESATU", "PIHAK KEDUA", "Pariwisata dan Kebudayaan", "prioritas", "nomor KB tidak dipublikasikan",
                     "Kesepakatan Bersama ditandatangani", "mempertajam ruang lingkup"] {
            assert!(page.contains(fact), "the case page lacks {fact}");
        }
        // The founding case was recorded once signed: the stages before are not in its
        // history, and the tracker says so rather than claiming they were passed.
        assert!(page.contains("tidak tercatat"), "unrecorded stages are marked as such");
        let en = html(&app.request(Method::GET, "/kerja-sama/017fb939-1400-7000-8000-000000006251", None, &[("accept-language", "en")]).await);
        assert!(en.contains("<html lang=\"en\">") && en.contains("Thursday, 24 March 2022"));
        assert!(html(&app.get("/kerja-sama/017fb939-1400-7000-8000-000000006251?lang=en").await).contains("Saturday, 26 March 2022"));
    }

    async fn the_register_dashboard_and_region_pages_show_cases(app: TestApp) {
        app.store.load_founding_case(app.now()).await.unwrap();
        let reg = html(&app.get("/kerja-sama?region=51").await);
        assert!(reg.contains("Kesepakatan Bersama antara Pemerintah Provinsi Kalimantan Tengah"));
        assert!(html(&app.get("/kerja-sama?region=63").await).contains("Tidak ada kerja sama"));
        let bad = html(&app.get("/kerja-sama?year=abc&stage=NGAWUR").await);
        assert!(bad.contains("Tahun tidak valid") && bad.contains("Tahap tidak dikenal"));
        let csv = app.get("/kerja-sama?format=csv").await;
        assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
        assert!(html(&csv).contains("Pemerintah Provinsi Bali (51)"));
        let xlsx = app.get("/kerja-sama?format=xlsx").await;
        assert_eq!(&xlsx.body[..2], b"PK", "an XLSX file is a zip archive");
        let home = html(&app.get("/").await);
        assert!(home.contains("Kesepakatan Bersama ditandatangani"));
        let bali = html(&app.get("/wilayah/51").await);
        assert!(bali.contains("Pemerintah Provinsi Kalimantan Tengah") || bali.contains("Kalimantan Tengah"));
        assert!(bali.contains("<svg class=\"graph\""));
        assert!(bali.contains("WITA"));
    }

    async fn unknown_pages_and_errors_are_pages_with_a_request_id(app: TestApp) {
        let res = app.get("/tidak-ada").await;
        res.assert_status(StatusCode::NOT_FOUND);
        let page = html(&res);
        assert!(page.contains("Halaman tidak ditemukan") && page.contains("Nomor permintaan"));
        let res = app.get("/kerja-sama/bukan-id").await;
        res.assert_status(StatusCode::NOT_FOUND);
        assert!(html(&res).contains("<!doctype html>"));
    }

    async fn a_refused_form_keeps_what_the_user_typed(app: TestApp) {
        let s = staff_in(&app, "62").await;
        let cookie = s.cookie.clone();
        let body = &format!("{}&_csrf={}", "title=Kerja+Sama+Sampah+%3Cb%3E&kind=ksdd_wajib&party1=62+%E2%80%94+Kalimantan+Tengah&party2=51&fields=umkm&objectives=Tujuan+saya", s.csrf);
        let res = app.request(Method::POST, "/kerja-sama", Some(body.as_bytes().to_vec()),
            &[("cookie", &cookie), ("content-type", "application/x-www-form-urlencoded")]).await;
        res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let page = html(&res);
        assert!(page.contains("tidak berbatasan"), "the specific message is shown");
        assert!(page.contains("value=\"Kerja Sama Sampah &#60;b&#62;\"") || page.contains("value=\"Kerja Sama Sampah &lt;b&gt;\""), "typed text kept, escaped");
        assert!(page.contains("Tujuan saya"));
        assert!(page.contains("id=\"field-umkm\" name=\"fields\" value=\"umkm\" checked"));
        // Anonymous visitors cannot post.
        let res = app.request(Method::POST, "/kerja-sama", Some(body.as_bytes().to_vec()), &[("content-type", "application/x-www-form-urlencoded")]).await;
        res.assert_status(StatusCode::UNAUTHORIZED);
    }

    async fn typed_names_are_resolved_and_the_language_choice_is_remembered(app: TestApp) {
        let s = staff_in(&app, "62.71").await;
        let cookie = s.cookie.clone();
        let body = &format!("{}&_csrf={}", "title=Kerja+Sama+Sungai&kind=ksdd_sukarela&party1=Palangka+Raya&party2=Kota+Denpasar&fields=umkm", s.csrf);
        let res = app.request(Method::POST, "/kerja-sama", Some(body.as_bytes().to_vec()),
            &[("cookie", &cookie), ("content-type", "application/x-www-form-urlencoded")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", html(&res));
        let list = app.get_staff("/api/v1/cases?q=sungai").await.json();
        assert_eq!(list["items"][0]["parties"][0]["region"], "62.71");
        assert_eq!(list["items"][0]["parties"][1]["region"], "51.71");
        let res = app.get("/bahasa?ke=en&kembali=/kerja-sama").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(res.headers["location"], "/kerja-sama");
        assert!(res.headers["set-cookie"].to_str().unwrap().starts_with("lang=en"));
        let en = html(&app.request(Method::GET, "/kerja-sama", None, &[("cookie", "lang=en")]).await);
        assert!(en.contains("<html lang=\"en\">"));
        let evil = app.get("/bahasa?ke=en&kembali=//evil.example").await;
        assert_eq!(evil.headers["location"], "/");
        // The header's language link goes through /bahasa with the page's own parameters, and
        // a signed-in user's choice follows the account to another browser (issue 13).
        let page = html(&app.request(Method::GET, "/kerja-sama?q=sungai", None, &[("cookie", &cookie)]).await);
        assert!(page.contains("href=\"/bahasa?ke=en&#38;kembali=%2Fkerja-sama%3Fq%3Dsungai\""), "the language link");
        let res = app.request(Method::GET, "/bahasa?ke=en&kembali=/kerja-sama", None, &[("cookie", &cookie)]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let again = app.sign_in("staf-62.71", sinergi_test_support::PASSWORD).await.expect("signed in");
        let en = html(&app.request(Method::GET, "/kerja-sama", None, &[("cookie", &again.cookie)]).await);
        assert!(en.contains("<html lang=\"en\">"), "the account remembers English");
    }

    async fn the_dashboard_shows_what_is_due_and_what_happened(app: TestApp) {
        let case = open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let id = case["id"].as_str().unwrap();
        app.post(&format!("/api/v1/cases/{id}/meetings"), &serde_json::json!({
            "kind": "koordinasi", "date": "2026-06-20", "start_time": "09:00", "place": "Palangka Raya",
            "next_steps": [{"text": "Kirim rancangan KAK", "due_on": "2026-06-25"}, {"text": "Sudah lewat", "due_on": "2026-01-01"}]
        })).await.assert_status(StatusCode::CREATED);
        let cookie = staff_in(&app, "62").await.cookie;
        let page = html(&app.request(Method::GET, "/?wilayah=62", None, &[("cookie", &cookie)]).await);
        assert!(page.contains("Kirim rancangan KAK") && page.contains("Kamis, 25 Juni 2026"), "the next step and its due date");
        assert!(!page.contains("Sudah lewat"), "past follow-ups are not listed");
        assert!(page.contains("Sabtu, 20 Juni 2026"), "the upcoming meeting");
        assert!(page.contains("Usulan (draf)"), "counts by stage");
        let other = html(&app.request(Method::GET, "/?wilayah=63", None, &[("cookie", &cookie)]).await);
        assert!(!other.contains("Kirim rancangan KAK"), "another region's dashboard does not show it");
    }

    async fn a_change_shows_at_once_on_pages_served_from_the_cache(app: TestApp) {
        let before = html(&app.get("/kerja-sama").await);
        assert!(before.contains("Tidak ada kerja sama"));
        assert!(html(&app.get("/kerja-sama").await).contains("Tidak ada kerja sama"), "served again (from the cache)");
        let res = app.post("/api/v1/cases", &serde_json::json!({"title": "Kerja Sama Cache", "kind": "ksdd_sukarela",
            "published": true, "fields": [{"code": "umkm"}], "parties": [{"region": "62"}, {"region": "51"}]})).await;
        res.assert_status(StatusCode::CREATED);
        let after = html(&app.get("/kerja-sama").await);
        assert!(after.contains("Kerja Sama Cache"), "the accepted change invalidated the cached page");
    }

    async fn a_refused_transition_keeps_the_note_the_user_wrote(app: TestApp) {
        let case = open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let id = case["id"].as_str().unwrap();
        let s = staff_in(&app, "62").await;
        let cookie = s.cookie.clone();
        let body = &format!("action=submit&expected_version=99&note=Catatan+saya+%3Cpenting%3E&_csrf={}", s.csrf);
        let res = app.request(Method::POST, &format!("/kerja-sama/{id}/transisi"), Some(body.as_bytes().to_vec()),
            &[("cookie", &cookie), ("content-type", "application/x-www-form-urlencoded")]).await;
        res.assert_status(StatusCode::CONFLICT);
        let page = html(&res);
        assert!(page.contains("diubah oleh pengguna lain"), "the stale version is explained");
        assert!(page.contains("Catatan saya &#60;penting&#62;") || page.contains("Catatan saya &lt;penting&gt;"), "the note is kept, escaped");
        assert!(page.contains("id=\"aksi-submit\" open"), "the refused form is open");
        assert_eq!(app.get_staff(&format!("/api/v1/cases/{id}")).await.json()["version"], 1, "nothing changed");
    }
}
