//! Reports for the kepala daerah, the governor (a province's report includes its regencies'
//! and cities' cooperation) and Kemendagri (counts by kind, stage and urusan; active
//! agreements with their dates): the register, the evaluation report and the urusan mapping
//! report of domain.md §3.4. One table model, written as XLSX (rust_xlsxwriter) or as a
//! plain PDF of our own (`pdf.rs`: text tables, built-in Helvetica, no dependency).

use sinergi_domain::agreement::{AgreementKind, AgreementStatus};
use sinergi_domain::case::Stage;
use sinergi_domain::catalog::catalog;
use sinergi_domain::{Lang, locale};
use sinergi_store::{RegionCases, Store, StoreError};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};

mod pdf;

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
}

impl Cell {
    #[must_use]
    pub fn text(&self) -> String {
        match self {
            Self::Text(s) => s.clone(),
            Self::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Self::Number(n) => format!("{n:.1}").replace('.', ","),
        }
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
    t(d.map(locale::date_numeric).unwrap_or_default())
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
        ReportKind::Register => register(&rc, today, subtitle),
        ReportKind::Evaluation => evaluation(store, &rc, subtitle).await?,
        ReportKind::Mapping => mapping(store, &rc, subtitle).await?,
    })
}

fn register(rc: &RegionCases, today: Date, subtitle: String) -> Report {
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
            "Nomor KB",
            "Tanggal TTD KB",
            "Mulai",
            "Berakhir",
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
            t(kb.map(|k| {
                k.parties
                    .iter()
                    .filter_map(|p| p.number.clone())
                    .collect::<Vec<_>>()
                    .join(" / ")
            })
            .unwrap_or_default()),
            date(kb.and_then(|k| k.signed_on)),
            date(kb.and_then(|k| k.starts_on)),
            date(kb.and_then(|k| k.ends_on)),
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
                t(e.status.as_str()),
                e.rating
                    .map_or_else(|| t(""), |r| Cell::Number(f64::from(r))),
                t(e.recommendation.map(|r| r.as_str()).unwrap_or_default()),
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
            t(format!("{:?}", u.group)),
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

/// The report as an XLSX workbook, one worksheet per table.
///
/// # Errors
/// The writer failed.
pub fn xlsx(r: &Report) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let title = rust_xlsxwriter::Format::new().set_bold().set_font_size(14);
    for s in &r.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name)?;
        ws.write_string_with_format(0, 0, &r.title, &title)?;
        ws.write_string(1, 0, &r.subtitle)?;
        for (c, h) in (0_u16..).zip(&s.headers) {
            ws.write_string_with_format(3, c, h, &bold)?;
            ws.set_column_width(c, 18)?;
        }
        for (row, cells) in (4_u32..).zip(&s.rows) {
            for (c, cell) in (0_u16..).zip(cells) {
                match cell {
                    Cell::Text(x) => ws.write_string(row, c, x)?,
                    Cell::Number(x) => ws.write_number(row, c, *x)?,
                };
            }
        }
        ws.set_freeze_panes(4, 0)?;
    }
    wb.save_to_buffer()
}

/// The report as a PDF of text tables.
///
/// # Errors
/// Never in practice; the signature matches [`xlsx`].
pub fn pdf(r: &Report) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    Ok(pdf::render(r))
}
