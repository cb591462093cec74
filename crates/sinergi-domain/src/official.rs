//! Officials (pejabat) with their acting titles and terms, and the TKKSD.

use crate::error::{Checker, DomainError, FieldError};
use crate::ids::{OfficialId, TkksdId};
use crate::region::RegionCode;
use serde::{Deserialize, Serialize};
use time::Date;

/// Whether an official holds the office definitively or acts in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActingStatus {
    /// Pejabat definitif.
    Definitif,
    /// Penjabat (Pj.).
    Pj,
    /// Pelaksana tugas (Plt.).
    Plt,
    /// Pelaksana harian (Plh.).
    Plh,
}

impl ActingStatus {
    /// The prefix printed before the title: "Pj. ", "Plt. ", "Plh. " or nothing.
    #[must_use]
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Definitif => "",
            Self::Pj => "Pj. ",
            Self::Plt => "Plt. ",
            Self::Plh => "Plh. ",
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Definitif => "definitif",
            Self::Pj => "pj",
            Self::Plt => "plt",
            Self::Plh => "plh",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "definitif" => Self::Definitif,
            "pj" => Self::Pj,
            "plt" => Self::Plt,
            "plh" => Self::Plh,
            _ => return None,
        })
    }
}

/// The kind of office, which decides what an official may sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfficeKind {
    /// Gubernur, Bupati or Wali Kota: signs the penawaran and the KB.
    KepalaDaerah,
    WakilKepalaDaerah,
    /// Sekretaris Daerah, chair of the TKKSD.
    Sekda,
    /// Head of an agency (OPD); may sign a PKS with a surat kuasa.
    KepalaPerangkatDaerah,
    Lainnya,
}

impl OfficeKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::KepalaDaerah => "kepala_daerah",
            Self::WakilKepalaDaerah => "wakil_kepala_daerah",
            Self::Sekda => "sekda",
            Self::KepalaPerangkatDaerah => "kepala_perangkat_daerah",
            Self::Lainnya => "lainnya",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "kepala_daerah" => Self::KepalaDaerah,
            "wakil_kepala_daerah" => Self::WakilKepalaDaerah,
            "sekda" => Self::Sekda,
            "kepala_perangkat_daerah" => Self::KepalaPerangkatDaerah,
            "lainnya" => Self::Lainnya,
            _ => return None,
        })
    }
}

/// An official as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Official {
    pub id: OfficialId,
    pub region: RegionCode,
    pub name: String,
    /// Jabatan, e.g. "Gubernur Kalimantan Tengah" or "Sekretaris Daerah Provinsi Bali".
    pub position: String,
    pub office: OfficeKind,
    pub acting: ActingStatus,
    pub unit: Option<String>,
    pub nip: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Start of the term; `None` when not known.
    pub term_start: Option<Date>,
    /// End of the term; `None` when open or not known.
    pub term_end: Option<Date>,
}

impl Official {
    /// The title as printed: "Pj. Sekretaris Daerah Provinsi Kalimantan Tengah".
    #[must_use]
    pub fn title(&self) -> String {
        format!("{}{}", self.acting.prefix(), self.position)
    }

    /// Whether the known term covers the date. An unknown bound does not contradict.
    #[must_use]
    pub fn in_office_on(&self, date: Date) -> bool {
        self.term_start.is_none_or(|s| s <= date) && self.term_end.is_none_or(|e| date <= e)
    }
}

/// What an official signs, for the signatory rule (domain.md §4, §6; §15 items 46, 47, 40).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Instrument {
    /// The surat penawaran: the kepala daerah only (an OPD cannot send an offer).
    Penawaran,
    /// A Kesepakatan Bersama, or an addendum to one: the kepala daerah only, never by power
    /// of attorney.
    Kb,
    /// A Perjanjian Kerja Sama, or an addendum to one: the kepala daerah, or an official
    /// holding a surat kuasa for this document.
    Pks,
    /// Other papers (berita acara): no rule on the signatory.
    Other,
}

impl Instrument {
    fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Self::Penawaran => lang.pick("surat penawaran", "the offer letter"),
            Self::Kb => lang.pick("Kesepakatan Bersama", "a Kesepakatan Bersama"),
            Self::Pks => lang.pick("Perjanjian Kerja Sama", "a Perjanjian Kerja Sama"),
            Self::Other => lang.pick("naskah", "the document"),
        }
    }
}

