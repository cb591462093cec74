//! Reports for the kepala daerah, the governor (a province's report includes its regencies'
//! and cities' cooperation) and Kemendagri (counts by kind, stage and urusan; active
//! agreements with their dates): the register, the evaluation report and the urusan mapping
//! report of domain.md §3.4. One table model, written as XLSX (rust_xlsxwriter: real date
//! cells, labels, frozen header, filter, widths, wrapping, print setup) or as PDF through
//! Typst like the naskah (`sinergi_documents::report`: embedded fonts, tagged, page
//! numbers, wrapping cells, landscape for wide tables). `export.rs` writes the register
//! page's CSV and XLSX exports.

use sinergi_domain::agreement::{AgreementKind, AgreementStatus};
use sinergi_domain::case::Stage;
use sinergi_domain::catalog::catalog;
use sinergi_domain::{Lang, locale};
use sinergi_store::{RegionCases, Store, StoreError};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};

pub mod export;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Register,
    Evaluation,
    Mapping,
}

/// A cell of a report table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// A calendar date: a real date cell in XLSX, "26/03/2022" in the PDF.
    Date(Date),
}

impl Cell {
    /// The cell as printed: Indonesian number style ("1.234.567", "12,5").
    #[must_use]
    pub fn text(&self) -> String {
        match self {
            Self::Text(s) => s.clone(),
            Self::Number(n) => number_id(*n),
            Self::Date(d) => locale::date_numeric(*d),
        }
    }
}

/// A number as Indonesian texts write it: "." between thousands, "," before one decimal.
fn number_id(n: f64) -> String {
    let negative = n < 0.0;
    let rounded = (n.abs() * 10.0).round() / 10.0;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "report figures stay far below 2^53"
    )]
    let whole = rounded.trunc() as u64;
    let tenth = ((rounded - rounded.trunc()) * 10.0).round();
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    if tenth > 0.0 {
        grouped.push_str(&format!(",{tenth:.0}"));
    }
    if negative && (whole > 0 || tenth > 0.0) {
        format!("-{grouped}")
    } else {
        grouped
    }
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

#[expect(clippy::cast_precision_loss, reason = "counts are small")]
fn n(v: usize) -> Cell {
    Cell::Number(v as f64)
}

/// One table of a report.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A report ready to be written.
#[derive(Debug, Clone)]
pub struct Report {
    pub title: String,
    pub subtitle: String,
    pub sheets: Vec<Sheet>,
}

fn date(d: Option<Date>) -> Cell {
    d.map_or_else(|| t(""), Cell::Date)
}

fn sheet(name: &str, headers: &[&str]) -> Sheet {
    Sheet {
        name: name.to_owned(),
        headers: headers.iter().map(|h| (*h).to_owned()).collect(),
        rows: Vec::new(),
    }
}

fn parties(c: &sinergi_domain::case::Case) -> String {
    c.parties
        .iter()
        .map(|p| p.name.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

fn urusan_name(code: &str) -> String {
    catalog()
        .urusan
        .iter()
        .find(|u| u.code == code)
        .map_or_else(|| code.to_owned(), |u| u.name.clone())
}

fn group_label(g: sinergi_reference::UrusanGroup) -> &'static str {
    match g {
        sinergi_reference::UrusanGroup::WajibPelayananDasar => "Wajib, pelayanan dasar",
        sinergi_reference::UrusanGroup::WajibNonPelayananDasar => "Wajib, bukan pelayanan dasar",
        sinergi_reference::UrusanGroup::Pilihan => "Pilihan",
    }
}

fn status_label(s: sinergi_domain::monitoring::EvaluationStatus) -> &'static str {
    use sinergi_domain::monitoring::EvaluationStatus as S;
    match s {
        S::Draft => "Draf",
        S::Submitted => "Diajukan",
        S::Reviewed => "Direviu",
    }
}

fn recommendation_label(r: sinergi_domain::monitoring::EvaluationRecommendation) -> &'static str {
    use sinergi_domain::monitoring::EvaluationRecommendation as R;
    match r {
        R::Dilanjutkan => "Dilanjutkan",
        R::Diperluas => "Diperluas",
        R::Dihentikan => "Dihentikan",
    }
}

