use super::*;
use crate::header::code_of_header;
use sinergi_domain::Lang;
use sinergi_reference::{RegionLevel, aliases, pdrb_categories, regions, search_keys_for};

fn categories() -> Vec<Category> {
    pdrb_categories()
        .unwrap()
        .into_iter()
        .map(|c| Category {
            code: c.code,
            name: c.name,
        })
        .collect()
}

fn provinces() -> Vec<Candidate> {
    let aliases = aliases().unwrap();
    regions()
        .unwrap()
        .into_iter()
        .filter(|r| r.level == RegionLevel::Province)
        .map(|r| Candidate {
            keys: search_keys_for(&r, &aliases)
                .split(' ')
                .map(str::to_owned)
                .collect(),
            code: r.code,
            name: r.name,
            level: "province".to_owned(),
        })
        .collect()
}

fn spec<'a>(name: &'a str, cats: &'a [Category], cands: &'a [Candidate]) -> Spec<'a> {
    Spec {
        file_name: name,
        sheet: None,
        year: 2022,
        latest_year: 2026,
        categories: cats,
        candidates: cands,
        total_keys: &[],
        limits: Limits::default(),
    }
}

/// A BPS-like table: title, merged two-row header (names, then codes), numbering row,
/// Indonesian numbers, a national total and a footnote.
fn table(rows: &[(&str, Vec<String>)], drop: Option<usize>) -> String {
    let cats = categories();
    let keep = |i: usize| drop != Some(i);
    let mut s = String::from(
        "Tabel 2. PDRB Atas Dasar Harga Berlaku Menurut Lapangan Usaha (Miliar Rupiah), 2022\n",
    );
    s.push_str("Provinsi;");
    s.push_str(
        &cats
            .iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, c)| format!("\"{}\"", c.name))
            .collect::<Vec<_>>()
            .join(";"),
    );
    s.push('\n');
    s.push(';');
    s.push_str(
        &cats
            .iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, c)| format!("\"{}\"", c.code))
            .collect::<Vec<_>>()
            .join(";"),
    );
    s.push('\n');
    s.push_str(
        &(1..=18)
            .map(|i| format!("({i})"))
            .collect::<Vec<_>>()
            .join(";"),
    );
    s.push('\n');
    for (name, values) in rows {
        s.push_str(name);
        for (i, v) in values.iter().enumerate() {
            if keep(i) {
                s.push(';');
                s.push_str(v);
            }
        }
        s.push('\n');
    }
    s.push_str("Sumber: Badan Pusat Statistik\n");
    s
}

fn values(base: f64) -> Vec<String> {
    (0..17)
        .map(|i| format!("{},{}", 1000.0 + base * f64::from(i), 25).replace('.', ""))
        .collect()
}

