#!/usr/bin/env bash
# Runs the Tauri CLI (npm @tauri-apps/cli, pinned to the tauri crate's version) for this layout:
# the shell crate and tauri.conf.json in src-tauri/, the web UI in ui/ (its before*Command run
# there). Examples: scripts/tauri.sh dev | scripts/tauri.sh build --bundles deb,rpm
set -euo pipefail
cd "$(dirname "$0")/.."
export TAURI_APP_PATH="$PWD/src-tauri" TAURI_FRONTEND_PATH="$PWD/ui"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kura/target}"
exec npx --yes @tauri-apps/cli@2.12.5 "$@"
