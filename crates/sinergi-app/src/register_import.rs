//! Bringing a region's existing register in (issue 19): read the file (`sinergi-register`,
//! pure), decide for every row what it becomes against what Sinergi already holds — a new
//! case, an agreement joining its KB's case, a row imported before, a possible duplicate, a
//! refusal with what to fix — and, unless it is a dry run, write every accepted row in one
//! transaction. The web page, the JSON API and `sinergi cases import` all call [`App::import_register`].

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use sinergi_domain::DomainError;
use sinergi_domain::access::Perm;
use sinergi_domain::agreement::{Agreement, AgreementKind};
use sinergi_domain::case::Stage;
use sinergi_domain::ids::{AgreementId, CaseId};
use sinergi_domain::lang::Lang;
use sinergi_domain::legacy::{LegacyPlan, LegacyRecord};
use sinergi_register::{Column, Directory, Header, Outcome, Problem, Spec};
use sinergi_store::{ExistingAgreement, LegacyWrite, RegisterWrite};

use crate::{App, AppError, Caller};

/// What to import.
#[derive(Debug, Clone)]
pub struct RegisterRequest<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub sheet: Option<&'a str>,
    /// The importing region; a region's admin may only import for their own region.
    pub region: &'a str,
    /// Column choices over the recognised ones: `(index, meaning)`, `None` to ignore.
    pub columns: Vec<(usize, Option<Column>)>,
    pub dry_run: bool,
    pub lang: Lang,
    /// Where a page shows how far the import has got (large files run in the background).
    pub progress: Option<Arc<ImportProgress>>,
    /// The id the written import gets (a page that follows a background import waits for it).
    pub import_id: Option<uuid::Uuid>,
}

/// How far an import has got: rows checked of all rows, then rows written of those accepted.
#[derive(Debug, Default)]
pub struct ImportProgress {
    pub rows: AtomicUsize,
    pub checked: AtomicUsize,
    pub to_write: AtomicUsize,
    pub written: AtomicUsize,
}

impl ImportProgress {
    /// (rows, checked, to write, written).
    #[must_use]
    pub fn snapshot(&self) -> (usize, usize, usize, usize) {
        (
            self.rows.load(Ordering::Relaxed),
            self.checked.load(Ordering::Relaxed),
            self.to_write.load(Ordering::Relaxed),
            self.written.load(Ordering::Relaxed),
        )
    }
}

/// What a read register is decided for.
struct How<'a> {
    region: &'a str,
    sha256: String,
    dry_run: bool,
    lang: Lang,
    progress: Option<&'a ImportProgress>,
    import_id: Option<uuid::Uuid>,
}

/// What a row becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// A new case with its KB or PKS.
    NewCase,
    /// A PKS or addendum joining the case of its KB.
    JoinsCase,
    /// This row was imported before: nothing new.
    AlreadyImported,
    /// A case with the same parties, date and a similar subject exists: not added twice.
    PossibleDuplicate,
    Refused,
    Skipped,
}

/// One row of the report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportRow {
    pub line: usize,
    pub status: RowStatus,
    pub kind: Option<String>,
    pub subject: Option<String>,
    /// The parties as they will be recorded (the importing region first).
    pub parties: Vec<String>,
    pub stage: Option<String>,
    pub signed_on: Option<time::Date>,
    pub ends_on: Option<time::Date>,
    /// The case the row became, joins or duplicates.
    pub case_id: Option<CaseId>,
    /// For a PKS or addendum: the line of its KB in this file.
    pub parent_line: Option<usize>,
    /// Why refused or skipped, what was derived, in the request's language.
    pub messages: Vec<String>,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, Serialize, utoipa::ToSchema)]
pub struct ReportCounts {
    pub new_cases: usize,
    pub joins_case: usize,
    pub already_imported: usize,
    pub possible_duplicates: usize,
    pub refused: usize,
    pub skipped: usize,
}

/// A recognised (or chosen) column of the file.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ColumnView {
    pub index: usize,
    pub letter: String,
    pub header: String,
    pub column: Option<Column>,
}

