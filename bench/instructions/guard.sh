#!/usr/bin/env bash
# Instruction-count regression guard: PDF, EPUB, 6-up handout and cached --ocr runs of the
# bundled example deck, each counted under Valgrind (cachegrind, no cache simulation), compared
# with bench/instructions/baseline.tsv. Instructions, not seconds: the count is the same on a
# quiet or a loaded machine, so a 10% rise is a real regression, not noise.
#
#   bench/instructions/guard.sh [BINARY]      compare (exit 1 on a rise over the tolerance)
#   UPDATE=1 bench/instructions/guard.sh      write the baseline from this build
#
# BINARY defaults to target/debug/deckconv (what `cargo test --features ocr` builds, so CI
# counts the build it has just tested; the baseline is per build profile and toolchain).
# TOLERANCE (percent, default 10) bounds a rise. The --ocr row is counted only where the
# binary has the ocr feature and the models are installed (scripts/fetch-ocr-models.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

bin="${1:-${CARGO_TARGET_DIR:-target}/debug/deckconv}"
baseline=bench/instructions/baseline.tsv
tolerance="${TOLERANCE:-10}"
deck=examples/qcon-shanghai-2018/deck.md

command -v valgrind >/dev/null || { echo "guard: valgrind is not installed (apt install valgrind)"; exit 1; }
[[ -x "$bin" ]] || { echo "guard: no binary at $bin (cargo build --features ocr)"; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1557734400 LC_ALL=C.UTF-8
# Thread pools follow the core count (2 on this project's machines and CI); the total counts
# every thread's instructions, so it moves little with scheduling (see the README).

# Instructions (user space, every thread) of run NAME of deckconv with these arguments, into
# $work/NAME.count.
count() {
  local name="$1"; shift
  if valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    --log-file="$work/$name.vg" "$bin" "$@" >/dev/null 2>"$work/$name.err"; then
    grep -E 'I *refs:' "$work/$name.vg" | tail -1 | sed -E 's/.*refs: *//; s/,//g' >"$work/$name.count"
  else
    echo "guard: deckconv $* failed:"; cat "$work/$name.err" "$work/$name.vg"
  fi
}

common=(--font assets/fonts/NotoSansCJKsc-GB2312.otf)
declare -A now
ocr=0
if "$bin" --help | grep -q -- '--ocr' && "$bin" "$deck" --pdf --ocr -o "$work/warm.pdf" \
  --cache-dir "$work/cache-ocr" "${common[@]}" >/dev/null 2>"$work/warm.err"; then
  ocr=1
else
  echo "guard: --ocr row skipped ($(head -c 300 "$work/warm.err" 2>/dev/null || echo 'no ocr feature'))"
fi
# Two at a time (counts do not depend on what runs beside), each with its own cache folder.
count pdf "$deck" --pdf -o "$work/a.pdf" --cache-dir "$work/c1" "${common[@]}" &
count epub "$deck" --epub -o "$work/a.epub" --cache-dir "$work/c2" "${common[@]}" &
wait
count handout-6 "$deck" --pdf --layout handout-6 --paper a4 -o "$work/h.pdf" \
  --cache-dir "$work/c3" "${common[@]}" &
# The OCR cache now holds every slide's words: this counts a rerun.
((ocr)) && count ocr-cached "$deck" --pdf --ocr -o "$work/o.pdf" --cache-dir "$work/cache-ocr" \
  "${common[@]}" &
wait
for run in pdf epub handout-6 ocr-cached; do
  [[ -s "$work/$run.count" ]] && now[$run]=$(cat "$work/$run.count")
done
for run in pdf epub handout-6; do
  [[ -n "${now[$run]:-}" ]] || { echo "guard: the $run run failed"; exit 1; }
done

toolchain="$(rustc --version 2>/dev/null || echo unknown)"
# Dependencies pick SIMD code paths at run time (crc32fast, zune-jpeg, fast_image_resize):
# counts compare only between CPUs with the same such features.
simd="$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'sse4_1|sse4_2|avx|avx2|fma|bmi2|pclmulqdq|avx512f|avx512bw|avx512vl|sha_ni|vpclmulqdq' | sort | tr '\n' ' ' | sed 's/ $//')"
if [[ "${UPDATE:-0}" == 1 ]]; then
  {
    echo "# run	instructions	(bench/instructions/guard.sh on $bin; $toolchain)"
    echo "# simd: $simd"
    for run in pdf epub handout-6 ocr-cached; do
      [[ -n "${now[$run]:-}" ]] && printf '%s\t%s\n' "$run" "${now[$run]}"
    done
  } >"$baseline"
  echo "guard: baseline written to $baseline"; cat "$baseline"; exit 0
fi

base_simd="$(sed -n 's/^# simd: //p' "$baseline")"
strict=1
if [[ "$base_simd" != "$simd" ]]; then
  echo "guard: this CPU's SIMD features ($simd) differ from the baseline's ($base_simd):"
  echo "guard: figures shown, not enforced (UPDATE=1 on this kind of machine to enforce)"
  strict=0
fi
failed=0
printf '%-12s %15s %15s %8s\n' run baseline now change
while IFS=$'\t' read -r run base _; do
  [[ "$run" == \#* || -z "$run" ]] && continue
  cur="${now[$run]:-}"
  if [[ -z "$cur" ]]; then printf '%-12s %15s %15s %8s\n' "$run" "$base" "-" "skipped"; continue; fi
  change=$(awk -v a="$base" -v b="$cur" 'BEGIN { printf "%+.1f%%", (b - a) * 100 / a }')
  printf '%-12s %15s %15s %8s\n' "$run" "$base" "$cur" "$change"
  if awk -v a="$base" -v b="$cur" -v t="$tolerance" 'BEGIN { exit !(b > a * (1 + t / 100)) }'; then
    echo "guard: $run takes over $tolerance% more instructions than its baseline"; failed=$strict
  elif awk -v a="$base" -v b="$cur" -v t="$tolerance" 'BEGIN { exit !(b < a * (1 - t / 100)) }'; then
    echo "guard: $run got over $tolerance% cheaper: UPDATE=1 $0 to keep the gain guarded"
  fi
done <"$baseline"
exit "$failed"
