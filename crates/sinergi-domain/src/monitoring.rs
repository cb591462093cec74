//! Implementation and monitoring (domain.md §9, §15 items 15–16): the work plan under each
//! PKS (or under the KB for a field without a PKS), indicators with targets, realisation,
//! progress computed from indicators (never typed), programme synergy with the parties'
//! RPJMD/RKPD, and the three M&E forms with their review path.

use crate::agreement::{Agreement, AgreementKind};
use crate::case::{Case, Stage};
use crate::error::{Checker, DomainError, FieldError};
use crate::ids::{AgreementId, CaseId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Who pays a budget line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FundingSource {
    /// The APBD of the party named in the line.
    Apbd,
    Apbn,
    /// Other lawful sources (CSR, grants…), described in `source_note`.
    Lainnya,
}

impl FundingSource {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Apbd => "APBD",
            Self::Apbn => "APBN",
            Self::Lainnya => "Sumber lain yang sah",
        }
    }
}

/// The OPD of one party responsible for an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Responsible {
    pub party: u16,
    pub unit: String,
}

/// Budget of one fiscal year from one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BudgetLine {
    pub fiscal_year: i32,
    /// Whose APBD (the party ordinal); required for `apbd`.
    pub party: Option<u16>,
    pub source: FundingSource,
    pub source_note: Option<String>,
    /// Rupiah.
    pub amount: i64,
}

/// An output indicator with its target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Indicator {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub ordinal: u16,
    pub name: String,
    pub unit: String,
    pub target: f64,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct IndicatorInput {
    pub name: String,
    pub unit: String,
    pub target: f64,
}

/// An activity of the work plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Activity {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub case_id: CaseId,
    /// The PKS it implements, or the KB for a field without a PKS.
    pub agreement_id: AgreementId,
    pub field: u16,
    pub title: String,
    pub description: Option<String>,
    pub responsible: Vec<Responsible>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub budget: Vec<BudgetLine>,
    pub indicators: Vec<Indicator>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

/// A request for a new activity.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewActivityInput {
    /// The PKS (or KB); by default the PKS that covers the field, else the KB.
    pub agreement: Option<AgreementId>,
    pub field: u16,
    pub title: String,
    pub description: Option<String>,
    pub responsible: Vec<Responsible>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    #[serde(default)]
    pub budget: Vec<BudgetLine>,
    pub indicators: Vec<IndicatorInput>,
}

fn agreement_covers(a: &Agreement, field: u16) -> bool {
    a.kind == AgreementKind::Pks && a.fields.contains(&field)
}

fn live_pks(a: &Agreement) -> bool {
    a.kind == AgreementKind::Pks
        && !matches!(
            a.status,
            crate::agreement::AgreementStatus::Dicabut | crate::agreement::AgreementStatus::Ditolak
        )
}

