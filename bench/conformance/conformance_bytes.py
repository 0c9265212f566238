"""What PDF/A and PDF/UA add to a deckconv PDF, in bytes: the objects that exist only for
them (structure tree, parent tree and structure elements, XMP metadata, output intent with its
sRGB profile, the uncalibrated-CMYK profile) and the marked-content operators in page streams,
against the file's size. Object sizes are their lengths in the file; the page-stream
operators are counted before compression.

usage: python3 conformance_bytes.py FILE.pdf   (needs pikepdf, installed with pdfua)
"""
import re
import subprocess
import sys

import pikepdf

path = sys.argv[1]
pdf = pikepdf.open(path)
size = len(open(path, "rb").read())


# Each object's length in the file: from its offset (qpdf's cross-reference listing) to the
# next object's, or to the cross-reference table.
xref = subprocess.run(["qpdf", "--show-xref", path], capture_output=True, text=True, check=True)
offsets = {}
for line in xref.stdout.splitlines():
    found = re.match(r"(\d+)/(\d+): uncompressed; offset = (\d+)", line)
    if found:
        offsets[(int(found[1]), int(found[2]))] = int(found[3])
ends = sorted(offsets.values()) + [open(path, "rb").read().rfind(b"xref")]
length = {key: ends[ends.index(at) + 1] - at for key, at in offsets.items()}


def serialised(obj):
    return length.get(obj.objgen, 0)


seen = set()
parts = {}


def count(kind, obj):
    if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)) or not obj.is_indirect:
        return False
    key = obj.objgen
    if key in seen:
        return False
    seen.add(key)
    parts[kind] = parts.get(kind, 0) + serialised(obj)
    return True


def walk(kind, obj, depth=0):
    if depth > 64:
        return
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Array)) and obj.is_indirect:
        if not count(kind, obj):
            return
    if isinstance(obj, pikepdf.Dictionary):
        for key, value in obj.items():
            if key in ("/Pg", "/Obj", "/Stm", "/P", "/Parent"):
                continue
            walk(kind, value, depth + 1)
    elif isinstance(obj, pikepdf.Array):
        for value in obj:
            walk(kind, value, depth + 1)


root = pdf.Root
if "/StructTreeRoot" in root:
    walk("structure tree", root.StructTreeRoot)
if "/Metadata" in root:
    count("XMP metadata", root.Metadata)
for intent in root.get("/OutputIntents", []):
    count("output intent", intent)
    count("output intent", intent.DestOutputProfile)
for obj in pdf.objects:
    if isinstance(obj, pikepdf.Stream) and obj.get("/N") == 4 and obj.objgen not in seen:
        data = obj.read_bytes()
        # Its description, as the profile stores it (UTF-16BE).
        if "Uncalibrated CMYK".encode("utf-16-be") in data:
            count("uncalibrated-CMYK profile", obj)
marked = 0
for page in pdf.pages:
    for content in ([page.Contents] if isinstance(page.Contents, pikepdf.Stream) else list(page.Contents)):
        text = content.read_bytes()
        # BDC/BMC with their tag and properties, and EMC: what tagging adds to a page's stream.
        marked += sum(len(m) for m in re.findall(rb"/[A-Za-z]+\s*(?:<<[^>]*>>\s*)?BDC|/[A-Za-z]+\s*BMC|EMC", text))
total = sum(parts.values())
print(f"{path}: {size:,} bytes")
for kind, n in sorted(parts.items()):
    print(f"  {kind}: {n:,} bytes ({100 * n / size:.3f} %)")
print(f"  marked-content operators in page streams (before compression): {marked:,} bytes")
print(f"  objects for conformance: {total:,} bytes, {100 * total / size:.3f} % of the file")
