//! Writing observations as the CSV `sinergi analyze` reads (reading goes through the shared
//! reader, `sinergi_reference::csv`).

use crate::panel::Observation;

fn write_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) || field.trim() != field {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// Writes observations as CSV with the header `region,sector,year,value` (quoting names where
/// needed, values at full precision), the format `analyze_csv` reads.
#[must_use]
pub fn observations_to_csv(observations: &[Observation]) -> String {
    let mut out = String::with_capacity(32 * (observations.len() + 1));
    out.push_str("region,sector,year,value\n");
    for o in observations {
        write_field(&mut out, &o.region);
        out.push(',');
        write_field(&mut out, &o.sector);
        out.push(',');
        out.push_str(&o.year.to_string());
        out.push(',');
        out.push_str(&o.value.to_string());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::parse_observations_csv;

    #[test]
    fn writer_round_trips() {
        let obs = vec![
            Observation::new("Kep. \"Babel\"", "M,N", 2022, 0.1 + 0.2),
            Observation::new(" Kab. X", "R,S,T,U", 2023, 1.0),
        ];
        let text = observations_to_csv(&obs);
        let records: Vec<Vec<String>> = sinergi_reference::csv::records(&text, b',')
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(
            records[1],
            vec!["Kep. \"Babel\"", "M,N", "2022", "0.30000000000000004"]
        );
        assert_eq!(records[2][0], " Kab. X");
        let parsed = parse_observations_csv("x.csv", &text).unwrap();
        assert_eq!(parsed.observations[0], obs[0]);
        assert_eq!(parsed.lines, [2, 3]);
    }
}
