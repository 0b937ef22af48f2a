#!/usr/bin/env python3
"""Writes the devstack's generated configuration into the state dir (called by devstack/up).

Secrets are made once per state dir and kept in secrets.json (mode 600, never committed):
the static S3 admin identity and the STS signing key. Every run rewrites the derived files:
  s3.json          static identities for SeaweedFS (admin only)
  iam.json         STS + OIDC providers (the IdP, the Cognito Identity stand-in) + roles KuraUser
                   (per-user and per-tenant policy) and KuraCognitoAuth (per-identity policy) (8333)
  iam-short.json   the same with credentials capped at 30 s, for the second gateway (8334)
  cognito/pools.json  the identity pools of the Cognito Identity stand-in (devstack/cognito)
  config.toml      a Kura config with profiles local, local-short, local-shortid, local-pool,
                   local-pool-basic
  env              shell-sourceable KURA_DEVSTACK_* variables

usage: make-config.py STATE_DIR ISSUER
"""

import base64
import json
import os
import secrets
import string
import sys

BUCKET = "kura"
ROLE_NAME = "KuraUser"
ROLE_ARN = f"arn:aws:iam::role/{ROLE_NAME}"  # the form SeaweedFS' STS resolves (no account id)
PROVIDER = "kura-idp"
# Every client of devstack/idp/clients.mjs: STS trusts their ID tokens (aud) for the role.
CLIENT_IDS = ["kura-desktop", "kura-shortlived", "kura-exactport", "kura-confirm", "kura-cognito", "kura-faults"]
# The loopback ports registered for kura-exactport (keep equal to EXACT_PORTS in clients.mjs).
EXACT_PORTS = [47180, 47181, 47182, 47183, 47184]
# The localhost ports registered for kura-cognito (keep equal to COGNITO_PORTS in clients.mjs).
COGNITO_PORTS = [47190, 47191, 47192, 47193, 47194]
S3_PORT, S3_SHORT_PORT = 8333, 8334
FEDERATION_PORT = 9410

# The Cognito Identity stand-in (devstack/cognito/server.mjs). Its issuer has no trailing slash,
# like https://cognito-identity.amazonaws.com; SeaweedFS knows it as a second OIDC provider.
COGNITO_PORT = 9420
COGNITO_ISSUER = f"http://127.0.0.1:{COGNITO_PORT}"
COGNITO_PROVIDER = "cognito-identity"
COGNITO_ROLE_NAME = "KuraCognitoAuth"
COGNITO_ROLE_ARN = f"arn:aws:iam::role/{COGNITO_ROLE_NAME}"
REGION = "us-east-1"
# Fixed identity pool ids (REGION:GUID, like AWS's). MAIN and SHORT allow the basic (classic)
# flow; SHORT's STS is the 30-second gateway; NOCLASSIC only allows the enhanced flow.
POOL_MAIN = f"{REGION}:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001"
POOL_SHORT = f"{REGION}:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610002"
POOL_NOCLASSIC = f"{REGION}:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610003"
POOL_IDS = [POOL_MAIN, POOL_SHORT, POOL_NOCLASSIC]
USERS = [("alice", "alice-password", "auth0|alice0001"), ("bob", "bob-password", "auth0|bob0002"),
         ("carol", "carol-password", "auth0|carol0003"), ("dave", "dave-password", "auth0|dave0004")]


