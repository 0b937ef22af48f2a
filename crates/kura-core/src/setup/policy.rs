//! The IAM policies an administrator attaches for Kura, spelled the way AWS wants them for the
//! issuer (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif>):
//! condition keys and policy variables are the issuer without `https://` followed by `:aud` /
//! `:sub` — `acme.auth0.com/:sub` for Auth0's issuer `https://acme.auth0.com/`,
//! `cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC:sub` for a Cognito user pool.
//!
//! Keys are written in the order of AWS's documentation (`Version` first; serde_json's
//! `preserve_order` keeps it).

use serde_json::{json, Value};

/// The placeholder written when the role ARN names no account (S3-compatible stand-ins).
pub const ACCOUNT_PLACEHOLDER: &str = "ACCOUNT_ID";

/// The issuer as IAM names it: without scheme, trailing slash kept (`acme.auth0.com/`).
pub fn provider_url(issuer: &str) -> String {
    let issuer = issuer.trim();
    issuer
        .strip_prefix("https://")
        .or_else(|| issuer.strip_prefix("http://"))
        .unwrap_or(issuer)
        .to_string()
}

/// The ARN partition of `role_arn` (`aws`, `aws-cn`, `aws-us-gov`); `aws` when it has none.
pub fn partition(role_arn: &str) -> &str {
    role_arn.split(':').nth(1).filter(|p| !p.is_empty()).unwrap_or("aws")
}

/// The ARN partition of a region (when there is no role ARN to take it from): `aws-cn` for
/// `cn-*`, `aws-us-gov` for `us-gov-*`, else `aws` (as [`crate::config::Profile::partition`]).
pub fn region_partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// The ARN of the IAM OIDC identity provider for `url` (a [`provider_url`]):
/// `arn:PARTITION:iam::ACCOUNT:oidc-provider/URL`.
pub fn oidc_provider_arn(partition: &str, account: &str, url: &str) -> String {
    format!("arn:{partition}:iam::{account}:oidc-provider/{url}")
}

/// The 12-digit account of `role_arn`, or [`ACCOUNT_PLACEHOLDER`] when it has none
/// (`arn:aws:iam::role/X`).
pub fn account(role_arn: &str) -> &str {
    role_arn
        .split(':')
        .nth(4)
        .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or(ACCOUNT_PLACEHOLDER)
}

/// The role's trust policy: `Federated` = `arn:PARTITION:iam::ACCOUNT:oidc-provider/URL` (partition
/// and account from `role_arn`; `ACCOUNT_ID` when the ARN has none), action
/// `sts:AssumeRoleWithWebIdentity`, condition `StringEquals { "URL:aud": audience }`.
/// `audience` is the client ID, or the API audience when the access token is sent to STS.
pub fn trust_policy(issuer: &str, audience: &str, role_arn: &str) -> Value {
    let url = provider_url(issuer);
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {
                "Federated": oidc_provider_arn(partition(role_arn), account(role_arn), &url)
            },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": { "StringEquals": { format!("{url}:aud"): audience } }
        }]
    })
}

/// The trust policy of an identity pool's authenticated role (Cognito Developer Guide, "Role
/// trust and permissions"): `Federated` = `cognito-identity.amazonaws.com`, actions
/// `sts:AssumeRoleWithWebIdentity` and `sts:TagSession`, conditions
/// `cognito-identity.amazonaws.com:aud` = the pool ID and `…:amr` = `authenticated`.
pub fn identity_pool_trust_policy(identity_pool_id: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Federated": "cognito-identity.amazonaws.com" },
            "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
            "Condition": {
                "StringEquals": { "cognito-identity.amazonaws.com:aud": identity_pool_id },
                "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" }
            }
        }]
    })
}

/// The per-user permission policy for `bucket` and the prefix template (`{sub}` becomes
/// `${URL:sub}`, `{tag:KEY}` the session tag `${aws:PrincipalTag/KEY}`, `{claim:NAME}`
/// `${URL:NAME}` — IAM defines such keys only for `sub`, `aud` and Cognito's `amr`; a variable IAM
/// does not define matches nothing, so other claims must reach AWS as session tags): `s3:ListBucket`
/// with `s3:prefix` limited to the user's prefix, and
/// Get/Put/Delete/AbortMultipartUpload/ListMultipartUploadParts on `bucket/PREFIX*`.
/// S3 ARNs in the `aws` partition; see [`permission_policy_in`] for others.
pub fn permission_policy(issuer: &str, bucket: &str, prefix_template: &str) -> Value {
    permission_policy_in("aws", issuer, bucket, prefix_template)
}

/// [`permission_policy`] with S3 ARNs in `partition` (from [`partition`] of the role ARN).
pub fn permission_policy_in(partition: &str, issuer: &str, bucket: &str, prefix_template: &str) -> Value {
    let prefix = policy_prefix(issuer, prefix_template);
    let bucket_arn = format!("arn:{partition}:s3:::{bucket}");
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ListOwnFolder",
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": bucket_arn,
                "Condition": { "StringLike": { "s3:prefix": [prefix.clone(), format!("{prefix}*")] } }
            },
            {
                "Sid": "OwnObjects",
                "Effect": "Allow",
                "Action": [
                    "s3:GetObject",
                    "s3:PutObject",
                    "s3:DeleteObject",
                    "s3:AbortMultipartUpload",
                    "s3:ListMultipartUploadParts"
                ],
                "Resource": format!("{bucket_arn}/{prefix}*")
            }
        ]
    })
}

/// The prefix template with IAM policy variables in place of its placeholders (a template the
/// config rules refused is returned as typed).
fn policy_prefix(issuer: &str, template: &str) -> String {
    use crate::paths::template::{parse, Part, Placeholder};
    let url = provider_url(issuer);
    let Ok(parts) = parse(template) else {
        return template.to_string();
    };
    parts
        .into_iter()
        .map(|p| match p {
            Part::Text(t) => t.to_string(),
            Part::Placeholder(Placeholder::Sub) => format!("${{{url}:sub}}"),
            Part::Placeholder(Placeholder::Tag(k)) => format!("${{aws:PrincipalTag/{k}}}"),
            Part::Placeholder(Placeholder::Claim(n)) => format!("${{{url}:{n}}}"),
            Part::Placeholder(Placeholder::IdentityId) => "${cognito-identity.amazonaws.com:sub}".to_string(),
        })
        .collect()
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
