#!/usr/bin/env python3
"""Typed texts for `papersift suggest --bench`: what a user has typed a few keys into.

    python3 bench/suggest_texts.py ARXIV.jsonl[.gz] [N=300] > texts.txt

For N papers picked with a fixed seed: the start of a title (its first word cut to 2-6
characters, or its first two words with the second cut), the start of an author's surname
(2-5 characters), a first name and the start of the surname, and category prefixes.
"""
import gzip
import json
import random
import sys

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
opener = gzip.open if path.endswith(".gz") else open
with opener(path, "rt", encoding="utf-8") as f:
    papers = [json.loads(line) for line in f if line.strip()]
rng = random.Random(18)
out = []
for p in rng.sample(papers, min(n, len(papers))):
    words = [w for w in p["title"].split() if w.isalpha()]
    if words:
        w = words[0]
        out.append(w[: rng.randint(2, max(2, min(6, len(w))))])
    if len(words) > 1:
        w = words[1]
        out.append(f"{words[0]} {w[: rng.randint(2, max(2, min(6, len(w))))]}")
    if p.get("authors"):
        name = rng.choice(p["authors"]).split()
        if name:
            s = name[-1]
            out.append(s[: rng.randint(2, max(2, min(5, len(s))))])
            if len(name) > 1:
                out.append(f"{name[0]} {s[:3]}")
    cat = (p.get("categories") or ["cs.LG"])[0]
    out.append(cat[: rng.randint(2, len(cat))])
for t in out:
    if len(t.strip()) >= 2:  # the box suggests after 2 characters
        print(t)
