//! DOCX output: the same [`Document`] written as WordprocessingML (OOXML) parts in a zip
//! package, with the layout decisions of the PDF (issue 15): the same font (Libertinus
//! Serif, Times New Roman where it is not installed), size and margins; each Pasal a
//! `Heading 1` paragraph (so Word's and LibreOffice's navigation pane list them); the ayat
//! "(1)", the lettered items "a." and the identities "1." as real lists of a numbering part
//! (each list restarts); the paraf boxes in the footer as a bordered table; the closing text
//! kept with the signatures, which never split or stand alone. Parts: content types,
//! relationships, document, styles, numbering, settings, font table, footer, core and app
//! properties.
//!
//! All text passes through [`esc`], so no value can add markup.

use crate::model::{Document, Layout};
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

/// The font of both renderers (the PDF embeds it; Word falls back to the alternative).
pub const FONT: &str = "Libertinus Serif";
const FONT_ALT: &str = "Times New Roman";

/// The lists of the numbering part.
#[derive(Clone, Copy)]
enum ListKind {
    /// "(1)", "(2)": the ayat of a Pasal.
    Ayat = 1,
    /// "a.", "b.": items (level 0 at 1 cm, level 1 at 2 cm).
    Letters = 2,
    /// "1.", "2.": the parties' identities.
    Numbers = 3,
}

/// Paragraph properties.
#[derive(Default, Clone, Copy)]
struct P<'a> {
    style: Option<&'a str>,
    center: bool,
    right: bool,
    /// (numId, level).
    num: Option<(u32, u32)>,
    /// Space after, in twentieths of a point; `None`: the style's.
    after: Option<u32>,
    keep_next: bool,
    keep_lines: bool,
    /// Left indent (twips) for an unnumbered paragraph.
    left: u32,
}

/// A run: text with bold/underline/size.
#[derive(Clone, Copy)]
struct R<'a> {
    text: &'a str,
    bold: bool,
    underline: bool,
    /// Half-points.
    size: Option<u32>,
    /// A line break before the text.
    br: bool,
}

fn r(text: &str) -> R<'_> {
    R {
        text,
        bold: false,
        underline: false,
        size: None,
        br: false,
    }
}

fn b(text: &str) -> R<'_> {
    R {
        bold: true,
        ..r(text)
    }
}

fn para(out: &mut String, p: P<'_>, runs: &[R<'_>]) {
    out.push_str("<w:p><w:pPr>");
    if let Some(s) = p.style {
        out.push_str(&format!("<w:pStyle w:val=\"{s}\"/>"));
    }
    if p.keep_next {
        out.push_str("<w:keepNext/>");
    }
    if p.keep_lines {
        out.push_str("<w:keepLines/>");
    }
    if let Some((id, lvl)) = p.num {
        out.push_str(&format!(
            "<w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"{id}\"/></w:numPr>"
        ));
    }
    if let Some(a) = p.after {
        out.push_str(&format!("<w:spacing w:after=\"{a}\"/>"));
    }
    if p.left > 0 {
        out.push_str(&format!("<w:ind w:left=\"{}\"/>", p.left));
    }
    if p.center {
        out.push_str("<w:jc w:val=\"center\"/>");
    } else if p.right {
        out.push_str("<w:jc w:val=\"right\"/>");
    }
    out.push_str("</w:pPr>");
    for run in runs {
        out.push_str("<w:r>");
        if run.bold || run.underline || run.size.is_some() {
            out.push_str("<w:rPr>");
            if run.bold {
                out.push_str("<w:b/>");
            }
            if run.underline {
                out.push_str("<w:u w:val=\"single\"/>");
            }
            if let Some(sz) = run.size {
                out.push_str(&format!("<w:sz w:val=\"{sz}\"/><w:szCs w:val=\"{sz}\"/>"));
            }
            out.push_str("</w:rPr>");
        }
        if run.br {
            out.push_str("<w:br/>");
        }
        out.push_str(&format!(
            "<w:t xml:space=\"preserve\">{}</w:t>",
            esc(run.text)
        ));
        out.push_str("</w:r>");
    }
    out.push_str("</w:p>");
}

/// The list instances of one document: each list restarts its numbering.
struct Lists {
    nums: Vec<ListKind>,
}

impl Lists {
    fn start(&mut self, kind: ListKind) -> u32 {
        self.nums.push(kind);
        u32::try_from(self.nums.len()).unwrap_or(u32::MAX)
    }