impl NewActivityInput {
    /// Validates a new activity of `case`.
    ///
    /// # Errors
    /// A case without an active KB; an unknown field, party or agreement; a KB chosen for a
    /// field a PKS covers; missing OPD, indicators or targets; APBD lines without a party.
    pub fn validate(
        &self,
        case: &Case,
        agreements: &[Agreement],
        now: OffsetDateTime,
    ) -> Result<Activity, DomainError> {
        // A Sinergi's Rencana Kerja is agreed with its Nota Kesepakatan, as its annex
        // [V PP 28/2018 Pasal 46]: its activities are entered while the text is drafted.
        let rencana_kerja =
            case.kind == crate::case::CaseKind::Sinergi && case.stage == Stage::PenyusunanKb;
        if case.stage != Stage::Aktif && !rencana_kerja {
            return Err(DomainError::guard(
                "workplan.case_not_active",
                "Rencana kerja disusun setelah Kesepakatan Bersama berlaku (tahap AKTIF).",
                "A work plan is made once the Kesepakatan Bersama is in force (stage AKTIF).",
            ));
        }
        let mut c = Checker::default();
        let title = c.text("title", &self.title, 500);
        let description = c.opt_text("description", self.description.as_deref(), 5000);
        if !case.fields.iter().any(|f| f.ordinal == self.field) {
            c.push(FieldError::new(
                "field",
                "unknown",
                format!("Bidang nomor {} tidak ada dalam ruang lingkup.", self.field),
                format!("Field number {} is not in the scope.", self.field),
            ));
        }
        if self.responsible.is_empty() {
            c.push(FieldError::new(
                "responsible",
                "required",
                "Sebutkan perangkat daerah penanggung jawab dari setiap pihak.",
                "Name each party's responsible agency (OPD).",
            ));
        }
        let responsible: Vec<Responsible> = self
            .responsible
            .iter()
            .enumerate()
            .map(|(i, r)| {
                if !case.parties.iter().any(|p| p.ordinal == r.party) {
                    c.push(FieldError::new(
                        format!("responsible[{i}].party"),
                        "unknown",
                        format!("Pihak {} tidak ada.", r.party),
                        format!("Party {} does not exist.", r.party),
                    ));
                }
                Responsible {
                    party: r.party,
                    unit: c.text(&format!("responsible[{i}].unit"), &r.unit, 300),
                }
            })
            .collect();
        let budget: Vec<BudgetLine> = self
            .budget
            .iter()
            .enumerate()
            .map(|(i, b)| {
                if b.amount < 0 {
                    c.push(FieldError::new(
                        format!("budget[{i}].amount"),
                        "negative",
                        "Anggaran tidak boleh negatif.",
                        "A budget cannot be negative.",
                    ));
                }
                if !(2000..=2100).contains(&b.fiscal_year) {
                    c.push(FieldError::new(
                        format!("budget[{i}].fiscal_year"),
                        "out_of_range",
                        "Tahun anggaran tidak valid.",
                        "Invalid fiscal year.",
                    ));
                }
                match (b.source, b.party) {
                    (FundingSource::Apbd, None) => c.push(FieldError::new(
                        format!("budget[{i}].party"),
                        "required",
                        "Sebutkan APBD pihak mana yang membiayai.",
                        "Name whose APBD funds the line.",
                    )),
                    (_, Some(p)) if !case.parties.iter().any(|x| x.ordinal == p) => {
                        c.push(FieldError::new(
                            format!("budget[{i}].party"),
                            "unknown",
                            format!("Pihak {p} tidak ada."),
                            format!("Party {p} does not exist."),
                        ));
                    }
                    _ => {}
                }
                BudgetLine {
                    fiscal_year: b.fiscal_year,
                    party: b.party,
                    source: b.source,
                    source_note: c.opt_text(
                        &format!("budget[{i}].source_note"),
                        b.source_note.as_deref(),
                        500,
                    ),
                    amount: b.amount,
                }
            })
            .collect();
        if self.indicators.is_empty() {
            c.push(FieldError::new(
                "indicators",
                "required",
                "Setiap kegiatan memerlukan setidaknya satu indikator keluaran dengan target.",
                "Every activity needs at least one output indicator with a target.",
            ));
        }
        let indicators: Vec<Indicator> = self
            .indicators
            .iter()
            .enumerate()
            .map(|(i, x)| {
                if !x.target.is_finite() || x.target <= 0.0 {
                    c.push(FieldError::new(
                        format!("indicators[{i}].target"),
                        "not_positive",
                        "Target indikator harus lebih dari nol.",
                        "An indicator's target must be above zero.",
                    ));
                }
                Indicator {
                    id: crate::ids::new_id(now),
                    ordinal: u16::try_from(i + 1).unwrap_or(u16::MAX),
                    name: c.text(&format!("indicators[{i}].name"), &x.name, 500),
                    unit: c.text(&format!("indicators[{i}].unit"), &x.unit, 100),
                    target: x.target,
                }
            })
            .collect();
        c.finish()?;
        if let (Some(s), Some(e)) = (self.starts_on, self.ends_on)
            && e < s
        {
            return Err(DomainError::DatesOutOfOrder {
                earlier: "starts_on".into(),
                later: "ends_on".into(),
            });
        }
        let covering = agreements
            .iter()
            .find(|a| live_pks(a) && agreement_covers(a, self.field));
        let kb = agreements.iter().find(|a| a.kind == AgreementKind::Kb);
        let agreement = match self.agreement {
            Some(id) => {
                let Some(a) = agreements.iter().find(|a| a.id == id) else {
                    return Err(DomainError::not_found("agreement", id));
                };
                match a.kind {
                    AgreementKind::Pks if a.fields.is_empty() || a.fields.contains(&self.field) => {
                        a
                    }
                    AgreementKind::Kb if covering.is_none() => a,
                    AgreementKind::Kb => {
                        return Err(DomainError::guard(
                            "workplan.field_has_pks",
                            "Bidang ini sudah memiliki PKS; kegiatannya disusun di bawah PKS tersebut.",
                            "This field has a PKS; its activities belong under that PKS.",
                        ));
                    }
                    _ => {
                        return Err(DomainError::guard(
                            "workplan.agreement_not_for_field",
                            "Naskah yang dipilih bukan PKS bidang ini atau Kesepakatan Bersamanya.",
                            "The chosen document is neither this field's PKS nor its Kesepakatan Bersama.",
                        ));
                    }
                }
            }
            None => match covering.or(kb) {
                Some(a) => a,
                None => return Err(DomainError::PksWithoutActiveKb),
            },
        };
        Ok(Activity {
            id: crate::ids::new_id(now),
            case_id: case.id,
            agreement_id: agreement.id,
            field: self.field,
            title,
            description,
            responsible,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            budget,
            indicators,
            version: 1,
            created_at: now,
        })
    }
}

