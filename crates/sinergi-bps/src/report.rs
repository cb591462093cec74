//! The reader's report: every row as mapped, skipped or rejected, the values of the mapped
//! rows, and the view of it a page or the API shows.

use crate::{Issue, NumberFormat, Problem, SkipReason};
use serde::Serialize;
use sinergi_domain::Lang;

/// What happened to one row.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Mapped { code: String, name: String },
    Skipped(SkipReason),
    Rejected(Vec<Problem>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowReport {
    pub line: usize,
    /// The row's region cell as written.
    pub label: String,
    pub outcome: Outcome,
}

/// One value read from a mapped row.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub line: usize,
    pub region_code: String,
    pub sector: String,
    pub value: f64,
}

/// Everything the reader found.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub file: String,
    pub sheet: Option<String>,
    pub year: i32,
    pub number_format: Option<NumberFormat>,
    /// Problems with the file as a whole; any of them means nothing can be imported.
    pub file_problems: Vec<Issue>,
    pub rows: Vec<RowReport>,
    /// Values of the mapped rows only.
    pub values: Vec<Value>,
}

impl Report {
    #[must_use]
    pub fn mapped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Mapped { .. }))
    }

    #[must_use]
    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped(_)))
    }

    #[must_use]
    pub fn rejected(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Rejected(_)))
    }

    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.rows.iter().filter(|r| f(&r.outcome)).count()
    }

    /// Whether the values may be written: no file problem, at least one mapped row, and no
    /// rejected row unless the user accepted a partial import.
    #[must_use]
    pub fn importable(&self, accept_partial: bool) -> bool {
        self.file_problems.is_empty()
            && self.mapped() > 0
            && (accept_partial || self.rejected() == 0)
    }

    /// "data.csv, baris 12" / "data.xlsx (lembar Tabel), line 12".
    #[must_use]
    pub fn place(&self, line: Option<usize>, lang: Lang) -> String {
        let mut s = self.file.clone();
        if let Some(sheet) = &self.sheet {
            s.push_str(&format!(" ({} {sheet})", lang.pick("lembar", "sheet")));
        }
        if let Some(line) = line {
            s.push_str(&format!(", {} {line}", lang.pick("baris", "line")));
        }
        s
    }

    /// Every problem as "file, line N: problem", file problems first.
    #[must_use]
    pub fn problem_lines(&self, lang: Lang) -> Vec<String> {
        let mut out: Vec<String> = self
            .file_problems
            .iter()
            .map(|i| format!("{}: {}", self.place(i.line, lang), i.problem.message(lang)))
            .collect();
        for r in &self.rows {
            if let Outcome::Rejected(problems) = &r.outcome {
                for p in problems {
                    out.push(format!(
                        "{}: {}",
                        self.place(Some(r.line), lang),
                        p.message(lang)
                    ));
                }
            }
        }
        out
    }

    /// The report as JSON-ready data in the user's language.
    #[must_use]
    pub fn view(&self, lang: Lang) -> ReportView {
        let issue = |line: Option<usize>, p: &Problem| IssueView {
            line,
            code: p.code(),
            message: p.message(lang),
            place: self.place(line, lang),
        };
        ReportView {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            year: self.year,
            number_format: self.number_format,
            mapped: self.mapped(),
            skipped: self.skipped(),
            rejected: self.rejected(),
            file_problems: self
                .file_problems
                .iter()
                .map(|i| issue(i.line, &i.problem))
                .collect(),
            rows: self
                .rows
                .iter()
                .map(|r| {
                    let (status, code, name, reason, problems) = match &r.outcome {
                        Outcome::Mapped { code, name } => (
                            "mapped",
                            Some(code.clone()),
                            Some(name.clone()),
                            None,
                            Vec::new(),
                        ),
                        Outcome::Skipped(s) => (
                            "skipped",
                            None,
                            None,
                            Some(s.message(lang).to_owned()),
                            Vec::new(),
                        ),
                        Outcome::Rejected(ps) => (
                            "rejected",
                            None,
                            None,
                            None,
                            ps.iter().map(|p| issue(Some(r.line), p)).collect(),
                        ),
                    };
                    RowView {
                        line: r.line,
                        label: r.label.clone(),
                        status,
                        region_code: code,
                        region_name: name,
                        reason,
                        problems,
                    }
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct IssueView {
    pub line: Option<usize>,
    pub code: &'static str,
    pub message: String,
    /// "file, baris N".
    pub place: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub line: usize,
    pub label: String,
    /// `mapped`, `skipped` or `rejected`.
    pub status: &'static str,
    pub region_code: Option<String>,
    pub region_name: Option<String>,
    pub reason: Option<String>,
    pub problems: Vec<IssueView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub file: String,
    pub sheet: Option<String>,
    pub year: i32,
    pub number_format: Option<NumberFormat>,
    pub mapped: usize,
    pub skipped: usize,
    pub rejected: usize,
    pub file_problems: Vec<IssueView>,
    pub rows: Vec<RowView>,
}