/// The dry-run or import report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RegisterReport {
    pub file: String,
    pub sheet: Option<String>,
    /// SHA-256 of the file, as stored with the import.
    pub sha256: String,
    pub region: String,
    pub dry_run: bool,
    /// Whether rows were written (false on a dry run, or when no row was accepted).
    pub imported: bool,
    pub import_id: Option<uuid::Uuid>,
    pub header_lines: Vec<usize>,
    pub columns: Vec<ColumnView>,
    /// Why the file as a whole could not be read.
    pub problems: Vec<String>,
    pub counts: ReportCounts,
    pub rows: Vec<ReportRow>,
}

fn directory() -> Result<&'static Directory, AppError> {
    static DIR: OnceLock<Option<Directory>> = OnceLock::new();
    DIR.get_or_init(|| Directory::embedded().ok())
        .as_ref()
        .ok_or_else(|| {
            AppError::Refused(DomainError::guard(
                "import.reference_broken",
                "Data wilayah bawaan tidak terbaca.",
                "The embedded region data cannot be read.",
            ))
        })
}

/// Subject words that tell agreements apart (not "kerja sama", "pemerintah", …).
fn subject_words(text: &str) -> HashSet<String> {
    const COMMON: [&str; 14] = [
        "kerja",
        "sama",
        "kerjasama",
        "dan",
        "tentang",
        "antara",
        "pemerintah",
        "provinsi",
        "kabupaten",
        "kota",
        "bidang",
        "dengan",
        "dalam",
        "rangka",
    ];
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3 && !COMMON.contains(&w.as_str()))
        .collect()
}

/// Whether two subjects are about the same thing: most of the shorter one's words are in the
/// other.
fn similar(a: &str, b: &str) -> bool {
    let (a, b) = (subject_words(a), subject_words(b));
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return false;
    }
    let common = a.intersection(&b).count();
    common * 2 >= smaller.max(1) + usize::from(smaller > 1)
}

fn parties_key(region: &str, record: &LegacyRecord) -> Vec<String> {
    let mut keys: Vec<String> = std::iter::once(region.to_owned())
        .chain(
            record
                .partners
                .iter()
                .map(|p| p.region.clone().unwrap_or_else(|| p.name.to_lowercase())),
        )
        .collect();
    keys.sort();
    keys
}

fn stage_label(stage: Stage, lang: Lang) -> String {
    lang.pick(stage.label_id(), stage.label_en()).to_owned()
}

/// The kinds keep their Indonesian names in English ("Kesepakatan Bersama").
fn kind_label(kind: AgreementKind) -> String {
    kind.label_id().to_owned()
}

impl App {
    /// Reads a register file and reports every row; unless `dry_run`, writes every accepted
    /// row in one transaction.
    ///
    /// # Errors
    /// A caller who may not import for the region; storage failures. Problems of the file or
    /// its rows are in the report, not errors.
    pub async fn import_register(
        &self,
        caller: &Caller,
        req: &RegisterRequest<'_>,
    ) -> Result<RegisterReport, AppError> {
        Self::may_import(caller, req.region)?;
        let dir = directory()?;
        let register = sinergi_register::read_register(
            req.bytes,
            &Spec {
                file_name: req.file_name,
                sheet: req.sheet,
                region: req.region,
                overrides: &req.columns,
                limits: sinergi_register::register_limits(),
            },
            dir,
        );
        let how = How {
            region: req.region,
            sha256: sinergi_domain::audit::sha256_hex(req.bytes),
            dry_run: req.dry_run,
            lang: req.lang,
            progress: req.progress.as_deref(),
            import_id: req.import_id,
        };
        self.decide(caller, &register, &how).await
    }

