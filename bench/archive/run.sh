#!/usr/bin/env bash
# Issue 22's scale benchmark: a generated archive of COUNT decks x 45 slides served over
# loopback with LATENCY_MS per request, through
#   - 8 parallel curls fetching every image (the floor: the downloads alone),
#   - deckconv FOLDER --pdf -o out/       (a whole archive, one PDF per deck),
#   - deckconv FOLDER --anthology --epub  (one book), also of the first 20 decks (RSS flat?),
# each from an empty cache, in one run (timings on shared machines are noisy: compare within
# a run). Needs ../shared/bench (gen_corpus.py, serve.py, measure.py).
#
#   bench/archive/run.sh               # 130 decks, 50 ms, 3 runs each
#   COUNT=20 RUNS=1 bench/archive/run.sh
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHARED=${SHARED:-$REPO/../shared}
B=$SHARED/bench
WORK=${BENCH_WORK:-/tmp/deckconv-archive}
VENV=${BENCH_VENV:-/tmp/bench-venv}
COUNT=${COUNT:-130}; RUNS=${RUNS:-3}; LATENCY_MS=${LATENCY_MS:-50}; PORT=${PORT:-8790}
log() { printf '[archive] %s\n' "$*" >&2; }

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import PIL, numpy" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check Pillow==13.0.0 numpy==2.4.6
fi
for p in fonts-noto-cjk curl time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null; }
done

log "building deckconv (release)"
(cd "$REPO" && cargo build --release --locked -q)
DC=$REPO/target/release/deckconv

if [ ! -f "$WORK/base/deck.md" ]; then
  log "generating the 45-slide deck"
  "$VENV/bin/python" "$B/gen_corpus.py" --slides 45 --out "$WORK/base" --quiet
fi
if [ ! -f "$WORK/.made-$COUNT" ]; then
  log "making $COUNT decks"
  rm -rf "$WORK/site" "$WORK/decks" "$WORK"/.made-*
  python3 "$REPO/bench/archive/make_archive.py" --base "$WORK/base" --site "$WORK/site" \
    --decks "$WORK/decks" --count "$COUNT" --base-url "http://127.0.0.1:$PORT/"
  touch "$WORK/.made-$COUNT"
fi
mkdir -p "$WORK/decks20"
for f in $(ls "$WORK/decks" | sort | head -20); do ln -sf "$WORK/decks/$f" "$WORK/decks20/$f"; done
grep -ho 'http://[^)]*' "$WORK"/decks/*.md > "$WORK/urls"
log "$(wc -l < "$WORK/urls") images, $(du -sh "$WORK/site" | cut -f1)"

python3 "$B/serve.py" --dir "$WORK/site" --port "$PORT" --latency-ms "$LATENCY_MS" \
  --max-seconds 7200 > "$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q listening "$WORK/serve.log" && break; sleep 0.1; done
# Another server on the port would answer for a while and then vanish mid-run.
grep -q listening "$WORK/serve.log" && kill -0 "$SERVER" 2>/dev/null ||
  { log "serve.py did not start on port $PORT:"; cat "$WORK/serve.log" >&2; exit 1; }

R=$WORK/results.jsonl; rm -f "$R"; O=$WORK/out
m() { # tool task output prepare cmd
  python3 "$B/measure.py" run --results "$R" --tool "$1" --task "$2" --deck "archive$COUNT" \
    --warmup 0 --runs "$RUNS" --output "$3" --prepare "$4" --timeout 3600 -- "$5"
}
fresh="rm -rf $O $WORK/cache; mkdir -p $O"
m "xargs -P 8 curl" fetch "$O" "$fresh" \
  "xargs -P 8 -n 1 curl -fsS --output-dir $O -O < $WORK/urls"
m deckconv "archive PDF" "$O" "$fresh" \
  "$DC $WORK/decks --pdf -o $O/ --cache-dir $WORK/cache -q"
m deckconv "anthology EPUB" "$O" "$fresh" \
  "$DC $WORK/decks --anthology --epub -o $O/book.epub --cache-dir $WORK/cache -q"
m deckconv "anthology EPUB, 20 decks" "$O" "$fresh" \
  "$DC $WORK/decks20 --anthology --epub -o $O/book.epub --cache-dir $WORK/cache -q"
python3 "$B/measure.py" table --results "$R" --markdown
