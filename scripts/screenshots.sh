#!/usr/bin/env bash
# Retakes the README's screenshots of the real app (docs/screenshots/desktop-*.png) under Xvfb:
# starts a freshly seeded local stack in a scratch state dir (so no test leftovers show), runs
# tests/desktop/screenshots.py in the end-to-end test's set-up (tests/desktop/run.sh), and stops
# the stack. Needs scripts/install-deps.sh first and the usual stack ports free (devstack/down).
set -euo pipefail
cd "$(dirname "$0")/.."
. devstack/paths.sh
for port in 9400 8333 8334; do
  if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.5)" 2>/dev/null; then
    echo "screenshots: port $port is in use — stop the running stack first (devstack/down)" >&2
    exit 1
  fi
done
KURA_DEVSTACK_STATE=$(mktemp -d "${TMPDIR:-/tmp}/kura-shots-stack.XXXXXX")
export KURA_DEVSTACK_STATE
trap 'devstack/down >/dev/null || true; rm -rf "$KURA_DEVSTACK_STATE"' EXIT
devstack/up >/dev/null
KURA_E2E_PY=tests/desktop/screenshots.py tests/desktop/run.sh --out "$PWD/docs/screenshots" "$@"
