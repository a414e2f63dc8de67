#!/usr/bin/env bash
# The GPU path, checked for real: one short run (under 5 minutes) for a lent GPU machine.
#
#   scripts/gpu_check.sh [CORPUS.jsonl] [N=20000]
#
# 1. Installs onnxruntime-gpu 1.31.1 (the CPU runtime's version) with the CUDA and
#    cuDNN wheels it names (its `cuda` and `cudnn` extras) from PyPI into .deps/gpu
#    (skipped when present).
# 2. Embeds the first N abstracts with `papersift bench-embed --provider cuda` (the
#    release build; fp32 MiniLM, or GPU_MODEL; batch PAPERSIFT_EMBED_BATCH or 256) and
#    prints documents/s.
# 3. Embeds the first 1,000 of them on the CPU and prints the agreement of the vectors
#    (median and minimum cosine; the check needs a minimum of at least 0.999).
#
# Without a GPU (no nvidia-smi), it says so and runs steps 2 and 3 on the CPU against
# itself with 1,000 texts (GPU_CHECK_CPU_N): the script's own CPU fallback, tested by
# tests/cli/gpu_check.rs. Prints one JSON summary line last; exits non-zero when
# the vectors disagree or a step fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
corpus=${1:-../shared/data/arxiv/arxiv_sample_10k.jsonl}
n=${2:-20000}
# fp32 on the GPU: int8's dynamically quantized MatMuls have no CUDA kernels.
model=${GPU_MODEL:-all-MiniLM-L6-v2}
say() { printf '\033[1;34m[gpu check]\033[0m %s\n' "$*" >&2; }
bin=${PAPERSIFT_BIN:-target/release/papersift}
[ -x "$bin" ] || { say "building the papersift command (release)"; cargo build --release -q -p papersift; }
export PAPERSIFT_MODEL_CACHE=${PAPERSIFT_MODEL_CACHE:-$ROOT/.deps/models}
cpu_lib=${ORT_DYLIB_PATH:-$ROOT/.deps/onnxruntime/libonnxruntime.so}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
[ -f "$corpus" ] || { say "no corpus at $corpus"; exit 2; }
if [ "$(grep -c . "$corpus")" -lt "$n" ]; then
  # The 10k sample is smaller than a 20,000-text run: repeat it (the GPU's speed does not
  # depend on which abstracts it sees).
  for _ in $(seq $(( (n + 9999) / 10000 ))); do cat "$corpus"; done | head -n "$n" > "$scratch/corpus.jsonl"
  corpus="$scratch/corpus.jsonl"
fi

gpu=0
if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then
  gpu=1
  say "GPU: $(nvidia-smi -L | head -1)"
  GPU_DIR="$ROOT/.deps/gpu"
  if [ ! -f "$GPU_DIR/ok" ]; then
    say "installing onnxruntime-gpu[cuda,cudnn]==1.31.1 into .deps/gpu"
    python3 -m venv "$GPU_DIR/venv"
    "$GPU_DIR/venv/bin/pip" install -q --disable-pip-version-check "onnxruntime-gpu[cuda,cudnn]==1.31.1"
    touch "$GPU_DIR/ok"
  fi
  site=$("$GPU_DIR/venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
  gpu_lib=$(ls "$site"/onnxruntime/capi/libonnxruntime.so.* | head -1)
  LD_LIBRARY_PATH="$(find "$site/nvidia" -type d -name lib | paste -sd:)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export LD_LIBRARY_PATH
else
  n=${GPU_CHECK_CPU_N:-1000}
  say "no GPU here (nvidia-smi finds none): the CPU fallback, $n texts against themselves"
fi
cmp=$(( n < 1000 ? n : 1000 ))

run() { # LIB PROVIDER N VECTORS BATCH
  ORT_DYLIB_PATH="$1" PAPERSIFT_EMBED_BATCH="$5" "$bin" --json --provider "$2" --model "$model" bench-embed \
    --texts "$corpus" --n "$3" --vectors "$4"
}
if [ "$gpu" = 1 ]; then
  say "embedding $n abstracts on the GPU"
  run "$gpu_lib" cuda "$n" "$scratch/gpu.f32" "${PAPERSIFT_EMBED_BATCH:-256}" > "$scratch/gpu.json"
else
  run "$cpu_lib" cpu "$n" "$scratch/gpu.f32" "${PAPERSIFT_EMBED_BATCH:-8}" > "$scratch/gpu.json"
fi
say "embedding $cmp on the CPU for the agreement check"
run "$cpu_lib" cpu "$cmp" "$scratch/cpu.f32" "${PAPERSIFT_EMBED_BATCH:-8}" > "$scratch/cpu.json"

python3 - "$scratch" "$gpu" <<'PY'
import json, struct, sys, statistics
d, gpu = sys.argv[1], sys.argv[2] == "1"
def rows(path, dim=384):
    raw = open(path, "rb").read()
    vals = struct.unpack(f"<{len(raw) // 4}f", raw)
    return [vals[i:i + dim] for i in range(0, len(vals), dim)]
a, b = rows(f"{d}/gpu.f32"), rows(f"{d}/cpu.f32")
cos = [sum(x * y for x, y in zip(u, v)) for u, v in zip(a, b)]
g, c = json.load(open(f"{d}/gpu.json")), json.load(open(f"{d}/cpu.json"))
out = {
    "provider": "cuda" if gpu else "cpu (no GPU)",
    "texts": g["texts"], "docs_per_s": round(g["docs_per_s"], 1), "batch": g["batch"],
    "cpu_docs_per_s": round(c["docs_per_s"], 1), "compared": len(cos),
    "cosine_median": round(statistics.median(cos), 6), "cosine_min": round(min(cos), 6),
}
out["agree"] = out["cosine_min"] >= 0.999
print(json.dumps(out))
sys.exit(0 if out["agree"] else 1)
PY
