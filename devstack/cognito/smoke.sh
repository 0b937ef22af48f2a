#!/usr/bin/env bash
# Smoke test of the Cognito Identity stand-in with the unmodified AWS CLI (not CI; the Rust tests
# cover Kura's side). Needs a running devstack (devstack/up). Signs alice and bob in at the IdP
# (devstack/cognito/id-token: a real PKCE sign-in through devstack/test-browser), then:
#   enhanced flow  get-id + get-credentials-for-identity; alice puts/lists/gets/deletes under
#                  cognito/<her identity id>/ and is denied on bob's identity prefix and on users/
#   basic flow     get-open-id-token + sts assume-role-with-web-identity (KuraCognitoAuth)
#   pools          ids are stable and per pool; NOCLASSIC refuses the basic flow but serves the
#                  enhanced one; SHORT's credentials live at most 30 s
#   errors         bob's token on alice's identity, an unknown pool, no Logins, an expired token
#   trust          an IdP ID token cannot assume KuraCognitoAuth; a stand-in token cannot assume KuraUser
# Prints one line per check; exit 0 when all pass, 1 otherwise. Tokens and keys are never printed.
#
# usage: KURA_DEVSTACK_STATE=/work/stack-state devstack/cognito/smoke.sh   (default devstack/.state)
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DEVSTACK=$(dirname "$HERE")
# shellcheck source=../paths.sh
. "$DEVSTACK/paths.sh"
STATE=${KURA_DEVSTACK_STATE:-$DEVSTACK/.state}
[[ -f "$STATE/env" ]] || { echo "smoke: $STATE/env missing: run devstack/up first" >&2; exit 1; }
# shellcheck disable=SC1091
. "$STATE/env"
PROVIDER=$KURA_DEVSTACK_IDENTITY_PROVIDER
S3=$KURA_DEVSTACK_S3_ENDPOINT
BUCKET=$KURA_DEVSTACK_BUCKET
FAILED=0
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/kura-cognito-smoke.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

ok() { printf 'ok    %s\n' "$*"; }
bad() { printf 'FAIL  %s\n' "$*"; FAILED=1; }

# aws with no profile, no shared files; credentials only when given in the environment.
awsx() {
  env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_ENDPOINT_URL AWS_CONFIG_FILE=/dev/null \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_DEFAULT_REGION=us-east-1 aws "$@"
}
cognito() { awsx --endpoint-url "$KURA_DEVSTACK_COGNITO_ENDPOINT" --no-sign-request cognito-identity "$@"; }
logins() { printf '{"%s":"%s"}' "$PROVIDER" "$1"; }

# as CREDS_FILE CMD...: runs aws with the credentials of a JSON file {AccessKeyId, SecretKey|SecretAccessKey, SessionToken}.
as() {
  local file=$1
  shift
  local ak sk st
  ak=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["AccessKeyId"])' "$file")
  sk=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c.get("SecretKey") or c["SecretAccessKey"])' "$file")
  st=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["SessionToken"])' "$file")
  AWS_ACCESS_KEY_ID=$ak AWS_SECRET_ACCESS_KEY=$sk AWS_SESSION_TOKEN=$st awsx --endpoint-url "$S3" "$@"
}

# expect_error CODE WHAT CMD...: the command must fail with CODE in its error output.
expect_error() {
  local code=$1 what=$2 out
  shift 2
  if out=$("$@" 2>&1 >/dev/null); then
    bad "$what: succeeded, expected $code"
  elif grep -q "($code)" <<<"$out"; then
    ok "$what: $code"
  else
    bad "$what: expected $code, got: $(tail -n 1 <<<"$out")"
  fi
}

# expect_ok WHAT CMD...
expect_ok() {
  local what=$1 out
  shift
  if out=$("$@" 2>&1); then ok "$what"; else bad "$what: $(tail -n 1 <<<"$out")"; fi
}

# ---- sign-ins ------------------------------------------------------------------------------
ALICE=$("$HERE/id-token" alice) || { echo "smoke: alice's sign-in at the IdP failed" >&2; exit 1; }
BOB=$("$HERE/id-token" bob) || { echo "smoke: bob's sign-in at the IdP failed" >&2; exit 1; }
ok "ID tokens of alice and bob from the IdP (PKCE sign-in)"

POOL=$KURA_DEVSTACK_IDENTITY_POOL
A_ID=$(cognito get-id --identity-pool-id "$POOL" --logins "$(logins "$ALICE")" --query IdentityId --output text)
B_ID=$(cognito get-id --identity-pool-id "$POOL" --logins "$(logins "$BOB")" --query IdentityId --output text)
A_ID2=$(cognito get-id --identity-pool-id "$POOL" --logins "$(logins "$ALICE")" --query IdentityId --output text)
if [[ "$A_ID" =~ ^us-east-1:[0-9a-f-]{36}$ && "$A_ID" == "$A_ID2" && "$A_ID" != "$B_ID" ]]; then
  ok "get-id: alice $A_ID (stable), bob $B_ID"
