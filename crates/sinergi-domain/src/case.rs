//! The cooperation case: kind, parties, fields and urusan, objectives, stage.

use crate::catalog::catalog;
use crate::error::{Checker, DomainError, FieldError};
use crate::ids::{CaseId, OfficialId};
use crate::region::{RegionCode, RegionFacts, wajib_pair_allowed};
use crate::rules::RuleSet;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use time::{Date, OffsetDateTime};

/// Kind of cooperation (PP 28/2018).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// KSDD – Kerja Sama Wajib: bordering regions only.
    KsddWajib,
    /// KSDD – Kerja Sama Sukarela: any regions.
    KsddSukarela,
    /// KSD with a third party (pihak ketiga).
    Ksdpk,
    /// KSD with a foreign local government.
    Ksdpl,
    /// KSD with a foreign institution.
    Ksdll,
    /// Sinergi with a central government agency (Nota Kesepakatan).
    Sinergi,
}

impl CaseKind {
    pub const ALL: [CaseKind; 6] = [
        Self::KsddWajib,
        Self::KsddSukarela,
        Self::Ksdpk,
        Self::Ksdpl,
        Self::Ksdll,
        Self::Sinergi,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::KsddWajib => "ksdd_wajib",
            Self::KsddSukarela => "ksdd_sukarela",
            Self::Ksdpk => "ksdpk",
            Self::Ksdpl => "ksdpl",
            Self::Ksdll => "ksdll",
            Self::Sinergi => "sinergi",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether every party must be a daerah (province, regency or city).
    #[must_use]
    pub fn all_parties_are_daerah(self) -> bool {
        matches!(self, Self::KsddWajib | Self::KsddSukarela)
    }

    #[must_use]
    pub fn label_id(self) -> &'static str {
        match self {
            Self::KsddWajib => "Kerja Sama Daerah dengan Daerah Lain – Wajib",
            Self::KsddSukarela => "Kerja Sama Daerah dengan Daerah Lain – Sukarela",
            Self::Ksdpk => "Kerja Sama Daerah dengan Pihak Ketiga",
            Self::Ksdpl => "Kerja Sama Daerah dengan Pemerintah Daerah di Luar Negeri",
            Self::Ksdll => "Kerja Sama Daerah dengan Lembaga di Luar Negeri",
            Self::Sinergi => "Sinergi dengan Pemerintah Pusat",
        }
    }
}

/// Whether the case started with our offer or with an offer we received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Keluar: the first party initiates and sends the offer.
    #[default]
    Keluar,
    /// Masuk: the case begins with an offer received from the partner.
    Masuk,
}

impl Direction {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keluar => "keluar",
            Self::Masuk => "masuk",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "keluar" => Some(Self::Keluar),
            "masuk" => Some(Self::Masuk),
            _ => None,
        }
    }
}

/// The shared stage of a case (domain.md §15 item 25).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Stage {
    UsulanDraft,
    DiajukanKeTkksd,
    KajianTkksd,
    PerluPerbaikan,
    DitolakInternal,
    PenawaranDisiapkan,
    PenawaranDikirim,
    PenawaranMasuk,
    MenungguJawaban,
    DitolakMitra,
    JawabanDikirim,
    PenyusunanKb,
    KbFinal,
    KbDitandatangani,
    MenungguDprd,
    DitolakDprd,
    Aktif,
    Berakhir,
    DiakhiriDini,
    Dibatalkan,
}

