"""Embedding throughput of Python fastembed (PyPI) on the same model files and texts as
`papersift bench-embed`: the first N papers of an arXiv JSON Lines file, title and abstract
joined as Papersift joins them, 256 tokens, the hub cache Papersift's setup provisions.

    python bench/embed_python.py --texts FILE --n 512 --batch 32 --threads 2 --cache .deps/models

Prints one JSON line. Peak memory: run under /usr/bin/time -v.
"""
import argparse
import json
import time


def texts(path, n):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if len(out) >= n:
                break
            d = json.loads(line)
            title = " ".join(d.get("title", "").split())
            abstract = " ".join((d.get("abstract") or d.get("text") or "").split())
            out.append(f"{title}. {abstract}" if abstract else title)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--texts", required=True)
    ap.add_argument("--n", type=int, default=512)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--cache", required=True)
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    from fastembed import TextEmbedding

    docs = texts(a.texts, a.n)
    t = time.perf_counter()
    model = TextEmbedding(
        "sentence-transformers/all-MiniLM-L6-v2",
        cache_dir=a.cache,
        threads=a.threads,
        local_files_only=True,
    )
    # The model card's (and Papersift's) 256 tokens, not fastembed's default of 512.
    model.model.tokenizer.enable_truncation(max_length=256)
    load_s = time.perf_counter() - t
    runs = []
    for _ in range(max(1, a.repeat)):
        t = time.perf_counter()
        vecs = list(model.embed(docs, batch_size=a.batch))
        runs.append(time.perf_counter() - t)
    runs.sort()
    median = runs[len(runs) // 2]
    print(json.dumps({
        "impl": "python-fastembed",
        "texts": len(vecs),
        "batch": a.batch,
        "threads": a.threads,
        "load_s": load_s,
        "runs_s": runs,
        "median_s": median,
        "docs_per_s": len(vecs) / median,
    }))


if __name__ == "__main__":
    main()