else
  bad "get-id: alice '$A_ID' / '$A_ID2', bob '$B_ID'"
fi

# ---- enhanced flow ---------------------------------------------------------------------------
cognito get-credentials-for-identity --identity-id "$A_ID" --logins "$(logins "$ALICE")" \
  --query Credentials --output json >"$SCRATCH/alice.json" 2>"$SCRATCH/err" ||
  bad "get-credentials-for-identity: $(tail -n 1 "$SCRATCH/err")"
if [[ -s "$SCRATCH/alice.json" ]]; then
  left=$(python3 -c 'import json,sys,time; print(int(json.load(open(sys.argv[1]))["Expiration"] - time.time()))' "$SCRATCH/alice.json")
  ((left > 3500 && left <= 3600)) && ok "get-credentials-for-identity: credentials for ${left}s" ||
    bad "get-credentials-for-identity: credentials for ${left}s (expected ~3600)"
  echo "Kura Cognito smoke test" >"$SCRATCH/body.txt"
  KEY="cognito/$A_ID/smoke/hello.txt"
  expect_ok "enhanced: alice puts $KEY" as "$SCRATCH/alice.json" s3api put-object --bucket "$BUCKET" --key "$KEY" --body "$SCRATCH/body.txt"
  if as "$SCRATCH/alice.json" s3api list-objects-v2 --bucket "$BUCKET" --prefix "cognito/$A_ID/" --query 'Contents[].Key' --output text 2>&1 | grep -qF "$KEY"; then
    ok "enhanced: alice lists cognito/$A_ID/ and sees it"
  else
    bad "enhanced: alice's listing of cognito/$A_ID/ lacks $KEY"
  fi
  expect_ok "enhanced: alice gets it back" as "$SCRATCH/alice.json" s3api get-object --bucket "$BUCKET" --key "$KEY" "$SCRATCH/got.txt"
  cmp -s "$SCRATCH/body.txt" "$SCRATCH/got.txt" || bad "enhanced: the object read back differs"
  expect_error AccessDenied "enhanced: alice puts into bob's cognito/$B_ID/" \
    as "$SCRATCH/alice.json" s3api put-object --bucket "$BUCKET" --key "cognito/$B_ID/intruder.txt" --body "$SCRATCH/body.txt"
  expect_error AccessDenied "enhanced: alice lists bob's cognito/$B_ID/" \
    as "$SCRATCH/alice.json" s3api list-objects-v2 --bucket "$BUCKET" --prefix "cognito/$B_ID/"
  expect_error AccessDenied "enhanced: alice lists users/auth0|alice0001/" \
    as "$SCRATCH/alice.json" s3api list-objects-v2 --bucket "$BUCKET" --prefix "users/auth0|alice0001/"
  expect_error AccessDenied "enhanced: alice reads users/auth0|alice0001/welcome.txt" \
    as "$SCRATCH/alice.json" s3api get-object --bucket "$BUCKET" --key "users/auth0|alice0001/welcome.txt" "$SCRATCH/x"
  expect_ok "enhanced: alice deletes $KEY" as "$SCRATCH/alice.json" s3api delete-object --bucket "$BUCKET" --key "$KEY"
fi

# ---- basic (classic) flow ------------------------------------------------------------------------
TOKEN=$(cognito get-open-id-token --identity-id "$A_ID" --logins "$(logins "$ALICE")" --query Token --output text 2>"$SCRATCH/err") ||
  bad "get-open-id-token: $(tail -n 1 "$SCRATCH/err")"
if [[ -n "$TOKEN" ]]; then
  ok "get-open-id-token: a token for $A_ID"
  if awsx --endpoint-url "$S3" --no-sign-request sts assume-role-with-web-identity \
    --role-arn "$KURA_DEVSTACK_COGNITO_ROLE_ARN" --role-session-name smoke-basic \
    --web-identity-token "$TOKEN" --query Credentials --output json >"$SCRATCH/basic.json" 2>"$SCRATCH/err"; then
    ok "basic: assume-role-with-web-identity $KURA_DEVSTACK_COGNITO_ROLE_ARN"
    expect_ok "basic: alice lists cognito/$A_ID/" \
      as "$SCRATCH/basic.json" s3api list-objects-v2 --bucket "$BUCKET" --prefix "cognito/$A_ID/"
    expect_error AccessDenied "basic: alice lists bob's cognito/$B_ID/" \
      as "$SCRATCH/basic.json" s3api list-objects-v2 --bucket "$BUCKET" --prefix "cognito/$B_ID/"
  else
    bad "basic: assume-role-with-web-identity: $(tail -n 1 "$SCRATCH/err")"
  fi
  # ---- trust: each role takes only its own provider's tokens -------------------------------------
  expect_error AccessDenied "trust: the stand-in's token cannot assume $KURA_DEVSTACK_ROLE_ARN" \
    awsx --endpoint-url "$S3" --no-sign-request sts assume-role-with-web-identity \
    --role-arn "$KURA_DEVSTACK_ROLE_ARN" --role-session-name smoke-trust --web-identity-token "$TOKEN"
