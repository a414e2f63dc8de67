#!/usr/bin/env bash
# Everything a fresh Debian/Ubuntu machine needs, then every check:
# formatting, lints (warnings are errors), the UI type-check, and all tests — unit,
# CLI end-to-end on the real model, command tests on Tauri's mock runtime, and the
# real app driven over WebDriver under Xvfb.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy

step() { printf '\033[1;34m[test]\033[0m %s\n' "$*"; }
step "cargo fmt --check"
cargo fmt --all --check
step "cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --quiet -- -D warnings
step "UI type-check"
npm --prefix ui run --silent typecheck
step "cargo test --workspace"
# A private session bus: GLib would otherwise start dbus-daemons that outlive the app.
dbus-run-session -- cargo test --workspace
if [ "${PAPERSIFT_TEST_PACKAGE:-0}" = "1" ]; then
  # The installable package: a release build (about 20 minutes cold), so not by default.
  step "package (scripts/package.sh --test)"
  bash scripts/package.sh --test
fi
