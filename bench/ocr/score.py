#!/usr/bin/env python3
"""Score OCR results against a gen_corpus manifest.
usage: score.py DECK_DIR RESULT.json [--name NAME]

RESULT.json: {"NNN.png": {"secs": float, "heading": str (optional), "lines": [{"text": str,
"bbox": [x0,y0,x1,y1]}]}, "_total_secs": float}; NNN = the slide's `n` in manifest.json.

Metrics (text compared after NFKC and with all whitespace removed):
  recall     characters of the drawn text found (bag of characters per slide, summed)
  precision  recognised characters that were drawn (same bags)
  CER/line   per drawn line: edit distance to the best-matching recognised line (or two adjacent
             recognised lines joined, for lines the engine split) / drawn length; mean over lines
  headings   slides whose heading is recognised exactly: the result's `heading` if given, else
             the tallest line (ties: the top-most)
  han-space  recognised lines with a space between two Han characters (should be 0)
  words      drawn Latin words and numbers (2+ characters) found whole among the slide's
             recognised tokens: what a search for them finds (spaces count here, and only here)
"""
import json, re, sys, unicodedata
from collections import Counter
from pathlib import Path

def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))

def lev(a, b):
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]

HAN = r"[\u3400-\u9fff\uf900-\ufaff]"

def main():
    deck, res_path = Path(sys.argv[1]), sys.argv[2]
    name = sys.argv[sys.argv.index("--name") + 1] if "--name" in sys.argv else res_path
    slides = json.load(open(deck / "manifest.json"))["slides"]
    res = json.load(open(res_path))
    found = drawn = recog = 0
    cers, headings, han_space, secs = [], 0, 0, []
    misses = []
    words_found = words_drawn = 0
    for s in slides:
        r = res.get(f"{s['n']:03d}.png", {"lines": [], "secs": 0})
        secs.append(r.get("secs", 0))
        gt = Counter("".join(norm(t) for t in s["text"]))
        rl = [l["text"] for l in r["lines"]]
        han_space += sum(bool(re.search(HAN + r"\s+" + HAN, t)) for t in rl)
        oc = Counter("".join(norm(t) for t in rl))
        tokens = {t for line in rl for t in re.findall(r"[A-Za-z0-9]+", line)}
        for t in re.findall(r"[A-Za-z0-9]{2,}", " ".join(s["text"])):
            words_drawn += 1
            words_found += t in tokens
        found += sum((gt & oc).values()); drawn += sum(gt.values()); recog += sum(oc.values())
        cands = [norm(t) for t in rl] + [norm(a + b) for a, b in zip(rl, rl[1:])]
        for t in s["text"]:
            g = norm(t)
            if not g:
                continue
            best = min((lev(g, c) for c in cands), default=len(g))
            cers.append(min(1.0, best / len(g)))
        if "heading" in r:
            h = r["heading"] or ""
        else:
            ls = sorted(r["lines"], key=lambda l: (-(l["bbox"][3] - l["bbox"][1]), l["bbox"][1]))
            h = ls[0]["text"] if ls else ""
        if norm(h) == norm(s["heading"]):
            headings += 1
        else:
            misses.append((s["n"], s["heading"], h))
    out = {
        "engine": name,
        "recall": found / drawn, "precision": found / max(1, recog),
        "cer_per_line": sum(cers) / len(cers), "headings": headings, "slides": len(slides),
        "han_space_lines": han_space, "words_whole": words_found / max(1, words_drawn),
        "mean_secs_per_slide": sum(secs) / len(secs), "total_secs": res.get("_total_secs"),
    }
    print(json.dumps(out, ensure_ascii=False))
    for m in misses:
        print("  heading miss:", *m, file=sys.stderr)

main()
