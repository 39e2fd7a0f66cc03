#!/usr/bin/env python3
"""Regenerates resources/jmdict-en.tsv.zst: English glosses → Japanese words, from JMdict
(EDRDG, CC BY-SA 4.0: resources/LICENSE.edrdg; this derived table stays under that licence).
The search reads it for an English word the hand table (lexicon/english.toml) lacks, and keeps
only the Japanese words the directory itself uses. Common entries (JMdict priority tags) come
first for each gloss.

Source: PyPI `jamdict-data` (jamdict.db). Usage: scripts/build-english.py JAMDICT_DB
(run from the repository root; needs zstd).
Format: UTF-8 lines "gloss<TAB>word;word;…", glosses lower case, one to three words.
"""
import re, sqlite3, subprocess, sys
from collections import defaultdict

db = sqlite3.connect(sys.argv[1])
common = {row[0] for row in db.execute(
    "select distinct k.idseq from Kanji k join KJP p on p.kid = k.ID "
    "union select distinct k.idseq from Kana k join KNP p on p.kid = k.ID")}
forms = defaultdict(list)
for idseq, text in db.execute("select idseq, text from Kanji order by ID"):
    forms[idseq].append(text)
for idseq, text, nokanji in db.execute("select idseq, text, nokanji from Kana order by ID"):
    if idseq not in forms or nokanji:
        forms[idseq].append(text)
glosses = defaultdict(list)
rows = db.execute(
    "select s.idseq, g.text from SenseGloss g join Sense s on s.ID = g.sid "
    "where g.lang = 'eng' order by s.ID, g.ROWID")
for idseq, gloss in rows:
    gloss = re.sub(r"\([^)]*\)", "", gloss.lower()).strip()
    gloss = re.sub(r"^(to|a|an|the) ", "", gloss).strip(" .,!?")
    if not gloss or len(gloss.split()) > 3 or not re.fullmatch(r"[a-z][a-z '\-]*", gloss):
        continue
    glosses[gloss].append(idseq)
lines = []
for gloss in sorted(glosses):
    seqs = sorted(set(glosses[gloss]), key=lambda s: (s not in common, glosses[gloss].index(s)))
    words = []
    for s in seqs:
        for w in forms[s][:2]:
            if w not in words:
                words.append(w)
    lines.append(f"{gloss}\t{';'.join(words[:24])}\n")
subprocess.run(["zstd", "-q", "-19", "-f", "-o", "resources/jmdict-en.tsv.zst"],
               input="".join(lines).encode("utf-8"), check=True)
print(len(lines), "glosses")