impl Stage {
    pub const ALL: [Stage; 20] = [
        Self::UsulanDraft,
        Self::DiajukanKeTkksd,
        Self::KajianTkksd,
        Self::PerluPerbaikan,
        Self::DitolakInternal,
        Self::PenawaranDisiapkan,
        Self::PenawaranDikirim,
        Self::PenawaranMasuk,
        Self::MenungguJawaban,
        Self::DitolakMitra,
        Self::JawabanDikirim,
        Self::PenyusunanKb,
        Self::KbFinal,
        Self::KbDitandatangani,
        Self::MenungguDprd,
        Self::DitolakDprd,
        Self::Aktif,
        Self::Berakhir,
        Self::DiakhiriDini,
        Self::Dibatalkan,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UsulanDraft => "USULAN_DRAFT",
            Self::DiajukanKeTkksd => "DIAJUKAN_KE_TKKSD",
            Self::KajianTkksd => "KAJIAN_TKKSD",
            Self::PerluPerbaikan => "PERLU_PERBAIKAN",
            Self::DitolakInternal => "DITOLAK_INTERNAL",
            Self::PenawaranDisiapkan => "PENAWARAN_DISIAPKAN",
            Self::PenawaranDikirim => "PENAWARAN_DIKIRIM",
            Self::PenawaranMasuk => "PENAWARAN_MASUK",
            Self::MenungguJawaban => "MENUNGGU_JAWABAN",
            Self::DitolakMitra => "DITOLAK_MITRA",
            Self::JawabanDikirim => "JAWABAN_DIKIRIM",
            Self::PenyusunanKb => "PENYUSUNAN_KB",
            Self::KbFinal => "KB_FINAL",
            Self::KbDitandatangani => "KB_DITANDATANGANI",
            Self::MenungguDprd => "MENUNGGU_DPRD",
            Self::DitolakDprd => "DITOLAK_DPRD",
            Self::Aktif => "AKTIF",
            Self::Berakhir => "BERAKHIR",
            Self::DiakhiriDini => "DIAKHIRI_DINI",
            Self::Dibatalkan => "DIBATALKAN",
        }
    }

    /// Parses `KB_DITANDATANGANI` or `kb_ditandatangani`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        let upper = s.trim().to_ascii_uppercase();
        Self::ALL.into_iter().find(|st| st.as_str() == upper)
    }

    /// Final stages: nothing moves a case out of them.
    #[must_use]
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::DitolakInternal
                | Self::DitolakMitra
                | Self::Berakhir
                | Self::DiakhiriDini
                | Self::Dibatalkan
        )
    }

    /// Whether the Kesepakatan Bersama has been signed at this stage.
    #[must_use]
    pub fn kb_signed(self) -> bool {
        matches!(
            self,
            Self::KbDitandatangani
                | Self::MenungguDprd
                | Self::DitolakDprd
                | Self::Aktif
                | Self::Berakhir
                | Self::DiakhiriDini
        )
    }

    /// Indonesian label.
    #[must_use]
    pub fn label_id(self) -> &'static str {
        match self {
            Self::UsulanDraft => "Usulan (draf)",
            Self::DiajukanKeTkksd => "Diajukan ke TKKSD",
            Self::KajianTkksd => "Kajian TKKSD",
            Self::PerluPerbaikan => "Perlu perbaikan",
            Self::DitolakInternal => "Ditolak (internal)",
            Self::PenawaranDisiapkan => "Penawaran disiapkan",
            Self::PenawaranDikirim => "Penawaran dikirim",
            Self::PenawaranMasuk => "Penawaran masuk",
            Self::MenungguJawaban => "Menunggu jawaban",
            Self::DitolakMitra => "Ditolak mitra",
            Self::JawabanDikirim => "Jawaban dikirim",
            Self::PenyusunanKb => "Penyusunan Kesepakatan Bersama",
            Self::KbFinal => "Kesepakatan Bersama final",
            Self::KbDitandatangani => "Kesepakatan Bersama ditandatangani",
            Self::MenungguDprd => "Menunggu persetujuan DPRD",
            Self::DitolakDprd => "Ditolak DPRD",
            Self::Aktif => "Aktif",
            Self::Berakhir => "Berakhir",
            Self::DiakhiriDini => "Diakhiri lebih awal",
            Self::Dibatalkan => "Dibatalkan",
        }
    }

    /// English label.
    #[must_use]
    pub fn label_en(self) -> &'static str {
        match self {
            Self::UsulanDraft => "Draft proposal",
            Self::DiajukanKeTkksd => "Submitted to the TKKSD",
            Self::KajianTkksd => "TKKSD review",
            Self::PerluPerbaikan => "Needs revision",
            Self::DitolakInternal => "Rejected internally",
            Self::PenawaranDisiapkan => "Offer being prepared",
            Self::PenawaranDikirim => "Offer sent",
            Self::PenawaranMasuk => "Offer received",
            Self::MenungguJawaban => "Awaiting reply",
            Self::DitolakMitra => "Declined by partner",
            Self::JawabanDikirim => "Reply sent",
            Self::PenyusunanKb => "Drafting the agreement (KB)",
            Self::KbFinal => "Agreement (KB) final",
            Self::KbDitandatangani => "Agreement (KB) signed",
            Self::MenungguDprd => "Awaiting DPRD approval",
            Self::DitolakDprd => "Rejected by the DPRD",
            Self::Aktif => "Active",
            Self::Berakhir => "Ended",
            Self::DiakhiriDini => "Terminated early",
            Self::Dibatalkan => "Cancelled",
        }
    }
}