#[test]
fn a_bps_table_maps_every_row() {
    let cats = categories();
    let cands = provinces();
    let csv = table(
        &[
            ("Aceh", values(1.0)),
            ("Kep. Bangka Belitung", values(2.0)),
            ("DI Yogyakarta", values(3.0)),
            ("Papua*", values(4.0)),
            ("INDONESIA", values(10.0)),
        ],
        None,
    );
    let r = read_table(csv.as_bytes(), &spec("pdrb.csv", &cats, &cands));
    assert!(
        r.file_problems.is_empty(),
        "{:?}",
        r.problem_lines(Lang::Id)
    );
    assert_eq!((r.mapped(), r.rejected()), (4, 0));
    assert_eq!(r.number_format, Some(NumberFormat::Indonesian));
    let mapped: Vec<&str> = r
        .rows
        .iter()
        .filter_map(|x| match &x.outcome {
            Outcome::Mapped { code, .. } => Some(code.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(mapped, ["11", "19", "34", "91"]);
    assert_eq!(r.values.len(), 4 * 17);
    assert_eq!(r.values[1].value, 1001.25);
    assert_eq!(r.values[1].sector, "B");
    assert_eq!(r.values[1].line, 5);
    let skipped: Vec<(usize, SkipReason)> = r
        .rows
        .iter()
        .filter_map(|x| match x.outcome {
            Outcome::Skipped(s) => Some((x.line, s)),
            _ => None,
        })
        .collect();
    assert_eq!(
        skipped,
        [
            (1, SkipReason::Header),
            (2, SkipReason::Header),
            (3, SkipReason::Header),
            (4, SkipReason::Header),
            (9, SkipReason::Total),
            (10, SkipReason::Footnote)
        ]
    );
    assert!(r.importable(false));
}

#[test]
fn bad_rows_are_named_with_file_line_and_problem() {
    let cats = categories();
    let cands = provinces();
    let mut bad = values(1.0);
    bad[2] = "abc".to_owned();
    let mut missing = values(1.0);
    missing[6] = "-".to_owned();
    let csv = table(
        &[
            ("Aceh", values(1.0)),
            ("Atlantis", values(1.0)),
            ("Bali", bad),
            ("Kalteng", missing),
        ],
        None,
    );
    let r = read_table(csv.as_bytes(), &spec("pdrb.csv", &cats, &cands));
    assert_eq!((r.mapped(), r.rejected()), (1, 3));
    assert!(!r.importable(false));
    assert!(r.importable(true));
    let lines = r.problem_lines(Lang::Id);
    assert_eq!(
        lines[0],
        "pdrb.csv, baris 6: nama wilayah \"Atlantis\" tidak dikenal (tidak ada dalam daftar Kemendagri maupun tabel ejaan lain)"
    );
    assert_eq!(
        lines[1],
        "pdrb.csv, baris 7: sel kategori C (kolom D) bukan angka: \"abc\""
    );
    assert!(
        lines[2].starts_with("pdrb.csv, baris 8: nilai kategori G (kolom H) kosong"),
        "{}",
        lines[2]
    );
    let en = r.problem_lines(Lang::En);
    assert!(en[0].starts_with("pdrb.csv, line 6: unknown region name \"Atlantis\""));
}

#[test]
fn a_missing_category_or_a_wrong_year_refuses_the_file() {
    let cats = categories();
    let cands = provinces();
    let csv = table(&[("Aceh", values(1.0))], Some(4));
    let r = read_table(csv.as_bytes(), &spec("pdrb.csv", &cats, &cands));
    assert_eq!(
        r.problem_lines(Lang::Id),
        [
            "pdrb.csv, baris 2: kolom kategori E (Pengadaan Air, Pengelolaan Sampah, Limbah dan Daur Ulang) tidak ada dalam tabel"
        ]
    );
    assert!(!r.importable(true));
    assert!(r.values.is_empty());
    let full = table(&[("Aceh", values(1.0))], None);
    let mut s = spec("pdrb.csv", &cats, &cands);
    s.year = 2019;
    let r = read_table(full.as_bytes(), &s);
    assert_eq!(
        r.problem_lines(Lang::Id),
        ["pdrb.csv: tahun 2019 berada di luar data: judul tabel hanya menyebut tahun 2022"]
    );
    s.year = 2030;
    let r = read_table(full.as_bytes(), &s);
    assert!(r.problem_lines(Lang::En)[0].contains("year 2030 is outside the data"));
}

#[test]
fn header_codes_and_english_numbers() {
    assert_eq!(
        code_of_header("M,N. Jasa Perusahaan").as_deref(),
        Some("M,N")
    );
    assert_eq!(code_of_header("R-U").as_deref(), Some("R,S,T,U"));
    assert_eq!(code_of_header("A").as_deref(), Some("A"));
    assert_eq!(code_of_header("Bali"), None);
    assert_eq!(code_of_header("NTB"), None);
    let cats = categories();
    let cands = provinces();
    let mut s = String::from("Province,");
    s.push_str(
        &cats
            .iter()
            .map(|c| format!("\"{}\"", c.code))
            .collect::<Vec<_>>()
            .join(","),
    );
    s.push('\n');
    s.push_str("Bali,");
    s.push_str(
        &(0..17)
            .map(|i| format!("\"1,{i:03}.5\""))
            .collect::<Vec<_>>()
            .join(","),
    );
    s.push('\n');
    let r = read_table(s.as_bytes(), &spec("en.csv", &cats, &cands));
    assert_eq!(r.number_format, Some(NumberFormat::English));
    assert_eq!(r.values[3].value, 1003.5);
}

#[test]
fn an_xlsx_table_reads_like_the_csv() {
    let cats = categories();
    let cands = provinces();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("PDRB 2022").unwrap();
    sheet
        .merge_range(
            0,
            0,
            0,
            17,
            "PDRB ADHB menurut lapangan usaha, 2022",
            &rust_xlsxwriter::Format::new(),
        )
        .unwrap();
    sheet.write_string(1, 0, "Provinsi").unwrap();
    for (i, c) in cats.iter().enumerate() {
        let col = u16::try_from(i + 1).unwrap();
        sheet
            .write_string(2, col, format!("{}. {}", c.code, c.name))
            .unwrap();
        sheet.write_number(3, col, 100.0 + f64::from(col)).unwrap();
    }
    sheet.write_string(3, 0, "Kalimantan Tengah").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let r = read_table(&bytes, &spec("pdrb.xlsx", &cats, &cands));
    assert!(
        r.file_problems.is_empty(),
        "{:?}",
        r.problem_lines(Lang::Id)
    );
    assert_eq!(r.sheet.as_deref(), Some("PDRB 2022"));
    assert_eq!(r.mapped(), 1);
    assert_eq!(r.rows.last().unwrap().line, 4);
    assert_eq!(r.values[16].sector, "R,S,T,U");
    assert_eq!(r.values[16].value, 117.0);
    assert_eq!(
        r.place(Some(4), Lang::Id),
        "pdrb.xlsx (lembar PDRB 2022), baris 4"
    );
}