    fn part(&self) -> String {
        let mut x = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
        );
        let level = |ilvl: u32, fmt: &str, text: &str, left: u32| {
            format!(
                "<w:lvl w:ilvl=\"{ilvl}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/>\
<w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/>\
<w:pPr><w:tabs><w:tab w:val=\"num\" w:pos=\"{left}\"/></w:tabs><w:ind w:left=\"{left}\" w:hanging=\"567\"/></w:pPr></w:lvl>"
            )
        };
        for (id, levels) in [
            (
                ListKind::Ayat as u32,
                [
                    level(0, "decimal", "(%1)", 567),
                    level(1, "lowerLetter", "%2.", 1134),
                ],
            ),
            (
                ListKind::Letters as u32,
                [
                    level(0, "lowerLetter", "%1.", 567),
                    level(1, "lowerLetter", "%2.", 1134),
                ],
            ),
            (
                ListKind::Numbers as u32,
                [
                    level(0, "decimal", "%1.", 567),
                    level(1, "lowerLetter", "%2.", 1134),
                ],
            ),
        ] {
            x.push_str(&format!(
                "<w:abstractNum w:abstractNumId=\"{id}\"><w:multiLevelType w:val=\"hybridMultilevel\"/>{}</w:abstractNum>",
                levels.concat()
            ));
        }
        for (i, kind) in self.nums.iter().enumerate() {
            x.push_str(&format!(
                "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"{}\"/>\
<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/></w:lvlOverride>\
<w:lvlOverride w:ilvl=\"1\"><w:startOverride w:val=\"1\"/></w:lvlOverride></w:num>",
                i + 1,
                *kind as u32
            ));
        }
        x.push_str("</w:numbering>");
        x
    }
}

