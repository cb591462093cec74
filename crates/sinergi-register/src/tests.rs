//! Registers as regions keep them, written here in several layouts.

use super::*;
use rust_xlsxwriter::{Format, Workbook};
use sinergi_domain::legacy::StatusWord;
use time::macros::date;

fn dir() -> Directory {
    Directory::embedded().unwrap()
}

fn spec<'a>(file_name: &'a str, overrides: &'a [(usize, Option<Column>)]) -> Spec<'a> {
    Spec {
        file_name,
        sheet: None,
        region: "62",
        overrides,
        limits: register_limits(),
    }
}

/// Kalimantan Tengah's register: two title rows, a merged "NOMOR" over "PIHAK I"/"PIHAK II",
/// Excel dates, a multi-line partner cell, a blank row, a column-number row and a footer.
pub fn kalteng_xlsx() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Register KSD").unwrap();
    let plain = Format::new();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    ws.write_string(
        0,
        0,
        "DAFTAR KERJA SAMA DAERAH PEMERINTAH PROVINSI KALIMANTAN TENGAH",
    )
    .unwrap();
    ws.write_string(1, 0, "Keadaan s.d. 30 November 2026")
        .unwrap();
    ws.merge_range(3, 0, 4, 0, "NO", &plain).unwrap();
    ws.merge_range(3, 1, 4, 1, "MITRA KERJA SAMA", &plain)
        .unwrap();
    ws.merge_range(3, 2, 4, 2, "JENIS", &plain).unwrap();
    ws.merge_range(3, 3, 3, 4, "NOMOR", &plain).unwrap();
    ws.write_string(4, 3, "PIHAK I").unwrap();
    ws.write_string(4, 4, "PIHAK II").unwrap();
    ws.merge_range(3, 5, 4, 5, "TENTANG", &plain).unwrap();
    ws.merge_range(3, 6, 4, 6, "TANGGAL", &plain).unwrap();
    ws.merge_range(3, 7, 4, 7, "JANGKA WAKTU", &plain).unwrap();
    ws.merge_range(3, 8, 4, 8, "OPD PELAKSANA", &plain).unwrap();
    ws.merge_range(3, 9, 4, 9, "STATUS", &plain).unwrap();
    ws.merge_range(3, 10, 4, 10, "KETERANGAN", &plain).unwrap();
    for (c, n) in (0..11).zip(1..) {
        ws.write_string(5, c, format!("({n})")).unwrap();
    }
    // Row 7: a KB with Bali, an Excel date, "5 (lima) tahun".
    ws.write_number(6, 0, 1).unwrap();
    ws.write_string(6, 1, "Pemerintah Provinsi Bali").unwrap();
    ws.write_string(6, 2, "Kesepakatan Bersama").unwrap();
    ws.write_string(6, 3, "075/12/KSD/2023").unwrap();
    ws.write_string(6, 4, "B.24/HK/2023").unwrap();
    ws.write_string(
        6,
        5,
        "Kerja Sama Pembangunan Daerah\nBidang Pariwisata dan UMKM",
    )
    .unwrap();
    ws.write_number_with_format(6, 6, 44971.0, &day).unwrap();
    ws.write_string(6, 7, "5 (lima) tahun").unwrap();
    ws.write_string(6, 8, "Biro Pemerintahan dan Otonomi Daerah")
        .unwrap();
    ws.write_string(6, 9, "Aktif").unwrap();
    // Row 8: a PKS implementing it, linked by a note.
    ws.write_number(7, 0, 2).unwrap();
    ws.write_string(7, 1, "Pemprov Bali").unwrap();
    ws.write_string(7, 2, "PKS").unwrap();
    ws.write_string(7, 3, "500/33/DISBUDPAR/2024").unwrap();
    ws.write_string(7, 5, "Promosi Pariwisata Bersama").unwrap();
    ws.write_string(7, 6, "14 Februari 2024").unwrap();
    ws.write_string(7, 7, "24 bulan").unwrap();
    ws.write_string(7, 10, "Pelaksanaan KB Nomor 075/12/KSD/2023")
        .unwrap();
    // Row 9 blank.
    // Row 10: two regencies in one cell, an ended agreement.
    ws.write_number(9, 0, 3).unwrap();
    ws.write_string(9, 1, "Kab. Kapuas\nKab. Katingan").unwrap();
    ws.write_string(9, 2, "KB").unwrap();
    ws.write_string(9, 5, "Pengelolaan Daerah Aliran Sungai")
        .unwrap();
    ws.write_string(9, 6, "Senin, 10 Agustus 2020").unwrap();
    ws.write_string(9, 7, "3 th").unwrap();
    ws.write_string(9, 9, "Sudah berakhir; diusulkan perpanjangan")
        .unwrap();
    // Row 11: an impossible date.
    ws.write_number(10, 0, 4).unwrap();
    ws.write_string(10, 1, "Prov. Kalimantan Selatan").unwrap();
    ws.write_string(10, 2, "MoU").unwrap();
    ws.write_string(10, 5, "Perdagangan Antar Daerah").unwrap();
    ws.write_string(10, 6, "31 Juni 2023").unwrap();
    // Row 12: a third party.
    ws.write_number(11, 0, 5).unwrap();
    ws.write_string(11, 1, "Universitas Palangka Raya").unwrap();
    ws.write_string(11, 2, "Nota Kesepahaman").unwrap();
    ws.write_string(11, 5, "Pengembangan Sumber Daya Manusia")
        .unwrap();
    ws.write_string(11, 6, "2022-03-01").unwrap();
    ws.write_string(11, 7, "lima tahun").unwrap();
    // Row 14: footer.
    ws.write_string(13, 0, "Jumlah: 5 dokumen").unwrap();
    wb.save_to_buffer().unwrap()
}

