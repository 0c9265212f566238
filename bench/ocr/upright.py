#!/usr/bin/env python3
"""Decode every slide of a gen_corpus deck to an upright 8-bit RGB PNG (EXIF orientation applied,
transparency flattened on white), so that every OCR engine is measured on the same pixels.
usage: upright.py DECK_DIR OUT_DIR   (needs Pillow)"""
import json, sys
from pathlib import Path
from PIL import Image, ImageOps

deck, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
for s in json.load(open(deck / "manifest.json"))["slides"]:
    im = ImageOps.exif_transpose(Image.open(deck / s["file"]))
    if im.mode in ("I;16", "I;16B", "I"):
        im = im.point(lambda v: v / 256).convert("L")
    if im.mode in ("RGBA", "LA", "P", "PA"):
        im = im.convert("RGBA")
        bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(bg, im)
    im.convert("RGB").save(out / f"{s['n']:03d}.png")
