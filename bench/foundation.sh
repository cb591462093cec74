#!/usr/bin/env bash
# Foundation benchmarks: reference-data load into an empty SQLite database, and the latency
# of GET /api/v1/cases with 10,000 cases under load on loopback (wrk).
# Usage: bench/foundation.sh [path/to/release/sinergi]   (needs: wrk)
set -euo pipefail
BIN=${1:-$(cargo metadata --format-version 1 --no-deps | python3 -c "import json,sys; print(json.load(sys.stdin)['target_directory'])")/release/sinergi}
WORK=$(mktemp -d)
trap 'kill "${PID:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export RUST_LOG=warn

echo "== reference data load into an empty SQLite database (3 runs)"
for i in 1 2 3; do
  rm -f "$WORK/ref.db"*
  start=$(date +%s.%N)
  "$BIN" migrate --database-url "sqlite://$WORK/ref.db?mode=rwc" >/dev/null
  end=$(date +%s.%N)
  printf 'run %d: %.2f s\n' "$i" "$(echo "$end - $start" | bc)"
done

echo "== seeding 10,000 fictional cases"
DB="sqlite://$WORK/load.db?mode=rwc"
"$BIN" demo load --database-url "$DB" >/dev/null
"$BIN" demo synthetic --database-url "$DB" --cases 10000

PORT=18181
"$BIN" serve --database-url "$DB" --listen 127.0.0.1:$PORT >"$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/ready" >/dev/null && break; sleep 0.2; done
echo "total cases: $(curl -fs "http://127.0.0.1:$PORT/api/v1/cases?limit=1" | sed 's/.*"total":\([0-9]*\).*/\1/')"

echo "== wrk -t1 -c1 -d10s --latency http://127.0.0.1:$PORT/api/v1/cases   (one client: service time without queueing)"
wrk -t1 -c1 -d10s --latency "http://127.0.0.1:$PORT/api/v1/cases" | grep -E "50%|99%|Requests/sec"

for url in "/api/v1/cases" "/api/v1/cases?region=62&sort=title" "/api/v1/cases?q=bali&limit=20"; do
  echo "== wrk -t2 -c8 -d15s --latency http://127.0.0.1:$PORT$url"
  wrk -t2 -c8 -d15s --latency "http://127.0.0.1:$PORT$url" | grep -E "Latency|50%|75%|90%|99%|Requests/sec|requests in"
done
