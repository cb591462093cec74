//! Kesepakatan Bersama (one per case), its Perjanjian Kerja Sama children and addenda.

use crate::case::{Case, Stage};
use crate::error::{Checker, DomainError, FieldError};
use crate::ids::{AgreementId, CaseId, OfficialId};
use crate::official::{Instrument, Official, may_sign};
use crate::region::RegionCode;
use crate::rules::RuleSet;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    /// Kesepakatan Bersama.
    Kb,
    /// Perjanjian Kerja Sama.
    Pks,
    Addendum,
}

impl AgreementKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kb => "kb",
            Self::Pks => "pks",
            Self::Addendum => "addendum",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "kb" => Some(Self::Kb),
            "pks" => Some(Self::Pks),
            "addendum" => Some(Self::Addendum),
            _ => None,
        }
    }

    #[must_use]
    pub fn label_id(self) -> &'static str {
        match self {
            Self::Kb => "Kesepakatan Bersama",
            Self::Pks => "Perjanjian Kerja Sama",
            Self::Addendum => "Addendum",
        }
    }

    /// The document's name in a case of `case_kind`: a Sinergi's agreement is a Nota
    /// Kesepakatan [V PP 28/2018 Pasal 46], every other KB a Kesepakatan Bersama.
    #[must_use]
    pub fn label_in(self, case_kind: crate::case::CaseKind) -> &'static str {
        match (self, case_kind) {
            (Self::Kb, crate::case::CaseKind::Sinergi) => "Nota Kesepakatan",
            _ => self.label_id(),
        }
    }
}

/// Status of an agreement document (the PKS path of domain.md §15 item 30; a KB and an
/// addendum use Penyusunan → Final → Ditandatangani).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AgreementStatus {
    Penyusunan,
    KajianTkksd,
    Final,
    MenungguTtd,
    Ditandatangani,
    Pelaksanaan,
    Selesai,
    Dicabut,
    Ditolak,
}

