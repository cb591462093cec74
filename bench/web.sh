#!/usr/bin/env bash
# Web pages under load (issue 3): with 10,000 cases and 50,000 meetings, the server time of
# the dashboard, the register's first page and a case page, and their throughput against a
# bare axum "hello" handler, all measured in one run on loopback with wrk.
# Usage: bench/web.sh   (builds the release binaries; needs wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c "import json,sys; print(json.load(sys.stdin)['target_directory'])")
cargo build --release -p sinergi --bin sinergi --example hello >/dev/null
BIN=$TARGET/release/sinergi
HELLO=$TARGET/release/examples/hello
WORK=$(mktemp -d)
trap 'kill ${PID:-} ${HPID:-} 2>/dev/null || true; rm -rf "$WORK"' EXIT
export RUST_LOG=warn
DB="sqlite://$WORK/web.db?mode=rwc"

echo "== seeding: the founding case, 10,000 fictional cases with 5 meetings each"
"$BIN" demo load --database-url "$DB" >/dev/null
"$BIN" demo synthetic --database-url "$DB" --cases 10000 --meetings-per-case 5

"$BIN" serve --database-url "$DB" --listen 127.0.0.1:18301 >"$WORK/serve.log" 2>&1 &
PID=$!
"$HELLO" 127.0.0.1:18300 &
HPID=$!
for _ in $(seq 1 100); do curl -fs http://127.0.0.1:18301/ready >/dev/null && curl -fs http://127.0.0.1:18300/ >/dev/null && break; sleep 0.2; done
CASE=$(curl -fs "http://127.0.0.1:18301/api/v1/cases?limit=1&offset=5000" | sed 's/.*"id":"\([^"]*\)".*/\1/')
echo "cases: $(curl -fs "http://127.0.0.1:18301/api/v1/cases?limit=1" | sed 's/.*"total":\([0-9]*\).*/\1/'); a sample case: $CASE"

declare -A URLS=(
  [hello]="http://127.0.0.1:18300/"
  [dashboard]="http://127.0.0.1:18301/"
  [register]="http://127.0.0.1:18301/kerja-sama"
  [case]="http://127.0.0.1:18301/kerja-sama/$CASE"
  [founding_case]="http://127.0.0.1:18301/kerja-sama/017fb939-1400-7000-8000-000000006251"
)
for name in hello dashboard register case founding_case; do
  url=${URLS[$name]}
  curl -fs -o /dev/null "$url"
  echo "== $name: one client (server time)   wrk -t1 -c1 -d10s --latency $url"
  wrk -t1 -c1 -d10s --latency "$url" | grep -E " 50%| 99%|Requests/sec"
  echo "== $name: eight clients (throughput) wrk -t2 -c8 -d10s --latency $url"
  wrk -t2 -c8 -d10s --latency "$url" | grep -E " 50%| 99%|Requests/sec"
done
