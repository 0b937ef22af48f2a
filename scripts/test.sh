#!/usr/bin/env bash
# The test command (README): installs what is missing, starts the local stack unless it is
# already running, runs every test — unit tests and end-to-end tests against the real IdP and
# S3/STS — inside a private D-Bus session with a real Secret Service keychain, and stops the
# stack if this script started it.
set -euo pipefail
cd "$(dirname "$0")/.."
. devstack/paths.sh # weed and aws live in a virtualenv
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kura/target}"
export KURA_DEVSTACK_STATE="${KURA_DEVSTACK_STATE:-$PWD/devstack/.state}"

scripts/install-deps.sh

up_out=$(devstack/up) || { echo "$up_out"; exit 1; }
echo "$up_out"
# Stop the stack at the end only if this run started (part of) it.
if ! grep -q "already running" <<<"$up_out"; then
  trap 'devstack/down || true' EXIT
fi

# Lock files and test scratch stay out of the user's own dirs.
export KURA_STATE_DIR="${KURA_STATE_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/kura-test-state.XXXXXX")}"
log=$(mktemp "${TMPDIR:-/tmp}/kura-test.XXXXXX")
{
  rc=0
  echo "== Rust: unit tests and end-to-end tests against the real stack"
  scripts/with-keyring.sh cargo test --locked --workspace --no-fail-fast -- --test-threads 8 || rc=$?
  if [ -f ui/package.json ]; then
    echo "== UI unit tests (Vitest)"
    (cd ui && npm test --silent) || rc=$?
  fi
  if [ -x tests/desktop/run.sh ]; then
    echo "== desktop end-to-end test (the real app under Xvfb, WebDriver)"
    tests/desktop/run.sh || rc=$?
  fi
  echo "$rc" >"$log.rc"
} 2>&1 | tee "$log"
rc=$(cat "$log.rc")
# One closing line for the whole run: cargo's "test result" lines, Vitest's "Tests  N passed",
# node's test runner "# pass N" / "# fail N".
sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
  /^test result:/ { for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  /^ *Tests +[0-9]/ { for (i = 2; i < NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  /^# pass [0-9]+$/ { p += $3 }
  /^# fail [0-9]+$/ { f += $3 }
  END { printf "summary: %d passed, %d failed\n", p, f }'
rm -f "$log" "$log.rc"
exit "$rc"
