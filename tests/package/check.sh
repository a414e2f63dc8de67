#!/usr/bin/env bash
# Checks a built Papersift .deb (scripts/package.sh --test runs this; scripts/test.sh too
# when PAPERSIFT_TEST_PACKAGE=1):
#   1. its metadata and dependencies, and that every file the app needs is inside;
#   2. the unpacked `papersift` command, run with a clean environment (no ORT_DYLIB_PATH,
#      no model cache, no network), imports a small corpus and ranks a paraphrase's
#      paper first by meaning: the bundled runtime and model are found in place;
#   3. the unpacked app, started under Xvfb and driven over WebDriver with a clean HOME
#      and no network: the starter library loads, a paraphrase finds its paper first,
#      start at login names the app (tests/app/webdriver.rs,
#      the_packaged_app_works_offline_on_a_clean_home);
#   4. where dpkg can install it (root), the same checks through /usr/bin, then the
#      package is purged.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
deb="$(readlink -f "${1:?usage: tests/package/check.sh PACKAGE.deb}")"
pass() { printf '\033[1;32m[package test]\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31m[package test] FAIL:\033[0m %s\n' "$*" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# 1. Metadata and contents.
info=$(dpkg-deb -I "$deb")
grep -q '^ Package: papersift$' <<<"$info" || fail "package name: $info"
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libayatana-appindicator3-1; do
  grep -q "^ Depends:.*$dep" <<<"$info" || fail "depends on $dep: $(grep Depends <<<"$info")"
done
files=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's,^\./,,; s,^,./,')
for f in ./usr/bin/papersift-app ./usr/bin/papersift ./usr/lib/papersift/libonnxruntime.so \
  ./usr/share/applications/Papersift.desktop \
  ./usr/share/papersift/models/models--Xenova--all-MiniLM-L6-v2/refs/main; do
  grep -qx -- "$f" <<<"$files" || fail "missing $f"
done
grep -q '^./usr/share/papersift/models/models--Xenova--all-MiniLM-L6-v2/snapshots/.*/onnx/model_quantized.onnx$' <<<"$files" \
  || fail "missing the model file"
grep -q '^./usr/share/icons/hicolor/.*/apps/papersift-app.png$' <<<"$files" || fail "missing the icons"
grep -q 'models--Qdrant' <<<"$files" && fail "a model the app does not start with is inside"
if grep -qE 'python|\.jsonl|/tests?/' <<<"$files"; then fail "test data or Python inside: $(grep -E 'python|\.jsonl|/tests?/' <<<"$files")"; fi
dpkg-deb -x "$deb" "$scratch/root"
desktop="$scratch/root/usr/share/applications/Papersift.desktop"
grep -qx 'Categories=Education;Science;' "$desktop" || fail "categories: $(cat "$desktop")"
grep -q '^MimeType=.*text/x-bibtex;' "$desktop" || fail "MIME types: $(cat "$desktop")"
grep -q '^Exec=papersift-app %F$' "$desktop" || fail "Exec: $(grep Exec "$desktop")"
pass "metadata, dependencies, files and desktop entry ($(du -h "$deb" | cut -f1); $(grep 'Installed-Size' <<<"$info" | xargs))"

# 2. The unpacked command in a clean environment.
search_check() { # BINARY
  local bin=$1 home="$scratch/home-$RANDOM"
  mkdir -p "$home"
  env -i HOME="$home" PATH=/usr/bin:/bin "$bin" --json import-corpus "$ROOT/tests/fixtures/arxiv_sample_40.jsonl" >"$home/import.json" \
    || fail "$bin import-corpus: $(cat "$home/import.json")"
  grep -q '"embedded":40' "$home/import.json" || fail "not embedded: $(cat "$home/import.json")"
  env -i HOME="$home" PATH=/usr/bin:/bin "$bin" --json search \
    "recognizing the layout of tables in documents written in many scripts and languages" \
    --mode dense --k 3 >"$home/search.json" || fail "$bin search"
  python3 - "$home/search.json" <<'PY' || fail "the paraphrase's paper is not first: $(cat "$home/search.json")"
import json, sys
r = json.load(open(sys.argv[1]))["results"]
assert r[0]["id"] == "2503.11932", r[0]
PY
  [ ! -d "$home/.cache/papersift/models" ] || fail "the model was copied into the user cache"
}
search_check "$scratch/root/usr/bin/papersift"
pass "the unpacked papersift embeds and ranks offline with the bundled runtime and model"

# 3. The unpacked app in a real window.
app_check() { # APP
  PAPERSIFT_APP="$1" dbus-run-session -- cargo test --manifest-path "$ROOT/Cargo.toml" -q \
    -p papersift-app --test app -- --ignored --exact --nocapture \
    webdriver::the_packaged_app_works_offline_on_a_clean_home 2>&1 | tee "$scratch/app.log" | grep -E '\[measure\]|test result' \
    || true
  grep -q 'test result: ok. 1 passed' "$scratch/app.log" || fail "the app $1: $(tail -40 "$scratch/app.log")"
}
app_check "$scratch/root/usr/bin/papersift-app"
pass "the unpacked app starts on a clean HOME, offline, and finds by meaning"

# 4. Installed for real, where dpkg can.
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null && ! dpkg -s papersift >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null
  # Purged even when a check fails.
  trap 'DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq papersift >/dev/null; rm -rf "$scratch"' EXIT
  search_check /usr/bin/papersift
  app_check /usr/bin/papersift-app
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq papersift >/dev/null
  trap 'rm -rf "$scratch"' EXIT
  pass "installed with apt, /usr/bin/papersift and the app find by meaning offline, purged"
fi