/// Reads what a report shows.
///
/// # Errors
/// Unknown region; database errors.
pub async fn gather(
    store: &Store,
    kind: ReportKind,
    region: &str,
    now: OffsetDateTime,
) -> Result<Report, StoreError> {
    let rc = store.region_cases(region).await?;
    let today = now.date();
    let audience = if rc.with_children {
        "Gubernur (termasuk kabupaten/kota di wilayahnya), Kepala Daerah dan Kemendagri"
    } else {
        "Kepala Daerah dan Kemendagri"
    };
    let subtitle = format!(
        "{} ({}) — untuk {audience}; per {}",
        rc.region_name,
        rc.region,
        locale::date_long(today, Lang::Id)
    );
    Ok(match kind {
        ReportKind::Register => {
            let mut units = Vec::with_capacity(rc.cases.len());
            for (c, _) in &rc.cases {
                units.push(
                    store
                        .case_units(c.id)
                        .await?
                        .into_iter()
                        .map(|(_, unit)| unit)
                        .collect(),
                );
            }
            register(&rc, &units, today, subtitle)
        }
        ReportKind::Evaluation => evaluation(store, &rc, subtitle).await?,
        ReportKind::Mapping => mapping(store, &rc, subtitle).await?,
    })
}

/// The region's register: the columns of the register page's own exports (each party's
/// number, signing date, term, end, remaining term, OPD, status) plus fields, urusan and the
/// number of PKS; `units[i]` are the OPD of case `i`.
fn register(rc: &RegionCases, units: &[Vec<String>], today: Date, subtitle: String) -> Report {
    let mut list = sheet(
        "Daftar Kerja Sama",
        &[
            "No",
            "Judul",
            "Jenis",
            "Tahap",
            "Para pihak",
            "Bidang",
            "Urusan",
            "Nomor PIHAK KESATU",
            "Nomor PIHAK KEDUA",
            "Tanggal TTD",
            "Jangka waktu",
            "Mulai",
            "Berakhir",
            "Sisa masa berlaku",
            "OPD",
            "Status",
            "Jumlah PKS",
        ],
    );
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_stage: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_urusan: BTreeMap<String, usize> = BTreeMap::new();
    let mut active = sheet(
        "Perjanjian Aktif",
        &[
            "Kerja sama",
            "Naskah",
            "Judul",
            "Nomor",
            "Mulai",
            "Berakhir",
            "Sisa hari",
        ],
    );
    for (i, (c, agreements)) in rc.cases.iter().enumerate() {
        let kb = agreements.iter().find(|a| a.kind == AgreementKind::Kb);
        let f = export::RegisterFacts::new(
            c.stage,
            kb,
            units.get(i).map_or(&[][..], Vec::as_slice),
            today,
            Lang::Id,
        );
        *by_kind.entry(c.kind.label_id().to_owned()).or_default() += 1;
        *by_stage.entry(c.stage.label_id().to_owned()).or_default() += 1;
        for u in c.urusan() {
            *by_urusan
                .entry(format!("{u} {}", urusan_name(&u)))
                .or_default() += 1;
        }
        list.rows.push(vec![
            n(i + 1),
            t(&c.title),
            t(c.kind.label_id()),
            t(c.stage.label_id()),
            t(parties(c)),
            t(c.fields
                .iter()
                .map(|f| f.label.clone())
                .collect::<Vec<_>>()
                .join("; ")),
            t(c.urusan().join(", ")),
            t(f.number_1),
            t(f.number_2),
            date(f.signed_on),
            t(f.term),
            date(f.starts_on),
            date(f.ends_on),
            t(f.remaining),
            t(f.units),
            t(f.status),
            n(agreements
                .iter()
                .filter(|a| a.kind == AgreementKind::Pks)
                .count()),
        ]);
        if c.stage == Stage::Aktif {
            for a in agreements.iter().filter(|a| {
                a.kind != AgreementKind::Addendum
                    && matches!(
                        a.status,
                        AgreementStatus::Ditandatangani | AgreementStatus::Pelaksanaan
                    )
            }) {
                active.rows.push(vec![
                    t(&c.title),
                    t(a.kind.label_id()),
                    t(&a.title),
                    t(a.parties
                        .iter()
                        .filter_map(|p| p.number.clone())
                        .collect::<Vec<_>>()
                        .join(" / ")),
                    date(a.starts_on),
                    date(a.ends_on),
                    a.ends_on
                        .map_or_else(|| t(""), |e| Cell::Number((e - today).whole_days() as f64)),
                ]);
            }
        }
    }
    let mut counts = sheet("Rekap", &["Menurut", "Kategori", "Jumlah"]);
    for (k, v) in &by_kind {
        counts.rows.push(vec![t("Jenis"), t(k), n(*v)]);
    }
    for (k, v) in &by_stage {
        counts.rows.push(vec![t("Tahap"), t(k), n(*v)]);
    }
    for (k, v) in &by_urusan {
        counts.rows.push(vec![t("Urusan"), t(k), n(*v)]);
    }
    counts.rows.push(vec![
        t("Jumlah"),
        t("Seluruh kerja sama"),
        n(rc.cases.len()),
    ]);
    let mut sheets = vec![list, counts, active];
    if rc.with_children {
        let mut children: BTreeMap<String, (String, usize, usize, usize)> = BTreeMap::new();
        for (c, _) in &rc.cases {
            for p in &c.parties {
                let Some(code) = &p.region else { continue };
                if !code.as_str().starts_with(&format!("{}.", rc.region)) {
                    continue;
                }
                let e = children
                    .entry(code.to_string())
                    .or_insert_with(|| (p.name.clone(), 0, 0, 0));
                e.1 += 1;
                if c.stage == Stage::Aktif {
                    e.2 += 1;
                } else if !c.stage.is_final() {
                    e.3 += 1;
                }
            }
        }
        let mut s = sheet(
            "Kabupaten-Kota",
            &[
                "Kode",
                "Pemerintah daerah",
                "Kerja sama",
                "Aktif",
                "Dalam proses",
            ],
        );
        for (code, (name, all, act, open)) in children {
            s.rows.push(vec![t(code), t(name), n(all), n(act), n(open)]);
        }
        sheets.push(s);
    }
    Report {
        title: "Register Kerja Sama Daerah".to_owned(),
        subtitle,
        sheets,
    }
}

