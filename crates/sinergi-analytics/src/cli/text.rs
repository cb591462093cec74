//! The plain-text summary of `sinergi analyze --format text`.

use std::fmt::Write as _;

use super::json::AnalyzeOutput;
use crate::formulas::ShiftShare;
use crate::measure::Measure;

const DASH: &str = "—";

fn num(m: Option<&Measure>, decimals: usize) -> String {
    match m.and_then(Measure::get) {
        Some(v) => format!("{v:.decimals$}"),
        None => DASH.to_owned(),
    }
}

fn note<T>(notes: &mut Vec<String>, what: &str, m: Option<&Measure<T>>) {
    if let Some(u) = m.and_then(Measure::reason) {
        notes.push(format!("{what}: {u}"));
    }
}

/// How many partners the text summary lists per region.
const TOP_PARTNERS: usize = 5;

/// A readable plain-text summary (`--format text`): per region its Hoover index, a sector
/// table (LQ start and end, DLQ, class, Klassen, shift-share), its best partners by mutual
/// score, and the reason for every undefined figure.
#[must_use]
pub fn render_text(out: &AnalyzeOutput) -> String {
    let mut t = String::new();
    let growth = out.dlq.is_some();
    let _ = writeln!(t, "Analisis potensi wilayah — Sinergi");
    let _ = writeln!(
        t,
        "Struktur (LQ, Hoover, komplementaritas, kemiripan): tahun {}. Pertumbuhan: {} → {}.",
        out.end, out.start, out.end
    );
    let _ = writeln!(t, "Acuan: {}.", out.reference);
    let _ = writeln!(
        t,
        "{} wilayah, {} sektor.",
        out.regions.len(),
        out.sectors.len()
    );
    if !growth {
        let _ = writeln!(
            t,
            "Ukuran pertumbuhan (DLQ, kelas DLQ, Klassen, shift-share) tidak dihitung karena tahun awal sama dengan tahun akhir."
        );
    }
    let width = out
        .sectors
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let name_width = out
        .regions
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    for (r, region) in out.regions.iter().enumerate() {
        let mut notes: Vec<String> = Vec::new();
        let _ = writeln!(t, "\n== {region} ==");
        let h = out.hoover.at(r);
        let _ = writeln!(t, "Indeks Hoover (spesialisasi): {}", num(h, 4));
        note(&mut notes, "Indeks Hoover", h);
        let _ = write!(
            t,
            "{:<width$} {:>9} {:>9}",
            "Sektor",
            format!("LQ {}", out.start),
            format!("LQ {}", out.end)
        );
        if growth {
            let _ = write!(
                t,
                " {:>9}  {:<17} {:<7} {:>14} {:>14} {:>14}",
                "DLQ", "Kelas DLQ", "Klassen", "NS", "IM", "RS"
            );
        }
        t.push('\n');
        for (s, sector) in out.sectors.iter().enumerate() {
            let lq0 = out.lq_start.at(r, s);
            let lq1 = out.lq.at(r, s);
            let _ = write!(t, "{sector:<width$} {:>9} {:>9}", num(lq0, 4), num(lq1, 4));
            note(
                &mut notes,
                &format!("LQ {} sektor {sector}", out.start),
                lq0,
            );
            if out.start != out.end {
                note(&mut notes, &format!("LQ {} sektor {sector}", out.end), lq1);
            }
            if growth {
                let dlq = out.dlq.as_ref().and_then(|m| m.at(r, s));
                let class = out.dlq_class.as_ref().and_then(|m| m.at(r, s));
                let klassen = out.klassen.as_ref().and_then(|m| m.at(r, s));
                let ss = out.shift_share.as_ref().and_then(|m| m.at(r, s));
                let class_text = class.and_then(Measure::value).map_or(DASH, |c| c.code());
                let klassen_text = klassen.and_then(Measure::value).map_or(DASH, |k| k.code());
                let part = |f: fn(&ShiftShare) -> f64| {
                    ss.and_then(Measure::value)
                        .map_or_else(|| DASH.to_owned(), |v| format!("{:.2}", f(v)))
                };
                let _ = write!(
                    t,
                    " {:>9}  {:<17} {:<7} {:>14} {:>14} {:>14}",
                    num(dlq, 4),
                    class_text,
                    klassen_text,
                    part(|v| v.ns),
                    part(|v| v.im),
                    part(|v| v.rs)
                );
                note(&mut notes, &format!("DLQ sektor {sector}"), dlq);
                note(&mut notes, &format!("Klassen sektor {sector}"), klassen);
                note(&mut notes, &format!("Shift-share sektor {sector}"), ss);
            }
            t.push('\n');
        }

        let mut partners: Vec<(usize, Option<f64>)> = (0..out.regions.len())
            .filter(|&b| b != r)
            .map(|b| (b, out.mutual.at(r, b).and_then(Measure::get)))
            .collect();
        partners.sort_by(|x, y| match (x.1, y.1) {
            (Some(a), Some(b)) => b.total_cmp(&a).then(x.0.cmp(&y.0)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => x.0.cmp(&y.0),
        });
        if !partners.is_empty() {
            let _ = writeln!(
                t,
                "\nMitra teratas menurut skor timbal balik M (keluar = {region}→mitra, masuk = mitra→{region}):"
            );
            for (rank, (b, _)) in partners.iter().take(TOP_PARTNERS).enumerate() {
                let _ = writeln!(
                    t,
                    "  {:>2}. {:<name_width$}  M {:>9}  keluar {:>9}  masuk {:>9}  kemiripan {:>7}",
                    rank + 1,
                    out.regions[*b],
                    num(out.mutual.at(r, *b), 6),
                    num(out.complementarity.at(r, *b), 6),
                    num(out.complementarity.at(*b, r), 6),
                    num(out.similarity.at(r, *b), 4),
                );
            }
            if let Some(u) = partners
                .first()
                .and_then(|(b, _)| out.mutual.at(r, *b))
                .and_then(Measure::reason)
            {
                notes.push(format!("Skor kemitraan: {u}"));
            }
        }
        if !notes.is_empty() {
            let _ = writeln!(t, "Tidak terdefinisi ({DASH}):");
            for n in notes {
                let _ = writeln!(t, "  - {n}");
            }
        }
    }
    t
}
