"""Meaning by passages on a BEIR corpus (the MaxP variant in docs/benchmarks.md): each
abstract is cut into windows of W sentences (stride S, the title in front of each),
embedded by all-MiniLM-L6-v2 through Python fastembed at 256 tokens, and a paper scores
its best window. Writes the top 100 per query in the shape bench/fuse_lists.py reads.

    python bench/passages_scifact.py CORPUS QUERIES MODEL_CACHE OUT [W=3] [S=2]
"""
import json, re, time, sys, numpy as np
from fastembed import TextEmbedding
corpus, queries, cache, out = sys.argv[1:5]
W = int(sys.argv[5]) if len(sys.argv) > 5 else 3  # sentences per window
S = int(sys.argv[6]) if len(sys.argv) > 6 else 2  # stride
docs = [json.loads(l) for l in open(corpus)]
chunks, owner = [], []
for i, d in enumerate(docs):
    title = d.get('title', '').strip()
    sents = [s for s in re.split(r'(?<=[.!?])\s+', d.get('text', '').strip()) if s]
    if not sents: sents = ['']
    for j in range(0, max(1, len(sents) - W + 1 + (1 if (len(sents) - W) % S else 0)), S):
        chunks.append(f"{title}. {' '.join(sents[j:j+W])}"); owner.append(i)
        if j + W >= len(sents): break
print(len(docs), 'docs', len(chunks), 'chunks', flush=True)
m = TextEmbedding("sentence-transformers/all-MiniLM-L6-v2", cache_dir=cache, local_files_only=True, threads=2)
m.model.tokenizer.enable_truncation(max_length=256)
t = time.time()
order = sorted(range(len(chunks)), key=lambda k: len(chunks[k]))
V = np.zeros((len(chunks), 384), dtype=np.float32)
vs = list(m.embed([chunks[k] for k in order], batch_size=32))
for k, v in zip(order, vs): V[k] = v
print('chunks/s', len(chunks) / (time.time() - t), flush=True)
qs = [json.loads(l) for l in open(queries)]
Q = np.array(list(m.embed([q['text'] for q in qs], batch_size=64)))
Sc = Q @ V.T
owner = np.array(owner)
with open(out, 'w') as f:
    for qi, q in enumerate(qs):
        best = np.full(len(docs), -1.0, dtype=np.float32)
        np.maximum.at(best, owner, Sc[qi])
        top = np.argsort(-best)[:100]
        f.write(json.dumps({"query_id": q['_id'], "results": [{"id": docs[j]['_id'], "dense": float(best[j])} for j in top]}) + "\n")
print('done', flush=True)