fn body(doc: &Document, lists: &mut Lists) -> String {
    let mut o = String::with_capacity(64 * 1024);
    let center = P {
        center: true,
        after: Some(0),
        ..P::default()
    };
    if let Some(l) = &doc.letter {
        for (i, s) in l.sender.iter().enumerate() {
            let run = if i == 0 {
                R {
                    size: Some(26),
                    ..b(s)
                }
            } else {
                R {
                    size: Some(22),
                    ..r(s)
                }
            };
            para(&mut o, center, &[run]);
        }
        for a in &l.address {
            para(
                &mut o,
                center,
                &[R {
                    size: Some(18),
                    ..r(a)
                }],
            );
        }
        // The rule under the kop, as in the PDF.
        o.push_str(
            "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"12\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>\
<w:spacing w:after=\"120\"/></w:pPr></w:p>",
        );
        para(
            &mut o,
            P {
                right: true,
                after: Some(120),
                ..P::default()
            },
            &[r(&l.place_date)],
        );
        o.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr>\
<w:tblGrid><w:gridCol w:w=\"1474\"/><w:gridCol w:w=\"284\"/><w:gridCol w:w=\"7029\"/></w:tblGrid>");
        for f in &l.fields {
            o.push_str("<w:tr>");
            for (w, t) in [
                (1474, f.label.as_str()),
                (284, ":"),
                (7029, f.value.as_str()),
            ] {
                o.push_str(&format!(
                    "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr>"
                ));
                para(
                    &mut o,
                    P {
                        after: Some(40),
                        ..P::default()
                    },
                    &[r(t)],
                );
                o.push_str("</w:tc>");
            }
            o.push_str("</w:tr>");
        }
        o.push_str("</w:tbl>");
        for (i, a) in l.addressee.iter().enumerate() {
            if i == 0 {
                para(
                    &mut o,
                    P {
                        after: Some(0),
                        ..P::default()
                    },
                    &[r("Kepada")],
                );
            }
            para(
                &mut o,
                P {
                    left: 567,
                    after: Some(0),
                    ..P::default()
                },
                &[r(a)],
            );
        }
        para(
            &mut o,
            P {
                after: Some(120),
                ..P::default()
            },
            &[],
        );
    } else {
        for (i, t) in doc.title.iter().enumerate() {
            para(
                &mut o,
                P {
                    style: Some("Title"),
                    keep_next: true,
                    after: Some(if i + 1 == doc.title.len() { 160 } else { 0 }),
                    ..P::default()
                },
                &[r(t)],
            );
        }
        for n in &doc.numbers {
            para(&mut o, center, &[b(&format!("{} : {}", n.label, n.value))]);
        }
        para(
            &mut o,
            P {
                after: Some(200),
                ..P::default()
            },
            &[],
        );
    }
    for p in &doc.opening {
        para(&mut o, P::default(), &[r(p)]);
    }
    if !doc.identities.is_empty() {
        let id = lists.start(ListKind::Numbers);
        for i in &doc.identities {
            para(
                &mut o,
                P {
                    num: Some((id, 0)),
                    ..P::default()
                },
                &[b(&i.name), r(" : "), r(&i.text)],
            );
        }
    }
    for p in &doc.after_identities {
        para(&mut o, P::default(), &[r(p)]);
    }
    if let Some(t) = &doc.recitals_intro {
        para(&mut o, P::default(), &[r(t)]);
    }
    if !doc.recitals.is_empty() {
        let id = lists.start(ListKind::Letters);
        for t in &doc.recitals {
            para(
                &mut o,
                P {
                    num: Some((id, 0)),
                    ..P::default()
                },
                &[r(t)],
            );
        }
    }
    if let Some(t) = &doc.recitals_outro {
        para(&mut o, P::default(), &[r(t)]);
    }
    let n_articles = doc.articles.len();
    let sign_follows = !doc.signatures.is_empty();
    for (k, a) in doc.articles.iter().enumerate() {
        // The last article stays with the signatures when nothing comes between.
        let last = k + 1 == n_articles && doc.closing.is_empty() && sign_follows;
        if !a.label.is_empty() || !a.heading.is_empty() {
            if doc.layout == Layout::Agreement {
                let mut runs = vec![r(&a.label)];
                if !a.heading.is_empty() {
                    runs.push(R {
                        br: true,
                        ..r(&a.heading)
                    });
                }
                para(
                    &mut o,
                    P {
                        style: Some("Heading1"),
                        ..P::default()
                    },
                    &runs,
                );
            } else {
                para(
                    &mut o,
                    P {
                        style: Some("Heading2"),
                        ..P::default()
                    },
                    &[r(format!("{} {}", a.label, a.heading).trim())],
                );
            }
        }
        let numbered = a.ayat.len() > 1;
        let ayat_list = numbered.then(|| lists.start(ListKind::Ayat));
        for ay in &a.ayat {
            para(
                &mut o,
                P {
                    num: ayat_list.map(|id| (id, 0)),
                    keep_next: last,
                    keep_lines: last,
                    ..P::default()
                },
                &[r(&ay.text)],
            );
            if !ay.items.is_empty() {
                let id = lists.start(ListKind::Letters);
                let level = u32::from(numbered);
                for item in &ay.items {
                    para(
                        &mut o,
                        P {
                            num: Some((id, level)),
                            keep_next: last,
                            ..P::default()
                        },
                        &[r(item)],
                    );
                }
            }
        }
    }
    for p in &doc.closing {
        para(
            &mut o,
            P {
                keep_next: sign_follows,
                ..P::default()
            },
            &[r(p)],
        );
    }
    if sign_follows {
        if let Some(t) = &doc.signature_intro {
            para(
                &mut o,
                P {
                    keep_next: true,
                    ..P::default()
                },
                &[r(t)],
            );
        }
        signatures(&mut o, doc);
    }
    if let Some(v) = &doc.verification {
        para(
            &mut o,
            P::default(),
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

/// The text width of A4 with the margins below, in twips.
const TEXT_WIDTH: u32 = 11906 - 1701 - 1418;

fn signatures(o: &mut String, doc: &Document) {
    let letter = doc.layout == Layout::Letter;
    let n = if letter {
        1
    } else {
        u32::try_from(doc.signatures.len()).unwrap_or(1).max(1)
    };
    let width = if letter {
        TEXT_WIDTH * 55 / 100
    } else {
        TEXT_WIDTH / n
    };
    let jc = if letter {
        "<w:jc w:val=\"right\"/>"
    } else {
        ""
    };
    o.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/>{jc}<w:tblBorders>",
        width * n
    ));
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        o.push_str(&format!("<w:{side} w:val=\"nil\"/>"));
    }
    o.push_str("</w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>");
    for _ in 0..n {
        o.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
    }
    o.push_str("</w:tblGrid>");
    let center = P {
        center: true,
        after: Some(0),
        keep_next: true,
        ..P::default()
    };
    let signers: Vec<_> = doc.signatures.iter().take(n as usize).collect();
    // Three shared rows, as in the PDF: role and office; room to sign; name. The names line
    // up whatever the length of the offices.
    let cell = |o: &mut String, content: &dyn Fn(&mut String)| {
        o.push_str(&format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>"
        ));
        content(o);
        o.push_str("</w:tc>");
    };
    o.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
    for s in &signers {
        cell(o, &|o| {
            if !s.role.is_empty() {
                para(o, center, &[b(&s.role)]);
            }
            para(o, center, &[b(&s.office)]);
        });
    }
    o.push_str("</w:tr>");
    let room = if doc.layout == Layout::Agreement {
        1531
    } else {
        1361
    };
    o.push_str(&format!(
        "<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val=\"{room}\" w:hRule=\"exact\"/></w:trPr>"
    ));
    for _ in &signers {
        cell(o, &|o| {
            if doc.layout == Layout::Agreement {
                para(o, center, &[]);
                para(
                    o,
                    center,
                    &[R {
                        size: Some(13),
                        ..r("meterai dan stempel")
                    }],
                );
            } else {
                para(o, center, &[]);
            }
        });
    }
    o.push_str("</w:tr><w:tr><w:trPr><w:cantSplit/></w:trPr>");
    for s in &signers {
        cell(o, &|o| {
            para(
                o,
                P {
                    keep_next: false,
                    ..center
                },
                &[R {
                    underline: true,
                    ..b(&s.name)
                }],
            );
            if let Some(note) = &s.note {
                para(
                    o,
                    center,
                    &[R {
                        size: Some(18),
                        ..r(note)
                    }],
                );
            }
        });
    }
    o.push_str("</w:tr></w:tbl><w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr></w:p>");
}

