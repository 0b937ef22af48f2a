#!/usr/bin/env bash
# Kura demo on a fresh Debian 12 machine: installs everything (scripts/install-deps.sh), starts
# the local stack (devstack/up), then — inside a private D-Bus session with an unlocked
# gnome-keyring (scripts/with-keyring.sh), so the OS keychain is real — signs in as alice and runs
# Kura's main job, printing each command first (`+ kura whoami`). Then, on a machine with a
# display, it opens the desktop app on the same stack, signed out, ready for alice to sign in
# with the user's own browser and keychain; without a display it says how to see the app.
#
# Environment:
#   KURA_DEMO_BROWSER  browser command for `kura login` (URL appended), e.g. `firefox`; default:
#                      devstack/test-browser, which signs in as alice without a person.
#   CARGO_TARGET_DIR   where install-deps.sh builds kura (default ~/.cache/kura/target).
#   KURA_DEMO_DESKTOP  0: do not open the desktop app.
# The CLI part touches nothing of the user's own: Kura's config/cache dirs, HOME for kura, and the
# AWS CLI config live in a scratch directory that is deleted at the end. The desktop part uses
# the user's keychain (profile "local" only) and registers the app as the app.kura.desktop:
# handler, as an installed Kura would. The stack is left running.
# Exits non-zero as soon as a step fails.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../devstack/paths.sh
. "$ROOT/devstack/paths.sh" # weed and aws live in a virtualenv
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/kura/target}
STATE=${KURA_DEVSTACK_STATE:-$ROOT/devstack/.state}
KURA_BIN=$CARGO_TARGET_DIR/debug/kura
DESKTOP_BIN=$CARGO_TARGET_DIR/debug/kura-desktop

# ---------------------------------------------------------------------------------------------
# Inside the keyring session (re-invoked by with-keyring.sh below).
# ---------------------------------------------------------------------------------------------
if [[ "${1:-}" == "--inner" ]]; then
  SCRATCH=$KURA_DEMO_SCRATCH
  cd "$SCRATCH"

  # Everything Kura or the AWS CLI might write goes to the scratch dir; the profile is set up
  # below with `kura profile add`, as a new user would (no file edited by hand).
  export KURA_CONFIG="$SCRATCH/config.toml" KURA_PROFILE=local
  export XDG_CONFIG_HOME="$SCRATCH/config" XDG_CACHE_HOME="$SCRATCH/cache" KURA_STATE_DIR="$SCRATCH/kura-state"
  export AWS_CONFIG_FILE="$SCRATCH/aws-config" AWS_SHARED_CREDENTIALS_FILE="$SCRATCH/aws-credentials"
  unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN \
    AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 AWS_CA_BUNDLE KURA_LOG
  export AWS_EC2_METADATA_DISABLED=true
  mkdir -p "$SCRATCH/home" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"

  # `kura ...` runs the built binary with a scratch HOME.
  kura() { HOME="$SCRATCH/home" "$KURA_BIN" "$@"; }
  # step CMD...: prints `+ CMD...`, then runs it.
  step() {
    printf '\n+ %s\n' "$*"
    "$@"
  }
  # Masks the secret values of credential_process JSON and of presigned URLs.
  mask() {
    sed -E \
      -e 's/("(SecretAccessKey|SessionToken)": *")[^"]*"/\1****"/g' \
      -e 's/(X-Amz-(Signature|Security-Token)=)[^&[:space:]]*/\1****/g' \
      -e 's/(SigninToken=)[^&[:space:]]*/\1****/g'
  }
  fail() {
    printf 'demo: FAILED: %s\n' "$*" >&2
    exit 1
  }

  # -- set up a profile: the Auth0 preset pointed at the local stack, checked first --------------
  issuer=$(sed -n "s/^export KURA_DEVSTACK_ISSUER='\(.*\)'$/\1/p" "$STATE/env")
  role_arn=$(sed -n "s/^export KURA_DEVSTACK_ROLE_ARN='\(.*\)'$/\1/p" "$STATE/env")
  step kura profile add --preset auth0 --domain "${issuer%/}" --name local --client-id kura-desktop \
    --role-arn "$role_arn" --bucket kura --region us-east-1 --s3-endpoint http://127.0.0.1:8333 \
    --sts-endpoint http://127.0.0.1:8333 --path-style --check </dev/null
  step kura profile list
  step kura profile show local --policies

  # -- sign in ---------------------------------------------------------------------------------
  if [[ -n "${KURA_DEMO_BROWSER:-}" ]]; then
    # A person signs in with a real browser. with-keyring.sh replaced XDG_RUNTIME_DIR and the
    # D-Bus session; give the browser the user's own back (Wayland/X11 need them).
    cat >"$SCRATCH/browser" <<EOF