/// One realisation entry of an indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Realisation {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    #[schema(value_type = String, format = Uuid)]
    pub activity_id: Uuid,
    #[schema(value_type = String, format = Uuid)]
    pub indicator_id: Uuid,
    pub value: f64,
    pub realised_on: Date,
    pub note: Option<String>,
    pub actor: String,
    pub evidence: Vec<Evidence>,
}

/// An evidence file: its metadata and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Evidence {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewRealisationInput {
    #[schema(value_type = String, format = Uuid)]
    pub indicator: Uuid,
    pub value: f64,
    pub realised_on: Date,
    pub note: Option<String>,
}

impl NewRealisationInput {
    /// Validates a realisation entry of `activity`.
    ///
    /// # Errors
    /// An unknown indicator, a negative value, a date in the future.
    pub fn validate(
        &self,
        activity: &Activity,
        actor: &str,
        today: Date,
        now: OffsetDateTime,
    ) -> Result<Realisation, DomainError> {
        if !activity.indicators.iter().any(|i| i.id == self.indicator) {
            return Err(DomainError::not_found("indicator", self.indicator));
        }
        let mut c = Checker::default();
        let note = c.opt_text("note", self.note.as_deref(), 5000);
        if !self.value.is_finite() || self.value < 0.0 {
            c.push(FieldError::new(
                "value",
                "negative",
                "Nilai realisasi tidak boleh negatif.",
                "A realised value cannot be negative.",
            ));
        }
        if self.realised_on > today {
            c.push(FieldError::new(
                "realised_on",
                "in_future",
                "Tanggal realisasi tidak boleh di masa depan.",
                "The realisation date cannot be in the future.",
            ));
        }
        c.finish()?;
        Ok(Realisation {
            id: crate::ids::new_id(now),
            activity_id: activity.id,
            indicator_id: self.indicator,
            value: self.value,
            realised_on: self.realised_on,
            note,
            actor: actor.to_owned(),
            evidence: Vec::new(),
        })
    }
}

/// Progress of one indicator: realised against target, capped at 100 %. It carries the
/// indicator's own fields too (`id`, `ordinal`), so it reads as an [`Indicator`] as well.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct IndicatorProgress {
    /// The indicator (the same as `indicator`).
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub ordinal: u16,
    #[schema(value_type = String, format = Uuid)]
    pub indicator: Uuid,
    pub name: String,
    pub unit: String,
    pub target: f64,
    pub realised: f64,
    /// 0–100.
    pub percent: f64,
}

/// Progress computed from indicators: each indicator's realised sum over its target (at
/// most 100 %), an activity as the mean of its indicators, a field as the mean of its
/// activities.
#[must_use]
pub fn indicator_progress(a: &Activity, realisations: &[Realisation]) -> Vec<IndicatorProgress> {
    a.indicators
        .iter()
        .map(|i| {
            let realised: f64 = realisations
                .iter()
                .filter(|r| r.indicator_id == i.id)
                .map(|r| r.value)
                .sum();
            IndicatorProgress {
                id: i.id,
                ordinal: i.ordinal,
                indicator: i.id,
                name: i.name.clone(),
                unit: i.unit.clone(),
                target: i.target,
                realised,
                percent: (realised / i.target * 100.0).clamp(0.0, 100.0),
            }
        })
        .collect()
}

/// The mean of percentages (0 for none).
#[must_use]
pub fn mean_percent(values: impl IntoIterator<Item = f64>) -> f64 {
    let (sum, n) = values
        .into_iter()
        .fold((0.0, 0_u32), |(s, n), v| (s + v, n + 1));
    if n == 0 { 0.0 } else { sum / f64::from(n) }
}

