#!/usr/bin/env bash
# Development helper: parse the shared docs-dev corpus (digital PDFs and DOCX separately) and score both with
# the shared doc-score. Usage: Scripts/score-docs.sh [medlocal-binary] [extra doc-score flags]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/debug/medlocal}; shift || true
CORPUS=${SHARED:-../shared}/corpora/docs-dev
OUT=${OUT:-.deps/docs-score}
rm -rf "$OUT" && mkdir -p "$OUT/pdf" "$OUT/docx"
ls "$CORPUS"/d*.pdf | grep -v '\.scan\.pdf$' | xargs "$BIN" parse -o "$OUT/pdf" --format md,json 2>/dev/null
"$BIN" parse "$CORPUS"/*.docx -o "$OUT/docx" --format md,json 2>/dev/null
echo "== digital PDFs"; python3 "${SHARED:-../shared}/tools/doc-score" --dir "$CORPUS" "$OUT/pdf" "$@"
echo "== DOCX"; python3 "${SHARED:-../shared}/tools/doc-score" --dir "$CORPUS" "$OUT/docx" --only-present "$@"
