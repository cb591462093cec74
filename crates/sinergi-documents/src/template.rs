//! Templates as versioned data: one TOML file per kind in `templates/`, embedded in the
//! binary. A template declares its parts, its clauses (sections) and which of them are
//! required (domain.md §6.1); [`Template::build`] fills it from a [`DocumentInput`].

use crate::draft::{Ayat, Clause, Draft};
use crate::input::DocumentInput;
use crate::kind::DocumentKind;
use crate::model::{Article, Document, Identity, Layout, LetterHead, NumberLine, SignatureBlock};
use crate::vars::{BLANK, Vars, legal_list};
use serde::Deserialize;

/// A template that cannot be used, or a draft that lacks what the template requires.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("template {template}: {message}")]
    Invalid { template: String, message: String },
    #[error("the draft lacks required sections: {}", .0.join(", "))]
    MissingSections(Vec<String>),
}

/// One paragraph of a section in the template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AyatSpec {
    pub text: String,
    /// A list variable whose items become the lettered list (a., b., …).
    #[serde(default)]
    pub list: Option<String>,
    /// Literal items of the lettered list.
    #[serde(default)]
    pub items: Vec<String>,
    /// Keep each item's capitals (a list of names: participants).
    #[serde(default)]
    pub keep_case: bool,
}

/// One clause of the template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionSpec {
    pub key: String,
    pub heading: String,
    pub ayat: Vec<AyatSpec>,
}

/// The head of a letter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterSpec {
    pub sender: Vec<String>,
    pub place_date: String,
    pub fields: Vec<[String; 2]>,
    pub addressee: Vec<String>,
}

/// Who signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signers {
    /// Every party, side by side.
    Parties,
    /// The first party only (a letter).
    First,
}

/// A template as written in `templates/*.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub kind: DocumentKind,
    /// The template's own code when several serve one kind (`nk` for the Nota Kesepakatan
    /// of a Sinergi); the kind's name otherwise.
    #[serde(default)]
    pub code: Option<String>,
    pub version: u32,
    pub name: String,
    pub layout: Layout,
    /// Parts and section keys that every document of this kind must have (domain.md §6.1).
    pub required: Vec<String>,
    #[serde(default)]
    pub title: Vec<String>,
    /// Label of the per-party number lines under the title ("NOMOR"); none for no numbers.
    #[serde(default)]
    pub number_label: Option<String>,
    #[serde(default)]
    pub letter: Option<LetterSpec>,
    #[serde(default)]
    pub opening: Vec<String>,
    /// The identity of each party; `{{pihak.…}}` names the party's own variables.
    #[serde(default)]
    pub identity: Option<String>,
    /// The identity of a party signing under a surat kuasa.
    #[serde(default)]
    pub identity_kuasa: Option<String>,
    #[serde(default)]
    pub after_identities: Vec<String>,
    #[serde(default)]
    pub recitals_intro: Option<String>,
    #[serde(default)]
    pub recitals: Vec<String>,
    #[serde(default)]
    pub recitals_outro: Option<String>,
    /// "Pasal {n}", "{n}." or "" (no label).
    #[serde(default)]
    pub article_label: String,
    #[serde(default, rename = "section")]
    pub sections: Vec<SectionSpec>,
    #[serde(default)]
    pub closing: Vec<String>,
    #[serde(default)]
    pub signature_intro: Option<String>,
    #[serde(default)]
    pub signers: Option<Signers>,
    /// Print a paraf box for every party on every page.
    #[serde(default)]
    pub paraf: bool,
}

const KB: &str = include_str!("../templates/kb.toml");
const PKS: &str = include_str!("../templates/pks.toml");
const ADDENDUM: &str = include_str!("../templates/addendum.toml");
const PENAWARAN: &str = include_str!("../templates/penawaran.toml");
const BERITA_ACARA: &str = include_str!("../templates/berita-acara.toml");
const NOTA_KESEPAKATAN: &str = include_str!("../templates/nk.toml");

/// Structural parts a template may require, besides its section keys.
pub const PARTS: [&str; 6] = [
    "judul",
    "nomor",
    "pembukaan",
    "identitas",
    "penandatangan",
    "kepala_surat",
];

impl Template {
    /// The embedded template of `kind`.
    ///
    /// # Errors
    /// A template file that does not parse or is inconsistent.
    pub fn embedded(kind: DocumentKind) -> Result<Self, TemplateError> {
        let text = match kind {
            DocumentKind::Kb => KB,
            DocumentKind::Pks => PKS,
            DocumentKind::Addendum => ADDENDUM,
            DocumentKind::Penawaran => PENAWARAN,
            DocumentKind::BeritaAcara => BERITA_ACARA,
        };
        let t = Self::parse(text, kind.as_str())?;
        if t.kind != kind {
            return Err(t.invalid(format!("declares kind {}", t.kind.as_str())));
        }
        Ok(t)
    }