#!/usr/bin/env bash
export XDG_RUNTIME_DIR=$(printf '%q' "${KURA_DEMO_ORIG_XDG_RUNTIME_DIR:-}")
export DBUS_SESSION_BUS_ADDRESS=$(printf '%q' "${KURA_DEMO_ORIG_DBUS:-}")
[ -n "\$XDG_RUNTIME_DIR" ] || unset XDG_RUNTIME_DIR
[ -n "\$DBUS_SESSION_BUS_ADDRESS" ] || unset DBUS_SESSION_BUS_ADDRESS
exec $KURA_DEMO_BROWSER "\$@"
EOF
    chmod +x "$SCRATCH/browser"
    export BROWSER="$SCRATCH/browser"
    echo "demo: your browser will open; sign in as alice / alice-password"
    login_args=()
  else
    export BROWSER="$ROOT/devstack/test-browser" KURA_TEST_USER=alice KURA_TEST_PASSWORD=alice-password
    login_args=(--timeout 60)
  fi
  step kura login "${login_args[@]}"
  step kura whoami
  prefix=$(kura whoami --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["prefix"])')
  [[ "$prefix" == "users/auth0|alice0001/" ]] || fail "unexpected prefix $prefix"

  # -- files -------------------------------------------------------------------------------------
  step kura ls
  report=kura-demo-report.txt
  {
    echo "Kura demo report"
    echo "generated: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname)"
    echo "signed in as: auth0|alice0001"
    echo "random: $(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  } >"$SCRATCH/$report"
  step kura put "$report" docs/
  step kura ls docs/
  kura ls docs/ | grep -qF " $report" || fail "$report is not listed in docs/"
  mkdir -p "$SCRATCH/downloads"
  step kura get "docs/$report" downloads
  step sha256sum "$report" "downloads/$report"
  [[ "$(sha256sum <"$report")" == "$(sha256sum <"downloads/$report")" ]] || fail "checksums differ"
  echo "checksums match"

  # -- credentials for other tools ----------------------------------------------------------------
  printf '\n+ %s\n' "kura credential-process   (secrets masked here)"
  creds=$(kura credential-process)
  mask <<<"$creds"
  python3 -c 'import json,sys
c = json.loads(sys.argv[1])
assert c["Version"] == 1 and all(c.get(k) for k in ("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration")), c.keys()' "$creds" ||
    fail "credential-process output is not credential_process JSON"
  unset creds

  cat >"$AWS_CONFIG_FILE" <<EOF
[profile kura]
region = us-east-1
credential_process = $(printf '%q' "$KURA_BIN") --config $(printf '%q' "$KURA_CONFIG") --profile local credential-process
EOF
  : >"$AWS_SHARED_CREDENTIALS_FILE"
  printf '\n+ cat %s\n' "$AWS_CONFIG_FILE"
  cat "$AWS_CONFIG_FILE"
  export AWS_PROFILE=kura
  step aws s3 ls "s3://kura/$prefix" --endpoint-url http://127.0.0.1:8333
  printf '\n+ %s\n' "aws s3 ls s3://kura/users/auth0|bob0002/ --endpoint-url http://127.0.0.1:8333   (must be denied)"
  if out=$(aws s3 ls "s3://kura/users/auth0|bob0002/" --endpoint-url http://127.0.0.1:8333 2>&1); then
    echo "$out"
    fail "alice could list bob's folder"
  fi
  echo "$out"
  grep -q AccessDenied <<<"$out" || fail "expected AccessDenied for bob's folder"
  echo "denied, as it should be: the role's policy only allows alice's own prefix"
  unset AWS_PROFILE

  # -- presigned URL ---------------------------------------------------------------------------------
  printf '\n+ %s\n' "kura presign docs/$report --expires 600   (signature and session token masked here)"
  url=$(kura presign "docs/$report" --expires 600)
  mask <<<"$url"
  printf '\n+ %s\n' "curl -fsS '<that URL>' | sha256sum"
  [[ "$(curl -fsS "$url" | sha256sum)" == "$(sha256sum <"$report")" ]] || fail "the presigned URL did not return the file"
  echo "the presigned URL returns the same bytes"
  unset url

  # -- the AWS console, signed in with the same temporary credentials ------------------------------
  # On AWS the default federation endpoint is right; here the profile points at the stack's
  # stand-in (the profile table is the file's last, so an appended key belongs to it).
  federation=$(sed -n "s/^export KURA_DEVSTACK_FEDERATION_ENDPOINT='\(.*\)'$/\1/p" "$STATE/env")
  printf 'federation_endpoint = "%s"\n' "$federation" >>"$KURA_CONFIG"
  printf '\n+ %s\n' "kura console --print   (sign-in token masked here; the stack's federation stand-in)"
  url=$(kura console --print 2>/dev/null)
  mask <<<"$url"
  printf '\n+ %s\n' "curl -fsS '<that URL>'   (the stand-in accepts the token once)"
  curl -fsS -o /dev/null "$url" || fail "the federation stand-in refused the console sign-in URL"
  echo "accepted"
  unset url

  # -- an Amazon Cognito identity pool instead of a role (the stack's Cognito Identity stand-in) --
  pool=$(sed -n "s/^export KURA_DEVSTACK_IDENTITY_POOL='\(.*\)'$/\1/p" "$STATE/env")
  cognito=$(sed -n "s/^export KURA_DEVSTACK_COGNITO_ENDPOINT='\(.*\)'$/\1/p" "$STATE/env")
  step kura profile add --preset auth0 --domain "${issuer%/}" --name pool --client-id kura-desktop \
    --identity-pool-id "$pool" --cognito-endpoint "$cognito" --bucket kura --region us-east-1 \
    --s3-endpoint http://127.0.0.1:8333 --sts-endpoint http://127.0.0.1:8333 --path-style </dev/null
  step kura --profile pool login "${login_args[@]}"
  step kura --profile pool whoami
  pool_prefix=$(kura --profile pool whoami --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["prefix"])')
  [[ "$pool_prefix" == cognito/us-east-1:* ]] || fail "unexpected identity pool prefix $pool_prefix"
  step kura --profile pool put "$report" /
  step kura --profile pool ls
  kura --profile pool ls | grep -qF " $report" || fail "$report is not listed in the identity's folder"
  step kura --profile pool logout

  # -- sign out ------------------------------------------------------------------------------------
  step kura logout
  printf '\n+ %s\n' "kura whoami   (expected: not signed in, exit code 3)"
  rc=0
  kura whoami || rc=$?
  [[ $rc -eq 3 ]] || fail "whoami after logout exited $rc, expected 3"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# Outside: install, start the stack, run the above in a keyring session.
# ---------------------------------------------------------------------------------------------
cd "$ROOT"
echo "demo: installing dependencies and building kura (scripts/install-deps.sh)"
bash scripts/install-deps.sh
[[ -x "$KURA_BIN" ]] || { echo "demo: $KURA_BIN was not built" >&2; exit 1; }

echo
echo "demo: starting the local stack (devstack/up)"
devstack/up
[[ -f "$STATE/config.toml" ]] || { echo "demo: $STATE/config.toml is missing" >&2; exit 1; }

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/kura-demo.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
echo
echo "demo: running Kura as alice in a private keyring session (scratch dir $SCRATCH)"
KURA_DEMO_SCRATCH=$SCRATCH KURA_DEMO_ORIG_XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-} \
  KURA_DEMO_ORIG_DBUS=${DBUS_SESSION_BUS_ADDRESS:-} \
  bash scripts/with-keyring.sh bash "$ROOT/scripts/demo.sh" --inner

cat <<EOF

demo: all steps passed. The local stack is still running:
  IdP  http://127.0.0.1:9400/   S3+STS  http://127.0.0.1:8333   bucket kura
  users: alice / alice-password, bob / bob-password

Use it yourself (on a desktop with a keychain; \`kura login\` opens your browser):
  . $STATE/env      # exports KURA_CONFIG and the KURA_DEVSTACK_* variables
  alias kura=$KURA_BIN
  kura login && kura ls
  kura logout

Stop it:
  devstack/down            # --wipe also deletes $STATE
EOF

# ---------------------------------------------------------------------------------------------
# The desktop app: on a machine with a display, open it on the same stack, signed out.
# ---------------------------------------------------------------------------------------------
[[ "${KURA_DEMO_DESKTOP:-1}" != 0 ]] || exit 0
if [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  cat <<EOF

demo: no display here, so the desktop app is not opened. On a desktop, run this script again
(or: KURA_CONFIG=$STATE/config.toml KURA_PROFILE=local $DESKTOP_BIN).
The README's screenshots are of that app (scripts/screenshots.sh retakes them under Xvfb).
EOF
  exit 0
fi
[[ -x "$DESKTOP_BIN" ]] || { echo "demo: $DESKTOP_BIN was not built" >&2; exit 1; }
export KURA_CONFIG="$STATE/config.toml" KURA_PROFILE=local
[[ -z "${KURA_DEMO_BROWSER:-}" ]] || export BROWSER="$KURA_DEMO_BROWSER"
# Signed out: forget a session an earlier run may have left in this profile of your keychain.
"$KURA_BIN" logout >/dev/null 2>&1 || true
cat <<EOF

demo: opening the Kura desktop app on the local stack (profile "local"), signed out.
  Click "Sign in"; your browser opens the stack's IdP: log in as alice / alice-password.
  The browser hands the app.kura.desktop:/callback link back to Kura (the app registers
  itself as that scheme's handler) and Kura shows alice's files; the session is kept in
  your keychain. Closing the window keeps Kura in the tray: quit from its menu (or Ctrl+C).
EOF
rm -rf "$SCRATCH"
trap - EXIT
exec "$DESKTOP_BIN"