/// A party's regional programme linked to a field of the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProgrammeLink {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub party: u16,
    pub field: u16,
    /// `rpjmd` or `rkpd`.
    pub plan: String,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewProgrammeLinkInput {
    pub party: u16,
    pub field: u16,
    pub plan: String,
    pub code: String,
    pub name: String,
}

impl NewProgrammeLinkInput {
    /// Validates a programme link of `case`.
    ///
    /// # Errors
    /// An unknown party or field, a plan other than RPJMD/RKPD, missing code or name.
    pub fn validate(&self, case: &Case, now: OffsetDateTime) -> Result<ProgrammeLink, DomainError> {
        let mut c = Checker::default();
        let plan = self.plan.trim().to_ascii_lowercase();
        if plan != "rpjmd" && plan != "rkpd" {
            c.push(FieldError::new(
                "plan",
                "unknown",
                "Dokumen perencanaan harus RPJMD atau RKPD.",
                "The plan must be the RPJMD or the RKPD.",
            ));
        }
        if !case
            .parties
            .iter()
            .any(|p| p.ordinal == self.party && p.region.is_some())
        {
            c.push(FieldError::new(
                "party",
                "unknown",
                format!(
                    "Pihak {} bukan pemerintah daerah pada kerja sama ini.",
                    self.party
                ),
                format!(
                    "Party {} is not a regional government of this case.",
                    self.party
                ),
            ));
        }
        if !case.fields.iter().any(|f| f.ordinal == self.field) {
            c.push(FieldError::new(
                "field",
                "unknown",
                format!("Bidang nomor {} tidak ada.", self.field),
                format!("Field number {} does not exist.", self.field),
            ));
        }
        let code = c.text("code", &self.code, 100);
        let name = c.text("name", &self.name, 500);
        c.finish()?;
        Ok(ProgrammeLink {
            id: crate::ids::new_id(now),
            party: self.party,
            field: self.field,
            plan,
            code,
            name,
        })
    }
}

/// The three M&E forms of domain.md §9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvaluationForm {
    /// The implementer (pemohon/pelaksana).
    Pelaksana,
    /// The TKKSD of the location (OPD).
    TkksdLokus,
    /// The secretariat's final form, with rating and recommendation.
    Admin,
}

impl EvaluationForm {
    pub const ALL: [EvaluationForm; 3] = [Self::Pelaksana, Self::TkksdLokus, Self::Admin];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pelaksana => "pelaksana",
            Self::TkksdLokus => "tkksd_lokus",
            Self::Admin => "admin",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Pelaksana => "Formulir pelaksana",
            Self::TkksdLokus => "Formulir TKKSD lokus",
            Self::Admin => "Formulir admin (akhir)",
        }
    }

    /// The questions of the form, as (key, Indonesian label).
    #[must_use]
    pub fn criteria(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Pelaksana => &[
                ("realisasi_kegiatan", "Realisasi kegiatan"),
                ("kesesuaian_output", "Kesesuaian output"),
                ("pemanfaatan_hasil", "Pemanfaatan hasil"),
                ("kendala", "Kendala"),
                ("keberlanjutan", "Keberlanjutan"),
                ("laporan", "Laporan"),
            ],
            Self::TkksdLokus => &[
                ("kepatuhan_pks", "Kepatuhan terhadap PKS"),
                ("koordinasi", "Koordinasi"),
                ("kesesuaian_anggaran", "Kesesuaian anggaran"),
                ("temuan", "Temuan"),
                ("rekomendasi", "Rekomendasi"),
                ("catatan", "Catatan"),
            ],
            Self::Admin => &[
                ("kesesuaian_tujuan", "Kesesuaian tujuan"),
                ("ketepatan_waktu", "Ketepatan waktu"),
                ("kontribusi_mitra", "Kontribusi mitra"),
                ("tingkat_koordinasi", "Tingkat koordinasi"),
                ("capaian_indikator", "Capaian indikator"),
                ("dampak_pelaksanaan", "Dampak pelaksanaan"),
                ("inovasi_manfaat", "Inovasi/manfaat"),
                ("kelengkapan_dokumen", "Kelengkapan dokumen"),
                ("pelaporan_berkala", "Pelaporan berkala"),
                ("kendala_administrasi", "Kendala administrasi"),
                ("relevansi_kebutuhan", "Relevansi kebutuhan"),
                ("saran", "Saran"),
                ("bukti", "Bukti"),
            ],
        }
    }

    /// Whether the form carries the overall rating and the recommendation.
    #[must_use]
    pub fn is_final(self) -> bool {
        self == Self::Admin
    }
}

