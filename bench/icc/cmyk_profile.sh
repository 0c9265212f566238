#!/usr/bin/env bash
# How close deckconv's uncalibrated-CMYK profile (src/writer/pdf/icc.rs) brings Little CMS — the
# CMM of Poppler, MuPDF and Ghostscript — to the conversion browsers apply to a CMYK JPEG without
# a profile, R = (1-C)(1-K) and so on: 20,000 random colours and every 15th level of each ink,
# through Pillow's ImageCms into sRGB, per rendering intent. Needs python3 with Pillow.
set -euo pipefail
cd "$(dirname "$0")/../.."
icc="$(mktemp --suffix=.icc)"
trap 'rm -f "$icc"' EXIT
DECKCONV_WRITE_CMYK_ICC="$icc" cargo test --quiet --lib writes_the_cmyk_profile_where_asked >/dev/null
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
