#!/usr/bin/env python3
"""Baseline: the analytics formulas of docs analytics.md §2 in plain numpy.

Generates the same deterministic synthetic panel as the Rust function
`sinergi_analytics::synthetic_panel(regions, sectors, years, seed)` (xorshift64*, only
+ - * / on doubles, so the values are bit-identical), then times

  * the full recompute: LQ (every year, start, end, multi-year mean), Hoover, DLQ (arithmetic
    mean of annual growth rates), SLQ x DLQ class, classic shift-share, Esteban-Marquillas,
    sectoral Klassen, the complementarity matrix C(A->B) for all ordered pairs, the mutual
    score and the structural similarity 1 - K/2;
  * one region's partner ranking (from the per-region sup/need vectors).

It prints wall times and the same checksums as
`cargo run --release -p sinergi-analytics --example analytics_bench`, so both
implementations can be compared number for number. The data is synthetic.

Usage: python3 bench/analytics_numpy.py [REGIONS SECTORS YEARS SEED]   (default 514 17 10 2024)
"""

import sys
import time

import numpy as np

MASK = (1 << 64) - 1
FIRST_YEAR = 2013


class XorShift64Star:
    """Same generator as src/synthetic.rs."""

    def __init__(self, seed):
        s = (seed ^ 0x9E3779B97F4A7C15) & MASK
        self.state = s if s else 0x2545F4914F6CDD1D

    def next_u64(self):
        x = self.state
        x ^= x >> 12
        x ^= (x << 25) & MASK
        x ^= x >> 27
        self.state = x
        return (x * 0x2545F4914F6CDD1D) & MASK

    def uniform(self):
        return float(self.next_u64() >> 11) * (1.0 / 9007199254740992.0)


def synthetic_panel(regions, sectors, years, seed):
    """Array of shape (years, regions, sectors), same values as the Rust generator."""
    rng = XorShift64Star(seed)
    vals = np.empty((years, regions, sectors))
    for r in range(regions):
        size = 1.0 + 99.0 * rng.uniform()
        for s in range(sectors):
            level = size * (1.0 + 999.0 * rng.uniform())
            trend = -0.03 + 0.13 * rng.uniform()
            for y in range(years):
                vals[y, r, s] = level
                level *= 1.0 + trend - 0.02 + 0.04 * rng.uniform()
    return vals