/// Recommendation of the final form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvaluationRecommendation {
    Dilanjutkan,
    Diperluas,
    Dihentikan,
}

impl EvaluationRecommendation {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dilanjutkan => "dilanjutkan",
            Self::Diperluas => "diperluas",
            Self::Dihentikan => "dihentikan",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "dilanjutkan" => Some(Self::Dilanjutkan),
            "diperluas" => Some(Self::Diperluas),
            "dihentikan" => Some(Self::Dihentikan),
            _ => None,
        }
    }
}

/// Review status of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvaluationStatus {
    Draft,
    Submitted,
    Reviewed,
}

impl EvaluationStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Reviewed => "reviewed",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "submitted" => Some(Self::Submitted),
            "reviewed" => Some(Self::Reviewed),
            _ => None,
        }
    }
}

/// One answer: a score 1–5 where the question is scored, and a note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Answer {
    pub score: Option<u8>,
    pub note: Option<String>,
}

/// An M&E form of one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Evaluation {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub case_id: CaseId,
    pub agreement_id: Option<AgreementId>,
    /// `2026-S1`.
    pub period: String,
    pub form: EvaluationForm,
    /// The party whose form it is (each side evaluates its own implementation); `None` for
    /// forms from before parties were recorded.
    #[serde(default)]
    pub party: Option<u16>,
    pub answers: BTreeMap<String, Answer>,
    /// 1–5, the final form's overall rating.
    pub rating: Option<u8>,
    pub recommendation: Option<EvaluationRecommendation>,
    pub status: EvaluationStatus,
    pub author: String,
    pub reviewed_by: Option<String>,
    pub version: i64,
}

/// A draft form or changes to one.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct EvaluationInput {
    pub agreement: Option<AgreementId>,
    pub period: String,
    pub form: EvaluationForm,
    /// The party whose form it is: the caller's own (it may be left out); only the operator
    /// names another.
    #[serde(default)]
    pub party: Option<u16>,
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
    pub rating: Option<u8>,
    pub recommendation: Option<EvaluationRecommendation>,
}

/// A step of a form: submit (draft → submitted) or review (submitted → reviewed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvaluationStep {
    Submit,
    Review,
}

impl EvaluationInput {
    /// Validates a draft (new, or replacing a draft's content).
    ///
    /// # Errors
    /// An unknown period format, an unknown question, a score outside 1–5, a rating or a
    /// recommendation on a form that carries none, an agreement of another case.
    pub fn validate(
        &self,
        case: &Case,
        agreements: &[Agreement],
        author: &str,
        existing: Option<&Evaluation>,
        now: OffsetDateTime,
    ) -> Result<Evaluation, DomainError> {
        if let Some(e) = existing
            && e.status != EvaluationStatus::Draft
        {
            return Err(DomainError::guard(
                "evaluation.locked",
                "Formulir yang sudah diajukan tidak dapat diubah.",
                "A submitted form cannot be changed.",
            ));
        }
        let mut c = Checker::default();
        if crate::schedule::Period::parse(&self.period).is_none() {
            c.push(FieldError::new(
                "period",
                "invalid",
                "Periode ditulis sebagai TAHUN-S1 atau TAHUN-S2 (semester).",
                "Write the period as YEAR-S1 or YEAR-S2 (half-year).",
            ));
        }
        let keys: Vec<&str> = self.form.criteria().iter().map(|(k, _)| *k).collect();
        let mut answers = BTreeMap::new();
        for (k, a) in &self.answers {
            if !keys.contains(&k.as_str()) {
                c.push(FieldError::new(
                    format!("answers.{k}"),
                    "unknown",
                    format!("Pertanyaan {k} tidak ada pada formulir ini."),
                    format!("Question {k} is not on this form."),
                ));
                continue;
            }
            if a.score.is_some_and(|s| !(1..=5).contains(&s)) {
                c.push(FieldError::new(
                    format!("answers.{k}.score"),
                    "out_of_range",
                    "Nilai 1 sampai 5.",
                    "Scores run from 1 to 5.",
                ));
            }
            answers.insert(
                k.clone(),
                Answer {
                    score: a.score,
                    note: c.opt_text(&format!("answers.{k}.note"), a.note.as_deref(), 5000),
                },
            );
        }
        if self.rating.is_some_and(|s| !(1..=5).contains(&s)) {
            c.push(FieldError::new(
                "rating",
                "out_of_range",
                "Penilaian 1 sampai 5.",
                "The rating runs from 1 to 5.",
            ));
        }
        if !self.form.is_final() && (self.rating.is_some() || self.recommendation.is_some()) {
            c.push(FieldError::new(
                "recommendation",
                "not_on_form",
                "Penilaian akhir dan rekomendasi diisi pada formulir admin.",
                "The overall rating and the recommendation belong on the admin form.",
            ));
        }
        c.finish()?;
        if let Some(a) = self.agreement
            && !agreements.iter().any(|x| x.id == a)
        {
            return Err(DomainError::not_found("agreement", a));
        }
        Ok(Evaluation {
            id: existing.map_or_else(|| crate::ids::new_id(now), |e| e.id),
            case_id: case.id,
            agreement_id: self.agreement,
            period: self.period.clone(),
            form: self.form,
            party: self.party,
            answers,
            rating: self.rating,
            recommendation: self.recommendation,
            status: EvaluationStatus::Draft,
            author: author.to_owned(),
            reviewed_by: None,
            version: existing.map_or(1, |e| e.version + 1),
        })
    }
}

