//! Two governments, each in its own browser, from an empty database to an active
//! Kesepakatan Bersama with one PKS per field and a first activity with evidence (issue 13).
//!
//! Only each region's first admin is made outside the pages (the operator's CLI step, here
//! through the `TestApp`); after that every step is a page and a form, taken by the side whose
//! act it is: Kalimantan Tengah (PIHAK KESATU) in one browser, Bali (PIHAK KEDUA) in the
//! other. Screenshots at 1366 px and 390 px go to artifacts/screenshots.

use crate::ui_flow::{open, set, sign_in_with, stage};
use sinergi_test_support::{Browser, PASSWORD, TestApp};

/// Submits a form and fails with the page's reasons when it was refused.
async fn click_and_load(b: &Browser, css: &str) {
    crate::ui_flow::click_and_load(b, css).await;
    refused_not(b, css).await;
}

const TITLE: &str = "Kerja Sama Pariwisata dan UMKM Kalimantan Tengah–Bali";
const NEW_PASSWORD: &str = "sandi-baru-yang-panjang-1";

/// The first sign-in with a temporary password: Sinergi asks for a new one, and gets it.
async fn first_sign_in(b: &Browser, base: &str, username: &str, temporary: &str) {
    sign_in_with(b, base, username, temporary).await;
    assert!(
        b.current_url().await.contains("/akun"),
        "a temporary password leads to the password form"
    );
    b.fill("#p-current", temporary).await;
    b.fill("#p-new", NEW_PASSWORD).await;
    b.fill("#p-confirm", NEW_PASSWORD).await;
    click_and_load(b, "#form-sandi button[type=submit]").await;
    assert!(
        !b.page_source().await.contains("id=\"ganti-sandi\""),
        "the temporary password is gone"
    );
}

/// Records an official on the region page.
async fn add_official(b: &Browser, base: &str, code: &str, who: (&str, &str, &str, &str)) {
    let (name, position, office, unit) = who;
    b.goto(&format!("{base}/wilayah/{code}")).await;
    open(b, "#aksi-pejabat").await;
    b.fill("#o-name", name).await;
    b.fill("#o-position", position).await;
    b.select("#o-office", office).await;
    if !unit.is_empty() {
        b.fill("#o-unit", unit).await;
    }
    click_and_load(b, "#form-pejabat button[type=submit]").await;
    assert!(b.page_source().await.contains("Pejabat disimpan."));
}

/// Forms the region's TKKSD with `chair` as its ketua.
async fn form_tkksd(b: &Browser, base: &str, code: &str, chair: &str, sk: &str) {
    b.goto(&format!("{base}/wilayah/{code}")).await;
    open(b, "#aksi-tkksd").await;
    let selects = b
        .client()
        .find_all(fantoccini::Locator::Css("#form-tkksd select"))
        .await
        .unwrap();
    for sel in selects {
        let id = sel.attr("id").await.unwrap().unwrap();
        if b.text(&format!("label[for='{id}']")).await.contains(chair) {
            sel.select_by_value("ketua").await.unwrap();
        }
    }
    b.fill("#t-sk", sk).await;
    click_and_load(b, "#form-tkksd button[type=submit]").await;
    assert!(b.page_source().await.contains("(ketua)"));
}

/// Creates an account on the region's account page, linked to the official whose option
/// contains `official`; returns its temporary password (shown once).
async fn create_account(
    b: &Browser,
    base: &str,
    code: &str,
    username: &str,
    role: &str,
    official: &str,
) -> String {
    b.goto(&format!("{base}/wilayah/{code}/pengguna")).await;
    b.fill("#u-username", username).await;
    b.fill("#u-name", official).await;
    b.click(&format!("#form-akun-baru input[name=roles][value={role}]"))
        .await;
    select_by_text(b, "#u-official", official).await;
    click_and_load(b, "#form-akun-baru button[type=submit]").await;
    let password = b.text("#sandi-baru").await;
    assert!(password.len() >= 10, "a temporary password is shown once");
    password
}