fn outcome(reg: &Register, line: usize) -> &Outcome {
    &reg.rows.iter().find(|r| r.line == line).unwrap().outcome
}

fn record(reg: &Register, line: usize) -> &LegacyRecord {
    match outcome(reg, line) {
        Outcome::Record { record, .. } => record,
        other => panic!("line {line}: {other:?}"),
    }
}

#[test]
fn a_register_with_titles_merged_headers_and_a_footer_is_read_row_by_row() {
    let reg = read_register(&kalteng_xlsx(), &spec("register.xlsx", &[]), &dir());
    assert!(reg.problems.is_empty(), "{:?}", reg.problems);
    let header = reg.header.as_ref().unwrap();
    assert_eq!(header.lines, [4, 5]);
    assert_eq!(header.find(Column::OwnNumber), Some(3));
    assert_eq!(header.find(Column::PartnerNumber), Some(4));
    assert_eq!(header.find(Column::Subject), Some(5));
    assert!(matches!(
        outcome(&reg, 1),
        Outcome::Skipped {
            skip: Skip::Title(_)
        }
    ));
    assert!(matches!(
        outcome(&reg, 6),
        Outcome::Skipped {
            skip: Skip::ColumnNumbers
        }
    ));
    assert!(matches!(
        outcome(&reg, 9),
        Outcome::Skipped { skip: Skip::Blank }
    ));
    assert!(matches!(
        outcome(&reg, 14),
        Outcome::Skipped {
            skip: Skip::Footer(_)
        }
    ));

    let kb = record(&reg, 7);
    assert_eq!(kb.kind, AgreementKind::Kb);
    assert_eq!(kb.signed_on, date!(2023 - 02 - 14));
    assert_eq!(kb.term_months, Some(60));
    assert_eq!(kb.own_number.as_deref(), Some("075/12/KSD/2023"));
    assert_eq!(kb.partners[0].region.as_deref(), Some("51"));
    assert_eq!(kb.partners[0].number.as_deref(), Some("B.24/HK/2023"));
    assert_eq!(
        kb.subject,
        "Kerja Sama Pembangunan Daerah Bidang Pariwisata dan UMKM"
    );
    assert_eq!(kb.status, Some(StatusWord::Active));

    let Outcome::Record { parent_line, .. } = outcome(&reg, 8) else {
        panic!()
    };
    assert_eq!(*parent_line, Some(7), "the PKS names its KB in a note");

    let two = record(&reg, 10);
    let codes: Vec<_> = two
        .partners
        .iter()
        .filter_map(|p| p.region.clone())
        .collect();
    assert_eq!(codes, ["62.03", "62.06"]);
    assert_eq!(two.status, Some(StatusWord::Ended));
    assert_eq!(two.term_months, Some(36));

    let Outcome::Refused { problems } = outcome(&reg, 11) else {
        panic!("{:?}", outcome(&reg, 11))
    };
    assert!(matches!(problems[0], Problem::DateImpossible { .. }));
    assert!(problems[0].message(Lang::Id).contains("31 Juni 2023"));

    let third = record(&reg, 12);
    assert_eq!(third.partners[0].region, None);
    assert_eq!(third.partners[0].name, "Universitas Palangka Raya");
    assert_eq!(reg.accepted(), 4);
    assert_eq!(reg.refused(), 1);
    // Nothing is dropped silently: every non-empty line has a report.
    assert_eq!(reg.rows.len(), 14);
}

