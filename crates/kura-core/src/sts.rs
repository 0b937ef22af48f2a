//! STS AssumeRoleWithWebIdentity with `aws-sdk-sts`
//! (<https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html>).
//! The call is unsigned: no AWS credentials are needed, only the web identity token.
//!
//! Transient failures are retried with exponential backoff, by Kura rather than the SDK (whose
//! retries are off, so the bound is one number): `IDPCommunicationError` (STS could not reach the
//! identity provider, e.g. its JWKS endpoint; AWS: "retry the request"), throttling
//! (`Throttling`, `ThrottlingException`, `RequestLimitExceeded`, HTTP 429), HTTP 500/502/503/504,
//! timeouts and connection failures. At most [`ATTEMPTS`] calls; each retry is logged with the
//! error code and status only (never the token). Still failing transiently after them is
//! `sts.unavailable` (the session is kept); any other failure is `sts.refused`.

use std::time::Duration;

use aws_sdk_sts::config::retry::RetryConfig;
use aws_sdk_sts::config::{BehaviorVersion, Region};
use aws_sdk_sts::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
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

/// How many times AssumeRoleWithWebIdentity is called at most when it fails transiently.
pub const ATTEMPTS: u32 = 4;
/// The wait before the first retry; it doubles for each further one (0.5 s, 1 s, 2 s).
pub const FIRST_BACKOFF: Duration = Duration::from_millis(500);

/// An STS client for a profile (`region`, `sts_endpoint`, `role_arn`; a profile without
/// `role_arn` gets its credentials from an identity pool and never calls this).
#[derive(Debug, Clone)]
pub struct Sts {
    client: aws_sdk_sts::Client,
    role_arn: String,
    duration_seconds: i32,
    first_backoff: Duration,
}

impl Sts {
    /// Builds the client; no network access.
    pub fn new(profile: &Profile) -> Sts {
        let mut b = aws_sdk_sts::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .retry_config(RetryConfig::disabled()) // retried below, see the module docs
            .region(Region::new(profile.region.clone()));
        if let Some(e) = &profile.sts_endpoint {
            b = b.endpoint_url(e);
        }
        Sts {
            client: aws_sdk_sts::Client::from_conf(b.build()),
            role_arn: profile.role_arn.clone().unwrap_or_default(),
            duration_seconds: profile.session_duration as i32,
            first_backoff: FIRST_BACKOFF,
        }
    }

    /// Changes the first retry's wait (default [`FIRST_BACKOFF`]). For tests.
    #[doc(hidden)]
    pub fn with_first_backoff(mut self, wait: Duration) -> Sts {
        self.first_backoff = wait;
        self
    }

