//! Issue 19: a region's register of agreements, as Bagian Kerja Sama keep them in Excel,
//! brought in through the API, the page and the command line.

use crate::on_both;
use axum::http::Method;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;
use sinergi_test_support::{PASSWORD, TOKEN, TestApp, TestResponse};

/// Kalimantan Tengah's register as its Biro keeps it: two title rows, a two-row header with
/// "NOMOR" merged over "PIHAK I" / "PIHAK II", a column-number row, Excel dates beside typed
/// ones, a multi-line cell naming two regencies, blank rows and a total row.
fn kalteng_register() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Register KSD").unwrap();
    let merged = Format::new().set_bold();
    let day = Format::new().set_num_format("dd mmmm yyyy");
    let text = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, s: &str| {
        ws.write_string(r, c, s).unwrap();
    };
    text(ws, 0, 0, "REGISTER NASKAH KERJA SAMA DAERAH");
    text(
        ws,
        1,
        0,
        "Biro Pemerintahan dan Otonomi Daerah Setda Provinsi Kalimantan Tengah",
    );
    let single = [
        (0, "NO."),
        (1, "MITRA KERJA SAMA"),
        (2, "JENIS NASKAH"),
        (5, "TENTANG"),
        (6, "TANGGAL PENANDATANGANAN"),
        (7, "JANGKA WAKTU"),
        (8, "OPD PELAKSANA"),
        (9, "STATUS"),
        (10, "KETERANGAN"),
    ];
    for (c, h) in single {
        ws.merge_range(3, c, 4, c, h, &merged).unwrap();
    }
    ws.merge_range(3, 3, 3, 4, "NOMOR", &merged).unwrap();
    text(ws, 4, 3, "PIHAK I");
    text(ws, 4, 4, "PIHAK II");
    for c in 0..11u16 {
        text(ws, 5, c, &format!("{}", c + 1));
    }
    let rows: [[&str; 11]; 7] = [
        [
            "1",
            "Pemerintah Provinsi Bali",
            "Kesepakatan Bersama",
            "075/12/KSD/2023",
            "B.24/HK/2023",
            "Kerja Sama Pembangunan Daerah\nBidang Pariwisata dan UMKM",
            "",
            "5 (lima) tahun",
            "Biro Pemerintahan dan Otonomi Daerah",
            "Aktif",
            "",
        ],
        [
            "2",
            "Pemprov Bali",
            "PKS",
            "556/33/DISBUDPAR/2024",
            "",
            "Promosi Pariwisata Bersama",
            "14 Februari 2024",
            "24 bulan",
            "Dinas Kebudayaan dan Pariwisata",
            "Dalam pelaksanaan",
            "Pelaksanaan KB Nomor 075/12/KSD/2023",
        ],
        [
            "3",
            "Kab. Kapuas\nKab. Katingan",
            "KB",
            "",
            "",
            "Pengelolaan Daerah Aliran Sungai Kahayan",
            "Senin, 10 Agustus 2020",
            "3 th",
            "",
            "Sudah berakhir; diusulkan perpanjangan",
            "",
        ],
        [
            "4",
            "Prov. Kalimantan Selatan",
            "MoU",
            "",
            "",
            "Perdagangan Antar Daerah",
            "31 Juni 2023",
            "",
            "",
            "",
            "",
        ],
        [
            "5",
            "Universitas Palangka Raya",
            "Nota Kesepahaman",
            "",
            "",
            "Pengembangan Sumber Daya Manusia",
            "2022-03-01",
            "lima tahun",
            "",
            "",
            "",
        ],
        [
            "6",
            "Pemkot Atlantis",
            "KB",
            "",
            "",
            "Kerja Sama Khayalan",
            "01/03/2024",
            "",
            "",
            "",
            "",
        ],
        [
            "7",
            "Pemprov Jawa Timur",
            "KB",
            "",
            "",
            "Perdagangan Beras",
            "01/12/2030",
            "",
            "",
            "",
            "",
        ],
    ];
    let lines = [6u32, 7, 9, 10, 11, 12, 13];
    for (r, row) in lines.iter().zip(rows) {
        for (c, v) in (0u16..).zip(row) {
            if !v.is_empty() {
                text(ws, *r, c, v);
            }
        }
    }
    // The KB's date as Excel keeps a date: a serial number with a date format.
    ws.write_number_with_format(6, 6, 44971.0, &day).unwrap();
    text(ws, 15, 0, "Jumlah: 7 naskah");
    wb.save_to_buffer().unwrap()
}

