//! A small PDF writer of our own for reports: A4 landscape pages of text tables in the
//! built-in Helvetica (WinAnsi), cells cut to their column, pages broken as needed. The
//! documents work brings Typst; this keeps reports printable without it.

use super::Report;

const W: f64 = 842.0;
const H: f64 = 595.0;
const MARGIN: f64 = 36.0;
const SIZE: f64 = 7.0;
const LINE: f64 = 10.0;

/// Text in WinAnsi: ASCII and Latin-1 kept, dashes and quotes mapped, the rest '?'.
fn winansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '—' | '–' => b'-',
            '‘' | '’' => b'\'',
            '“' | '”' => b'"',
            c if (c as u32) < 256 => u8::try_from(c as u32).unwrap_or(b'?'),
            _ => b'?',
        })
        .collect()
}

fn literal(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![b'('];
    for &b in bytes {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

/// Cuts text to what fits in `width` points (Helvetica averages about half an em).
fn fit(s: &str, width: f64) -> String {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a small positive count"
    )]
    let max = ((width / (SIZE * 0.5)).floor() as usize).max(1);
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('~');
        t
    }
}

struct Pages {
    pages: Vec<Vec<u8>>,
    current: Vec<u8>,
    y: f64,
}

impl Pages {
    fn new() -> Self {
        Self {
            pages: Vec::new(),
            current: Vec::new(),
            y: H - MARGIN,
        }
    }

    fn text(&mut self, x: f64, s: &str, size: f64) {
        self.current
            .extend_from_slice(format!("BT /F1 {size} Tf {x:.1} {:.1} Td ", self.y).as_bytes());
        self.current.extend_from_slice(&literal(&winansi(s)));
        self.current.extend_from_slice(b" Tj ET\n");
    }

    fn line(&mut self, needed: f64) {
        if self.y - needed < MARGIN {
            self.break_page();
        }
        self.y -= needed;
    }

    fn break_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.current));
        self.y = H - MARGIN;
    }
}

/// Renders the report.
pub fn render(r: &Report) -> Vec<u8> {
    let mut p = Pages::new();
    for (i, s) in r.sheets.iter().enumerate() {
        if i > 0 {
            p.break_page();
        }
        p.line(14.0);
        p.text(MARGIN, &r.title, 12.0);
        p.line(LINE);
        p.text(MARGIN, &r.subtitle, SIZE + 1.0);
        p.line(16.0);
        p.text(MARGIN, &s.name, 10.0);
        let cols = s.headers.len().max(1);
        #[expect(clippy::cast_precision_loss, reason = "a handful of columns")]
        let width = (W - 2.0 * MARGIN) / cols as f64;
        let header = |p: &mut Pages| {
            p.line(LINE + 2.0);
            for (c, h) in s.headers.iter().enumerate() {
                #[expect(clippy::cast_precision_loss, reason = "a handful of columns")]
                let x = MARGIN + width * c as f64;
                p.text(x, &fit(h, width - 2.0), SIZE);
            }
        };
        header(&mut p);
        for row in &s.rows {
            if p.y - LINE < MARGIN {
                p.break_page();
                header(&mut p);
            }
            p.line(LINE);
            for (c, cell) in row.iter().enumerate() {
                #[expect(clippy::cast_precision_loss, reason = "a handful of columns")]
                let x = MARGIN + width * c as f64;
                p.text(x, &fit(&cell.text(), width - 2.0), SIZE);
            }
        }
    }
    p.break_page();
    assemble(&p.pages)
}

fn assemble(pages: &[Vec<u8>]) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    let n = pages.len();
    // 1 catalog, 2 pages, 3 font, then (page, contents) pairs.
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    for (i, content) in pages.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {W} {H}] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            )
            .into_bytes(),
        );
        let mut s = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        s.extend_from_slice(content);
        s.extend_from_slice(b"\nendstream");
        objects.push(s);
    }
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
