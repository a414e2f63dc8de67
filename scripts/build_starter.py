#!/usr/bin/env python3
"""Builds the starter corpus (src-tauri/crates/core/data/starter_papers.json).

The starter library is what a new user searches before the first Sync, offline, so
every paper in it must be a real, complete record: arXiv id, authors, categories, date.

Inputs (public data; provenance in their own notes):
  --seed     the 61 Hugging Face Daily Papers entries (data/seed_papers.json). They have
             no ids or author names; they fix the topics of the starter library.
  --arxiv    the arXiv listing dump (data/arxiv/arxiv_daily_dedup.jsonl.gz, CC0 metadata).

Selection, deterministic:
  1. Seed entries whose title is in the arXiv dump are taken from the dump, keeping their
     Hugging Face upvotes and day.
  2. Every other seed entry is replaced by the dump's paper nearest to it by BM25 over
     title and abstract (not already taken), until the corpus has 61 papers.
Each record says where it came from in "source".
"""
import argparse, gzip, json, math, re, sys
from collections import Counter, defaultdict

WORD = re.compile(r"[a-z0-9]+")
STOP = set("a an and are as at be by for from has have in is it its of on or that the this to we with our which these their can using based".split())

def words(t):
    return [w for w in WORD.findall(t.lower()) if w not in STOP and len(w) > 1]

def norm_title(t):
    return re.sub(r"[^a-z0-9]", "", t.lower())

MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()

def hf_day(display, year):
    """'Apr 11' + 2025 -> 2025-04-11 (Hugging Face omits the current year)."""
    parts = display.replace(",", " ").split()
    m = MONTHS.index(parts[0][:3].lower()) + 1
    y = int(parts[2]) if len(parts) > 2 else year
    return f"{y:04d}-{m:02d}-{int(parts[1]):02d}"

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", required=True)
    ap.add_argument("--arxiv", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=61)
    a = ap.parse_args()

    seed = json.load(open(a.seed))
    dump = [json.loads(l) for l in gzip.open(a.arxiv, "rt")]
    by_title = {norm_title(r["title"]): r for r in dump}
    dump_rev = "daily-arXiv-ai-enhanced data b4c542b7"

    out, taken = [], set()

    def add(rec):
        taken.add(rec["id"])
        out.append(rec)

    unmatched = []
    for s in seed:
        r = by_title.get(norm_title(s["title"]))
        if r is None:
            unmatched.append(s)
            continue
        year = int(r["first_seen"][:4])
        add({
            "id": r["id"], "title": r["title"], "abstract": r["abstract"],
            "authors": r["authors"], "categories": r["categories"],
            "date": r["first_seen"], "upvotes": s["upvotes"],
            "hf_date": hf_day(s["date"], year),
            "source": f"arXiv listing ({dump_rev}); Hugging Face Daily Papers upvotes and day from the seed set",
        })

    # BM25 over the dump, title + abstract.
    docs = [words(r["title"] + " " + r["abstract"]) for r in dump]
    df = Counter()
    for d in docs:
        df.update(set(d))
    n = len(docs)
    avg = sum(map(len, docs)) / n
    post = defaultdict(list)
    for i, d in enumerate(docs):
        for w, tf in Counter(d).items():
            post[w].append((i, tf, len(d)))
    k1, b = 1.2, 0.75

    def nearest(s):
        scores = defaultdict(float)
        for w, qtf in Counter(words(s["title"] + " " + s["title"] + " " + s["abstract"])).items():
            if w not in df:
                continue
            idf = math.log(1 + (n - df[w] + 0.5) / (df[w] + 0.5))
            for i, tf, ln in post[w]:
                scores[i] += qtf * idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * ln / avg))
        for i, _ in sorted(scores.items(), key=lambda x: (-x[1], dump[x[0]]["id"])):
            if dump[i]["id"] not in taken:
                return dump[i]
        return None

    for s in unmatched:
        if len(out) >= a.count:
            break
        r = nearest(s)
        add({
            "id": r["id"], "title": r["title"], "abstract": r["abstract"],
            "authors": r["authors"], "categories": r["categories"],
            "date": r["first_seen"],
            "source": f"arXiv listing ({dump_rev}); nearest by BM25 to the seed entry \"{s['title']}\"",
        })

    with open(a.out, "w") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(out)} papers -> {a.out}", file=sys.stderr)

if __name__ == "__main__":
    main()
