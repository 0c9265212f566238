"""Every validator of tests/conformance.rs and tests/strictness.rs on each PDF given: one
Markdown row per file. PDF/A-2b, 2u and PDF/UA-1 by page-validation (failed rules, distinct
findings), `pdfua check` (errors), `qpdf --check`, and the strict readers (Poppler's pdftoppm,
Ghostscript with -dPDFSTOPONERROR, MuPDF's mutool draw: lines they print).

usage: python3 validate.py NAME=FILE.pdf ...   (needs page-validation and pdfua from PyPI)
"""
import os
import subprocess
import sys
import tempfile

import page


def findings(path, profile):
    report = page.validate_pdf(path, profile=profile)
    rules = sorted({f.rule_id for f in report.failures})
    return len(rules), rules


def run(args):
    done = subprocess.run(args, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def messages(out):
    # MuPDF's own note about its build is not a finding about the file.
    return [l for l in out.splitlines() if l.strip() and "ICC support is not available" not in l]


def main():
    print("| PDF | bytes | PDF/A-2b | PDF/A-2u | PDF/UA-1 | pdfua check | qpdf --check | Poppler · Ghostscript · MuPDF messages |")
    print("|---|---|---|---|---|---|---|---|")
    notes = []
    for arg in sys.argv[1:]:
        name, path = arg.split("=", 1)
        cells = [name, f"{os.path.getsize(path):,}"]
        for profile in ("2b", "2u", "ua1"):
            count, rules = findings(path, profile)
            cells.append(str(count))
            if rules:
                notes.append(f"- {name}, {profile}: " + ", ".join(rules))
        code, out = run(["pdfua", "check", path])
        errors = [l for l in out.splitlines() if "error" in l.lower() or "fail" in l.lower()]
        cells.append("0" if code == 0 else str(max(1, len(errors))))
        code, out = run(["qpdf", "--check", path])
        cells.append("ok" if code == 0 else f"exit {code}")
        with tempfile.TemporaryDirectory() as tmp:
            poppler = messages(run(["pdftoppm", "-r", "20", "-png", path, f"{tmp}/p"])[1])
            gs = messages(run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-dPDFSTOPONERROR",
                               "-sDEVICE=nullpage", path])[1])
            mupdf = messages(run(["mutool", "draw", "-q", "-r", "20", "-o", f"{tmp}/m%d.png", path])[1])
        cells.append(f"{len(poppler)} · {len(gs)} · {len(mupdf)}")
        print("| " + " | ".join(cells) + " |")
    if notes:
        print("\nFailed rules:")
        print("\n".join(notes))


main()
