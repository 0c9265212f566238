#!/usr/bin/env bash
# deckconv's PDF/A-2u + PDF/UA-1 output against OCRmyPDF's default PDF/A output, side by side on
# the same deck: both through the same validators (validate.py), with time and bytes, and what
# conformance costs each: OCRmyPDF against its own `--output-type pdf`, deckconv by the objects
# that exist only for conformance (conformance_bytes.py) and the instructions spent making
# them (callgrind over a debug build).
#
# usage: bench/conformance/compare.sh DECK_DIR [OUT_DIR]
#   DECK_DIR: a gen_corpus deck (../shared/bench/gen_corpus.py --out DIR); OUT_DIR: /tmp/conformance-compare
# needs: target/release/deckconv and target/debug/deckconv built with `--features ocr`, the
#   models (scripts/fetch-ocr-models.sh), tesseract-ocr + tesseract-ocr-chi-sim (apt),
#   valgrind, a python with ocrmypdf and img2pdf (PYTHON_BIN=dir of a venv's bin), and
#   page-validation and pdfua for python3 (as .ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/../.."
DECK=$(realpath "${1:?usage: compare.sh DECK_DIR [OUT_DIR]}")
OUT=${2:-/tmp/conformance-compare}
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
BIN=${DECKCONV:-$TARGET/release/deckconv}
DEBUG_BIN=${DECKCONV_DEBUG:-$TARGET/debug/deckconv}
PY_BIN=${PYTHON_BIN:+$PYTHON_BIN/}
rm -rf "$OUT" && mkdir -p "$OUT"
export SOURCE_DATE_EPOCH=1540000000
deck="$DECK/deck-local-posix.md"

timed() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %U %M" -o "$OUT/time" "$@" >"$OUT/log" 2>&1 || { cat "$OUT/log"; exit 1; }
  read -r wall user rss <"$OUT/time"
  printf '| %s | %s s | %s s | %s MiB |\n' "$name" "$wall" "$user" "$((rss / 1024))" | tee -a "$OUT/table.md"
}
echo "| run ($(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['slides']))" "$DECK/manifest.json") slides, $(nproc) cores) | wall | user CPU | peak RSS |" | tee "$OUT/table.md"
echo "|---|---|---|---|" | tee -a "$OUT/table.md"
# The recognition cache is filled first, so the --ocr rows time writing, not recognising.
"$BIN" "$deck" --pdf --ocr -o "$OUT/warm.pdf" --cache-dir "$OUT/cache" -q
timed "deckconv --pdf" "$BIN" "$deck" --pdf -o "$OUT/deckconv.pdf" --cache-dir "$OUT/cache" -q
timed "deckconv --pdf --ocr (recognition cached)" "$BIN" "$deck" --pdf --ocr -o "$OUT/deckconv-ocr.pdf" --cache-dir "$OUT/cache" -q
images=$(python3 -c "
import json,sys
for s in json.load(open(sys.argv[1]))['slides']: print(sys.argv[2] + '/' + s['file'])" "$DECK/manifest.json" "$DECK")
# shellcheck disable=SC2086
"${PY_BIN}img2pdf" $images -o "$OUT/img2pdf.pdf"
timed "ocrmypdf (default: PDF/A)" "${PY_BIN}ocrmypdf" -l chi_sim+eng --jobs "$(nproc)" \
  "$OUT/img2pdf.pdf" "$OUT/ocrmypdf-pdfa.pdf"
timed "ocrmypdf --output-type pdf" "${PY_BIN}ocrmypdf" -l chi_sim+eng --jobs "$(nproc)" --output-type pdf \
  "$OUT/img2pdf.pdf" "$OUT/ocrmypdf-pdf.pdf"

echo | tee -a "$OUT/table.md"
python3 bench/conformance/validate.py "img2pdf=$OUT/img2pdf.pdf" \
  "OCRmyPDF (PDF/A)=$OUT/ocrmypdf-pdfa.pdf" "OCRmyPDF (--output-type pdf)=$OUT/ocrmypdf-pdf.pdf" \
  "deckconv=$OUT/deckconv.pdf" "deckconv --ocr=$OUT/deckconv-ocr.pdf" | tee -a "$OUT/table.md"

echo | tee -a "$OUT/table.md"
for pdf in deckconv deckconv-ocr; do
  python3 bench/conformance/conformance_bytes.py "$OUT/$pdf.pdf" | tee -a "$OUT/table.md"
done
# Instructions: the whole run against the functions that build the structure tree, the XMP
# packet and the ICC profiles (inclusive counts; debug build, as the instruction guard uses).
valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" \
  "$DEBUG_BIN" "$deck" --pdf --ocr -o "$OUT/callgrind.pdf" --cache-dir "$OUT/cache" -q 2>/dev/null
callgrind_annotate --inclusive=yes "$OUT/callgrind.out" 2>/dev/null >"$OUT/callgrind.txt"
python3 - "$OUT/callgrind.txt" <<'PY' | tee -a "$OUT/table.md"
import re, sys
total, parts = None, {}
wanted = {
    "structure tree and marked content": r"writer::pdf::tags::",
    "XMP packet": r"writer::pdf::meta::xmp_packet",
    "ICC profiles": r"writer::pdf::icc::",
}
for line in open(sys.argv[1]):
    m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+(.*)", line)
    if not m:
        continue
    count, name = int(m[1].replace(",", "")), m[2]
    if total is None and "PROGRAM TOTALS" in line:
        total = count
    for label, pattern in wanted.items():
        # Inclusive counts nest: keep each label's largest (outermost) function.
        if re.search(pattern, name):
            parts[label] = max(parts.get(label, 0), count)
if total is None:
    total = int(re.search(r"([\d,]+)\s+\(100.0%\)\s+PROGRAM TOTALS", open(sys.argv[1]).read())[1].replace(",", ""))
print(f"deckconv --pdf --ocr, instructions: {total:,}")
for label, count in parts.items():
    print(f"  {label}: {count:,} ({100 * count / total:.2f} %)")
PY
echo "table: $OUT/table.md"
