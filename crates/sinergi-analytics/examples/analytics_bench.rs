//! Timing of the full recompute on the benchmark shape (514 regions × 17 sectors × 10 years,
//! synthetic, seed 2024), the Rust side of `bench/analytics_numpy.py`.
//!
//! `cargo run --release -p sinergi-analytics --example analytics_bench [-- REGIONS SECTORS YEARS SEED]`

use std::time::Instant;

use sinergi_analytics::{
    AnalysisOptions, Panel, analyze, analyze_csv, observations_to_csv, partner_ranking,
    synthetic_panel,
};

fn arg(n: usize, default: u64) -> u64 {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let regions = usize::try_from(arg(1, 514))?;
    let sectors = usize::try_from(arg(2, 17))?;
    let years = usize::try_from(arg(3, 10))?;
    let seed = arg(4, 2024);
    let obs = synthetic_panel(regions, sectors, years, seed);
    let start = 2013;
    let end = 2013 + i32::try_from(years)? - 1;

    let t = Instant::now();
    let panel = Panel::from_observations(&obs)?;
    let build = t.elapsed();

    let mut best = f64::INFINITY;
    let mut analysis = None;
    for _ in 0..5 {
        let t = Instant::now();
        let a = analyze(&panel, &AnalysisOptions::new(start, end))?;
        best = best.min(t.elapsed().as_secs_f64());
        analysis = Some(a);
    }
    let a = analysis.ok_or("no run")?;

    let mut on_demand = AnalysisOptions::new(start, end);
    on_demand.pair_scores = false;
    let a_lazy = analyze(&panel, &on_demand)?;
    let t = Instant::now();
    let ranking = partner_ranking(&a_lazy, "SYN001")?;
    let rank_time = t.elapsed();

    let text = observations_to_csv(&obs);
    let t = Instant::now();
    let out = analyze_csv("synthetic.csv", &text, start, end)?;
    let json = serde_json::to_string(&out)?;
    let cli_time = t.elapsed();

    let n = a.regions.len();
    let lq_sum: f64 = a.lq_end.iter().filter_map(|m| m.get()).sum();
    let dlq_sum: f64 = a
        .growth
        .as_ref()
        .map_or(0.0, |g| g.dlq.iter().filter_map(|m| m.get()).sum());
    let mut c_sum = 0.0;
    let mut m_sum = 0.0;
    for x in 0..n {
        for y in 0..n {
            if x != y {
                c_sum += a.complementarity_score(x, y).get().unwrap_or(0.0);
                m_sum += a.mutual(x, y).get().unwrap_or(0.0);
            }
        }
    }
    println!("shape: {regions} regions x {sectors} sectors x {years} years, seed {seed}");
    println!("ordered pairs: {}", n * (n - 1));
    println!("panel build:            {:.4} s", build.as_secs_f64());
    println!("full recompute (best):  {best:.4} s");
    println!("one region ranking:     {:.6} s", rank_time.as_secs_f64());
    println!(
        "csv -> json end to end: {:.4} s ({} bytes)",
        cli_time.as_secs_f64(),
        json.len()
    );
    println!("checksum lq_end sum:    {lq_sum:.9e}");
    println!("checksum dlq sum:       {dlq_sum:.9e}");
    println!("checksum C sum:         {c_sum:.9e}");
    println!("checksum M sum:         {m_sum:.9e}");
    if let Some(top) = ranking.first() {
        println!(
            "top partner of SYN001:  {} (M = {:.9e})",
            top.region,
            top.mutual.get().unwrap_or(0.0)
        );
    }
    Ok(())
}
