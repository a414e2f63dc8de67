#!/usr/bin/env bash
# The installable package: target/release/bundle/deb/Papersift_<version>_amd64.deb, with
# the app, the `papersift` command (/usr/bin/papersift), ONNX Runtime
# (/usr/lib/papersift) and the default embedding model (/usr/share/papersift/models,
# read in place until the user's cache has one) inside, so meaning search works on the
# first start with no network. `--test` then checks the package (tests/package/check.sh).
#
# A release build: about 20 minutes cold on 2 cores, a minute or two warm.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '\033[1;34m[package]\033[0m %s\n' "$*"; }

say "building the papersift command (release)"
cargo build --release -p papersift

# Only the default model goes in: the int8 MiniLM (setup.sh also provisions the fp32 one
# for tests and Settings; a model picked later downloads into the user's cache).
mkdir -p target/package
rm -rf target/package/models
mkdir -p target/package/models
cp -a .deps/models/models--Xenova--all-MiniLM-L6-v2 target/package/models/

# Absolute paths: the bundler reads them relative to tauri.conf.json otherwise.
cat > target/package/tauri.package.json <<JSON
{
  "bundle": {
    "fileAssociations": [
      { "ext": ["bib"], "mimeType": "text/x-bibtex", "name": "BibTeX reading list" },
      { "ext": ["ris"], "mimeType": "application/x-research-info-systems", "name": "RIS reading list" }
    ],
    "linux": {
      "deb": {
        "desktopTemplate": "$ROOT/src-tauri/packaging/papersift.desktop",
        "files": {
          "/usr/bin/papersift": "$ROOT/target/release/papersift",
          "/usr/lib/papersift/libonnxruntime.so": "$(readlink -f .deps/onnxruntime/libonnxruntime.so.1.31.1)",
          "/usr/share/papersift/models": "$ROOT/target/package/models/"
        }
      }
    }
  }
}
JSON

say "building the app and the .deb (release)"
rm -f target/release/bundle/deb/*.deb
npm --prefix ui run --silent tauri -- build --bundles deb --config "$ROOT/target/package/tauri.package.json"
deb=$(ls target/release/bundle/deb/*.deb)
say "built $deb ($(du -h "$deb" | cut -f1))"

if [ "${1:-}" = "--test" ]; then
  bash tests/package/check.sh "$deb"
fi
