#!/usr/bin/env python3
"""The anchor for the title figures: each labelled set scored with the deck's name taken as
written (what pandoc and img2pdf show at best: pandoc's title is the H1 as written, with
--shift-heading-level-by=-1; img2pdf's is what --title is given) and no speaker.
Usage: scripts/titles-as-written.py tests/data/titles-heldout*.tsv
Prints titles right ignoring punctuation and case / exact / authors right (none wanted), %."""
import sys


def loose(s):
    # As the Rust scorer's `loose` in tests/reader.rs: alphanumerics, lowercased.
    return "".join(c for c in s if c.isalnum()).lower()


for path in sys.argv[1:]:
    rows = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8")]
    rows = [r for r in rows if len(r) >= 4 and not r[0].startswith("#")]
    n = len(rows)
    if n == 0:
        continue
    as_loose = sum(loose(r[0]) == loose(r[1]) for r in rows)
    exact = sum(r[0] == r[1] for r in rows)
    authors = sum(r[2] == "" for r in rows)
    print(f"{path}: {n} decks, as written {100 * as_loose / n:.1f} / {100 * exact / n:.1f} / {100 * authors / n:.1f} %")
