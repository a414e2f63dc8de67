#!/usr/bin/env bash
# Embedding throughput on the same texts and model files, in alternating rounds (this
# machine's speed drifts; alternating spreads the drift over every contender):
#   python    Python fastembed (PyPI) on the hub cache Papersift provisions
#   python-fastembed-defaults[-512]   the same with fastembed's own batch size and
#             threads, at 256 tokens and at its own limit of 512 (only with
#             BENCH_DEFAULTS=1): Python fastembed as a user gets it
#   sentence-transformers   PyTorch on the upstream safetensors the ONNX graph is built
#             from (only with BENCH_ST=1: PyPI's torch pulls ~6 GB of CUDA packages)
#   given     fastembed-rs's own embed, texts as they come
#   fastembed-sorted   fastembed-rs's own embed, texts sorted by length
#   sorted    Papersift's embedder (sorted by length, its own ONNX Runtime pipeline)
#   raw       the bare ONNX Runtime session on pre-tokenized batches: the ceiling
#   all-MiniLM-L6-v2-int8 sorted / raw   the same two on the int8 model
#   NAME sorted   Papersift's embedder on each int8 variant in BENCH_INT8_CACHES
# Prints one JSON line per run, then the median docs/s of each and its ratio to Python.
#
#   scripts/bench_embed.sh CORPUS.jsonl [N=256] [BATCH=32] [ROUNDS=5] [THREADS=all]
#   (BENCH_ORDERS="sorted raw" runs only those fp32 orders, BENCH_INT8_ORDERS="sorted"
#   only that int8 one, BENCH_PYTHON=0 skips Python fastembed)
#
# Needs a release build (cargo build --release -p papersift) and scripts/setup.sh's
# ONNX Runtime and model; installs Python fastembed into .deps/bench-venv on first use,
# and with BENCH_ST=1 sentence-transformers into .deps/st-venv.
set -euo pipefail
cd "$(dirname "$0")/.."
texts=${1:?corpus JSON Lines}
n=${2:-256}
batch=${3:-32}
rounds=${4:-5}
threads=${5:-$(nproc)}
export ORT_DYLIB_PATH=${ORT_DYLIB_PATH:-$PWD/.deps/onnxruntime/libonnxruntime.so}
export PAPERSIFT_MODEL_CACHE=${PAPERSIFT_MODEL_CACHE:-$PWD/.deps/models}
export PAPERSIFT_EXECUTION_PROVIDER=cpu PAPERSIFT_EMBED_THREADS=$threads PAPERSIFT_EMBED_BATCH=$batch
if [ ! -x .deps/bench-venv/bin/python ]; then
  python3 -m venv .deps/bench-venv
  .deps/bench-venv/bin/pip install -q fastembed==0.9.1 onnxruntime==1.31.1
fi
st=${BENCH_ST:-0}
if [ "$st" = 1 ] && [ ! -x .deps/st-venv/bin/python ]; then
  python3 -m venv .deps/st-venv
  .deps/st-venv/bin/pip install -q sentence-transformers==5.1.1
fi
[ "$st" != 1 ] || [ -f .deps/minilm-src/model.safetensors ] || {
  echo "no .deps/minilm-src: run scripts/setup.sh first" >&2; exit 1; }
out=$(mktemp)
peak() { grep -o 'Maximum resident set size (kbytes): [0-9]*' "$1" | grep -o '[0-9]*$'; }
# Runs a contender under /usr/bin/time and appends its JSON line, with its peak memory.
run() {
  /usr/bin/time -v -o "$out.time" "$@" > "$out.run"
  sed "s/}\$/, \"peak_kb\": $(peak "$out.time")${VARIANT:+, \"variant\": \"$VARIANT\"}}/" "$out.run" | tee -a "$out"
}
for r in $(seq "$rounds"); do
  [ "${BENCH_PYTHON:-1}" = 0 ] || run .deps/bench-venv/bin/python bench/embed_python.py \
    --texts "$texts" --n "$n" --batch "$batch" --threads "$threads" --cache "$PAPERSIFT_MODEL_CACHE"
  if [ "${BENCH_DEFAULTS:-0}" = 1 ]; then
    for len in 256 512; do
      run .deps/bench-venv/bin/python bench/embed_python.py \
        --texts "$texts" --n "$n" --defaults --max-length "$len" --cache "$PAPERSIFT_MODEL_CACHE"
    done
  fi
  if [ "$st" = 1 ]; then
    run .deps/st-venv/bin/python bench/embed_st.py \
      --texts "$texts" --n "$n" --batch "$batch" --threads "$threads" --model .deps/minilm-src
  fi
  for order in ${BENCH_ORDERS:-given fastembed-sorted sorted raw}; do
    run target/release/papersift --json --model all-MiniLM-L6-v2 bench-embed --texts "$texts" --n "$n" --order "$order"
  done
  # The int8 model (the default), and int8 settings tried: BENCH_INT8_CACHES names hub
  # caches each holding another int8 file in the same layout (name=dir,...).
  for order in ${BENCH_INT8_ORDERS:-sorted raw}; do
    run target/release/papersift --json --model all-MiniLM-L6-v2-int8 bench-embed --texts "$texts" --n "$n" --order "$order"
  done
  for v in ${BENCH_INT8_CACHES:+${BENCH_INT8_CACHES//,/ }}; do
    VARIANT="${v%%=*}" run env PAPERSIFT_MODEL_CACHE="${v#*=}" target/release/papersift --json \
      --model all-MiniLM-L6-v2-int8 bench-embed --texts "$texts" --n "$n" --order sorted
  done
done
python3 - "$out" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    name = d.get("impl") or d["order"]
    if d.get("model", "all-MiniLM-L6-v2") != "all-MiniLM-L6-v2":
        name = f"{d.get('variant') or d['model']} {name}"
    runs.setdefault(name, []).append((d["docs_per_s"], d["peak_kb"]))
base = statistics.median(r[0] for r in runs.get("python-fastembed", runs["sorted"]))
fp32 = statistics.median(r[0] for r in runs["sorted"])
print(f"{'':36} {'docs/s':>8} {'vs Python':>10} {'vs fp32':>8} {'peak MB':>8}")
for name, rs in runs.items():
    m = statistics.median(r[0] for r in rs)
    print(f"{name:36} {m:8.1f} {m / base:9.2f}x {m / fp32:7.2f}x {max(r[1] for r in rs) / 1024:8.0f}")
PY
rm -f "$out" "$out.time" "$out.run"
