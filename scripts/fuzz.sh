#!/usr/bin/env bash
# A fuzzing campaign: every cargo-fuzz target (or those named) in turn, each for SECONDS
# (default 600), one at a time at low priority, with a corpus kept between runs outside the
# clone, so each campaign starts where the last one stopped. Prints, per target, the inputs
# run, libFuzzer's coverage (`cov:` edges, `ft:` features), the corpus size, the peak RSS and
# any crash, and exits 1 if a target crashed, hung (FUZZ_TIMEOUT s per input) or went over
# FUZZ_RSS_MB.
#
#   scripts/fuzz.sh                 every target, 600 s each
#   scripts/fuzz.sh 300 probe pdf   those two, 300 s each
#
# Environment: FUZZ_CORPUS (default ${XDG_CACHE_HOME:-~/.cache}/deckconv/fuzz-corpus; one
# folder per target; crashes go to fuzz-artifacts/ beside it), FUZZ_SANITIZER (none; address
# also watches the dependencies' unsafe code, at a ~40% slower build and run), FUZZ_NICE (19),
# FUZZ_TIMEOUT (10), FUZZ_RSS_MB (512), CARGO_TARGET_DIR. Needs a nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz --locked`). The committed seeds (fuzz/seeds/<target>)
# are read, never written to. Reproduce a crash with
#   cd fuzz && cargo +nightly fuzz run -O --sanitizer none <target> <artifact>
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
shift || true
cache="${XDG_CACHE_HOME:-$HOME/.cache}/deckconv"
corpus_root="${FUZZ_CORPUS:-$cache/fuzz-corpus}"
artifact_root="$(dirname "$corpus_root")/fuzz-artifacts"
sanitizer="${FUZZ_SANITIZER:-none}"
nice_level="${FUZZ_NICE:-19}"
target_dir="${CARGO_TARGET_DIR:-$PWD/target}/fuzz"

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: needs a nightly toolchain and cargo-fuzz (cargo install cargo-fuzz --locked)" >&2
  exit 2
fi
cd fuzz
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
echo "fuzz.sh: building ${targets[*]} (sanitizer $sanitizer)"
nice -n "$nice_level" cargo +nightly fuzz build -O --sanitizer "$sanitizer" --target-dir "$target_dir"

failed=0
summary=()
for target in "${targets[@]}"; do
  corpus="$corpus_root/$target"
  artifacts="$artifact_root/$target"
  mkdir -p "$corpus" "$artifacts"
  log="$artifacts/last-run.log"
  seeds=()
  [ -d "seeds/$target" ] && seeds=("seeds/$target")
  # libFuzzer's findings: crash-, timeout-, oom-, leak- files; a slow-unit- file is only the
  # slowest input's wall time (a busy machine stalls a niced fuzzer), reported apart.
  findings() { find "$artifacts" -maxdepth 1 -type f -name "$1" | wc -l; }
  before=$(($(findings 'crash-*') + $(findings 'timeout-*') + $(findings 'oom-*') + $(findings 'leak-*')))
  echo "fuzz.sh: $target for ${seconds}s (corpus $corpus)"
  status=0
  nice -n "$nice_level" cargo +nightly fuzz run -O --sanitizer "$sanitizer" --target-dir "$target_dir" \
    "$target" "$corpus" "${seeds[@]}" -- \
    -max_total_time="$seconds" -rss_limit_mb="${FUZZ_RSS_MB:-512}" -timeout="${FUZZ_TIMEOUT:-10}" \
    -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
  # The last status line: "#N  DONE cov: C ft: F corp: K/S ..." (or the last pulse before a crash).
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p' <<<"$last")
  after=$(($(findings 'crash-*') + $(findings 'timeout-*') + $(findings 'oom-*') + $(findings 'leak-*')))
  crashes=$((after - before))
  slowest=$(sed -n 's/^stat::slowest_unit_time_sec: *//p' "$log" | tail -n 1)
  if [ "$status" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    failed=1
    grep -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written' "$log" | head -n 10 || true
  fi
  line="$target: ${seconds}s, ${execs:-?} inputs, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}, peak RSS ${rss:-?} MB, slowest input ${slowest:-?} s, crashes $crashes, exit $status"
  echo "fuzz.sh: $line"
  summary+=("$line")
done
echo "fuzz.sh: summary"
printf '  %s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "fuzz.sh: a target failed; inputs are in $artifact_root/<target>, logs in last-run.log there"
  exit 1
fi
