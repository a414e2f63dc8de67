#!/usr/bin/env bash
# Makes tests/fixtures/schemas/: one small library per earlier schema version, each
# made by the Papersift CLI of that version (the last commit that had it; for schema 9
# also the first, whose migration 0009 was edited afterwards). Each library holds the
# same 10 papers of tests/fixtures/arxiv_sample_40.jsonl (embedded, where the model
# loads), a list imported from tests/fixtures/import_samples/reading_list.bib (schema 6
# on), an alert on it (7 on) and a rating (11 on). manifest.json records what each
# holds, read back with sqlite3. Not run by the tests: run it by hand when a new schema
# version is released. It makes only the fixtures that are missing (REBUILD=1 makes them
# all again: ten old CLIs, about 30 minutes cold).
#
#   bash scripts/make_schema_fixtures.sh [WORK_DIR]
#
# Needs what scripts/setup.sh installs (.deps/onnxruntime, .deps/models) and sqlite3.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-/tmp/papersift-schemas}"
OUT="$ROOT/tests/fixtures/schemas"
mkdir -p "$WORK" "$OUT"
export CARGO_TARGET_DIR="$WORK/target"
export ORT_DYLIB_PATH="$ROOT/.deps/onnxruntime/libonnxruntime.so"
export PAPERSIFT_MODEL_CACHE="$ROOT/.deps/models"
export PAPERSIFT_EXECUTION_PROVIDER=cpu
head -10 "$ROOT/tests/fixtures/arxiv_sample_40.jsonl" > "$WORK/papers.jsonl"
cp "$ROOT/tests/fixtures/import_samples/reading_list.bib" "$WORK/reading_list.bib"
# version name, commit. When a migration adds schema N+1, add the last commit of schema N
# here and run the script: tests/cli/upgrades.rs then covers it.
VERSIONS=(
  "v4 045f3ecf8c1e57a90229a108e3ac589041c65fbd"
  "v5 ff017876955f9aaa76de625b584138698c1ddc86"
  "v6 95126784485fcc39c64a012a2173b0d969a0a081"
  "v7 5a7b8c28c09d60eb858e9d4bf3c1f27dcc833a92"
  "v8 86f8844f4fdf77e2d8a172d59ea3d72f10e2c28e"
  "v9-first 284f5d2d3784ef28c7c14b58ff7fbeb564a98f8a"
  "v9 c01189ab6d0ca5bee04981dd7cf420aa06956698"
  "v10 de1840713db6f41c57b2ea5bd143dfc9cb5853e1"
  "v11 59f9dd099c753804c13d24858551396e05b9ae04"
  "v12 bf4f7ba4b5967dc8816c9cd2ebb4f4d34b0019d9"
  "v13 375ff86cc8eb8e3855588b29209b7e66d0b262ad"
)
say() { printf '\033[1;34m[schemas]\033[0m %s\n' "$*"; }
for entry in "${VERSIONS[@]}"; do
  read -r name commit <<<"$entry"
  if [ -f "$OUT/$name.sqlite3" ] && [ "${REBUILD:-0}" != "1" ]; then
    continue
  fi
  tree="$WORK/src-$name"
  if [ ! -d "$tree" ]; then
    git -C "$ROOT" worktree add --detach "$tree" "$commit" >/dev/null
  fi
  say "$name: building the CLI of ${commit:0:7}"
  (cd "$tree" && cargo build -q -p papersift)
  bin="$CARGO_TARGET_DIR/debug/papersift"
  lib="$WORK/lib-$name"
  rm -rf "$lib"
  ps() { "$bin" --data-dir "$lib" "$@"; }
  ps import-corpus "$WORK/papers.jsonl" || ps import-corpus --no-embed "$WORK/papers.jsonl"
  if ps import --help >/dev/null 2>&1; then
    ps import --offline "$WORK/reading_list.bib"
  fi
  if ps alert-add --help >/dev/null 2>&1; then
    ps alert-add --list 1
  fi
  if ps rate --help >/dev/null 2>&1; then
    ps rate 2503.11932 down
  fi
  ps stats
  cp "$lib/library.sqlite3" "$OUT/$name.sqlite3"
  sqlite3 "$OUT/$name.sqlite3" "PRAGMA journal_mode=DELETE; VACUUM;" >/dev/null
done
# What each holds, for the upgrade test to compare with.
python3 - "$OUT" <<'PY'
import json, sqlite3, sys, pathlib
out = pathlib.Path(sys.argv[1])
manifest = {}
def count(db, table):
    try:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
for f in sorted(out.glob("*.sqlite3")):
    db = sqlite3.connect(f)
    manifest[f.stem] = {
        "user_version": db.execute("PRAGMA user_version").fetchone()[0],
        "papers": count(db, "papers"),
        "embeddings": count(db, "embeddings"),
        "lists": count(db, "reading_lists"),
        "list_items": count(db, "reading_list_items"),
        "alert_rules": count(db, "alert_rules"),
        "ratings": count(db, "ratings") + count(db, "not_interested"),
    }
(out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
print(json.dumps(manifest, indent=1))
PY
