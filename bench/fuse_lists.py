"""Offline fusion of ranked lists against BEIR judgments: the way the fusion variants in
docs/benchmarks.md were scored.

Each list file is what `papersift search --queries Q --k 100 --json --mode M` writes (one
JSON object per query: `query_id` and `results` with `id` and the mode's score under
`dense` or `keyword`), or the same shape from another embedder (bench/passages_scifact.py).
Every list is min-max normalized over its candidates, weighted and summed; a paper
missing from a list adds nothing from it.

    python bench/fuse_lists.py --qrels ../shared/data/scifact/qrels/train.tsv \\
        dense.jsonl:dense keyword.jsonl:keyword passages.jsonl:dense --grid

Prints nDCG@10 and Recall@100 for each list alone and for every weight combination on
a 0.1 grid (`--grid`), or for the weights given with `--weights 0.4,0.6,0`.
"""
import argparse
import collections
import itertools
import json
import math


def load(spec):
    path, key = spec.rsplit(":", 1)
    out = {}
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        out[str(r["query_id"])] = {x["id"]: x[key] for x in r["results"] if x.get(key) is not None}
    return out


def ndcg(ranked, rel, k=10):
    dcg = sum(rel.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(rel.values(), reverse=True)[:k]
    return dcg / sum(r / math.log2(i + 2) for i, r in enumerate(ideal))


def minmax(scores):
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    return {d: (x - lo) / (hi - lo) if hi > lo else 1.0 for d, x in scores.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qrels", required=True)
    ap.add_argument("lists", nargs="+", help="FILE:SCORE_KEY")
    ap.add_argument("--weights")
    ap.add_argument("--grid", action="store_true")
    a = ap.parse_args()
    qrels = collections.defaultdict(dict)
    for i, line in enumerate(open(a.qrels, encoding="utf-8")):
        if i == 0:
            continue
        q, d, s = line.rstrip("\n").split("\t")
        qrels[q][d] = int(s)
    lists = [load(s) for s in a.lists]
    queries = [q for q in qrels if q in lists[0]]
    normalized = [{q: minmax(l.get(q, {})) for q in queries} for l in lists]

    def score(weights):
        n = r = 0.0
        for q in queries:
            total = collections.defaultdict(float)
            for w, l in zip(weights, normalized):
                for d, x in l[q].items():
                    total[d] += w * x
            ranked = sorted(total, key=lambda d: -total[d])
            n += ndcg(ranked, qrels[q])
            r += len([d for d in ranked[:100] if d in qrels[q]]) / len(qrels[q])
        return n / len(queries), r / len(queries)

    combos = []
    if a.weights:
        combos.append(tuple(float(w) for w in a.weights.split(",")))
    for i in range(len(lists)):
        combos.append(tuple(1.0 if j == i else 0.0 for j in range(len(lists))))
    if a.grid:
        steps = [x / 10 for x in range(11)]
        combos += [c for c in itertools.product(steps, repeat=len(lists)) if abs(sum(c) - 1) < 1e-9]
    best = None
    for c in combos:
        n, r = score(c)
        print(f"weights {','.join(f'{w:.1f}' for w in c)}: nDCG@10 {n:.4f}  Recall@100 {r:.4f}")
        if best is None or n > best[0]:
            best = (n, r, c)
    print(f"best: nDCG@10 {best[0]:.4f}  Recall@100 {best[1]:.4f}  weights {best[2]}")


if __name__ == "__main__":
    main()
