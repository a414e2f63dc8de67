"""Embedding throughput of Python fastembed (PyPI) on the same model files and texts as
`papersift bench-embed`: the first N papers of an arXiv JSON Lines file, title and abstract
joined as Papersift joins them, 256 tokens, the hub cache Papersift's setup provisions.

    python bench/embed_python.py --texts FILE --n 512 --batch 32 --threads 2 --cache .deps/models

`--defaults` leaves batch size and threads to fastembed (its batches are 256 texts,
padded to the longest); `--max-length 512` is fastembed's own token limit, which is
more work per long abstract than the model card's (and Papersift's) 256. Both together
are Python fastembed as a user gets it.

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


def arguments(source_flag, source_help, n_default):
    """The options both Python contenders take; `source_flag` names where the model is."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--texts", required=True)
    ap.add_argument("--n", type=int, default=n_default)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument(source_flag, required=True, help=source_help)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--defaults", action="store_true",
                    help="fastembed's own batch size and thread count")
    ap.add_argument("--max-length", type=int, default=256,
                    help="tokens per text (fastembed's own default is 512)")
    return ap.parse_args()


def measure(impl, a, threads, load, embed):
    """Loads the model (`load()`, timed), embeds the texts `a.repeat` times
    (`embed(model, docs)`) and prints the one JSON line bench_embed.sh reads."""
    docs = texts(a.texts, a.n)
    t = time.perf_counter()
    model = load()
    load_s = time.perf_counter() - t
    runs = []
    for _ in range(max(1, a.repeat)):
        t = time.perf_counter()
        vecs = embed(model, docs)
        runs.append(time.perf_counter() - t)
    runs.sort()
    median = runs[len(runs) // 2]
    print(json.dumps({
        "impl": impl,
        "texts": len(vecs),
        "batch": a.batch,
        "threads": threads() if callable(threads) else threads,
        "load_s": load_s,
        "runs_s": runs,
        "median_s": median,
        "docs_per_s": len(vecs) / median,
    }))


def main():
    a = arguments("--cache", "the hub cache folder", 512)
    from fastembed import TextEmbedding

    def load():
        model = TextEmbedding(
            "sentence-transformers/all-MiniLM-L6-v2",
            cache_dir=a.cache,
            threads=None if a.defaults else a.threads,
            local_files_only=True,
        )
        model.model.tokenizer.enable_truncation(max_length=a.max_length)
        return model

    def embed(model, docs):
        if a.defaults:
            return list(model.embed(docs))
        return list(model.embed(docs, batch_size=a.batch))

    if a.defaults:
        a.batch = None  # fastembed's own (256)
    impl = "python-fastembed" + ("-defaults" if a.defaults else "")
    impl += "" if a.max_length == 256 else f"-{a.max_length}"
    measure(impl, a, None if a.defaults else a.threads, load, embed)


if __name__ == "__main__":
    main()
