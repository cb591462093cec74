#!/usr/bin/env bash
# Importing a region's register (issue 19): a messy XLSX of 5,000 agreements (written by
# bench/register_messy.py) read, reported and written by `sinergi cases import` on SQLite,
# release build. Reports the wall time and peak memory (GNU time) of the dry run and of the
# import, and of the re-import that finds every row already there; the target is under 10 s.
# Usage: bench/register_import.sh [ROWS]   (builds the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-5000}
cargo build --release -p sinergi >/dev/null 2>&1
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c "import json,sys; print(json.load(sys.stdin)['target_directory'])")
BIN="$TARGET/release/sinergi"
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
URL="sqlite://$DIR/bench.db?mode=rwc"
export RUST_LOG=warn
python3 bench/register_messy.py "$ROWS" "$DIR/register.xlsx"
"$BIN" migrate --database-url "$URL" >/dev/null
echo "register: $ROWS rows, $(stat -c %s "$DIR/register.xlsx") bytes"
run() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$DIR/time" "$BIN" cases import "$DIR/register.xlsx" --region 62 "$@" --database-url "$URL" >"$DIR/out.txt"
  read -r secs kb <"$DIR/time"
  echo "$label: ${secs} s, peak RSS $((kb / 1024)) MB — $(tail -1 "$DIR/out.txt")"
}
run "dry run" --dry-run
run "import"
run "re-import"
