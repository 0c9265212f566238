#!/usr/bin/env python3
"""How far PDF readers' colour engines are from the documented conversion of a CMYK JPEG
without a profile, R = (1-C)(1-K), G = (1-M)(1-K), B = (1-Y)(1-K) in sRGB, through the
"uncalibrated CMYK" profile deckconv embeds (src/writer/pdf/icc.rs).

    python3 scripts/cmyk-profile-accuracy.py OUT.pdf [--qcms scripts/qcms-cmyk/target/release/qcms-cmyk]
    python3 scripts/cmyk-profile-accuracy.py PROFILE.icc ...

OUT.pdf: a PDF deckconv made from a deck with a CMYK JPEG without a profile (the example
deck's slide 8 is one: `deckconv examples/qcon-shanghai-2018/deck.md --pdf -o OUT.pdf`); the
profile is taken from it with qpdf. Samples: 20,000 random colours (seed 23) and the 17^4
lattice of inks i*255/16. Engines: Little CMS through Pillow's ImageCms (Poppler, MuPDF and
Ghostscript use Little CMS), relative colorimetric (the PDF default intent) with and without
its optimisation, and perceptual; qcms (pdf.js, Firefox) through the scripts/qcms-cmyk helper
(`cargo build --release` in that folder), when given. Prints, for each, the largest and mean
difference in levels from the formula rounded, and the share of colours more than 1 and 3
levels off. Needs Pillow and numpy.

    python3 scripts/cmyk-profile-accuracy.py OUT.pdf --source default_cmyk.icc [--qcms ...]

With --source, the profile is the one deckconv baked from a CMYK JPEG's own profile
(`icc::baked_cmyk_profile`; OUT.pdf from a deck with such a JPEG), and the reference is
that source profile's conversion by Little CMS, relative colorimetric with black-point
compensation (as Poppler and Ghostscript convert it), instead of the formula; the source
profile's own rows (without black-point compensation, in qcms) are printed too.
"""
import argparse
import io
import json
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image, ImageCms

MARK = "Uncalibrated CMYK".encode("utf-16-be")
BAKED_MARK = "CMYK profile of the image, in sRGB".encode("utf-16-be")
BPC = 0x2000
NO_OPTIMISATION = 0x0100


def profile_from_pdf(path, mark=MARK):
    """The ICC stream with the uncalibrated profile's description, through qpdf."""
    objects = json.loads(subprocess.run(
        ["qpdf", "--json=2", "--json-key=qpdf", path],
        check=True, capture_output=True).stdout)["qpdf"][1]
    for key, value in objects.items():
        stream = value.get("stream") if isinstance(value, dict) else None
        if not stream or stream.get("dict", {}).get("/N") != 4:
            continue
        data = subprocess.run(
            ["qpdf", f"--show-object={key.split()[0].split(':')[1]}", "--filtered-stream-data", path],
            check=True, capture_output=True).stdout
        if mark in data:
            return data
    sys.exit(f"{path}: no such CMYK profile (a PDF with a CMYK JPEG without one, or with one?)")


def samples():
    rng = np.random.default_rng(23)
    random = rng.integers(0, 256, size=(20000, 4))
    steps = np.round(np.linspace(0, 255, 17)).astype(int)
    lattice = np.array(np.meshgrid(steps, steps, steps, steps, indexing="ij")).reshape(4, -1).T
    return np.concatenate([random, lattice]).astype(np.uint8)


def formula(inks):
    ink = inks.astype(np.float64) / 255
    paper = 1 - ink[:, 3:4]
    return np.round(255 * (1 - ink[:, :3]) * paper)


def little_cms(icc, inks, intent, flags):
    source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    transform = ImageCms.buildTransform(
        source, ImageCms.createProfile("sRGB"), "CMYK", "RGB",
        renderingIntent=intent, flags=flags)
    image = Image.frombytes("CMYK", (len(inks), 1), inks.tobytes())
    return np.asarray(ImageCms.applyTransform(image, transform)).reshape(-1, 3).astype(float)


def qcms(icc, inks, helper):
    with tempfile.NamedTemporaryFile(suffix=".icc") as file:
        file.write(icc)
        file.flush()
        text = "\n".join(" ".join(map(str, row)) for row in inks)
        run = subprocess.run([helper, file.name], input=text, capture_output=True, text=True)
    if run.returncode != 0:
        # The helper's panic message follows the "thread 'main' panicked at" line.
        lines = run.stderr.splitlines()
        after = [lines[i + 1] for i, line in enumerate(lines[:-1]) if "panicked" in line]
        return after[0] if after else "failed"
    out = run.stdout
    return np.array([line.split() for line in out.splitlines()], dtype=float)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="a PDF deckconv made, or an ICC profile")
    parser.add_argument("--qcms", help="the scripts/qcms-cmyk helper, built")
    parser.add_argument("--source", help="the CMYK JPEG's own profile the PDF's was baked from")
    args = parser.parse_args()
    if args.input.endswith(".pdf"):
        icc = profile_from_pdf(args.input, BAKED_MARK if args.source else MARK)
    else:
        icc = open(args.input, "rb").read()
    inks = samples()
    engines = [
        ("Little CMS, relative colorimetric", lambda: little_cms(icc, inks, 1, 0)),
        ("Little CMS, relative, no optimisation",
         lambda: little_cms(icc, inks, 1, NO_OPTIMISATION)),
        ("Little CMS, perceptual", lambda: little_cms(icc, inks, 0, 0)),
    ]
    if args.qcms:
        engines.append(("qcms (pdf.js, Firefox)", lambda: qcms(icc, inks, args.qcms)))
    if args.source:
        source = open(args.source, "rb").read()
        want = little_cms(source, inks, 1, BPC)
        engines += [
            ("source, Little CMS, relative, no BPC", lambda: little_cms(source, inks, 1, 0)),
            ("source, Little CMS, relative + BPC, no optim.",
             lambda: little_cms(source, inks, 1, BPC | NO_OPTIMISATION)),
        ]
        if args.qcms:
            engines.append(("source, qcms", lambda: qcms(source, inks, args.qcms)))
    else:
        want = formula(inks)
    print(f"profile: {len(icc)} bytes; {len(inks)} colours")
    for name, run in engines:
        got = run()
        if isinstance(got, str):
            print(f"{name:46s} {got}")
            continue
        difference = np.abs(got - want)
        worst = difference.max(axis=1)
        print(f"{name:46s} max {int(worst.max()):3d}  mean {difference.mean():.3f}  "
              f">1: {100 * (worst > 1).mean():5.2f} %  >3: {100 * (worst > 3).mean():5.2f} %")


if __name__ == "__main__":
    main()
