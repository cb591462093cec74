//! The whole path through the web interface in chromium, from an empty database to a
//! signed Kesepakatan Bersama; screenshots of the main pages go to artifacts/screenshots.

use sinergi_test_support::{Browser, PASSWORD, TestApp};

/// Signs in through the form with the test password.
async fn sign_in(b: &Browser, base: &str, username: &str) {
    sign_in_with(b, base, username, PASSWORD).await;
}

/// Signs in through the form (signing out first when someone is signed in).
pub(crate) async fn sign_in_with(b: &Browser, base: &str, username: &str, password: &str) {
    b.goto(&format!("{base}/?lang=id")).await;
    if b.page_source().await.contains("action=\"/keluar\"") {
        click_and_load(b, "form[action='/keluar'] button[type=submit]").await;
    }
    b.goto(&format!("{base}/masuk?lang=id")).await;
    b.fill("#username", username).await;
    b.fill("#password", password).await;
    click_and_load(b, "form[action='/masuk'] button[type=submit]").await;
    b.wait_for("#akun").await;
}

async fn browser() -> Option<Browser> {
    if !Browser::available() {
        assert!(
            std::env::var("CI").is_err(),
            "browser tests may not be skipped in CI (apt-get install chromium chromium-driver)"
        );
        eprintln!("skipped: chromium or chromedriver missing");
        return None;
    }
    Some(Browser::start().await)
}

/// Sets an input's value the way a date picker would (typing into `type=date` depends on
/// the browser's locale).
pub(crate) async fn set(b: &Browser, css: &str, value: &str) {
    let el = b.find(css).await;
    let arg = serde_json::to_value(&el).unwrap();
    b.client()
        .execute(
            "arguments[0].value = arguments[1]",
            vec![arg, serde_json::json!(value)],
        )
        .await
        .unwrap();
}

