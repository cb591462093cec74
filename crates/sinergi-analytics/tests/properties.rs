//! Property tests of the analytics invariants.

use proptest::prelude::*;
use sinergi_analytics::formulas::{growth_factor, locq};
use sinergi_analytics::{
    Analysis, AnalysisOptions, GrowthMean, Measure, Panel, Undefined, analyze, analyze_csv,
    observations_to_csv, parse_observations_csv, partner_ranking, synthetic_panel,
};

/// (regions, sectors, years, values laid out [year][region][sector]).
fn panel_strategy(
    min_value: f64,
    max_years: usize,
) -> impl Strategy<Value = (usize, usize, usize, Vec<f64>)> {
    (1usize..6, 1usize..6, 2usize..=max_years).prop_flat_map(move |(nr, ns, ny)| {
        let values = prop::collection::vec(min_value..1.0e6, nr * ns * ny);
        (Just(nr), Just(ns), Just(ny), values)
    })
}

/// Values that are zero about a quarter of the time.
fn sparse_panel_strategy() -> impl Strategy<Value = (usize, usize, usize, Vec<f64>)> {
    (1usize..5, 1usize..5, 1usize..4).prop_flat_map(|(nr, ns, ny)| {
        let value = prop_oneof![1 => Just(0.0), 3 => 0.0..1.0e3];
        (
            Just(nr),
            Just(ns),
            Just(ny),
            prop::collection::vec(value, nr * ns * ny),
        )
    })
}

fn build(nr: usize, ns: usize, ny: usize, values: Vec<f64>) -> Panel {
    let regions = (0..nr).map(|r| format!("R{r}")).collect();
    let sectors = (0..ns).map(|s| format!("S{s}")).collect();
    Panel::from_values(regions, sectors, 2000, ny, values).expect("valid panel")
}

fn run(panel: &Panel, mean: GrowthMean) -> Analysis {
    let mut o = AnalysisOptions::new(panel.first_year(), panel.last_year());
    o.growth_mean = mean;
    analyze(panel, &o).expect("analysis")
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * (1.0 + a.abs().max(b.abs()))
}