impl AgreementStatus {
    pub const ALL: [AgreementStatus; 9] = [
        Self::Penyusunan,
        Self::KajianTkksd,
        Self::Final,
        Self::MenungguTtd,
        Self::Ditandatangani,
        Self::Pelaksanaan,
        Self::Selesai,
        Self::Dicabut,
        Self::Ditolak,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Penyusunan => "PENYUSUNAN",
            Self::KajianTkksd => "KAJIAN_TKKSD",
            Self::Final => "FINAL",
            Self::MenungguTtd => "MENUNGGU_TTD",
            Self::Ditandatangani => "DITANDATANGANI",
            Self::Pelaksanaan => "PELAKSANAAN",
            Self::Selesai => "SELESAI",
            Self::Dicabut => "DICABUT",
            Self::Ditolak => "DITOLAK",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Signed or later: the text is locked; changes go through an addendum.
    #[must_use]
    pub fn is_signed(self) -> bool {
        matches!(
            self,
            Self::Ditandatangani | Self::Pelaksanaan | Self::Selesai | Self::Dicabut
        )
    }
}

/// One party's side of an agreement: its own number and signatory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AgreementParty {
    pub ordinal: u16,
    pub region: Option<RegionCode>,
    /// The party's number for this document.
    pub number: Option<String>,
    /// The party has numbered the document but the number is not public.
    pub number_unpublished: bool,
    pub signatory: Option<OfficialId>,
    /// Name and title as signed (kept even if the official's record changes later).
    pub signatory_name: Option<String>,
    pub signatory_title: Option<String>,
    /// Number of the surat kuasa, when an official signs a PKS for the kepala daerah.
    pub power_of_attorney: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Agreement {
    pub id: AgreementId,
    pub case_id: CaseId,
    pub kind: AgreementKind,
    pub parent: Option<AgreementId>,
    pub title: String,
    /// For a PKS: the case fields (ordinals) it implements.
    pub fields: Vec<u16>,
    pub status: AgreementStatus,
    pub place: Option<String>,
    pub signed_on: Option<Date>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub parties: Vec<AgreementParty>,
    /// For an addendum: which articles change and why.
    pub changes: Option<String>,
    pub reason: Option<String>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

/// Input for a new agreement document.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewAgreementInput {
    pub kind: AgreementKind,
    /// For a PKS: the KB; for an addendum: the KB or PKS it amends.
    pub parent: Option<AgreementId>,
    pub title: Option<String>,
    #[serde(default)]
    pub fields: Vec<u16>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub changes: Option<String>,
    pub reason: Option<String>,
}

/// A created agreement plus the non-blocking warnings the user should see.
#[derive(Debug, Clone)]
pub struct Created {
    pub agreement: Agreement,
    pub warnings: Vec<FieldError>,
}

/// Whole years and days between two dates, as "5" or "5,2".
fn term_years(start: Date, end: Date) -> String {
    let days = (end - start).whole_days();
    #[expect(clippy::cast_precision_loss, reason = "day counts are small")]
    let years = days as f64 / 365.25;
    format!("{years:.1}").replace('.', ",")
}

/// The date `years` after `start` (29 February maps to 28 February).
#[must_use]
pub fn add_years(start: Date, years: u32) -> Date {
    let year = start.year() + i32::try_from(years).unwrap_or(i32::MAX / 2);
    Date::from_calendar_date(year, start.month(), start.day())
        .or_else(|_| Date::from_calendar_date(year, start.month(), start.day() - 1))
        .unwrap_or(start)
}

impl NewAgreementInput {
    /// Validates a new agreement document for `case`, given the case's existing agreements.
    ///
    /// # Errors
    /// A second KB; a KB before the drafting stage; a PKS without an active KB or over the
    /// maximum term; an addendum without a reason; dates out of order.
    pub fn validate(
        &self,
        id: AgreementId,
        case: &Case,
        existing: &[Agreement],
        rules: &RuleSet,
        now: OffsetDateTime,
    ) -> Result<Created, DomainError> {
        if case.stage.is_final() {
            return Err(DomainError::CaseClosed(case.stage.as_str().to_owned()));
        }
        let mut c = Checker::default();
        let title = self.title.as_deref().map(|t| c.text("title", t, 500));
        let changes = c.opt_text("changes", self.changes.as_deref(), 20_000);
        let reason = c.opt_text("reason", self.reason.as_deref(), 5000);
        for (i, f) in self.fields.iter().enumerate() {
            if !case.fields.iter().any(|cf| cf.ordinal == *f) {
                c.push(FieldError::new(
                    format!("fields[{i}]"),
                    "unknown",
                    format!("Bidang nomor {f} tidak ada dalam ruang lingkup kerja sama."),
                    format!("Field number {f} is not in the case's scope."),
                ));
            }
        }
        c.finish()?;
        if let (Some(s), Some(e)) = (self.starts_on, self.ends_on)
            && e < s
        {
            return Err(DomainError::DatesOutOfOrder {
                earlier: "starts_on".into(),
                later: "ends_on".into(),
            });
        }
        let kb = existing.iter().find(|a| a.kind == AgreementKind::Kb);
        let mut warnings = Vec::new();
        let parent = match self.kind {
            AgreementKind::Kb => {
                if kb.is_some() {
                    return Err(DomainError::guard(
                        "agreement.kb_exists",
                        "Kerja sama ini sudah memiliki Kesepakatan Bersama; perubahan dilakukan dengan addendum.",
                        "This case already has a Kesepakatan Bersama; changes are made by addendum.",
                    ));
                }
                if case.stage.kb_signed() {
                    return Err(DomainError::CaseClosed(case.stage.as_str().to_owned()));
                }
                None
            }
            AgreementKind::Pks => {
                // Sinergi with the central government is a Nota Kesepakatan with its Rencana
                // Kerja, and no PKS [V PP 28/2018 Pasal 46; Yogyakarta SOP].
                if case.kind == crate::case::CaseKind::Sinergi {
                    return Err(DomainError::guard(
                        "agreement.no_pks_for_sinergi",
                        "Kerja sama Sinergi dengan Pemerintah Pusat dilaksanakan dengan Nota Kesepakatan beserta Rencana Kerjanya, tanpa Perjanjian Kerja Sama (PP 28/2018 Pasal 46).",
                        "A Sinergi cooperation with the central government is carried out by a Nota Kesepakatan with its Rencana Kerja, without a PKS (PP 28/2018 Article 46).",
                    ));
                }
                let Some(kb) = kb else {
                    return Err(DomainError::PksWithoutActiveKb);
                };
                if case.stage != Stage::Aktif || !kb.status.is_signed() {
                    return Err(DomainError::PksWithoutActiveKb);
                }
                if self.parent.is_some_and(|p| p != kb.id) {
                    return Err(DomainError::PksWithoutActiveKb);
                }
                let (Some(start), Some(end)) = (self.starts_on, self.ends_on) else {
                    let mut errs = Vec::new();
                    if self.starts_on.is_none() {
                        errs.push(FieldError::required("starts_on"));
                    }
                    if self.ends_on.is_none() {
                        errs.push(FieldError::required("ends_on"));
                    }
                    return Err(DomainError::Validation(errs));
                };
                if end > add_years(start, rules.pks_max_term_years) {
                    return Err(DomainError::TermTooLong {
                        years: term_years(start, end),
                        max: rules.pks_max_term_years,
                    });
                }
                if let Some(kb_end) = kb.ends_on
                    && end > kb_end
                {
                    warnings.push(FieldError::new(
                        "ends_on",
                        "after_kb_end",
                        "Perhatian: PKS berakhir setelah Kesepakatan Bersama berakhir.",
                        "Note: the PKS ends after the Kesepakatan Bersama ends.",
                    ));
                }
                Some(kb.id)
            }
            AgreementKind::Addendum => {
                let Some(parent) = self
                    .parent
                    .and_then(|p| existing.iter().find(|a| a.id == p))
                else {
                    return Err(DomainError::Validation(vec![FieldError::new(
                        "parent",
                        "required",
                        "Addendum memerlukan naskah induk (KB atau PKS) dari kerja sama ini.",
                        "An addendum needs a parent document (KB or PKS) of this case.",
                    )]));
                };
                if parent.kind == AgreementKind::Addendum || !parent.status.is_signed() {
                    return Err(DomainError::guard(
                        "agreement.addendum_parent_unsigned",
                        "Addendum hanya untuk KB atau PKS yang sudah ditandatangani.",
                        "An addendum amends only a signed KB or PKS.",
                    ));
                }
                if reason.is_none() || changes.is_none() {
                    let mut errs = Vec::new();
                    if reason.is_none() {
                        errs.push(FieldError::required("reason"));
                    }
                    if changes.is_none() {
                        errs.push(FieldError::required("changes"));
                    }
                    return Err(DomainError::Validation(errs));
                }
                Some(parent.id)
            }
        };
        let title = title.unwrap_or_else(|| match self.kind {
            AgreementKind::Kb => {
                format!("{} tentang {}", self.kind.label_in(case.kind), case.title)
            }
            // A PKS implements fields of the KB: its default title names them.
            AgreementKind::Pks => {
                let fields: Vec<&str> = self
                    .fields
                    .iter()
                    .filter_map(|o| case.fields.iter().find(|f| f.ordinal == *o))
                    .map(|f| f.label.as_str())
                    .collect();
                if fields.is_empty() {
                    format!("Perjanjian Kerja Sama — {}", case.title)
                } else {
                    format!(
                        "Perjanjian Kerja Sama Bidang {} — {}",
                        fields.join(", "),
                        case.title
                    )
                }
            }
            AgreementKind::Addendum => format!("Addendum — {}", case.title),
        });
        Ok(Created {
            agreement: Agreement {
                id,
                case_id: case.id,
                kind: self.kind,
                parent,
                title,
                fields: self.fields.clone(),
                status: AgreementStatus::Penyusunan,
                place: None,
                signed_on: None,
                starts_on: self.starts_on,
                ends_on: self.ends_on,
                parties: case
                    .parties
                    .iter()
                    .map(|p| AgreementParty {
                        ordinal: p.ordinal,
                        region: p.region.clone(),
                        number: None,
                        number_unpublished: false,
                        signatory: None,
                        signatory_name: None,
                        signatory_title: None,
                        power_of_attorney: None,
                    })
                    .collect(),
                changes,
                reason,
                version: 1,
                created_at: now,
                updated_at: now,
            },
            warnings,
        })
    }
}

/// One party's signing data in a request.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct AgreementPartyPatch {
    pub ordinal: u16,
    pub number: Option<String>,
    pub number_unpublished: Option<bool>,
    pub signatory: Option<OfficialId>,
    pub power_of_attorney: Option<String>,
}