async fn evaluation(
    store: &Store,
    rc: &RegionCases,
    subtitle: String,
) -> Result<Report, StoreError> {
    let mut progress = sheet(
        "Capaian",
        &[
            "Kerja sama",
            "Bidang",
            "Kegiatan",
            "Indikator",
            "Target",
            "Realisasi",
            "Capaian (%)",
            "Anggaran (Rp)",
        ],
    );
    let mut summary = sheet(
        "Ringkasan",
        &["Kerja sama", "Tahap", "Kegiatan", "Capaian rata-rata (%)"],
    );
    let mut forms = sheet(
        "Monev",
        &[
            "Kerja sama",
            "Periode",
            "Formulir",
            "Status",
            "Nilai",
            "Rekomendasi",
            "Diisi oleh",
            "Direview oleh",
        ],
    );
    for (c, _) in &rc.cases {
        let plan = store.work_plan(c.id).await?;
        summary.rows.push(vec![
            t(&c.title),
            t(c.stage.label_id()),
            n(plan.activities.len()),
            Cell::Number((plan.percent * 10.0).round() / 10.0),
        ]);
        for a in &plan.activities {
            let field = c
                .fields
                .iter()
                .find(|f| f.ordinal == a.activity.field)
                .map(|f| f.label.clone())
                .unwrap_or_default();
            #[expect(
                clippy::cast_precision_loss,
                reason = "rupiah sums stay far below 2^52"
            )]
            let budget = a.activity.budget.iter().map(|b| b.amount).sum::<i64>() as f64;
            for i in &a.indicators {
                progress.rows.push(vec![
                    t(&c.title),
                    t(&field),
                    t(&a.activity.title),
                    t(format!("{} ({})", i.name, i.unit)),
                    Cell::Number(i.target),
                    Cell::Number(i.realised),
                    Cell::Number((i.percent * 10.0).round() / 10.0),
                    Cell::Number(budget),
                ]);
            }
        }
        for e in store.list_evaluations(c.id).await? {
            forms.rows.push(vec![
                t(&c.title),
                t(&e.period),
                t(e.form.label()),
                t(status_label(e.status)),
                e.rating
                    .map_or_else(|| t(""), |r| Cell::Number(f64::from(r))),
                t(e.recommendation
                    .map(recommendation_label)
                    .unwrap_or_default()),
                t(&e.author),
                t(e.reviewed_by.clone().unwrap_or_default()),
            ]);
        }
    }
    Ok(Report {
        title: "Laporan Evaluasi Kerja Sama Daerah".to_owned(),
        subtitle,
        sheets: vec![summary, progress, forms],
    })
}