    /// Records one agreement signed before Sinergi, typed into a form: the same rules, report
    /// and write as a register row (`dry_run` checks it only).
    ///
    /// # Errors
    /// As [`App::import_register`].
    pub async fn record_legacy(
        &self,
        caller: &Caller,
        region: &str,
        fields: &[(Column, String)],
        dry_run: bool,
        lang: Lang,
    ) -> Result<RegisterReport, AppError> {
        Self::may_import(caller, region)?;
        let register = sinergi_register::read_entry(fields, region, directory()?);
        let typed: Vec<String> = fields
            .iter()
            .map(|(c, v)| format!("{}={v}", c.as_str()))
            .collect();
        let how = How {
            region,
            sha256: sinergi_domain::audit::sha256_hex(typed.join("\n").as_bytes()),
            dry_run,
            lang,
            progress: None,
            import_id: None,
        };
        self.decide(caller, &register, &how).await
    }

    /// What every row of a read register becomes; unless `dry_run`, the accepted rows are
    /// written in one transaction.
    async fn decide(
        &self,
        caller: &Caller,
        register: &sinergi_register::Register,
        how: &How<'_>,
    ) -> Result<RegisterReport, AppError> {
        let (region, dry_run, lang) = (how.region, how.dry_run, how.lang);
        let sha256 = how.sha256.clone();
        if let Some(p) = how.progress {
            p.rows.store(register.rows.len(), Ordering::Relaxed);
        }
        let mut report = RegisterReport {
            file: register.file.clone(),
            sheet: register.sheet.clone(),
            sha256,
            region: region.to_owned(),
            dry_run,
            imported: false,
            import_id: None,
            header_lines: register
                .header
                .as_ref()
                .map(|h| h.lines.clone())
                .unwrap_or_default(),
            columns: columns_of(register.header.as_ref()),
            problems: register.problems.iter().map(|p| p.message(lang)).collect(),
            counts: ReportCounts::default(),
            rows: Vec::new(),
        };
        let stored = self.store.region_agreements(region).await?;
        let existing = Existing::new(&stored);
        let imported = self.store.imported_keys(region).await?;
        let codes: Vec<String> = register
            .rows
            .iter()
            .filter_map(|r| match &r.outcome {
                Outcome::Record { record, .. } => Some(record),
                _ => None,
            })
            .flat_map(|rec| rec.partners.iter().filter_map(|p| p.region.clone()))
            .chain(std::iter::once(region.to_owned()))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let regions = self.store.region_directory(&codes).await?;
        let now = self.clock.now();

        let mut decided = Decisions::default();
        let mut writes = Vec::new();
        for row in &register.rows {
            let out = match &row.outcome {
                Outcome::Skipped { skip } => ReportRow::bare(row.line, RowStatus::Skipped)
                    .with_messages(vec![skip.message(lang)]),
                Outcome::Refused { problems } => refused(row.line, problems, lang),
                Outcome::Record {
                    record,
                    notes,
                    parent_line,
                } => {
                    let mut out = ReportRow::bare(row.line, RowStatus::NewCase);
                    out.kind = Some(kind_label(record.kind));
                    out.subject = Some(record.subject.clone());
                    out.signed_on = Some(record.signed_on);
                    out.parent_line = *parent_line;
                    out.messages
                        .extend(notes.iter().map(|n| lang.pick(&n.id, &n.en).to_owned()));
                    let key = record.key(region);
                    if let Some(case) = imported.get(&key) {
                        out.status = RowStatus::AlreadyImported;
                        out.case_id = Some(*case);
                        out.messages.push(
                            lang.pick(
                                "Sudah diimpor sebelumnya; tidak ditambahkan lagi.",
                                "Imported before; not added again.",
                            )
                            .to_owned(),
                        );
                        decided.settled(row.line, *case, &existing);
                    } else if let Some(first) = decided.keys.get(&key) {
                        out.status = RowStatus::PossibleDuplicate;
                        out.messages.push(match lang {
                            Lang::Id => format!(
                                "Sama dengan baris {first} di file ini; tidak ditambahkan dua kali."
                            ),
                            Lang::En => {
                                format!("The same as line {first} of this file; not added twice.")
                            }
                        });
                    } else if let Some(dup) = existing.duplicate_of(region, record) {
                        out.status = RowStatus::PossibleDuplicate;
                        out.case_id = Some(dup.agreement.case_id);
                        out.messages.push(match lang {
                            Lang::Id => format!("Kemungkinan duplikat dari kasus \"{}\" yang sudah ada (pihak, tanggal dan pokok yang sama); tidak ditambahkan. Periksa kasus itu.", dup.case_title),
                            Lang::En => format!("Possibly a duplicate of the existing case \"{}\" (same parties, date and a similar subject); not added. Check that case.", dup.case_title),
                        });
                        decided.settled(row.line, dup.agreement.case_id, &existing);
                    } else {
                        match Self::plan_row(
                            region,
                            record,
                            *parent_line,
                            &decided,
                            &existing,
                            &regions,
                            now,
                        ) {
                            Err(problem) => {
                                out.status = RowStatus::Refused;
                                out.messages.push(problem.message(lang));
                            }
                            Ok((plan, joins)) => {
                                out.stage = Some(stage_label(plan.case.stage, lang));
                                out.ends_on = plan.agreement.ends_on;
                                out.messages.extend(
                                    plan.notes
                                        .iter()
                                        .map(|(id, en)| lang.pick(id, en).to_owned()),
                                );
                                out.parties =
                                    plan.case.parties.iter().map(|p| p.name.clone()).collect();
                                out.case_id = Some(plan.agreement.case_id);
                                if joins {
                                    out.status = RowStatus::JoinsCase;
                                    out.stage = None;
                                }
                                decided.keys.insert(key.clone(), row.line);
                                if plan.agreement.kind == AgreementKind::Kb {
                                    decided.kbs.insert(
                                        row.line,
                                        (plan.agreement.case_id, plan.agreement.id),
                                    );
                                }
                                writes.push(write_of(record, plan, joins, key, &report.sha256));
                            }
                        }
                    }
                    out
                }
            };
            report.counts.add(out.status);
            if let Some(p) = how.progress {
                p.checked.fetch_add(1, Ordering::Relaxed);
            }
            report.rows.push(out);
        }
        if let Some(p) = how.progress {
            p.to_write.store(writes.len(), Ordering::Relaxed);
        }
        if !dry_run && !writes.is_empty() {
            let id = self
                .store
                .write_register_import(
                    &RegisterWrite {
                        region,
                        file_name: &register.file,
                        file_sha256: &report.sha256,
                        sheet: register.sheet.as_deref(),
                        rows: writes,
                        id: how.import_id.unwrap_or_else(uuid::Uuid::now_v7),
                        written: how.progress.map(|p| &p.written),
                    },
                    &caller.actor(),
                    now,
                )
                .await?;
            report.imported = true;
            report.import_id = Some(id);
        }
        Ok(report)
    }