/// A party's own internal progress, kept beside the shared stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartyStatus {
    Persiapan,
    KajianTkksd,
    DisetujuiTkksd,
    PenawaranDikirim,
    PenawaranDiterima,
    JawabanDikirim,
    PenyusunanNaskah,
    MenungguDprd,
    DisetujuiDprd,
    DitolakDprd,
    SiapDitandatangani,
    Ditandatangani,
    Pelaksanaan,
    Selesai,
}

impl PartyStatus {
    pub const ALL: [PartyStatus; 14] = [
        Self::Persiapan,
        Self::KajianTkksd,
        Self::DisetujuiTkksd,
        Self::PenawaranDikirim,
        Self::PenawaranDiterima,
        Self::JawabanDikirim,
        Self::PenyusunanNaskah,
        Self::MenungguDprd,
        Self::DisetujuiDprd,
        Self::DitolakDprd,
        Self::SiapDitandatangani,
        Self::Ditandatangani,
        Self::Pelaksanaan,
        Self::Selesai,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Persiapan => "persiapan",
            Self::KajianTkksd => "kajian_tkksd",
            Self::DisetujuiTkksd => "disetujui_tkksd",
            Self::PenawaranDikirim => "penawaran_dikirim",
            Self::PenawaranDiterima => "penawaran_diterima",
            Self::JawabanDikirim => "jawaban_dikirim",
            Self::PenyusunanNaskah => "penyusunan_naskah",
            Self::MenungguDprd => "menunggu_dprd",
            Self::DisetujuiDprd => "disetujui_dprd",
            Self::DitolakDprd => "ditolak_dprd",
            Self::SiapDitandatangani => "siap_ditandatangani",
            Self::Ditandatangani => "ditandatangani",
            Self::Pelaksanaan => "pelaksanaan",
            Self::Selesai => "selesai",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The two PP 28/2018 conditions that decide whether a party needs its DPRD's approval,
/// and the DPRD's decision once made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DprdAssessment {
    /// The cooperation burdens the public and the region (membebani masyarakat dan daerah).
    pub burdens_public: Option<bool>,
    /// Its funding is already budgeted in the current year's APBD.
    pub budgeted_in_current_apbd: Option<bool>,
    pub justification: Option<String>,
    /// `Some(true)` approved, `Some(false)` rejected, `None` not decided.
    pub approved: Option<bool>,
    pub decision_number: Option<String>,
    pub decision_date: Option<Date>,
}

impl DprdAssessment {
    /// Whether DPRD approval is required: `None` while a condition is unassessed.
    #[must_use]
    pub fn required(&self, kind: CaseKind, rules: &RuleSet) -> Option<bool> {
        if matches!(kind, CaseKind::Ksdpl | CaseKind::Ksdll) && rules.foreign_always_needs_dprd {
            return Some(true);
        }
        match (self.burdens_public, self.budgeted_in_current_apbd) {
            (Some(true), _) | (_, Some(false)) => Some(true),
            (Some(false), Some(true)) => Some(false),
            _ => None,
        }
    }
}

/// Contact details of a party's unit in charge (PPKSD / Bagian Kerja Sama).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Contact {
    pub unit: Option<String>,
    pub name: Option<String>,
    pub position: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// One party of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Party {
    /// 1 for PIHAK KESATU, 2 for PIHAK KEDUA, …
    pub ordinal: u16,
    /// The region, for a government party.
    pub region: Option<RegionCode>,
    /// The display name ("Pemerintah Provinsi Bali", or a third party's name).
    pub name: String,
    pub status: PartyStatus,
    /// The party's own register number for this case, if it keeps one.
    pub document_number: Option<String>,
    pub signatory: Option<OfficialId>,
    pub contact: Contact,
    pub dprd: DprdAssessment,
    /// The party's own acts on the shared case: its TKKSD review of an offer it received,
    /// its reply, a pending proposal to end or cancel the case.
    #[serde(default)]
    pub acts: PartyActs,
}

impl Party {
    /// The government's short name for messages: "Provinsi Bali", "Kota Palangkaraya".
    #[must_use]
    pub fn short_name(&self) -> &str {
        self.name.strip_prefix("Pemerintah ").unwrap_or(&self.name)
    }
}

/// A TKKSD's recommendation on an offer its region received, recorded by that region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OfferReview {
    pub recommendation: crate::workflow::Recommendation,
    pub reviewer: OfficialId,
    pub on: Date,
}

/// A party's reply to the offer it received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OfferReply {
    pub accepted: bool,
    pub letter: Option<crate::ids::LetterId>,
    pub on: Date,
}