/// The one signatory rule: whether `o` may sign `what` for its region. `power_of_attorney`
/// says whether the official holds a surat kuasa for this document. A Plh. kepala daerah signs
/// a penawaran or a KB only where the rule set allows it ([P], with its legal reference).
///
/// # Errors
/// `kb.signatory_not_head_of_region` (KB), `case.offer_not_signed_by_head` /
/// `case.offer_signed_by_plh` (penawaran), `pks.power_of_attorney_required` (PKS),
/// `kb.no_power_of_attorney`.
pub fn may_sign(
    what: Instrument,
    o: &Official,
    power_of_attorney: bool,
    rules: &crate::rules::RuleSet,
) -> Result<(), DomainError> {
    use crate::Lang::{En, Id};
    let head = o.office == OfficeKind::KepalaDaerah;
    let plh = o.acting == ActingStatus::Plh;
    match what {
        Instrument::Penawaran if !head => Err(DomainError::guard(
            "case.offer_not_signed_by_head",
            "Surat penawaran harus ditandatangani kepala daerah; perangkat daerah tidak dapat mengirim penawaran.",
            "The offer letter must be signed by the head of region; an agency cannot send an offer.",
        )),
        Instrument::Penawaran if plh && !rules.plh_may_sign_offer => Err(DomainError::guard(
            "case.offer_signed_by_plh",
            format!(
                "{} ({}) adalah pelaksana harian; Plh. tidak berwenang menandatangani surat penawaran (UU 30/2014 Pasal 14 ayat (7)). Surat ditandatangani kepala daerah definitif, Pj. atau Plt.",
                o.name,
                o.title()
            ),
            format!(
                "{} ({}) is a daily acting official (Plh.); a Plh. may not sign the offer letter (Law 30/2014 art. 14(7)). It is signed by the definitive, Pj. or Plt. head of region.",
                o.name,
                o.title()
            ),
        )),
        Instrument::Kb if !head || (plh && !rules.plh_may_sign_kb) => Err(DomainError::guard(
            "kb.signatory_not_head_of_region",
            format!(
                "{} ({}) bukan kepala daerah {}; {} hanya ditandatangani kepala daerah (definitif, Pj. atau Plt.; bukan Plh.).",
                o.name,
                o.title(),
                o.region,
                what.label(Id)
            ),
            format!(
                "{} ({}) is not the head of region {}; {} is signed only by the head of region (definitive, Pj. or Plt.; not a Plh.).",
                o.name,
                o.title(),
                o.region,
                what.label(En)
            ),
        )),
        Instrument::Kb if power_of_attorney => Err(DomainError::guard(
            "kb.no_power_of_attorney",
            "Kesepakatan Bersama tidak dapat ditandatangani dengan surat kuasa.",
            "A Kesepakatan Bersama cannot be signed under a power of attorney.",
        )),
        Instrument::Pks if (!head || plh) && !power_of_attorney => Err(DomainError::guard(
            "pks.power_of_attorney_required",
            format!(
                "{} ({}) bukan kepala daerah; penandatanganan PKS olehnya memerlukan surat kuasa dari kepala daerah.",
                o.name,
                o.title()
            ),
            format!(
                "{} ({}) is not the head of region; signing the PKS needs a power of attorney from the head of region.",
                o.name,
                o.title()
            ),
        )),
        _ => Ok(()),
    }
}

/// Input for a new official.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewOfficialInput {
    pub name: String,
    pub position: String,
    pub office: OfficeKind,
    #[serde(default = "default_acting")]
    pub acting: ActingStatus,
    pub unit: Option<String>,
    pub nip: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub term_start: Option<Date>,
    pub term_end: Option<Date>,
}

fn default_acting() -> ActingStatus {
    ActingStatus::Definitif
}

impl NewOfficialInput {
    /// Validates the input into an official of `region`.
    ///
    /// # Errors
    /// Field errors for missing or overlong text and terms that end before they start.
    pub fn validate(&self, id: OfficialId, region: RegionCode) -> Result<Official, DomainError> {
        let mut c = Checker::default();
        let name = c.text("name", &self.name, 200);
        let position = c.text("position", &self.position, 300);
        let unit = c.opt_text("unit", self.unit.as_deref(), 300);
        let nip = c.opt_text("nip", self.nip.as_deref(), 30);
        if let Some(n) = &nip
            && !(n.len() == 18 && n.chars().all(|ch| ch.is_ascii_digit()))
        {
            c.push(FieldError::new(
                "nip",
                "invalid",
                "NIP harus 18 digit angka.",
                "The NIP must be 18 digits.",
            ));
        }
        let email = c.opt_text("email", self.email.as_deref(), 200);
        if let Some(e) = &email
            && !e.contains('@')
        {
            c.push(FieldError::new(
                "email",
                "invalid",
                "Alamat surel tidak valid.",
                "The e-mail address is invalid.",
            ));
        }
        let phone = c.opt_text("phone", self.phone.as_deref(), 40);
        c.finish()?;
        if let (Some(s), Some(e)) = (self.term_start, self.term_end)
            && e < s
        {
            return Err(DomainError::DatesOutOfOrder {
                earlier: "term_start".into(),
                later: "term_end".into(),
            });
        }
        Ok(Official {
            id,
            region,
            name,
            position,
            office: self.office,
            acting: self.acting,
            unit,
            nip,
            email,
            phone,
            term_start: self.term_start,
            term_end: self.term_end,
        })
    }
}