/// A partial update of an unsigned agreement.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct AgreementPatch {
    pub expected_version: i64,
    pub title: Option<String>,
    pub place: Option<String>,
    pub signed_on: Option<Date>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    #[serde(default)]
    pub parties: Vec<AgreementPartyPatch>,
}

impl AgreementPatch {
    /// Applies the patch; `officials` answers an official by id.
    ///
    /// # Errors
    /// Stale version; a signed (locked) document; an unknown party or official; a signatory
    /// of another region; dates out of order; a PKS term over the maximum.
    pub fn apply(
        &self,
        a: &Agreement,
        officials: impl Fn(OfficialId) -> Option<Official>,
        rules: &RuleSet,
        today: Date,
        now: OffsetDateTime,
    ) -> Result<Agreement, DomainError> {
        if self.expected_version != a.version {
            return Err(DomainError::VersionConflict {
                expected: self.expected_version,
                current: a.version,
            });
        }
        if a.status.is_signed() {
            return Err(DomainError::guard(
                "agreement.locked",
                "Naskah yang sudah ditandatangani tidak dapat diubah; gunakan addendum.",
                "A signed document cannot be changed; use an addendum.",
            ));
        }
        let mut c = Checker::default();
        let mut next = a.clone();
        if let Some(t) = &self.title {
            next.title = c.text("title", t, 500);
        }
        if let Some(p) = &self.place {
            next.place = c.opt_text("place", Some(p), 500);
        }
        for (i, pp) in self.parties.iter().enumerate() {
            let Some(party) = next.parties.iter_mut().find(|p| p.ordinal == pp.ordinal) else {
                c.push(FieldError::new(
                    format!("parties[{i}].ordinal"),
                    "unknown",
                    format!("Pihak nomor {} tidak ada.", pp.ordinal),
                    format!("There is no party number {}.", pp.ordinal),
                ));
                continue;
            };
            if let Some(n) = &pp.number {
                party.number = c.opt_text(&format!("parties[{i}].number"), Some(n), 200);
            }
            if let Some(u) = pp.number_unpublished {
                party.number_unpublished = u;
            }
            if let Some(k) = &pp.power_of_attorney {
                party.power_of_attorney =
                    c.opt_text(&format!("parties[{i}].power_of_attorney"), Some(k), 200);
            }
            if let Some(sig) = pp.signatory {
                let Some(o) = officials(sig) else {
                    return Err(DomainError::not_found("official", sig));
                };
                if party.region.as_ref() != Some(&o.region) {
                    return Err(DomainError::guard(
                        "agreement.signatory_other_region",
                        format!("{} bukan pejabat daerah pihak {}.", o.name, party.ordinal),
                        format!(
                            "{} is not an official of party {}'s region.",
                            o.name, party.ordinal
                        ),
                    ));
                }
                party.signatory = Some(sig);
                party.signatory_name = Some(o.name.clone());
                party.signatory_title = Some(o.title());
            }
        }
        if self.signed_on.is_some_and(|d| d > today) {
            c.push(FieldError::new(
                "signed_on",
                "in_future",
                "Tanggal penandatanganan tidak boleh di masa depan; isi setelah naskah ditandatangani.",
                "The signing date cannot be in the future; enter it once the document is signed.",
            ));
        }
        c.finish()?;
        if self.signed_on.is_some() {
            next.signed_on = self.signed_on;
        }
        if self.starts_on.is_some() {
            next.starts_on = self.starts_on;
        }
        if self.ends_on.is_some() {
            next.ends_on = self.ends_on;
        }
        if let (Some(s), Some(e)) = (next.starts_on, next.ends_on) {
            if e < s {
                return Err(DomainError::DatesOutOfOrder {
                    earlier: "starts_on".into(),
                    later: "ends_on".into(),
                });
            }
            if next.kind == AgreementKind::Pks && e > add_years(s, rules.pks_max_term_years) {
                return Err(DomainError::TermTooLong {
                    years: term_years(s, e),
                    max: rules.pks_max_term_years,
                });
            }
        }
        next.version += 1;
        next.updated_at = now;
        Ok(next)
    }
}

