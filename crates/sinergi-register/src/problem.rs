//! What can be wrong with a register file or one of its rows, said in Indonesian and English
//! with what to fix.

use serde::Serialize;
use sinergi_domain::lang::Lang;
use time::Date;

use crate::columns::Column;

/// Why a row (or the file) is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// The file could not be read at all.
    Unreadable {
        id: String,
        en: String,
    },
    /// No row above the data names at least three of the register's columns.
    NoHeader,
    /// A column the import needs is not in the header (nor chosen by the user).
    MissingColumn {
        column: Column,
    },
    DateUnreadable {
        column: &'static str,
        text: String,
    },
    /// A date that does not exist ("31 Juni 2023"), refused rather than shifted.
    DateImpossible {
        column: &'static str,
        text: String,
    },
    /// The weekday written does not fall on the date ("Selasa, 10 Agustus 2020").
    DateWeekday {
        column: &'static str,
        text: String,
        actual: Date,
    },
    /// A year alone, or a month and a year.
    DateIncomplete {
        column: &'static str,
        text: String,
    },
    TermUnreadable {
        text: String,
    },
    TermMismatch {
        text: String,
        digits: u32,
        words: u32,
    },
    KindUnknown {
        text: String,
    },
    SubjectMissing,
    SignedOnMissing,
    PartnerMissing,
    /// A government named that is not in the Kemendagri list.
    PartnerUnknown {
        text: String,
    },
    /// A name that fits several governments.
    PartnerAmbiguous {
        text: String,
        candidates: Vec<String>,
    },
    /// The importing region itself is the only party named.
    OnlyOwnRegion,
    /// Refused by the case rules (unknown region, a party twice, an end before the start…).
    Rule {
        code: String,
        id: String,
        en: String,
    },
    /// A PKS or addendum whose KB is neither in the file nor in Sinergi.
    ParentNotFound {
        number: String,
    },
}

fn column_words(column: &str, lang: Lang) -> &'static str {
    match (column, lang) {
        ("signed_on", Lang::Id) => "tanggal penandatanganan",
        ("signed_on", Lang::En) => "signing date",
        ("starts_on", Lang::Id) => "tanggal mulai",
        ("starts_on", Lang::En) => "start date",
        ("ends_on", Lang::Id) => "tanggal berakhir",
        ("ends_on", Lang::En) => "end date",
        (_, Lang::Id) => "tanggal",
        (_, Lang::En) => "date",
    }
}

