//! Hostile files (issue 16): each is refused with its own problem before anything large is
//! allocated, and an honest file of the same format still reads.

use super::*;
use sinergi_domain::Lang;
use std::io::Write as _;

fn xlsx(cells: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, c, v) in cells {
        sheet.write_string(*r, *c, *v).unwrap();
    }
    book.save_to_buffer().unwrap()
}

fn read(bytes: &[u8], name: &str, limits: &Limits) -> Result<Grid, ReadError> {
    read_grid(name, bytes, None, limits)
}

fn limit_of(r: Result<Grid, ReadError>) -> LimitError {
    match r {
        Err(ReadError::Limit(e)) => e,
        other => panic!("expected a limit, got {other:?}"),
    }
}

#[test]
fn a_sparse_sheet_reaching_the_last_cell_is_refused_without_allocating_it() {
    // A1 and XFD1048576: calamine's dense range would be 17 billion cells (~550 GB).
    let bytes = xlsx(&[(0, 0, "Provinsi"), (1_048_575, 16_383, "x")]);
    assert!(bytes.len() < 16 * 1024, "{}", bytes.len());
    let e = limit_of(read(&bytes, "bom.xlsx", &Limits::default()));
    assert_eq!(
        e,
        LimitError::TooManyRows {
            row: 1_048_576,
            max: 5_000
        }
    );
    assert_eq!(e.code(), "import.too_many_rows");
    // Far to the right in the first rows: the columns limit.
    let wide = xlsx(&[(0, 0, "Provinsi"), (2, 16_383, "x")]);
    assert_eq!(
        limit_of(read(&wide, "lebar.xlsx", &Limits::default())),
        LimitError::TooManyColumns {
            column: 16_384,
            max: 128
        }
    );
    // Z200000 (the 315 MB / 24 MB-reply case).
    let tall = xlsx(&[(0, 0, "Provinsi"), (199_999, 25, "x")]);
    assert!(matches!(
        limit_of(read(&tall, "tinggi.xlsx", &Limits::default())),
        LimitError::TooManyRows { row: 200_000, .. }
    ));
}

#[test]
fn an_honest_xlsx_reads_within_the_limits_and_keeps_its_lines() {
    let bytes = xlsx(&[(2, 1, "A"), (4, 0, "Bali"), (4, 3, "12")]);
    let g = read(&bytes, "ok.xlsx", &Limits::default()).unwrap();
    assert_eq!(g.rows.first().unwrap().line, 3);
    assert_eq!(g.rows.last().unwrap().line, 5);
    assert_eq!(g.rows[2].cell(3).text(), "12");
    assert!(g.rows[1].is_blank());
}