/// Chooses the option of `select` whose text contains `text`.
async fn select_by_text(b: &Browser, select: &str, text: &str) {
    let options = b
        .client()
        .find_all(fantoccini::Locator::Css(&format!("{select} option")))
        .await
        .unwrap();
    for o in options {
        if o.text().await.unwrap().contains(text) {
            let v = o.attr("value").await.unwrap().unwrap();
            b.select(select, &v).await;
            return;
        }
    }
    panic!("no option containing {text:?} in {select}");
}

/// Records a letter on the case page.
async fn add_letter(b: &Browser, letter: (&str, &str, &str, &str, &str, &str)) {
    let (kind, number, date, to, signer, subject) = letter;
    open(b, "#aksi-surat").await;
    b.select("#l-kind", kind).await;
    b.fill("#l-number", number).await;
    set(b, "#l-date", date).await;
    b.select("#l-to", to).await;
    select_by_text(b, "#l-sign", signer).await;
    b.fill("#l-subject", subject).await;
    if kind == "penawaran" {
        b.click("#l-kak").await;
        b.click("#l-rkb").await;
    }
    click_and_load(b, "#form-surat button[type=submit]").await;
    assert!(b.page_source().await.contains("Surat dicatat."));
}

/// Uploads this side's wet-ink scan of a document and validates its checklist.
async fn wet_ink(b: &Browser, doc_url: &str, file: &str) {
    b.goto(doc_url).await;
    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join(file);
    std::fs::write(&scan, sinergi_test_support::PNG).unwrap();
    b.find("#form-pindaian input[type=file]")
        .await
        .send_keys(scan.to_str().unwrap())
        .await
        .unwrap();
    for item in ["paraf", "meterai", "stempel"] {
        b.click(&format!("#form-pindaian input[name={item}]")).await;
    }
    click_and_load(b, "#form-pindaian button[type=submit]").await;
    click_and_load(
        b,
        "section[aria-labelledby=pindaian] form.inline button[type=submit]",
    )
    .await;
    assert!(b.page_source().await.contains("Pindaian disahkan."));
}

/// Screenshots of the current page at a desktop's and a phone's width; at 390 px no page
/// scrolls sideways.
async fn shots(b: &Browser, name: &str) {
    b.client().set_window_size(1366, 900).await.unwrap();
    b.screenshot(&format!("{name}-1366")).await;
    b.client().set_window_size(390, 844).await.unwrap();
    let wide = b
        .client()
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            vec![],
        )
        .await
        .unwrap();
    if wide.as_i64().unwrap_or(0) > 0 {
        let culprits = b
            .client()
            .execute(
                "const w = document.documentElement.clientWidth; \
                 const clipped = e => { for (let p = e.parentElement; p; p = p.parentElement) { if (getComputedStyle(p).overflowX !== 'visible') return true; } return false; }; \
                 return Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > w + 0.5 && !clipped(e)).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className + ': ' + (e.textContent || '').slice(0, 60)).join(' | ')",
                vec![],
            )
            .await
            .unwrap();
        panic!("{name} scrolls sideways at 390 px by {wide} px: {culprits}");
    }
    b.screenshot(&format!("{name}-390")).await;
    b.client().set_window_size(1366, 900).await.unwrap();
}

/// What awaits the signed-in user, from the dashboard.
async fn awaiting(b: &Browser, base: &str) -> String {
    b.goto(&format!("{base}/?lang=id")).await;
    b.text("section[aria-labelledby=menunggu]").await
}

/// Takes a case step from the top of the case page; a refusal fails with its reasons.
async fn act(b: &Browser, action: &str) {
    crate::ui_flow::act(b, action).await;
    refused_not(b, action).await;
}

/// Fails with the page's reasons when the last form was refused.
async fn refused_not(b: &Browser, what: &str) {
    let errors = b.find_all(".errors").await;
    if let Some(e) = errors.first() {
        panic!("{what} was refused: {}", e.text().await.unwrap());
    }
}

