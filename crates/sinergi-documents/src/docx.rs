//! DOCX output: the same [`Document`] written as WordprocessingML (OOXML) parts in a zip
//! package. Only the parts Word and LibreOffice need: content types, relationships, the
//! document, styles, a footer with page numbers, and core properties.
//!
//! All text passes through [`esc`], so no value can add markup; lists are written as
//! hanging-indent paragraphs with their labels ("a.", "(1)"), which both programs show the
//! same way without a numbering part.

use crate::model::{Document, Layout, letter_label};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

/// Writing the package failed (out of memory or a zip error).
#[derive(Debug, Clone, thiserror::Error)]
#[error("DOCX export failed: {0}")]
pub struct DocxError(pub String);

/// Escapes text for XML and drops characters XML 1.0 forbids.
#[must_use]
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Paragraph properties.
#[derive(Default, Clone, Copy)]
struct P {
    center: bool,
    right: bool,
    justify: bool,
    /// Left indent and hanging indent in twentieths of a point.
    left: u32,
    hanging: u32,
    after: u32,
    keep_next: bool,
}

/// A run: text with bold/underline.
struct R<'a> {
    text: &'a str,
    bold: bool,
    underline: bool,
}

fn r(text: &str) -> R<'_> {
    R {
        text,
        bold: false,
        underline: false,
    }
}

fn b(text: &str) -> R<'_> {
    R {
        text,
        bold: true,
        underline: false,
    }
}

