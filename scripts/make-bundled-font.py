#!/usr/bin/env python3
"""Build assets/fonts/NotoSansCJKsc-GB2312.otf, the CJK font deckconv bundles.

The subset covers GB2312 (all 7445 characters: 6763 hanzi, punctuation, full-width forms,
kana, Greek, Cyrillic, box drawing), printable ASCII, Latin-1, Latin Extended-A, general
punctuation and the CJK symbol and half/full-width blocks, from the Simplified Chinese face
of Noto Sans CJK Regular (SIL OFL 1.1). Hinting and layout tables are dropped: deckconv
maps characters to glyphs through `cmap` and advances with `hmtx`, nothing else.

Reproducible: the same source font and fontTools version give the same bytes (the
`head` dates are kept from the source, not set to now).

Usage: scripts/make-bundled-font.py [SOURCE.ttc] [OUT.otf]
  SOURCE defaults to Debian's fonts-noto-cjk: /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
OUT = ROOT / "assets" / "fonts" / "NotoSansCJKsc-GB2312.otf"
FACE = "NotoSansCJKsc-Regular"  # PostScript name of the Simplified Chinese face

# Blocks beyond GB2312 that titles and notes commonly use; code points the source font
# lacks are skipped by pyftsubset.
EXTRA_RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement
    (0x0100, 0x017F),  # Latin Extended-A
    (0x2000, 0x206F),  # general punctuation (dashes, quotes, ellipsis, bullets)
    (0x20A0, 0x20BF),  # currency symbols
    (0x2100, 0x214F),  # letterlike symbols (™, №, ℃)
    (0x2190, 0x21FF),  # arrows
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF00, 0xFFEF),  # half-width and full-width forms
]


def gb2312_chars():
    """Every character GB2312 encodes, by decoding each two-byte code."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # unassigned cell
    return chars


def face_number(source):
    collection = TTCollection(str(source), lazy=True)
    for i, font in enumerate(collection.fonts):
        if font["name"].getDebugName(6) == FACE:
            return i
    sys.exit(f"{source}: no face named {FACE}")


def main():
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else OUT
    gb = gb2312_chars()
    codepoints = {ord(c) for c in gb}
    for lo, hi in EXTRA_RANGES:
        codepoints.update(range(lo, hi + 1))
    print(f"GB2312: {len(gb)} characters; {len(codepoints)} code points requested")

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(f"U+{cp:04X}" for cp in sorted(codepoints)))
        unicodes_file = f.name
    try:
        subprocess.run(
            [
                sys.executable, "-m", "fontTools.subset", str(source),
                f"--font-number={face_number(source)}",
                f"--unicodes-file={unicodes_file}",
                f"--output-file={out}",
                "--no-hinting",
                "--layout-features=",
                "--drop-tables+=GSUB,GPOS,GDEF,BASE,VORG,vhea,vmtx,DSIG",
                "--name-IDs=*",
                "--name-languages=*",
                "--notdef-outline",
                "--no-recalc-timestamp",  # keep the source's head dates: same input, same bytes
            ],
            check=True,
        )
    finally:
        os.unlink(unicodes_file)
    print(f"{out}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
