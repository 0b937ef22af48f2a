#!/usr/bin/env bash
# The desktop end-to-end test: the real Kura app (target/debug/kura-desktop, built with the bundled
# UI by scripts/install-deps.sh) on a private Xvfb display, inside a private D-Bus session with an
# unlocked gnome-keyring, driven over WebDriver (tauri-driver → WebKitWebDriver) against the
# running local stack (devstack/up). The person's browser is devstack/test-browser: it logs in as
# alice over HTTP and hands the callback to the app by launching the app binary with the URL, the
# real single-instance/deep-link path.
#
# Usage: tests/desktop/run.sh [options of the Python script]
# $KURA_E2E_PY picks another script with the same set-up (scripts/screenshots.sh uses that),
# $KURA_E2E_APP another app binary (bench/run-desktop: a release build), $KURA_E2E_TIMEOUT another
# time limit in seconds (default 420).
# Needs: Xvfb, WebKitWebDriver, tauri-driver, the devstack venv (selenium, botocore).
set -euo pipefail
cd "$(dirname "$0")/../.."
. devstack/paths.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kura/target}"
export KURA_DEVSTACK_STATE="${KURA_DEVSTACK_STATE:-$PWD/devstack/.state}"
app="${KURA_E2E_APP:-$CARGO_TARGET_DIR/debug/kura-desktop}"

missing=()
for tool in Xvfb WebKitWebDriver tauri-driver dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[ -x "$app" ] || missing+=("$app")
[ -f "$KURA_DEVSTACK_STATE/env" ] || missing+=("a running local stack (devstack/up)")
if ((${#missing[@]})); then
  echo "desktop e2e: missing ${missing[*]} — run scripts/install-deps.sh and devstack/up" >&2
  exit 1
fi

if [ -z "${KURA_E2E_INNER:-}" ]; then
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/kura-e2e.XXXXXX")
  # A free display, chosen by Xvfb itself (-displayfd).
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$scratch/display" 2>"$scratch/xvfb.log" &
  xvfb=$!
  trap 'kill $xvfb 2>/dev/null || true; rm -rf "$scratch"' EXIT
  for _ in $(seq 100); do [ -s "$scratch/display" ] && break; sleep 0.05; done
  [ -s "$scratch/display" ] || { cat "$scratch/xvfb.log" >&2; echo "Xvfb did not start" >&2; exit 1; }
  export DISPLAY=":$(head -1 "$scratch/display")" KURA_E2E_INNER=1 KURA_E2E_SCRATCH=$scratch
  rc=0
  scripts/with-keyring.sh "$0" "$@" || rc=$?
  exit $rc
fi

# Inside: D-Bus session + keyring + display. The app inherits this environment through
# tauri-driver and WebKitWebDriver, and so does the second instance the test browser launches.
. "$KURA_DEVSTACK_STATE/env"
if [ -z "${KURA_E2E_PY:-}" ]; then
  unset KURA_CONFIG KURA_PROFILE
  # Debug builds answer their file dialogs from this file instead of showing them (chosen.rs):
  # the test writes the paths a person would pick, then calls the dialog's command.
  export KURA_TEST_CHOOSE="$KURA_E2E_SCRATCH/choose"
else
  export KURA_PROFILE=local
fi
export KURA_LOG="${KURA_LOG:-info,kura_desktop=debug}"
export KURA_STATE_DIR="$KURA_E2E_SCRATCH/state"
export BROWSER="$PWD/devstack/test-browser"
export KURA_TEST_USER=alice KURA_TEST_PASSWORD=alice-password
export KURA_TEST_USER_FILE="$KURA_E2E_SCRATCH/test-user"
printf 'alice alice-password\n' >"$KURA_TEST_USER_FILE"
export KURA_TEST_DELIVER="$app"
export KURA_TEST_BROWSER_LOG="$KURA_E2E_SCRATCH/browser.log"
export XDG_CONFIG_HOME="$KURA_E2E_SCRATCH/config" XDG_CACHE_HOME="$KURA_E2E_SCRATCH/cache"
mkdir -p "$KURA_STATE_DIR" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"

# tauri-driver on free ports (it proxies to WebKitWebDriver on --native-port). A port found free
# can be taken before tauri-driver binds it (an outgoing connection's ephemeral port): then
# tauri-driver exits and the next pair is tried.
up=""
for _ in 1 2 3 4 5; do
  read -r port native_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
  tauri-driver --port "$port" --native-port "$native_port" >"$KURA_E2E_SCRATCH/driver.log" 2>&1 &
  driver=$!
  trap 'kill $driver 2>/dev/null || true' EXIT
  for _ in $(seq 300); do
    kill -0 "$driver" 2>/dev/null || break
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then
      up=1
      break
    fi
    sleep 0.1
  done
  [ -n "$up" ] && break
  kill "$driver" 2>/dev/null || true
  echo "desktop e2e: tauri-driver did not start on port $port: $(tail -1 "$KURA_E2E_SCRATCH/driver.log")" >&2
done
if [ -z "$up" ]; then
  echo "desktop e2e: tauri-driver did not start" >&2
  exit 1
fi

rc=0
# A hung WebDriver session must not hang CI: the whole scenario gets 7 minutes.
timeout --kill-after=10 "${KURA_E2E_TIMEOUT:-420}" "$KURA_VENV/bin/python" "${KURA_E2E_PY:-tests/desktop/e2e.py}" --driver "http://127.0.0.1:$port" --app "$app" "$@" || rc=$?
if [ "$rc" != 0 ]; then
  echo "---- tauri-driver / app log (last 60 lines)"
  tail -60 "$KURA_E2E_SCRATCH/driver.log" || true
  echo "---- test browser log"
  cat "$KURA_TEST_BROWSER_LOG" 2>/dev/null || true
fi
exit $rc