fn para(out: &mut String, p: P, runs: &[R<'_>]) {
    out.push_str("<w:p><w:pPr>");
    if p.keep_next {
        out.push_str("<w:keepNext/>");
    }
    if p.hanging > 0 {
        out.push_str(&format!(
            "<w:tabs><w:tab w:val=\"left\" w:pos=\"{}\"/></w:tabs>",
            p.left
        ));
    }
    out.push_str(&format!("<w:spacing w:after=\"{}\"/>", p.after));
    if p.left > 0 || p.hanging > 0 {
        out.push_str(&format!(
            "<w:ind w:left=\"{}\" w:hanging=\"{}\"/>",
            p.left, p.hanging
        ));
    }
    let jc = if p.center {
        "center"
    } else if p.right {
        "right"
    } else if p.justify {
        "both"
    } else {
        "left"
    };
    out.push_str(&format!("<w:jc w:val=\"{jc}\"/></w:pPr>"));
    for run in runs {
        out.push_str("<w:r>");
        if run.bold || run.underline {
            out.push_str("<w:rPr>");
            if run.bold {
                out.push_str("<w:b/>");
            }
            if run.underline {
                out.push_str("<w:u w:val=\"single\"/>");
            }
            out.push_str("</w:rPr>");
        }
        // A tab inside a label run: "a.<tab>text".
        let mut first = true;
        for piece in run.text.split('\u{9}') {
            if !first {
                out.push_str("<w:tab/>");
            }
            first = false;
            out.push_str(&format!("<w:t xml:space=\"preserve\">{}</w:t>", esc(piece)));
        }
        out.push_str("</w:r>");
    }
    out.push_str("</w:p>");
}

const STEP: u32 = 567; // 1 cm in twips

fn labelled(out: &mut String, level: u32, label: &str, text: &str) {
    let left = STEP * (level + 1);
    para(
        out,
        P {
            justify: true,
            left,
            hanging: STEP,
            after: 80,
            ..P::default()
        },
        &[r(&format!("{label}\u{9}")), r(text)],
    );
}

fn body(doc: &Document) -> String {
    let mut o = String::with_capacity(64 * 1024);
    let normal = P {
        justify: true,
        after: 160,
        ..P::default()
    };
    if let Some(l) = &doc.letter {
        for (i, s) in l.sender.iter().enumerate() {
            para(
                &mut o,
                P {
                    center: true,
                    after: 0,
                    ..P::default()
                },
                &[if i == 0 { b(s) } else { r(s) }],
            );
        }
        para(
            &mut o,
            P {
                after: 200,
                ..P::default()
            },
            &[r("")],
        );
        para(
            &mut o,
            P {
                right: true,
                after: 200,
                ..P::default()
            },
            &[r(&l.place_date)],
        );
        for f in &l.fields {
            para(
                &mut o,
                P {
                    left: 1701,
                    hanging: 1701,
                    after: 40,
                    ..P::default()
                },
                &[r(&format!("{}\u{9}: {}", f.label, f.value))],
            );
        }
        para(
            &mut o,
            P {
                after: 120,
                ..P::default()
            },
            &[r("")],
        );
        for (i, a) in l.addressee.iter().enumerate() {
            if i == 0 {
                para(
                    &mut o,
                    P {
                        after: 0,
                        ..P::default()
                    },
                    &[r("Kepada")],
                );
            }
            para(
                &mut o,
                P {
                    left: STEP,
                    after: 0,
                    ..P::default()
                },
                &[r(a)],
            );
        }
        para(
            &mut o,
            P {
                after: 200,
                ..P::default()
            },
            &[r("")],
        );
    } else {
        for t in &doc.title {
            para(
                &mut o,
                P {
                    center: true,
                    after: 40,
                    ..P::default()
                },
                &[b(t)],
            );
        }
        para(
            &mut o,
            P {
                after: 120,
                ..P::default()
            },
            &[r("")],
        );
        for n in &doc.numbers {
            para(
                &mut o,
                P {
                    center: true,
                    after: 40,
                    ..P::default()
                },
                &[b(&format!("{} : {}", n.label, n.value))],
            );
        }
        para(
            &mut o,
            P {
                after: 200,
                ..P::default()
            },
            &[r("")],
        );
    }
    for p in &doc.opening {
        para(&mut o, normal, &[r(p)]);
    }
    for (i, id) in doc.identities.iter().enumerate() {
        para(
            &mut o,
            P {
                justify: true,
                left: STEP,
                hanging: STEP,
                after: 160,
                ..P::default()
            },
            &[
                r(&format!("{}.\u{9}", i + 1)),
                b(&id.name),
                r(" : "),
                r(&id.text),
            ],
        );
    }
    for p in &doc.after_identities {
        para(&mut o, normal, &[r(p)]);
    }
    if let Some(t) = &doc.recitals_intro {
        para(&mut o, normal, &[r(t)]);
    }
    for (i, t) in doc.recitals.iter().enumerate() {
        labelled(&mut o, 0, &letter_label(i), t);
    }
    if let Some(t) = &doc.recitals_outro {
        para(&mut o, normal, &[r(t)]);
    }
    for a in &doc.articles {
        let heading = P {
            center: doc.layout == Layout::Agreement,
            keep_next: true,
            after: 40,
            ..P::default()
        };
        if doc.layout == Layout::Agreement {
            para(
                &mut o,
                P {
                    after: 0,
                    ..P::default()
                },
                &[r("")],
            );
            para(&mut o, heading, &[b(&a.label)]);
            para(
                &mut o,
                P {
                    after: 160,
                    ..heading
                },
                &[b(&a.heading)],
            );
        } else if !a.label.is_empty() || !a.heading.is_empty() {
            para(
                &mut o,
                P {
                    after: 80,
                    ..heading
                },
                &[b(format!("{} {}", a.label, a.heading).trim())],
            );
        }
        let numbered = a.ayat.len() > 1;
        for (i, ay) in a.ayat.iter().enumerate() {
            if numbered {
                labelled(&mut o, 0, &format!("({})", i + 1), &ay.text);
            } else {
                para(&mut o, normal, &[r(&ay.text)]);
            }
            let level = u32::from(numbered);
            for (k, item) in ay.items.iter().enumerate() {
                labelled(&mut o, level, &letter_label(k), item);
            }
        }
    }
    for p in &doc.closing {
        para(&mut o, normal, &[r(p)]);
    }
    if !doc.signatures.is_empty() {
        para(
            &mut o,
            P {
                after: 240,
                ..P::default()
            },
            &[r("")],
        );
        if let Some(t) = &doc.signature_intro {
            para(&mut o, normal, &[r(t)]);
        }
        signatures(&mut o, doc);
    }
    if let Some(v) = &doc.verification {
        para(
            &mut o,
            P {
                after: 240,
                ..P::default()
            },
            &[r("")],
        );
        para(
            &mut o,
            normal,
            &[
                r(
                    "Naskah ini ditandatangani secara elektronik. Keaslian dan keutuhan berkas dapat diperiksa pada ",
                ),
                r(&v.url),
                r(" dengan kode verifikasi "),
                b(&v.code),
                r("."),
            ],
        );
    }
    o
}

fn signatures(o: &mut String, doc: &Document) {
    let n = u32::try_from(doc.signatures.len()).unwrap_or(1).max(1);
    let width = 9071 / n; // text width of A4 with these margins
    o.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders>");
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        o.push_str(&format!("<w:{side} w:val=\"nil\"/>"));
    }
    o.push_str("</w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>");
    for _ in 0..n {
        o.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
    }
    o.push_str("</w:tblGrid><w:tr><w:trPr><w:cantSplit/></w:trPr>");
    let center = P {
        center: true,
        after: 0,
        keep_next: true,
        ..P::default()
    };
    for s in &doc.signatures {
        o.push_str(&format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>"
        ));
        if !s.role.is_empty() {
            para(o, center, &[b(&s.role)]);
        }
        para(o, center, &[b(&s.office)]);
        let gap = if doc.layout == Layout::Agreement {
            6
        } else {
            4
        };
        for i in 0..gap {
            if doc.layout == Layout::Agreement && i == 2 {
                para(o, center, &[r("(meterai dan stempel)")]);
            } else {
                para(o, center, &[r("")]);
            }
        }
        para(
            o,
            center,
            &[R {
                text: &s.name,
                bold: true,
                underline: true,
            }],
        );
        if let Some(note) = &s.note {
            para(o, center, &[r(note)]);
        }
        o.push_str("</w:tc>");
    }
    o.push_str("</w:tr></w:tbl><w:p/>");
}

