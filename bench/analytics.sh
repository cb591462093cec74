#!/usr/bin/env bash
# Analytics (issue 6): the full recompute for 514 regions x 17 categories x 10 years (LQ, DLQ,
# shift-share, Klassen, all 263,682 ordered-pair complementarity scores) and one region's
# partner ranking, in Rust and in the numpy baseline, one after the other in one run, on the
# same deterministic synthetic panel (the two print the same checksums).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import numpy" 2>/dev/null || pip install numpy >/dev/null
cargo build --release -p sinergi-analytics --example analytics_bench >/dev/null 2>&1
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c "import json,sys; print(json.load(sys.stdin)['target_directory'])")
echo "== Rust: $TARGET/release/examples/analytics_bench"
"$TARGET/release/examples/analytics_bench"
echo "== numpy $(python3 -c 'import numpy; print(numpy.__version__)'): python3 bench/analytics_numpy.py"
python3 bench/analytics_numpy.py