    /// The template of `kind` for a document: the Nota Kesepakatan for the agreement of a
    /// Sinergi (`nota_kesepakatan`), else the kind's own.
    ///
    /// # Errors
    /// As [`Template::embedded`].
    pub fn embedded_for(kind: DocumentKind, nota_kesepakatan: bool) -> Result<Self, TemplateError> {
        if kind == DocumentKind::Kb && nota_kesepakatan {
            let t = Self::parse(NOTA_KESEPAKATAN, "nk")?;
            if t.kind != kind {
                return Err(t.invalid(format!("declares kind {}", t.kind.as_str())));
            }
            return Ok(t);
        }
        Self::embedded(kind)
    }

    /// The template a draft was started from (its recorded id, `nk@1` or `kb@1`).
    ///
    /// # Errors
    /// As [`Template::embedded`].
    pub fn of_draft(kind: DocumentKind, template_id: &str) -> Result<Self, TemplateError> {
        Self::embedded_for(kind, template_id.starts_with("nk@"))
    }

    /// Parses a template and checks that everything it requires is there.
    ///
    /// # Errors
    /// Bad TOML; a required part or section missing; duplicate section keys.
    pub fn parse(text: &str, name: &str) -> Result<Self, TemplateError> {
        let t: Template = toml::from_str(text).map_err(|e| TemplateError::Invalid {
            template: name.to_owned(),
            message: e.to_string(),
        })?;
        for (i, s) in t.sections.iter().enumerate() {
            if t.sections[..i].iter().any(|x| x.key == s.key) {
                return Err(t.invalid(format!("duplicate section {}", s.key)));
            }
        }
        for r in &t.required {
            let present = match r.as_str() {
                "judul" => !t.title.is_empty(),
                "nomor" => t.number_label.is_some(),
                "pembukaan" => !t.opening.is_empty(),
                "identitas" => t.identity.is_some(),
                "penandatangan" => t.signers.is_some(),
                "kepala_surat" => t.letter.is_some(),
                key => t.sections.iter().any(|s| s.key == key),
            };
            if !present {
                return Err(t.invalid(format!("required part {r} is missing")));
            }
        }
        Ok(t)
    }

    fn invalid(&self, message: String) -> TemplateError {
        TemplateError::Invalid {
            template: format!("{}@{}", self.kind.as_str(), self.version),
            message,
        }
    }

    /// "kb@1".
    #[must_use]
    pub fn id(&self) -> String {
        format!(
            "{}@{}",
            self.code.as_deref().unwrap_or(self.kind.as_str()),
            self.version
        )
    }

    /// The required section keys (clauses), without the structural parts.
    #[must_use]
    pub fn required_sections(&self) -> Vec<&str> {
        self.required
            .iter()
            .map(String::as_str)
            .filter(|r| !PARTS.contains(r))
            .collect()
    }

    /// The required sections a draft lacks, in template order.
    #[must_use]
    pub fn missing_sections(&self, draft: &Draft) -> Vec<String> {
        self.required_sections()
            .into_iter()
            .filter(|k| draft.get(k).is_none())
            .map(str::to_owned)
            .collect()
    }

    /// The template's clauses filled from `input`: the first version of a draft.
    ///
    /// # Errors
    /// A placeholder naming an unknown variable.
    pub fn initial_draft(&self, input: &DocumentInput) -> Result<Draft, TemplateError> {
        let vars = Vars::from_input(input);
        self.clauses(&vars)
    }

    fn clauses(&self, vars: &Vars) -> Result<Draft, TemplateError> {
        let mut clauses = Vec::with_capacity(self.sections.len());
        for s in &self.sections {
            let mut ayat = Vec::with_capacity(s.ayat.len());
            for a in &s.ayat {
                let text = self.fill(vars, &a.text)?;
                let mut items = Vec::new();
                for item in &a.items {
                    items.push(self.fill(vars, item)?);
                }
                if let Some(list) = &a.list {
                    let raw = vars.items(list).map_err(|m| self.invalid(m))?;
                    items.extend(legal_list(&raw, a.keep_case, vars.proper()));
                }
                ayat.push(Ayat { text, items });
            }
            clauses.push(Clause {
                key: s.key.clone(),
                heading: self.fill(vars, &s.heading)?,
                ayat,
            });
        }
        Ok(Draft { clauses })
    }

    fn fill(&self, vars: &Vars, text: &str) -> Result<String, TemplateError> {
        vars.fill(text).map_err(|m| self.invalid(m))
    }

