//! Agreement documents: the founding case's KB as PDF and DOCX, drafts with versions,
//! redlines and comments, finalisation, electronic and wet-ink signing, verification, and the
//! refusals that change nothing.

use crate::on_both;
use axum::http::Method;
use serde_json::{Value, json};
use sinergi_domain::demo::FOUNDING_CASE_ID;
use sinergi_test_support::{TOKEN, TestApp, TestResponse};
use std::process::Command;

/// The text of a PDF, through poppler's pdftotext (installed by .ci/run).
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("naskah.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    // Join lines so phrases that wrap still match.
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn sha256(bytes: &[u8]) -> String {
    sinergi_documents::sign::sha256_hex(bytes)
}

async fn upload(app: &TestApp, uri: &str, bytes: Vec<u8>) -> TestResponse {
    let auth = format!("Bearer {TOKEN}");
    app.request(
        Method::POST,
        uri,
        Some(bytes),
        &[
            ("authorization", &auth),
            ("content-type", "application/octet-stream"),
        ],
    )
    .await
}

async fn official_id(app: &TestApp, region: &str, name: &str) -> String {
    let list = app
        .get(&format!("/api/v1/regions/{region}/officials"))
        .await
        .json();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == name)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

on_both! {
    async fn the_founding_kb_reads_like_a_naskah_kesepakatan_bersama(app: TestApp) {
        app.store.load_founding_case(app.now()).await.unwrap();
        let id = FOUNDING_CASE_ID;
        let res = app.get(&format!("/api/v1/cases/{id}/documents/kb/pdf")).await;
        res.assert_status(StatusCode::OK);
        assert_eq!(res.headers["content-type"], "application/pdf");
        assert!(res.body.starts_with(b"%PDF-"));
        let text = pdf_text(&res.body);
        for phrase in [
            "KESEPAKATAN BERSAMA ANTARA PEMERINTAH PROVINSI KALIMANTAN TENGAH DAN PEMERINTAH PROVINSI BALI TENTANG KERJA SAMA PEMBANGUNAN DAN PENGEMBANGAN POTENSI DAERAH",
            "Pada hari ini Sabtu tanggal dua puluh enam bulan Maret tahun dua ribu dua puluh dua, bertempat di Gedung Gajah, Rumah Jabatan Gubernur Bali, Denpasar",
            "Sugianto Sabran",
            "Gubernur Kalimantan Tengah, dalam hal ini bertindak untuk dan atas nama Pemerintah Provinsi Kalimantan Tengah, selanjutnya disebut PIHAK KESATU.",
            "selanjutnya disebut PIHAK KEDUA.",
            "Pasal 1 MAKSUD DAN TUJUAN",
            "Pasal 3 RUANG LINGKUP",
            "a. pariwisata dan kebudayaan;",
            "b. usaha mikro, kecil dan menengah;",
            "j. bidang lain yang disepakati bersama, sesuai kebutuhan.",
            "JANGKA WAKTU",
            "PEMBIAYAAN",
            "PENYELESAIAN PERSELISIHAN",
            "rangkap 2 (dua) asli",
            "PIHAK KESATU, GUBERNUR KALIMANTAN TENGAH,",
            "SUGIANTO SABRAN",
            "WAYAN KOSTER",
            "Halaman 1 dari",
        ] {
            assert!(text.contains(phrase), "missing {phrase:?} in:\n{text}");
        }
        // The numbers were never published: both NOMOR lines are blank, nothing invented.
        assert_eq!(text.matches("NOMOR : ……").count(), 2, "{text}");
        assert!(!text.contains("{{"));

        // The DOCX of the same content is a Word package with the same words.
        let res = app.get(&format!("/api/v1/cases/{id}/documents/kb/docx")).await;
        res.assert_status(StatusCode::OK);
        assert_eq!(sinergi_documents::upload::detect(&res.body), Ok(sinergi_documents::upload::FileKind::Docx));
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(res.body.clone())).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
        assert!(xml.contains("Pada hari ini Sabtu tanggal dua puluh enam bulan Maret tahun dua ribu dua puluh dua"));
        assert!(xml.contains("PIHAK KEDUA,"));

        // The case page links the downloads; the documents page shows them.
        let page = app.get(&format!("/kerja-sama/{id}")).await;
        assert!(String::from_utf8_lossy(&page.body).contains(&format!("/api/v1/cases/{id}/documents/kb/pdf")));
        let page = app.get(&format!("/kerja-sama/{id}/dokumen/kb")).await;
        page.assert_status(StatusCode::OK);
        assert!(String::from_utf8_lossy(&page.body).contains("unduh-docx"));
        // Other kinds render too; an unknown kind is refused by name.
        for kind in ["pks", "addendum", "penawaran", "berita-acara"] {
            app.get(&format!("/api/v1/cases/{id}/documents/{kind}/pdf")).await.assert_status(StatusCode::OK);
        }
        let bad = app.get(&format!("/api/v1/cases/{id}/documents/mou/pdf")).await;
        assert_eq!(bad.code(), "document.unknown_kind");
    }

    async fn drafts_have_versions_redlines_comments_and_stale_edits_are_refused(app: TestApp) {
        app.store.load_founding_case(app.now()).await.unwrap();
        let base = format!("/api/v1/cases/{FOUNDING_CASE_ID}/documents/kb");
        let res = app.post(&base, &json!({})).await;
        res.assert_status(StatusCode::CREATED);
        let v1 = &res.json()["versions"][0];
        assert_eq!(v1["number"], 1);
        let keys: Vec<&str> = v1["clauses"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
        assert_eq!(&keys[..3], ["maksud_tujuan", "objek", "ruang_lingkup"]);
        assert_eq!(app.post(&base, &json!({})).await.code(), "document.draft_exists");

        // Edit a clause: version 2. The term becomes five years.
        let edit = json!({
            "expected_version": 1, "note": "Usul PIHAK KEDUA", "op": "edit", "key": "jangka_waktu", "heading": "JANGKA WAKTU",
            "ayat": [{ "text": "Kesepakatan Bersama ini berlaku untuk jangka waktu 5 (lima) tahun terhitung sejak tanggal ditandatangani oleh PARA PIHAK." }]
        });
        let res = app.post(&format!("{base}/edits"), &edit).await;
        res.assert_status(StatusCode::CREATED);
        assert_eq!(res.json()["number"], 2);
        // The same edit against version 1 again is stale.
        let stale = app.post(&format!("{base}/edits"), &edit).await;
        stale.assert_status(StatusCode::CONFLICT);
        // Add, reorder, remove.
        let add = json!({ "expected_version": 2, "op": "add", "key": "kerahasiaan", "heading": "KERAHASIAAN", "at": 4,
            "ayat": [{ "text": "PARA PIHAK menjaga kerahasiaan data yang dipertukarkan." }] });
        app.post(&format!("{base}/edits"), &add).await.assert_status(StatusCode::CREATED);
        let removed = app.post(&format!("{base}/edits"), &json!({ "expected_version": 3, "op": "remove", "key": "keadaan_kahar" })).await;
        removed.assert_status(StatusCode::CREATED);
        let unknown = app.post(&format!("{base}/edits"), &json!({ "expected_version": 4, "op": "remove", "key": "tidak_ada" })).await;
        assert_eq!(unknown.code(), "document.bad_edit");
        let empty = app.post(&format!("{base}/edits"), &json!({ "expected_version": 4, "op": "edit", "key": "objek", "heading": "OBJEK", "ayat": [] })).await;
        assert_eq!(empty.code(), "document.bad_edit");

        // Comments from both parties on a clause.
        for (party, body) in [(1, "Setuju lima tahun."), (2, "Mohon ditambah perpanjangan otomatis.")] {
            let c = app.post(&format!("{base}/comments"), &json!({ "version": 2, "clause_key": "jangka_waktu", "party_ordinal": party, "body": body })).await;
            c.assert_status(StatusCode::CREATED);
        }
        let bad = app.post(&format!("{base}/comments"), &json!({ "version": 2, "clause_key": "jangka_waktu", "party_ordinal": 3, "body": "x" })).await;
        assert_eq!(bad.code(), "document.unknown_party");

        // The redline between 1 and 4: words inserted and deleted per clause.
        let r = app.get_staff(&format!("{base}/redline?from=1&to=4")).await.json();
        let by_key = |k: &str| r.as_array().unwrap().iter().find(|d| d["key"] == k).unwrap().clone();
        let term = by_key("jangka_waktu");
        assert_eq!(term["change"], "changed");
        let segs: Vec<(String, String)> = term["segments"].as_array().unwrap().iter()
            .map(|s| (s["op"].as_str().unwrap().to_owned(), s["text"].as_str().unwrap().to_owned())).collect();
        assert!(segs.contains(&("ins".into(), "5 (lima)".into())), "{segs:?}");
        assert!(segs.iter().any(|(op, t)| op == "del" && t.contains("Kesepakatan Bersama ini dapat diperpanjang")), "{segs:?}");
        assert_eq!(by_key("kerahasiaan")["change"], "added");
        assert_eq!(by_key("keadaan_kahar")["change"], "removed");
        assert_eq!(by_key("objek")["change"], "unchanged");

        let page = app.get_staff(&format!("/kerja-sama/{FOUNDING_CASE_ID}/dokumen/kb?from=1&to=4")).await;
        page.assert_status(StatusCode::OK);
        let html = String::from_utf8_lossy(&page.body);
        assert!(html.contains("<ins>5 (lima)</ins>"), "{html}");
        assert!(html.contains("<del>"));
        assert!(html.contains("Mohon ditambah perpanjangan otomatis."));

        let view = app.get_staff(&base).await.json();
        assert_eq!(view["versions"].as_array().unwrap().len(), 4);
        assert_eq!(view["comments"].as_array().unwrap().len(), 2);
    }

    async fn a_final_kb_is_signed_by_the_governors_and_verified_by_anyone(app: TestApp) {
        app.store.load_founding_case(app.now()).await.unwrap();
        let base = format!("/api/v1/cases/{FOUNDING_CASE_ID}/documents/kb");
        app.post(&base, &json!({})).await.assert_status(StatusCode::CREATED);
        // A required section removed: finalising is refused.
        app.post(&format!("{base}/edits"), &json!({ "expected_version": 1, "op": "remove", "key": "ruang_lingkup" })).await.assert_status(StatusCode::CREATED);
        let res = app.post(&format!("{base}/finalize"), &json!({ "expected_version": 2 })).await;
        assert_eq!(res.code(), "document.incomplete");
        assert!(res.json()["error"]["message"].as_str().unwrap().contains("ruang_lingkup"));
        // Put it back (from version 1's text) and finalise version 3.
        let v1 = app.get_staff(&base).await.json()["versions"][0]["clauses"][2].clone();
        app.post(&format!("{base}/edits"), &json!({ "expected_version": 2, "op": "add", "key": "ruang_lingkup", "heading": v1["heading"], "ayat": v1["ayat"], "at": 2 }))
            .await.assert_status(StatusCode::CREATED);
        let fin = app.post(&format!("{base}/finalize"), &json!({ "expected_version": 3 })).await;
        fin.assert_status(StatusCode::OK);
        let code = fin.json()["verification_code"].as_str().unwrap().to_owned();
        let issued_sha = fin.json()["pdf_sha256"].as_str().unwrap().to_owned();
        // The PDF served now is the stored final file, with its verification code.
        let pdf = app.get_staff(&format!("{base}/pdf")).await.body;
        assert_eq!(sha256(&pdf), issued_sha);
        let text = pdf_text(&pdf);
        assert!(text.contains(&format!("Kode verifikasi: {code}")), "{text}");
        assert!(text.contains(&format!("/verifikasi/{code}")));
        assert_eq!(app.post(&format!("{base}/finalize"), &json!({ "expected_version": 3 })).await.code(), "document.already_final");

        let governor_kalteng = official_id(&app, "62", "Sugianto Sabran").await;
        let sekda_bali = official_id(&app, "51", "Dewa Made Indra").await;
        let governor_bali = official_id(&app, "51", "Wayan Koster").await;
        // Each governor signs through his own account, linked to his official record.
        for (name, region, role, official) in [("gub-62", "62", "kepala_daerah", &governor_kalteng), ("gub-51", "51", "kepala_daerah", &governor_bali),
                                               ("sekda-51", "51", "authorized_official", &sekda_bali)] {
            app.user(name, Some(region), &[role], None).await;
            app.link_official(name, official).await;
        }
        app.user("admin-51", Some("51"), &["admin"], None).await;
        let sign_as = |token: String, official: String, sha: String| {
            let app = &app;
            let base = base.clone();
            async move { app.as_token(&token, Method::POST, &format!("{base}/signatures"), Some(&json!({ "official": official, "sha256": sha }))).await }
        };
        let (gub62, gub51, sekda51, admin51) = (app.token_of("gub-62").await, app.token_of("gub-51").await, app.token_of("sekda-51").await, app.token_of("admin-51").await);
        // Refusals, each with its own code, none storing anything.
        let by_operator = app.post(&format!("{base}/signatures"), &json!({ "official": governor_bali, "sha256": issued_sha })).await;
        assert_eq!(by_operator.code(), "document.sign_own_account_only", "nobody signs for the governor");
        let by_staff = sign_as(admin51.clone(), governor_bali.clone(), issued_sha.clone()).await;
        assert_eq!(by_staff.code(), "document.sign_own_account_only");
        assert!(by_staff.json()["error"]["message"].as_str().unwrap().contains("akun Wayan Koster sendiri"));
        let other_party = sign_as(gub62.clone(), governor_bali.clone(), issued_sha.clone()).await;
        assert_eq!(other_party.code(), "auth.not_your_act");
        other_party.assert_status(StatusCode::FORBIDDEN);
        let not_head = sign_as(sekda51.clone(), sekda_bali.clone(), issued_sha.clone()).await;
        assert_eq!(not_head.code(), "kb.signatory_not_head_of_region");
        let other_file = sign_as(gub51.clone(), governor_bali.clone(), sha256(b"another file")).await;
        assert_eq!(other_file.code(), "document.signature_other_file");
        let report = app.get(&format!("/api/v1/verifikasi/{code}")).await.json();
        assert_eq!(report["signatures"].as_array().unwrap().len(), 0);

        for (token, official) in [(&gub62, &governor_kalteng), (&gub51, &governor_bali)] {
            let s = sign_as(token.clone(), official.clone(), issued_sha.clone()).await;
            s.assert_status(StatusCode::CREATED);
        }
        let again = sign_as(gub51.clone(), governor_bali.clone(), issued_sha.clone()).await;
        assert_eq!(again.code(), "document.party_already_signed");

        // Public verification, by code: who, when, in what capacity, valid.
        let report = app.get(&format!("/api/v1/verifikasi/{}", code.to_lowercase())).await;
        report.assert_status(StatusCode::OK);
        let report = report.json();
        assert_eq!(report["pdf_sha256"], issued_sha.as_str());
        let sigs = report["signatures"].as_array().unwrap();
        assert_eq!(sigs.len(), 2);
        assert_eq!(sigs[0]["signer_name"], "Sugianto Sabran");
        assert_eq!(sigs[0]["capacity"], "Gubernur Kalimantan Tengah — PIHAK KESATU");
        assert_eq!(sigs[1]["capacity"], "Gubernur Bali — PIHAK KEDUA");
        assert!(sigs.iter().all(|s| s["valid"] == true));
        let page = app.get(&format!("/verifikasi/{code}")).await;
        page.assert_status(StatusCode::OK);
        let html = String::from_utf8_lossy(&page.body);
        assert!(html.contains("Wayan Koster") && html.contains("TANDA TANGAN SAH"), "{html}");
        assert_eq!(app.get("/api/v1/verifikasi/0000-0000-0000-0000").await.status, StatusCode::NOT_FOUND);

        // The signed text is locked: an edit is refused and no version is added.
        let locked = app.post(&format!("{base}/edits"), &json!({ "expected_version": 3, "op": "remove", "key": "perubahan" })).await;
        assert_eq!(locked.code(), "document.locked");
        assert_eq!(app.get_staff(&base).await.json()["versions"].as_array().unwrap().len(), 3);

        // The command line says the same about the file; a changed file is reported changed.
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("kb.pdf");
        std::fs::write(&good, &pdf).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_sinergi"))
            .env_remove("SINERGI_DATABASE_URL").env("RUST_LOG", "warn").current_dir(dir.path())
            .args(["verify", good.to_str().unwrap(), "--database-url", &app.url]).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains("UTUH") && stdout.contains("Wayan Koster") && stdout.contains("Gubernur Bali — PIHAK KEDUA"), "{stdout}");
        let mut changed = pdf.clone();
        let last = changed.len() - 10;
        changed[last] ^= 0x01;
        let bad = dir.path().join("diubah.pdf");
        std::fs::write(&bad, &changed).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_sinergi"))
            .env_remove("SINERGI_DATABASE_URL").env("RUST_LOG", "warn").current_dir(dir.path())
            .args(["verify", bad.to_str().unwrap(), "--code", &code, "--database-url", &app.url]).output().unwrap();
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("BERUBAH"));
    }

    async fn wet_ink_scans_are_checked_by_content_and_validated_against_the_checklist(app: TestApp) {
        app.store.load_founding_case(app.now()).await.unwrap();
        let base = format!("/api/v1/cases/{FOUNDING_CASE_ID}/documents/kb");
        app.post(&base, &json!({})).await.assert_status(StatusCode::CREATED);
        // Before a final version there is nothing to sign.
        let early = upload(&app, &format!("{base}/wet-ink?party=1&file_name=scan.png&paraf=true&meterai=true&stempel=true"), sinergi_test_support::PNG.to_vec()).await;
        assert_eq!(early.code(), "document.not_final");
        app.post(&format!("{base}/finalize"), &json!({ "expected_version": 1 })).await.assert_status(StatusCode::OK);

        let wet = format!("{base}/wet-ink");
        // The operator names the party whose scan it records.
        let unnamed = upload(&app, &format!("{wet}?file_name=scan.png&paraf=true&meterai=true&stempel=true"), sinergi_test_support::PNG.to_vec()).await;
        assert_eq!(unnamed.code(), "validation.failed");
        let truncated = upload(&app, &format!("{wet}?party=1&file_name=scan.pdf"), b"%PDF-1.7\n1 0 obj\n<<>>\n".to_vec()).await;
        assert_eq!(truncated.code(), "file.corrupt");
        let exe = upload(&app, &format!("{wet}?party=1&file_name=scan.pdf"), b"MZ\x90\0\x03 this is a program".to_vec()).await;
        assert_eq!(exe.code(), "file.type_not_allowed");
        let renamed = upload(&app, &format!("{wet}?party=1&file_name=scan.pdf"), sinergi_test_support::PNG.to_vec()).await;
        assert_eq!(renamed.code(), "file.name_mismatch");
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(20 * 1024 * 1024 + 10, b' ');
        big.extend_from_slice(b"\n%%EOF\n");
        let oversized = upload(&app, &format!("{wet}?party=1&file_name=scan.pdf"), big).await;
        assert_eq!(oversized.code(), "file.too_large");
        assert!(oversized.json()["error"]["message"].as_str().unwrap().contains("melebihi batas"));
        // Far over the limit, the body is refused before it is read, in the same envelope.
        let huge = upload(&app, &format!("{wet}?party=1&file_name=scan.pdf"), vec![b' '; 22 * 1024 * 1024]).await;
        huge.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(huge.code(), "request.too_large");
        assert_eq!(app.get_staff(&base).await.json()["wet_ink"].as_array().unwrap().len(), 0, "refusals store nothing");

        // A scan without meterai cannot be validated; a complete one can, once.
        let partial = upload(&app, &format!("{wet}?party=1&file_name=scan.png&paraf=true&stempel=true"), sinergi_test_support::PNG.to_vec()).await;
        partial.assert_status(StatusCode::CREATED);
        let partial_id = partial.json()["id"].as_str().unwrap().to_owned();
        assert_eq!(partial.json()["file_sha256"], sha256(sinergi_test_support::PNG).as_str());
        let refused = app.post(&format!("{wet}/{partial_id}/validate"), &json!({})).await;
        assert_eq!(refused.code(), "document.wet_ink_incomplete");
        assert!(refused.json()["error"]["message"].as_str().unwrap().contains("meterai"));
        let full = upload(&app, &format!("{wet}?party=1&file_name=scan.png&paraf=true&meterai=true&stempel=true"), sinergi_test_support::PNG.to_vec()).await;
        let full_id = full.json()["id"].as_str().unwrap().to_owned();
        app.post(&format!("{wet}/{full_id}/validate"), &json!({})).await.assert_status(StatusCode::OK);
        assert_eq!(app.post(&format!("{wet}/{full_id}/validate"), &json!({})).await.code(), "document.wet_ink_validated");
        let scans: Vec<Value> = app.get_staff(&base).await.json()["wet_ink"].as_array().unwrap().clone();
        assert_eq!(scans.len(), 2);
        assert!(scans.iter().any(|s| s["validated_by"].is_string()));
    }
}

