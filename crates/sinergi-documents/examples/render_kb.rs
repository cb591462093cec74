//! Benchmark: the founding case's KB, lengthened to about ten pages with a detailed scope,
//! rendered to PDF in-process; prints one JSON line with the median and writes the PDF and
//! the DOCX of the same content for the LibreOffice comparison (bench/documents.sh).
//!
//! `cargo run --release -p sinergi-documents --example render_kb -- OUT_DIR [RUNS]`

#![allow(clippy::unwrap_used, reason = "a benchmark fails loudly")]

use sinergi_documents::{Ayat, Clause, DocumentKind, Template, docx, fixtures, pdf};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(30);
    let input = fixtures::founding_kb();
    let template = Template::embedded(DocumentKind::Kb).unwrap();
    let mut draft = template.initial_draft(&input).unwrap();
    // One clause per field describing its programme: realistic length, realistic structure.
    for (i, field) in input.fields.iter().enumerate() {
        let ayat = (1..=3)
            .map(|k| Ayat {
                text: format!(
                    "Kerja sama bidang {} sebagaimana dimaksud dalam Pasal 3 huruf {} dilaksanakan melalui kegiatan tahap {k} yang disusun bersama oleh perangkat daerah PARA PIHAK, dengan memperhatikan potensi, karakteristik, dan kebutuhan masing-masing daerah serta ketentuan peraturan perundang-undangan:",
                    field.to_lowercase(),
                    sinergi_documents::model::letter_label(i).trim_end_matches('.'),
                ),
                items: vec![
                    "pertukaran data dan informasi;".into(),
                    "peningkatan kapasitas sumber daya manusia aparatur dan masyarakat;".into(),
                    "promosi dan pemasaran bersama; dan".into(),
                    "kegiatan lain yang disepakati PARA PIHAK.".into(),
                ],
            })
            .collect();
        draft
            .add(
                Clause {
                    key: format!("rincian_{i}"),
                    heading: format!("RINCIAN BIDANG {}", field.to_uppercase()),
                    ayat,
                },
                Some(4 + i),
            )
            .unwrap();
    }
    let doc = template.build(&input, Some(&draft)).unwrap();
    let (first, pages) = pdf::render_counted(&doc).unwrap();
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        typst::comemo::evict(0);
        let t = Instant::now();
        let bytes = pdf::render(&doc).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(bytes.len(), first.len());
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("kb.pdf"), &first).unwrap();
    std::fs::write(out.join("kb.docx"), docx::render(&doc).unwrap()).unwrap();
    println!(
        "{{\"pages\":{pages},\"runs\":{runs},\"median_ms\":{median:.1},\"min_ms\":{:.1},\"max_ms\":{:.1},\"pdf_bytes\":{}}}",
        times[0],
        times[times.len() - 1],
        first.len()
    );
}
