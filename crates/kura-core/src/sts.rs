//! STS AssumeRoleWithWebIdentity with `aws-sdk-sts`
//! (<https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html>).
//! The call is unsigned: no AWS credentials are needed, only the web identity token.

use aws_sdk_sts::config::{BehaviorVersion, Region};
use aws_sdk_sts::error::{DisplayErrorContext, ProvideErrorMetadata};
use secrecy::{ExposeSecret, SecretString};
use time::OffsetDateTime;

use crate::config::Profile;
use crate::error::{Error, Result, ServiceError};

/// Temporary AWS credentials. `Debug` redacts the secret key and session token.
#[derive(Debug, Clone)]
pub struct TemporaryCredentials {
    /// `AccessKeyId`.
    pub access_key_id: String,
    /// `SecretAccessKey`.
    pub secret_access_key: SecretString,
    /// `SessionToken`.
    pub session_token: SecretString,
    /// `Expiration` (UTC).
    pub expiration: OffsetDateTime,
}

impl TemporaryCredentials {
    /// Seconds left before expiry (negative when expired).
    pub fn seconds_left(&self) -> i64 {
        (self.expiration - OffsetDateTime::now_utc()).whole_seconds()
    }
}

/// Derives a `RoleSessionName` from `sub`: 2–64 characters of `[\w+=,.@-]`; other characters
/// become `_` (so `auth0|alice0001` → `auth0_alice0001`).
pub fn role_session_name(sub: &str) -> String {
    let mut name: String = sub
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_+=,.@-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if name.len() < 2 {
        name = format!("kura-{name}");
    }
    name
}

/// An STS client for a profile (`region`, `sts_endpoint`).
#[derive(Debug, Clone)]
pub struct Sts {
    client: aws_sdk_sts::Client,
    role_arn: String,
    duration_seconds: i32,
}

impl Sts {
    /// Builds the client; no network access.
    pub fn new(profile: &Profile) -> Sts {
        let mut b = aws_sdk_sts::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(profile.region.clone()));
        if let Some(e) = &profile.sts_endpoint {
            b = b.endpoint_url(e);
        }
        Sts {
            client: aws_sdk_sts::Client::from_conf(b.build()),
            role_arn: profile.role_arn.clone(),
            duration_seconds: profile.session_duration as i32,
        }
    }

    /// Calls AssumeRoleWithWebIdentity with `RoleArn`, `RoleSessionName` (from `sub`),
    /// `DurationSeconds` and the token. Errors: [`Error::Sts`] keeping STS's error code, with a hint.
    pub async fn assume_role(&self, web_identity_token: &SecretString, sub: &str) -> Result<TemporaryCredentials> {
        let out = self
            .client
            .assume_role_with_web_identity()
            .role_arn(&self.role_arn)
            .role_session_name(role_session_name(sub))
            .duration_seconds(self.duration_seconds)
            .web_identity_token(web_identity_token.expose_secret())
            .send()
            .await
            .map_err(|e| {
                let status = e.raw_response().map(|r| r.status().as_u16());
                let code = e.code().map(str::to_string);
                let message = e
                    .message()
                    .map(str::to_string)
                    .or_else(|| Some(DisplayErrorContext(&e).to_string()));
                let hint = hint(code.as_deref());
                Error::Sts {
                    role_arn: self.role_arn.clone(),
                    error: ServiceError { code, message, status },
                    hint,
                }
            })?;
        let c = out.credentials().ok_or_else(|| Error::Sts {
            role_arn: self.role_arn.clone(),
            error: ServiceError {
                code: None,
                message: Some("response has no Credentials".into()),
                status: None,
            },
            hint: "the STS endpoint answered without credentials; check sts_endpoint",
        })?;
        Ok(TemporaryCredentials {
            access_key_id: c.access_key_id().to_string(),
            secret_access_key: SecretString::from(c.secret_access_key().to_string()),
            session_token: SecretString::from(c.session_token().to_string()),
            expiration: OffsetDateTime::from_unix_timestamp(c.expiration().secs())
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
        })
    }
}

/// True for STS codes that mean the web identity token itself has expired.
pub(crate) fn is_expired_token(e: &Error) -> bool {
    matches!(e, Error::Sts { error, .. } if matches!(error.code.as_deref(), Some("ExpiredTokenException" | "ExpiredToken")))
}

fn hint(code: Option<&str>) -> &'static str {
    match code {
        Some("ExpiredTokenException" | "ExpiredToken") => "the ID token has expired; sign in again if refreshing does not help",
        Some("InvalidIdentityToken") => {
            "STS does not accept this provider's token: check the IAM OIDC identity provider (issuer URL must equal `issuer`, audience must list `client_id`)"
        }
        Some("IDPRejectedClaim") => "the identity provider's claims were rejected by the role",
        Some("AccessDenied" | "AccessDeniedException") => {
            "the role's trust policy rejects this identity: check its `aud`/`sub` conditions and the federated principal"
        }
        Some("ValidationError") => "check `role_arn` and `session_duration` (at most the role's MaxSessionDuration)",
        Some("IDPCommunicationError") => "STS could not reach the identity provider; try again",
        _ => "check `role_arn`, `sts_endpoint` and `region` in the profile",
    }
}

#[cfg(test)]
mod tests {
    use super::role_session_name;

    #[test]
    fn session_names_are_sanitised() {
        assert_eq!(role_session_name("auth0|alice0001"), "auth0_alice0001");
        assert_eq!(role_session_name("a"), "kura-a");
        assert_eq!(role_session_name("ünï cødé"), "_n__c_d_");
        let long = role_session_name(&"x".repeat(100));
        assert_eq!(long.len(), 64);
        for c in role_session_name("a b/c:d|e@f.g+h=i,j-k").chars() {
            assert!(c.is_ascii_alphanumeric() || "_+=,.@-".contains(c), "{c}");
        }
    }
}
