#!/usr/bin/env python3
"""Reference sentence embeddings of all-MiniLM-L6-v2, computed in plain numpy.

An independent check of the ONNX export and of Papersift's embedder: the BERT forward
pass is written out here (no ONNX), tokenized by Hugging Face `tokenizers` with the
upstream tokenizer.json, truncated at 256 tokens, mean-pooled and L2-normalized as
sentence-transformers does. Writes JSON {"model", "max_length", "items": [{"text", "vector"}]}.

Usage: reference_vectors.py MODEL_DIR TEXTS.json OUT.json
  MODEL_DIR holds model.safetensors, config.json and tokenizer.json;
  TEXTS.json is a JSON list of strings.
"""
import json
import math
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MAX_LEN = 256


def layer_norm(x, g, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def embed(w, cfg, ids):
    eps = cfg["layer_norm_eps"]
    h = cfg["hidden_size"]
    nh = cfg["num_attention_heads"]
    hd = h // nh
    ids = np.asarray(ids)
    x = (w["embeddings.word_embeddings.weight"][ids]
         + w["embeddings.position_embeddings.weight"][: len(ids)]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    erf = np.vectorize(math.erf)
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        lin = lambda t, n: t @ w[p + n + ".weight"].T + w[p + n + ".bias"]
        q, k, v = (lin(x, f"attention.self.{n}") for n in ("query", "key", "value"))
        ctx = np.zeros_like(x)
        for head in range(nh):
            s = slice(head * hd, (head + 1) * hd)
            sc = q[:, s] @ k[:, s].T / math.sqrt(hd)
            sc = np.exp(sc - sc.max(-1, keepdims=True))
            sc /= sc.sum(-1, keepdims=True)
            ctx[:, s] = sc @ v[:, s]
        x = layer_norm(lin(ctx, "attention.output.dense") + x,
                       w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        inter = lin(x, "intermediate.dense")
        inter = 0.5 * inter * (1.0 + erf(inter / math.sqrt(2.0)))
        x = layer_norm(lin(inter, "output.dense") + x,
                       w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    v = x.mean(0)
    return v / np.linalg.norm(v)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    model_dir, texts_path, out_path = sys.argv[1:]
    cfg = json.load(open(f"{model_dir}/config.json"))
    w = {k: v.astype(np.float64) for k, v in load_file(f"{model_dir}/model.safetensors").items()}
    tok = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
    tok.enable_truncation(MAX_LEN)
    tok.no_padding()
    items = []
    for text in json.load(open(texts_path)):
        ids = tok.encode(text).ids
        items.append({"text": text, "tokens": len(ids),
                      "vector": [round(float(x), 7) for x in embed(w, cfg, ids)]})
    json.dump({"model": "sentence-transformers/all-MiniLM-L6-v2", "max_length": MAX_LEN,
               "pooling": "mean", "normalized": True, "items": items}, open(out_path, "w"))


if __name__ == "__main__":
    main()