    /// Keeps an uploaded register (content-addressed) for its region's admin to preview and
    /// import; returns its SHA-256.
    ///
    /// # Errors
    /// A caller who may not import for the region; a file over the size limit; storage.
    pub async fn stage_register(
        &self,
        caller: &Caller,
        region: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<String, AppError> {
        Self::may_import(caller, region)?;
        let limits = sinergi_register::register_limits();
        if let Err(e) = sinergi_bps::limits::check_size(bytes, &limits) {
            let (id, en) = e.messages();
            return Err(AppError::Refused(DomainError::Validation(vec![
                sinergi_domain::FieldError::new(
                    "file",
                    "too_large",
                    format!("Berkas ditolak: {id}."),
                    format!("File refused: {en}."),
                ),
            ])));
        }
        let sha = self
            .documents
            .files
            .put(bytes)
            .await
            .map_err(|e| AppError::Store(sinergi_store::StoreError::Files(e)))?;
        self.store
            .record_register_upload(region, &sha, file_name, &caller.actor(), self.clock.now())
            .await?;
        Ok(sha)
    }

    /// A register the region uploaded before: its name and bytes.
    ///
    /// # Errors
    /// A caller who may not import for the region; `not_found` when this region did not
    /// upload that file; storage.
    pub async fn staged_register(
        &self,
        caller: &Caller,
        region: &str,
        sha256: &str,
    ) -> Result<(String, Vec<u8>), AppError> {
        Self::may_import(caller, region)?;
        let not_found = || AppError::Refused(DomainError::not_found("register_upload", sha256));
        let upload = self
            .store
            .register_upload(region, sha256)
            .await?
            .ok_or_else(not_found)?;
        let bytes = self
            .documents
            .files
            .get(sha256)
            .await
            .map_err(|e| AppError::Store(sinergi_store::StoreError::Files(e)))?
            .ok_or_else(not_found)?;
        Ok((upload.file_name, bytes))
    }

    /// The region's written imports, newest first.
    ///
    /// # Errors
    /// A caller who may not import for the region; storage.
    pub async fn register_imports(
        &self,
        caller: &Caller,
        region: &str,
    ) -> Result<Vec<sinergi_store::RegisterImportSummary>, AppError> {
        Self::may_import(caller, region)?;
        Ok(self.store.register_imports_of(region).await?)
    }

    /// A region's admin imports for their own region; the operator for any.
    fn may_import(caller: &Caller, region: &str) -> Result<(), AppError> {
        crate::reports::may(caller, region, Perm::RegisterImport)?;
        if sinergi_reference::level_of_code(region).is_none() {
            return Err(AppError::Refused(DomainError::UnknownRegion(
                region.to_owned(),
            )));
        }
        Ok(())
    }

    /// The plan of an accepted row, and whether it joins an existing (or just planned) case.
    fn plan_row(
        region: &str,
        record: &LegacyRecord,
        parent_line: Option<usize>,
        decided: &Decisions,
        existing: &Existing<'_>,
        regions: &sinergi_store::Directory,
        now: time::OffsetDateTime,
    ) -> Result<(LegacyPlan, bool), Problem> {
        let mut plan = record.plan(region, regions, now).map_err(|e| rule(&e))?;
        if record.kind == AgreementKind::Kb {
            return Ok((plan, false));
        }
        let Some(number) = &record.parent_number else {
            return Ok((plan, false));
        };
        let parent = match parent_line {
            Some(line) => decided.kbs.get(&line).copied(),
            None => None,
        }
        .or_else(|| {
            existing
                .kb_by_number
                .get(&sinergi_reference::search_key(number))
                .copied()
        });
        let Some((case_id, kb)) = parent else {
            return Err(Problem::ParentNotFound {
                number: number.clone(),
            });
        };
        plan.agreement.case_id = case_id;
        plan.agreement.parent = Some(kb);
        Ok((plan, true))
    }
}

/// An existing agreement with its case's parties, sorted.
type WithParties<'a> = (&'a ExistingAgreement, Vec<String>);

