#!/usr/bin/env python3
"""A generated archive for bench/archive/run.sh: N decks made from one generated deck.

Each deck gets its own title and speaker and its own copy of the images under
SITE/images/dNNN/, every image made distinct by a few bytes of metadata (a PNG tEXt chunk,
a JPEG COM segment), so no two decks are the same talk by title, speakers or content, while
the pixels, formats and sizes stay those of the generated deck. stdlib only.

  make_archive.py --base DECK_DIR --site SITE --decks DECKS_DIR --count 130 --base-url URL
"""
import argparse
import os
import re
import struct
import zlib

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "勇", "军", "杰", "涛", "明", "超", "秀英", "志伟", "思远", "晓东"]
TOPICS = ["微服务", "服务网格", "消息队列", "分布式事务", "容器调度", "可观测性", "数据库", "缓存",
          "前端工程化", "机器学习平台", "搜索引擎", "流式计算", "边缘计算", "安全合规", "混沌工程"]


def tag_png(data: bytes, text: bytes) -> bytes:
    # After the signature (8) and IHDR (4 + 4 + 13 + 4): an ancillary chunk any reader skips.
    body = b"tEXt" + b"Comment\0" + text
    chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
    return data[:33] + chunk + data[33:]


def tag_jpeg(data: bytes, text: bytes) -> bytes:
    # After SOI: a comment segment.
    return data[:2] + b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text + data[2:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--site", required=True)
    ap.add_argument("--decks", required=True)
    ap.add_argument("--count", type=int, default=130)
    ap.add_argument("--base-url", required=True)
    a = ap.parse_args()
    lines = open(os.path.join(a.base, "deck.md"), encoding="utf-8").read().splitlines()
    links = [m.group(1) for m in (re.match(r"!\[\]\((.*)\)", l) for l in lines) if m]
    rel = [re.sub(r"^https?://[^/]+/", "", u) for u in links]
    os.makedirs(a.decks, exist_ok=True)
    for k in range(1, a.count + 1):
        folder = f"images/d{k:03d}"
        os.makedirs(os.path.join(a.site, folder), exist_ok=True)
        out = []
        for r in rel:
            src = os.path.join(a.base, r)
            # Each deck's own names, as real archives have (timestamps, ids).
            name = f"{k:03d}{os.path.basename(r)}"
            data = open(src, "rb").read()
            text = f"deck {k}".encode()
            data = tag_png(data, text) if name.endswith(".png") else tag_jpeg(data, text)
            with open(os.path.join(a.site, folder, name), "wb") as f:
                f.write(data)
            out.append(f"![]({a.base_url.rstrip('/')}/{folder}/{name})")
        speaker = SURNAMES[k % len(SURNAMES)] + GIVEN[(k * 7) % len(GIVEN)]
        title = f"QCon上海2018-《{TOPICS[k % len(TOPICS)]}实践之{k}》-{speaker}"
        with open(os.path.join(a.decks, f"{k:03d}_{speaker}.md"), "w", encoding="utf-8") as f:
            f.write(f"# {title}\n\n" + "\n\n".join(out) + "\n")


if __name__ == "__main__":
    main()