def full_recompute(vals):
    """Every measure for start = first year, end = last year; reference = sum of regions."""
    n_years = vals.shape[0]
    t = n_years - 1
    reg_tot = vals.sum(axis=2)  # (Y, R)
    ref = vals.sum(axis=1)  # (Y, S)
    ref_tot = ref.sum(axis=1)  # (Y,)
    share = vals / reg_tot[:, :, None]
    ref_share = ref / ref_tot[:, None]
    lq = share / ref_share[:, None, :]
    lq_start, lq_end, lq_mean = lq[0], lq[-1], lq.mean(axis=0)
    hoover = 0.5 * np.abs(share[-1] - ref_share[-1][None, :]).sum(axis=1)

    # DLQ: bars = arithmetic mean of the annual growth rates, t = end - start.
    def factor(x):
        g = (x[1:] / x[:-1] - 1.0).mean(axis=0)
        return (1.0 + g) ** t

    dlq = (factor(vals) / factor(reg_tot)[:, None]) / (factor(ref) / factor(ref_tot))[None, :]
    # 0 BASIS_STABLE, 1 BASIS_DECLINING, 2 NONBASIS_EMERGING, 3 NONBASIS_LAGGING
    dlq_class = np.where(lq_start > 1.0, np.where(dlq > 1.0, 0, 1), np.where(dlq > 1.0, 2, 3))

    # Classic shift-share.
    e0, e1 = vals[0], vals[-1]
    big_g = ref_tot[-1] / ref_tot[0] - 1.0
    g_i = ref[-1] / ref[0] - 1.0
    ns = e0 * big_g
    im = e0 * (g_i - big_g)[None, :]
    rs = (e1 - e0) - e0 * g_i[None, :]

    # Esteban-Marquillas.
    hat = reg_tot[0][:, None] * (ref[0] / ref_tot[0])[None, :]
    diff = (e1 / e0 - 1.0) - g_i[None, :]
    em_competitive = hat * diff
    em_allocation = (e0 - hat) * diff

    # Sectoral Klassen: end-year share vs reference share, growth start->end vs G_i.
    s_end, big_s = share[-1], ref_share[-1]
    g = e1 / e0 - 1.0
    high_share = s_end > big_s[None, :]
    high_growth = g > g_i[None, :]
    klassen = np.where(high_share, np.where(high_growth, 1, 2), np.where(high_growth, 3, 4))

    # Complementarity (end year).
    with np.errstate(divide="ignore"):
        sup = np.where(lq_end > 0.0, np.maximum(0.0, 1.0 - 1.0 / lq_end), 0.0)
    need = np.maximum(0.0, 1.0 - lq_end)
    supply = big_s[None, :] * sup
    comp = supply @ need.T  # comp[a, b] = C(a -> b)
    mutual = np.sqrt(comp * comp.T)
    similarity = 1.0 - 0.5 * np.abs(s_end[:, None, :] - s_end[None, :, :]).sum(axis=2)

    return {
        "lq_start": lq_start,
        "lq_end": lq_end,
        "lq_mean": lq_mean,
        "hoover": hoover,
        "dlq": dlq,
        "dlq_class": dlq_class,
        "ns": ns,
        "im": im,
        "rs": rs,
        "em_competitive": em_competitive,
        "em_allocation": em_allocation,
        "klassen": klassen,
        "supply": supply,
        "need": need,
        "complementarity": comp,
        "mutual": mutual,
        "similarity": similarity,
    }


def partner_ranking(supply, need, a):
    """Every other region ranked by mutual score, from the per-region vectors."""
    out = need @ supply[a]  # C(a -> b)
    inc = supply @ need[a]  # C(b -> a)
    m = np.sqrt(out * inc)
    order = np.argsort(-m, kind="stable")
    order = order[order != a]
    return order, m[order], out[order], inc[order]


def best_of(n, fn):
    best, result = float("inf"), None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main():
    args = [int(a) for a in sys.argv[1:5]]
    regions, sectors, years, seed = (args + [514, 17, 10, 2024][len(args):])[:4]

    t0 = time.perf_counter()
    vals = synthetic_panel(regions, sectors, years, seed)
    gen_time = time.perf_counter() - t0

    full_time, res = best_of(5, lambda: full_recompute(vals))
    rank_time, (order, m, _, _) = best_of(
        20, lambda: partner_ranking(res["supply"], res["need"], 0)
    )

    n = regions
    off = ~np.eye(n, dtype=bool)
    print(f"shape: {regions} regions x {sectors} sectors x {years} years, seed {seed} (synthetic)")
    print(f"numpy {np.__version__}, python {sys.version.split()[0]}")
    print(f"ordered pairs: {n * (n - 1)}")
    print(f"generation (pure python, untimed): {gen_time:.4f} s")
    print(f"full recompute (best of 5):  {full_time:.4f} s")
    print(f"one region ranking (best of 20): {rank_time:.6f} s")
    print(f"checksum lq_end sum:    {res['lq_end'].sum():.9e}")
    print(f"checksum dlq sum:       {res['dlq'].sum():.9e}")
    print(f"checksum C sum:         {res['complementarity'][off].sum():.9e}")
    print(f"checksum M sum:         {res['mutual'][off].sum():.9e}")
    if len(order):
        width = max(3, len(str(regions)))
        print(f"top partner of SYN{1:0{width}d}:  SYN{order[0] + 1:0{width}d} (M = {m[0]:.9e})")


if __name__ == "__main__":
    main()
