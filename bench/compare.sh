#!/usr/bin/env bash
# Side-by-side benchmark: deckconv and the tools users would otherwise pick, on the same
# generated decks, in one run (timings on shared machines are noisy: compare within a run).
#
# Needs the shared measuring kit beside the repo (SHARED=../shared by default):
# gen_corpus.py (decks), serve.py (loopback HTTP with latency), measure.py (wall, peak RSS).
#
#   bench/compare.sh                 # 37-slide 1280x720 deck
#   HUGE=1 bench/compare.sh          # also the 400-slide 1920x1080 deck (~1 min to generate)
#   ONLY='PDF' bench/compare.sh      # regex on "tool task"
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SHARED:-$REPO/../shared}
B=$SHARED/bench
WORK=${BENCH_WORK:-/tmp/deckconv-bench}
VENV=${BENCH_VENV:-/tmp/bench-venv}
RUNS=${RUNS:-5}; WARMUP=${WARMUP:-1}; HUGE=${HUGE:-0}; HUGE_RUNS=${HUGE_RUNS:-3}
LATENCY_MS=${LATENCY_MS:-150}; PORT=${PORT:-8775}; ONLY=${ONLY:-}; SEED=${SEED:-2018}
[ -f "$B/measure.py" ] || { echo "compare.sh: $B/measure.py not found (set SHARED=...)" >&2; exit 1; }
log() { printf '[compare] %s\n' "$*" >&2; }

# Tools: img2pdf + the corpus generator's Pillow/numpy in a venv; pandoc, pdfjam from apt.
if [ ! -x "$VENV/bin/img2pdf" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check Pillow==13.0.0 numpy==2.4.6 img2pdf==0.6.3
fi
missing=()
for p in pandoc texlive-extra-utils texlive-latex-recommended fonts-noto-cjk curl time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

log "building deckconv (release)"
(cd "$REPO" && cargo build --release --locked -q)
DC=$REPO/target/release/deckconv

mkdir -p "$WORK/decks" "$WORK/out"
RES=$WORK/results.jsonl; : > "$RES"
m() {  # deck tool task warmup runs output cwd prepare cmd
  if [ -n "$ONLY" ] && ! [[ "$2 $3" =~ $ONLY ]]; then return 0; fi
  log "$2 / $3 [$1]"
  python3 "$B/measure.py" run --quiet --results "$RES" --deck "$1" --tool "$2" --task "$3" \
    --warmup "$4" --runs "$5" --output "$6" --cwd "$7" --prepare "$8" -- "$9" || true
}

serve_pid=""
trap '[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true' EXIT
python3 "$B/serve.py" --port "$PORT" --dir "$WORK/decks" --latency-ms "$LATENCY_MS" --max-seconds 3000 \
  --ready-file "$WORK/ready" > "$WORK/serve.log" 2>&1 &
serve_pid=$!

bench_deck() {  # name generator-args... ; warmup runs
  local n=$1 w=$2 r=$3; shift 3
  local d=$WORK/decks/$n O=$WORK/out/$n
  mkdir -p "$O"
  "$VENV/bin/python" "$B/gen_corpus.py" --out "$d" --seed "$SEED" --base-url "http://127.0.0.1:$PORT/$n/" --quiet "$@"
  grep -o '](images/[^)]*' "$d/deck-local-posix.md" | cut -c3- > "$O/files"
  grep -o 'http://[^)]*' "$d/deck.md" > "$O/urls"
  m "$n" img2pdf "images→PDF" "$w" "$r" "$O/img2pdf.pdf" "$d" "rm -f $O/img2pdf.pdf" \
    "$VENV/bin/img2pdf \$(cat $O/files) -o $O/img2pdf.pdf"
  m "$n" deckconv "md→PDF" "$w" "$r" "$O/deckconv.pdf" "$d" "rm -f $O/deckconv.pdf" \
    "$DC -q deck-local.md --pdf -o $O/deckconv.pdf"
  m "$n" pandoc "md→EPUB3" "$w" "$r" "$O/pandoc.epub" "$d" "rm -f $O/pandoc.epub" \
    "pandoc -f markdown -t epub3 --shift-heading-level-by=-1 deck-local-posix.md -o $O/pandoc.epub"
  m "$n" deckconv "md→EPUB3" "$w" "$r" "$O/deckconv.epub" "$d" "rm -f $O/deckconv.epub" \
    "$DC -q deck-local.md --epub -o $O/deckconv.epub"
  m "$n" deckconv "md→EPUB3 kindle-paperwhite" "$w" "$r" "$O/deckconv-kpw.epub" "$d" "rm -f $O/deckconv-kpw.epub" \
    "$DC -q deck-local.md --epub --device kindle-paperwhite -o $O/deckconv-kpw.epub"
  if command -v pdfjam >/dev/null && [ -s "$O/img2pdf.pdf" ]; then
    m "$n" "pdfjam --nup 2x3" "6-up handout" "$w" "$r" "$O/nup.pdf" "$O" "rm -f $O/nup.pdf" \
      "pdfjam --nup 2x3 --paper a4paper --outfile $O/nup.pdf $O/img2pdf.pdf"
  fi
  m "$n" deckconv "6-up handout" "$w" "$r" "$O/deckconv-6.pdf" "$d" "rm -f $O/deckconv-6.pdf" \
    "$DC -q deck-local.md --pdf --layout handout-6 --paper a4 -o $O/deckconv-6.pdf"
  # Remote: every image behind $LATENCY_MS of latency; deckconv with a cold cache each run.
  m "$n" "xargs -P 8 curl" fetch "$w" "$r" "$O/dl" "$O" "rm -rf $O/dl; mkdir -p $O/dl" \
    "xargs -P 8 -n 1 curl -fsS --output-dir $O/dl -O < $O/urls"
  m "$n" deckconv "remote md→PDF (cold cache)" "$w" "$r" "$O/remote.pdf" "$O" "rm -rf $O/cache $O/remote.pdf" \
    "$DC -q http://127.0.0.1:$PORT/$n/deck.md --pdf --cache-dir $O/cache -o $O/remote.pdf"
}

for _ in $(seq 50); do [ -s "$WORK/ready" ] && break; sleep 0.1; done
bench_deck deck37 "$WARMUP" "$RUNS" --slides 37
[ "$HUGE" = 1 ] && bench_deck deck400 0 "$HUGE_RUNS" --huge

python3 "$B/measure.py" table --results "$RES" --markdown | tee "$WORK/table.md"
log "results: $RES, $WORK/table.md"
