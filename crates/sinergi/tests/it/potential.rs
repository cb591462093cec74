//! Regional potential (issue 6): BPS table import (CSV, XLSX) with its row report, the
//! published seed figures, the synthetic data set, the potential / pair / partner pages and
//! their JSON, and the case's scope checked against its pair.

use crate::on_both;
use axum::http::{Method, StatusCode};
use serde_json::Value;
use sinergi_test_support::{TOKEN, TestApp};

const CODES: [&str; 17] = [
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M,N", "O", "P", "Q", "R,S,T,U",
];

/// Four provinces with a clear structure: Bali's accommodation (I), Kalteng's agriculture
/// and mining (A, B), Jatim's industry (C), Papua's mining (B). 2021 is 90 % of 2022 except
/// Bali's I (800), so Bali's I grows fastest.
fn values(name: &str, year: i32) -> [f64; 17] {
    let mut v = [100.0; 17];
    match name {
        "Bali" => v[8] = 1000.0,
        "Kalimantan Tengah" => {
            v[0] = 1000.0;
            v[1] = 800.0;
        }
        "Jawa Timur" => v[2] = 900.0,
        _ => v[1] = 1200.0,
    }
    if year == 2021 {
        for (i, x) in v.iter_mut().enumerate() {
            *x = if name == "Bali" && i == 8 {
                800.0
            } else {
                *x * 0.9
            };
        }
    }
    v
}

const PROVINCES: [&str; 4] = ["Bali", "Kalimantan Tengah", "Jawa Timur", "Papua"];

/// "1.234,50" — the Indonesian format of BPS tables.
fn id_number(x: f64) -> String {
    let whole = x.trunc() as i64;
    let cents = ((x - x.trunc()) * 100.0).round() as i64;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{grouped},{cents:02}")
}

/// A BPS-style CSV: title with the year, a two-row header (names, then codes), a numbering
/// row, the provinces, the national total and a footnote.
fn bps_csv(year: i32, rows: &[(&str, Vec<String>)], columns: &[&str]) -> String {
    let mut s = format!(
        "PDRB Atas Dasar Harga Berlaku Menurut Provinsi dan Lapangan Usaha (Miliar Rupiah), {year};;\n"
    );
    s.push_str("Provinsi");
    let names = sinergi_reference::pdrb_categories().unwrap();
    for c in columns {
        let name = &names.iter().find(|n| n.code == *c).unwrap().name;
        s.push_str(&format!(";\"{name}\""));
    }
    s.push('\n');
    for c in columns {
        s.push_str(&format!(";{c}"));
    }
    s.push('\n');
    for i in 1..=columns.len() + 1 {
        s.push_str(&format!("({i})"));
        if i <= columns.len() {
            s.push(';');
        }
    }
    s.push('\n');
    for (name, cells) in rows {
        s.push_str(name);
        for c in cells {
            s.push(';');
            s.push_str(c);
        }
        s.push('\n');
    }
    s.push_str("Catatan: angka sementara\n");
    s
}

fn good_rows(year: i32) -> Vec<(&'static str, Vec<String>)> {
    let mut rows: Vec<(&str, Vec<String>)> = PROVINCES
        .iter()
        .map(|p| (*p, values(p, year).iter().map(|v| id_number(*v)).collect()))
        .collect();
    rows.push(("INDONESIA", vec!["9.999,00".to_owned(); 17]));
    rows
}

fn good_csv(year: i32) -> String {
    bps_csv(year, &good_rows(year), &CODES)
}

async fn upload(app: &TestApp, query: &str, body: Vec<u8>) -> sinergi_test_support::TestResponse {
    let auth = format!("Bearer {TOKEN}");
    app.request(
        Method::POST,
        &format!("/api/v1/observations/imports?{query}"),
        Some(body),
        &[("authorization", &auth), ("content-type", "text/csv")],
    )
    .await
}

