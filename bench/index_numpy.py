"""The numpy baseline for `papersift bench-index`: exact top-k by one matrix-vector
product and argpartition over SIZE random unit vectors of dimension 384 (the ranking
cost of an exact scan does not depend on what the vectors hold), float32, numpy's own
BLAS threads. Prints one JSON line with the median and p95 in milliseconds.

    python bench/index_numpy.py --size 1000000 --queries 50
"""
import argparse
import json
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--k", type=int, default=10)
    a = ap.parse_args()
    rng = np.random.default_rng(7)
    m = np.empty((a.size, 384), dtype=np.float32)
    for s in range(0, a.size, 100_000):  # in slices: the float64 draw would double memory
        block = rng.standard_normal((min(100_000, a.size - s), 384), dtype=np.float32)
        m[s : s + len(block)] = block / np.linalg.norm(block, axis=1, keepdims=True)
    qs = rng.standard_normal((a.queries + 3, 384), dtype=np.float32)
    qs /= np.linalg.norm(qs, axis=1, keepdims=True)
    times = []
    for i, q in enumerate(qs):
        t = time.perf_counter()
        scores = m @ q
        top = np.argpartition(-scores, a.k)[: a.k]
        top = top[np.argsort(-scores[top])]
        if i >= 3:
            times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    p = lambda f: times[min(len(times) - 1, max(0, int(np.ceil(f * len(times))) - 1))]
    print(json.dumps({"impl": "numpy", "vectors": a.size, "k": a.k, "queries": a.queries,
                      "rank_ms": {"p50": p(0.5), "p95": p(0.95)}}))


if __name__ == "__main__":
    main()