/// How one party signed the final text of a document: the evidence, never a flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SignatureEvidence {
    /// An electronic signature made by the signatory's own account.
    Electronic {
        official: OfficialId,
        signed_on: Date,
    },
    /// A wet-ink scan of the final text whose checklist the party's own admin validated.
    WetInk {
        validated_by: String,
        validated_on: Date,
    },
}

impl SignatureEvidence {
    #[must_use]
    pub fn date(&self) -> Date {
        match self {
            Self::Electronic { signed_on, .. } => *signed_on,
            Self::WetInk { validated_on, .. } => *validated_on,
        }
    }
}

/// The final text of a document and each party's evidence of signing it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FinalText {
    /// The final version's number.
    pub version: i64,
    /// Evidence per party ordinal (a party may have both kinds).
    pub signed: Vec<(u16, SignatureEvidence)>,
}

impl FinalText {
    /// The evidence of one party, electronic first.
    #[must_use]
    pub fn of(&self, ordinal: u16) -> Option<&SignatureEvidence> {
        let mut it = self.signed.iter().filter(|(o, _)| *o == ordinal);
        let all: Vec<&SignatureEvidence> = it.by_ref().map(|(_, e)| e).collect();
        all.iter()
            .find(|e| matches!(e, SignatureEvidence::Electronic { .. }))
            .or_else(|| all.first())
            .copied()
    }
}