#[test]
fn the_command_line_renders_the_founding_kb_as_pdf_and_docx() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display());
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_sinergi"))
            .env_remove("SINERGI_DATABASE_URL")
            .env("RUST_LOG", "warn")
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["demo", "load", "--database-url", &url]);
    let case = FOUNDING_CASE_ID.to_string();
    for out in ["kb.pdf", "kb.docx"] {
        run(&[
            "document",
            "render",
            "--case",
            &case,
            "--kind",
            "kb",
            "--output",
            out,
            "--database-url",
            &url,
        ]);
    }
    let pdf = std::fs::read(dir.path().join("kb.pdf")).unwrap();
    assert!(pdf_text(&pdf).contains(
        "Pada hari ini Sabtu tanggal dua puluh enam bulan Maret tahun dua ribu dua puluh dua"
    ));
    let docx = std::fs::read(dir.path().join("kb.docx")).unwrap();
    assert_eq!(
        sinergi_documents::upload::detect(&docx),
        Ok(sinergi_documents::upload::FileKind::Docx)
    );
    // An output that is neither .pdf nor .docx is refused.
    let out = Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .env_remove("SINERGI_DATABASE_URL")
        .current_dir(dir.path())
        .args([
            "document",
            "render",
            "--case",
            &case,
            "--kind",
            "kb",
            "--output",
            "kb.odt",
            "--database-url",
            &url,
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(".pdf atau .docx"));
}