/// What a joint act does once every government party has consented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JointAct {
    /// Cancel the case after the offer was sent.
    Cancel,
    /// End the active cooperation before its term, by agreement of the parties.
    End,
}

impl JointAct {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cancel => "cancel",
            Self::End => "end",
        }
    }

    /// The act's name for people.
    #[must_use]
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Self::Cancel => lang.pick("pembatalan kerja sama", "cancelling the cooperation"),
            Self::End => lang.pick("pengakhiran kerja sama", "ending the cooperation"),
        }
    }
}

/// One party's consent to a joint act, waiting for the other parties'.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct JointConsent {
    pub act: JointAct,
    pub reason: Option<TerminationReason>,
    pub effective_on: Option<Date>,
    pub note: Option<String>,
    /// Who consented (the history label of the user).
    pub by: String,
    pub on: Date,
}

/// A party's own acts on the shared case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PartyActs {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_review: Option<OfferReview>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<OfferReply>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<JointConsent>,
}

/// The role label of a party: "PIHAK KESATU", "PIHAK KEDUA", …
#[must_use]
pub fn party_role(ordinal: u16) -> String {
    const WORDS: [&str; 10] = [
        "KESATU",
        "KEDUA",
        "KETIGA",
        "KEEMPAT",
        "KELIMA",
        "KEENAM",
        "KETUJUH",
        "KEDELAPAN",
        "KESEMBILAN",
        "KESEPULUH",
    ];
    match WORDS.get(usize::from(ordinal.saturating_sub(1))) {
        Some(w) => format!("PIHAK {w}"),
        None => format!("PIHAK KE-{ordinal}"),
    }
}

/// A cooperation field (bidang) of the case, mapped to one or more urusan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CaseField {
    pub ordinal: u16,
    /// Reference field code, when the field is one of the catalogue's.
    pub code: Option<String>,
    pub label: String,
    pub priority: bool,
    /// Urusan codes (many-to-many).
    pub urusan: Vec<String>,
}

/// Why and when an active cooperation ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Termination {
    pub reason: TerminationReason,
    pub effective_on: Date,
    pub note: Option<String>,
    /// What the parties still owe each other when it ends: ending a cooperation does not
    /// cancel obligations already due (domain.md Stage 10 [P]).
    #[serde(default)]
    pub outstanding_obligations: Option<String>,
}

/// Grounds for ending a cooperation (predecessor list, kept in the regional rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TerminationReason {
    JangkaWaktuHabis,
    KesepakatanParaPihak,
    TujuanTercapai,
    KeadaanKahar,
    Wanprestasi,
    DigantiPerjanjianBaru,
    PerubahanKebijakan,
    ObjekMusnah,
    MerugikanKepentinganNasional,
}

impl TerminationReason {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::JangkaWaktuHabis => "jangka_waktu_habis",
            Self::KesepakatanParaPihak => "kesepakatan_para_pihak",
            Self::TujuanTercapai => "tujuan_tercapai",
            Self::KeadaanKahar => "keadaan_kahar",
            Self::Wanprestasi => "wanprestasi",
            Self::DigantiPerjanjianBaru => "diganti_perjanjian_baru",
            Self::PerubahanKebijakan => "perubahan_kebijakan",
            Self::ObjekMusnah => "objek_musnah",
            Self::MerugikanKepentinganNasional => "merugikan_kepentingan_nasional",
        }
    }
}

/// A case as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Case {
    pub id: CaseId,
    pub kind: CaseKind,
    pub direction: Direction,
    pub title: String,
    pub object: Option<String>,
    pub background: Option<String>,
    pub stage: Stage,
    pub version: i64,
    pub published: bool,
    pub fictional: bool,
    /// The offer has reached the other parties (sent, or the case began with an offer
    /// received): from then on they see the case; before, it is the initiator's internal work.
    #[serde(default)]
    pub offered: bool,
    pub predecessor: Option<CaseId>,
    pub parties: Vec<Party>,
    pub fields: Vec<CaseField>,
    pub objectives: Vec<String>,
    pub sources: Vec<String>,
    pub termination: Option<Termination>,
    /// The rule set the case was opened under; it keeps it when a newer one takes effect
    /// (absent on a case recorded before cases kept theirs: the set in force on its first day).
    #[serde(default)]
    pub rule_set: Option<crate::rules::RuleSetRef>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

impl Case {
    /// The party of a region.
    #[must_use]
    pub fn party_of(&self, region: &RegionCode) -> Option<&Party> {
        self.parties
            .iter()
            .find(|p| p.region.as_ref() == Some(region))
    }