    fn fill_all(&self, vars: &Vars, lines: &[String]) -> Result<Vec<String>, TemplateError> {
        let mut out = Vec::with_capacity(lines.len());
        for l in lines {
            // A line "@name" expands to the items of a list variable.
            if let Some(list) = l.strip_prefix('@') {
                out.extend(vars.items(list).map_err(|m| self.invalid(m))?);
            } else {
                out.push(self.fill(vars, l)?);
            }
        }
        Ok(out)
    }

    /// Fills the template; the articles come from `draft` when given.
    ///
    /// # Errors
    /// An unknown variable; a draft without a required section.
    pub fn build(
        &self,
        input: &DocumentInput,
        draft: Option<&Draft>,
    ) -> Result<Document, TemplateError> {
        let vars = Vars::from_input(input);
        let own;
        let draft = match draft {
            Some(d) => {
                let missing = self.missing_sections(d);
                if !missing.is_empty() {
                    return Err(TemplateError::MissingSections(missing));
                }
                d
            }
            None => {
                own = self.clauses(&vars)?;
                &own
            }
        };
        let party_count = input.parties.len().max(2);
        let ordinals: Vec<u16> = (1..=u16::try_from(party_count).unwrap_or(2)).collect();
        let numbers = match &self.number_label {
            Some(label) => ordinals
                .iter()
                .map(|o| {
                    Ok(NumberLine {
                        label: label.clone(),
                        value: self.fill(&vars, &format!("{{{{pihak{o}.nomor}}}}"))?,
                    })
                })
                .collect::<Result<Vec<_>, TemplateError>>()?,
            None => Vec::new(),
        };
        let mut identities = Vec::new();
        if let Some(identity) = &self.identity {
            for o in &ordinals {
                let party = input.parties.iter().find(|p| p.ordinal == *o);
                let spec = match (&self.identity_kuasa, party) {
                    (Some(k), Some(p)) if p.power_of_attorney.is_some() => k,
                    _ => identity,
                };
                let own = spec.replace("{{pihak.", &format!("{{{{pihak{o}."));
                identities.push(Identity {
                    name: self.fill(&vars, &format!("{{{{pihak{o}.nama}}}}"))?,
                    text: self.fill(&vars, &own)?,
                });
            }
        }
        let sender_head = input
            .parties
            .iter()
            .find(|p| p.ordinal == 1)
            .and_then(|p| p.letterhead.clone())
            .unwrap_or_default();
        let letter = match &self.letter {
            Some(l) => Some(LetterHead {
                sender: self.fill_all(&vars, &l.sender)?,
                lambang_svg: sender_head.lambang_svg.clone(),
                address: sender_head.address.clone(),
                place_date: self.fill(&vars, &l.place_date)?,
                fields: l
                    .fields
                    .iter()
                    .map(|[k, v]| {
                        Ok(NumberLine {
                            label: k.clone(),
                            value: self.fill(&vars, v)?,
                        })
                    })
                    .collect::<Result<Vec<_>, TemplateError>>()?,
                addressee: self.fill_all(&vars, &l.addressee)?,
            }),
            None => None,
        };
        let signatures = match self.signers {
            None => Vec::new(),
            Some(who) => {
                let take = if who == Signers::First {
                    1
                } else {
                    ordinals.len()
                };
                ordinals
                    .iter()
                    .take(take)
                    .map(|o| {
                        let party = input.parties.iter().find(|p| p.ordinal == *o);
                        let sig = party.and_then(|p| p.signatory.as_ref());
                        SignatureBlock {
                            role: if who == Signers::First {
                                String::new()
                            } else {
                                format!("{},", sinergi_domain::case::party_role(*o))
                            },
                            office: sig.map_or_else(
                                || format!("{BLANK},"),
                                |s| format!("{},", s.title.to_uppercase()),
                            ),
                            name: sig.map_or_else(|| BLANK.to_owned(), |s| s.name.to_uppercase()),
                            note: party
                                .and_then(|p| p.power_of_attorney.as_ref())
                                .map(|k| format!("berdasarkan Surat Kuasa Nomor {k}")),
                        }
                    })
                    .collect()
            }
        };
        let articles = draft
            .clauses
            .iter()
            .enumerate()
            .map(|(i, c)| Article {
                label: self.article_label.replace("{n}", &(i + 1).to_string()),
                heading: c.heading.clone(),
                ayat: c.ayat.clone(),
            })
            .collect();
        let paraf = if self.paraf {
            ordinals
                .iter()
                .map(|o| sinergi_domain::case::party_role(*o))
                .collect()
        } else {
            Vec::new()
        };
        let title = self.fill_all(&vars, &self.title)?;
        let meta_title = match &letter {
            Some(l) if title.is_empty() => {
                let subject = l
                    .fields
                    .iter()
                    .find(|f| f.label == "Hal")
                    .map(|f| f.value.clone())
                    .unwrap_or_default();
                format!("{}: {subject}", self.name)
            }
            _ => title.join(" "),
        };
        Ok(Document {
            kind: self.kind,
            meta_title,
            template: self.id(),
            layout: self.layout,
            title,
            numbers,
            letter,
            opening: self.fill_all(&vars, &self.opening)?,
            identities,
            after_identities: self.fill_all(&vars, &self.after_identities)?,
            recitals_intro: self
                .recitals_intro
                .as_deref()
                .map(|t| self.fill(&vars, t))
                .transpose()?,
            recitals: self.fill_all(&vars, &self.recitals)?,
            recitals_outro: self
                .recitals_outro
                .as_deref()
                .map(|t| self.fill(&vars, t))
                .transpose()?,
            articles,
            closing: self.fill_all(&vars, &self.closing)?,
            signature_intro: self
                .signature_intro
                .as_deref()
                .map(|t| self.fill(&vars, t))
                .transpose()?,
            signatures,
            paraf,
            verification: None,
            issued_at: None,
            footer_note: input
                .fictional
                .then(|| "FIKTIF — contoh untuk demonstrasi, bukan naskah resmi".to_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_template_parses_and_fills_with_known_variables() {
        for kind in DocumentKind::ALL {
            let t = Template::embedded(kind).unwrap();
            assert_eq!(t.kind, kind);
            let doc = t.build(&DocumentInput::default(), None).unwrap();
            assert!(!doc.plain_text().contains("{{"), "{}", kind.as_str());
        }
    }

    #[test]
    fn a_sinergi_agreement_is_a_nota_kesepakatan_with_its_rencana_kerja() {
        let t = Template::embedded_for(DocumentKind::Kb, true).unwrap();
        assert_eq!(t.id(), "nk@1");
        assert!(t.required.iter().any(|r| r == "rencana_kerja"));
        let doc = t.build(&DocumentInput::default(), None).unwrap();
        let text = doc.plain_text();
        assert!(text.contains("NOTA KESEPAKATAN") && text.contains("RENCANA KERJA"));
        assert!(!text.contains("{{") && !text.contains("Perjanjian Kerja Sama"));
        assert_eq!(
            Template::of_draft(DocumentKind::Kb, "nk@1").unwrap().id(),
            "nk@1"
        );
        assert_eq!(
            Template::of_draft(DocumentKind::Kb, "kb@1").unwrap().id(),
            "kb@1"
        );
        assert_eq!(
            Template::embedded_for(DocumentKind::Pks, true)
                .unwrap()
                .id(),
            "pks@1"
        );
    }

    fn required(kind: DocumentKind) -> Vec<String> {
        Template::embedded(kind).unwrap().required
    }

    #[test]
    fn the_kb_requires_the_common_core_of_domain_6_1() {
        let r = required(DocumentKind::Kb);
        for part in [
            "judul",
            "nomor",
            "pembukaan",
            "identitas",
            "maksud_tujuan",
            "objek",
            "ruang_lingkup",
            "jangka_waktu",
            "penandatangan",
        ] {
            assert!(r.iter().any(|x| x == part), "KB must require {part}");
        }
    }

    #[test]
    fn the_pks_requires_the_common_core_of_domain_6_1() {
        let r = required(DocumentKind::Pks);
        for part in [
            "nomor",
            "identitas",
            "objek",
            "ruang_lingkup",
            "hak_kewajiban",
            "pembiayaan",
            "jangka_waktu",
            "keadaan_kahar",
            "penyelesaian_perselisihan",
            "pengakhiran",
        ] {
            assert!(r.iter().any(|x| x == part), "PKS must require {part}");
        }
    }

    #[test]
    fn a_template_missing_a_required_section_is_refused() {
        let text = KB.replace("key = \"objek\"", "key = \"objek_lain\"");
        let err = Template::parse(&text, "kb").unwrap_err();
        assert!(err.to_string().contains("objek"), "{err}");
    }

    #[test]
    fn a_draft_missing_a_required_section_is_refused() {
        let t = Template::embedded(DocumentKind::Kb).unwrap();
        let mut d = t.initial_draft(&DocumentInput::default()).unwrap();
        d.remove("ruang_lingkup").unwrap();
        assert_eq!(
            t.build(&DocumentInput::default(), Some(&d)),
            Err(TemplateError::MissingSections(vec!["ruang_lingkup".into()]))
        );
    }
}
