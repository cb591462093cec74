//! Reports and exports as their readers open them (issue 15): the PDF through poppler
//! (`pdffonts`: every font embedded; `pdfinfo`: tagged, landscape for wide tables;
//! `pdftotext`: whole cell texts, characters beyond Latin-1, page numbers), the XLSX through
//! openpyxl (date cells, labels, frozen header, filter, widths, wrapping, print setup), the
//! CSV as Excel with Indonesian settings splits it.

use crate::consumers::python_on_file;
use crate::monitoring::{active_case, governors, page_as_staff};
use crate::on_both;
use serde_json::{Value, json};
use std::process::Command;
use time::macros::{date, datetime};

const TITLE: &str =
    "Kerja Sama Pariwisata – Ekonomi Kreatif ≥ 2 Tahun → Kalimantan Tengah dan Bali";

fn poppler(tool: &str, pdf: &[u8], args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) must be installed: {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text of a PDF as `pdftotext` reads it.
pub fn pdf_text(pdf: &[u8]) -> String {
    poppler("pdftotext", pdf, &[])
}

fn sheet<'a>(book: &'a Value, name: &str) -> &'a Value {
    book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no sheet {name}: {book}"))
}

on_both! {
    async fn report_pdfs_and_workbooks_open_as_their_readers_expect(app: TestApp) {
        app.clock.set(datetime!(2026-06-01 02:00 UTC));
        let gubs = governors(&app).await;
        active_case(&app, &gubs, date!(2026-06-01), date!(2028-05-31), None).await;
        // A second case, still a proposal, whose title has characters beyond Latin-1.
        app.post("/api/v1/cases", &json!({"title": TITLE, "kind": "ksdd_sukarela",
            "parties": [{"region": "62"}, {"region": "51"}], "fields": [{"code": "pariwisata_kebudayaan"}]})).await
            .assert_status(axum::http::StatusCode::CREATED);

        // PDF: Typst, embedded fonts, tagged, whole texts, page numbers, landscape list.
        let res = app.get_staff("/api/v1/regions/62/reports/register?format=pdf").await;
        res.assert_status(axum::http::StatusCode::OK);
        assert_eq!(res.headers["content-type"], "application/pdf");
        let fonts = poppler("pdffonts", &res.body, &[]);
        let font_lines: Vec<&str> = fonts.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
        assert!(!font_lines.is_empty(), "{fonts}");
        for l in &font_lines {
            let cols: Vec<&str> = l.split_whitespace().collect();
            // name type… encoding emb sub uni object ID: "emb" is the fifth field from the end.
            assert_eq!(cols[cols.len() - 5], "yes", "a font is not embedded: {l}");
            assert!(!l.contains("Helvetica"), "{l}");
        }
        let info = poppler("pdfinfo", &res.body, &[]);
        assert!(info.contains("Tagged:          yes"), "{info}");
        assert!(info.contains("841.89 x 595.276 pts (A4)"), "the wide list is landscape: {info}");
        assert!(info.contains("Title:           Register Kerja Sama Daerah"), "{info}");
        let text = poppler("pdftotext", &res.body, &[]);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Kerja Sama Pariwisata – Ekonomi Kreatif ≥ 2 Tahun → Kalimantan Tengah dan Bali"), "the whole title, wrapped not cut: {flat}");
        assert!(!flat.contains('~'), "no cut cells: {flat}");
        assert!(flat.contains("Halaman 1 dari"), "{flat}");
        assert!(flat.contains("31/05/2028"), "{flat}");
        // Seventeen columns, and no word runs into the next cell: no two words on a line overlap.
        let bbox = poppler("pdftotext", &res.body, &["-bbox", "-f", "1", "-l", "1"]);
        let words = bbox_words(&bbox);
        assert!(words.iter().any(|w| w.4 == "KESATU") && words.iter().any(|w| w.4 == "OPD"), "{bbox}");
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                let shared = a.3.min(b.3) - a.1.max(b.1);
                let same_line = shared > 0.5 * (a.3 - a.1).min(b.3 - b.1);
                let overlap = a.0 < b.2 - 0.5 && b.0 < a.2 - 0.5;
                assert!(!(same_line && overlap), "{:?} runs into {:?}", a, b);
            }
        }
        let summary = poppler("pdftotext", &app.get_staff("/api/v1/regions/62/reports/mapping?format=pdf").await.body, &[]);
        assert!(summary.contains("Wajib, pelayanan dasar") && !summary.contains("WajibPelayananDasar"));

        // XLSX: openpyxl sees dates, labels, the frozen and filtered header, widths, print setup.
        let x = app.get_staff("/api/v1/regions/62/reports/register?format=xlsx").await;
        x.assert_status(axum::http::StatusCode::OK);
        let book = python_on_file("xlsx.py", "xlsx", &x.body, &[]);
        assert_eq!(book["title"], "Register Kerja Sama Daerah");
        let list = sheet(&book, "Daftar Kerja Sama");
        assert_eq!(list["freeze_panes"], "A5");
        assert_eq!(list["auto_filter"], "A4:Q6");
        assert_eq!(list["print_title_rows"], "$4:$4");
        assert_eq!(list["orientation"], "landscape");
        assert_eq!(list["paper_size"], 9);
        assert_eq!(list["fit_to_page"], true);
        let footer = list["footer"].as_str().unwrap();
        assert!(footer.contains("&P") && footer.contains("&N"), "{footer}");
        let header: Vec<&str> = list["rows"][3].as_array().unwrap().iter().map(|c| c["value"].as_str().unwrap()).collect();
        // The register page's own columns: each party's number, term, what remains, OPD, status.
        assert_eq!(
            header[7..16],
            ["Nomor PIHAK KESATU", "Nomor PIHAK KEDUA", "Tanggal TTD", "Jangka waktu", "Mulai", "Berakhir", "Sisa masa berlaku", "OPD", "Status"]
        );
        assert!(list["rows"][3][0]["bold"].as_bool().unwrap());
        let rows = list["rows"].as_array().unwrap();
        let proposal = rows.iter().find(|r| r[1]["value"] == TITLE).unwrap();
        assert!(proposal[1]["wrap"].as_bool().unwrap(), "long texts wrap");
        let row = rows.iter().find(|r| r[3]["value"] == "Aktif").unwrap().as_array().unwrap();
        assert_eq!(row[2]["value"], "Kerja Sama Daerah dengan Daerah Lain – Sukarela", "a label, not ksdd_sukarela");
        assert_eq!(row[3]["value"], "Aktif");
        assert_eq!(row[10]["value"], "2 tahun");
        assert_eq!(row[13]["value"], "1 tahun 11 bulan", "on its first day, until 31 May 2028");
        assert_eq!(row[15]["value"], "Berlaku");
        for (col, day) in [(9, "2026-06-01"), (11, "2026-06-01"), (12, "2028-05-31")] {
            assert_eq!(row[col]["is_date"], true, "column {col} is a date cell: {}", row[col]);
            assert_eq!(row[col]["value"], day);
            assert_eq!(row[col]["number_format"], "dd/mm/yyyy");
        }
        let widths: Vec<f64> = list["widths"].as_object().unwrap().values().map(|w| w.as_f64().unwrap()).collect();
        assert!(widths.iter().any(|w| *w > 40.0) && widths.iter().any(|w| *w < 12.0), "widths follow the content: {widths:?}");
        let x = app.get_staff("/api/v1/regions/62/reports/mapping?format=xlsx").await;
        let book = python_on_file("xlsx.py", "xlsx", &x.body, &[]);
        let mapping = sheet(&book, "Pemetaan Urusan");
        assert_eq!(mapping["rows"][4][2]["value"], "Wajib, pelayanan dasar");

        // The register page's exports: labels and KB dates; CSV for Excel with id-ID settings.
        let x = page_as_staff(&app, "/kerja-sama?format=xlsx").await;
        x.assert_status(axum::http::StatusCode::OK);
        let book = python_on_file("xlsx.py", "xlsx", &x.body, &[]);
        let reg = sheet(&book, "Daftar Kerja Sama");
        assert_eq!(reg["freeze_panes"], "A5");
        assert!(reg["auto_filter"].as_str().unwrap().starts_with("A4:P"));
        let head: Vec<&str> = reg["rows"][3].as_array().unwrap().iter().map(|c| c["value"].as_str().unwrap()).collect();
        assert_eq!(&head[6..15], ["Nomor PIHAK KESATU", "Nomor PIHAK KEDUA", "Tanggal TTD", "Jangka waktu", "Mulai", "Berakhir", "Sisa masa berlaku", "OPD", "Status"]);
        let r = reg["rows"].as_array().unwrap().iter().find(|r| r[3]["value"] == "Aktif").unwrap().as_array().unwrap();
        assert_eq!(r[3]["value"], "Aktif", "a label, not AKTIF");
        assert_eq!(r[6]["value"], "100/1/KS", "each party's own number");
        assert_eq!(r[7]["value"], "075/2/KS");
        assert_eq!(r[8]["is_date"], true);
        assert_eq!(r[8]["value"], "2026-06-01");
        assert_eq!(r[9]["value"], "2 tahun", "the term in words");
        assert_eq!(r[12]["value"], "1 tahun 11 bulan", "what remains of the term on the test's today");
        assert_eq!(r[14]["value"], "Berlaku");
        let csv = page_as_staff(&app, "/kerja-sama?format=csv").await;
        let text = String::from_utf8(csv.body.clone()).unwrap();
        assert!(text.starts_with('\u{feff}'), "a byte-order mark for Excel");
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0].split(';').count(), 16, "semicolons: {}", lines[0]);
        let active = lines.iter().find(|l| l.contains(";\"Aktif\";")).unwrap();
        assert!(active.contains(";\"2028-05-31\";"), "{active}");
        let comma = String::from_utf8(page_as_staff(&app, "/kerja-sama?format=csv&sep=comma").await.body).unwrap();
        assert_eq!(comma.lines().next().unwrap().split(',').count(), 16);
    }
}

/// The words of `pdftotext -bbox` output: (xMin, yMin, xMax, yMax, text).
fn bbox_words(html: &str) -> Vec<(f64, f64, f64, f64, String)> {
    html.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix("<word ")?;
            let (attrs, text) = rest.split_once('>')?;
            let text = text.strip_suffix("</word>")?.to_owned();
            let num = |name: &str| -> Option<f64> {
                let start = attrs.find(&format!("{name}=\""))? + name.len() + 2;
                attrs[start..].split('"').next()?.parse().ok()
            };
            Some((num("xMin")?, num("yMin")?, num("xMax")?, num("yMax")?, text))
        })
        .collect()
}