/// A zip package with one extra part of `size` zero bytes (deflated to a few KB).
fn with_padding_part(base: &[u8], size: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new_append(std::io::Cursor::new(base.to_vec())).unwrap();
    zip.start_file(
        "xl/media/padding.bin",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    let chunk = vec![0u8; 64 * 1024];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len());
        zip.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_zip_bomb_is_refused_by_its_unpacked_size() {
    let limits = Limits {
        max_unpacked_bytes: 2 * 1024 * 1024,
        ..Limits::default()
    };
    let base = xlsx(&[(0, 0, "Provinsi")]);
    let bomb = with_padding_part(&base, 8 * 1024 * 1024);
    assert!(bomb.len() < 64 * 1024, "{}", bomb.len());
    assert_eq!(
        limit_of(read(&bomb, "bom.xlsx", &limits)),
        LimitError::Unpacked {
            max: 2 * 1024 * 1024
        }
    );
    // The same part declaring a small size (a lying header) is caught while inflating: the
    // zip reader stops at the declared size.
    let lying = lie_about_sizes(&bomb, "xl/media/padding.bin", 1000);
    match limit_of(read(&lying, "bohong.xlsx", &limits)) {
        LimitError::Damaged(d) => assert!(d.contains("declared uncompressed size"), "{d}"),
        other => panic!("{other:?}"),
    }
}

/// Rewrites the uncompressed size of `name` in its local header and central directory record.
fn lie_about_sizes(zip: &[u8], name: &str, size: u32) -> Vec<u8> {
    let mut out = zip.to_vec();
    let n = name.as_bytes();
    let find = |sig: &[u8], name_at: usize, out: &[u8]| {
        (0..out.len().saturating_sub(name_at + n.len()))
            .find(|&i| out[i..].starts_with(sig) && out[i + name_at..].starts_with(n))
            .unwrap()
    };
    let local = find(b"PK\x03\x04", 30, &out);
    out[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
    let central = find(b"PK\x01\x02", 46, &out);
    out[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());
    out
}

#[test]
fn too_many_cells_are_refused() {
    let limits = Limits {
        max_cells: 50,
        ..Limits::default()
    };
    let cells: Vec<(u32, u16, &str)> = (0..60).map(|i| (i / 10, (i % 10) as u16, "1")).collect();
    assert_eq!(
        limit_of(read(&xlsx(&cells), "banyak.xlsx", &limits)),
        LimitError::TooManyCells { max: 50 }
    );
}

fn ods(content: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.start_file("content.xml", stored).unwrap();
    write!(zip, r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="PDRB">{content}</table:table></office:spreadsheet></office:body></office:document-content>"#).unwrap();
    zip.finish().unwrap().into_inner()
}

const CELL: &str =
    r#"<table:table-cell office:value-type="string"><text:p>Bali</text:p></table:table-cell>"#;

#[test]
fn ods_repeats_are_counted_before_calamine_expands_them() {
    let honest = ods(&format!(
        r#"<table:table-row>{CELL}<table:table-cell table:number-columns-repeated="16000"/></table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#
    ));
    // Trailing empty repeats (what LibreOffice writes) are fine.
    let g = read(&honest, "ok.ods", &Limits::default()).unwrap();
    assert_eq!(g.rows.len(), 1);
    assert_eq!(g.rows[0].cell(0).text(), "Bali");
    // A value repeated down a million rows, or across 16 000 columns, is not.
    let tall = ods(&format!(
        r#"<table:table-row table:number-rows-repeated="1000000">{CELL}</table:table-row>"#
    ));
    assert!(matches!(
        limit_of(read(&tall, "tinggi.ods", &Limits::default())),
        LimitError::TooManyRows { row: 1_000_000, .. }
    ));
    let wide = ods(
        r#"<table:table-row><table:table-cell table:number-columns-repeated="16000" office:value-type="float" office:value="1"/></table:table-row>"#,
    );
    assert!(matches!(
        limit_of(read(&wide, "lebar.ods", &Limits::default())),
        LimitError::TooManyColumns { column: 16_000, .. }
    ));
    // Empty rows repeated before a value push it past the limit too.
    let far = ods(&format!(
        r#"<table:table-row table:number-rows-repeated="900000"><table:table-cell/></table:table-row><table:table-row>{CELL}</table:table-row>"#
    ));
    assert!(matches!(
        limit_of(read(&far, "jauh.ods", &Limits::default())),
        LimitError::TooManyRows { row: 900_001, .. }
    ));
}

/// A BIFF8 record.
fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut v = typ.to_le_bytes().to_vec();
    v.extend_from_slice(&u16::try_from(data.len()).unwrap().to_le_bytes());
    v.extend_from_slice(data);
    v
}

fn number(row: u16, col: u16, v: f64) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes());
    d.extend_from_slice(&v.to_le_bytes());
    rec(0x0203, &d)
}