/// What Sinergi holds for the region, indexed for thousands of rows: agreements by kind and
/// signing date (with their sorted parties), KBs by each party's number and by case.
struct Existing<'a> {
    by_date: HashMap<(AgreementKind, time::Date), Vec<WithParties<'a>>>,
    kb_by_number: HashMap<String, (CaseId, AgreementId)>,
    kb_of_case: HashMap<CaseId, AgreementId>,
}

impl<'a> Existing<'a> {
    fn new(all: &'a [ExistingAgreement]) -> Self {
        let mut by_date: HashMap<_, Vec<_>> = HashMap::new();
        let mut kb_by_number = HashMap::new();
        let mut kb_of_case = HashMap::new();
        for e in all {
            let a = &e.agreement;
            if let Some(d) = a.signed_on {
                let mut parties = e.parties.clone();
                parties.sort();
                by_date.entry((a.kind, d)).or_default().push((e, parties));
            }
            if a.kind == AgreementKind::Kb {
                kb_of_case.insert(a.case_id, a.id);
                for n in a.parties.iter().filter_map(|p| p.number.as_deref()) {
                    kb_by_number
                        .entry(sinergi_reference::search_key(n))
                        .or_insert((a.case_id, a.id));
                }
            }
        }
        Self {
            by_date,
            kb_by_number,
            kb_of_case,
        }
    }

