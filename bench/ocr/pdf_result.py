#!/usr/bin/env python3
"""A searchable PDF's text, per slide page, as a score.py result.
usage: pdf_result.py PDF OUT.json --first-page N --manifest DECK/manifest.json [--outline]

Lines come from `pdftotext -bbox-layout` (what a viewer's search and copy see). The heading is
the outline entry's text after `N · ` when --outline is given and the entry has one (deckconv
--ocr), else the tallest line (ties: the top-most), as score.py would pick it.
"""
import json, re, subprocess, sys
import xml.etree.ElementTree as ET

pdf, out = sys.argv[1], sys.argv[2]
first = int(sys.argv[sys.argv.index("--first-page") + 1])
use_outline = "--outline" in sys.argv
numbers = [s["n"] for s in json.load(open(sys.argv[sys.argv.index("--manifest") + 1]))["slides"]]

xhtml = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], check=True,
                       capture_output=True, text=True).stdout
ns = {"h": "http://www.w3.org/1999/xhtml"}
root = ET.fromstring(xhtml)
pages = root.findall(".//h:page", ns)

headings = {}
if use_outline:
    outline = subprocess.run(["mutool", "show", pdf, "outline"], capture_output=True,
                             text=True).stdout
    # mutool: `+\t"7 · 服务拆分 Service Decomposition"\t#page=8&...`
    for m in re.finditer(r'"(.*?)"\s+#page=(\d+)', outline):
        title, page = m.group(1), int(m.group(2))
        h = re.match(r"^\S+ · (.*)$", title)
        if h:
            headings[page] = h.group(1)

res = {}
for i, page in enumerate(pages[first - 1:], start=0):
    lines = []
    for line in page.findall(".//h:line", ns):
        words = [w.text or "" for w in line.findall("h:word", ns)]
        box = [float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
        lines.append({"text": " ".join(words), "bbox": box})
    entry = {"lines": lines, "secs": 0}
    page_no = first + i
    if page_no in headings:
        entry["heading"] = headings[page_no]
    if i < len(numbers):
        res[f"{numbers[i]:03d}.png"] = entry
json.dump(res, open(out, "w"), ensure_ascii=False, indent=1)
print(f"{out}: {len(res)} slides")
