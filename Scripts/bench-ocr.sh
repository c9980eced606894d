#!/usr/bin/env bash
# make bench-ocr: scanned pages through medlocal (release) and through the tesseract command line, in one run,
# on the same pages and the same languages, with all cores; then accuracy of `medlocal parse` on every dev scan.
#   Scripts/bench-ocr.sh MEDLOCAL DOCS_DEV WORKDIR [DOCS]
set -euo pipefail
medlocal=$1 corpus=$2 work=$3 docs=${4:-12}
cores=$(nproc --all)   # plain nproc honours OMP_THREAD_LIMIT
export OMP_THREAD_LIMIT=1
rm -rf "$work" && mkdir -p "$work/pages" "$work/tess" "$work/ours" "$work/all"
scans=$(ls "$corpus"/d*.scan.pdf | head -n "$docs")
for scan in $scans; do "$medlocal" render "$scan" -o "$work/pages" --dpi 200 2>/dev/null; done
pages=$(ls "$work/pages"/*.png | wc -l)

# One batch, a document per core (most scans are one page: reading them one at a time would leave cores idle).
start=$(date +%s.%N)
"$medlocal" parse $scans -o "$work/ours" --format md --jobs "$cores" 2>/dev/null
ours=$(echo "$(date +%s.%N) - $start" | bc)

start=$(date +%s.%N)
"$medlocal" parse $scans -o "$work/ours300" --format md --ocr-dpi 300 --jobs "$cores" 2>/dev/null
ours300=$(echo "$(date +%s.%N) - $start" | bc)

start=$(date +%s.%N)
ls "$work/pages"/*.png | xargs -P "$cores" -I{} sh -c 'tesseract "$1" "$2/$(basename "$1" .png)" -l chi_sim+eng >/dev/null 2>&1' _ {} "$work/tess"
peer=$(echo "$(date +%s.%N) - $start" | bc)

python3 - "$pages" "$ours" "$peer" "$cores" "$ours300" <<'PY'
import sys
pages, ours, peer, cores, ours300 = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], float(sys.argv[5])
print(f"scanned pages: {pages} (200 dpi scans), {cores} cores")
print(f"medlocal parse (orientation, deskew, rules, OCR, layout, Markdown), pages read at the scans' own 200 dpi: {ours / pages:.2f} s/page")
print(f"medlocal parse --ocr-dpi 300: {ours300 / pages:.2f} s/page ({ours300 / peer:.2f}x the tesseract CLI's time)")
print(f"tesseract CLI -l chi_sim+eng on the same pages rendered at 200 dpi, {cores} at a time: {peer / pages:.2f} s/page")
print(f"ratio: medlocal takes {ours / peer:.2f}x the tesseract CLI's time")
PY

# Accuracy on every dev scan.
"$medlocal" parse $(ls "$corpus"/d*.scan.pdf) -o "$work/all" --format md,json 2>/dev/null
python3 "$(dirname "$corpus")/../tools/doc-score" --dir "$corpus" "$work/all" --md-suffix .scan.md --json-suffix .scan.json | sed -n 2,9p