/// Every defined f64 of the analysis is finite; with `all_defined`, nothing is undefined.
fn check_measures(a: &Analysis, all_defined: bool) -> Result<(), TestCaseError> {
    let check = |m: Measure, what: &str| -> Result<(), TestCaseError> {
        match m {
            Measure::Value(v) => prop_assert!(v.is_finite(), "{what} = {v}"),
            Measure::Undefined(u) => prop_assert!(!all_defined, "{what} undefined: {u}"),
        }
        Ok(())
    };
    for v in a
        .lq_start
        .iter()
        .chain(&a.lq_end)
        .chain(&a.lq_mean)
        .chain(&a.hoover)
    {
        check(*v, "lq/hoover")?;
    }
    if let Some(g) = &a.growth {
        for v in &g.dlq {
            check(*v, "dlq")?;
        }
        for v in &g.shift_share {
            check(v.map(|s| s.ns + s.im + s.rs), "shift-share")?;
        }
        for v in &g.esteban_marquillas {
            check(
                v.map(|e| e.homothetic + e.competitive + e.allocation),
                "esteban-marquillas",
            )?;
        }
    }
    let n = a.regions.len();
    for x in 0..n {
        for y in 0..n {
            check(a.complementarity_score(x, y), "complementarity")?;
            check(a.mutual(x, y), "mutual")?;
            check(a.similarity(x, y), "similarity")?;
            if let Some(s) = a.similarity(x, y).get() {
                prop_assert!((-1e-12..=1.0 + 1e-12).contains(&s));
            }
        }
    }
    for h in a.hoover.iter().filter_map(Measure::get) {
        prop_assert!((-1e-12..=1.0 + 1e-12).contains(&h));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn shift_share_components_sum_to_the_change((nr, ns, ny, values) in panel_strategy(0.01, 5)) {
        let panel = build(nr, ns, ny, values);
        let a = run(&panel, GrowthMean::Arithmetic);
        let g = a.growth.as_ref().expect("growth");
        let m0 = panel.year_matrix(0).expect("start");
        let m1 = panel.year_matrix(ny - 1).expect("end");
        for c in 0..nr * ns {
            let ss = g.shift_share[c].value().expect("defined");
            let change = m1[c] - m0[c];
            prop_assert!(close(ss.ns + ss.im + ss.rs, change, 1e-9), "{ss:?} vs {change}");
            if let Some(em) = g.esteban_marquillas[c].value() {
                prop_assert!(close(em.competitive + em.allocation, ss.rs, 1e-9));
            }
        }
    }

    #[test]
    fn compound_dlq_equals_lq_ratio((nr, ns, ny, values) in panel_strategy(0.01, 5)) {
        let panel = build(nr, ns, ny, values);
        let a = run(&panel, GrowthMean::Compound);
        let g = a.growth.as_ref().expect("growth");
        for c in 0..nr * ns {
            let ratio = a.lq_end[c].get().expect("lq end") / a.lq_start[c].get().expect("lq start");
            prop_assert!(close(g.dlq[c].get().expect("dlq"), ratio, 1e-9));
        }
    }

    #[test]
    fn one_year_dlq_equals_lq_ratio((nr, ns, ny, values) in panel_strategy(0.01, 2)) {
        prop_assume!(ny == 2);
        let a = run(&build(nr, ns, ny, values), GrowthMean::Arithmetic);
        let g = a.growth.as_ref().expect("growth");
        for c in 0..nr * ns {
            let ratio = a.lq_end[c].get().expect("lq end") / a.lq_start[c].get().expect("lq start");
            prop_assert!(close(g.dlq[c].get().expect("dlq"), ratio, 1e-9));
        }
    }

    /// With constant (compound) growth rates the arithmetic mean of the annual rates is that
    /// rate, so the spec's (arithmetic) DLQ equals `LQ_end / LQ_start`. For all four series of
    /// the formula (cell, region total, reference sector, reference total) to grow at constant
    /// rates, a region's cells must share one rate and the (explicit) reference must grow at
    /// one rate, which makes both sides 1: this checks the arithmetic path end to end, while
    /// `compound_dlq_equals_lq_ratio` is the non-trivial identity.
    #[test]
    fn constant_growth_dlq_equals_lq_ratio(
        nr in 1usize..5,
        ns in 1usize..5,
        ny in 2usize..7,
        seed in any::<u64>(),
        rates in prop::collection::vec(-0.2f64..0.3, 6),
    ) {
        let base = synthetic_panel(nr, ns, 1, seed);
        let mut values = Vec::new();
        let mut factor = vec![1.0; nr];
        let mut reference = Vec::new();
        let mut ref_factor = 1.0;
        for _ in 0..ny {
            for (r, f) in factor.iter().enumerate() {
                for s in 0..ns {
                    values.push(base[r * ns + s].value * f);
                }
            }
            for s in 0..ns {
                reference.push(1000.0 * (s + 1) as f64 * ref_factor);
            }
            for (r, f) in factor.iter_mut().enumerate() {
                *f *= 1.0 + rates[r];
            }
            ref_factor *= 1.0 + rates[5];
        }
        let panel = build(nr, ns, ny, values).with_reference("N", reference).expect("reference");
        let a = run(&panel, GrowthMean::Arithmetic);
        let g = a.growth.as_ref().expect("growth");
        for c in 0..nr * ns {
            let ratio = a.lq_end[c].get().expect("lq end") / a.lq_start[c].get().expect("lq start");
            prop_assert!(close(g.dlq[c].get().expect("dlq"), ratio, 1e-9));
        }
    }

    #[test]
    fn arithmetic_and_compound_factor_agree_for_constant_rate(
        x0 in 0.01f64..1e6, r in -0.5f64..1.0, len in 2usize..12,
    ) {
        let series: Vec<f64> = (0..len).scan(x0, |x, _| { let v = *x; *x *= 1.0 + r; Some(v) }).collect();
        let a = growth_factor(&series, GrowthMean::Arithmetic, Undefined::ZeroBaseValue).expect("a");
        let c = growth_factor(&series, GrowthMean::Compound, Undefined::ZeroBaseValue).expect("c");
        prop_assert!(close(a, c, 1e-9), "{a} vs {c}");
    }

    #[test]
    fn mutual_is_symmetric((nr, ns, ny, values) in panel_strategy(0.0, 3)) {
        let a = run(&build(nr, ns, ny, values), GrowthMean::Arithmetic);
        for x in 0..nr {
            for y in 0..nr {
                prop_assert_eq!(a.mutual(x, y), a.mutual(y, x));
                prop_assert_eq!(a.similarity(x, y), a.similarity(y, x));
            }
            prop_assert_eq!(a.complementarity_score(x, x).get(), Some(0.0));
        }
    }

    #[test]
    fn no_complementarity_when_structures_equal_the_reference(
        nr in 1usize..6,
        structure in prop::collection::vec(0.01f64..1e4, 1..8),
        sizes in prop::collection::vec(0.01f64..100.0, 6),
    ) {
        let ns = structure.len();
        let mut values = Vec::new();
        for size in sizes.iter().take(nr) {
            values.extend(structure.iter().map(|v| v * size));
        }
        let a = run(&build(nr, ns, 1, values), GrowthMean::Arithmetic);
        for x in 0..nr {
            for y in 0..nr {
                prop_assert!(a.complementarity_score(x, y).get().expect("defined").abs() < 1e-12);
                prop_assert!(a.mutual(x, y).get().expect("defined").abs() < 1e-12);
                prop_assert!(close(a.similarity(x, y).get().expect("defined"), 1.0, 1e-12));
            }
            prop_assert!(a.hoover[x].get().expect("defined") < 1e-12);
        }
    }

    #[test]
    fn positive_panels_have_every_measure_defined_and_finite((nr, ns, ny, values) in panel_strategy(0.01, 4)) {
        let a = run(&build(nr, ns, ny, values), GrowthMean::Arithmetic);
        check_measures(&a, true)?;
    }

    #[test]
    fn panels_with_zeros_never_produce_nan((nr, ns, ny, values) in sparse_panel_strategy()) {
        let a = run(&build(nr, ns, ny, values), GrowthMean::Arithmetic);
        check_measures(&a, false)?;
    }

    #[test]
    fn csv_round_trip_and_json_without_nulls(
        nr in 1usize..5, ns in 1usize..5, ny in 1usize..4, seed in any::<u64>(),
    ) {
        let obs = synthetic_panel(nr, ns, ny, seed);
        let text = observations_to_csv(&obs);
        let parsed = parse_observations_csv("s.csv", &text).expect("parse");
        prop_assert_eq!(&parsed.observations, &obs);
        let last = 2013 + ny as i32 - 1;
        let out = analyze_csv("s.csv", &text, 2013, last).expect("analyze");
        let json = serde_json::to_string(&out).expect("json");
        // Positive data: nothing undefined, so the only nulls are the growth keys of a 1-year run.
        let nulls = json.matches("null").count();
        prop_assert_eq!(nulls, if ny == 1 { 4 } else { 0 });
    }
}

#[test]
fn locq_matches_lq_of_panel() {
    let obs = synthetic_panel(3, 4, 1, 1);
    let panel = Panel::from_observations(&obs).expect("panel");
    let a = run(&panel, GrowthMean::Arithmetic);
    let m = panel.year_matrix(0).expect("year");
    let e: f64 = m.iter().sum();
    let e_j: f64 = m[4..8].iter().sum();
    let e_i: f64 = (0..3).map(|r| m[r * 4 + 2]).sum();
    assert_eq!(a.lq_end[6], locq(m[6], e_j, e_i, e));
}

#[test]
fn threaded_pair_matrix_equals_single_thread() {
    let obs = synthetic_panel(131, 17, 3, 7);
    let panel = Panel::from_observations(&obs).expect("panel");
    let mut one = AnalysisOptions::new(2013, 2015);
    one.threads = 1;
    let mut three = one;
    three.threads = 3;
    let a = analyze(&panel, &one).expect("a");
    let b = analyze(&panel, &three).expect("b");
    assert_eq!(a.pairs, b.pairs);
    let ranking = partner_ranking(&b, "SYN042").expect("ranking");
    assert_eq!(ranking.len(), 130);
    for p in &ranking {
        let i = b.region_index("SYN042").expect("index");
        assert_eq!(p.a_to_b, b.complementarity_score(i, p.index));
        assert_eq!(p.mutual, b.mutual(i, p.index));
    }
}