fn footer(doc: &Document) -> String {
    let mut f = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    );
    let mut lines: Vec<String> = Vec::new();
    if let Some(v) = &doc.verification {
        lines.push(format!("Kode verifikasi: {}", esc(&v.code)));
    }
    if let Some(n) = &doc.footer_note {
        lines.push(esc(n));
    }
    for l in lines {
        f.push_str(&format!(
            "<w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:t xml:space=\"preserve\">{l}</w:t></w:r></w:p>"
        ));
    }
    if !doc.paraf.is_empty() {
        let parties = doc
            .paraf
            .iter()
            .map(|p| format!("{} ......", esc(p)))
            .collect::<Vec<_>>()
            .join("    ");
        f.push_str(&format!(
            "<w:p><w:pPr><w:spacing w:after=\"0\"/><w:jc w:val=\"right\"/></w:pPr><w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:t xml:space=\"preserve\">Paraf: {parties}</w:t></w:r></w:p>"
        ));
    }
    let field = |name: &str| {
        format!(
            "<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r>\
<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:instrText xml:space=\"preserve\"> {name} </w:instrText></w:r>\
<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r>\
<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:t>1</w:t></w:r>\
<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r>"
        )
    };
    f.push_str(&format!(
        "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:t xml:space=\"preserve\">Halaman </w:t></w:r>{}<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:t xml:space=\"preserve\"> dari </w:t></w:r>{}</w:p></w:ftr>",
        field("PAGE"),
        field("NUMPAGES")
    ));
    f
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
</Relationships>";

const DOC_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
</Relationships>";

const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\" w:eastAsia=\"Times New Roman\"/>\
<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/><w:lang w:val=\"id-ID\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"276\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
</w:styles>";

/// Writes `doc` as a DOCX package.
///
/// # Errors
/// A zip error (in memory, so practically never).
pub fn render(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let err = |e: &dyn std::fmt::Display| DocxError(e.to_string());
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{}\
<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId2\"/>\
<w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
<w:pgMar w:top=\"1418\" w:right=\"1418\" w:bottom=\"1701\" w:left=\"1701\" w:header=\"709\" w:footer=\"567\" w:gutter=\"0\"/>\
</w:sectPr></w:body></w:document>",
        body(doc)
    );
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>Sinergi</dc:creator>\
<dc:description>{}</dc:description></cp:coreProperties>",
        esc(&doc.title.join(" ")),
        esc(&doc.template)
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, &str); 7] = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("word/document.xml", &document),
        ("word/_rels/document.xml.rels", DOC_RELS),
        ("word/styles.xml", STYLES),
        ("word/footer1.xml", &footer(doc)),
        ("docProps/core.xml", &core),
    ];
    for (name, content) in parts {
        zip.start_file(name, opts).map_err(|e| err(&e))?;
        zip.write_all(content.as_bytes()).map_err(|e| err(&e))?;
    }
    let cursor = zip.finish().map_err(|e| err(&e))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_markup_out() {
        assert_eq!(esc("a<b>&\"c\u{1}"), "a&lt;b&gt;&amp;&quot;c");
    }
}