def write(path, text, mode=0o644):
    tmp = f"{path}.tmp"
    with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def load_secrets(state):
    path = os.path.join(state, "secrets.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    alnum = string.ascii_uppercase + string.digits
    made = {
        "admin_access_key": "KURAADMIN" + "".join(secrets.choice(alnum) for _ in range(11)),
        "admin_secret_key": secrets.token_urlsafe(30)[:40],
        "sts_signing_key": base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    write(path, json.dumps(made, indent=2) + "\n", 0o600)
    return made


BUCKET_ARN = f"arn:aws:s3:::{BUCKET}"
OBJECT_ACTIONS = [
    "s3:GetObject", "s3:PutObject", "s3:DeleteObject",
    "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts",
]
# GetBucketLocation on the bucket, granted to every session.
BUCKET_LOCATION = {
    "Sid": "BucketLocation",
    "Effect": "Allow",
    "Action": ["s3:GetBucketLocation"],
    "Resource": [BUCKET_ARN],
}


def prefix_statements(list_sid, objects_sid, prefix, list_actions):
    """Allow listing `prefix` (s3:prefix condition) and the object actions under it."""
    return [
        {
            "Sid": list_sid,
            "Effect": "Allow",
            "Action": list_actions,
            "Resource": [BUCKET_ARN],
            "Condition": {"StringLike": {"s3:prefix": [prefix, prefix + "*"]}},
        },
        {
            "Sid": objects_sid,
            "Effect": "Allow",
            "Action": OBJECT_ACTIONS,
            "Resource": [f"{BUCKET_ARN}/{prefix}*"],
        },
    ]


def user_policy():
    """Confines a web-identity session to users/<its sub>/ of the bucket, plus its tenant's shared
    folder tenants/<tenant>/shared/.

    ${jwt:sub} is SeaweedFS' policy variable for the ID token's sub claim (on AWS the same
    variable is ${ISSUER_HOST/:sub}). An unknown variable would stay literal text, giving all
    users one shared prefix, so the policy uses exactly this spelling.

    ${jwt:tenant} is the ID token's custom `tenant` claim: it stands in for AWS's
    ${aws:PrincipalTag/tenant} (a session tag from the `https://aws.amazon.com/tags` claim), which
    SeaweedFS cannot evaluate. SeaweedFS 4.48 leaves ${jwt:tenant} as literal text for a token
    without the claim (tried: dave could write tenants/${jwt:tenant}/shared/x), so the last two
    statements deny every key and listing under a tenant segment starting with `$`: no object can
    live under the literal prefix. (A Deny spelled with ${jwt:tenant} would deny real tenants.)"""
    home = "users/${jwt:sub}/"
    team = "tenants/${jwt:tenant}/shared/"
    own = prefix_statements("ListOwnPrefix", "OwnObjects", home, ["s3:ListBucket", "s3:ListBucketMultipartUploads"])
    shared = prefix_statements("ListTenantShared", "TenantSharedObjects", team, ["s3:ListBucket"])
    bucket_arn = BUCKET_ARN
    return {
        "Version": "2012-10-17",
        "Statement": [
            own[0],
            BUCKET_LOCATION,
            own[1],
            *shared,
            {
                "Sid": "DenyUnsubstitutedTenant",
                "Effect": "Deny",
                "Action": ["s3:*"],
                "Resource": [f"{bucket_arn}/tenants/$*"],
            },
            {
                "Sid": "DenyListUnsubstitutedTenant",
                "Effect": "Deny",
                "Action": ["s3:ListBucket", "s3:ListBucketMultipartUploads"],
                "Resource": [bucket_arn],
                "Condition": {"StringLike": {"s3:prefix": ["tenants/$*"]}},
            },
        ],
    }


def cognito_policy():
    """Confines a Cognito identity's session to cognito/<its identity id>/ of the bucket.

    The stand-in's OpenID token has sub = the identity id (`us-east-1:<uuid>`), so ${jwt:sub} is
    the identity id here; on AWS the same policy says ${cognito-identity.amazonaws.com:sub}.
    Same actions as KuraUserPrefix's own-prefix statements."""
    home = "cognito/${jwt:sub}/"
    own = prefix_statements(
        "ListOwnIdentityPrefix", "OwnIdentityObjects", home, ["s3:ListBucket", "s3:ListBucketMultipartUploads"]
    )
    return {"Version": "2012-10-17", "Statement": [own[0], BUCKET_LOCATION, own[1]]}


def web_identity_trust(provider, audiences):
    """A trust policy for AssumeRoleWithWebIdentity by tokens of `provider` (the SeaweedFS
    provider name, matched by the token's iss) whose aud is one of `audiences`."""
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": provider},
            "Action": ["sts:AssumeRoleWithWebIdentity"],
            "Condition": {"StringEquals": {"oidc:aud": audiences}},
        }],
    }