/// Takes one of a PKS's steps on the case page.
async fn pks_step(b: &Browser, case_url: &str, key: &str, step: &str) {
    b.goto(case_url).await;
    click_and_load(b, &format!("#pks-{key}-{step} button[type=submit]")).await;
    assert!(
        b.page_source().await.contains("Status PKS diperbarui."),
        "{key}: {step}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_governments_take_a_case_to_an_active_kb_with_pks_in_two_browsers() {
    let Some(kalteng) = crate::browser::browser().await else {
        return;
    };
    let bali = Browser::start().await;
    let app = TestApp::sqlite().await;
    let base = app.serve().await;
    assert_eq!(app.get("/api/v1/cases").await.json()["total"], 0);

    // The operator's one step outside the pages: each province's first admin.
    app.user("admin-kalteng", Some("62"), &["admin"], None)
        .await;
    app.user("admin-bali", Some("51"), &["admin"], None).await;

    // Each admin sets up its own government: officials, the TKKSD, the governor's account
    // and the account of the agency head who signs a PKS under a surat kuasa.
    let mut passwords = Vec::new();
    for (b, code, admin, gov, sekda, kadis, sk) in [
        (
            &kalteng,
            "62",
            "admin-kalteng",
            ("Gubernur Uji", "Gubernur Kalimantan Tengah"),
            "Sekda Uji",
            ("Kadis Uji", "Kepala Dinas Kebudayaan dan Pariwisata"),
            "188.44/120/2026",
        ),
        (
            &bali,
            "51",
            "admin-bali",
            ("Gubernur Coba", "Gubernur Bali"),
            "Sekda Coba",
            ("Kadis Coba", "Kepala Dinas Pariwisata"),
            "188.44/77/2026",
        ),
    ] {
        sign_in_with(b, &base, admin, PASSWORD).await;
        b.goto(&format!("{base}/?lang=id")).await;
        assert!(
            b.page_source().await.contains("id=\"persiapan\""),
            "{code}: the dashboard shows the setup checklist"
        );
        add_official(b, &base, code, (gov.0, gov.1, "kepala_daerah", "")).await;
        add_official(
            b,
            &base,
            code,
            (sekda, "Sekretaris Daerah", "sekda", "Sekretariat Daerah"),
        )
        .await;
        add_official(
            b,
            &base,
            code,
            (kadis.0, kadis.1, "kepala_perangkat_daerah", kadis.1),
        )
        .await;
        form_tkksd(b, &base, code, sekda, sk).await;
        let gov_user = format!("gubernur-{code}");
        let kadis_user = format!("kadis-{code}");
        let gp = create_account(b, &base, code, &gov_user, "kepala_daerah", gov.0).await;
        let kp = create_account(b, &base, code, &kadis_user, "authorized_official", kadis.0).await;
        passwords.push((gov_user, gp, kadis_user, kp));
        b.goto(&format!("{base}/?lang=id")).await;
        assert!(
            !b.page_source().await.contains("id=\"persiapan\""),
            "{code}: the checklist is done"
        );
        shots(b, &format!("dua-pihak-beranda-{code}")).await;
    }

    // Kalimantan Tengah proposes the case; its TKKSD reviews it; it sends the offer.
    let k = &kalteng;
    k.goto(&format!("{base}/kerja-sama/baru")).await;
    k.fill("#title", TITLE).await;
    k.select("#kind", "ksdd_sukarela").await;
    k.fill("#party1", "62 — Kalimantan Tengah").await;
    k.fill("#party2", "51 — Bali").await;
    k.click("#field-pariwisata_kebudayaan").await;
    k.click("#prio-pariwisata_kebudayaan").await;
    k.click("#field-umkm").await;
    k.fill("#objectives", "Saling mengisi potensi wisata dan UMKM")
        .await;
    click_and_load(k, "#form-kerja-sama button[type=submit]").await;
    assert_eq!(k.text("#judul").await, TITLE);
    let case_url = k
        .current_url()
        .await
        .split(['?', '#'])
        .next()
        .unwrap()
        .to_owned();
    act(k, "submit").await;
    act(k, "start_review").await;
    open(k, "#aksi-recommend").await;
    k.select("#rec-recommend", "layak").await;
    click_and_load(k, "#aksi-recommend button[type=submit]").await;
    assert_eq!(stage(k).await, "Penawaran disiapkan");
    add_letter(
        k,
        (
            "penawaran",
            "000.8.3.3/51/KS",
            "2026-05-21",
            "51",
            "Gubernur Uji",
            "Penawaran kerja sama pariwisata dan UMKM",
        ),
    )
    .await;
    // A typo in its number, corrected on the page before the letter goes out.
    assert!(k.text("ul.letters").await.contains("Belum dikirim"));
    k.click("ul.letters details summary").await;
    k.fill("ul.letters details input[name=number]", "000.8.3.3/15/KS")
        .await;
    click_and_load(k, "ul.letters details form button[type=submit]").await;
    assert!(k.page_source().await.contains("Surat diperbaiki."));
    assert!(k.text("ul.letters").await.contains("000.8.3.3/15/KS"));
    crate::ui_flow::write_kak(k).await;
    act(k, "send_offer").await;
    // Sent with the offer: no more forms for it.
    assert!(k.text("ul.letters").await.contains("Dikirim"));
    assert!(k.find_all("ul.letters details").await.is_empty());
    assert_eq!(stage(k).await, "Penawaran dikirim");
    shots(k, "dua-pihak-kerja-sama-kalteng").await;

    // Bali hears of it: the offer waits on its dashboard and in its notifications.
    let b = &bali;
    let waiting = awaiting(b, &base).await;
    assert!(waiting.contains(TITLE), "the offer awaits Bali: {waiting}");
    b.goto(&format!("{base}/notifikasi")).await;
    assert!(b.text("main").await.contains(TITLE));
    shots(b, "dua-pihak-notifikasi-bali").await;
    // Bali acknowledges the offer, its own TKKSD reviews it, it replies with its own letter.
    b.goto(&case_url).await;
    assert!(
        b.find_all("#aksi-send_offer, #aksi-submit")
            .await
            .is_empty(),
        "the partner takes none of the initiator's steps"
    );
    act(b, "mark_offer_delivered").await;
    open(b, "#aksi-review_offer").await;
    b.select("#rec-review_offer", "layak").await;
    click_and_load(b, "#aksi-review_offer button[type=submit]").await;
    add_letter(
        b,
        (
            "jawaban",
            "000.8.3.3/7/KS",
            "2026-05-25",
            "62",
            "Gubernur Coba",
            "Jawaban atas penawaran kerja sama",
        ),
    )
    .await;
    act(b, "record_reply").await;
    assert_eq!(stage(b).await, "Penyusunan Kesepakatan Bersama");

    // Kalimantan Tengah drafts the KB; both sides comment on its clauses; one finalisation.
    k.goto(&case_url).await;
    open(k, "#aksi-kb-baru").await;
    set(k, "#kb-start", "2026-06-01").await;
    set(k, "#kb-end", "2031-05-31").await;
    click_and_load(k, "#form-kb-baru button[type=submit]").await;
    let kb_url = format!("{case_url}/dokumen/kb");
    k.goto(&kb_url).await;
    click_and_load(k, "#form-mulai button[type=submit]").await;
    for (br, text) in [
        (b, "Bali mengusulkan jangka waktu lima tahun."),
        (k, "Kalimantan Tengah setuju."),
    ] {
        br.goto(&kb_url).await;
        br.fill("#form-komentar textarea[name=body]", text).await;
        click_and_load(br, "#form-komentar button[type=submit]").await;
        assert!(br.page_source().await.contains(text));
    }
    k.goto(&case_url).await;
    act(k, "finalize_kb").await;
    assert_eq!(stage(k).await, "Kesepakatan Bersama final");
    // Each side enters its own signatory and number.
    for (br, ordinal, who) in [(k, 1, "Gubernur Uji"), (b, 2, "Gubernur Coba")] {
        br.goto(&case_url).await;
        open(br, "#aksi-kb").await;
        if ordinal == 1 {
            br.fill("#kb-place", "Palangka Raya").await;
            set(br, "#kb-date", "2026-05-30").await;
        }
        select_by_text(br, &format!("#kb-sig-{ordinal}"), who).await;
        br.fill(
            &format!("#kb-num-{ordinal}"),
            &format!("100.3.7/{ordinal}/KS/2026"),
        )
        .await;
        click_and_load(br, "#form-kb button[type=submit]").await;
    }
    k.goto(&kb_url).await;
    click_and_load(k, "#form-final button[type=submit]").await;

    // Kalimantan Tengah's governor signs electronically through his own account; Bali signs
    // in wet ink (its admin uploads the scan and validates its checklist).
    let (gov_k, gov_k_pw, kadis_k, kadis_k_pw) = passwords[0].clone();
    first_sign_in(k, &base, &gov_k, &gov_k_pw).await;
    let waiting = awaiting(k, &base).await;
    assert!(
        waiting.contains(TITLE),
        "the text to sign awaits the governor"
    );
    k.goto(&kb_url).await;
    click_and_load(k, "#form-tanda-tangan button[type=submit]").await;
    assert!(k.page_source().await.contains("Tanda tangan dicatat"));
    shots(k, "dua-pihak-naskah-kb").await;
    wet_ink(b, &kb_url, "kb-bali.png").await;
    b.goto(&case_url).await;
    assert_eq!(stage(b).await, "Kesepakatan Bersama ditandatangani");

    // Each side assesses its own DPRD conditions; Bali's needs its DPRD's approval.
    sign_in_with(k, &base, "admin-kalteng", PASSWORD).await;
    for (br, ordinal, burdens) in [(k, 1, "tidak"), (b, 2, "ya")] {
        br.goto(&case_url).await;
        assert!(
            br.find_all(&format!("#dprd-{}", 3 - ordinal))
                .await
                .is_empty(),
            "only its own DPRD assessment"
        );
        open(br, &format!("#dprd-{ordinal}")).await;
        br.click(&format!("#beban-{burdens}-{ordinal}")).await;
        br.click(&format!("#apbd-ya-{ordinal}")).await;
        br.fill(
            &format!("#dprd-why-{ordinal}"),
            "Dinilai oleh Bagian Kerja Sama",
        )
        .await;
        click_and_load(br, &format!("#dprd-{ordinal} button[type=submit]")).await;
    }
    k.goto(&case_url).await;
    act(k, "activate").await;
    assert_eq!(stage(k).await, "Menunggu persetujuan DPRD");
    b.goto(&case_url).await;
    open(b, "#aksi-record_dprd_decision").await;
    let parties = b.find_all("#dprd-party option").await;
    assert_eq!(
        parties.len(),
        1,
        "Bali records only its own DPRD's decision"
    );
    b.fill("#dprd-number", "12/DPRD/2026").await;
    set(b, "#dprd-date", "2026-05-31").await;
    click_and_load(b, "#aksi-record_dprd_decision button[type=submit]").await;
    assert_eq!(stage(b).await, "Aktif");
    let tracker = b.text("ol.tracker").await;
    assert!(
        tracker.contains("dilalui") && !tracker.contains("tidak tercatat"),
        "every stage this case passed is in its history: {tracker}"
    );

    // One PKS per field, each signed by the agency heads under their surat kuasa:
    // Kalimantan Tengah's electronically, Bali's in wet ink.
    for (field, key) in [
        ("Pariwisata", "pariwisata_kebudayaan"),
        ("Usaha Mikro", "umkm"),
    ] {
        k.goto(&case_url).await;
        open(k, "#aksi-pks-baru").await;
        select_by_text(k, "#pks-field", field).await;
        set(k, "#pks-start", "2026-06-01").await;
        set(k, "#pks-end", "2028-05-31").await;
        click_and_load(k, "#form-pks-baru button[type=submit]").await;
        assert!(
            k.page_source().await.contains("Rancangan PKS dibuat"),
            "{field}"
        );
        for (br, ordinal, kadis, kuasa, governor) in [
            (
                k,
                1,
                "Kadis Uji",
                format!("800/11/SK-{key}/2026"),
                "Gubernur Uji",
            ),
            (
                b,
                2,
                "Kadis Coba",
                format!("800/5/SK-{key}/2026"),
                "Gubernur Coba",
            ),
        ] {
            let kuasa = kuasa.as_str();
            // Each side first records its own governor's surat kuasa for this PKS.
            br.goto(&case_url).await;
            open(br, &format!("#aksi-kuasa-{key}")).await;
            br.fill(&format!("#kuasa-number-{key}"), kuasa).await;
            set(br, &format!("#kuasa-date-{key}"), "2026-05-30").await;
            select_by_text(br, &format!("#kuasa-grantor-{key}"), governor).await;
            select_by_text(br, &format!("#kuasa-grantee-{key}"), kadis).await;
            click_and_load(br, &format!("#form-kuasa-{key} button[type=submit]")).await;
            refused_not(br, "surat kuasa").await;
            assert!(
                br.page_source().await.contains("Surat kuasa dicatat"),
                "{key}: party {ordinal}'s surat kuasa"
            );
            br.goto(&case_url).await;
            open(br, &format!("#aksi-pks-{key}")).await;
            if ordinal == 1 {
                br.fill(&format!("#pks-place-{key}"), "Denpasar").await;
                set(br, &format!("#pks-date-{key}"), "2026-06-01").await;
            }
            select_by_text(br, &format!("#pks-sig-{key}-{ordinal}"), kadis).await;
            br.fill(&format!("#pks-kuasa-{key}-{ordinal}"), kuasa).await;
            br.fill(
                &format!("#pks-num-{key}-{ordinal}"),
                &format!("500/{ordinal}/PKS-{key}/2026"),
            )
            .await;
            click_and_load(br, &format!("#form-pks-{key} button[type=submit]")).await;
            assert!(
                br.page_source().await.contains("Data naskah disimpan."),
                "{key}: party {ordinal}"
            );
        }
        pks_step(k, &case_url, key, "submit_review").await;
        pks_step(k, &case_url, key, "finalize").await;
        pks_step(k, &case_url, key, "request_signature").await;
        k.goto(&case_url).await;
        let href = k
            .find(&format!("#pks-{key} a"))
            .await
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        let pks_url = format!("{base}{href}");
        k.goto(&pks_url).await;
        click_and_load(k, "#form-mulai button[type=submit]").await;
        click_and_load(k, "#form-final button[type=submit]").await;
        let pw = if key == "umkm" {
            NEW_PASSWORD
        } else {
            kadis_k_pw.as_str()
        };
        if key == "umkm" {
            sign_in_with(k, &base, &kadis_k, pw).await;
        } else {
            first_sign_in(k, &base, &kadis_k, pw).await;
        }
        k.goto(&pks_url).await;
        click_and_load(k, "#form-tanda-tangan button[type=submit]").await;
        wet_ink(b, &pks_url, &format!("pks-{key}-bali.png")).await;
        sign_in_with(k, &base, "admin-kalteng", PASSWORD).await;
        pks_step(k, &case_url, key, "start_implementation").await;
        assert!(
            k.text(&format!("#pks-{key}"))
                .await
                .contains("Dilaksanakan"),
            "{key} is in implementation"
        );
    }
    shots(k, "dua-pihak-kerja-sama-aktif").await;

    // The work plan, its first realisation with evidence, and an M&E form.
    let mon_url = format!("{case_url}/pemantauan");
    k.goto(&mon_url).await;
    open(k, "#aksi-kegiatan").await;
    select_by_text(k, "#k-field", "Pariwisata").await;
    k.fill("#k-title", "Festival budaya bersama").await;
    k.fill("#k-u1", "Dinas Kebudayaan dan Pariwisata").await;
    k.fill("#k-u2", "Dinas Pariwisata").await;
    k.fill("#k-year", "2026").await;
    k.fill("#k-amount", "150000000").await;
    k.fill("#k-ind", "Peserta festival").await;
    k.fill("#k-unit", "orang").await;
    k.fill("#k-target", "1000").await;
    click_and_load(k, "#aksi-kegiatan button[type=submit]").await;
    assert!(k.page_source().await.contains("Kegiatan ditambahkan."));
    open(k, "#aksi-realisasi").await;
    k.fill("#r-val", "400").await;
    k.fill("#r-note", "Hari pertama festival").await;
    click_and_load(k, "#aksi-realisasi button[type=submit]").await;
    assert_eq!(k.text("#capaian").await, "40%");
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("foto-festival.png");
    std::fs::write(&photo, sinergi_test_support::PNG).unwrap();
    k.find("form.bukti input[type=file]")
        .await
        .send_keys(photo.to_str().unwrap())
        .await
        .unwrap();
    click_and_load(k, "form.bukti button[type=submit]").await;
    assert!(k.page_source().await.contains("foto-festival.png"));
    let form = k
        .find("details[id^=aksi-monev-]")
        .await
        .attr("id")
        .await
        .unwrap()
        .unwrap();
    open(k, &format!("#{form}")).await;
    for score in k.find_all(&format!("#{form} select[name^=score_]")).await {
        score.select_by_value("4").await.unwrap();
    }
    for rating in k.find_all(&format!("#{form} select[name=rating]")).await {
        rating.select_by_value("4").await.unwrap();
    }
    click_and_load(k, &format!("#{form} button[type=submit]")).await;
    assert!(k.page_source().await.contains("Formulir monev disimpan"));
    click_and_load(
        k,
        "section[aria-labelledby=monev] article form button[type=submit]",
    )
    .await;
    shots(k, "dua-pihak-pemantauan").await;

    // Bali hears that the M&E form was submitted, and reads the progress.
    b.goto(&format!("{base}/notifikasi")).await;
    assert!(
        b.text("main").await.to_lowercase().contains("monev")
            || b.text("main").await.contains("monitoring"),
        "Bali is told of the submitted M&E form"
    );
    b.goto(&mon_url).await;
    assert_eq!(b.text("#capaian").await, "40%");
    shots(b, "dua-pihak-pemantauan-bali").await;

    // The reports and the calendar feed are linked from the region page, and open with the
    // signed-in session.
    k.goto(&format!("{base}/wilayah/62")).await;
    let links = k.find_all("section[aria-labelledby=laporan] a").await;
    assert_eq!(
        links.len(),
        7,
        "three reports in two formats and the calendar"
    );
    // The page's own CSP forbids scripts from fetching; the browser's session cookie is
    // sent with the same request instead.
    let cookie = k
        .client()
        .get_all_cookies()
        .await
        .unwrap()
        .iter()
        .map(|c| format!("{}={}", c.name(), c.value()))
        .collect::<Vec<_>>()
        .join("; ");
    for link in links {
        let href = link.attr("href").await.unwrap().unwrap();
        let res = app
            .request(axum::http::Method::GET, &href, None, &[("cookie", &cookie)])
            .await;
        res.assert_status(axum::http::StatusCode::OK);
        let got = res.headers["content-type"].to_str().unwrap().to_owned();
        let wanted = if href.ends_with(".ics") {
            "text/calendar"
        } else if href.contains("format=pdf") {
            "application/pdf"
        } else {
            "spreadsheetml"
        };
        assert!(got.contains(wanted), "{href}: {got}");
    }

    // The other pages each side works in fit a phone as well: the register (also in English),
    // the region with its accounts, and the potential, partner and pair pages — with the
    // synthetic data set loaded, so their charts and tables are drawn.
    app.store
        .load_synthetic_observations(
            2,
            7,
            &sinergi_domain::access::Actor::system("test"),
            app.now(),
        )
        .await
        .unwrap();
    for (b, own, other) in [(&kalteng, "62", "51"), (&bali, "51", "62")] {
        for page in [
            "/kerja-sama".to_owned(),
            "/kerja-sama?lang=en".to_owned(),
            format!("/wilayah/{own}"),
            format!("/wilayah/{own}/pengguna"),
            format!("/wilayah/{own}/potensi"),
            format!("/wilayah/{own}/cari-mitra"),
            format!("/wilayah/{own}/mitra/{other}"),
        ] {
            b.goto(&format!("{base}{page}")).await;
            let name: String = page
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            shots(b, &format!("dua-pihak-{own}{name}")).await;
        }
    }

    kalteng.close().await;
    bali.close().await;
}