/// What a signing check asks of the evidence.
#[derive(Debug, Clone, Copy)]
pub enum Evidence<'a> {
    /// Signing in Sinergi: every government party's evidence on the final text.
    Required(Option<&'a FinalText>),
    /// An agreement signed outside Sinergi and recorded from its sources (legacy entry, the
    /// founding case): the provenance note stands for the evidence.
    Recorded,
}

/// Fills what the evidence says into the agreement before the signing check: an electronic
/// signatory becomes the party's signatory when none was named, and — when every party
/// signed electronically — the signing date is the day the last one signed, if none was
/// entered (a wet-ink date is never guessed from when its scan was checked).
///
/// # Errors
/// `agreement.signature_by_other_official` when an electronic signature was made by another
/// official than the party's named signatory.
pub fn apply_evidence(
    a: &mut Agreement,
    text: &FinalText,
    officials: impl Fn(OfficialId) -> Option<Official>,
) -> Result<(), DomainError> {
    let mut last: Option<Date> = None;
    let mut all_electronic = true;
    for p in a.parties.iter_mut().filter(|p| p.region.is_some()) {
        let Some(e) = text.of(p.ordinal) else {
            all_electronic = false;
            continue;
        };
        let SignatureEvidence::Electronic {
            official,
            signed_on,
        } = e
        else {
            all_electronic = false;
            continue;
        };
        last = Some(last.map_or(*signed_on, |l| l.max(*signed_on)));
        match p.signatory {
            Some(s) if s != *official => {
                let who = officials(*official).map_or_else(|| official.to_string(), |o| o.name);
                return Err(DomainError::guard(
                    "agreement.signature_by_other_official",
                    format!(
                        "{} ditandatangani secara elektronik oleh {who}, bukan penanda tangan yang ditetapkan untuk pihak itu.",
                        crate::case::party_role(p.ordinal)
                    ),
                    format!(
                        "{} was signed electronically by {who}, not by the signatory named for that party.",
                        crate::case::party_role(p.ordinal)
                    ),
                ));
            }
            Some(_) => {}
            None => {
                if let Some(o) = officials(*official) {
                    p.signatory_name = Some(o.name.clone());
                    p.signatory_title = Some(o.title());
                }
                p.signatory = Some(*official);
            }
        }
    }
    if a.signed_on.is_none() && all_electronic {
        a.signed_on = last;
    }
    Ok(())
}

fn check_evidence(a: &Agreement, case: &Case, evidence: Evidence<'_>) -> Result<(), DomainError> {
    let Evidence::Required(text) = evidence else {
        return Ok(());
    };
    let Some(text) = text else {
        return Err(DomainError::guard(
            "document.final_text_missing",
            format!(
                "Belum ada naskah final {} yang ditandatangani; finalkan naskahnya pada halaman dokumen, lalu setiap pihak menandatanganinya.",
                a.kind.label_id()
            ),
            format!(
                "There is no final text of the {} to sign; finalise it on the document page, then each party signs it.",
                a.kind.label_id()
            ),
        ));
    };
    for p in a.parties.iter().filter(|p| p.region.is_some()) {
        if text.of(p.ordinal).is_none() {
            let name = case.party(p.ordinal).map_or_else(
                || crate::case::party_role(p.ordinal),
                |x| x.short_name().to_owned(),
            );
            return Err(DomainError::guard(
                "document.party_not_signed",
                format!(
                    "{name} belum menandatangani naskah final versi {}: tanda tangan elektronik oleh akun kepala daerahnya sendiri, atau pindaian naskah bertanda tangan basah yang daftar periksanya divalidasi admin {name}.",
                    text.version
                ),
                format!(
                    "{name} has not signed the final version {}: an electronic signature by its own head of region's account, or a wet-ink scan whose checklist {name}'s own admin validated.",
                    text.version
                ),
            ));
        }
    }
    Ok(())
}