    /// The party with an ordinal.
    #[must_use]
    pub fn party(&self, ordinal: u16) -> Option<&Party> {
        self.parties.iter().find(|p| p.ordinal == ordinal)
    }

    /// The initiating party (PIHAK KESATU: it prepared the proposal and sends the offer).
    #[must_use]
    pub fn initiator(&self) -> Option<&Party> {
        self.parties.first()
    }

    /// The government parties, which each act for themselves.
    pub fn government_parties(&self) -> impl Iterator<Item = &Party> {
        self.parties.iter().filter(|p| p.region.is_some())
    }

    /// The partners outside Sinergi (a third party, a foreign government or institution, a
    /// central agency), when the initiator is the only government of the case: they have no
    /// accounts here, so the initiator's secretariat records their receipt of the offer and
    /// their answer.
    #[must_use]
    pub fn partners_outside(&self) -> Vec<u16> {
        if self.government_parties().count() > 1 {
            return Vec::new();
        }
        self.parties
            .iter()
            .skip(1)
            .filter(|p| p.region.is_none())
            .map(|p| p.ordinal)
            .collect()
    }

    /// The distinct urusan of all fields, in first-seen order.
    #[must_use]
    pub fn urusan(&self) -> Vec<String> {
        let mut seen = HashSet::new();
        self.fields
            .iter()
            .flat_map(|f| f.urusan.iter())
            .filter(|u| seen.insert(u.as_str()))
            .cloned()
            .collect()
    }
}

/// A party in a request.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct PartyInput {
    /// Kemendagri code of a government party.
    pub region: Option<String>,
    /// Name of a non-government party (pihak ketiga, foreign partner, central agency).
    pub name: Option<String>,
    #[serde(default)]
    pub contact: Contact,
}

/// A field in a request: a catalogue code, or a free label with its urusan.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct FieldInput {
    pub code: Option<String>,
    pub label: Option<String>,
    #[serde(default)]
    pub priority: bool,
    pub urusan: Option<Vec<String>>,
}

/// A request to open a case.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewCaseInput {
    pub title: String,
    pub kind: CaseKind,
    #[serde(default)]
    pub direction: Direction,
    pub object: Option<String>,
    pub background: Option<String>,
    pub parties: Vec<PartyInput>,
    /// The cooperation's fields with their urusan: at least one (the object of a cooperation
    /// is an urusan pemerintahan, PP 28/2018 and Permendagri 22/2020).
    #[serde(default)]
    pub fields: Vec<FieldInput>,
    #[serde(default)]
    pub objectives: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub published: bool,
    #[serde(default)]
    pub fictional: bool,
    pub predecessor: Option<CaseId>,
}

/// What the domain needs from storage to check parties.
pub trait RegionDirectory {
    /// Facts about a region, `None` when the code does not exist.
    fn facts(&self, code: &RegionCode) -> Option<RegionFacts>;
    /// Whether two regions share a border.
    fn bordering(&self, a: &RegionCode, b: &RegionCode) -> bool;
}

/// Checks a list of field inputs against the catalogue.
///
/// # Errors
/// Field errors for unknown codes, missing labels, unknown urusan.
pub fn validate_fields(inputs: &[FieldInput], c: &mut Checker) -> Vec<CaseField> {
    let cat = catalog();
    let mut out = Vec::new();
    for (i, f) in inputs.iter().enumerate() {
        let reference = f
            .code
            .as_deref()
            .map(|code| (code, cat.fields.iter().find(|rf| rf.code == code)));
        let label = match (&f.label, reference) {
            (Some(l), _) if !l.trim().is_empty() => c.text(&format!("fields[{i}].label"), l, 300),
            (_, Some((_, Some(rf)))) => rf.name.clone(),
            (_, Some((code, None))) => {
                c.push(FieldError::new(
                    format!("fields[{i}].code"),
                    "unknown",
                    format!("Bidang {code} tidak dikenal."),
                    format!("Field {code} is unknown."),
                ));
                continue;
            }
            _ => {
                c.push(FieldError::required(&format!("fields[{i}].label")));
                continue;
            }
        };
        let urusan = match (&f.urusan, reference) {
            (Some(list), _) => list.iter().map(|u| u.trim().to_owned()).collect(),
            (None, Some((_, Some(rf)))) => rf.urusan.clone(),
            _ => Vec::new(),
        };
        for (j, u) in urusan.iter().enumerate() {
            if !cat.urusan.iter().any(|x| &x.code == u) {
                c.push(FieldError::new(
                    format!("fields[{i}].urusan[{j}]"),
                    "unknown",
                    format!("Urusan {u} tidak dikenal."),
                    format!("Urusan {u} is unknown."),
                ));
            }
        }
        out.push(CaseField {
            ordinal: u16::try_from(i + 1).unwrap_or(u16::MAX),
            code: reference.map(|(code, _)| code.to_owned()),
            label,
            priority: f.priority,
            urusan,
        });
    }
    out
}