/// Clicks a submit button and waits until the next page has replaced this one (an element
/// with the same id may exist on both, so waiting for it alone would race).
pub(crate) async fn click_and_load(b: &Browser, css: &str) {
    b.client()
        .execute("window.__sinergiOld = true", vec![])
        .await
        .unwrap();
    b.click(css).await;
    for _ in 0..400 {
        let fresh = b
            .client()
            .execute(
                "return window.__sinergiOld !== true && document.readyState === 'complete'",
                vec![],
            )
            .await;
        if matches!(fresh, Ok(serde_json::Value::Bool(true))) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the page after clicking {css} did not load");
}

/// Opens a collapsed form (a form the page already opened stays open).
pub(crate) async fn open(b: &Browser, details: &str) {
    let open: bool = b
        .client()
        .execute(
            "return document.querySelector(arguments[0]).open;",
            vec![serde_json::Value::String(details.to_owned())],
        )
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if !open {
        b.click(&format!("{details} > summary")).await;
    }
}

pub(crate) async fn act(b: &Browser, action: &str) {
    open(b, &format!("#aksi-{action}")).await;
    click_and_load(b, &format!("#aksi-{action} button[type=submit]")).await;
}

/// The own party's OPD writes its KAK on the case page (the offer needs it).
pub(crate) async fn write_kak(b: &Browser) {
    open(b, "#aksi-kak").await;
    for (field, text) in [
        (
            "background",
            "Potensi wisata dan UMKM kedua daerah saling mengisi.",
        ),
        (
            "purpose",
            "Meningkatkan kunjungan wisata dan pemasaran produk UMKM.",
        ),
        ("object", "Pariwisata dan UMKM"),
        ("scope", "Promosi bersama; temu usaha UMKM."),
        ("duration", "5 (lima) tahun"),
        ("benefits", "Kunjungan wisata dan pasar baru bagi UMKM."),
        ("financing", "APBD masing-masing pihak, TA 2027"),
    ] {
        b.fill(&format!("#kak-{field}"), text).await;
    }
    click_and_load(b, "#form-kak button[type=submit]").await;
    assert!(
        b.page_source()
            .await
            .contains("KAK disimpan sebagai versi baru."),
        "the KAK is saved"
    );
}

pub(crate) async fn stage(b: &Browser) -> String {
    b.text("#tahap").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_take_a_case_from_an_empty_database_to_a_signed_kb_in_the_browser() {
    let Some(b) = browser().await else { return };
    let app = TestApp::sqlite().await;
    let base = app.serve().await;
    assert_eq!(
        app.get("/api/v1/cases").await.json()["total"],
        0,
        "an empty database"
    );

    // Each city's KSD secretariat admin has an account; each manages only its own officials
    // and acts only for its own city.
    app.user("admin-pky", Some("62.71"), &["admin", "tkksd_chair"], None)
        .await;
    app.user("admin-dps", Some("51.71"), &["admin", "tkksd_chair"], None)
        .await;

    // Officials and the TKKSD of both cities, each entered by that city's admin.
    for (code, head, title, admin) in [
        ("51.71", "Wali Kota Coba", "Wali Kota Denpasar", "admin-dps"),
        (
            "62.71",
            "Wali Kota Uji",
            "Wali Kota Palangka Raya",
            "admin-pky",
        ),
    ] {
        sign_in(&b, &base, admin).await;
        b.goto(&format!("{base}/wilayah/{code}")).await;
        open(&b, "#aksi-pejabat").await;
        b.fill("#o-name", head).await;
        b.fill("#o-position", title).await;
        b.select("#o-office", "kepala_daerah").await;
        click_and_load(&b, "#form-pejabat button[type=submit]").await;
    }
    // Each city's Sekda chairs its own TKKSD (Denpasar's first, then Palangka Raya's).
    for (code, sekda, title, acting, admin, sk) in [
        (
            "51.71",
            "Sekda Coba",
            "Sekretaris Daerah Kota Denpasar",
            "definitif",
            "admin-dps",
            "188.45/3/2026",
        ),
        (
            "62.71",
            "Sekda Uji",
            "Sekretaris Daerah Kota Palangka Raya",
            "plt",
            "admin-pky",
            "188.45/12/2026",
        ),
    ] {
        sign_in(&b, &base, admin).await;
        b.goto(&format!("{base}/wilayah/{code}")).await;
        open(&b, "#aksi-pejabat").await;
        b.fill("#o-name", sekda).await;
        b.fill("#o-position", title).await;
        b.select("#o-office", "sekda").await;
        b.select("#o-acting", acting).await;
        click_and_load(&b, "#form-pejabat button[type=submit]").await;
        open(&b, "#aksi-tkksd").await;
        let options = b
            .client()
            .find_all(fantoccini::Locator::Css("#form-tkksd select"))
            .await
            .unwrap();
        for sel in options {
            let label_for = sel.attr("id").await.unwrap().unwrap();
            let label = b.text(&format!("label[for='{label_for}']")).await;
            if label.contains(sekda) {
                sel.select_by_value("ketua").await.unwrap();
            }
        }
        b.fill("#t-sk", sk).await;
        click_and_load(&b, "#form-tkksd button[type=submit]").await;
        assert!(b.page_source().await.contains("(ketua)"));
    }
    assert!(
        b.page_source()
            .await
            .contains("Plt. Sekretaris Daerah Kota Palangka Raya")
    );

    // A new case between the two cities, through the picker.
    b.goto(&format!("{base}/kerja-sama/baru")).await;
    b.fill("#title", "Kerja Sama Pengembangan Wisata Sungai dan Pantai")
        .await;
    b.select("#kind", "ksdd_sukarela").await;
    b.fill("#party1", "62.71 — Kota Palangkaraya").await;
    b.fill("#party2", "51.71 — Kota Denpasar").await;
    b.click("#field-pariwisata_kebudayaan").await;
    b.click("#prio-pariwisata_kebudayaan").await;
    b.click("#field-umkm").await;
    b.fill("#objectives", "Saling mengisi potensi wisata").await;
    b.click("#published").await;
    b.screenshot("form-kerja-sama-baru").await;
    click_and_load(&b, "#form-kerja-sama button[type=submit]").await;
    assert_eq!(
        b.text("#judul").await,
        "Kerja Sama Pengembangan Wisata Sungai dan Pantai"
    );
    assert_eq!(stage(&b).await, "Usulan (draf)");
    let case_url = b.current_url().await;
    assert!(
        b.page_source().await.contains("Kerja sama dibuat."),
        "the form says what happened"
    );
    let case_url = case_url.split(['?', '#']).next().unwrap().to_owned();

    // A penjajakan meeting hosted in Denpasar, shown in WITA and converted for WIB.
    open(&b, "#aksi-pertemuan").await;
    b.select("#m-kind", "penjajakan").await;
    set(&b, "#m-date", "2026-05-20").await;
    set(&b, "#m-start", "10:00").await;
    b.fill("#m-host", "51.71").await;
    b.fill("#m-place", "Kantor Wali Kota Denpasar").await;
    b.fill(
        "#m-participants",
        "Sekda Uji — Plt. Sekretaris Daerah Kota Palangka Raya",
    )
    .await;
    b.fill("#m-outcomes", "Kedua pihak sepakat mengkaji konsep")
        .await;
    click_and_load(&b, "#form-pertemuan button[type=submit]").await;
    let page = b.page_source().await;
    assert!(page.contains("Rabu, 20 Mei 2026"), "the date in Indonesian");
    assert!(page.contains("pukul 10.00 WITA (09.00 WIB)"));

    // Through the stages.
    act(&b, "submit").await;
    assert_eq!(stage(&b).await, "Diajukan ke TKKSD");
    act(&b, "start_review").await;
    open(&b, "#aksi-recommend").await;
    b.select("#rec-recommend", "layak").await;
    click_and_load(&b, "#aksi-recommend button[type=submit]").await;
    assert_eq!(stage(&b).await, "Penawaran disiapkan");

    // Trying to send the offer without a letter is refused with a specific message.
    open(&b, "#aksi-surat").await;
    b.select("#l-kind", "penawaran").await;
    b.fill("#l-number", "000.8.3.3/15/KS").await;
    set(&b, "#l-date", "2026-05-21").await;
    b.select("#l-from", "62.71").await;
    b.select("#l-to", "51.71").await;
    let heads = b
        .client()
        .find_all(fantoccini::Locator::Css("#l-sign option"))
        .await
        .unwrap();
    let mut head_id = String::new();
    for o in heads {
        if o.text().await.unwrap().contains("Wali Kota Uji") {
            head_id = o.attr("value").await.unwrap().unwrap();
        }
    }
    b.select("#l-sign", &head_id).await;
    b.fill("#l-subject", "Penawaran kerja sama wisata").await;
    b.click("#l-kak").await;
    b.click("#l-rkb").await;
    click_and_load(&b, "#form-surat button[type=submit]").await;
    // Sending it without the KAK the letter carries is refused with the reason; the OPD
    // writes it on the page, then the offer goes.
    act(&b, "send_offer").await;
    assert!(
        b.text(".errors").await.contains("belum menyusun KAK"),
        "an offer without the KAK is refused"
    );
    write_kak(&b).await;
    act(&b, "send_offer").await;
    assert_eq!(stage(&b).await, "Penawaran dikirim");
    assert!(
        b.find_all("#aksi-record_reply").await.is_empty(),
        "the initiator does not answer its own offer"
    );

    // Denpasar's side: it acknowledges the offer, its own TKKSD reviews it, and it answers
    // with its own reply letter.
    sign_in(&b, &base, "admin-dps").await;
    b.goto(&case_url).await;
    act(&b, "mark_offer_delivered").await;
    assert_eq!(stage(&b).await, "Menunggu jawaban");
    act(&b, "record_reply").await;
    assert!(
        b.text("#aksi-record_reply .errors")
            .await
            .contains("surat jawaban Kota Denpasar"),
        "a reply needs the party's own reply letter"
    );
    open(&b, "#aksi-review_offer").await;
    b.select("#rec-review_offer", "layak").await;
    click_and_load(&b, "#aksi-review_offer button[type=submit]").await;
    open(&b, "#aksi-surat").await;
    b.select("#l-kind", "jawaban").await;
    b.fill("#l-number", "000.8.3.3/7/KS").await;
    set(&b, "#l-date", "2026-05-25").await;
    b.select("#l-to", "62.71").await;
    let heads = b
        .client()
        .find_all(fantoccini::Locator::Css("#l-sign option"))
        .await
        .unwrap();
    for o in heads {
        if o.text().await.unwrap().contains("Wali Kota Coba") {
            let v = o.attr("value").await.unwrap().unwrap();
            b.select("#l-sign", &v).await;
        }
    }
    b.fill("#l-subject", "Jawaban atas penawaran kerja sama wisata")
        .await;
    click_and_load(&b, "#form-surat button[type=submit]").await;
    act(&b, "record_reply").await;
    assert_eq!(stage(&b).await, "Penyusunan Kesepakatan Bersama");

    // The KB: drafted, finalised; signing refused until the heads of region sign.
    sign_in(&b, &base, "admin-pky").await;
    b.goto(&case_url).await;
    open(&b, "#aksi-kb-baru").await;
    set(&b, "#kb-start", "2026-06-01").await;
    set(&b, "#kb-end", "2031-05-31").await;
    click_and_load(&b, "#form-kb-baru button[type=submit]").await;
    act(&b, "finalize_kb").await;
    assert_eq!(stage(&b).await, "Kesepakatan Bersama final");
    act(&b, "sign_kb").await;
    assert!(
        b.text("#aksi-sign_kb .errors")
            .await
            .contains("Tanggal penandatanganan Kesepakatan Bersama belum diisi"),
        "a specific refusal, shown in the refused form"
    );
    assert_eq!(stage(&b).await, "Kesepakatan Bersama final");
    // Each side enters its own signatory and number; the other side's line is read-only.
    for (admin, ordinal, who) in [
        ("admin-pky", 1, "Wali Kota Uji"),
        ("admin-dps", 2, "Wali Kota Coba"),
    ] {
        sign_in(&b, &base, admin).await;
        b.goto(&case_url).await;
        open(&b, "#aksi-kb").await;
        if ordinal == 1 {
            b.fill("#kb-place", "Denpasar").await;
            set(&b, "#kb-date", "2026-05-30").await;
        }
        assert!(
            b.find_all(&format!("#kb-sig-{}", 3 - ordinal))
                .await
                .is_empty(),
            "only the own side's line"
        );
        let options = b
            .client()
            .find_all(fantoccini::Locator::Css(&format!(
                "#kb-sig-{ordinal} option"
            )))
            .await
            .unwrap();
        for o in options {
            if o.text().await.unwrap().contains(who) {
                let v = o.attr("value").await.unwrap().unwrap();
                b.select(&format!("#kb-sig-{ordinal}"), &v).await;
            }
        }
        b.fill(
            &format!("#kb-num-{ordinal}"),
            &format!("100/{ordinal}/KS/2026"),
        )
        .await;
        click_and_load(&b, "#form-kb button[type=submit]").await;
    }

    // The KB's text on its document page: drafted from the template, a clause changed,
    // finalised by Palangka Raya's admin.
    sign_in(&b, &base, "admin-pky").await;
    let case_page = case_url.split('#').next().unwrap().to_owned();
    b.goto(&format!("{case_page}/dokumen/kb")).await;
    click_and_load(&b, "#form-mulai button[type=submit]").await;
    b.fill(
        "#pasal-jangka_waktu textarea[name=ayat]",
        "Kesepakatan Bersama ini berlaku untuk jangka waktu 5 (lima) tahun.",
    )
    .await;
    click_and_load(&b, "#pasal-jangka_waktu button[value=edit]").await;
    assert!(b.text("#naskah").await.contains("versi 2"), "a new version");
    assert!(
        b.page_source().await.contains("<ins>"),
        "the redline shows what was inserted"
    );
    click_and_load(&b, "#form-final button[type=submit]").await;
    assert!(
        b.find_all("#form-tanda-tangan").await.is_empty(),
        "the admin prepares; the mayor signs through his own account"
    );
    // Palangka Raya's mayor signs electronically through his own account.
    let uji = app.get("/api/v1/regions/62.71/officials").await.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "Wali Kota Uji")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.user("walikota-pky", Some("62.71"), &["kepala_daerah"], None)
        .await;
    app.link_official("walikota-pky", &uji).await;
    sign_in(&b, &base, "walikota-pky").await;
    b.goto(&format!("{case_page}/dokumen/kb")).await;
    click_and_load(&b, "#form-tanda-tangan button[type=submit]").await;
    click_and_load(&b, "section[aria-labelledby=tanda-tangan] a").await;
    assert!(
        b.page_source().await.contains("Wali Kota Uji"),
        "the verification page names the signer"
    );
    // Denpasar signs in wet ink: its admin uploads its scan and validates its checklist.
    sign_in(&b, &base, "admin-dps").await;
    b.goto(&format!("{case_page}/dokumen/kb")).await;
    let scan_dir = tempfile::tempdir().unwrap();
    let scan = scan_dir.path().join("kb-bertanda-tangan.png");
    std::fs::write(&scan, sinergi_test_support::PNG).unwrap();
    b.find("#form-pindaian input[type=file]")
        .await
        .send_keys(scan.to_str().unwrap())
        .await
        .unwrap();
    for item in ["paraf", "meterai", "stempel"] {
        b.click(&format!("#form-pindaian input[name={item}]")).await;
    }
    click_and_load(&b, "#form-pindaian button[type=submit]").await;
    assert!(
        b.text("section[aria-labelledby=pindaian]")
            .await
            .contains("kb-bertanda-tangan.png")
    );
    click_and_load(
        &b,
        "section[aria-labelledby=pindaian] form.inline button[type=submit]",
    )
    .await;
    assert!(
        b.text("section[aria-labelledby=pindaian]")
            .await
            .contains("admin-dps"),
        "validated by Denpasar's own admin"
    );
    b.screenshot("naskah-kb").await;
    // The last party's evidence signed the KB: the stage followed.
    b.goto(&case_url).await;
    assert_eq!(stage(&b).await, "Kesepakatan Bersama ditandatangani");
    b.screenshot("kerja-sama-ditandatangani").await;

    // Found in the register and on both regions' pages.
    b.goto(&format!("{base}/kerja-sama?q=wisata+sungai")).await;
    assert!(b.text("#jumlah").await.contains('1'));
    assert!(
        b.page_source()
            .await
            .contains("Kerja Sama Pengembangan Wisata Sungai dan Pantai")
    );
    b.screenshot("daftar-kerja-sama").await;
    for code in ["62.71", "51.71"] {
        b.goto(&format!("{base}/wilayah/{code}")).await;
        assert!(
            b.page_source()
                .await
                .contains("Kerja Sama Pengembangan Wisata Sungai dan Pantai"),
            "{code}"
        );
    }
    b.screenshot("wilayah").await;
    b.goto(&format!("{base}/")).await;
    b.screenshot("beranda").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_reads_the_founding_case_as_the_story() {
    let Some(b) = browser().await else { return };
    let app = TestApp::sqlite().await;
    app.store.load_founding_case(app.now()).await.unwrap();
    let base = app.serve().await;
    b.goto(&format!(
        "{base}/kerja-sama/017fb939-1400-7000-8000-000000006251?lang=id"
    ))
    .await;
    let story = b.text("section.story").await;
    for fact in [
        "Kamis, 24 Maret 2022",
        "Kantor Gubernur Bali",
        "Nuryakin",
        "Dewa Made Indra",
        "Sabtu, 26 Maret 2022",
        "Gedung Gajah",
        "Sugianto Sabran",
        "Wayan Koster",
    ] {
        assert!(story.contains(fact), "the story lacks {fact}: {story}");
    }
    assert_eq!(b.text("#tahap").await, "Kesepakatan Bersama ditandatangani");
    b.screenshot("kasus-pendiri").await;
    b.goto(&format!(
        "{base}/kerja-sama/017fb939-1400-7000-8000-000000006251?lang=en"
    ))
    .await;
    assert!(
        b.text("section.story")
            .await
            .contains("Thursday, 24 March 2022")
    );
    b.screenshot("founding-case-en").await;
    // On a phone-sized screen the story still reads first, in one column.
    b.client().set_window_size(390, 844).await.unwrap();
    b.goto(&format!(
        "{base}/kerja-sama/017fb939-1400-7000-8000-000000006251?lang=id"
    ))
    .await;
    let width: serde_json::Value = b
        .client()
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .unwrap();
    assert!(
        width.as_u64().unwrap() <= 400,
        "no sideways scrolling on a phone: {width}"
    );
    b.screenshot("kasus-pendiri-ponsel").await;
    b.client().set_window_size(1280, 900).await.unwrap();
    b.goto(&format!("{base}/wilayah/62?lang=id")).await;
    assert!(
        b.page_source().await.contains("href=\"/wilayah/51\""),
        "Bali is listed as a partner"
    );
    b.screenshot("wilayah-kalteng").await;
    b.close().await;
}
