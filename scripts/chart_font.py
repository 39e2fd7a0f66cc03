#!/usr/bin/env python3
"""Regenerates assets/chart-font/KyodoChartSans.otf: the chart's bundled Japanese font.

It is Noto Sans CJK JP Regular (SIL Open Font License 1.1, from Debian's fonts-noto-cjk),
cut down to the characters the charts draw: printable ASCII, the built-in chart labels of
prompts/ja.toml and prompts/en.toml (every key with "chart" in its name), and the plan's
status words. Renamed, as the OFL asks of a modified version.

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb noto
    pip install fonttools
    python3 scripts/chart_font.py noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

Run it again whenever a chart label gains a character (a unit test in src/remind/chart/
fails until then). An office that rewords the labels with other characters sets
plan.chart_font to a full font instead.
"""
import pathlib
import sys
import tomllib

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "chart-font" / "KyodoChartSans.otf"
# The statuses as src/plan/progress.rs labels them (Status::label).
STATUSES = "未着手 実施中 完了 遅れ 見直し not started in progress done delayed under review"
FAMILY = "Kyodo Chart Sans"


def chart_texts(table, prefix=""):
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from chart_texts(value, name + ".")
        elif "chart" in name:
            yield value


def characters():
    chars = {chr(c) for c in range(0x20, 0x7F)}
    chars.update(STATUSES)
    for lang in ("ja", "en"):
        with open(ROOT / "prompts" / f"{lang}.toml", "rb") as f:
            for text in chart_texts(tomllib.load(f)):
                chars.update(text)
    return "".join(sorted(chars))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    source = sys.argv[1]
    # Face 0 of NotoSansCJK-Regular.ttc is the Japanese one.
    font = TTCollection(source).fonts[0] if source.endswith(".ttc") else None
    options = subset.Options()
    options.layout_features = ["kern", "palt"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    if font is None:
        font = subset.load_font(source, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (3, 4):
            names.setName(FAMILY + " Regular", record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName("KyodoChartSans-Regular", record.nameID, record.platformID, record.platEncID, record.langID)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(OUT)
    print(f"{OUT.relative_to(ROOT)}: {len(characters())} characters, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
