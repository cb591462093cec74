//! The document-text defects of issue 15, each read back from the rendered PDF with poppler
//! (`pdftotext`, `pdfinfo`, `pdftoppm`) or from the document model: names and titles keep
//! their capitals in lists, region names keep theirs in the KB text, the addendum names the
//! parties once, the KB's signatures never stand alone on the last page, the letter has a
//! `/Title`, and the kop shows the lambang and the address when they are configured.

use sinergi_documents::fixtures::founding_kb;
use sinergi_documents::input::ParentInput;
use sinergi_documents::{
    DocumentInput, DocumentKind, LetterheadInput, MeetingInput, PartyInput, build, pdf,
};
use std::process::Command;

fn poppler(tool: &str, pdf: &[u8], args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut c = Command::new(tool);
    c.args(args).arg(&path);
    if tool == "pdftotext" {
        c.arg("-");
    }
    let out = c
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pages(pdf: &[u8]) -> usize {
    poppler("pdfinfo", pdf, &[])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn lists_keep_the_capitals_of_names_and_titles() {
    let mut input = founding_kb();
    input.meeting = Some(MeetingInput {
        kind: "Penandatanganan".into(),
        title: "Penandatanganan Kesepakatan Bersama Kalimantan Tengah – Bali".into(),
        date: input.date,
        place: input.place.clone(),
        participants: vec![
            "Sugianto Sabran, Gubernur Kalimantan Tengah".into(),
            "Wayan Koster, Gubernur Bali".into(),
        ],
        agenda: vec!["Kunjungan Gubernur Kalimantan Tengah kepada Gubernur Bali".into()],
        outcomes: vec![
            "Gubernur Kalimantan Tengah dan Gubernur Bali menandatangani Kesepakatan Bersama"
                .into(),
        ],
        ..MeetingInput::default()
    });
    let doc = build(DocumentKind::BeritaAcara, &input, None).unwrap();
    let text = flat(&poppler("pdftotext", &pdf::render(&doc).unwrap(), &[]));
    assert!(
        text.contains("a. Sugianto Sabran, Gubernur Kalimantan Tengah; dan"),
        "{text}"
    );
    assert!(text.contains("b. Wayan Koster, Gubernur Bali."), "{text}");
    assert!(
        text.contains("a. Gubernur Kalimantan Tengah dan Gubernur Bali menandatangani"),
        "{text}"
    );
    // A common noun still starts the item in lower case, as regulations write lists.
    assert!(
        text.contains("a. kunjungan Gubernur Kalimantan Tengah kepada Gubernur Bali."),
        "{text}"
    );
}

fn palangka_raya_badung() -> DocumentInput {
    let party = |ordinal: u16, government: &str| PartyInput {
        ordinal,
        government: government.to_owned(),
        number: None,
        signatory: None,
        power_of_attorney: None,
        unit: None,
        letterhead: None,
    };
    DocumentInput {
        title: "Kesepakatan Bersama antara Pemerintah Kota Palangka Raya dan Pemerintah Kabupaten Badung tentang Promosi Wisata Kota Palangka Raya dan Kabupaten Badung".into(),
        case_title: "Promosi wisata".into(),
        fields: vec!["Pariwisata Kota Palangka Raya".into()],
        parties: vec![party(1, "Pemerintah Kota Palangka Raya"), party(2, "Pemerintah Kabupaten Badung")],
        ..DocumentInput::default()
    }
}

#[test]
fn the_kb_keeps_region_names_capitalised_in_its_sentences() {
    let doc = build(DocumentKind::Kb, &palangka_raya_badung(), None).unwrap();
    let text = flat(&poppler("pdftotext", &pdf::render(&doc).unwrap(), &[]));
    assert!(
        text.contains("dalam melaksanakan promosi wisata Kota Palangka Raya dan Kabupaten Badung."),
        "{text}"
    );
    assert!(text.contains("pariwisata Kota Palangka Raya."), "{text}");
    assert!(
        !text.contains("kota palangka raya") && !text.contains("kabupaten badung"),
        "{text}"
    );
}

#[test]
fn the_addendum_title_names_the_parties_once() {
    let mut input = founding_kb();
    input.parent = Some(ParentInput {
        title: input.title.clone(),
        numbers: vec![None, None],
        signed_on: input.date,
    });
    let doc = build(DocumentKind::Addendum, &input, None).unwrap();
    let title = doc.title.join(" | ");
    assert_eq!(
        title
            .matches("PEMERINTAH PROVINSI KALIMANTAN TENGAH")
            .count(),
        1,
        "{title}"
    );
    assert_eq!(
        doc.title,
        [
            "ADDENDUM",
            "KESEPAKATAN BERSAMA",
            "ANTARA",
            "PEMERINTAH PROVINSI KALIMANTAN TENGAH",
            "DAN",
            "PEMERINTAH PROVINSI BALI",
            "TENTANG",
            "KERJA SAMA PEMBANGUNAN DAN PENGEMBANGAN POTENSI DAERAH"
        ]
    );
}

#[test]
fn the_kb_signatures_never_stand_alone_on_the_last_page() {
    let doc = build(DocumentKind::Kb, &founding_kb(), None).unwrap();
    let bytes = pdf::render(&doc).unwrap();
    let n = pages(&bytes);
    let last = flat(&poppler(
        "pdftotext",
        &bytes,
        &["-f", &n.to_string(), "-l", &n.to_string()],
    ));
    assert!(last.contains("SUGIANTO SABRAN"), "{last}");
    assert!(
        last.contains("PENUTUP") && last.contains("ditandatangani oleh PARA PIHAK"),
        "the closing article goes with the signatures: {last}"
    );
}

#[test]
fn the_letter_has_a_title_and_its_kop_the_lambang_and_address() {
    let mut input = founding_kb();
    let plain = build(DocumentKind::Penawaran, &input, None).unwrap();
    let plain_pdf = pdf::render(&plain).unwrap();
    let info = poppler("pdfinfo", &plain_pdf, &[]);
    assert!(
        info.contains(
            "Title:           Surat Penawaran Kerja Sama: Penawaran Kerja Sama Pembangunan"
        ),
        "{info}"
    );
    input.parties[0].letterhead = Some(LetterheadInput {
        lambang_svg: Some("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"120\"><rect width=\"100\" height=\"120\" fill=\"#1a4d2e\"/></svg>".into()),
        address: vec!["Jalan Contoh Nomor 1, Palangka Raya 73111".into(), "Telepon (0536) 000000".into()],
    });
    let with_kop = pdf::render(&build(DocumentKind::Penawaran, &input, None).unwrap()).unwrap();
    let text = flat(&poppler("pdftotext", &with_kop, &[]));
    assert!(
        text.contains("Jalan Contoh Nomor 1, Palangka Raya 73111 Telepon (0536) 000000"),
        "{text}"
    );
    // The lambang is drawn at the top left: that corner has ink only with it.
    let ink = |pdf: &[u8]| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = Command::new("pdftoppm")
            .args([
                "-gray", "-r", "30", "-f", "1", "-l", "1", "-x", "36", "-y", "31", "-W", "22",
                "-H", "22",
            ])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success());
        // A binary PGM: the pixels follow the header's last line ("255\n").
        let body = &out.stdout[out.stdout.windows(4).position(|w| w == b"255\n").unwrap() + 4..];
        body.iter().filter(|p| **p < 128).count()
    };
    let (without, with) = (ink(&plain_pdf), ink(&with_kop));
    assert!(
        with > without + 200,
        "the lambang is drawn at the top left ({without} → {with} dark pixels)"
    );
}

