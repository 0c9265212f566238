#!/usr/bin/env python3
"""Build assets/fonts/glyphless.ttf: the font of the PDF's invisible text layer (`--ocr`).

Two glyphs, both empty (`.notdef` and `blank`), 500 units wide on a 1000-unit em, ascent 1000
and descent 0, so a word set at size h with its baseline at a box's bottom covers the box's
height, and horizontal scaling stretches it to the box's width. The PDF maps every character
code to glyph 1 (CIDToGIDMap) and back to Unicode (ToUnicode): viewers search and copy the
text, and nothing is ever drawn (text render mode 3). The idea is Tesseract's "GlyphLessFont";
this file is made from scratch with fontTools:

    pip install fonttools==4.68.0 && python3 scripts/make-glyphless-font.py
"""
import pathlib

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

out = pathlib.Path(__file__).resolve().parent.parent / "assets" / "fonts" / "glyphless.ttf"
fb = FontBuilder(unitsPerEm=1000, isTTF=True)
fb.setupGlyphOrder([".notdef", "blank"])
fb.setupCharacterMap({0x20: "blank"})
empty = TTGlyphPen(None).glyph()
fb.setupGlyf({".notdef": empty, "blank": empty})
fb.setupHorizontalMetrics({".notdef": (500, 0), "blank": (500, 0)})
fb.setupHorizontalHeader(ascent=1000, descent=0)
fb.setupNameTable({"familyName": "GlyphLess", "styleName": "Regular"})
fb.setupOS2(sTypoAscender=1000, sTypoDescender=0, usWinAscent=1000, usWinDescent=0)
fb.setupPost()
fb.font["head"].created = fb.font["head"].modified = 0  # reproducible bytes
fb.save(str(out))
print(out, out.stat().st_size, "bytes")