#[test]
fn a_csv_register_with_one_header_row_and_its_own_words() {
    let csv = "Daftar Naskah Kerja Sama Kota Palangka Raya\n\
               ;\n\
               No.;Nama Mitra;Jenis Dokumen;Nomor Naskah;Perihal;Tgl. Penandatanganan;Tgl. Berakhir;Keterangan\n\
               1;Pemkab Pulang Pisau;PKS;180/45/HK/2021;Pengelolaan Sampah Regional;15-03-2021;14-03-2024;\n\
               2;Kab. Katingan;Perjanjian Kerja Sama;180/12/HK/2022;Pasokan Air Bersih;01/07/2022;-;Dalam pelaksanaan\n\
               3;PT Angkasa Pura;Addendum;;Perubahan Jadwal;5 Mei 2025;;\n\
               Sumber: Bagian Kerja Sama\n";
    let mut s = spec("register.csv", &[]);
    s.region = "62.71";
    let reg = read_register(csv.as_bytes(), &s, &dir());
    assert!(reg.problems.is_empty(), "{:?}", reg.problems);
    let first = record(&reg, 4);
    assert_eq!(first.kind, AgreementKind::Pks);
    assert_eq!(first.partners[0].region.as_deref(), Some("62.11"));
    assert_eq!(first.ends_on, Some(date!(2024 - 03 - 14)));
    assert_eq!(record(&reg, 5).signed_on, date!(2022 - 07 - 01));
    assert_eq!(record(&reg, 6).kind, AgreementKind::Addendum);
    assert!(matches!(
        outcome(&reg, 7),
        Outcome::Skipped {
            skip: Skip::Footer(_)
        }
    ));
}

#[test]
fn the_user_chooses_columns_the_header_does_not_name() {
    // "Uraian Singkat" is the subject here but "Pihak" is ambiguous: chosen by hand.
    let csv = "No;Pihak;Kerja Sama;Tanggal;Jenis\n1;Pemprov Bali;Promosi Budaya;14/02/2023;KB\n";
    let without = read_register(csv.as_bytes(), &spec("r.csv", &[]), &dir());
    assert!(without.problems.contains(&Problem::MissingColumn {
        column: Column::Subject
    }));
    assert!(
        without
            .rows
            .iter()
            .all(|r| !matches!(r.outcome, Outcome::Record { .. }))
    );
    let overrides = [(2, Some(Column::Subject))];
    let with = read_register(csv.as_bytes(), &spec("r.csv", &overrides), &dir());
    assert!(with.problems.is_empty(), "{:?}", with.problems);
    assert_eq!(record(&with, 2).subject, "Promosi Budaya");
}

#[test]
fn a_file_that_is_not_a_register_says_so() {
    let reg = read_register(b"a,b\n1,2\n", &spec("x.csv", &[]), &dir());
    assert_eq!(reg.problems, [Problem::NoHeader]);
    let reg = read_register(b"PK\x03\x04broken", &spec("x.xlsx", &[]), &dir());
    assert!(matches!(reg.problems[0], Problem::Unreadable { .. }));
}
