#!/usr/bin/env bash
# Agreement documents (issue 5): a 10-page Kesepakatan Bersama rendered to PDF in-process
# with Typst (median of RUNS, release build), compared in the same run with converting the
# same content's DOCX to PDF through `libreoffice --headless --convert-to pdf`.
# Usage: bench/documents.sh [RUNS] [LO_RUNS]   (needs Debian's libreoffice-writer)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-30}
LO_RUNS=${2:-5}
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c "import json,sys; print(json.load(sys.stdin)['target_directory'])")
cargo build --release -p sinergi-documents --example render_kb >/dev/null
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "== Typst, in-process (release): $RUNS renders, memo cache evicted before each"
TYPST=$("$TARGET/release/examples/render_kb" "$WORK" "$RUNS")
echo "$TYPST"
command -v soffice >/dev/null || { echo "libreoffice is not installed (apt-get install libreoffice-writer)"; exit 1; }

echo "== LibreOffice: DOCX → PDF, $LO_RUNS conversions (a warm-up first, not counted)"
PROFILE="$WORK/lo-profile"
convert() { soffice -env:UserInstallation="file://$PROFILE" --headless --convert-to pdf --outdir "$WORK/lo" "$WORK/kb.docx" >/dev/null 2>&1; }
convert
TIMES=()
for _ in $(seq 1 "$LO_RUNS"); do
  start=$(date +%s%N); convert; end=$(date +%s%N)
  TIMES+=($(( (end - start) / 1000000 )))
done
LO_MEDIAN=$(printf '%s\n' "${TIMES[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "libreoffice ms: ${TIMES[*]}; median ${LO_MEDIAN} ms; pages $(pdfinfo "$WORK/lo/kb.pdf" 2>/dev/null | awk '/^Pages/ {print $2}')"
TYPST_MEDIAN=$(echo "$TYPST" | sed 's/.*"median_ms":\([0-9.]*\).*/\1/')
python3 -c "print(f'ratio: LibreOffice / Typst = {$LO_MEDIAN / $TYPST_MEDIAN:.1f}x')"
