#!/usr/bin/env bash
# A refused case-page form (issue 14). With the founding case and the synthetic national
# potential data loaded, a signed-in Kalimantan Tengah staff member opens the case page (its
# scope is checked against the pair's regional-potential analysis) and sends the meeting form
# with a date that is not a date. The refused form comes back with the reason and the values
# typed, without recomputing the analysis. Measured in one run with curl on loopback: the
# median server time of 30 requests of each, after one warm-up request.
# Usage: bench/refused_form.sh   (builds the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p sinergi >/dev/null 2>&1
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c "import json,sys; print(json.load(sys.stdin)['target_directory'])")
BIN="$TARGET/release/sinergi"
DIR=$(mktemp -d)
URL="sqlite://$DIR/bench.db?mode=rwc"
PORT=${PORT:-18791}
BASE="http://127.0.0.1:$PORT"
CASE=017fb939-1400-7000-8000-000000006251
export RUST_LOG=warn
"$BIN" migrate --database-url "$URL" >/dev/null
"$BIN" observations synthetic --database-url "$URL" >/dev/null
"$BIN" serve --demo --database-url "sqlite://$DIR/bench.db" --listen "127.0.0.1:$PORT" >"$DIR/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 1 100); do curl -fs "$BASE/ready" >/dev/null && break; sleep 0.2; done

JAR="$DIR/cookies"
token() { sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1; }
login=$(curl -fs -c "$JAR" -b "$JAR" "$BASE/masuk" | token)
curl -fs -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "_csrf=$login" \
  --data-urlencode "username=admin.kalteng" --data-urlencode "password=sinergi-demo-2022" "$BASE/masuk"
page=$(curl -fs -c "$JAR" -b "$JAR" "$BASE/kerja-sama/$CASE")
csrf=$(echo "$page" | token)
echo "$page" | grep -q 'form-pertemuan' || { echo "the case page offers no meeting form" >&2; exit 1; }

get_case() { curl -s -o "$DIR/out.html" -b "$JAR" -w "%{time_total}\n" "$BASE/kerja-sama/$CASE"; }
refuse() {
  curl -s -o "$DIR/out.html" -b "$JAR" -w "%{time_total}\n" \
    --data-urlencode "_csrf=$csrf" --data-urlencode "kind=koordinasi" \
    --data-urlencode "title=Rapat koordinasi" --data-urlencode "date=31-02-2026" \
    --data-urlencode "host_region=62" "$BASE/kerja-sama/$CASE/pertemuan"
}
get_case >/dev/null
grep -q 'id="cek-lingkup-kerja-sama"' "$DIR/out.html" || { echo "the case page shows no potential check" >&2; exit 1; }
refuse >/dev/null
grep -q 'id="galat"' "$DIR/out.html" || { echo "the refused form did not come back with its reason" >&2; exit 1; }
if grep -q 'id="cek-lingkup-kerja-sama"' "$DIR/out.html"; then echo "the refused form recomputed the potential check" >&2; exit 1; fi

summary() {
  python3 -c "import sys,statistics; t=[float(x)*1000 for x in sys.stdin.read().split()]; print(f'{statistics.median(t):.2f}')"
}
case_ms=$(for _ in $(seq 30); do get_case; done | summary)
refused_ms=$(for _ in $(seq 30); do refuse; done | summary)
echo "case page (with the potential check):   median $case_ms ms"
echo "refused meeting form (no analysis):     median $refused_ms ms"
python3 -c "print(f'refused / case page: {float(\"$refused_ms\")/float(\"$case_ms\"):.2f}')"
