#!/usr/bin/env bash
# Fuzzes every parser of untrusted input for a bounded time (not part of the default
# test run): BibTeX, RIS, CSL-JSON, text id extraction, PDF, Hugging Face JSON, arXiv
# Atom, bioRxiv/medRxiv JSON, Crossref JSON (and JATS), journal feeds, OpenReview JSON,
# Zotero profiles and databases. Needs a nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz`).
#   scripts/fuzz.sh [SECONDS_PER_TARGET=60] [TARGET...]
# Seeds come from tests/fixtures; crashes land in fuzz/artifacts/<target>/ — copy each
# into tests/fixtures/fuzz/<target>/ so the normal tests keep checking it.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(bibtex ris csl_json text_ids pdf hf_json arxiv_atom biorxiv_json crossref_json feed_xml openreview_json zotero_prefs zotero_db)
seed() {
  local t=$1 dir=fuzz/corpus/$1
  mkdir -p "$dir"
  case $t in
    bibtex) cp tests/fixtures/import_samples/*.bib "$dir"/ ;;
    ris) cp tests/fixtures/import_samples/*.ris "$dir"/ ;;
    csl_json) cp tests/fixtures/import_samples/*.json "$dir"/ ;;
    text_ids) cp tests/fixtures/import_samples/*.md "$dir"/ ;;
    pdf) cp tests/fixtures/import_samples/*.pdf "$dir"/ ;;
    hf_json) cp tests/fixtures/sources/hf_*.json "$dir"/ ;;
    arxiv_atom) cp tests/fixtures/sources/arxiv_*.xml tests/fixtures/sources/fastpaper_arxiv_search.xml "$dir"/ ;;
    biorxiv_json) cp tests/fixtures/sources/*biorxiv_details*.json tests/fixtures/sources/*medrxiv*.json "$dir"/ ;;
    crossref_json) cp tests/fixtures/sources/works_* "$dir"/ ;;
    feed_xml) cp tests/fixtures/sources/*.rdf tests/fixtures/sources/*rss1.xml tests/fixtures/sources/arxiv_*.xml "$dir"/ ;;
    openreview_json) cp tests/fixtures/sources/*openreview*.json "$dir"/ ;;
    zotero_prefs) printf '[Profile0]\nName=default\nIsRelative=1\nPath=Profiles/a.default\nDefault=1\n\0user_pref("extensions.zotero.dataDir", "D:\\\\Zotero");\nuser_pref("extensions.zotero.useDataDir", true);\n' > "$dir/profile" ;;
    zotero_db) cp tests/fixtures/zotero/*.sqlite "$dir"/ && unzip -o -q tests/fixtures/zotero/zotero-4.0.sqlite.zip -d "$dir" && mv "$dir/zotero.sqlite" "$dir/zotero4.sqlite" ;;
  esac
}
failed=()
for t in "${targets[@]}"; do
  seed "$t"
  echo "== $t ($secs s)"
  if (cd fuzz && cargo +nightly fuzz run "$t" "corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 > "../target/fuzz-$t.log" 2>&1); then
    grep -E "^Done [0-9]+ runs" "target/fuzz-$t.log" || true
  else
    failed+=("$t")
    grep -E "panicked at|ERROR: libFuzzer|SUMMARY" "target/fuzz-$t.log" | head -n 3
    ls fuzz/artifacts/"$t"/ 2>/dev/null | sed "s|^|  artifact: fuzz/artifacts/$t/|"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "crashes in: ${failed[*]}"
  exit 1
fi
echo "no crashes"

