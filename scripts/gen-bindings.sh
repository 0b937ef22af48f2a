#!/usr/bin/env bash
# Regenerates ui/src/bindings/*.ts from the Rust IPC types in crates/kura-ipc (ts-rs).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kura/target}"
mkdir -p ui/src/bindings
KURA_WRITE_BINDINGS=1 cargo test -p kura-ipc bindings_are_current
ls ui/src/bindings
