#!/usr/bin/env python3
"""Run Tesseract 5 (subprocess, `-l chi_sim+eng --psm 3`, OMP_THREAD_LIMIT=1) over upright slides;
write the same result JSON as examples/ocr_bench.rs: {"NNN.png": {"secs", "lines": [{"text", "bbox"}]}}.
usage: tesseract.py IMG_DIR OUT.json [JOBS]"""
import json, os, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

src, out = Path(sys.argv[1]), sys.argv[2]
jobs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
env = dict(os.environ, OMP_THREAD_LIMIT="1")

def run(p):
    t = time.perf_counter()
    tsv = subprocess.run(["tesseract", str(p), "-", "-l", "chi_sim+eng", "--psm", "3", "tsv"],
                         env=env, capture_output=True, text=True, check=True).stdout
    secs = time.perf_counter() - t
    lines = {}
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        key = (int(f[2]), int(f[3]), int(f[4]))
        x, y, w, h = map(int, f[6:10])
        l = lines.setdefault(key, {"words": [], "box": [x, y, x + w, y + h]})
        l["words"].append(f[11])
        b = l["box"]; l["box"] = [min(b[0], x), min(b[1], y), max(b[2], x + w), max(b[3], y + h)]
    res = []
    for k in sorted(lines):
        ws = lines[k]["words"]
        # Tesseract puts spaces between Han characters; join them the way a reader expects.
        text = ""
        for w in ws:
            if text and not (is_han(text[-1]) or is_han(w[0])):
                text += " "
            text += w
        res.append({"text": text, "bbox": lines[k]["box"]})
    return p.name, {"secs": secs, "lines": res}

def is_han(c):
    return "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef"

files = sorted(src.glob("*.png"))
t0 = time.perf_counter()
with ThreadPoolExecutor(jobs) as ex:
    results = dict(ex.map(run, files))
results["_total_secs"] = time.perf_counter() - t0
json.dump(results, open(out, "w"), ensure_ascii=False, indent=1)
print(f"tesseract: {len(files)} slides, {results['_total_secs']:.2f}s with {jobs} jobs", file=sys.stderr)
