//! The words of the potential screens: DLQ classes, Klassen quadrants, the data set.

use sinergi_domain::Lang;

pub(super) fn dlq_label(code: &str, lang: Lang) -> &'static str {
    match code {
        "BASIS_STABLE" => lang.pick("unggulan (basis, menguat)", "leading (base, gaining)"),
        "BASIS_DECLINING" => lang.pick("prospektif (basis, melemah)", "base, losing position"),
        "NONBASIS_EMERGING" => lang.pick(
            "andalan (non-basis, menguat)",
            "emerging (non-base, gaining)",
        ),
        _ => lang.pick(
            "tertinggal (non-basis, melemah)",
            "lagging (non-base, losing)",
        ),
    }
}

pub(super) fn klassen_label(code: &str, lang: Lang) -> &'static str {
    match code {
        "Q1" => lang.pick("maju dan tumbuh pesat", "advanced and fast-growing"),
        "Q2" => lang.pick("maju tetapi tertekan", "advanced but depressed"),
        "Q3" => lang.pick("potensial / berkembang", "potential / developing"),
        _ => lang.pick("relatif tertinggal", "relatively lagging"),
    }
}

pub(super) fn data_label(synthetic: bool, lang: Lang) -> String {
    if synthetic {
        lang.pick(
            "data sintetis — bukan data BPS, hanya untuk demonstrasi",
            "synthetic data — not BPS data, for demonstration only",
        )
        .to_owned()
    } else {
        lang.pick("data nyata (BPS)", "real data (BPS)").to_owned()
    }
}
