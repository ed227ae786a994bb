#!/usr/bin/env python3
"""Cuts the built-in fallback face out of Noto Serif CJK (fonts-noto-cjk, Debian 12).

Keeps, of face 2 (SC) of NotoSerifCJK-Regular.ttc, only the characters that the five Fandol
faces do not all have, within: the GBK hanzi, CJK Extension A (only with EXT_A=1: +2.7 MB), and the symbol
blocks Chinese documents use. No layout or vertical tables (xxgk does not shape).
Needs fontTools (pip install fonttools). Usage:
  make-noto-fallback.py NotoSerifCJK-Regular.ttc FONTS_DIR OUT.otf
"""
import os, sys, subprocess, tempfile
from fontTools.ttLib import TTFont

ttc, fonts_dir, out = sys.argv[1:4]
noto = set(TTFont(ttc, fontNumber=2, lazy=True).getBestCmap())
common = None
for f in ["FandolFang-Regular.otf", "FandolHei-Regular.otf", "FandolKai-Regular.otf",
          "FandolSong-Regular.otf", "FandolSong-Bold.otf"]:
    c = set(TTFont(os.path.join(fonts_dir, f), lazy=True).getBestCmap())
    common = c if common is None else common & c

def rng(a, b):
    return set(range(a, b + 1))

gbk = set()
for b1 in range(0x81, 0xFF):
    for b2 in range(0x40, 0xFF):
        try:
            gbk.add(ord(bytes([b1, b2]).decode("gbk")))
        except UnicodeDecodeError:
            pass
want = set(gbk)
if os.environ.get("EXT_A", "0") == "1":
    want |= rng(0x3400, 0x4DBF)
for a, b in [(0x2000, 0x206F), (0x2100, 0x218F), (0x2190, 0x21FF), (0x2200, 0x22FF),
             (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x2600, 0x26FF),
             (0x3000, 0x303F), (0x3200, 0x32FF), (0x3300, 0x33FF), (0xFE30, 0xFE4F),
             (0xFF00, 0xFFEF)]:
    want |= rng(a, b)
keep = sorted((noto & want) - common)
with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as t:
    t.write("\n".join("U+%04X" % c for c in keep))
print(f"{len(keep)} characters", file=sys.stderr)
subprocess.run([sys.executable, "-m", "fontTools.subset", ttc, "--font-number=2",
                f"--unicodes-file={t.name}", "--layout-features=", "--no-layout-closure",
                "--drop-tables+=GSUB,GPOS,GDEF,BASE,VORG,vmtx,vhea", "--name-IDs=*",
                "--name-languages=*", "--notdef-outline", f"--output-file={out}"], check=True)
os.unlink(t.name)
