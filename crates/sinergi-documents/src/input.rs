//! The typed facts a document is filled with, gathered from a case by the caller.
//!
//! Every fact that the sources do not give stays `None` and prints as a dotted blank
//! ("……………"), never as an invented value.

use serde::{Deserialize, Serialize};
use time::Date;

/// The signatory of a party, with the title as printed (acting prefix included:
/// "Pj. Sekretaris Daerah Provinsi Kalimantan Tengah").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatoryInput {
    pub name: String,
    pub title: String,
}

/// One party of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyInput {
    /// 1 for PIHAK KESATU, 2 for PIHAK KEDUA, …
    pub ordinal: u16,
    /// "Pemerintah Provinsi Kalimantan Tengah".
    pub government: String,
    /// The party's number of this document (each party numbers it in its own register).
    pub number: Option<String>,
    pub signatory: Option<SignatoryInput>,
    /// Number of the surat kuasa under which the signatory acts (PKS only).
    pub power_of_attorney: Option<String>,
    /// The unit in charge (Bagian Kerja Sama …), for letters and minutes.
    pub unit: Option<String>,
    /// The government's letterhead (lambang and address), when recorded.
    #[serde(default)]
    pub letterhead: Option<LetterheadInput>,
}

/// What a government's kop surat shows besides its name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterheadInput {
    /// The lambang daerah as SVG text.
    pub lambang_svg: Option<String>,
    /// Address lines: street and city, telephone, e-mail, website.
    pub address: Vec<String>,
}

/// A meeting, for a berita acara.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingInput {
    /// "Penjajakan", "Rapat TKKSD", …
    pub kind: String,
    pub title: String,
    pub date: Option<Date>,
    pub place: Option<String>,
    /// "pukul 10.00 WITA", when known.
    pub time: Option<String>,
    /// "Nuryakin, Pj. Sekretaris Daerah Provinsi Kalimantan Tengah".
    pub participants: Vec<String>,
    pub agenda: Vec<String>,
    pub minutes: Option<String>,
    pub outcomes: Vec<String>,
    pub next_steps: Vec<String>,
}

/// The parent agreement an implementing agreement or an addendum refers to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentInput {
    pub title: String,
    /// Each party's number of the parent, in party order.
    pub numbers: Vec<Option<String>>,
    pub signed_on: Option<Date>,
}

/// Everything a template may use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInput {
    /// The full title of the document as recorded ("Kesepakatan Bersama antara … tentang …").
    pub title: String,
    /// The case's title, used when the document title has no "tentang" part.
    pub case_title: String,
    pub object: Option<String>,
    pub background: Option<String>,
    pub objectives: Vec<String>,
    /// The fields (bidang) of the scope, in order.
    pub fields: Vec<String>,
    /// Where the document is signed.
    pub place: Option<String>,
    /// The date of signing (or of the letter / meeting).
    pub date: Option<Date>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    /// The term in whole years, when agreed.
    pub term_years: Option<u32>,
    /// The budget in sen (1/100 rupiah), when agreed (PKS).
    pub budget_minor: Option<i64>,
    pub parties: Vec<PartyInput>,
    pub parent: Option<ParentInput>,
    /// Addendum: which articles change and why.
    pub changes: Option<String>,
    pub reason: Option<String>,
    pub meeting: Option<MeetingInput>,
    /// Whether the case is fictional demo data (printed as a watermark line).
    pub fictional: bool,
    /// The case is a Sinergi with the central government: its agreement is a Nota
    /// Kesepakatan with a Rencana Kerja (PP 28/2018 Pasal 46), not a Kesepakatan Bersama.
    #[serde(default)]
    pub nota_kesepakatan: bool,
    /// The Rencana Kerja of a Nota Kesepakatan: one line per activity of its work plan.
    #[serde(default)]
    pub work_plan: Vec<String>,
}
