#!/usr/bin/env bash
# How close deckconv's uncalibrated-CMYK profile (src/writer/pdf/icc.rs) brings Little CMS — the
# CMM of Poppler, MuPDF and Ghostscript — to the conversion browsers apply to a CMYK JPEG without
# a profile, R = (1-C)(1-K) and so on: 20,000 random colours and every 15th level of each ink,
# through Pillow's ImageCms into sRGB, per rendering intent. Needs a release build
# (DECKCONV=path otherwise) and python3 with Pillow and pikepdf.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${DECKCONV:-${CARGO_TARGET_DIR:-$PWD/target}/release/deckconv}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
icc="$work/uncalibrated-cmyk.icc"
# A CMYK JPEG without a profile (Pillow writes none), through deckconv; the profile comes back
# out of the PDF (pikepdf, installed with pdfua).
python3 -c "from PIL import Image; Image.new('CMYK', (64, 36), (10, 20, 30, 40)).save('$work/cmyk.jpg')"
printf '# cmyk\n\n![](cmyk.jpg)\n' >"$work/deck.md"
"$BIN" -q "$work/deck.md" --pdf -o "$work/deck.pdf"
python3 - "$work/deck.pdf" "$icc" <<'PY'
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
profiles = [o.read_bytes() for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/N") == 4]
assert len(profiles) == 1, f"{len(profiles)} CMYK profiles"
open(sys.argv[2], "wb").write(profiles[0])
PY
python3 - "$icc" <<'PY'
import itertools, random, sys
from PIL import Image, ImageCms
cmyk = ImageCms.ImageCmsProfile(sys.argv[1])
srgb = ImageCms.createProfile("sRGB")
random.seed(1)
colours = [tuple(random.randrange(256) for _ in range(4)) for _ in range(20000)]
colours += list(itertools.product(range(0, 256, 15), repeat=4))
image = Image.new("CMYK", (len(colours), 1))
image.putdata(colours)
print(f"profile: {len(open(sys.argv[1], 'rb').read())} bytes; {len(colours)} colours")
for intent, name in [(1, "relative colorimetric (the PDF default)"), (0, "perceptual")]:
    out = ImageCms.applyTransform(image, ImageCms.buildTransform(cmyk, srgb, "CMYK", "RGB", renderingIntent=intent))
    worst = 0
    for (c, m, y, k), got in zip(colours, out.get_flattened_data() if hasattr(out, "get_flattened_data") else out.getdata()):
        want = [round((255 - v) * (255 - k) / 255) for v in (c, m, y)]
        worst = max(worst, max(abs(a - b) for a, b in zip(want, got)))
    print(f"{name}: largest difference {worst} levels of 255")
PY