fn footer(doc: &Document) -> String {
    let mut f = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    );
    let small = |t: &str| {
        format!(
            "<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
            esc(t)
        )
    };
    let field = |name: &str| {
        format!(
            "<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r>\
<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:instrText xml:space=\"preserve\"> {name} </w:instrText></w:r>\
<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r>\
<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:t>1</w:t></w:r>\
<w:r><w:rPr><w:sz w:val=\"16\"/></w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r>"
        )
    };
    // Left cell: verification code, note, page numbers; right: one paraf box per party,
    // as in the PDF.
    let mut left = String::new();
    if let Some(v) = &doc.verification {
        left.push_str(&format!(
            "<w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr>{}</w:p>",
            small(&format!("Kode verifikasi: {}", v.code))
        ));
    }
    if let Some(n) = &doc.footer_note {
        left.push_str(&format!(
            "<w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr>{}</w:p>",
            small(n)
        ));
    }
    left.push_str(&format!(
        "<w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr>{}{}{}{}</w:p>",
        small("Halaman "),
        field("PAGE"),
        small(" dari "),
        field("NUMPAGES")
    ));
    let boxes = doc.paraf.len();
    let box_w = 1191_u32; // 2.1 cm
    let boxes_w = box_w * u32::try_from(boxes).unwrap_or(0);
    let left_w = TEXT_WIDTH - boxes_w;
    f.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{TEXT_WIDTH}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>\
