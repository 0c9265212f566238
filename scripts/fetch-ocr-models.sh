#!/usr/bin/env bash
# Fetch what `deckconv --ocr` (cargo feature `ocr`) runs: the PP-OCRv4 text-recognition
# models and the ONNX Runtime library that runs them.
#
# The models ship inside the PyPI package rapidocr-onnxruntime (Apache-2.0, RapidAI; models
# from PaddleOCR, Apache-2.0); ONNX Runtime's shared library ships inside the PyPI package
# onnxruntime (MIT, Microsoft). This script downloads both pinned wheels with pip, checks
# their sha256, extracts the detection and recognition models and the library, writes the
# character dictionary (stored in the recognition model's metadata) as a text file, and
# checks every file's sha256. Idempotent: a folder that already holds the verified files is
# left as it is. The library is the same whichever Python runs pip: the wheel is pinned by
# platform, not by the Python that fetches it.
#
# usage: scripts/fetch-ocr-models.sh [DIR]
#   DIR defaults to ${XDG_DATA_HOME:-$HOME/.local/share}/deckconv/ocr-models
# needs: python3 with pip (nothing else; no network but PyPI)
# platforms: Linux x86_64 and aarch64 (glibc 2.28 or later), macOS arm64
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

ORT_VERSION=1.32.0
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64)
    ORT_PLATFORM=manylinux_2_28_x86_64
    ORT_WHEEL_SHA256=99e1074c4b2197accd5073052a465361be17b89c093b8ffb6e6bd8f986c52df8
    ORT_MEMBER=onnxruntime/capi/libonnxruntime.so.$ORT_VERSION RUNTIME=libonnxruntime.so
    RUNTIME_SHA256=6c1585d1bbf45b0712ea4a21b705c5fcb4ba04ff2e30f1fbf81a49faf658638f ;;
  Linux-aarch64)
    ORT_PLATFORM=manylinux_2_28_aarch64
    ORT_WHEEL_SHA256=e36c187006e7a7c8b8d6d57f1a209dd63f52430dca6c282b177718ad6b841054
    ORT_MEMBER=onnxruntime/capi/libonnxruntime.so.$ORT_VERSION RUNTIME=libonnxruntime.so
    RUNTIME_SHA256=49852228a93995158b2a813d4df487d47a1b76b0eaa894507ef49e91b6d7954a ;;
  Darwin-arm64)
    ORT_PLATFORM=macosx_14_0_arm64
    ORT_WHEEL_SHA256=d52510bbbcc880c13b826f7d75cdf33ac5cf0bb864d960000fc29ce73f0cb83e
    ORT_MEMBER=onnxruntime/capi/libonnxruntime.$ORT_VERSION.dylib RUNTIME=libonnxruntime.dylib
    RUNTIME_SHA256=fa585fabbea65b823b9a8f7e27d46aee3989d1be7e36b528203d3a1fd613aae7 ;;
  *)
    echo "fetch-ocr-models: no pinned ONNX Runtime for $(uname -s) $(uname -m); put its shared library in the models folder as the deckconv error names it" >&2
    exit 1 ;;
esac
ORT_WHEEL=onnxruntime-${ORT_VERSION}-cp312-cp312-${ORT_PLATFORM}.whl

DIR=${1:-${XDG_DATA_HOME:-$HOME/.local/share}/deckconv/ocr-models}
PY=${PYTHON:-python3}

sha() { if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1; }
verified() {
  local pair name
  for pair in "$DET:$DET_SHA256" "$REC:$REC_SHA256" "$DICT:$DICT_SHA256" "$RUNTIME:$RUNTIME_SHA256"; do
    name=${pair%%:*}
    [[ -f $DIR/$name && $(sha "$DIR/$name") == "${pair#*:}" ]] || return 1
  done
}

# The verified checksums, for deckconv: a model file not changed since (same size, not
# newer) is not read and hashed again on every run, which a run served from its cache felt.
write_sums() {
  printf '%s  %s\n' "$DET_SHA256" "$DET" "$REC_SHA256" "$REC" "$DICT_SHA256" "$DICT" \
    "$RUNTIME_SHA256" "$RUNTIME" >"$DIR/SHA256SUMS.partial"
  mv -f "$DIR/SHA256SUMS.partial" "$DIR/SHA256SUMS"
}

if verified; then
  [[ -f $DIR/SHA256SUMS ]] || write_sums
  echo "fetch-ocr-models: models and ONNX Runtime already in $DIR (checksums verified)"
  exit 0
fi

mkdir -p "$DIR"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "fetch-ocr-models: downloading rapidocr-onnxruntime==$VERSION from PyPI"
"$PY" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
  -d "$TMP" "rapidocr-onnxruntime==$VERSION"
[[ $(sha "$TMP/$WHEEL") == "$WHEEL_SHA256" ]] || { echo "fetch-ocr-models: $WHEEL: checksum mismatch" >&2; exit 1; }

echo "fetch-ocr-models: downloading onnxruntime==$ORT_VERSION ($ORT_PLATFORM) from PyPI"
"$PY" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
  --platform "$ORT_PLATFORM" --python-version 3.12 --implementation cp \
  -d "$TMP" "onnxruntime==$ORT_VERSION"
[[ $(sha "$TMP/$ORT_WHEEL") == "$ORT_WHEEL_SHA256" ]] || { echo "fetch-ocr-models: $ORT_WHEEL: checksum mismatch" >&2; exit 1; }

"$PY" - "$TMP/$WHEEL" "$TMP" "$DET" "$REC" "$DICT" "$TMP/$ORT_WHEEL" "$ORT_MEMBER" "$RUNTIME" <<'PYEOF'
import sys, zipfile
wheel, out, det, rec, dict_name, ort_wheel, ort_member, runtime = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    for name in (det, rec):
        with open(f"{out}/{name}", "wb") as f:
            f.write(z.read(f"rapidocr_onnxruntime/models/{name}"))
with zipfile.ZipFile(ort_wheel) as z, open(f"{out}/{runtime}", "wb") as f:
    f.write(z.read(ort_member))

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

for pair in "$DET:$DET_SHA256" "$REC:$REC_SHA256" "$DICT:$DICT_SHA256" "$RUNTIME:$RUNTIME_SHA256"; do
  name=${pair%%:*} want=${pair#*:}
  got=$(sha "$TMP/$name")
  [[ $got == "$want" ]] || { echo "fetch-ocr-models: $name: checksum $got, expected $want" >&2; exit 1; }
done
cat > "$TMP/LICENSE.txt" <<LIC
PP-OCRv4 detection and recognition models (PaddleOCR, Apache-2.0), as shipped in the PyPI
package rapidocr-onnxruntime $VERSION (RapidAI, Apache-2.0). Character dictionary extracted
from the recognition model's metadata. License text: https://www.apache.org/licenses/LICENSE-2.0

$RUNTIME: ONNX Runtime $ORT_VERSION (Microsoft, MIT), from the PyPI package onnxruntime
$ORT_VERSION ($ORT_WHEEL). License text: https://github.com/microsoft/onnxruntime/blob/main/LICENSE
LIC
for name in "$DET" "$REC" "$DICT" "$RUNTIME" LICENSE.txt; do
  mv -f "$TMP/$name" "$DIR/$name.partial"
  mv -f "$DIR/$name.partial" "$DIR/$name"
done
verified || { echo "fetch-ocr-models: verification failed after install" >&2; exit 1; }
write_sums
echo "fetch-ocr-models: models and ONNX Runtime installed in $DIR"