fn validate_objectives(objectives: &[String], c: &mut Checker) -> Vec<String> {
    objectives
        .iter()
        .enumerate()
        .map(|(i, o)| c.text(&format!("objectives[{i}]"), o, 2000))
        .collect()
}

fn validate_sources(sources: &[String], c: &mut Checker) -> Vec<String> {
    sources
        .iter()
        .enumerate()
        .map(|(i, o)| c.text(&format!("sources[{i}]"), o, 1000))
        .collect()
}

impl NewCaseInput {
    /// Validates the request into a new case at its first stage.
    ///
    /// # Errors
    /// Field errors, unknown regions, a party twice, fewer than two parties, parties the kind
    /// does not allow, a Kerja Sama Wajib between regions that do not border each other.
    pub fn validate(
        &self,
        id: CaseId,
        regions: &dyn RegionDirectory,
        now: OffsetDateTime,
    ) -> Result<Case, DomainError> {
        self.validate_with(id, regions, now, true)
    }

    /// As [`NewCaseInput::validate`]; `require_fields` is false only for an agreement signed
    /// before Sinergi whose register names no field (nothing is invented for it).
    ///
    /// # Errors
    /// As [`NewCaseInput::validate`].
    pub fn validate_with(
        &self,
        id: CaseId,
        regions: &dyn RegionDirectory,
        now: OffsetDateTime,
        require_fields: bool,
    ) -> Result<Case, DomainError> {
        let mut c = Checker::default();
        let title = c.text("title", &self.title, 500);
        let object = c.opt_text("object", self.object.as_deref(), 2000);
        let background = c.opt_text("background", self.background.as_deref(), 5000);
        let fields = validate_fields(&self.fields, &mut c);
        if require_fields && self.fields.is_empty() {
            // The object of a cooperation is an urusan pemerintahan (PP 28/2018; Permendagri
            // 22/2020) [V]: a case names at least one field with its urusan.
            c.push(FieldError::new(
                "fields",
                "required",
                "Objek kerja sama adalah urusan pemerintahan (PP 28/2018, Permendagri 22/2020): pilih sedikitnya satu bidang kerja sama.",
                "The object of a cooperation is a government affair (PP 28/2018, Permendagri 22/2020): choose at least one field.",
            ));
        }
        let objectives = validate_objectives(&self.objectives, &mut c);
        let sources = validate_sources(&self.sources, &mut c);
        c.finish()?;

        if self.parties.len() < 2 {
            return Err(DomainError::TooFewParties);
        }
        let mut parties = Vec::with_capacity(self.parties.len());
        let mut facts = Vec::new();
        let mut seen = HashSet::new();
        for (i, p) in self.parties.iter().enumerate() {
            let ordinal = u16::try_from(i + 1).unwrap_or(u16::MAX);
            let (region, name) = match (&p.region, &p.name) {
                (Some(code), _) => {
                    let code = RegionCode::parse(code)?;
                    let f = regions
                        .facts(&code)
                        .ok_or_else(|| DomainError::UnknownRegion(code.to_string()))?;
                    if !f.level.is_daerah() {
                        return Err(DomainError::NotADaerah(code.to_string()));
                    }
                    if !seen.insert(code.to_string()) {
                        return Err(DomainError::DuplicateParty(code.to_string()));
                    }
                    let name = government_name(&f);
                    facts.push(f);
                    (Some(code), name)
                }
                (None, Some(name)) if !name.trim().is_empty() => {
                    if self.kind.all_parties_are_daerah() {
                        return Err(DomainError::PartyNotAllowed {
                            kind: self.kind.as_str().to_owned(),
                            party: name.trim().to_owned(),
                        });
                    }
                    if !seen.insert(name.trim().to_lowercase()) {
                        return Err(DomainError::DuplicateParty(name.trim().to_owned()));
                    }
                    (None, name.trim().to_owned())
                }
                _ => {
                    return Err(DomainError::Validation(vec![FieldError::new(
                        format!("parties[{i}].region"),
                        "required",
                        "Setiap pihak memerlukan kode wilayah (atau nama, untuk pihak bukan pemerintah daerah).",
                        "Every party needs a region code (or a name, for a non-government party).",
                    )]));
                }
            };
            parties.push(Party {
                ordinal,
                region,
                name,
                status: PartyStatus::Persiapan,
                document_number: None,
                signatory: None,
                contact: p.contact.clone(),
                dprd: DprdAssessment::default(),
                acts: PartyActs::default(),
            });
        }
        if facts.is_empty() {
            return Err(DomainError::PartyNotAllowed {
                kind: self.kind.as_str().to_owned(),
                party: "(tanpa pemerintah daerah)".to_owned(),
            });
        }
        if self.kind == CaseKind::KsddWajib {
            for (i, a) in facts.iter().enumerate() {
                for b in &facts[i + 1..] {
                    if !wajib_pair_allowed(a, b, regions.bordering(&a.code, &b.code)) {
                        return Err(DomainError::NotBordering {
                            a: a.name.clone(),
                            b: b.name.clone(),
                        });
                    }
                }
            }
        }
        let stage = match self.direction {
            Direction::Keluar => Stage::UsulanDraft,
            Direction::Masuk => Stage::PenawaranMasuk,
        };
        Ok(Case {
            id,
            kind: self.kind,
            direction: self.direction,
            title,
            object,
            background,
            stage,
            version: 1,
            published: self.published,
            fictional: self.fictional,
            offered: self.direction == Direction::Masuk,
            predecessor: self.predecessor,
            parties,
            fields,
            objectives,
            sources,
            termination: None,
            rule_set: None,
            created_at: now,
            updated_at: now,
        })
    }
}

