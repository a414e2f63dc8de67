"""Embedding throughput of sentence-transformers (PyPI, PyTorch on the CPU) on the same
weights and texts as `papersift bench-embed`: the upstream all-MiniLM-L6-v2 safetensors that
scripts/setup.sh unpacks into .deps/minilm-src (the ONNX graph Papersift runs is built from
them), mean pooling, L2 normalization, 256 tokens.

    python bench/embed_st.py --texts FILE --n 256 --batch 32 --threads 2 --model .deps/minilm-src

Prints one JSON line, in the shape bench/embed_python.py prints. Peak memory: run under
/usr/bin/time -v.
"""
import argparse
import json
import time

from embed_python import texts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--texts", required=True)
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--model", required=True)
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    import torch
    from sentence_transformers import SentenceTransformer, models

    if a.threads:
        torch.set_num_threads(a.threads)
    docs = texts(a.texts, a.n)
    t = time.perf_counter()
    encoder = models.Transformer(a.model, max_seq_length=256)
    pooling = models.Pooling(encoder.get_word_embedding_dimension(), pooling_mode="mean")
    model = SentenceTransformer(modules=[encoder, pooling, models.Normalize()], device="cpu")
    load_s = time.perf_counter() - t
    runs = []
    for _ in range(max(1, a.repeat)):
        t = time.perf_counter()
        vecs = model.encode(docs, batch_size=a.batch, convert_to_numpy=True)
        runs.append(time.perf_counter() - t)
    runs.sort()
    median = runs[len(runs) // 2]
    print(json.dumps({
        "impl": "sentence-transformers",
        "texts": len(vecs),
        "batch": a.batch,
        "threads": torch.get_num_threads(),
        "load_s": load_s,
        "runs_s": runs,
        "median_s": median,
        "docs_per_s": len(vecs) / median,
    }))


if __name__ == "__main__":
    main()