fi
expect_error AccessDenied "trust: an IdP ID token cannot assume $KURA_DEVSTACK_COGNITO_ROLE_ARN" \
  awsx --endpoint-url "$S3" --no-sign-request sts assume-role-with-web-identity \
  --role-arn "$KURA_DEVSTACK_COGNITO_ROLE_ARN" --role-session-name smoke-trust --web-identity-token "$ALICE"

# ---- pools ---------------------------------------------------------------------------------------
NC=$KURA_DEVSTACK_IDENTITY_POOL_NOCLASSIC
A_NC=$(cognito get-id --identity-pool-id "$NC" --logins "$(logins "$ALICE")" --query IdentityId --output text)
[[ -n "$A_NC" && "$A_NC" != "$A_ID" ]] && ok "pools: alice's identity in NOCLASSIC is another one ($A_NC)" ||
  bad "pools: alice's NOCLASSIC identity '$A_NC'"
expect_error InvalidParameterException "NOCLASSIC: get-open-id-token" \
  cognito get-open-id-token --identity-id "$A_NC" --logins "$(logins "$ALICE")"
expect_ok "NOCLASSIC: get-credentials-for-identity (enhanced flow)" \
  cognito get-credentials-for-identity --identity-id "$A_NC" --logins "$(logins "$ALICE")"
SHORT=$KURA_DEVSTACK_IDENTITY_POOL_SHORT
A_SH=$(cognito get-id --identity-pool-id "$SHORT" --logins "$(logins "$ALICE")" --query IdentityId --output text)
if cognito get-credentials-for-identity --identity-id "$A_SH" --logins "$(logins "$ALICE")" \
  --query Credentials --output json >"$SCRATCH/short.json" 2>"$SCRATCH/err"; then
  left=$(python3 -c 'import json,sys,time; print(int(json.load(open(sys.argv[1]))["Expiration"] - time.time()))' "$SCRATCH/short.json")
  ((left <= 30)) && ok "SHORT: credentials for ${left}s" || bad "SHORT: credentials for ${left}s (expected <= 30)"
  S3=$KURA_DEVSTACK_S3_SHORT_ENDPOINT expect_ok "SHORT: alice lists cognito/$A_SH/ on the 30-second gateway" \
    as "$SCRATCH/short.json" s3api list-objects-v2 --bucket "$BUCKET" --prefix "cognito/$A_SH/"
else
  bad "SHORT: get-credentials-for-identity: $(tail -n 1 "$SCRATCH/err")"
fi

# ---- errors ----------------------------------------------------------------------------------------
expect_error NotAuthorizedException "bob's token on alice's identity" \
  cognito get-credentials-for-identity --identity-id "$A_ID" --logins "$(logins "$BOB")"
expect_error NotAuthorizedException "get-id without Logins" cognito get-id --identity-pool-id "$POOL"
expect_error ResourceNotFoundException "an unknown pool" \
  cognito get-id --identity-pool-id "us-east-1:00000000-0000-0000-0000-000000000000" --logins "$(logins "$ALICE")"
expect_error NotAuthorizedException "a login of another provider" \
  cognito get-id --identity-pool-id "$POOL" --logins "{\"accounts.google.com\":\"$ALICE\"}"
expect_error NotAuthorizedException "the stand-in's own token as a login" \
  cognito get-id --identity-pool-id "$POOL" --logins "$(logins "$TOKEN")"
if [[ "${KURA_SMOKE_EXPIRY:-1}" != 0 ]]; then
  SHORTLIVED=$("$HERE/id-token" alice kura-shortlived) && sleep 21 &&
    expect_error NotAuthorizedException "an expired ID token (kura-shortlived, 21 s later)" \
      cognito get-id --identity-pool-id "$POOL" --logins "$(logins "$SHORTLIVED")"
fi

((FAILED == 0)) && echo "smoke: all checks passed" || echo "smoke: some checks FAILED"
exit "$FAILED"