/// "Pemerintah Provinsi Bali", "Pemerintah Kota Denpasar", "Pemerintah Kabupaten Badung".
#[must_use]
pub fn government_name(f: &RegionFacts) -> String {
    use sinergi_reference::RegionLevel;
    match f.level {
        RegionLevel::Province => format!("Pemerintah Provinsi {}", f.name),
        _ => format!("Pemerintah {}", f.name),
    }
}

/// A partial update of a case's shared content.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CasePatch {
    /// The version the editor saw; a stale one is refused.
    pub expected_version: i64,
    pub title: Option<String>,
    pub object: Option<String>,
    pub background: Option<String>,
    pub fields: Option<Vec<FieldInput>>,
    pub objectives: Option<Vec<String>>,
    pub sources: Option<Vec<String>>,
    pub published: Option<bool>,
}

impl CasePatch {
    /// Applies the patch to a copy of the case and lists the changed attributes.
    ///
    /// # Errors
    /// Stale version, a closed case, scope edits after the KB was signed (those go through an
    /// addendum), field errors.
    pub fn apply(
        &self,
        case: &Case,
        now: OffsetDateTime,
    ) -> Result<(Case, Vec<&'static str>), DomainError> {
        if self.expected_version != case.version {
            return Err(DomainError::VersionConflict {
                expected: self.expected_version,
                current: case.version,
            });
        }
        if case.stage.is_final() {
            return Err(DomainError::CaseClosed(case.stage.as_str().to_owned()));
        }
        let scope_edit = self.title.is_some()
            || self.object.is_some()
            || self.fields.is_some()
            || self.objectives.is_some();
        if scope_edit && case.stage.kb_signed() {
            return Err(DomainError::guard(
                "case.scope_locked",
                "Kesepakatan Bersama sudah ditandatangani: judul, objek, ruang lingkup dan tujuan hanya dapat diubah melalui addendum.",
                "The Kesepakatan Bersama is signed: title, object, scope and objectives change only through an addendum.",
            ));
        }
        let mut c = Checker::default();
        let mut next = case.clone();
        let mut changed = Vec::new();
        if let Some(t) = &self.title {
            next.title = c.text("title", t, 500);
            changed.push("title");
        }
        if let Some(o) = &self.object {
            next.object = c.opt_text("object", Some(o), 2000);
            changed.push("object");
        }
        if let Some(b) = &self.background {
            next.background = c.opt_text("background", Some(b), 5000);
            changed.push("background");
        }
        if let Some(f) = &self.fields {
            next.fields = validate_fields(f, &mut c);
            changed.push("fields");
        }
        if let Some(o) = &self.objectives {
            next.objectives = validate_objectives(o, &mut c);
            changed.push("objectives");
        }
        if let Some(s) = &self.sources {
            next.sources = validate_sources(s, &mut c);
            changed.push("sources");
        }
        if let Some(p) = self.published {
            next.published = p;
            changed.push("published");
        }
        c.finish()?;
        next.version += 1;
        next.updated_at = now;
        Ok((next, changed))
    }
}

