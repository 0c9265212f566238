#!/usr/bin/env bash
# deckconv --ocr against OCRmyPDF (Tesseract 5, chi_sim+eng) on img2pdf's PDF of the same
# slides, one run each, on this machine; then both PDFs scored against the deck's manifest.
#
# usage: bench/ocr/compare.sh DECK_DIR [OUT_DIR]
#   DECK_DIR: a gen_corpus deck (../shared/bench/gen_corpus.py --out DIR); OUT_DIR: /tmp/ocr-compare
# needs: target/release/deckconv built with `--features ocr`, the models
#   (scripts/fetch-ocr-models.sh), tesseract-ocr + tesseract-ocr-chi-sim (apt), and a python
#   with ocrmypdf and img2pdf (PYTHON_BIN=dir of a venv's bin; default: PATH).
set -euo pipefail
cd "$(dirname "$0")/../.."
DECK=$(realpath "${1:?usage: compare.sh DECK_DIR [OUT_DIR]}")
OUT=${2:-/tmp/ocr-compare}
BIN=${DECKCONV:-${CARGO_TARGET_DIR:-$PWD/target}/release/deckconv}
PY_BIN=${PYTHON_BIN:+$PYTHON_BIN/}
rm -rf "$OUT" && mkdir -p "$OUT"
export SOURCE_DATE_EPOCH=1540000000
SLIDES=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['slides']))" "$DECK/manifest.json")

timed() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %U %M" -o "$OUT/$name.time" "$@" >"$OUT/$name.log" 2>&1
  read -r wall user rss <"$OUT/$name.time"
  printf '| %s | %s s | %s s | %s MiB |\n' "$name" "$wall" "$user" "$((rss / 1024))" | tee -a "$OUT/table.md"
}
echo "| run ($SLIDES slides, $(nproc) cores) | wall | user CPU | peak RSS |" | tee "$OUT/table.md"
echo "|---|---|---|---|" | tee -a "$OUT/table.md"
deck="$DECK/deck-local-posix.md"
timed "deckconv --pdf" "$BIN" "$deck" --pdf -o "$OUT/plain.pdf" --cache-dir "$OUT/cache" -q
timed "deckconv --pdf --ocr" "$BIN" "$deck" --pdf --ocr -o "$OUT/ocr.pdf" --cache-dir "$OUT/cache" -q
timed "deckconv --pdf --ocr (cached)" "$BIN" "$deck" --pdf --ocr -o "$OUT/ocr2.pdf" --cache-dir "$OUT/cache" -q
# The anchor: img2pdf's PDF (no title page), then OCRmyPDF on every core.
images=$(python3 -c "
import json,sys
for s in json.load(open(sys.argv[1]))['slides']: print(sys.argv[2] + '/' + s['file'])" "$DECK/manifest.json" "$DECK")
# shellcheck disable=SC2086
"${PY_BIN}img2pdf" $images -o "$OUT/img2pdf.pdf"
timed "ocrmypdf -l chi_sim+eng" "${PY_BIN}ocrmypdf" -l chi_sim+eng --jobs "$(nproc)" --output-type pdf \
  "$OUT/img2pdf.pdf" "$OUT/ocrmypdf.pdf"

python3 bench/ocr/pdf_result.py "$OUT/ocr.pdf" "$OUT/deckconv.json" --first-page 2 --outline --manifest "$DECK/manifest.json"
python3 bench/ocr/pdf_result.py "$OUT/ocrmypdf.pdf" "$OUT/ocrmypdf.json" --first-page 1 --manifest "$DECK/manifest.json"
python3 bench/ocr/score.py "$DECK" "$OUT/deckconv.json" --name "deckconv --ocr" | tee -a "$OUT/table.md"
python3 bench/ocr/score.py "$DECK" "$OUT/ocrmypdf.json" --name "OCRmyPDF" | tee -a "$OUT/table.md"
