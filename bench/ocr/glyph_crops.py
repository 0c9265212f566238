#!/usr/bin/env python3
"""How PP-OCRv4's recogniser reads a lone `}` cropped with different margins.
usage: glyph_crops.py DECK37_DIR MODELS_DIR   (needs onnxruntime, numpy, pillow)

The brace on deck37's slide 24 (gen_corpus seed 2018) at four scales, and `}` drawn with
Noto Sans CJK (assets/fonts) light on dark and dark on light, each cropped as its ink box
plus (vertical, horizontal) margins in fractions of the ink's height: what
docs/ocr-engine.md ("Lines the detector cannot see") reports.
"""
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image, ImageDraw, ImageFont

deck, models = Path(sys.argv[1]), Path(sys.argv[2])
keys = ["blank"] + [l.rstrip("\n") for l in open(models / "ppocr_keys_v1.txt", encoding="utf8")] + [" "]
sess = ort.InferenceSession(str(models / "ch_PP-OCRv4_rec_infer.onnx"))
MARGINS = [(0.5, 0.5), (0.1, 0.1), (0.1, 0.5), (0.05, 0.5)]
FONT = Path(__file__).resolve().parents[2] / "assets/fonts/NotoSansCJKsc-GB2312.otf"


def read(crop):
    """Greedy CTC reading of one crop, as src/ocr/rec.rs prepares it: height 48, BGR, -1..1,
    padded with zeros to at least 320 px."""
    c = crop.resize((max(1, round(48 * crop.width / crop.height)), 48), Image.BILINEAR)
    arr = np.asarray(c).astype(np.float32)[:, :, ::-1] / 127.5 - 1
    t = np.zeros((1, 3, 48, max(320, c.width)), np.float32)
    t[0, :, :, : c.width] = arr.transpose(2, 0, 1)
    p = sess.run(None, {sess.get_inputs()[0].name: t})[0][0]
    out, prev = [], 0
    for k, b in enumerate(p.argmax(1)):
        if b != prev and b != 0:
            out.append(f"{keys[b]} {p[k, b]:.2f}")
        prev = b
    return " ".join(out) or "nothing"


def ink_box(im, region):
    a = np.asarray(im.crop(region)).astype(int).sum(2)
    ink = np.abs(a - np.median(a)) > 60
    ys, xs = np.nonzero(ink)
    return region[0] + xs.min(), region[1] + ys.min(), region[0] + xs.max() + 1, region[1] + ys.max() + 1


def row(name, im, box):
    x0, y0, x1, y1 = box
    h = y1 - y0
    cells = []
    for my, mx in MARGINS:
        m1, m2 = max(1, round(my * h)), max(1, round(mx * h))
        cells.append(read(im.crop((x0 - m2, y0 - m1, x1 + m2, y1 + m1))))
    print(f"{name} ({h} px): " + " | ".join(cells))


print("margins (vertical, horizontal):", MARGINS)
slide = Image.open(deck / "images/673764946qgTHbi/201905181115_24.png").convert("RGB")
for scale in [1, 0.75, 1.5, 2]:
    im = slide.resize((round(1280 * scale), round(720 * scale)), Image.LANCZOS)
    s = lambda v: round(v * scale)
    row(f"deck37 slide 24 x{scale}", im, ink_box(im, (s(70), s(300), s(110), s(336))))
for fg, bg in [((200, 205, 215), (40, 44, 52)), ((30, 30, 30), (255, 255, 255))]:
    im = Image.new("RGB", (200, 120), bg)
    ImageDraw.Draw(im).text((60, 30), "}", font=ImageFont.truetype(str(FONT), 26), fill=fg)
    row(f"Noto Sans CJK 26 px on {bg}", im, ink_box(im, (0, 0, 200, 120)))
