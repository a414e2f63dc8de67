#!/usr/bin/env bash
# Set everything up (first time: system packages, ONNX Runtime, the model, the UI) and
# start the Papersift desktop app.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
# The model set-up provisioned; without it the app downloads the model on first start.
export PAPERSIFT_MODEL_CACHE="${PAPERSIFT_MODEL_CACHE:-$ROOT/.deps/models}"
exec cargo run -p papersift-app "$@"