#[test]
fn a_final_kb_is_archived_as_pdf_a_2b_and_a_draft_is_not() {
    let mut doc = build(DocumentKind::Kb, &founding_kb(), None).unwrap();
    let draft = pdf::render(&doc).unwrap();
    assert!(
        !String::from_utf8_lossy(&draft).contains("pdfaid:part"),
        "a draft is plain PDF"
    );
    doc.verification = Some(sinergi_documents::Verification {
        code: "ABCD-EFGH-JKLM".into(),
        url: "https://sinergi.test/verifikasi/ABCD-EFGH-JKLM".into(),
        qr_svg: sinergi_documents::qr::svg("https://sinergi.test/verifikasi/ABCD-EFGH-JKLM")
            .unwrap(),
    });
    doc.issued_at = Some("2022-03-26T03:00:00Z".into());
    assert!(pdf::is_archival(&doc));
    let archived = pdf::render(&doc).unwrap();
    // The XMP metadata stream declares the conformance (ISO 19005-2, level B).
    let text = String::from_utf8_lossy(&archived);
    assert!(
        text.contains("<pdfaid:part>2</pdfaid:part>") || text.contains("pdfaid:part=\"2\""),
        "PDF/A part 2 in the XMP"
    );
    assert!(
        text.contains("<pdfaid:conformance>B</pdfaid:conformance>")
            || text.contains("pdfaid:conformance=\"B\""),
        "level B"
    );
    let info = poppler("pdfinfo", &archived, &[]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    let fonts = poppler("pdffonts", &archived, &[]);
    assert!(
        fonts
            .lines()
            .skip(2)
            .all(|l| l.split_whitespace().rev().nth(4) == Some("yes")),
        "{fonts}"
    );
    assert!(flat(&poppler("pdftotext", &archived, &[])).contains("ABCD-EFGH-JKLM"));
}