/// Plans a step of a form.
///
/// # Errors
/// Stale version; a step not allowed from the status; an incomplete form on submit.
pub fn plan_evaluation_step(
    e: &Evaluation,
    step: EvaluationStep,
    expected_version: i64,
    actor: &str,
) -> Result<Evaluation, DomainError> {
    if expected_version != e.version {
        return Err(DomainError::VersionConflict {
            expected: expected_version,
            current: e.version,
        });
    }
    let mut next = e.clone();
    match (step, e.status) {
        (EvaluationStep::Submit, EvaluationStatus::Draft) => {
            let missing: Vec<FieldError> = e
                .form
                .criteria()
                .iter()
                .filter(|(k, _)| {
                    e.answers
                        .get(*k)
                        .is_none_or(|a| a.score.is_none() && a.note.is_none())
                })
                .map(|(k, label)| {
                    FieldError::new(
                        format!("answers.{k}"),
                        "required",
                        format!("Isi nilai atau catatan untuk \"{label}\" sebelum mengajukan."),
                        format!("Give a score or a note for \"{label}\" before submitting."),
                    )
                })
                .chain(
                    (e.form.is_final() && e.rating.is_none())
                        .then(|| FieldError::required("rating")),
                )
                .chain(
                    (e.form.is_final() && e.recommendation.is_none())
                        .then(|| FieldError::required("recommendation")),
                )
                .collect();
            if !missing.is_empty() {
                return Err(DomainError::Validation(missing));
            }
            next.status = EvaluationStatus::Submitted;
        }
        (EvaluationStep::Review, EvaluationStatus::Submitted) => {
            next.status = EvaluationStatus::Reviewed;
            next.reviewed_by = Some(actor.to_owned());
        }
        _ => {
            return Err(DomainError::InvalidTransition {
                action: match step {
                    EvaluationStep::Submit => "submit".into(),
                    EvaluationStep::Review => "review".into(),
                },
                stage: e.status.as_str().to_uppercase(),
            });
        }
    }
    next.version += 1;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_capped_and_averaged() {
        let ind = |t: f64| Indicator {
            id: crate::ids::new_id(OffsetDateTime::UNIX_EPOCH),
            ordinal: 1,
            name: "x".into(),
            unit: "u".into(),
            target: t,
        };
        let a = Activity {
            id: crate::ids::new_id(OffsetDateTime::UNIX_EPOCH),
            case_id: CaseId(Uuid::nil()),
            agreement_id: AgreementId(Uuid::nil()),
            field: 1,
            title: "t".into(),
            description: None,
            responsible: vec![],
            starts_on: None,
            ends_on: None,
            budget: vec![],
            indicators: vec![ind(10.0), ind(4.0)],
            version: 1,
            created_at: OffsetDateTime::UNIX_EPOCH,
        };
        let r = |i: usize, v: f64| Realisation {
            id: crate::ids::new_id(OffsetDateTime::UNIX_EPOCH),
            activity_id: a.id,
            indicator_id: a.indicators[i].id,
            value: v,
            realised_on: time::macros::date!(2026 - 01 - 01),
            note: None,
            actor: "x".into(),
            evidence: vec![],
        };
        let p = indicator_progress(&a, &[r(0, 3.0), r(0, 2.0), r(1, 9.0)]);
        assert!((p[0].percent - 50.0).abs() < 1e-9);
        assert!((p[1].percent - 100.0).abs() < 1e-9);
        assert!((mean_percent(p.iter().map(|x| x.percent)) - 75.0).abs() < 1e-9);
    }
}