/// A workbook stream: globals with one sheet, then the sheet's records.
fn workbook(sheet_records: &[Vec<u8>]) -> Vec<u8> {
    let bof = |kind: u16| {
        let mut d = 0x0600u16.to_le_bytes().to_vec();
        d.extend_from_slice(&kind.to_le_bytes());
        d.extend_from_slice(&[0; 12]);
        rec(0x0809, &d)
    };
    let sheet_name = b"PDRB";
    let boundsheet_len = 4 + 2 + 2 + sheet_name.len();
    let globals_len = bof(5).len() + 4 + boundsheet_len + 4;
    let mut bs = u32::try_from(globals_len).unwrap().to_le_bytes().to_vec();
    bs.extend_from_slice(&[0, 0]);
    bs.push(u8::try_from(sheet_name.len()).unwrap());
    bs.push(0);
    bs.extend_from_slice(sheet_name);
    let mut s = bof(5);
    s.extend(rec(0x0085, &bs));
    s.extend(rec(0x000A, &[]));
    assert_eq!(s.len(), globals_len);
    s.extend(bof(0x10));
    for r in sheet_records {
        s.extend_from_slice(r);
    }
    s.extend(rec(0x000A, &[]));
    // Pad with harmless records to 4096+ bytes, so the stream lives in regular sectors.
    while s.len() < 4200 {
        s.extend(rec(0x00FF - 1, &[0; 100]));
    }
    s
}

