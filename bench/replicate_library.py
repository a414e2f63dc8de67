"""A large library for `papersift bench-search`, made from an embedded one: every paper
of SRC and COPIES copies of each (key "<key>~<n>", no arXiv id, same text), each copy's
vector the original's plus Gaussian noise (SIGMA per component), renormalized. Texts
repeat, so keyword statistics scale as in a library of that size whose documents
recur; vectors are near neighbours of real ones, as in `bench-index`.

    papersift --data-dir LIB75K import-corpus arxiv_daily_dedup.jsonl.gz   # embeds all
    python bench/replicate_library.py LIB75K/library.sqlite3 LIB1M/library.sqlite3 --copies 13
    papersift --data-dir LIB1M bench-search --queries q50.jsonl --mode hybrid

Needs numpy. With 74,728 papers and 13 copies: 1,046,192 papers, 10 GB, about 3 minutes.
"""
import argparse
import shutil
import sqlite3
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--copies", type=int, default=13)
    ap.add_argument("--sigma", type=float, default=0.02)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    src = sqlite3.connect(a.src)
    src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    src.close()
    shutil.copy(a.src, a.dst)
    db = sqlite3.connect(a.dst)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    skip = ("id", "key", "arxiv_id", "arxiv_version")
    cols = ", ".join(r[1] for r in db.execute("PRAGMA table_info(papers)") if r[1] not in skip)
    base = db.execute("SELECT max(id) FROM papers").fetchone()[0]
    rows = db.execute(
        "SELECT paper_id, model, content_hash, vector FROM embeddings ORDER BY paper_id"
    ).fetchall()
    if not rows:
        raise SystemExit(f"{a.src} has no vectors: embed it first")
    ids = [r[0] for r in rows]
    vectors = np.stack([np.frombuffer(r[3], dtype="<f4") for r in rows])
    rng = np.random.default_rng(a.seed)
    started = time.time()
    for n in range(1, a.copies + 1):
        top = db.execute("SELECT max(id) FROM papers").fetchone()[0]
        db.execute(
            f"INSERT INTO papers (key, {cols}) SELECT key || '~{n}', {cols} "
            "FROM papers WHERE id <= ? ORDER BY id",
            (base,),
        )
        new = [r[0] for r in db.execute("SELECT id FROM papers WHERE id > ? ORDER BY id", (top,))]
        old = [r[0] for r in db.execute("SELECT id FROM papers WHERE id <= ? ORDER BY id", (base,))]
        copy_of = dict(zip(old, new))
        noisy = vectors + rng.normal(0, a.sigma, vectors.shape)
        noisy = (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype("<f4")
        db.executemany(
            "INSERT INTO embeddings (paper_id, model, content_hash, vector) VALUES (?, ?, ?, ?)",
            (
                (copy_of[pid], r[1], r[2], noisy[j].tobytes())
                for j, (pid, r) in enumerate(zip(ids, rows))
            ),
        )
        db.commit()
        print(f"copy {n}: {time.time() - started:.0f} s", flush=True)
    papers = db.execute("SELECT count(*) FROM papers").fetchone()[0]
    embedded = db.execute("SELECT count(*) FROM embeddings").fetchone()[0]
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"{papers} papers, {embedded} vectors")


if __name__ == "__main__":
    main()
