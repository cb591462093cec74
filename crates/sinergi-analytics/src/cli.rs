//! The command-line contract of analytics.md §4 as library functions:
//! `sinergi analyze --input FILE.csv --start YEAR --end YEAR [--format json|text]`.
//!
//! The binary reads the file and calls [`analyze_csv_bytes`] (or [`analyze_csv`] on text); it
//! prints the JSON of [`AnalyzeOutput`] or [`render_text`], or the [`AnalyzeError`] (which
//! names file, line and problem) and exits non-zero.
//!
//! * `input` — CSV in, observations with their lines out (through `sinergi_reference::csv`);
//! * `error` — what can be wrong, by file and line;
//! * `json` — the JSON document;
//! * `text` — the readable summary.

mod error;
mod input;
mod json;
mod text;

pub use error::{AnalyzeError, AnalyzeErrorKind};
pub use input::{ParsedCsv, REQUIRED_COLUMNS, parse_observations_bytes, parse_observations_csv};
pub use json::{AnalyzeOutput, LabeledMatrix, LabeledVector};
pub use text::render_text;

use crate::analysis::{AnalysisOptions, analyze};
use crate::panel::Panel;
use error::map_panel_error;

/// Runs the whole §4 contract on CSV text: parse, check, compute every measure for
/// `start ..= end` with the sum of all regions as reference.
///
/// # Errors
/// See [`AnalyzeErrorKind`]; every error names the file, and the line when one is at fault.
pub fn analyze_csv(
    file_name: &str,
    csv_text: &str,
    start: i32,
    end: i32,
) -> Result<AnalyzeOutput, AnalyzeError> {
    if start > end {
        return Err(AnalyzeError::new(
            file_name,
            None,
            AnalyzeErrorKind::InvalidRange { start, end },
        ));
    }
    let parsed = parse_observations_csv(file_name, csv_text)?;
    let panel = Panel::from_observations_in(&parsed.observations, start, end)
        .map_err(|e| map_panel_error(file_name, &parsed.lines, e))?;
    let analysis = analyze(&panel, &AnalysisOptions::new(start, end))
        .map_err(|e| AnalyzeError::new(file_name, None, AnalyzeErrorKind::Analysis(e)))?;
    Ok(AnalyzeOutput::from_analysis(&analysis))
}

