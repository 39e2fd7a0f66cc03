#!/usr/bin/env python3
"""Regenerates resources/word-vectors.bin.zst: Japanese word vectors for the search's semantic
layer (a need such as 物忘れ finds the activities near it, 認知症カフェ).

Source: the word vectors of PyPI `ja-ginza` 5.2.0 (MIT; vectors from chiVe by Works
Applications, Apache-2.0: resources/LICENSE.chive): 20,000 vectors of 300 dimensions, 480k words.
Kept: words of kana and kanji up to 8 letters; vectors reduced to 100 dimensions (PCA) and
stored as int8 with one scale per vector.
Format (little-endian): b"KYWV", u32 rows, u32 dims, rows x (f32 scale, dims x i8), then
UTF-8 lines "word<TAB>row".
Usage: pip download --no-deps ja-ginza==5.2.0; unzip it; scripts/build-word-vectors.py VOCAB_DIR
(VOCAB_DIR = ja_ginza/ja_ginza-5.2.0/vocab; needs numpy and msgpack). Run from the repo root.
"""
import json, re, struct, subprocess, sys
import msgpack
import numpy as np

vocab = sys.argv[1]
DIMS = 100

def murmur64a(data, seed=1):
    """spaCy's string hash (MurmurHash64A, seed 1): keys of key2row."""
    m, r, mask = 0xc6a4a7935bd1e995, 47, (1 << 64) - 1
    h = (seed ^ (len(data) * m)) & mask
    n = len(data) // 8
    for i in range(n):
        k = int.from_bytes(data[i * 8:i * 8 + 8], "little")
        k = (k * m) & mask
        k ^= k >> r
        k = (k * m) & mask
        h ^= k
        h = (h * m) & mask
    tail = data[n * 8:]
    if tail:
        for i in range(len(tail) - 1, -1, -1):
            h ^= tail[i] << (8 * i)
        h = (h * m) & mask
    h ^= h >> r
    h = (h * m) & mask
    h ^= h >> r
    return h

key2row = msgpack.unpackb(open(f"{vocab}/key2row", "rb").read(), strict_map_key=False)
strings = json.load(open(f"{vocab}/strings.json", encoding="utf-8"))
vectors = np.load(f"{vocab}/vectors").astype(np.float64)
japanese = re.compile(r"^[\u3041-\u309f\u30a0-\u30ff\u4e00-\u9fff々ー]{1,8}$")
keep = {}
for s in strings:
    if japanese.match(s):
        row = key2row.get(murmur64a(s.encode("utf-8")))
        if row is not None:
            keep[s] = row
rows = sorted(set(keep.values()))
renumber = {row: i for i, row in enumerate(rows)}
x = vectors[rows]
x = x - x.mean(axis=0)
_, _, vt = np.linalg.svd(x, full_matrices=False)
reduced = x @ vt[:DIMS].T
reduced /= np.linalg.norm(reduced, axis=1, keepdims=True) + 1e-12
scale = np.abs(reduced).max(axis=1) / 127.0 + 1e-12
quantised = np.round(reduced / scale[:, None]).astype(np.int8)
out = bytearray(b"KYWV" + struct.pack("<II", len(rows), DIMS))
for i in range(len(rows)):
    out += struct.pack("<f", float(scale[i])) + quantised[i].tobytes()
out += "".join(f"{w}\t{renumber[r]}\n" for w, r in sorted(keep.items())).encode("utf-8")
subprocess.run(["zstd", "-q", "-19", "-f", "-o", "resources/word-vectors.bin.zst"],
               input=bytes(out), check=True)
print(len(keep), "words,", len(rows), "vectors")