def iam_config(issuer, signing_key, token_duration, max_session):
    return {
        "sts": {
            # tokenDuration is the default when DurationSeconds is not sent; maxSessionLength
            # caps a requested DurationSeconds (a longer request is cut, not refused).
            "tokenDuration": token_duration,
            "maxSessionLength": max_session,
            "issuer": "seaweedfs-sts",
            "signingKey": signing_key,
        },
        "policy": {"defaultEffect": "Deny", "storeType": "memory"},
        "providers": [
            {
                "name": PROVIDER,
                "type": "oidc",
                "enabled": True,
                "config": {
                    "issuer": issuer,  # must equal the ID token's iss exactly (trailing slash!)
                    "clientIds": CLIENT_IDS,
                    "jwksUri": issuer.rstrip("/") + "/.well-known/jwks.json",
                },
            },
            {
                # The Cognito Identity stand-in: its OpenID tokens have aud = the pool id.
                "name": COGNITO_PROVIDER,
                "type": "oidc",
                "enabled": True,
                "config": {
                    "issuer": COGNITO_ISSUER,
                    "clientIds": POOL_IDS,
                    "jwksUri": COGNITO_ISSUER + "/.well-known/jwks.json",
                },
            },
        ],
        "roles": [
            {
                "roleName": ROLE_NAME,
                "roleArn": ROLE_ARN,
                "description": "Kura desktop users: read/write their own users/<sub>/ prefix",
                "trustPolicy": web_identity_trust(PROVIDER, CLIENT_IDS),
                "attachedPolicies": ["KuraUserPrefix"],
            },
            {
                "roleName": COGNITO_ROLE_NAME,
                "roleArn": COGNITO_ROLE_ARN,
                "description": "Identities of the devstack identity pools: their own cognito/<identity id>/",
                "trustPolicy": web_identity_trust(COGNITO_PROVIDER, POOL_IDS),
                "attachedPolicies": ["KuraCognitoPrefix"],
            },
        ],
        "policies": [
            {"name": "KuraUserPrefix", "document": user_policy()},
            {"name": "KuraCognitoPrefix", "document": cognito_policy()},
        ],
    }


def pools_config(issuer):
    """The stand-in's identity pools (read by devstack/cognito/server.mjs at start).

    `providers` is the pool's SupportedLoginProviders: the Logins key (the issuer without scheme
    and trailing slash, as AWS names an OIDC provider) -> issuer, accepted client ids (aud) and
    JWKS. `sts` is where the enhanced flow calls AssumeRoleWithWebIdentity with
    `authenticatedRole`."""
    provider = {
        "issuer": issuer,
        "clientIds": CLIENT_IDS,
        "jwksUri": issuer.rstrip("/") + "/.well-known/jwks.json",
    }

    def pool(name, classic, sts_port):
        return {
            "name": name,
            "allowClassicFlow": classic,
            "authenticatedRole": COGNITO_ROLE_ARN,
            "sts": f"http://127.0.0.1:{sts_port}",
            "providers": {identity_provider(issuer): provider},
        }
    return {
        "issuer": COGNITO_ISSUER,
        "region": REGION,
        "pools": {
            POOL_MAIN: pool("kura-devstack", True, S3_PORT),
            POOL_SHORT: pool("kura-devstack-short", True, S3_SHORT_PORT),
            POOL_NOCLASSIC: pool("kura-devstack-noclassic", False, S3_PORT),
        },
    }


def identity_provider(issuer):
    """The Logins key of the local IdP: its issuer without scheme and trailing slash."""
    return issuer.split("://", 1)[1].rstrip("/")


def kura_config(issuer):
    def profile(name, client_id, port):
        endpoint = f"http://127.0.0.1:{port}"
        return f"""[profiles.{name}]
issuer = "{issuer}"
client_id = "{client_id}"
redirect_uri = "app.kura.desktop:/callback"
role_arn = "{ROLE_ARN}"
bucket = "{BUCKET}"
prefix = "users/{{sub}}/"
region = "us-east-1"
sts_endpoint = "{endpoint}"
s3_endpoint = "{endpoint}"
force_path_style = true
"""

    def pool_profile(name, basic):
        basic_keys = f'cognito_flow = "basic"\nrole_arn = "{COGNITO_ROLE_ARN}"\n' if basic else ""
        endpoint = f"http://127.0.0.1:{S3_PORT}"
        return f"""[profiles.{name}]
issuer = "{issuer}"
client_id = "kura-desktop"
redirect_uri = "app.kura.desktop:/callback"
identity_pool_id = "{POOL_MAIN}"
identity_provider = "{identity_provider(issuer)}"
cognito_endpoint = "{COGNITO_ISSUER}"
{basic_keys}bucket = "{BUCKET}"
prefix = "cognito/{{identity_id}}/"
region = "{REGION}"
sts_endpoint = "{endpoint}"
s3_endpoint = "{endpoint}"
force_path_style = true
"""
    return "\n".join([
        "# Generated by devstack/up; rewritten on every start.",
        "# local: normal stack; local-short: 30 s STS credentials (port 8334);",
        "# local-shortid: client kura-shortlived whose ID tokens live 20 s;",
        "# local-pool: Cognito identity pool, enhanced flow (GetId + GetCredentialsForIdentity);",
        "# local-pool-basic: the same pool, basic flow (GetOpenIdToken + AssumeRoleWithWebIdentity).",
        'default_profile = "local"\n',
        profile("local", "kura-desktop", S3_PORT),
        profile("local-short", "kura-desktop", S3_SHORT_PORT),
        profile("local-shortid", "kura-shortlived", S3_PORT),
        pool_profile("local-pool", False),
        pool_profile("local-pool-basic", True),
    ])