async fn upload(app: &TestApp, token: &str, query: &str, body: Vec<u8>) -> TestResponse {
    let auth = format!("Bearer {token}");
    app.request(
        Method::POST,
        &format!("/api/v1/cases/imports?{query}"),
        Some(body),
        &[
            ("authorization", &auth),
            ("content-type", "application/octet-stream"),
        ],
    )
    .await
}

fn row(report: &Value, line: u64) -> &Value {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["line"] == line)
        .unwrap_or_else(|| panic!("line {line} missing from the report"))
}

async fn case_count(app: &TestApp) -> u64 {
    app.get_staff("/api/v1/cases?limit=1").await.json()["total"]
        .as_u64()
        .unwrap()
}

on_both! {
    async fn a_messy_register_is_reported_row_by_row_then_imported_once(app: TestApp) {
        let before = case_count(&app).await;
        let q = "file_name=register-kalteng.xlsx&region=62";
        let dry = upload(&app, TOKEN, &format!("{q}&dry_run=true"), kalteng_register()).await;
        dry.assert_status(StatusCode::OK);
        let dry = dry.json();
        assert_eq!(dry["header_lines"], serde_json::json!([4, 5]));
        let c = &dry["counts"];
        assert_eq!((c["new_cases"].as_u64(), c["joins_case"].as_u64(), c["refused"].as_u64()), (Some(3), Some(1), Some(3)), "{dry:#}");
        assert_eq!(row(&dry, 7)["status"], "new_case");
        assert_eq!(row(&dry, 7)["stage"], "Aktif");
        assert_eq!(row(&dry, 7)["signed_on"], "2023-02-14", "an Excel date");
        assert_eq!(row(&dry, 7)["ends_on"], "2028-02-13", "five years less a day");
        assert_eq!(row(&dry, 8)["status"], "joins_case");
        assert_eq!(row(&dry, 8)["parent_line"], 7);
        assert_eq!(row(&dry, 10)["stage"], "Berakhir");
        assert_eq!(row(&dry, 10)["parties"].as_array().unwrap().len(), 3, "two regencies in one cell");
        let impossible = row(&dry, 11);
        assert_eq!(impossible["status"], "refused");
        assert!(impossible["messages"][0].as_str().unwrap().contains("31 Juni 2023"), "{impossible}");
        assert!(row(&dry, 12)["parties"][1].as_str().unwrap().contains("Universitas Palangka Raya"));
        assert!(row(&dry, 13)["messages"][0].as_str().unwrap().contains("Atlantis"));
        assert!(row(&dry, 14)["messages"][0].as_str().unwrap().contains("belum terjadi"));
        for skipped in [1, 2, 3, 4, 5, 6, 9, 16] {
            assert_eq!(row(&dry, skipped)["status"], "skipped", "line {skipped}");
        }
        assert!(row(&dry, 16)["messages"][0].as_str().unwrap().contains("Jumlah"));
        assert_eq!(case_count(&app).await, before, "a dry run stores nothing");

        let done = upload(&app, TOKEN, q, kalteng_register()).await;
        done.assert_status(StatusCode::CREATED);
        let done = done.json();
        assert_eq!(done["imported"], true);
        assert_eq!(case_count(&app).await, before + 3);
        let kb_case = row(&done, 7)["case_id"].as_str().unwrap().to_owned();
        assert_eq!(row(&done, 8)["case_id"], kb_case.as_str(), "the PKS joins its KB's case");
        let case = app.get_staff(&format!("/api/v1/cases/{kb_case}")).await.json();
        assert_eq!(case["stage"], "AKTIF");
        assert_eq!(case["published"], false, "an imported record is not published by itself");
        let agreements = app.get_staff(&format!("/api/v1/cases/{kb_case}/agreements")).await.json();
        let items = agreements["items"].as_array().or(agreements.as_array()).unwrap().clone();
        let kb = items.iter().find(|a| a["kind"] == "kb").unwrap();
        let pks = items.iter().find(|a| a["kind"] == "pks").unwrap();
        assert_eq!(pks["parent"], kb["id"]);
        assert_eq!(kb["parties"][0]["number"], "075/12/KSD/2023");
        assert_eq!(kb["parties"][1]["number"], "B.24/HK/2023");
        let history = app.get_staff(&format!("/api/v1/cases/{kb_case}/history")).await.json();
        let notes: Vec<String> = history["items"].as_array().or(history.as_array()).unwrap().iter().filter_map(|h| h["note"].as_str().map(str::to_owned)).collect();
        assert!(notes.iter().any(|n| n == "Tercatat dari impor: register-kalteng.xlsx, lembar Register KSD, baris 7"), "{notes:?}");
        assert!(notes.iter().any(|n| n.ends_with("baris 8")), "{notes:?}");
        let ended = row(&done, 10)["case_id"].as_str().unwrap().to_owned();
        assert_eq!(app.get_staff(&format!("/api/v1/cases/{ended}")).await.json()["stage"], "BERAKHIR");

        // The same file again creates nothing new.
        let again = upload(&app, TOKEN, q, kalteng_register()).await;
        again.assert_status(StatusCode::OK);
        let again = again.json();
        assert_eq!(again["imported"], false);
        assert_eq!(again["counts"]["already_imported"], 4);
        assert_eq!(again["counts"]["new_cases"], 0);
        assert_eq!(case_count(&app).await, before + 3);
        assert!(app.store.verify_audit().await.unwrap().is_ok(), "the audit chain holds");
    }

    async fn a_row_like_an_existing_case_is_a_possible_duplicate(app: TestApp) {
        upload(&app, TOKEN, "file_name=register-kalteng.xlsx&region=62", kalteng_register()).await.assert_status(StatusCode::CREATED);
        let before = case_count(&app).await;
        // Another office's copy: other words, no numbers, the same parties and date.
        let csv = "Mitra;Jenis;Perihal;Tanggal\nPemerintah Provinsi Bali;KB;Pembangunan Daerah Bidang Pariwisata dan UMKM;14-02-2023\n\
                   Pemerintah Provinsi Bali;KB;Pertukaran Pelajar;14-02-2023\n\
                   Pemerintah Provinsi Bali;KB;Pertukaran Pelajar;14-02-2023\n";
        let res = upload(&app, TOKEN, "file_name=salinan.csv&region=62", csv.as_bytes().to_vec()).await;
        res.assert_status(StatusCode::CREATED);
        let body = res.json();
        let dup = row(&body, 2);
        assert_eq!(dup["status"], "possible_duplicate", "{body:#}");
        assert!(dup["messages"][0].as_str().unwrap().contains("Kerja Sama Pembangunan Daerah"));
        assert_eq!(row(&body, 3)["status"], "new_case", "another subject is another agreement");
        assert_eq!(row(&body, 4)["status"], "possible_duplicate", "the same row twice in one file");
        assert_eq!(case_count(&app).await, before + 1);
    }

    async fn only_a_region_admin_imports_its_own_register(app: TestApp) {
        app.user("admin-kt", Some("62"), &["admin"], None).await;
        app.user("admin-bl", Some("51"), &["admin"], None).await;
        app.user("opd-kt", Some("62"), &["opd_initiator"], Some("Dinas Pariwisata")).await;
        let before = case_count(&app).await;
        let bali = app.token_of("admin-bl").await;
        let forged = upload(&app, &bali, "file_name=r.xlsx&region=62", kalteng_register()).await;
        forged.assert_status(StatusCode::FORBIDDEN);
        let opd = app.token_of("opd-kt").await;
        upload(&app, &opd, "file_name=r.xlsx", kalteng_register()).await.assert_status(StatusCode::FORBIDDEN);
        let anonymous = app.request(Method::POST, "/api/v1/cases/imports?file_name=r.xlsx&region=62", Some(kalteng_register()), &[]).await;
        anonymous.assert_status(StatusCode::UNAUTHORIZED);
        assert_eq!(case_count(&app).await, before);
        // The region's own admin, without naming the region: it is theirs.
        let own = app.token_of("admin-kt").await;
        let res = upload(&app, &own, "file_name=r.xlsx&dry_run=true", kalteng_register()).await;
        res.assert_status(StatusCode::OK);
        assert_eq!(res.json()["region"], "62");
        let bad = upload(&app, &own, "file_name=r.xlsx&dry_run=true&columns=C%3Djudul", kalteng_register()).await;
        bad.assert_status(StatusCode::BAD_REQUEST);
        assert!(bad.text().contains("judul"));
    }

    async fn hostile_or_foreign_files_are_refused_and_nothing_is_stored(app: TestApp) {
        let before = case_count(&app).await;
        let mut huge = String::from("Mitra;Jenis;Tentang;Tanggal\n");
        for i in 0..20_100 {
            huge.push_str(&format!("Pemprov Bali;KB;Kerja sama {i};14/02/2023\n"));
        }
        let res = upload(&app, TOKEN, "file_name=besar.csv&region=62", huge.into_bytes()).await;
        res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.json()["problems"][0].as_str().unwrap().contains("20000"), "{}", res.text());
        let zip = upload(&app, TOKEN, "file_name=rusak.xlsx&region=62", b"PK\x03\x04\x14\0\0\0rusak".to_vec()).await;
        zip.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let table = upload(&app, TOKEN, "file_name=pdrb.csv&region=62", b"Provinsi;A;B\nBali;1;2\n".to_vec()).await;
        table.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(table.json()["problems"][0].as_str().unwrap().contains("judul kolom"));
        assert_eq!(case_count(&app).await, before);
    }

    async fn the_admin_uploads_checks_adjusts_and_imports_through_the_page(app: TestApp) {
        app.user("admin-pky", Some("62.71"), &["admin"], None).await;
        app.user("admin-bl", Some("51"), &["admin"], None).await;
        let s = app.sign_in("admin-pky", PASSWORD).await.unwrap();
        let page = app.get_as(&s, "/wilayah/62.71/impor-register").await;
        page.assert_status(StatusCode::OK);
        assert!(page.text().contains("form-unggah-register"));
        // "Program" is not a word Sinergi knows for the subject: the admin chooses it.
        let csv = "Daftar Kerja Sama Kota Palangka Raya\n\nNo;Mitra;Program;Tgl. Penandatanganan;Tgl. Berakhir;Jenis\n\
                   1;Pemkab Pulang Pisau;Pengelolaan Sampah Regional;15-03-2021;14-03-2024;PKS\n\
                   2;Kab. Katingan;Pasokan Air Bersih;01/07/2022;30/06/2027;Perjanjian Kerja Sama\n";
        let up = app.post_multipart(&s, "/wilayah/62.71/impor-register", &[("file", "register-pky.csv", csv.as_bytes())], &[]).await;
        up.assert_status(StatusCode::SEE_OTHER);
        let preview_url = up.headers.get("location").unwrap().to_str().unwrap().to_owned();
        assert!(preview_url.starts_with("/wilayah/62.71/impor-register/"));
        let preview = app.get_as(&s, &preview_url).await;
        preview.assert_status(StatusCode::OK);
        let text = preview.text();
        assert!(text.contains("Tentang&#34; tidak ditemukan di baris judul"), "the missing column is named: {text}");
        assert!(!text.contains("id=\"form-impor\""), "nothing to import before the columns are known");
        let chosen = app.get_as(&s, &format!("{preview_url}?kolom_2=subject")).await;
        let text = chosen.text();
        assert!(text.contains("data-status=\"baru\""), "{text}");
        assert!(text.contains("Pengelolaan Sampah Regional"));
        assert!(text.contains("id=\"form-impor\""));
        // Another region's admin can neither see nor import this file.
        let bali = app.sign_in("admin-bl", PASSWORD).await.unwrap();
        let peek = app.get_as(&bali, &format!("{preview_url}?kolom_2=subject")).await;
        assert!(peek.status == StatusCode::FORBIDDEN || peek.status == StatusCode::NOT_FOUND, "{}", peek.status);
        let sha = preview_url.rsplit('/').next().unwrap().to_owned();
        let theirs = app.get_as(&bali, &format!("/wilayah/51/impor-register/{sha}")).await;
        theirs.assert_status(StatusCode::NOT_FOUND);

        let done = app.post_form(&s, &preview_url, &[("kolom_2", "subject")], None).await;
        done.assert_status(StatusCode::SEE_OTHER);
        let back = done.headers.get("location").unwrap().to_str().unwrap().to_owned();
        assert!(back.contains("ok=register_impor"), "{back}");
        let after = app.get_as(&s, &back).await.text();
        assert!(after.contains("Register diimpor"));
        assert!(after.contains("data-status=\"sudah\""), "the file now reads as imported");
        assert!(after.contains("register-pky.csv"), "the import is listed");
        let table = after.split("id=\"laporan-baris\"").nth(1).unwrap();
        let case_link = table.split("href=\"/kerja-sama/").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let case_page = app.get_as(&s, &format!("/kerja-sama/{case_link}")).await.text();
        assert!(case_page.contains("Tercatat dari impor: register-pky.csv, baris"), "the case says where it came from");
        assert!(case_page.contains("Dicatat dari register lama (impor)"));
        // Importing again through the page adds nothing.
        let again = app.post_form(&s, &preview_url, &[("kolom_2", "subject")], None).await;
        assert!(again.headers.get("location").unwrap().to_str().unwrap().contains("ok=register_kosong"));
    }

    async fn a_large_register_is_imported_in_the_background_with_progress(app: TestApp) {
        app.user("admin-kt", Some("62"), &["admin"], None).await;
        let s = app.sign_in("admin-kt", PASSWORD).await.unwrap();
        let mut csv = String::from("No;Mitra;Jenis;Tentang;Tanggal;Jangka Waktu\n");
        for i in 1..=1500 {
            csv.push_str(&format!("{i};Pemprov Bali;KB;Kerja sama bidang pariwisata nomor {i};14/02/2023;5 tahun\n"));
        }
        assert!(csv.len() > 64 * 1024, "large enough to run in the background");
        let before = case_count(&app).await;
        let up = app.post_multipart(&s, "/wilayah/62/impor-register", &[("file", "besar.csv", csv.as_bytes())], &[]).await;
        let preview = up.headers.get("location").unwrap().to_str().unwrap().to_owned();
        let started = app.post_form(&s, &preview, &[], None).await;
        started.assert_status(StatusCode::SEE_OTHER);
        let mut at = started.headers.get("location").unwrap().to_str().unwrap().to_owned();
        assert!(at.contains("/proses/"), "{at}");
        let mut polls = 0;
        while at.contains("/proses/") {
            let page = app.get_as(&s, &at).await;
            if page.status == StatusCode::SEE_OTHER {
                at = page.headers.get("location").unwrap().to_str().unwrap().to_owned();
            } else {
                page.assert_status(StatusCode::OK);
                assert_eq!(page.headers.get("refresh").unwrap(), "1", "the progress page refreshes itself");
                assert!(page.text().contains("<progress"), "{}", page.text());
                polls += 1;
                assert!(polls < 600, "the import never finished");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
        assert!(at.contains("ok=register_impor"), "{at}");
        assert_eq!(case_count(&app).await, before + 1500);
        // A run this node does not know (another node's, or one that stopped) says so.
        let sha = preview.rsplit('/').next().unwrap();
        let elsewhere = app.get_as(&s, &format!("/wilayah/62/impor-register/{sha}/proses/{}", uuid::Uuid::now_v7())).await;
        elsewhere.assert_status(StatusCode::OK);
        assert!(elsewhere.text().contains("server lain"));
    }

    async fn one_earlier_agreement_is_entered_by_hand(app: TestApp) {
        app.user("admin-kt", Some("62"), &["admin"], None).await;
        app.user("admin-bl", Some("51"), &["admin"], None).await;
        let s = app.sign_in("admin-kt", PASSWORD).await.unwrap();
        let region = app.get_as(&s, "/wilayah/62").await.text();
        assert!(region.contains("/wilayah/62/impor-register"), "the region page leads to the import");
        let fields = [
            ("partner", "Pemkab Badung"),
            ("kind", "KB"),
            ("subject", "Kerja Sama Promosi Wisata Budaya"),
            ("own_number", "075/3/KSD/2021"),
            ("signed_on", "2021-04-21"),
            ("term", "5 (lima) tahun"),
            ("unit", "Dinas Kebudayaan dan Pariwisata"),
        ];
        let mut check = fields.to_vec();
        check.push(("periksa", "1"));
        let checked = app.post_form(&s, "/wilayah/62/naskah-lama", &check, None).await;
        checked.assert_status(StatusCode::OK);
        let text = checked.text();
        assert!(text.contains("Kasus baru") && text.contains("20 April 2026"), "the dry run says what it will become: {text}");
        assert!(text.contains("value=\"Kerja Sama Promosi Wisata Budaya\""), "what was typed stays");
        let before = case_count(&app).await;
        let done = app.post_form(&s, "/wilayah/62/naskah-lama", &fields, None).await;
        done.assert_status(StatusCode::SEE_OTHER);
        let case_url = done.headers.get("location").unwrap().to_str().unwrap().to_owned();
        assert!(case_url.starts_with("/kerja-sama/") && case_url.contains("ok=naskah_lama"), "{case_url}");
        assert_eq!(case_count(&app).await, before + 1);
        let page = app.get_as(&s, &case_url).await.text();
        assert!(page.contains("Dicatat dari naskah lama melalui formulir"));
        // The same agreement twice is refused, and an impossible date is named.
        let twice = app.post_form(&s, "/wilayah/62/naskah-lama", &fields, None).await;
        twice.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(twice.text().contains("Sudah diimpor sebelumnya"));
        let mut wrong = fields.to_vec();
        wrong[4] = ("signed_on", "31 Juni 2021");
        let refused = app.post_form(&s, "/wilayah/62/naskah-lama", &wrong, None).await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().contains("31 Juni 2021"));
        // Bali's admin cannot record an agreement into Kalimantan Tengah's register.
        let bali = app.sign_in("admin-bl", PASSWORD).await.unwrap();
        app.post_form(&bali, "/wilayah/62/naskah-lama", &fields, None).await.assert_status(StatusCode::FORBIDDEN);
        assert_eq!(case_count(&app).await, before + 1);

        // The API: the same rules.
        let token = app.token_of("admin-kt").await;
        let body = serde_json::json!({"partner": "Kab. Kapuas", "kind": "PKS", "subject": "Pengelolaan Air Bersih", "signed_on": "14 Februari 2024", "ends_on": "13/02/2027", "dry_run": true});
        let dry = app.as_token(&token, Method::POST, "/api/v1/cases/legacy", Some(&body)).await;
        dry.assert_status(StatusCode::OK);
        assert_eq!(dry.json()["rows"][0]["stage"], "Aktif");
        let mut body = body;
        body["dry_run"] = false.into();
        let stored = app.as_token(&token, Method::POST, "/api/v1/cases/legacy", Some(&body)).await;
        stored.assert_status(StatusCode::CREATED);
        body["signed_on"] = "kemarin".into();
        let bad = app.as_token(&token, Method::POST, "/api/v1/cases/legacy", Some(&body)).await;
        bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.json()["rows"][0]["messages"][0].as_str().unwrap().contains("kemarin"));
    }
}

