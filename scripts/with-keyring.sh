#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring Secret Service,
# so Kura's keychain code runs for real on a headless machine. Uses a scratch HOME for the
# keyring files (a leftover login.keyring with another password would prompt and hang).
# Usage: scripts/with-keyring.sh COMMAND [ARGS...]
set -euo pipefail
if [ -z "${KURA_KEYRING_INNER:-}" ]; then
  scratch="$(mktemp -d "${TMPDIR:-/tmp}/kura-keyring.XXXXXX")"
  export KURA_KEYRING_INNER=1 KURA_KEYRING_SCRATCH="$scratch"
  export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run"
  mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  rc=0
  dbus-run-session -- "$0" "$@" || rc=$?
  rm -rf "$scratch"
  exit $rc
fi
# Inside the D-Bus session: start and unlock the keyring, then run the command.
eval "$(printf 'kura-ci' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
export GNOME_KEYRING_CONTROL
# The daemon may answer before its login collection is created and unlocked; a store in between
# asks for a prompt nobody can answer ("unlock prompt was dismissed", seen on a cold machine).
# Wait until a probe secret can be stored (50 tries, 0.2 s apart, each at most 5 s), then remove it.
ready=""
for _ in $(seq 50); do
  if printf x | timeout 5 secret-tool store --label="kura keyring probe" kura-keyring-probe 1 2>/dev/null; then
    secret-tool clear kura-keyring-probe 1 || true
    ready=1
    break
  fi
  sleep 0.2
done
[ -n "$ready" ] || { echo "with-keyring: the Secret Service stored no probe secret in 50 tries" >&2; exit 1; }
exec "$@"
