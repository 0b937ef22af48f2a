//! The IAM policies an administrator attaches for Kura, spelled the way AWS wants them for the
//! issuer (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif>):
//! condition keys and policy variables are the issuer without `https://` followed by `:aud` /
//! `:sub` — `acme.auth0.com/:sub` for Auth0's issuer `https://acme.auth0.com/`,
//! `cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC:sub` for a Cognito user pool.

use serde_json::Value;

/// The issuer as IAM names it: without scheme, trailing slash kept (`acme.auth0.com/`).
pub fn provider_url(issuer: &str) -> String {
    let _ = issuer;
    todo!()
}

/// The role's trust policy: `Federated` = `arn:PARTITION:iam::ACCOUNT:oidc-provider/URL` (partition
/// and account from `role_arn`; `ACCOUNT_ID` when the ARN has none), action
/// `sts:AssumeRoleWithWebIdentity`, condition `StringEquals { "URL:aud": audience }`.
/// `audience` is the client ID, or the API audience when the access token is sent to STS.
pub fn trust_policy(issuer: &str, audience: &str, role_arn: &str) -> Value {
    let _ = (issuer, audience, role_arn);
    todo!()
}

/// The per-user permission policy for `bucket` and the prefix template (`{sub}` becomes
/// `${URL:sub}`): `s3:ListBucket` with `s3:prefix` limited to the user's prefix, and
/// Get/Put/Delete/AbortMultipartUpload/ListMultipartUploadParts on `bucket/PREFIX*`.
pub fn permission_policy(issuer: &str, bucket: &str, prefix_template: &str) -> Value {
    let _ = (issuer, bucket, prefix_template);
    todo!()
}