/// A partial update of one party's own record.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct PartyPatch {
    pub expected_version: i64,
    pub status: Option<PartyStatus>,
    pub document_number: Option<String>,
    pub signatory: Option<OfficialId>,
    pub contact: Option<Contact>,
    pub dprd: Option<DprdAssessment>,
}

impl PartyPatch {
    /// Applies the patch to party `ordinal` of a copy of the case. `signatory_region` answers
    /// the region of an official id (`None` when unknown).
    ///
    /// # Errors
    /// Stale version, closed case, unknown party, a signatory from another region.
    pub fn apply(
        &self,
        case: &Case,
        ordinal: u16,
        signatory_region: impl Fn(OfficialId) -> Option<RegionCode>,
        now: OffsetDateTime,
    ) -> Result<Case, DomainError> {
        if self.expected_version != case.version {
            return Err(DomainError::VersionConflict {
                expected: self.expected_version,
                current: case.version,
            });
        }
        if case.stage.is_final() {
            return Err(DomainError::CaseClosed(case.stage.as_str().to_owned()));
        }
        let mut next = case.clone();
        let party = next
            .parties
            .iter_mut()
            .find(|p| p.ordinal == ordinal)
            .ok_or_else(|| DomainError::not_found("party", ordinal))?;
        let mut c = Checker::default();
        if let Some(s) = self.status {
            party.status = s;
        }
        if let Some(n) = &self.document_number {
            party.document_number = c.opt_text("document_number", Some(n), 200);
        }
        if let Some(sig) = self.signatory {
            match signatory_region(sig) {
                None => return Err(DomainError::not_found("official", sig)),
                Some(r) if Some(&r) != party.region.as_ref() => {
                    return Err(DomainError::guard(
                        "party.signatory_other_region",
                        "Penanda tangan harus pejabat dari daerah pihak itu sendiri.",
                        "The signatory must be an official of the party's own region.",
                    ));
                }
                Some(_) => party.signatory = Some(sig),
            }
        }
        if let Some(contact) = &self.contact {
            party.contact = Contact {
                unit: c.opt_text("contact.unit", contact.unit.as_deref(), 300),
                name: c.opt_text("contact.name", contact.name.as_deref(), 200),
                position: c.opt_text("contact.position", contact.position.as_deref(), 300),
                email: c.opt_text("contact.email", contact.email.as_deref(), 200),
                phone: c.opt_text("contact.phone", contact.phone.as_deref(), 40),
            };
        }
        if let Some(d) = &self.dprd {
            let mut d = d.clone();
            d.justification = c.opt_text("dprd.justification", d.justification.as_deref(), 5000);
            d.decision_number =
                c.opt_text("dprd.decision_number", d.decision_number.as_deref(), 200);
            party.dprd = d;
        }
        c.finish()?;
        next.version += 1;
        next.updated_at = now;
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn party_roles_are_spelled_out() {
        assert_eq!(party_role(1), "PIHAK KESATU");
        assert_eq!(party_role(2), "PIHAK KEDUA");
        assert_eq!(party_role(3), "PIHAK KETIGA");
        assert_eq!(party_role(12), "PIHAK KE-12");
    }

    #[test]
    fn dprd_is_required_by_either_condition() {
        let rules = RuleSet::default();
        let mut d = DprdAssessment::default();
        assert_eq!(d.required(CaseKind::KsddSukarela, &rules), None);
        d.burdens_public = Some(false);
        assert_eq!(d.required(CaseKind::KsddSukarela, &rules), None);
        d.budgeted_in_current_apbd = Some(true);
        assert_eq!(d.required(CaseKind::KsddSukarela, &rules), Some(false));
        d.budgeted_in_current_apbd = Some(false);
        assert_eq!(d.required(CaseKind::KsddSukarela, &rules), Some(true));
        d.burdens_public = Some(true);
        d.budgeted_in_current_apbd = Some(true);
        assert_eq!(d.required(CaseKind::KsddSukarela, &rules), Some(true));
        assert_eq!(
            DprdAssessment::default().required(CaseKind::Ksdpl, &rules),
            Some(true)
        );
    }

    #[test]
    fn stages_parse_in_either_case() {
        assert_eq!(
            Stage::parse("kb_ditandatangani"),
            Some(Stage::KbDitandatangani)
        );
        assert_eq!(Stage::parse("AKTIF"), Some(Stage::Aktif));
        assert_eq!(Stage::parse("nope"), None);
    }
}
