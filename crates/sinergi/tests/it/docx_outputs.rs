//! DOCX as Word users open it (issue 15): python-docx reads the package (heading styles for
//! the Pasal, a numbering part and real lists, settings, app and core properties, the font of
//! the PDF, paraf boxes in the footer), and LibreOffice (headless) converts the DOCX to PDF so
//! its pagination can be compared with the Typst PDF: the letter fits one page in both, and
//! the KB's signatures keep the closing article with them in both.

use crate::consumers::python_on_file;
use sinergi_documents::fixtures::founding_kb;
use sinergi_documents::{DocumentKind, build, docx, pdf};
use std::process::Command;

fn poppler(tool: &str, path: &std::path::Path, args: &[&str]) -> String {
    let mut c = Command::new(tool);
    c.args(args).arg(path);
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

fn pages(path: &std::path::Path) -> usize {
    poppler("pdfinfo", path, &[])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Converts DOCX files to PDF with LibreOffice in its own profile; returns the PDFs' paths.
fn libreoffice(dir: &std::path::Path, files: &[&std::path::Path]) -> Vec<std::path::PathBuf> {
    let profile = dir.join("lo-profile");
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir)
        .args(files)
        .output()
        .expect(
            "LibreOffice (Debian libreoffice-writer-nogui, as .ci/run installs) must be installed",
        );
    assert!(
        out.status.success(),
        "soffice: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    files
        .iter()
        .map(|f| dir.join(f.file_stem().unwrap()).with_extension("pdf"))
        .collect()
}

#[test]
fn docx_has_styles_lists_and_the_layout_of_the_pdf() {
    let input = founding_kb();
    let kb = build(DocumentKind::Kb, &input, None).unwrap();
    let letter = build(DocumentKind::Penawaran, &input, None).unwrap();
    let kb_docx = docx::render(&kb).unwrap();

    // python-docx: the structure Word shows.
    let d = python_on_file("docx_check.py", "docx", &kb_docx, &[]);
    let parts: Vec<&str> = d["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    for part in [
        "/word/numbering.xml",
        "/word/settings.xml",
        "/docProps/app.xml",
        "/docProps/core.xml",
        "/word/styles.xml",
        "/word/fontTable.xml",
        "/word/footer1.xml",
    ] {
        assert!(parts.contains(&part), "{part} missing: {parts:?}");
    }
    let headings: Vec<&str> = d["headings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    assert_eq!(
        headings.len(),
        kb.articles.len(),
        "every Pasal is a Heading 1: {headings:?}"
    );
    assert!(
        headings[0].starts_with("Pasal 1") && headings[0].contains("MAKSUD DAN TUJUAN"),
        "{headings:?}"
    );
    assert_eq!(d["has_numbering"], true);
    assert!(
        d["numbered"].as_u64().unwrap() > 10,
        "ayat and items are list paragraphs"
    );
    let texts: Vec<&str> = d["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert!(
        !texts
            .iter()
            .any(|t| t.starts_with("(1)") || t.starts_with("a.\t")),
        "no typed-in list numbers"
    );
    assert_eq!(d["settings_zoom"], true);
    assert_eq!(d["title"], kb.meta_title);
    assert_eq!(d["language"], "id-ID");
    assert_eq!(d["font"], sinergi_documents::docx::FONT, "the PDF's font");
    let footer: Vec<&str> = d["footer_cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(
        footer.contains(&"Paraf PIHAK KESATU") && footer.contains(&"Paraf PIHAK KEDUA"),
        "paraf boxes: {footer:?}"
    );
    assert_eq!(d["margins_cm"], serde_json::json!([2.5, 3.0, 2.5]));

    // LibreOffice: the same pagination decisions as the Typst PDF.
    let dir = tempfile::tempdir().unwrap();
    let kb_path = dir.path().join("kb.docx");
    let letter_path = dir.path().join("penawaran.docx");
    std::fs::write(&kb_path, &kb_docx).unwrap();
    std::fs::write(&letter_path, docx::render(&letter).unwrap()).unwrap();
    let typst_letter = dir.path().join("penawaran-typst.pdf");
    std::fs::write(&typst_letter, pdf::render(&letter).unwrap()).unwrap();
    let converted = libreoffice(dir.path(), &[&kb_path, &letter_path]);
    assert_eq!(pages(&typst_letter), 1, "the Typst letter is one page");
    assert_eq!(
        pages(&converted[1]),
        1,
        "the DOCX letter is one page too, signature included"
    );
    let letter_text = flat(&poppler("pdftotext", &converted[1], &[]));
    assert!(letter_text.contains("SUGIANTO SABRAN"), "{letter_text}");
    let n = pages(&converted[0]);
    let last = flat(&poppler(
        "pdftotext",
        &converted[0],
        &["-f", &n.to_string(), "-l", &n.to_string()],
    ));
    assert!(
        last.contains("SUGIANTO SABRAN") && last.contains("PENUTUP"),
        "the closing article goes with the signatures: {last}"
    );
    assert!(
        last.contains("Paraf PIHAK KESATU"),
        "paraf boxes on every page: {last}"
    );
    let first = flat(&poppler(
        "pdftotext",
        &converted[0],
        &["-f", "1", "-l", "1"],
    ));
    assert!(first.contains("Halaman 1 dari"), "{first}");
}