<w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/><w:right w:val=\"nil\"/>\
<w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w=\"{left_w}\"/>"
    ));
    for _ in 0..boxes {
        f.push_str(&format!("<w:gridCol w:w=\"{box_w}\"/>"));
    }
    f.push_str("</w:tblGrid>");
    let border = "<w:tcBorders><w:top w:val=\"single\" w:sz=\"4\" w:color=\"5A5A5A\"/><w:left w:val=\"single\" w:sz=\"4\" w:color=\"5A5A5A\"/>\
<w:bottom w:val=\"single\" w:sz=\"4\" w:color=\"5A5A5A\"/><w:right w:val=\"single\" w:sz=\"4\" w:color=\"5A5A5A\"/></w:tcBorders>";
    let box_cell = |text: &str| {
        format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{box_w}\" w:type=\"dxa\"/>{border}<w:vAlign w:val=\"center\"/></w:tcPr>\
<w:p><w:pPr><w:spacing w:after=\"0\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:sz w:val=\"14\"/></w:rPr>\
<w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:tc>",
            esc(text)
        )
    };
    // Row 1: the left text (spanning both rows) and "Paraf PIHAK …"; row 2: the empty boxes.
    f.push_str(&format!(
        "<w:tr><w:tc><w:tcPr><w:tcW w:w=\"{left_w}\" w:type=\"dxa\"/><w:vMerge w:val=\"restart\"/><w:vAlign w:val=\"bottom\"/></w:tcPr>{left}</w:tc>"
    ));
    for p in &doc.paraf {
        f.push_str(&box_cell(&format!("Paraf {p}")));
    }
    f.push_str("</w:tr>");
    if boxes > 0 {
        f.push_str(&format!(
            "<w:tr><w:trPr><w:trHeight w:val=\"510\" w:hRule=\"exact\"/></w:trPr>\
<w:tc><w:tcPr><w:tcW w:w=\"{left_w}\" w:type=\"dxa\"/><w:vMerge/></w:tcPr><w:p/></w:tc>"
        ));
        for _ in &doc.paraf {
            f.push_str(&box_cell(""));
        }
        f.push_str("</w:tr>");
    }
    f.push_str("</w:tbl><w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr></w:p></w:ftr>");
    f
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Default Extension=\"odttf\" ContentType=\"application/vnd.openxmlformats-officedocument.obfuscatedFont\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

const DOC_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/>\
<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>\
</Relationships>";

fn styles() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:cs=\"{FONT}\" w:eastAsia=\"{FONT}\"/>\
<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/><w:lang w:val=\"id-ID\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:spacing w:after=\"0\"/><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"200\" w:after=\"80\"/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"120\" w:after=\"60\"/><w:jc w:val=\"left\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:sz w:val=\"16\"/></w:rPr></w:style>\
</w:styles>"
    )
}

/// The fonts embedded in the package (ECMA-376 Part 1 §17.8.1), so Word and LibreOffice
/// lay the text out with the PDF's font even where it is not installed: (relationship id,
/// `w:embed…` element, font key, file name, bytes of the font as in typst-assets).
struct Embedded {
    rel: &'static str,
    element: &'static str,
    key: &'static str,
    file: &'static str,
    data: Vec<u8>,
}

/// Libertinus Serif regular and bold from the fonts the PDF renderer embeds.
fn embedded_fonts() -> Vec<Embedded> {
    use typst::foundations::Bytes;
    use typst::text::{Font, FontStyle, FontWeight};
    let mut out = Vec::new();
    for data in typst_assets::fonts() {
        for font in Font::iter(Bytes::new(data)) {
            let info = font.info();
            if info.family != FONT || info.variant.style != FontStyle::Normal {
                continue;
            }
            let (rel, element, key, file) = if info.variant.weight == FontWeight::REGULAR {
                (
                    "rIdFont1",
                    "embedRegular",
                    "{3F2A7C14-5B9E-4D21-8C6A-0E1F2D3B4A59}",
                    "font1.odttf",
                )
            } else if info.variant.weight == FontWeight::BOLD {
                (
                    "rIdFont2",
                    "embedBold",
                    "{9B1C4E27-6A3D-4F58-B2E7-1C0D9A8F7E63}",
                    "font2.odttf",
                )
            } else {
                continue;
            };
            if out.iter().any(|e: &Embedded| e.rel == rel) {
                continue;
            }
            out.push(Embedded {
                rel,
                element,
                key,
                file,
                data: obfuscate(font.data().as_slice(), key),
            });
        }
    }
    out
}

/// Obfuscates an embedded font: the first 32 bytes XOR the font key's 16 bytes, taken from
/// the GUID's hexadecimal digits in reverse order (ECMA-376 Part 1 §17.8.1).
fn obfuscate(font: &[u8], key: &str) -> Vec<u8> {
    let hex: Vec<u8> = key
        .chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| u8::try_from(c.to_digit(16).unwrap_or(0)).unwrap_or(0))
        .collect();
    let mut k = [0_u8; 16];
    for (i, pair) in hex.chunks(2).enumerate().take(16) {
        k[15 - i] = (pair[0] << 4) | pair.get(1).copied().unwrap_or(0);
    }
    let mut out = font.to_vec();
    for (i, byte) in out.iter_mut().take(32).enumerate() {
        *byte ^= k[i % 16];
    }
    out
}