impl Problem {
    /// What is wrong and what to do, in `lang`.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let id = lang == Lang::Id;
        match self {
            Self::Unreadable { id: i, en } => {
                if id {
                    i.clone()
                } else {
                    en.clone()
                }
            }
            Self::NoHeader => {
                if id {
                    "Baris judul kolom tidak ditemukan: pada 30 baris pertama tidak ada baris yang memuat sedikitnya tiga judul kolom register (mis. Mitra, Tentang, Tanggal). Tambahkan baris judul atau pilih kolom secara manual.".to_owned()
                } else {
                    "No header row found: none of the first 30 rows names at least three register columns (e.g. Partner, Subject, Date). Add a header row or choose the columns by hand.".to_owned()
                }
            }
            Self::MissingColumn { column } => {
                if id {
                    format!(
                        "Kolom \"{}\" tidak ditemukan di baris judul. Pilih kolom mana yang memuatnya.",
                        column.label(Lang::Id)
                    )
                } else {
                    format!(
                        "The \"{}\" column is not in the header. Choose which column holds it.",
                        column.label(Lang::En)
                    )
                }
            }
            Self::DateUnreadable { column, text } => {
                if id {
                    format!(
                        "{} \"{text}\" tidak terbaca. Tulis seperti 14/02/2023 atau 14 Februari 2023.",
                        capital(column_words(column, lang))
                    )
                } else {
                    format!(
                        "The {} \"{text}\" cannot be read. Write it as 14/02/2023 or 14 Februari 2023.",
                        column_words(column, lang)
                    )
                }
            }
            Self::DateImpossible { column, text } => {
                if id {
                    format!(
                        "{} \"{text}\" tidak ada di kalender; periksa hari dan bulannya (tanggal tidak digeser).",
                        capital(column_words(column, lang))
                    )
                } else {
                    format!(
                        "The {} \"{text}\" does not exist; check its day and month (dates are never shifted).",
                        column_words(column, lang)
                    )
                }
            }
            Self::DateWeekday {
                column,
                text,
                actual,
            } => {
                let day = sinergi_domain::locale::day_name(*actual, lang);
                if id {
                    format!(
                        "{} \"{text}\": tanggal itu jatuh pada hari {day}, bukan hari yang tertulis. Perbaiki hari atau tanggalnya.",
                        capital(column_words(column, lang))
                    )
                } else {
                    format!(
                        "The {} \"{text}\" falls on a {day}, not on the weekday written. Correct the weekday or the date.",
                        column_words(column, lang)
                    )
                }
            }
            Self::DateIncomplete { column, text } => {
                if id {
                    format!(
                        "{} \"{text}\" tidak lengkap: diperlukan hari, bulan dan tahun.",
                        capital(column_words(column, lang))
                    )
                } else {
                    format!(
                        "The {} \"{text}\" is incomplete: a day, month and year are needed.",
                        column_words(column, lang)
                    )
                }
            }
            Self::TermUnreadable { text } => {
                if id {
                    format!(
                        "Jangka waktu \"{text}\" tidak terbaca. Tulis seperti \"5 (lima) tahun\" atau \"24 bulan\"."
                    )
                } else {
                    format!(
                        "The term \"{text}\" cannot be read. Write it as \"5 (lima) tahun\" or \"24 bulan\"."
                    )
                }
            }
            Self::TermMismatch {
                text,
                digits,
                words,
            } => {
                if id {
                    format!(
                        "Jangka waktu \"{text}\": angka {digits} tidak sama dengan terbilang {words}."
                    )
                } else {
                    format!(
                        "The term \"{text}\": the digits {digits} differ from the words {words}."
                    )
                }
            }
            Self::KindUnknown { text } => {
                if id {
                    format!(
                        "Jenis dokumen \"{text}\" tidak dikenali. Gunakan KB/Kesepakatan Bersama/MoU, PKS/Perjanjian Kerja Sama, atau Addendum."
                    )
                } else {
                    format!(
                        "The document kind \"{text}\" is not recognised. Use KB/Kesepakatan Bersama/MoU, PKS/Perjanjian Kerja Sama, or Addendum."
                    )
                }
            }
            Self::SubjectMissing => {
                if id {
                    "Kolom tentang/perihal kosong.".to_owned()
                } else {
                    "The subject is empty.".to_owned()
                }
            }
            Self::SignedOnMissing => {
                if id {
                    "Tanggal penandatanganan kosong; register hanya memuat kesepakatan yang sudah ditandatangani.".to_owned()
                } else {
                    "The signing date is empty; a register holds signed agreements only.".to_owned()
                }
            }
            Self::PartnerMissing => {
                if id {
                    "Mitra kosong.".to_owned()
                } else {
                    "The partner is empty.".to_owned()
                }
            }
            Self::PartnerUnknown { text } => {
                if id {
                    format!(
                        "Pemerintah daerah \"{text}\" tidak ada dalam daftar wilayah Kemendagri. Periksa ejaannya (mis. \"Kab. Kapuas\", \"Prov. Kalimantan Selatan\")."
                    )
                } else {
                    format!(
                        "The government \"{text}\" is not in the Kemendagri region list. Check its spelling (e.g. \"Kab. Kapuas\", \"Prov. Kalimantan Selatan\")."
                    )
                }
            }
            Self::PartnerAmbiguous { text, candidates } => {
                if id {
                    format!(
                        "\"{text}\" cocok dengan beberapa daerah: {}. Tulis nama lengkapnya.",
                        candidates.join(", ")
                    )
                } else {
                    format!(
                        "\"{text}\" fits several regions: {}. Write the full name.",
                        candidates.join(", ")
                    )
                }
            }
            Self::OnlyOwnRegion => {
                if id {
                    "Hanya daerah sendiri yang disebut sebagai pihak; tuliskan mitranya.".to_owned()
                } else {
                    "Only the importing region is named as a party; name the partner.".to_owned()
                }
            }
            Self::Rule { id: i, en, .. } => {
                if id {
                    i.clone()
                } else {
                    en.clone()
                }
            }
            Self::ParentNotFound { number } => {
                if id {
                    format!(
                        "KB induk nomor \"{number}\" tidak ada di file ini maupun di Sinergi. Impor KB-nya terlebih dahulu, atau perbaiki nomornya."
                    )
                } else {
                    format!(
                        "The parent KB number \"{number}\" is neither in this file nor in Sinergi. Import the KB first, or correct the number."
                    )
                }
            }
        }
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
