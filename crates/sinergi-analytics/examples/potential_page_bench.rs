//! What one potential / partner page computes per request once the observations are loaded
//! (issue 6): choosing the complete regions and the period (`select_complete`), the analysis
//! without the pair matrix, for ADHB and again for ADHK, and one region's partner ranking — on
//! the benchmark shape (514 regions × 17 categories × 10 years, synthetic, seed 2024). The
//! observations arrive unordered, as from the database.
//!
//! `cargo run --release -p sinergi-analytics --example potential_page_bench`

use std::time::Instant;

use sinergi_analytics::{
    AnalysisOptions, analyze, partner_ranking, select_complete, synthetic_panel,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut obs = synthetic_panel(514, 17, 10, 2024);
    // Unordered, like rows from the database.
    obs.reverse();
    obs.rotate_left(12_345);
    let sectors: Vec<String> = [
        "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M,N", "O", "P", "Q", "R,S,T,U",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let mut best = [f64::INFINITY; 3];
    let mut top = String::new();
    for _ in 0..10 {
        let t = Instant::now();
        let selection = select_complete(&obs, &sectors, &["SYN001"], None, None)?;
        let select = t.elapsed().as_secs_f64();
        let options = AnalysisOptions {
            pair_scores: false,
            ..AnalysisOptions::new(selection.start, selection.end)
        };
        let analysis = analyze(&selection.panel, &options)?;
        // The page repeats selection and analysis for the ADHK series.
        let again = select_complete(&obs, &sectors, &["SYN001"], None, None)?;
        let _growth = analyze(&again.panel, &options)?;
        let page = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let ranking = partner_ranking(&analysis, "SYN001")?;
        let rank = t.elapsed().as_secs_f64();
        top = format!("{} (M = {:?})", ranking[0].region, ranking[0].mutual.get());
        best = [best[0].min(select), best[1].min(page), best[2].min(rank)];
    }
    println!("shape: 514 regions x 17 sectors x 10 years, seed 2024 (unordered input)");
    println!("select_complete (best):                 {:.4} s", best[0]);
    println!("page computation, ADHB + ADHK (best):   {:.4} s", best[1]);
    println!("partner ranking of SYN001 (best):       {:.6} s", best[2]);
    println!("top partner of SYN001:                  {top}");
    Ok(())
}