/// Checks that a KB can be recorded as signed: every government party's kepala daerah
/// signs (definitif, Pj. or Plt.; a Plh. only where the rules allow; never by power of
/// attorney) with evidence on the final text, each party has its number (or has declared it
/// unpublished), and the date and place are known.
///
/// # Errors
/// A guard error naming the first missing piece.
pub fn check_kb_signable(
    kb: &Agreement,
    case: &Case,
    officials: impl Fn(OfficialId) -> Option<Official>,
    rules: &RuleSet,
    today: Date,
    evidence: Evidence<'_>,
) -> Result<(), DomainError> {
    let Some(signed_on) = kb.signed_on else {
        return Err(DomainError::guard(
            "kb.signing_date_missing",
            "Tanggal penandatanganan Kesepakatan Bersama belum diisi.",
            "The signing date of the Kesepakatan Bersama is missing.",
        ));
    };
    if signed_on > today {
        return Err(DomainError::guard(
            "kb.signing_date_in_future",
            "Tanggal penandatanganan tidak boleh di masa depan.",
            "The signing date cannot be in the future.",
        ));
    }
    if kb.place.is_none() {
        return Err(DomainError::guard(
            "kb.signing_place_missing",
            "Tempat penandatanganan Kesepakatan Bersama belum diisi.",
            "The signing place of the Kesepakatan Bersama is missing.",
        ));
    }
    for p in &kb.parties {
        let Some(region) = &p.region else { continue };
        let Some(o) = p.signatory.and_then(&officials) else {
            return Err(DomainError::guard(
                "kb.signatory_missing",
                format!(
                    "Penanda tangan {} belum ditetapkan; KB ditandatangani oleh kepala daerah.",
                    crate::case::party_role(p.ordinal)
                ),
                format!(
                    "{} has no signatory; a KB is signed by the head of region.",
                    crate::case::party_role(p.ordinal)
                ),
            ));
        };
        if &o.region != region {
            return Err(DomainError::guard(
                "kb.signatory_not_head_of_region",
                format!(
                    "{} ({}) bukan kepala daerah {}; Kesepakatan Bersama hanya ditandatangani kepala daerah (definitif, Pj. atau Plt.).",
                    o.name,
                    o.title(),
                    region
                ),
                format!(
                    "{} ({}) is not the head of region {}; a Kesepakatan Bersama is signed only by the head of region (definitive, Pj. or Plt.).",
                    o.name,
                    o.title(),
                    region
                ),
            ));
        }
        may_sign(Instrument::Kb, &o, p.power_of_attorney.is_some(), rules)?;
        if !o.in_office_on(signed_on) {
            return Err(DomainError::guard(
                "kb.signatory_not_in_office",
                format!("{} tidak menjabat pada tanggal penandatanganan.", o.name),
                format!("{} was not in office on the signing date.", o.name),
            ));
        }
        if rules.kb_requires_party_numbers && p.number.is_none() && !p.number_unpublished {
            return Err(DomainError::guard(
                "kb.number_missing",
                format!("Nomor {} belum diisi.", crate::case::party_role(p.ordinal)),
                format!(
                    "The number of {} is missing.",
                    crate::case::party_role(p.ordinal)
                ),
            ));
        }
    }
    check_evidence(kb, case, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn adding_years_handles_leap_days() {
        assert_eq!(add_years(date!(2024 - 02 - 29), 5), date!(2029 - 02 - 28));
        assert_eq!(add_years(date!(2022 - 03 - 26), 5), date!(2027 - 03 - 26));
    }
}

/// A step of a PKS or an addendum along its own path (domain.md §15 item 30). The KB moves
/// with its case (`workflow::Action`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum AgreementAction {
    /// PKS: PENYUSUNAN → KAJIAN_TKKSD.
    SubmitReview,
    /// PKS: KAJIAN_TKKSD → PENYUSUNAN.
    Revise,
    /// PKS: KAJIAN_TKKSD → DITOLAK (a note gives the reason).
    Reject,
    /// PKS: KAJIAN_TKKSD → FINAL; addendum: PENYUSUNAN → FINAL.
    Finalize,
    /// PKS: FINAL → MENUNGGU_TTD.
    RequestSignature,
    /// PKS: MENUNGGU_TTD → DITANDATANGANI; addendum: FINAL → DITANDATANGANI.
    Sign,
    /// PKS: DITANDATANGANI → PELAKSANAAN.
    StartImplementation,
    /// PKS: PELAKSANAAN → SELESAI, once the end date has come.
    Finish,
    /// PKS: any open status → DICABUT, with the reason.
    Revoke { reason: String },
}