/// An OLE compound file (version 3, 512-byte sectors) holding `stream` as "Workbook".
fn compound(stream: &[u8]) -> Vec<u8> {
    let sector = 512usize;
    let stream_sectors = stream.len().div_ceil(sector);
    // Sector 0: FAT; sector 1: directory; sectors 2..: the stream.
    let mut fat = vec![0xFFFF_FFFDu32, 0xFFFF_FFFE];
    for i in 0..stream_sectors {
        let next = if i + 1 == stream_sectors {
            0xFFFF_FFFE
        } else {
            u32::try_from(3 + i).unwrap()
        };
        fat.push(next);
    }
    fat.resize(sector / 4, 0xFFFF_FFFF);
    let mut h = vec![0u8; sector];
    h[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    h[0x18..0x1A].copy_from_slice(&0x3Eu16.to_le_bytes());
    h[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
    h[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
    h[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
    h[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
    h[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes());
    h[0x30..0x34].copy_from_slice(&1u32.to_le_bytes());
    h[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
    h[0x3C..0x40].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    h[0x44..0x48].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    h[0x4C..0x50].copy_from_slice(&0u32.to_le_bytes());
    for i in 1..109 {
        h[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    }
    let entry = |name: &str, kind: u8, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u16> = name.encode_utf16().collect();
        for (i, u) in units.iter().enumerate() {
            e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&u16::try_from(2 * units.len() + 2).unwrap().to_le_bytes());
        e[66] = kind;
        e[68..72].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        e[72..76].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        e[76..80].copy_from_slice(&if kind == 5 { 1u32 } else { 0xFFFF_FFFF }.to_le_bytes());
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
        e
    };
    let mut dir = entry("Root Entry", 5, 0xFFFF_FFFE, 0);
    dir.extend(entry(
        "Workbook",
        2,
        2,
        u32::try_from(stream.len()).unwrap(),
    ));
    dir.resize(sector, 0);
    let mut out = h;
    out.extend(fat.iter().flat_map(|x| x.to_le_bytes()));
    out.extend(dir);
    let mut s = stream.to_vec();
    s.resize(stream_sectors * sector, 0);
    out.extend(s);
    out
}

fn dimensions(last_row: u32, last_col: u16) -> Vec<u8> {
    let mut d = 0u32.to_le_bytes().to_vec();
    d.extend_from_slice(&last_row.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes());
    d.extend_from_slice(&last_col.to_le_bytes());
    d.extend_from_slice(&[0, 0]);
    rec(0x0200, &d)
}

#[test]
fn an_honest_xls_reads_through_the_checks() {
    let xls = compound(&workbook(&[dimensions(3, 4), number(2, 3, 12.5)]));
    assert!(limits::check_xls(&xls, &Limits::default()).is_ok());
    let g = read(&xls, "ok.xls", &Limits::default()).unwrap();
    assert_eq!(g.sheet.as_deref(), Some("PDRB"));
    assert_eq!(g.rows.len(), 1);
    assert_eq!(g.rows[0].line, 3);
    assert_eq!(g.rows[0].cell(3), &Cell::Number(12.5));
}

#[test]
fn xls_declared_dimensions_and_far_cells_are_refused() {
    // DIMENSIONS claiming 4 billion rows: calamine would reserve them (an abort).
    let huge = compound(&workbook(&[dimensions(u32::MAX, 256), number(0, 0, 1.0)]));
    assert!(huge.len() < 8 * 1024);
    assert!(matches!(
        limit_of(read(&huge, "bom.xls", &Limits::default())),
        LimitError::TooManyRows { .. }
    ));
    // Two cells at the corners of the sheet.
    let corners = compound(&workbook(&[number(0, 0, 1.0), number(65_535, 255, 2.0)]));
    assert!(matches!(
        limit_of(read(&corners, "sudut.xls", &Limits::default())),
        LimitError::TooManyRows { row: 65_536, .. }
    ));
    // A MULRK whose last column is before its first (calamine would underflow).
    let mut d = 0u16.to_le_bytes().to_vec();
    d.extend_from_slice(&5u16.to_le_bytes());
    d.extend_from_slice(&[0; 6]);
    d.extend_from_slice(&1u16.to_le_bytes());
    let bad = compound(&workbook(&[rec(0x00BD, &d)]));
    assert!(matches!(
        limit_of(read(&bad, "rusak.xls", &Limits::default())),
        LimitError::Damaged(_)
    ));
    // A sector chain that loops.
    let mut looped = compound(&workbook(&[number(0, 0, 1.0)]));
    looped[512 + 4 * 3..512 + 4 * 4].copy_from_slice(&2u32.to_le_bytes());
    assert!(matches!(
        limit_of(read(&looped, "putar.xls", &Limits::default())),
        LimitError::Damaged(_)
    ));
}

#[test]
fn csv_limits_hold_and_padding_is_free() {
    let limits = Limits::default();
    // A million empty lines and trailing delimiters cost nothing and read as nothing.
    let mut blank = "Provinsi;A\nBali;1".to_owned();
    blank.push_str(&";".repeat(100_000));
    blank.push_str(&"\n".repeat(1_000_000));
    let g = read_csv(blank.as_bytes(), &limits).unwrap();
    assert_eq!(g.rows.len(), 2);
    assert_eq!(g.rows[1].cells.len(), 2);
    // Data past the last row or column is refused.
    let mut tall = "Provinsi;A\n".to_owned();
    tall.push_str(&"\n".repeat(6_000));
    tall.push_str("Bali;1\n");
    assert!(matches!(
        read_csv(tall.as_bytes(), &limits),
        Err(ReadError::Limit(LimitError::TooManyRows { row: 6_002, .. }))
    ));
    let wide = format!("Provinsi{}x\n", ";".repeat(200));
    assert!(matches!(
        read_csv(wide.as_bytes(), &limits),
        Err(ReadError::Limit(LimitError::TooManyColumns {
            column: 201,
            ..
        }))
    ));
    let big = vec![b'a'; 11 * 1024 * 1024];
    assert!(matches!(
        read_csv(&big, &limits),
        Err(ReadError::Limit(LimitError::TooLarge { .. }))
    ));
}

#[test]
fn a_refused_file_is_a_file_problem_of_the_report_in_both_languages() {
    let cats: Vec<Category> = Vec::new();
    let bytes = xlsx(&[(0, 0, "Provinsi"), (1_048_575, 16_383, "x")]);
    let r = read_table(
        &bytes,
        &Spec {
            file_name: "bom.xlsx",
            sheet: None,
            year: 2022,
            latest_year: 2026,
            categories: &cats,
            candidates: &[],
            total_keys: &[],
            limits: Limits::default(),
        },
    );
    assert!(!r.importable(true));
    let id = r.problem_lines(Lang::Id).join("\n");
    let en = r.problem_lines(Lang::En).join("\n");
    assert!(
        id.contains("sampai baris 1048576; paling banyak 5000 baris"),
        "{id}"
    );
    assert!(en.contains("up to row 1048576; at most 5000 rows"), "{en}");
    assert_eq!(r.file_problems[0].problem.code(), "import.too_many_rows");
}
