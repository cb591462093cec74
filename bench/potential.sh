#!/usr/bin/env bash
# Regional potential pages (issue 6): load the synthetic national data set (38 provinces and 514
# regencies/cities x 17 categories x 10 years, ADHB and ADHK) into a fresh SQLite database, then
# time the potential, partner and pair pages and their JSON with curl on loopback: the first
# request (observations read from the database) and the median of 20 more (observations cached,
# analysis recomputed on every request).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p sinergi >/dev/null 2>&1
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c "import json,sys; print(json.load(sys.stdin)['target_directory'])")
BIN="$TARGET/release/sinergi"
DIR=$(mktemp -d)
URL="sqlite://$DIR/bench.db?mode=rwc"
PORT=${PORT:-18790}
export RUST_LOG=warn
"$BIN" migrate --database-url "$URL" >/dev/null
/usr/bin/time -f "synthetic load: %e s" "$BIN" observations synthetic --database-url "$URL"
"$BIN" serve --database-url "sqlite://$DIR/bench.db" --listen "127.0.0.1:$PORT" >"$DIR/serve.log" 2>&1 &
PID=$!
trap 'kill $PID; rm -rf "$DIR"' EXIT
sleep 2
for path in \
  /api/v1/regions/62.71/potential /wilayah/62.71/potensi \
  "/api/v1/regions/62.71/partners?limit=20" /wilayah/62.71/cari-mitra \
  /api/v1/regions/62.71/partners/51.71 /wilayah/62.71/mitra/51.71 \
  /wilayah/62/potensi /wilayah/62/cari-mitra /wilayah/62/mitra/51; do
  first=$(curl -s -o /dev/null -w "%{time_total}" "http://127.0.0.1:$PORT$path")
  sep='?'; [[ "$path" == *'?'* ]] && sep='&'
  # A fresh query string each time: the anonymous-page micro-cache must not answer.
  times=$(for i in $(seq 20); do curl -s -o /dev/null -w "%{time_total}\n" "http://127.0.0.1:$PORT$path${sep}n=$i"; done)
  echo "$times" | python3 -c "import sys,statistics; t=[float(x)*1000 for x in sys.stdin.read().split()]; print(f'{sys.argv[1]:<45} first {float(sys.argv[2])*1000:7.1f} ms   median {statistics.median(t):7.1f} ms   max {max(t):7.1f} ms')" "$path" "$first"
done