impl AgreementAction {
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::SubmitReview => "submit_review",
            Self::Revise => "revise",
            Self::Reject => "reject",
            Self::Finalize => "finalize",
            Self::RequestSignature => "request_signature",
            Self::Sign => "sign",
            Self::StartImplementation => "start_implementation",
            Self::Finish => "finish",
            Self::Revoke { .. } => "revoke",
        }
    }
}

/// A requested agreement step with the caller's version and note.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct AgreementTransitionRequest {
    pub expected_version: i64,
    pub note: Option<String>,
    #[serde(flatten)]
    pub action: AgreementAction,
}

/// The instrument an agreement is, for the signatory rule.
#[must_use]
pub fn instrument(kind: AgreementKind, parent_kind: Option<AgreementKind>) -> Instrument {
    match (kind, parent_kind) {
        (AgreementKind::Kb, _) | (AgreementKind::Addendum, Some(AgreementKind::Kb)) => {
            Instrument::Kb
        }
        _ => Instrument::Pks,
    }
}

/// Checks that a PKS or an addendum can be recorded as signed: for each government party a
/// signatory of its own region who may sign it (the kepala daerah, or an official holding a
/// surat kuasa for this document; an addendum to a KB only the kepala daerah), with evidence
/// on the final text.
///
/// # Errors
/// A guard error naming the first missing piece.
pub fn check_signable(a: &Agreement, ctx: &StepContext<'_>) -> Result<(), DomainError> {
    let (case, parent_kind, officials, rules, today, evidence, powers) = (
        ctx.case,
        ctx.parent_kind,
        ctx.officials,
        ctx.rules,
        ctx.today,
        ctx.evidence,
        ctx.powers,
    );
    if instrument(a.kind, parent_kind) == Instrument::Kb {
        return check_kb_signable(a, case, officials, rules, today, evidence);
    }
    let Some(signed_on) = a.signed_on else {
        return Err(DomainError::guard(
            "agreement.signing_date_missing",
            "Tanggal penandatanganan belum diisi.",
            "The signing date is missing.",
        ));
    };
    if signed_on > today {
        return Err(DomainError::guard(
            "agreement.signing_date_in_future",
            "Tanggal penandatanganan tidak boleh di masa depan.",
            "The signing date cannot be in the future.",
        ));
    }
    if a.place.is_none() {
        return Err(DomainError::guard(
            "agreement.signing_place_missing",
            "Tempat penandatanganan belum diisi.",
            "The signing place is missing.",
        ));
    }
    for p in &a.parties {
        let Some(region) = &p.region else { continue };
        let role = crate::case::party_role(p.ordinal);
        let Some(o) = p.signatory.and_then(&officials) else {
            return Err(DomainError::guard(
                "agreement.signatory_missing",
                format!("Penanda tangan {role} belum ditetapkan."),
                format!("{role} has no signatory."),
            ));
        };
        if &o.region != region {
            return Err(DomainError::guard(
                "agreement.signatory_other_region",
                format!("{} bukan pejabat daerah {role}.", o.name),
                format!("{} is not an official of {role}'s region.", o.name),
            ));
        }
        // Someone other than the kepala daerah signs under a recorded surat kuasa that covers
        // this document, this official and the signing day.
        let head = o.office == crate::official::OfficeKind::KepalaDaerah
            && o.acting != crate::official::ActingStatus::Plh;
        let covered = match &p.power_of_attorney {
            Some(k) if !head => {
                crate::power_of_attorney::find(powers, a.id, region, k, Some(o.id), signed_on)?;
                true
            }
            _ => false,
        };
        may_sign(Instrument::Pks, &o, covered, rules)?;
        if rules.kb_requires_party_numbers && p.number.is_none() && !p.number_unpublished {
            return Err(DomainError::guard(
                "agreement.number_missing",
                format!("Nomor {role} belum diisi."),
                format!("The number of {role} is missing."),
            ));
        }
    }
    check_evidence(a, case, evidence)
}