    /// An agreement of the same kind, parties and signing date with a similar subject.
    fn duplicate_of(&self, region: &str, record: &LegacyRecord) -> Option<&'a ExistingAgreement> {
        let parties = parties_key(region, record);
        self.by_date
            .get(&(record.kind, record.signed_on))?
            .iter()
            .find(|(e, theirs)| {
                *theirs == parties
                    && (similar(&e.agreement.title, &record.subject)
                        || similar(&e.case_title, &record.subject))
            })
            .map(|(e, _)| *e)
    }
}

/// What earlier rows of the file became: KB lines with their case and agreement, keys seen.
#[derive(Default)]
struct Decisions {
    kbs: HashMap<usize, (CaseId, AgreementId)>,
    keys: HashMap<String, usize>,
}

impl Decisions {
    /// A KB row that is already in Sinergi: its PKS rows join that case.
    fn settled(&mut self, line: usize, case: CaseId, existing: &Existing<'_>) {
        if let Some(kb) = existing.kb_of_case.get(&case) {
            self.kbs.insert(line, (case, *kb));
        }
    }
}

impl ReportCounts {
    fn add(&mut self, status: RowStatus) {
        match status {
            RowStatus::NewCase => self.new_cases += 1,
            RowStatus::JoinsCase => self.joins_case += 1,
            RowStatus::AlreadyImported => self.already_imported += 1,
            RowStatus::PossibleDuplicate => self.possible_duplicates += 1,
            RowStatus::Refused => self.refused += 1,
            RowStatus::Skipped => self.skipped += 1,
        }
    }
}

impl ReportRow {
    fn bare(line: usize, status: RowStatus) -> Self {
        Self {
            line,
            status,
            kind: None,
            subject: None,
            parties: Vec::new(),
            stage: None,
            signed_on: None,
            ends_on: None,
            case_id: None,
            parent_line: None,
            messages: Vec::new(),
        }
    }

    fn with_messages(mut self, messages: Vec<String>) -> Self {
        self.messages = messages;
        self
    }
}

fn refused(line: usize, problems: &[Problem], lang: Lang) -> ReportRow {
    ReportRow::bare(line, RowStatus::Refused)
        .with_messages(problems.iter().map(|p| p.message(lang)).collect())
}

fn rule(e: &DomainError) -> Problem {
    Problem::Rule {
        code: e.code().to_owned(),
        id: e.message(Lang::Id),
        en: e.message(Lang::En),
    }
}

fn columns_of(header: Option<&Header>) -> Vec<ColumnView> {
    header
        .map(|h| {
            h.columns
                .iter()
                .map(|c| ColumnView {
                    index: c.index,
                    letter: c.letter.clone(),
                    header: c.header.clone(),
                    column: c.column,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn write_of(
    record: &LegacyRecord,
    plan: LegacyPlan,
    joins: bool,
    key: String,
    sha256: &str,
) -> LegacyWrite {
    let details = serde_json::json!({
        "file": record.source.file,
        "sheet": record.source.sheet,
        "line": record.source.line,
        "sha256": sha256,
        "kind": record.kind,
        "agreement": plan.agreement.id,
        "register": {
            "status": record.status_text,
            "notes": record.notes,
            "unit": record.unit,
            "term_months": record.term_months,
            "parent_number": record.parent_number,
        },
        "derived": plan.notes.iter().map(|(id, _)| id).collect::<Vec<_>>(),
    });
    let agreement: Agreement = plan.agreement;
    LegacyWrite {
        case: (!joins).then_some(plan.case),
        agreement,
        record_key: key,
        line: record.source.line,
        unit: record.unit.clone(),
        note: record.source.note(),
        details,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_subjects_share_most_of_their_words() {
        assert!(similar(
            "Kerja Sama Pembangunan Daerah Bidang Pariwisata",
            "Pembangunan Daerah dan Pariwisata"
        ));
        assert!(!similar(
            "Promosi Pariwisata Bersama",
            "Pengelolaan Sampah Regional"
        ));
    }
}
