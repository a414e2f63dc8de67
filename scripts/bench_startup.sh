#!/usr/bin/env bash
# Start-to-interactive time of the desktop app on a library, N times, under a private
# Xvfb display: the app prints {"interactive_ms": …} and quits (--exit-when-ready).
#
#   scripts/bench_startup.sh DATA_DIR [RUNS=4]
#
# Needs a release build (cargo build --release -p papersift-app) and scripts/setup.sh;
# PAPERSIFT_APP names another build (a before/after comparison, run back to back).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?library folder}
runs=${2:-4}
app_bin=${PAPERSIFT_APP:-target/release/papersift-app}
export ORT_DYLIB_PATH=${ORT_DYLIB_PATH:-$PWD/.deps/onnxruntime/libonnxruntime.so}
export PAPERSIFT_MODEL_CACHE=${PAPERSIFT_MODEL_CACHE:-$PWD/.deps/models}
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x860x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb' EXIT
sleep 1
export DISPLAY="$display" NO_AT_BRIDGE=1 PAPERSIFT_DATA_DIR="$data" \
  PAPERSIFT_SYNC_INTERVAL_MINUTES=0 RUST_LOG=warn
for _ in $(seq "$runs"); do
  /usr/bin/time -f "wall %e s, peak %M KB" \
    timeout 60 "$app_bin" --exit-when-ready 2>&1 |
    grep -E "interactive|wall|status|signal" || echo "(that run failed)"
done
# Resident memory once settled: the app left running (model, vectors and keyword index
# loaded, nothing pending to embed), its own process and its WebKit children, after
# SETTLE seconds (default 30).
settle=${SETTLE:-30}
"$app_bin" >/dev/null 2>&1 &
app=$!
sleep "$settle"
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
own=$(rss "$app")
kids=0
for c in $(pgrep -P "$app"); do kids=$((kids + $(rss "$c"))); done
echo "settled after ${settle} s: app ${own} KB resident, WebKit processes ${kids} KB"
kill "$app"
wait "$app" 2>/dev/null || true