/// What a step of a PKS or an addendum may need to look at.
pub struct StepContext<'a> {
    pub case: &'a Case,
    /// The kind of the document an addendum amends.
    pub parent_kind: Option<AgreementKind>,
    pub officials: &'a dyn Fn(OfficialId) -> Option<Official>,
    pub rules: &'a RuleSet,
    /// Today in the acting region's calendar.
    pub today: Date,
    /// The final text and each party's signature evidence.
    pub evidence: Evidence<'a>,
    /// The surat kuasa recorded for this document.
    pub powers: &'a [crate::power_of_attorney::PowerOfAttorney],
}

/// Plans a step of a PKS or an addendum; returns the changed agreement.
///
/// # Errors
/// Stale version; a KB (it moves with its case); a step not allowed from the status; a failed
/// guard.
pub fn plan_agreement_step(
    a: &Agreement,
    req: &AgreementTransitionRequest,
    ctx: &StepContext<'_>,
    now: OffsetDateTime,
) -> Result<Agreement, DomainError> {
    use AgreementStatus as S;
    let today = ctx.today;
    if req.expected_version != a.version {
        return Err(DomainError::VersionConflict {
            expected: req.expected_version,
            current: a.version,
        });
    }
    let invalid = || DomainError::InvalidTransition {
        action: req.action.name().to_owned(),
        stage: a.status.as_str().to_owned(),
    };
    let note_given = req.note.as_deref().is_some_and(|n| !n.trim().is_empty());
    let pks = a.kind == AgreementKind::Pks;
    let to = match (a.kind, &req.action, a.status) {
        (AgreementKind::Kb, _, _) => {
            return Err(DomainError::guard(
                "agreement.kb_moves_with_case",
                "Kesepakatan Bersama bergerak bersama tahapan kerja samanya; gunakan transisi kerja sama.",
                "The Kesepakatan Bersama moves with its case's stages; use the case's transitions.",
            ));
        }
        (_, AgreementAction::SubmitReview, S::Penyusunan) if pks => S::KajianTkksd,
        (_, AgreementAction::Revise, S::KajianTkksd) if pks => S::Penyusunan,
        (_, AgreementAction::Reject, S::KajianTkksd) if pks => {
            if !note_given {
                return Err(DomainError::Validation(vec![FieldError::required("note")]));
            }
            S::Ditolak
        }
        (_, AgreementAction::Finalize, S::KajianTkksd) if pks => S::Final,
        (AgreementKind::Addendum, AgreementAction::Finalize, S::Penyusunan) => S::Final,
        (_, AgreementAction::RequestSignature, S::Final) if pks => S::MenungguTtd,
        (_, AgreementAction::Sign, S::MenungguTtd) if pks => S::Ditandatangani,
        (AgreementKind::Addendum, AgreementAction::Sign, S::Final) => S::Ditandatangani,
        (_, AgreementAction::StartImplementation, S::Ditandatangani) if pks => S::Pelaksanaan,
        (_, AgreementAction::Finish, S::Pelaksanaan) if pks => {
            if a.ends_on.is_none_or(|e| e > today) {
                return Err(DomainError::guard(
                    "pks.not_ended_yet",
                    "PKS belum mencapai tanggal berakhirnya; untuk menghentikan lebih awal gunakan pencabutan.",
                    "The PKS has not reached its end date; to stop it early, revoke it.",
                ));
            }
            S::Selesai
        }
        (_, AgreementAction::Revoke { reason }, st)
            if pks && !matches!(st, S::Selesai | S::Dicabut | S::Ditolak) =>
        {
            if reason.trim().is_empty() {
                return Err(DomainError::Validation(vec![FieldError::required(
                    "reason",
                )]));
            }
            S::Dicabut
        }
        _ => return Err(invalid()),
    };
    let mut next = a.clone();
    if to == S::Ditandatangani {
        if let Evidence::Required(Some(text)) = ctx.evidence {
            apply_evidence(&mut next, text, ctx.officials)?;
        }
        check_signable(&next, ctx)?;
    }
    next.status = to;
    if let AgreementAction::Revoke { reason } = &req.action {
        next.reason = Some(reason.trim().to_owned());
    }
    next.version += 1;
    next.updated_at = now;
    Ok(next)
}