async fn mapping(store: &Store, rc: &RegionCases, subtitle: String) -> Result<Report, StoreError> {
    let mut s = sheet(
        "Pemetaan Urusan",
        &[
            "Kode",
            "Urusan",
            "Kelompok",
            "Kerja sama",
            "Aktif",
            "Mitra",
            "Bidang",
            "Program RPJMD/RKPD",
        ],
    );
    let mut links = BTreeMap::new();
    for (c, _) in &rc.cases {
        links.insert(c.id, store.list_programme_links(c.id).await?);
    }
    for u in &catalog().urusan {
        let cases: Vec<_> = rc
            .cases
            .iter()
            .filter(|(c, _)| c.urusan().contains(&u.code))
            .collect();
        let mut partners: Vec<String> = cases
            .iter()
            .flat_map(|(c, _)| c.parties.iter())
            .filter(|p| p.region.as_ref().is_none_or(|r| r.as_str() != rc.region))
            .map(|p| p.name.clone())
            .collect();
        partners.sort();
        partners.dedup();
        let mut fields: Vec<String> = cases
            .iter()
            .flat_map(|(c, _)| c.fields.iter().filter(|f| f.urusan.contains(&u.code)))
            .map(|f| f.label.clone())
            .collect();
        fields.sort();
        fields.dedup();
        let programmes: Vec<String> = cases
            .iter()
            .flat_map(|(c, _)| {
                let ords: Vec<u16> = c
                    .fields
                    .iter()
                    .filter(|f| f.urusan.contains(&u.code))
                    .map(|f| f.ordinal)
                    .collect();
                links
                    .get(&c.id)
                    .into_iter()
                    .flatten()
                    .filter(move |l| ords.contains(&l.field))
                    .map(|l| format!("{} {} {}", l.plan.to_uppercase(), l.code, l.name))
            })
            .collect();
        s.rows.push(vec![
            t(&u.code),
            t(&u.name),
            t(group_label(u.group)),
            n(cases.len()),
            n(cases
                .iter()
                .filter(|(c, _)| c.stage == Stage::Aktif)
                .count()),
            t(partners.join("; ")),
            t(fields.join("; ")),
            t(programmes.join("; ")),
        ]);
    }
    Ok(Report {
        title: "Laporan Pemetaan Urusan Kerja Sama Daerah".to_owned(),
        subtitle,
        sheets: vec![s],
    })
}

/// The kind of a column, from its cells: dates and numbers when every filled cell is one.
fn column_kind(s: &Sheet, col: usize) -> sinergi_documents::report::ColumnKind {
    use sinergi_documents::report::ColumnKind;
    let mut kind = None;
    for row in &s.rows {
        let k = match row.get(col) {
            Some(Cell::Number(_)) => ColumnKind::Number,
            Some(Cell::Date(_)) => ColumnKind::Date,
            Some(Cell::Text(x)) if x.is_empty() => continue,
            _ => return ColumnKind::Text,
        };
        match kind {
            None => kind = Some(k),
            Some(prev) if prev != k => return ColumnKind::Text,
            Some(_) => {}
        }
    }
    kind.unwrap_or(ColumnKind::Text)
}

/// Character width of a column: its longest value (or header word), 8–60.
fn column_chars(s: &Sheet, col: usize) -> usize {
    let header = s.headers.get(col).map_or(4, |h| h.chars().count() + 2);
    let longest = s
        .rows
        .iter()
        .filter_map(|r| r.get(col))
        .map(|c| c.text().chars().count() + 1)
        .max()
        .unwrap_or(0);
    header.max(longest).clamp(8, 60)
}