/// Position in the TKKSD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TkksdPosition {
    Ketua,
    Wakil,
    Sekretaris,
    Anggota,
}

impl TkksdPosition {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ketua => "ketua",
            Self::Wakil => "wakil",
            Self::Sekretaris => "sekretaris",
            Self::Anggota => "anggota",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "ketua" => Self::Ketua,
            "wakil" => Self::Wakil,
            "sekretaris" => Self::Sekretaris,
            "anggota" => Self::Anggota,
            _ => return None,
        })
    }
}

/// A member of a TKKSD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TkksdMember {
    pub official: OfficialId,
    pub position: TkksdPosition,
}

/// A region's Tim Koordinasi Kerja Sama Daerah, formed by the kepala daerah's decree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Tkksd {
    pub id: TkksdId,
    pub region: RegionCode,
    pub decree_number: Option<String>,
    pub decree_date: Option<Date>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub secretariat_unit: Option<String>,
    pub members: Vec<TkksdMember>,
}

/// Input for a TKKSD.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewTkksdInput {
    pub decree_number: Option<String>,
    pub decree_date: Option<Date>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub secretariat_unit: Option<String>,
    #[serde(default)]
    pub members: Vec<TkksdMember>,
}

impl NewTkksdInput {
    /// Validates the TKKSD; officials must belong to the region (checked by the caller,
    /// which knows them: `official_region` answers the region of an official id).
    ///
    /// # Errors
    /// Field errors; a member listed twice; a member from another region; two chairs.
    pub fn validate(
        &self,
        id: TkksdId,
        region: RegionCode,
        official_region: impl Fn(OfficialId) -> Option<RegionCode>,
    ) -> Result<Tkksd, DomainError> {
        let mut c = Checker::default();
        let decree_number = c.opt_text("decree_number", self.decree_number.as_deref(), 200);
        let secretariat_unit =
            c.opt_text("secretariat_unit", self.secretariat_unit.as_deref(), 300);
        let mut seen = std::collections::HashSet::new();
        for (i, m) in self.members.iter().enumerate() {
            if !seen.insert(m.official) {
                c.push(FieldError::new(
                    format!("members[{i}].official"),
                    "duplicate",
                    "Anggota TKKSD dicantumkan lebih dari sekali.",
                    "A TKKSD member is listed more than once.",
                ));
            }
            match official_region(m.official) {
                None => c.push(FieldError::new(
                    format!("members[{i}].official"),
                    "unknown",
                    format!("Pejabat {} tidak ditemukan.", m.official),
                    format!("Official {} was not found.", m.official),
                )),
                Some(r) if r != region => c.push(FieldError::new(
                    format!("members[{i}].official"),
                    "other_region",
                    "Anggota TKKSD harus pejabat daerah yang sama.",
                    "TKKSD members must be officials of the same region.",
                )),
                Some(_) => {}
            }
        }
        if self
            .members
            .iter()
            .filter(|m| m.position == TkksdPosition::Ketua)
            .count()
            > 1
        {
            c.push(FieldError::new(
                "members",
                "two_chairs",
                "TKKSD hanya memiliki satu ketua.",
                "A TKKSD has only one chair.",
            ));
        }
        c.finish()?;
        if let (Some(s), Some(e)) = (self.period_start, self.period_end)
            && e < s
        {
            return Err(DomainError::DatesOutOfOrder {
                earlier: "period_start".into(),
                later: "period_end".into(),
            });
        }
        Ok(Tkksd {
            id,
            region,
            decree_number,
            decree_date: self.decree_date,
            period_start: self.period_start,
            period_end: self.period_end,
            secretariat_unit,
            members: self.members.clone(),
        })
    }
}
