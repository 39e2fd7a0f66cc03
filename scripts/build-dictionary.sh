#!/bin/sh
# Regenerates resources/ipadic.dic.zst, the morphological dictionary the search embeds, from
# Debian's mecab-ipadic sources (NAIST, BSD-style licence: resources/LICENSE.ipadic).
# Each entry keeps only what kyodo reads: part of speech (two levels), base form, reading.
# Needs: apt-get, dpkg, iconv, python3, zstd, cargo. Run from the repository root.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download mecab-ipadic >/dev/null && dpkg -x mecab-ipadic_*.deb pkg)
dic="$work/pkg/usr/share/mecab/dic/ipadic"
mkdir -p "$work/src"
for f in matrix.def char.def; do iconv -f EUC-JP -t UTF-8 "$dic/$f" > "$work/src/$f"; done
for f in "$dic"/*.csv; do iconv -f EUC-JP -t UTF-8 "$f"; done > "$work/all.csv"
iconv -f EUC-JP -t UTF-8 "$dic/unk.def" > "$work/unk.csv"
python3 - "$work" <<'PY'
import csv, sys
work = sys.argv[1]
def trim(src, dst):
    with open(src, newline='') as i, open(dst, 'w', newline='') as o:
        w = csv.writer(o, lineterminator='\n')
        for row in csv.reader(i):
            # surface, left id, right id, cost, POS, POS detail, base form, reading
            base = row[10] if len(row) > 10 else '*'
            reading = row[11] if len(row) > 11 else '*'
            w.writerow(row[:4] + [row[4], row[5], base, reading])
trim(f"{work}/all.csv", f"{work}/src/lex.csv")
trim(f"{work}/unk.csv", f"{work}/src/unk.def")
PY
cargo run --quiet --example build_dictionary -- "$work/src" "$work/ipadic.dic"
zstd -q -19 -f "$work/ipadic.dic" -o resources/ipadic.dic.zst
cp "$work/pkg/usr/share/doc/mecab-ipadic/copyright" resources/LICENSE.ipadic
ls -l resources/ipadic.dic.zst
