"""Embedding throughput of sentence-transformers (PyPI, PyTorch on the CPU) on the same
weights and texts as `papersift bench-embed`: the upstream all-MiniLM-L6-v2 safetensors that
scripts/setup.sh unpacks into .deps/minilm-src (the ONNX graph Papersift runs is built from
them), mean pooling, L2 normalization, 256 tokens.

    python bench/embed_st.py --texts FILE --n 256 --batch 32 --threads 2 --model .deps/minilm-src

Prints one JSON line, in the shape bench/embed_python.py prints. Peak memory: run under
/usr/bin/time -v.
"""
from embed_python import arguments, measure


def main():
    a = arguments("--model", "the folder of the upstream safetensors", 256)
    import torch
    from sentence_transformers import SentenceTransformer, models

    if a.threads:
        torch.set_num_threads(a.threads)

    def load():
        encoder = models.Transformer(a.model, max_seq_length=256)
        pooling = models.Pooling(encoder.get_word_embedding_dimension(), pooling_mode="mean")
        return SentenceTransformer(modules=[encoder, pooling, models.Normalize()], device="cpu")

    measure("sentence-transformers", a, torch.get_num_threads, load,
            lambda model, docs: model.encode(docs, batch_size=a.batch, convert_to_numpy=True))


if __name__ == "__main__":
    main()