async fn import_year(app: &TestApp, year: i32) {
    let res = upload(
        app,
        &format!("file_name=pdrb{year}.csv&year={year}&price_basis=adhb&source=BPS%20Tabel%20uji%20{year}"),
        good_csv(year).into_bytes(),
    )
    .await;
    res.assert_status(StatusCode::CREATED);
}

async fn real_count(app: &TestApp) -> i64 {
    app.store.observation_count(false).await.unwrap()
}

fn lq(region: &str, sector: usize, year: i32) -> f64 {
    let total = |r: &str| values(r, year).iter().sum::<f64>();
    let all: f64 = PROVINCES.iter().map(|p| total(p)).sum();
    let sector_all: f64 = PROVINCES.iter().map(|p| values(p, year)[sector]).sum();
    (values(region, year)[sector] / total(region)) / (sector_all / all)
}

fn text(res: &sinergi_test_support::TestResponse) -> String {
    String::from_utf8_lossy(&res.body).into_owned()
}

fn sector<'a>(v: &'a Value, code: &str) -> &'a Value {
    v["analysis"]["sectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == code)
        .unwrap()
}

on_both! {
    async fn a_bps_csv_is_imported_and_the_potential_shows_its_facts(app: TestApp) {
        let seeded = real_count(&app).await;
        assert_eq!(seeded, 28, "the published figures of analytics.md §6");
        let res = upload(&app, "file_name=pdrb2022.csv&year=2022&price_basis=adhb&source=BPS%20Tabel%20uji%202022", good_csv(2022).into_bytes()).await;
        res.assert_status(StatusCode::CREATED);
        let body = res.json();
        assert_eq!(body["stored"]["rows"], 4 * 17);
        assert_eq!(body["report"]["mapped"], 4);
        assert_eq!(body["report"]["rejected"], 0);
        assert_eq!(body["report"]["number_format"], "indonesian");
        let rows = body["report"]["rows"].as_array().unwrap();
        let status = |line: u64| rows.iter().find(|r| r["line"] == line).unwrap()["status"].as_str().unwrap().to_owned();
        assert_eq!(status(1), "skipped");
        assert_eq!(status(5), "mapped");
        assert_eq!(rows.iter().find(|r| r["line"] == 6).unwrap()["region_code"], "62");
        assert_eq!(status(9), "skipped"); // INDONESIA
        assert_eq!(status(10), "skipped"); // footnote
        assert_eq!(body["stored"]["replaced"], 1, "the published Bali I figure of §6 has the same key");
        assert_eq!(real_count(&app).await, seeded + 67);
        import_year(&app, 2021).await;

        let p = app.get("/api/v1/regions/51/potential").await;
        p.assert_status(StatusCode::OK);
        let p = p.json();
        assert_eq!(p["synthetic"], false);
        assert_eq!(p["analysis"]["start"], 2021);
        assert_eq!(p["analysis"]["end"], 2022);
        assert_eq!(p["analysis"]["regions_compared"], 4);
        assert_eq!(p["analysis"]["growth_basis"], "adhb");
        let i = sector(&p, "I");
        assert!((i["lq"].as_f64().unwrap() - lq("Bali", 8, 2022)).abs() < 1e-9);
        assert!((i["lq_start"].as_f64().unwrap() - lq("Bali", 8, 2021)).abs() < 1e-9);
        // DLQ = (1,25/1,1607) / (1,2150/1,1222) = 0,995: a base sector losing position.
        assert_eq!(i["dlq_class"], "BASIS_DECLINING");
        assert_eq!(i["klassen"], "Q1");
        let ss = &i["shift_share"];
        let change = ss["ns"].as_f64().unwrap() + ss["im"].as_f64().unwrap() + ss["rs"].as_f64().unwrap();
        assert!((change - 200.0).abs() < 1e-6, "NS + IM + RS = 1000 − 800");
        assert!(p["sources"].as_array().unwrap().iter().any(|s| s == "BPS Tabel uji 2022"));

        let page = app.get("/wilayah/51/potensi").await;
        page.assert_status(StatusCode::OK);
        let html = text(&page);
        assert!(html.contains("Potensi daerah"));
        assert!(html.contains("<svg class=\"chart\""));
        assert!(html.contains(&format!("LQ {}", sinergi_domain::locale::decimal_id(lq("Bali", 8, 2022), 2))));
        assert!(html.contains("BPS Tabel uji 2022"), "the source under the charts");
        assert!(html.contains("Tipologi Klassen sektoral"));
        assert!(html.contains("prospektif (basis, melemah)"));
        assert!(!html.contains("DATA SINTETIS"));
        let en = text(&app.get("/wilayah/51/potensi?lang=en").await);
        assert!(en.contains("Regional potential"));
        let outside = app.get("/api/v1/regions/51/potential?start=2015").await.json();
        assert_eq!(outside["unavailable"]["code"], "potential.year_not_in_data");
        assert!(outside["unavailable"]["message"].as_str().unwrap().contains("Tahun 2015 berada di luar data"));
        let region = text(&app.get("/wilayah/51").await);
        assert!(region.contains("/wilayah/51/potensi") && region.contains("/wilayah/51/cari-mitra"));
    }

    async fn an_xlsx_table_is_imported_like_the_csv(app: TestApp) {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Tabel 2022").unwrap();
        let title = rust_xlsxwriter::Format::new().set_bold();
        sheet.merge_range(0, 0, 0, 17, "PDRB ADHK Menurut Lapangan Usaha (Juta Rupiah), 2022", &title).unwrap();
        sheet.merge_range(1, 1, 1, 17, "Lapangan Usaha", &title).unwrap();
        sheet.write_string(2, 0, "Provinsi").unwrap();
        for (i, c) in CODES.iter().enumerate() {
            let col = u16::try_from(i + 1).unwrap();
            sheet.write_string(2, col, format!("{c}. {}", ["Pertanian", "Tambang", "Industri"].get(i).unwrap_or(&"…"))).unwrap();
        }
        for (r, p) in PROVINCES.iter().enumerate() {
            let row = u32::try_from(r + 3).unwrap();
            sheet.write_string(row, 0, if *p == "Bali" { "Provinsi Bali" } else { p }).unwrap();
            for (i, v) in values(p, 2022).iter().enumerate() {
                sheet.write_number(row, u16::try_from(i + 1).unwrap(), v * 1000.0).unwrap();
            }
        }
        sheet.write_string(8, 0, "Sumber: BPS").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let res = upload(&app, "file_name=pdrb.xlsx&year=2022&price_basis=adhk&unit=juta_rupiah&source=BPS%20XLSX%20uji", bytes).await;
        res.assert_status(StatusCode::CREATED);
        let body = res.json();
        assert_eq!(body["report"]["sheet"], "Tabel 2022");
        assert_eq!(body["report"]["mapped"], 4);
        assert_eq!(body["stored"]["rows"], 68);
        let stored = app.store.observations_of(&["51"], false).await.unwrap();
        let i = stored.iter().find(|o| o.indicator == "pdrb" && o.sector == "I" && o.price_basis == "adhk").unwrap();
        assert!((i.value - 1000.0).abs() < 1e-9, "juta rupiah are stored as miliar rupiah");
        assert_eq!(i.source, "BPS XLSX uji");
        assert_eq!(i.unit, "miliar_rupiah");
    }

    async fn a_regency_table_maps_names_and_skips_its_province_row(app: TestApp) {
        let cells = |base: f64| (0..17).map(|i| id_number(base + f64::from(i))).collect::<Vec<_>>();
        let rows = vec![
            ("Kotawaringin Barat", cells(100.0)),
            ("Kota Palangka Raya", cells(200.0)),
            ("Kab. Kapuas", cells(300.0)),
            ("Kalimantan Tengah", cells(600.0)),
        ];
        let csv = bps_csv(2022, &rows, &CODES);
        let res = upload(&app, "file_name=kalteng.csv&year=2022&price_basis=adhb&source=BPS%20Kalteng%20uji&level=regency&province=62", csv.into_bytes()).await;
        res.assert_status(StatusCode::CREATED);
        let body = res.json();
        let mapped: Vec<&str> = body["report"]["rows"].as_array().unwrap().iter().filter_map(|r| r["region_code"].as_str()).collect();
        assert_eq!(mapped, ["62.01", "62.71", "62.03"]);
        let province_row = body["report"]["rows"].as_array().unwrap().iter().find(|r| r["label"] == "Kalimantan Tengah").unwrap();
        assert_eq!(province_row["status"], "skipped");
        let p = app.get("/api/v1/regions/62.71/potential").await.json();
        assert_eq!(p["analysis"]["regions_compared"], 3);
        assert_eq!(p["analysis"]["level"], "regency");
    }

    async fn bad_tables_are_refused_with_file_line_and_problem(app: TestApp) {
        let before = real_count(&app).await;
        let mut unknown = good_rows(2022);
        unknown[1].0 = "Kalimantan Tenggara Raya";
        let mut non_numeric = good_rows(2022);
        non_numeric[0].1[2] = "12a,5".to_owned();
        let mut missing = good_rows(2022);
        missing[2].1[6] = "-".to_owned();
        let no_e: Vec<&str> = CODES.iter().copied().filter(|c| *c != "E").collect();
        let missing_column: Vec<(&str, Vec<String>)> = good_rows(2022)
            .into_iter()
            .map(|(n, mut v)| { v.remove(4); (n, v) })
            .collect();
        let cases: Vec<(String, i32, &str, &str)> = vec![
            (bps_csv(2022, &unknown, &CODES), 2022, "import.unknown_region",
             "pdrb.csv, baris 6: nama wilayah \"Kalimantan Tenggara Raya\" tidak dikenal"),
            (bps_csv(2022, &non_numeric, &CODES), 2022, "import.non_numeric",
             "pdrb.csv, baris 5: sel kategori C (kolom D) bukan angka: \"12a,5\""),
            (bps_csv(2022, &missing, &CODES), 2022, "import.missing_value",
             "pdrb.csv, baris 7: nilai kategori G (kolom H) kosong"),
            (bps_csv(2022, &missing_column, &no_e), 2022, "import.missing_category",
             "pdrb.csv, baris 2: kolom kategori E (Pengadaan Air, Pengelolaan Sampah, Limbah dan Daur Ulang) tidak ada dalam tabel"),
            (good_csv(2022), 2019, "import.year_not_in_table",
             "pdrb.csv: tahun 2019 berada di luar data: judul tabel hanya menyebut tahun 2022"),
        ];
        for (csv, year, code, message) in cases {
            let res = upload(&app, &format!("file_name=pdrb.csv&year={year}&price_basis=adhb&source=uji"), csv.clone().into_bytes()).await;
            res.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
            let body = res.json();
            assert_eq!(body["error"]["code"], "import.refused");
            assert!(body["stored"].is_null());
            let problems: Vec<String> = body["error"]["problems"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).collect();
            assert!(problems.iter().any(|p| p.starts_with(message)), "{code}: {problems:?}");
            let codes = serde_json::to_string(&body["report"]).unwrap();
            assert!(codes.contains(code), "{code}");
            assert_eq!(real_count(&app).await, before, "nothing stored for {code}");
            let en = upload(&app, &format!("file_name=pdrb.csv&year={year}&price_basis=adhb&source=uji&lang=en"), csv.into_bytes()).await.json();
            let first = en["error"]["problems"][0].as_str().unwrap().to_owned();
            assert!(first.contains("line") || first.starts_with("pdrb.csv: year"), "{first}");
        }
        let far = upload(&app, "file_name=pdrb.csv&year=2031&price_basis=adhb&source=uji", good_csv(2022).into_bytes()).await.json();
        assert!(far["error"]["problems"].as_array().unwrap().iter().any(|p| p.as_str().unwrap().contains("tahun 2031 berada di luar data")));
        let anonymous = app.request(Method::POST, "/api/v1/observations/imports?file_name=a.csv&year=2022&price_basis=adhb&source=x", Some(good_csv(2022).into_bytes()), &[]).await;
        anonymous.assert_status(StatusCode::UNAUTHORIZED);
        let bad_basis = upload(&app, "file_name=a.csv&year=2022&price_basis=adhx&source=x", good_csv(2022).into_bytes()).await;
        assert_eq!(bad_basis.code(), "request.invalid_query");
        assert_eq!(real_count(&app).await, before);
    }

    async fn a_dry_run_stores_nothing_and_a_partial_import_needs_confirmation(app: TestApp) {
        let before = real_count(&app).await;
        let batches = app.get("/api/v1/observations/batches").await.json()["total"].clone();
        let res = upload(&app, "file_name=pdrb.csv&year=2022&price_basis=adhb&source=uji&dry_run=true", good_csv(2022).into_bytes()).await;
        res.assert_status(StatusCode::OK);
        let body = res.json();
        assert_eq!(body["dry_run"], true);
        assert_eq!(body["importable"], true);
        assert!(body["stored"].is_null());
        assert_eq!(body["report"]["rows"].as_array().unwrap().len(), 10, "every row of the file is listed");
        assert_eq!(real_count(&app).await, before);
        assert_eq!(app.get("/api/v1/observations/batches").await.json()["total"], batches);

        let mut rows = good_rows(2022);
        rows[3].0 = "Atlantis";
        let csv = bps_csv(2022, &rows, &CODES);
        let dry = upload(&app, "file_name=pdrb.csv&year=2022&price_basis=adhb&source=uji&dry_run=true", csv.clone().into_bytes()).await.json();
        assert_eq!(dry["importable"], false);
        assert_eq!(dry["report"]["rejected"], 1);
        upload(&app, "file_name=pdrb.csv&year=2022&price_basis=adhb&source=uji", csv.clone().into_bytes()).await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(real_count(&app).await, before);
        let partial = upload(&app, "file_name=pdrb.csv&year=2022&price_basis=adhb&source=uji&accept_partial=true", csv.into_bytes()).await;
        partial.assert_status(StatusCode::CREATED);
        assert_eq!(partial.json()["stored"]["rows"], 3 * 17);
        // Bali's I replaces the published figure of the same key.
        assert_eq!(real_count(&app).await, before + 50);
        // The same table again replaces, never duplicates.
        let again = upload(&app, "file_name=pdrb.csv&year=2022&price_basis=adhb&source=uji2", good_csv(2022).into_bytes()).await.json();
        assert_eq!(again["stored"]["replaced"], 51);
        assert_eq!(real_count(&app).await, before + 67);
    }

    async fn the_pair_and_the_partner_finder_show_both_directions(app: TestApp) {
        import_year(&app, 2021).await;
        import_year(&app, 2022).await;
        let pair = app.get("/api/v1/regions/62/partners/51").await;
        pair.assert_status(StatusCode::OK);
        let pair = pair.json();
        assert_eq!(pair["a"]["name"], "Kalimantan Tengah");
        assert_eq!(pair["b"]["code"], "51");
        assert_eq!(pair["synthetic"], false);
        assert_eq!(pair["year"], 2022);
        let (ab, ba, m) = (pair["a_to_b"].as_f64().unwrap(), pair["b_to_a"].as_f64().unwrap(), pair["mutual"].as_f64().unwrap());
        assert!((m - (ab * ba).sqrt()).abs() < 1e-12);
        assert!(pair["similarity"].as_f64().is_some());
        let from_bali = pair["contributions_b_to_a"].as_array().unwrap();
        let i = from_bali.iter().find(|c| c["sector"] == "I").unwrap();
        assert!(i["sentence"].as_str().unwrap().starts_with("Surplus sektor I di Bali (LQ 3,31) mengisi kekurangan Kalimantan Tengah (LQ 0,26)"), "{}", i["sentence"]);
        let fields = pair["suggested_fields"].as_array().unwrap();
        let tourism = fields.iter().find(|f| f["field"] == "pariwisata_kebudayaan").unwrap();
        assert!(tourism["sentences"][0].as_str().unwrap().contains("Pariwisata dan Kebudayaan"));
        assert!(fields.iter().any(|f| f["field"] == "pertanian_peternakan"), "Kalteng's A surplus");
        let back = app.get("/api/v1/regions/51/partners/62").await.json();
        assert_eq!(back["mutual"], pair["mutual"]);
        assert_eq!(back["a_to_b"], pair["b_to_a"]);
        assert_eq!(app.get("/api/v1/regions/62/partners/62.71").await.code(), "request.invalid_path");

        let ranking = app.get("/api/v1/regions/62/partners").await.json();
        assert_eq!(ranking["total"], 3);
        let items = ranking["items"].as_array().unwrap();
        assert_eq!(items[0]["rank"], 1);
        assert!(items[0]["mutual"].as_f64().unwrap() >= items[1]["mutual"].as_f64().unwrap());
        let bali = app.get("/api/v1/regions/62/partners?island=bali_nusa_tenggara").await.json();
        assert_eq!(bali["total"], 1);
        assert_eq!(bali["items"][0]["region"]["code"], "51");
        let out = app.get("/api/v1/regions/62/partners?by=outgoing").await.json();
        assert!(out["items"][0]["a_to_b"].as_f64().unwrap() >= out["items"][1]["a_to_b"].as_f64().unwrap());
        assert_eq!(app.get("/api/v1/regions/62/partners?island=atlantis").await.code(), "request.invalid_query");
        assert_eq!(app.get("/api/v1/regions/62/partners?level=village").await.code(), "request.invalid_query");
        assert_eq!(app.get("/api/v1/regions/99/partners").await.code(), "region.not_found");

        let page = text(&app.get("/wilayah/62/mitra/51").await);
        assert!(page.contains("Kalimantan Tengah ↔ Bali"));
        assert!(page.contains("Usulan bidang kerja sama"));
        assert!(page.contains("Surplus sektor I di Bali (LQ 3,31)"));
        assert!(page.contains("BPS Tabel uji 2022"));
        let finder = app.get("/wilayah/62/cari-mitra?pulau=bali_nusa_tenggara").await;
        finder.assert_status(StatusCode::OK);
        let finder = text(&finder);
        assert!(finder.contains("/wilayah/62/mitra/51"));
        assert!(!finder.contains("/wilayah/62/mitra/35"));
        let openapi = app.get("/api/v1/openapi.json").await.json();
        for path in ["/api/v1/regions/{code}/potential", "/api/v1/regions/{code}/partners", "/api/v1/regions/{code}/partners/{partner}", "/api/v1/cases/{id}/scope-check", "/api/v1/observations/imports", "/api/v1/observations/batches"] {
            assert!(openapi["paths"][path].is_object(), "{path}");
        }
    }

    async fn the_published_figures_seed_an_honest_partial_computation(app: TestApp) {
        let p = app.get("/api/v1/regions/62/potential").await.json();
        assert!(p["analysis"].is_null());
        assert_eq!(p["unavailable"]["code"], "potential.region_without_data");
        let shares = p["published"]["shares"].as_array().unwrap();
        let a = shares.iter().find(|s| s["sector"] == "A" && s["year"] == 2021).unwrap();
        assert!((a["lq"].as_f64().unwrap() - 22.42 / 13.28).abs() < 1e-12);
        assert!(a["sentence"].as_str().unwrap().contains("LQ 1,69 (sektor basis)"));
        let a22 = shares.iter().find(|s| s["sector"] == "A" && s["year"] == 2022).unwrap();
        assert!(a22["lq"].is_null(), "no national share of 2022 was published");
        assert!(p["sources"].as_array().unwrap().iter().any(|s| s.as_str().unwrap().starts_with("BPS Provinsi Kalimantan Tengah")));
        let pair = app.get("/api/v1/regions/62/partners/51").await.json();
        assert!(pair["mutual"].is_null());
        assert!(pair["unavailable"]["message"].as_str().unwrap().contains("Kalimantan Tengah"));
        assert_eq!(pair["published_b"]["shares"][0]["sector"], "I");
        assert!((pair["published_b"]["shares"][0]["region_share"].as_f64().unwrap() - 17.92).abs() < 1e-12);
        let page = text(&app.get("/wilayah/62/mitra/51").await);
        assert!(page.contains("Skor saling mengisi belum dapat dihitung"));
        assert!(page.contains("LQ 1,69"));
        assert!(page.contains("BPS Provinsi Bali"));
        let region = text(&app.get("/wilayah/62/potensi").await);
        assert!(region.contains("Angka yang dipublikasikan"));
        assert!(region.contains("Berita Resmi Statistik PDRB Kalimantan Tengah, Februari 2023"));
        // The figures table in words, not the stored codes (issue 13).
        for code in ["pdrb_share", "_total", "miliar_rupiah", "adhb"] {
            assert!(!region.contains(code), "the potential page shows the code {code}");
        }
        assert!(region.contains("Distribusi PDRB") && region.contains("Seluruh lapangan usaha"));
        assert!(region.contains("atas dasar harga berlaku") && region.contains("miliar rupiah"));
        assert!(region.contains("20,47"), "Indonesian decimals");
        let en = text(&app.get("/wilayah/62/potensi?lang=en").await);
        assert!(en.contains("Share of GRDP") && en.contains("20.47") && en.contains("at current prices"));
    }

    async fn synthetic_data_is_labelled_everywhere(app: TestApp) {
        let s = app.store.load_synthetic_observations(2, 7, &sinergi_domain::access::Actor::system("test"), app.now()).await.unwrap();
        assert_eq!(s.rows, (38 + 514) * 17 * 2 * 2);
        let p = app.get("/api/v1/regions/62.71/potential").await.json();
        assert_eq!(p["synthetic"], true);
        assert!(p["data_label"].as_str().unwrap().contains("data sintetis"));
        assert_eq!(p["analysis"]["regions_compared"], 514);
        assert_eq!(p["analysis"]["growth_basis"], "adhk");
        assert!(p["sources"][0].as_str().unwrap().contains("data sintetis"));
        let page = text(&app.get("/wilayah/62.71/potensi").await);
        assert!(page.contains("DATA SINTETIS"));
        let partners = app.get("/api/v1/regions/62.71/partners?level=city&limit=5").await.json();
        assert_eq!(partners["synthetic"], true);
        assert_eq!(partners["total"], 97, "the other 97 cities");
        assert!(partners["items"].as_array().unwrap().iter().all(|p| p["region"]["level"] == "city"));
        let finder = text(&app.get("/wilayah/62.71/cari-mitra").await);
        assert!(finder.contains("DATA SINTETIS"));
        let pair = app.get("/api/v1/regions/62/partners/51").await.json();
        assert_eq!(pair["synthetic"], true, "real seed figures do not suffice; synthetic is labelled");
        assert!(text(&app.get("/wilayah/62/mitra/51").await).contains("DATA SINTETIS"));
        let real_only = app.get("/api/v1/regions/62/partners/51?data=real").await.json();
        assert_eq!(real_only["synthetic"], false);
        assert!(real_only["mutual"].is_null());
        // Real data, once there, wins over synthetic.
        import_year(&app, 2022).await;
        let real = app.get("/api/v1/regions/62/partners/51").await.json();
        assert_eq!(real["synthetic"], false);
        assert!(real["mutual"].as_f64().is_some());
    }

    async fn the_case_page_checks_its_scope_against_the_pair(app: TestApp) {
        let case = crate::open_case(&app, "ksdd_sukarela", &["62", "51"]).await;
        let id = case["id"].as_str().unwrap().to_owned();
        let before = app.get_staff(&format!("/api/v1/cases/{id}/scope-check")).await.json();
        assert_eq!(before["fields"][0]["status"], "unavailable");
        import_year(&app, 2022).await;
        let check = app.get_staff(&format!("/api/v1/cases/{id}/scope-check")).await;
        check.assert_status(StatusCode::OK);
        let check = check.json();
        assert_eq!(check["pair"][0]["code"], "62");
        let tourism = &check["fields"][0];
        assert_eq!(tourism["code"], "pariwisata_kebudayaan");
        assert_eq!(tourism["status"], "supported");
        assert!(tourism["message"].as_str().unwrap().contains("didukung oleh sektor"));
        assert!(tourism["sentences"][0].as_str().unwrap().contains("Surplus sektor"));
        let auth = format!("Bearer {TOKEN}");
        let page = app.request(Method::GET, &format!("/kerja-sama/{id}"), None, &[("authorization", &auth)]).await;
        page.assert_status(StatusCode::OK);
        let html = text(&page);
        assert!(html.contains("Lingkup kerja sama menurut analisis potensi"));
        assert!(html.contains("/wilayah/62/mitra/51"));
        let en = app.get_staff(&format!("/api/v1/cases/{id}/scope-check?lang=en")).await.json();
        assert!(en["fields"][0]["message"].as_str().unwrap().contains("is supported by sectors"));
    }

    async fn the_cli_import_reports_every_row_and_refuses_bad_rows(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let mut rows = good_rows(2022);
        rows[0].0 = "Atlantis";
        let bad = dir.path().join("pdrb-bad.csv");
        std::fs::write(&bad, bps_csv(2022, &rows, &CODES)).unwrap();
        let good = dir.path().join("pdrb.csv");
        std::fs::write(&good, good_csv(2022)).unwrap();
        let run = |file: &std::path::Path, extra: &[&str]| {
            let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_sinergi"));
            c.env_remove("SINERGI_DATABASE_URL").env("RUST_LOG", "warn").current_dir(dir.path());
            c.args(["observations", "import"]).arg(file);
            c.args(["--year", "2022", "--price-basis", "adhb", "--source", "BPS uji CLI", "--database-url", &app.url]);
            c.args(extra);
            c.output().unwrap()
        };
        let before = real_count(&app).await;
        let out = run(&bad, &[]);
        assert_eq!(out.status.code(), Some(1));
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stdout.contains("pdrb-bad.csv, baris 5: DITOLAK — nama wilayah \"Atlantis\" tidak dikenal"), "{stdout}");
        assert!(stdout.contains("pdrb-bad.csv, baris 6: dipetakan \"Kalimantan Tengah\" → Kalimantan Tengah (62)"), "{stdout}");
        assert!(stdout.contains("pdrb-bad.csv, baris 10: dilewati (catatan kaki)"), "{stdout}");
        assert!(stderr.contains("Tidak ada yang diimpor"), "{stderr}");
        assert_eq!(real_count(&app).await, before);
        let dry = run(&good, &["--dry-run"]);
        assert!(dry.status.success());
        assert!(String::from_utf8_lossy(&dry.stdout).contains("Uji coba: tidak ada yang disimpan"));
        assert_eq!(real_count(&app).await, before);
        let en = run(&bad, &["--lang", "en", "--dry-run"]);
        assert!(String::from_utf8_lossy(&en.stdout).contains("pdrb-bad.csv, line 5: REJECTED — unknown region name \"Atlantis\""));
        let ok = run(&good, &[]);
        assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
        assert_eq!(real_count(&app).await, before + 67);
    }
}