/// The same register saved by LibreOffice as ODS and as Excel 97 (XLS) reads the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ods_and_xls_registers_read_like_the_xlsx() {
    let app = TestApp::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("register.xlsx");
    std::fs::write(&xlsx, kalteng_register()).unwrap();
    let profile = dir.path().join("lo-profile");
    for target in ["ods", "xls"] {
        let out = std::process::Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
            ])
            .arg(dir.path())
            .arg(&xlsx)
            .output()
            .expect("LibreOffice (soffice) is installed by .ci/run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let expected = upload(
        &app,
        TOKEN,
        "file_name=register.xlsx&region=62&dry_run=true",
        kalteng_register(),
    )
    .await
    .json();
    for name in ["register.ods", "register.xls"] {
        let bytes = std::fs::read(dir.path().join(name)).unwrap();
        let got = upload(
            &app,
            TOKEN,
            &format!("file_name={name}&region=62&dry_run=true"),
            bytes,
        )
        .await
        .json();
        assert_eq!(got["counts"], expected["counts"], "{name}: {got:#}");
        assert_eq!(row(&got, 7)["signed_on"], "2023-02-14", "{name}");
        assert_eq!(row(&got, 8)["parent_line"], 7, "{name}");
    }
}

/// `sinergi cases import` as an operator runs it on the embedded database.
#[test]
fn the_command_line_reports_then_imports() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register-kalteng.xlsx");
    std::fs::write(&file, kalteng_register()).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display());
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sinergi"))
            .env_remove("SINERGI_DATABASE_URL")
            .env("RUST_LOG", "warn")
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let file = file.to_str().unwrap();
    let (ok, text, err) = run(&[
        "cases",
        "import",
        file,
        "--region",
        "62",
        "--dry-run",
        "--database-url",
        &url,
    ]);
    assert!(ok, "{err}");
    assert!(text.contains("baris 11: DITOLAK"), "{text}");
    assert!(text.contains("31 Juni 2023"));
    assert!(text.contains("Uji coba: tidak ada yang disimpan."));
    let (ok, json, err) = run(&[
        "cases",
        "import",
        file,
        "--region",
        "62",
        "--format",
        "json",
        "--lang",
        "en",
        "--database-url",
        &url,
    ]);
    assert!(ok, "{err}");
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["imported"], true);
    assert_eq!(report["counts"]["new_cases"], 3);
    assert!(
        row(&report, 11)["messages"][0]
            .as_str()
            .unwrap()
            .contains("does not exist")
    );
    let (ok, text, _) = run(&[
        "cases",
        "import",
        file,
        "--region",
        "62",
        "--database-url",
        &url,
    ]);
    assert!(ok);
    assert!(
        text.contains("0 kasus baru") && text.contains("4 sudah diimpor"),
        "{text}"
    );
    let (ok, _, err) = run(&[
        "cases",
        "import",
        file,
        "--region",
        "62",
        "--column",
        "C=judul",
        "--database-url",
        &url,
    ]);
    assert!(!ok);
    assert!(err.contains("judul"), "{err}");
}