def env_file(state, issuer, sec):
    users = " ".join(":".join(u) for u in USERS)
    values = {
        "KURA_DEVSTACK_ISSUER": issuer,
        "KURA_DEVSTACK_S3_ENDPOINT": f"http://127.0.0.1:{S3_PORT}",
        "KURA_DEVSTACK_S3_SHORT_ENDPOINT": f"http://127.0.0.1:{S3_SHORT_PORT}",
        "KURA_DEVSTACK_FEDERATION_ENDPOINT": f"http://127.0.0.1:{FEDERATION_PORT}/federation",
        "KURA_DEVSTACK_BUCKET": BUCKET,
        "KURA_DEVSTACK_ADMIN_ACCESS_KEY": sec["admin_access_key"],
        "KURA_DEVSTACK_ADMIN_SECRET_KEY": sec["admin_secret_key"],
        "KURA_DEVSTACK_ROLE_ARN": ROLE_ARN,
        "KURA_DEVSTACK_USERS": users,
        "KURA_DEVSTACK_EXACT_PORTS": " ".join(map(str, EXACT_PORTS)),
        "KURA_DEVSTACK_COGNITO_PORTS": " ".join(map(str, COGNITO_PORTS)),
        "KURA_DEVSTACK_COGNITO_ENDPOINT": COGNITO_ISSUER,
        "KURA_DEVSTACK_IDENTITY_POOL": POOL_MAIN,
        "KURA_DEVSTACK_IDENTITY_POOL_SHORT": POOL_SHORT,
        "KURA_DEVSTACK_IDENTITY_POOL_NOCLASSIC": POOL_NOCLASSIC,
        "KURA_DEVSTACK_COGNITO_ROLE_ARN": COGNITO_ROLE_ARN,
        "KURA_DEVSTACK_IDENTITY_PROVIDER": identity_provider(issuer),
        "KURA_CONFIG": os.path.join(state, "config.toml"),
    }
    # Single quotes: safe for `|` and spaces; none of the values contains a quote.
    return "".join(f"export {k}='{v}'\n" for k, v in values.items())


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    state, issuer = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.makedirs(state, mode=0o700, exist_ok=True)
    sec = load_secrets(state)
    s3 = {"identities": [{
        "name": "kura-admin",
        "credentials": [{"accessKey": sec["admin_access_key"], "secretKey": sec["admin_secret_key"]}],
        "actions": ["Admin", "Read", "List", "Tagging", "Write"],
    }]}
    write(os.path.join(state, "s3.json"), json.dumps(s3, indent=2) + "\n", 0o600)
    # 8333: AWS-like 1 h default, up to 12 h. 8334: every session lasts at most 30 s.
    for name, duration, cap in (("iam.json", "1h", "12h"), ("iam-short.json", "30s", "30s")):
        cfg = iam_config(issuer, sec["sts_signing_key"], duration, cap)
        write(os.path.join(state, name), json.dumps(cfg, indent=2) + "\n", 0o600)
    os.makedirs(os.path.join(state, "cognito"), mode=0o700, exist_ok=True)
    write(os.path.join(state, "cognito", "pools.json"), json.dumps(pools_config(issuer), indent=2) + "\n")
    write(os.path.join(state, "config.toml"), kura_config(issuer))
    write(os.path.join(state, "env"), env_file(state, issuer, sec), 0o600)


if __name__ == "__main__":
    main()