/// [`analyze_csv`] on the bytes of a file (UTF-8, or Windows-1252 when not UTF-8).
///
/// # Errors
/// As [`analyze_csv`].
pub fn analyze_csv_bytes(
    file_name: &str,
    bytes: &[u8],
    start: i32,
    end: i32,
) -> Result<AnalyzeOutput, AnalyzeError> {
    let (text, _) = sinergi_reference::csv::decode(bytes);
    analyze_csv(file_name, &text, start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
id,region,sector,year,value,unit
1,Alpha,A,2020,50,juta
2,Alpha,B,2020,30,juta
3,Alpha,C,2020,20,juta
4,Beta,A,2020,10,juta
5,Beta,B,2020,60,juta
6,Beta,C,2020,30,juta
7,\"Gamma, Kab.\",A,2020,20,juta
8,\"Gamma, Kab.\",B,2020,20,juta
9,\"Gamma, Kab.\",C,2020,60,juta
10,Alpha,A,2021,60,juta
11,Alpha,B,2021,40,juta
12,Alpha,C,2021,25,juta
13,Beta,A,2021,13,juta
14,Beta,B,2021,70,juta
15,Beta,C,2021,33,juta
16,\"Gamma, Kab.\",A,2021,22,juta
17,\"Gamma, Kab.\",B,2021,24,juta
18,\"Gamma, Kab.\",C,2021,70,juta
";

    #[test]
    fn json_has_exactly_the_contract_keys() {
        let out = analyze_csv("data.csv", SAMPLE, 2020, 2021).unwrap();
        let v = serde_json::to_value(&out).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let mut expected = vec![
            "start",
            "end",
            "regions",
            "sectors",
            "lq",
            "lq_start",
            "hoover",
            "dlq",
            "dlq_class",
            "klassen",
            "shift_share",
            "complementarity",
            "mutual",
            "similarity",
        ];
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        expected.sort_unstable();
        assert_eq!(sorted, expected);
        assert_eq!(
            v["regions"],
            serde_json::json!(["Alpha", "Beta", "Gamma, Kab."])
        );
        assert_eq!(v["sectors"], serde_json::json!(["A", "B", "C"]));
        assert!(v["lq"]["Alpha"]["A"].as_f64().unwrap() > 1.0);
        let ss = &v["shift_share"]["Beta"]["B"];
        let total =
            ss["ns"].as_f64().unwrap() + ss["im"].as_f64().unwrap() + ss["rs"].as_f64().unwrap();
        assert!((total - 10.0).abs() < 1e-9);
        assert!(v["dlq_class"]["Alpha"]["A"].is_string());
        assert!(
            v["klassen"]["Alpha"]["A"]
                .as_str()
                .unwrap()
                .starts_with('Q')
        );
        // pair maps: no diagonal, symmetric mutual and similarity
        assert!(v["complementarity"]["Alpha"].get("Alpha").is_none());
        assert_eq!(v["complementarity"]["Alpha"].as_object().unwrap().len(), 2);
        assert_eq!(v["mutual"]["Alpha"]["Beta"], v["mutual"]["Beta"]["Alpha"]);
        assert_eq!(
            v["similarity"]["Alpha"]["Gamma, Kab."],
            v["similarity"]["Gamma, Kab."]["Alpha"]
        );
        // full precision: the JSON number round-trips the f64
        let lq = out.lq.get("Beta", "B").unwrap().get().unwrap();
        assert_eq!(v["lq"]["Beta"]["B"].as_f64().unwrap(), lq);
    }

    #[test]
    fn same_year_growth_is_null() {
        let out = analyze_csv("data.csv", SAMPLE, 2021, 2021).unwrap();
        let v = serde_json::to_value(&out).unwrap();
        for k in ["dlq", "dlq_class", "klassen", "shift_share"] {
            assert!(v[k].is_null(), "{k}");
        }
        assert_eq!(v["lq"], v["lq_start"]);
        let text = render_text(&out);
        assert!(text.contains("tidak dihitung karena tahun awal sama dengan tahun akhir"));
    }

    #[test]
    fn zero_value_gives_null_not_nan() {
        let text = SAMPLE.replace("1,Alpha,A,2020,50,", "1,Alpha,A,2020,0,");
        let out = analyze_csv("data.csv", &text, 2020, 2021).unwrap();
        let v = serde_json::to_value(&out).unwrap();
        assert!(v["dlq"]["Alpha"]["A"].is_null());
        assert!(v["klassen"]["Alpha"]["A"].is_null());
        let rendered = render_text(&out);
        assert!(
            rendered.contains("DLQ sektor A: nilai sektor wilayah pada tahun dasar nol"),
            "{rendered}"
        );
        let json = serde_json::to_string(&out).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"));
    }

    fn error(text: &str, start: i32, end: i32) -> AnalyzeError {
        analyze_csv("data.csv", text, start, end).unwrap_err()
    }

    #[test]
    fn errors_name_file_line_and_problem() {
        let e = error(
            &SAMPLE.replace("14,Beta,B,2021,70,", "14,Beta,B,2021,abc,"),
            2020,
            2021,
        );
        assert_eq!(e.to_string(), "data.csv:15: nilai bukan angka: \"abc\"");
        assert_eq!(e.code(), "analyze.non_numeric");

        let e = error(&SAMPLE.replace("value", "nilai"), 2020, 2021);
        assert_eq!(e.line, Some(1));
        assert_eq!(e.code(), "analyze.missing_column");
        assert!(
            e.to_string()
                .starts_with("data.csv:1: kolom \"value\" tidak ada di header")
        );

        let e = error(&SAMPLE.replace("15,Beta,C,2021,33,juta\n", ""), 2020, 2021);
        assert_eq!(
            e.to_string(),
            "data.csv:14: wilayah \"Beta\" tidak memiliki sektor \"C\" pada tahun 2021"
        );
        assert_eq!(e.code(), "analyze.missing_sector");
        // …but not when 2021 is not used
        assert!(
            analyze_csv(
                "data.csv",
                &SAMPLE.replace("15,Beta,C,2021,33,juta\n", ""),
                2020,
                2020
            )
            .is_ok()
        );

        let e = error(SAMPLE, 2020, 2030);
        assert_eq!(
            e.to_string(),
            "data.csv: tahun 2030 tidak ada dalam data (tahun yang tersedia: 2020, 2021)"
        );
        assert_eq!(e.code(), "analyze.year_outside_data");

        let e = error(&format!("{SAMPLE}19,Beta,C,2021,1,juta\n"), 2020, 2021);
        assert_eq!(e.line, Some(20));
        assert_eq!(e.code(), "analyze.duplicate");
        assert!(e.to_string().contains("sudah ada di baris 16"), "{e}");

        let e = error(
            &SAMPLE.replace("3,Alpha,C,2020,20,", "3,Alpha,C,20x0,20,"),
            2020,
            2021,
        );
        assert_eq!((e.line, e.code()), (Some(4), "analyze.bad_year"));

        let e = error(
            &SAMPLE.replace("3,Alpha,C,2020,20,", "3,Alpha,C,2020,-20,"),
            2020,
            2021,
        );
        assert_eq!((e.line, e.code()), (Some(4), "analyze.negative_value"));

        let e = error(
            &SAMPLE.replace("3,Alpha,C,2020,20,", "3,Alpha,C,2020,NaN,"),
            2020,
            2021,
        );
        assert_eq!((e.line, e.code()), (Some(4), "analyze.non_finite"));

        let e = error(
            &SAMPLE.replace("3,Alpha,C,2020,20,juta", "3,Alpha"),
            2020,
            2021,
        );
        assert_eq!((e.line, e.code()), (Some(4), "analyze.missing_field"));

        let e = error(&SAMPLE.replace("3,Alpha,C,", "3,,C,"), 2020, 2021);
        assert_eq!(e.to_string(), "data.csv:4: kolom \"region\" kosong");

        assert_eq!(error("", 2020, 2020).code(), "analyze.empty_file");
        assert_eq!(
            error("region,sector,year,value\n", 2020, 2020).code(),
            "analyze.no_data"
        );
        assert_eq!(error(SAMPLE, 2021, 2020).code(), "analyze.invalid_range");
        let e = error("region,sector,year,value\n\"a,x,2020,1\n", 2020, 2020);
        assert_eq!((e.line, e.code()), (Some(2), "analyze.malformed_csv"));
    }

    #[test]
    fn gap_years_are_reported() {
        let text = "region,sector,year,value\nA,x,2020,1\nA,x,2022,2\n";
        let e = error(text, 2020, 2022);
        assert_eq!(e.code(), "analyze.year_gap");
        assert!(e.to_string().contains("tahun 2021 tidak ada dalam data"));
    }

    #[test]
    fn text_summary_lists_sectors_and_partners() {
        let out = analyze_csv("data.csv", SAMPLE, 2020, 2021).unwrap();
        let text = render_text(&out);
        assert!(text.contains("== Gamma, Kab. =="));
        assert!(text.contains("Mitra teratas"));
        assert!(text.contains("Acuan: jumlah semua wilayah dalam perbandingan."));
        assert!(text.lines().any(|l| l.starts_with("B ")));
    }
}