fn font_table(fonts: &[Embedded]) -> String {
    let embeds: String = fonts
        .iter()
        .map(|e| {
            format!(
                "<w:{} r:id=\"{}\" w:fontKey=\"{}\"/>",
                e.element, e.rel, e.key
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
<w:font w:name=\"{FONT}\"><w:altName w:val=\"{FONT_ALT}\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/>{embeds}</w:font>\
<w:font w:name=\"{FONT_ALT}\"><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font>\
</w:fonts>"
    )
}

fn font_rels(fonts: &[Embedded]) -> String {
    let rels: String = fonts
        .iter()
        .map(|e| {
            format!(
                "<Relationship Id=\"{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/font\" Target=\"fonts/{}\"/>",
                e.rel, e.file
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>"
    )
}

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:zoom w:percent=\"100\"/><w:embedTrueTypeFonts/><w:saveSubsetFonts/><w:defaultTabStop w:val=\"567\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
<w:themeFontLang w:val=\"id-ID\"/><w:decimalSymbol w:val=\",\"/><w:listSeparator w:val=\";\"/>\
</w:settings>";

/// Writes `doc` as a DOCX package.
///
/// # Errors
/// A zip error (in memory, so practically never).
pub fn render(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let err = |e: &dyn std::fmt::Display| DocxError(e.to_string());
    let mut lists = Lists { nums: Vec::new() };
    let content = body(doc, &mut lists);
    // The same margins as the PDF: 2.5 cm top, 3 cm left, 2.5 cm right; the bottom leaves
    // room for the paraf boxes when there are any.
    let bottom = if doc.paraf.is_empty() { 1474 } else { 2041 };
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{content}\
<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId2\"/>\
<w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
<w:pgMar w:top=\"1418\" w:right=\"1418\" w:bottom=\"{bottom}\" w:left=\"1701\" w:header=\"709\" w:footer=\"454\" w:gutter=\"0\"/>\
</w:sectPr></w:body></w:document>"
    );
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>Sinergi</dc:creator>\
<dc:language>id-ID</dc:language><dc:description>{}</dc:description></cp:coreProperties>",
        esc(if doc.meta_title.is_empty() {
            &doc.template
        } else {
            &doc.meta_title
        }),
        esc(&doc.template)
    );
    let app = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" \
xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
<Application>Sinergi</Application><DocSecurity>0</DocSecurity><Template>{}</Template>\
<Company>{}</Company><AppVersion>{}</AppVersion></Properties>",
        esc(&doc.template),
        esc(doc
            .letter
            .as_ref()
            .and_then(|l| l.sender.first())
            .map_or("", String::as_str)),
        // AppVersion must look like "XX.YYYY".
        "01.0000"
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let styles = styles();
    let embedded = embedded_fonts();
    let fonts = font_table(&embedded);
    let fonts_rels = font_rels(&embedded);
    let numbering = lists.part();
    let footer = footer(doc);
    let parts: [(&str, &str); 12] = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("word/document.xml", &document),
        ("word/_rels/document.xml.rels", DOC_RELS),
        ("word/styles.xml", &styles),
        ("word/numbering.xml", &numbering),
        ("word/settings.xml", SETTINGS),
        ("word/fontTable.xml", &fonts),
        ("word/_rels/fontTable.xml.rels", &fonts_rels),
        ("word/footer1.xml", &footer),
        ("docProps/core.xml", &core),
        ("docProps/app.xml", &app),
    ];
    for (name, content) in parts {
        zip.start_file(name, opts).map_err(|e| err(&e))?;
        zip.write_all(content.as_bytes()).map_err(|e| err(&e))?;
    }
    for e in &embedded {
        zip.start_file(format!("word/fonts/{}", e.file), opts)
            .map_err(|e| err(&e))?;
        zip.write_all(&e.data).map_err(|e| err(&e))?;
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

    #[test]
    fn obfuscation_xors_the_first_32_bytes_with_the_reversed_key() {
        let key = "{00112233-4455-6677-8899-AABBCCDDEEFF}";
        let out = obfuscate(&[0_u8; 40], key);
        assert_eq!(out[0], 0xFF);
        assert_eq!(out[15], 0x00);
        assert_eq!(out[16], 0xFF);
        assert_eq!(&out[32..], &[0_u8; 8]);
        assert_eq!(
            obfuscate(&out, key),
            vec![0_u8; 40],
            "XOR twice is the original"
        );
        assert_eq!(embedded_fonts().len(), 2, "regular and bold");
    }
}
