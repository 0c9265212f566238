#!/usr/bin/env bash
# Fetch the PP-OCRv4 text-recognition models used by `deckconv --ocr` (cargo feature `ocr`).
#
# The models ship inside the PyPI package rapidocr-onnxruntime (Apache-2.0, RapidAI; models
# from PaddleOCR, Apache-2.0). This script downloads the pinned wheel with pip, checks its
# sha256, extracts the detection and recognition models, writes the character dictionary
# (stored in the recognition model's metadata) as a text file, and checks every file's sha256.
# Idempotent: a folder that already holds the verified files is left as it is.
#
# usage: scripts/fetch-ocr-models.sh [DIR]
#   DIR defaults to ${XDG_DATA_HOME:-$HOME/.local/share}/deckconv/ocr-models
# needs: python3 with pip (nothing else; no network but PyPI)
set -euo pipefail

VERSION=1.4.4
WHEEL=rapidocr_onnxruntime-${VERSION}-py3-none-any.whl
WHEEL_SHA256=971d7d5f223a7a808662229df1ef69893809d8457d834e6373d3854bc1782cbf
DET=ch_PP-OCRv4_det_infer.onnx
DET_SHA256=d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9
REC=ch_PP-OCRv4_rec_infer.onnx
REC_SHA256=48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b
DICT=ppocr_keys_v1.txt
DICT_SHA256=a1c84d9bdb9ab29043c58896224d32941783eb821629618416dcb08f12886492

DIR=${1:-${XDG_DATA_HOME:-$HOME/.local/share}/deckconv/ocr-models}
PY=${PYTHON:-python3}

sha() { sha256sum "$1" | cut -d' ' -f1; }
verified() {
  [[ -f $DIR/$DET && -f $DIR/$REC && -f $DIR/$DICT ]] &&
    [[ $(sha "$DIR/$DET") == "$DET_SHA256" && $(sha "$DIR/$REC") == "$REC_SHA256" && $(sha "$DIR/$DICT") == "$DICT_SHA256" ]]
}

if verified; then
  echo "fetch-ocr-models: models already in $DIR (checksums verified)"
  exit 0
fi

mkdir -p "$DIR"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "fetch-ocr-models: downloading rapidocr-onnxruntime==$VERSION from PyPI"
"$PY" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
  -d "$TMP" "rapidocr-onnxruntime==$VERSION"
[[ $(sha "$TMP/$WHEEL") == "$WHEEL_SHA256" ]] || { echo "fetch-ocr-models: $WHEEL: checksum mismatch" >&2; exit 1; }

"$PY" - "$TMP/$WHEEL" "$TMP" "$DET" "$REC" "$DICT" <<'PYEOF'
import sys, zipfile
wheel, out, det, rec, dict_name = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    for name in (det, rec):
        with open(f"{out}/{name}", "wb") as f:
            f.write(z.read(f"rapidocr_onnxruntime/models/{name}"))

def varint(b, i):
    r = s = 0
    while True:
        c = b[i]; i += 1
        r |= (c & 0x7F) << s; s += 7
        if c < 0x80:
            return r, i

def fields(b):  # protobuf wire format, enough for ModelProto's top level
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        f, w = key >> 3, key & 7
        if w == 0: v, i = varint(b, i)
        elif w == 1: v = b[i:i + 8]; i += 8
        elif w == 5: v = b[i:i + 4]; i += 4
        elif w == 2:
            n, i = varint(b, i); v = b[i:i + n]; i += n
        else: raise SystemExit(f"unexpected protobuf wire type {w}")
        yield f, v

model = open(f"{out}/{rec}", "rb").read()
chars = None
for f, v in fields(model):
    if f == 14:  # ModelProto.metadata_props
        kv = dict(fields(v))
        if kv.get(1) == b"character":
            chars = kv[2].decode("utf-8").splitlines()
if not chars:
    raise SystemExit("no character dictionary in the recognition model's metadata")
with open(f"{out}/{dict_name}", "w", encoding="utf-8", newline="\n") as f:
    f.write("\n".join(chars) + "\n")
PYEOF

for pair in "$DET:$DET_SHA256" "$REC:$REC_SHA256" "$DICT:$DICT_SHA256"; do
  name=${pair%%:*} want=${pair#*:}
  got=$(sha "$TMP/$name")
  [[ $got == "$want" ]] || { echo "fetch-ocr-models: $name: checksum $got, expected $want" >&2; exit 1; }
done
cat > "$TMP/LICENSE.txt" <<LIC
PP-OCRv4 detection and recognition models (PaddleOCR, Apache-2.0), as shipped in the PyPI
package rapidocr-onnxruntime $VERSION (RapidAI, Apache-2.0). Character dictionary extracted
from the recognition model's metadata. License text: https://www.apache.org/licenses/LICENSE-2.0
LIC
for name in "$DET" "$REC" "$DICT" LICENSE.txt; do
  mv -f "$TMP/$name" "$DIR/$name.partial"
  mv -f "$DIR/$name.partial" "$DIR/$name"
done
verified || { echo "fetch-ocr-models: verification failed after install" >&2; exit 1; }
echo "fetch-ocr-models: models installed in $DIR"