/// The report as an XLSX workbook, one worksheet per table: the title and subtitle, the
/// header row frozen and filterable, dates as date cells, widths from the content, long
/// texts wrapped, printed on A4 (landscape when wide) one page wide with the header row on
/// every page and "Halaman n dari N" in the footer.
///
/// # Errors
/// The writer failed.
pub fn xlsx(r: &Report) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder};
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(&r.title)
            .set_subject(&r.subtitle)
            .set_author("Sinergi"),
    );
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(rust_xlsxwriter::Color::RGB(0x00E0_E0E0))
        .set_border_bottom(FormatBorder::Thin);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let date = Format::new()
        .set_num_format("dd/mm/yyyy")
        .set_align(FormatAlign::Top);
    let integer = Format::new()
        .set_num_format("#,##0")
        .set_align(FormatAlign::Top);
    let decimal = Format::new()
        .set_num_format("#,##0.0")
        .set_align(FormatAlign::Top);
    const HEAD: u32 = 3;
    for s in &r.sheets {
        let ws = wb.add_worksheet();
        // Excel allows 31 characters and no []:*?/\ in a sheet name.
        let name: String = s
            .name
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        ws.set_name(&name)?;
        ws.write_string_with_format(0, 0, &r.title, &title)?;
        ws.write_string(1, 0, &r.subtitle)?;
        let mut total_chars = 0;
        for (c, h) in (0_u16..).zip(&s.headers) {
            ws.write_string_with_format(HEAD, c, h, &header)?;
            let chars = column_chars(s, usize::from(c));
            total_chars += chars;
            #[expect(clippy::cast_precision_loss, reason = "a small width")]
            ws.set_column_width(c, chars as f64)?;
        }
        for (row, cells) in (HEAD + 1..).zip(&s.rows) {
            for (c, cell) in (0_u16..).zip(cells) {
                match cell {
                    Cell::Text(x) => ws.write_string_with_format(row, c, x, &wrap)?,
                    Cell::Number(x) if x.fract() == 0.0 => {
                        ws.write_number_with_format(row, c, *x, &integer)?
                    }
                    Cell::Number(x) => ws.write_number_with_format(row, c, *x, &decimal)?,
                    Cell::Date(d) => ws.write_datetime_with_format(
                        row,
                        c,
                        ExcelDateTime::from_ymd(
                            u16::try_from(d.year()).unwrap_or(1900),
                            u8::from(d.month()),
                            d.day(),
                        )?,
                        &date,
                    )?,
                };
            }
        }
        let last_col = u16::try_from(s.headers.len().saturating_sub(1)).unwrap_or(0);
        let last_row = HEAD + u32::try_from(s.rows.len()).unwrap_or(0);
        ws.set_freeze_panes(HEAD + 1, 0)?;
        ws.autofilter(HEAD, 0, last_row, last_col)?;
        ws.set_paper_size(9); // A4
        if total_chars > 100 || s.headers.len() > 6 {
            ws.set_landscape();
        } else {
            ws.set_portrait();
        }
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(HEAD, HEAD)?;
        ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
        ws.set_footer("&L&8Sinergi — &A&R&8Halaman &P dari &N");
    }
    wb.save_to_buffer()
}

/// The report as a PDF, laid out by Typst (`sinergi_documents::report`).
///
/// # Errors
/// A layout error (a bug in the layout, never in the data: it arrives as JSON).
pub fn pdf(r: &Report) -> Result<Vec<u8>, sinergi_documents::pdf::RenderError> {
    use sinergi_documents::report::{ReportDoc, Table};
    let tables = r
        .sheets
        .iter()
        .map(|s| {
            let headers: Vec<(String, sinergi_documents::report::ColumnKind)> = s
                .headers
                .iter()
                .enumerate()
                .map(|(i, h)| (h.clone(), column_kind(s, i)))
                .collect();
            let rows = s
                .rows
                .iter()
                .map(|row| {
                    (0..s.headers.len())
                        .map(|i| row.get(i).map(Cell::text).unwrap_or_default())
                        .collect()
                })
                .collect();
            Table::new(&s.name, &headers, rows)
        })
        .collect();
    let doc = ReportDoc {
        title: r.title.clone(),
        subtitle: r.subtitle.clone(),
        tables,
    };
    sinergi_documents::pdf::render_report(&doc).map(|(pdf, _)| pdf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_the_indonesian_way() {
        assert_eq!(number_id(1_234_567.0), "1.234.567");
        assert_eq!(number_id(12.5), "12,5");
        assert_eq!(number_id(0.0), "0");
        assert_eq!(number_id(-1500.0), "-1.500");
    }
}