    /// Calls AssumeRoleWithWebIdentity with `RoleArn`, `RoleSessionName` (from `sub`),
    /// `DurationSeconds` and the token, retrying transient failures (module docs).
    /// Errors: [`Error::Sts`] keeping STS's error code, with a hint.
    pub async fn assume_role(&self, web_identity_token: &SecretString, sub: &str) -> Result<TemporaryCredentials> {
        let mut attempt = 1;
        loop {
            let sent = self
                .client
                .assume_role_with_web_identity()
                .role_arn(&self.role_arn)
                .role_session_name(role_session_name(sub))
                .duration_seconds(self.duration_seconds)
                .web_identity_token(web_identity_token.expose_secret())
                .send()
                .await;
            match sent {
                Err(e) if attempt < ATTEMPTS && is_transient(&e) => {
                    let wait = self.first_backoff * 2u32.pow(attempt - 1);
                    tracing::warn!(
                        code = e.code().unwrap_or("-"),
                        status = e.raw_response().map(|r| r.status().as_u16()),
                        attempt,
                        "STS AssumeRoleWithWebIdentity failed transiently; retrying in {wait:?}"
                    );
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                other => return self.credentials(other),
            }
        }
    }

    fn credentials(
        &self,
        sent: std::result::Result<
            aws_sdk_sts::operation::assume_role_with_web_identity::AssumeRoleWithWebIdentityOutput,
            SdkError<
                aws_sdk_sts::operation::assume_role_with_web_identity::AssumeRoleWithWebIdentityError,
                aws_smithy_runtime_api::http::Response,
            >,
        >,
    ) -> Result<TemporaryCredentials> {
        let out = sent.map_err(|e| {
            let status = e.raw_response().map(|r| r.status().as_u16());
            let code = e.code().map(str::to_string);
            let transient = is_transient(&e);
            let message = e.message().map(str::to_string).or_else(|| {
                Some(match &e {
                    // The cause without the SDK's debug dump: "dispatch failure: io error: …".
                    SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => crate::oidc::error_chain(&e),
                    _ => DisplayErrorContext(&e).to_string(),
                })
            });
            let hint = match code.as_deref() {
                Some("IDPCommunicationError") => hint(code.as_deref()),
                _ if transient => UNAVAILABLE_HINT,
                c => hint(c),
            };
            Error::Sts {
                role_arn: self.role_arn.clone(),
                error: ServiceError { code, message, status },
                hint,
                transient,
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
            transient: false,
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

/// True for failures worth another attempt (see the module docs).
pub(crate) fn is_transient<E: ProvideErrorMetadata>(e: &SdkError<E, aws_smithy_runtime_api::http::Response>) -> bool {
    const CODES: &[&str] = &[
        "IDPCommunicationError",
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TooManyRequestsException", // Cognito Identity
    ];
    match e {
        SdkError::TimeoutError(_) => true,
        SdkError::DispatchFailure(d) => d.is_io() || d.is_timeout(),
        SdkError::ServiceError(_) | SdkError::ResponseError(_) => {
            e.code().is_some_and(|c| CODES.contains(&c))
                || e.raw_response()
                    .is_some_and(|r| matches!(r.status().as_u16(), 429 | 500 | 502 | 503 | 504))
        }
        _ => false,
    }
}

/// True for STS codes that mean the web identity token itself has expired.
pub(crate) fn is_expired_token(e: &Error) -> bool {
    matches!(e, Error::Sts { error, .. } if matches!(error.code.as_deref(), Some("ExpiredTokenException" | "ExpiredToken")))
}

/// The hint of `sts.unavailable`.
const UNAVAILABLE_HINT: &str = "STS could not be reached or is unavailable, also after retrying: try again later";

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
        Some("IDPCommunicationError") => {
            "STS could not reach the identity provider (its JWKS), also after retrying; try again later and check that the provider is reachable"
        }
        _ => "check `role_arn`, `sts_endpoint` and `region` in the profile",
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    use secrecy::SecretString;

    use super::{role_session_name, Sts, ATTEMPTS};

    const OK: &str = r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIATESTKEY</AccessKeyId>
<SecretAccessKey>test-secret</SecretAccessKey><SessionToken>test-session</SessionToken>
<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>
<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>"#;

    fn error(code: &str) -> String {
        format!(
            r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>{code}</Code><Message>injected fault</Message></Error><RequestId>r2</RequestId></ErrorResponse>"#
        )
    }

    /// A fault-injecting STS endpoint: answers `script` in order (status, body), then `OK`.
    /// Returns its URL and the number of requests it received.
    async fn sts_server(script: Vec<(u16, String)>) -> (String, Arc<AtomicUsize>) {
        let xml = "Content-Type: text/xml\r\n".to_string();
        let script = script.into_iter().map(|(st, body)| (st, xml.clone(), body)).collect();
        crate::scripted::serve(script, (200, xml, OK.to_string())).await
    }

    fn sts(endpoint: &str) -> Sts {
        let text = format!(
            "[profiles.t]\nissuer = \"https://idp.example.com/\"\nclient_id = \"c\"\nrole_arn = \"arn:aws:iam::123456789012:role/R\"\nbucket = \"b-test\"\nsts_endpoint = \"{endpoint}\"\n"
        );
        let profile = crate::config::Config::parse(Path::new("t.toml"), &text)
            .unwrap()
            .profile(None)
            .unwrap();
        Sts::new(&profile).with_first_backoff(Duration::from_millis(10))
    }

    fn token() -> SecretString {
        SecretString::from("header.payload.signature".to_string())
    }

    #[tokio::test]
    async fn idp_communication_errors_and_throttling_are_retried() {
        let (url, hits) = sts_server(vec![
            (400, error("IDPCommunicationError")),
            (400, error("Throttling")),
            (503, error("ServiceUnavailable")),
        ])
        .await;
        let c = sts(&url).assume_role(&token(), "auth0|a").await.unwrap();
        assert_eq!(c.access_key_id, "ASIATESTKEY");
        assert_eq!(hits.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn retries_are_bounded() {
        let faults = (0..10).map(|_| (400, error("IDPCommunicationError"))).collect();
        let (url, hits) = sts_server(faults).await;
        let err = sts(&url).assume_role(&token(), "auth0|a").await.unwrap_err();
        assert_eq!(hits.load(Ordering::SeqCst), ATTEMPTS as usize);
        match &err {
            crate::Error::Sts { error, .. } => assert_eq!(error.code.as_deref(), Some("IDPCommunicationError")),
            other => panic!("{other:?}"),
        }
        assert_eq!(err.code(), "sts.unavailable");
        assert!(err.is_transient());
    }

    #[tokio::test]
    async fn a_refused_token_is_not_retried() {
        let (url, hits) = sts_server(vec![(400, error("InvalidIdentityToken"))]).await;
        let err = sts(&url).assume_role(&token(), "auth0|a").await.unwrap_err();
        assert_eq!(err.code(), "sts.refused");
        assert_eq!(hits.load(Ordering::SeqCst), 1);
    }

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
