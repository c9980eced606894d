#!/usr/bin/env bash
# Development check: the dev Word reports converted to PDF by LibreOffice (a PDF producer the dev corpus does not
# use: other fonts, per-cell borders, wrapped cells, rows cut by page breaks), parsed and scored against the same
# ground truth. Needs `soffice` (Debian: libreoffice-writer-nogui, fonts-wqy-microhei). Never part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/debug/medlocal}
CORPUS=${SHARED:-../shared}/corpora/docs-dev
WORK=${WORK:-.deps/docx-as-pdf}
rm -rf "$WORK" && mkdir -p "$WORK/in" "$WORK/gt" "$WORK/out"
cp "$CORPUS"/*.docx "$WORK/in/"
(cd "$WORK/in" && soffice --headless --convert-to pdf ./*.docx >/dev/null 2>&1)
for pdf in "$WORK"/in/*.pdf; do id=$(basename "$pdf" .pdf); cp "$CORPUS/$id.gt.json" "$WORK/gt/"; done
"$BIN" parse "$WORK"/in/*.pdf -o "$WORK/out" --format md,json 2>/dev/null
python3 "${SHARED:-../shared}/tools/doc-score" --dir "$WORK/gt" "$WORK/out" "${@:2}"
