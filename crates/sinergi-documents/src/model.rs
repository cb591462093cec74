//! The filled document: one value that the PDF and the DOCX renderers both draw.

use crate::draft::Ayat;
use crate::kind::DocumentKind;
use serde::{Deserialize, Serialize};

/// How the page is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Title block, numbers, opening, identities, Pasal, signatures side by side.
    Agreement,
    /// A letter: place and date, Nomor/Sifat/Lampiran/Hal, addressee, body, one signature.
    Letter,
    /// Minutes: title, opening, numbered sections, signatures side by side.
    Minutes,
}

/// "NOMOR : …" under the title, one per party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberLine {
    pub label: String,
    pub value: String,
}

/// A party's identity in the opening: **name** : description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub name: String,
    pub text: String,
}

/// One article: "Pasal 1" (or a section number), its heading, its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub label: String,
    pub heading: String,
    pub ayat: Vec<Ayat>,
}

/// A signature block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureBlock {
    /// "PIHAK KESATU,".
    pub role: String,
    /// The title in capitals: "GUBERNUR KALIMANTAN TENGAH,".
    pub office: String,
    /// The name in capitals, or a dotted blank.
    pub name: String,
    /// "u.b." line for a signatory under a power of attorney, when any.
    pub note: Option<String>,
}

/// The letter head of a surat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterHead {
    pub sender: Vec<String>,
    /// The sender's lambang daerah as SVG text (drawn by Typst from bytes), when known.
    #[serde(default)]
    pub lambang_svg: Option<String>,
    /// The sender's address lines under the name (street, telephone, e-mail, website).
    #[serde(default)]
    pub address: Vec<String>,
    pub place_date: String,
    pub fields: Vec<NumberLine>,
    pub addressee: Vec<String>,
}

/// The verification mark of an electronically signed final version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub code: String,
    /// The address of the public verification page.
    pub url: String,
    /// The QR code of `url`, as SVG text (drawn by Typst from bytes, never parsed as markup).
    #[serde(default)]
    pub qr_svg: String,
}

/// A filled document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub kind: DocumentKind,
    /// The document's title as its metadata names it (the PDF `/Title`, the DOCX core
    /// title): the title lines, or for a letter its name and subject.
    #[serde(default)]
    pub meta_title: String,
    /// "kb@1": which template version produced it.
    pub template: String,
    pub layout: Layout,
    /// Title lines, centred and bold.
    pub title: Vec<String>,
    pub numbers: Vec<NumberLine>,
    pub letter: Option<LetterHead>,
    pub opening: Vec<String>,
    pub identities: Vec<Identity>,
    /// Text after the identities ("PIHAK KESATU dan PIHAK KEDUA … disebut PARA PIHAK").
    pub after_identities: Vec<String>,
    pub recitals_intro: Option<String>,
    pub recitals: Vec<String>,
    pub recitals_outro: Option<String>,
    pub articles: Vec<Article>,
    pub closing: Vec<String>,
    /// "Ditandatangani di … pada tanggal …" above the signatures (letters).
    pub signature_intro: Option<String>,
    pub signatures: Vec<SignatureBlock>,
    /// Whether to print a paraf box for every party on every page.
    pub paraf: Vec<String>,
    pub verification: Option<Verification>,
    /// A short line in the footer ("Draf versi 3 — bukan naskah final").
    pub footer_note: Option<String>,
    /// When the final version was issued (RFC 3339): the archival PDF's creation date.
    /// Never "now": the store sets it from the finalisation's clock.
    #[serde(default)]
    pub issued_at: Option<String>,
}

/// "a.", "b.", … "z.", "aa.", …
#[must_use]
pub fn letter_label(i: usize) -> String {
    let letters = b"abcdefghijklmnopqrstuvwxyz";
    let mut n = i;
    let mut s = Vec::new();
    loop {
        s.push(letters[n % 26]);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s.reverse();
    format!("{}.", String::from_utf8_lossy(&s))
}

/// "penjajakan" → "Penjajakan", "kajian_tkksd" → "Kajian TKKSD": a meeting kind as a label.
#[must_use]
pub fn meeting_kind_label(kind: &str) -> String {
    match kind {
        "penjajakan" => "Rapat Penjajakan".to_owned(),
        "kajian_tkksd" => "Rapat Kajian TKKSD".to_owned(),
        "negosiasi" => "Rapat Negosiasi".to_owned(),
        "penandatanganan" => "Penandatanganan".to_owned(),
        "koordinasi" => "Rapat Koordinasi".to_owned(),
        "monitoring" => "Rapat Pemantauan".to_owned(),
        _ => "Rapat".to_owned(),
    }
}

impl Document {
    /// The document as plain text, in reading order (for tests, search and the DOCX check).
    #[must_use]
    pub fn plain_text(&self) -> String {
        let mut out: Vec<String> = Vec::new();
        out.extend(self.title.iter().cloned());
        for n in &self.numbers {
            out.push(format!("{} : {}", n.label, n.value));
        }
        if let Some(l) = &self.letter {
            out.extend(l.sender.iter().cloned());
            out.push(l.place_date.clone());
            for f in &l.fields {
                out.push(format!("{} : {}", f.label, f.value));
            }
            out.extend(l.addressee.iter().cloned());
        }
        out.extend(self.opening.iter().cloned());
        for i in &self.identities {
            out.push(format!("{} : {}", i.name, i.text));
        }
        out.extend(self.after_identities.iter().cloned());
        out.extend(self.recitals_intro.iter().cloned());
        for (i, r) in self.recitals.iter().enumerate() {
            out.push(format!("{} {r}", letter_label(i)));
        }
        out.extend(self.recitals_outro.iter().cloned());
        for a in &self.articles {
            out.push(a.label.clone());
            out.push(a.heading.clone());
            for (i, ay) in a.ayat.iter().enumerate() {
                if a.ayat.len() > 1 {
                    out.push(format!("({}) {}", i + 1, ay.plain()));
                } else {
                    out.push(ay.plain());
                }
            }
        }
        out.extend(self.closing.iter().cloned());
        out.extend(self.signature_intro.iter().cloned());
        for s in &self.signatures {
            out.push(format!("{} {} {}", s.role, s.office, s.name));
        }
        out.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_labels() {
        assert_eq!(letter_label(0), "a.");
        assert_eq!(letter_label(25), "z.");
        assert_eq!(letter_label(26), "aa.");
    }
}
