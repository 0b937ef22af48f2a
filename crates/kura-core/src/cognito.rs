//! Credentials from an Amazon Cognito identity pool with `aws-sdk-cognitoidentity`
//! (Cognito Developer Guide, "Identity pools authentication flow"; API reference: `GetId`,
//! `GetCredentialsForIdentity`, `GetOpenIdToken`). These calls are unsigned: the provider's ID
//! token in the `Logins` map (`{identity_provider: id_token}`) is the proof.
//!
//! * `GetId` maps the login to the user's identity ID (`REGION:UUID`, stable per user and pool).
//! * Enhanced flow: `GetCredentialsForIdentity` → credentials for the pool's role (one hour).
//! * Basic flow: `GetOpenIdToken` → an OpenID token issued by Cognito (`sub` = identity ID,
//!   `aud` = pool ID) → STS `AssumeRoleWithWebIdentity` with the profile's `role_arn`.
//!
//! Transient failures (throttling, HTTP 5xx, timeouts) are retried like STS's ([`crate::sts`]).

use std::time::Duration;

use aws_sdk_cognitoidentity::config::retry::RetryConfig;
use aws_sdk_cognitoidentity::config::{BehaviorVersion, Region};
use aws_sdk_cognitoidentity::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use secrecy::{ExposeSecret, SecretString};
use time::OffsetDateTime;

use crate::config::{CognitoFlow, IdentityPool, Profile};
use crate::error::{Error, Result, ServiceError};
use crate::sts::{self, Sts, TemporaryCredentials, ATTEMPTS, FIRST_BACKOFF};

/// A Cognito Identity client for a profile's identity pool.
#[derive(Debug, Clone)]
pub struct IdentityPoolClient {
    client: aws_sdk_cognitoidentity::Client,
    pool: IdentityPool,
    /// STS for the basic flow (`role_arn`); `None` for the enhanced flow.
    sts: Option<Sts>,
    /// `CustomRoleArn` for the enhanced flow (the profile's optional `role_arn`).
    custom_role_arn: Option<String>,
    first_backoff: Duration,
}

impl IdentityPoolClient {
    /// Builds the client for `pool` (region from the pool ID, `cognito_endpoint` if set); no
    /// network access.
    pub fn new(profile: &Profile, pool: &IdentityPool) -> IdentityPoolClient {
        let mut b = aws_sdk_cognitoidentity::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .retry_config(RetryConfig::disabled()) // retried below, like STS
            .region(Region::new(pool.region().to_string()));
        if let Some(e) = &pool.endpoint {
            b = b.endpoint_url(e);
        }
        let basic = pool.flow == CognitoFlow::Basic;
        IdentityPoolClient {
            client: aws_sdk_cognitoidentity::Client::from_conf(b.build()),
            pool: pool.clone(),
            sts: basic.then(|| Sts::new(profile)),
            custom_role_arn: if basic { None } else { profile.role_arn.clone() },
            first_backoff: FIRST_BACKOFF,
        }
    }

    /// Changes the first retry's wait (default [`FIRST_BACKOFF`]). For tests.
    #[doc(hidden)]
    pub fn with_first_backoff(mut self, wait: Duration) -> IdentityPoolClient {
        self.first_backoff = wait;
        if let Some(s) = self.sts.take() {
            self.sts = Some(s.with_first_backoff(wait));
        }
        self
    }

    /// The pool.
    pub fn pool(&self) -> &IdentityPool {
        &self.pool
    }

    fn err<E: ProvideErrorMetadata + std::error::Error + 'static>(
        &self,
        operation: &'static str,
        e: SdkError<E, aws_smithy_runtime_api::http::Response>,
    ) -> Error {
        let code = e.code().map(str::to_string);
        Error::Cognito {
            identity_pool_id: self.pool.identity_pool_id.clone(),
            operation,
            hint: hint(code.as_deref()),
            error: ServiceError {
                status: e.raw_response().map(|r| r.status().as_u16()),
                message: e
                    .message()
                    .map(str::to_string)
                    .or_else(|| Some(DisplayErrorContext(&e).to_string())),
                code,
            },
        }
    }

    fn missing(&self, operation: &'static str, what: &str) -> Error {
        Error::Cognito {
            identity_pool_id: self.pool.identity_pool_id.clone(),
            operation,
            error: ServiceError {
                code: None,
                message: Some(format!("response has no {what}")),
                status: None,
            },
            hint: "the Cognito Identity endpoint answered without it; check cognito_endpoint",
        }
    }

    /// Waits before retry `attempt` when `e` is transient and attempts are left; false otherwise.
    async fn backoff<E: ProvideErrorMetadata>(
        &self,
        operation: &str,
        e: &SdkError<E, aws_smithy_runtime_api::http::Response>,
        attempt: u32,
    ) -> bool {
        if attempt >= ATTEMPTS || !sts::is_transient(e) {
            return false;
        }
        let wait = self.first_backoff * 2u32.pow(attempt - 1);
        tracing::warn!(
            code = e.code().unwrap_or("-"),
            status = e.raw_response().map(|r| r.status().as_u16()),
            attempt,
            "Cognito {operation} failed transiently; retrying in {wait:?}"
        );
        tokio::time::sleep(wait).await;
        true
    }

    /// `GetId`: the identity ID of the user of `id_token` in the pool (`REGION:UUID`).
    /// Errors: [`Error::Cognito`] (`cognito.refused` when the pool does not accept the token,
    /// `cognito.not_found` for an unknown pool).
    pub async fn get_id(&self, id_token: &SecretString) -> Result<String> {
        let mut attempt = 1;
        loop {
            let sent = self
                .client
                .get_id()
                .identity_pool_id(&self.pool.identity_pool_id)
                .logins(&self.pool.identity_provider, id_token.expose_secret())
                .send()
                .await;
            match sent {
                Ok(out) => {
                    return out
                        .identity_id()
                        .map(str::to_string)
                        .ok_or_else(|| self.missing("GetId", "IdentityId"))
                }
                Err(e) if self.backoff("GetId", &e, attempt).await => attempt += 1,
                Err(e) => return Err(self.err("GetId", e)),
            }
        }
    }

    /// Credentials for `identity_id` by the profile's flow (module docs). Errors:
    /// [`Error::Cognito`], and for the basic flow [`Error::Sts`].
    pub async fn credentials(&self, identity_id: &str, id_token: &SecretString) -> Result<TemporaryCredentials> {
        match &self.sts {
            None => self.credentials_for_identity(identity_id, id_token).await,
            Some(sts) => {
                let token = self.open_id_token(identity_id, id_token).await?;
                sts.assume_role(&token, identity_id).await
            }
        }
    }

    /// `GetOpenIdToken`: Cognito's OpenID token for the identity (basic flow).
    pub async fn open_id_token(&self, identity_id: &str, id_token: &SecretString) -> Result<SecretString> {
        let mut attempt = 1;
        loop {
            let sent = self
                .client
                .get_open_id_token()
                .identity_id(identity_id)
                .logins(&self.pool.identity_provider, id_token.expose_secret())
                .send()
                .await;
            match sent {
                Ok(out) => {
                    return out
                        .token()
                        .map(|t| SecretString::from(t.to_string()))
                        .ok_or_else(|| self.missing("GetOpenIdToken", "Token"))
                }
                Err(e) if self.backoff("GetOpenIdToken", &e, attempt).await => attempt += 1,
                Err(e) => return Err(self.err("GetOpenIdToken", e)),
            }
        }
    }

    async fn credentials_for_identity(
        &self,
        identity_id: &str,
        id_token: &SecretString,
    ) -> Result<TemporaryCredentials> {
        const OP: &str = "GetCredentialsForIdentity";
        let mut attempt = 1;
        let out = loop {
            let sent = self
                .client
                .get_credentials_for_identity()
                .identity_id(identity_id)
                .logins(&self.pool.identity_provider, id_token.expose_secret())
                .set_custom_role_arn(self.custom_role_arn.clone())
                .send()
                .await;
            match sent {
                Ok(out) => break out,
                Err(e) if self.backoff(OP, &e, attempt).await => attempt += 1,
                Err(e) => return Err(self.err(OP, e)),
            }
        };
        let c = out.credentials().ok_or_else(|| self.missing(OP, "Credentials"))?;
        let field = |v: Option<&str>, name: &str| v.map(str::to_string).ok_or_else(|| self.missing(OP, name));
        Ok(TemporaryCredentials {
            access_key_id: field(c.access_key_id(), "AccessKeyId")?,
            secret_access_key: SecretString::from(field(c.secret_key(), "SecretKey")?),
            session_token: SecretString::from(field(c.session_token(), "SessionToken")?),
            expiration: c
                .expiration()
                .and_then(|t| OffsetDateTime::from_unix_timestamp(t.secs()).ok())
                .ok_or_else(|| self.missing(OP, "Expiration"))?,
        })
    }
}

/// True when Cognito refused the login because the ID token has expired
/// (`NotAuthorizedException: Invalid login token. Token expired: …`).
pub(crate) fn is_expired_login(e: &Error) -> bool {
    matches!(e, Error::Cognito { error, .. }
        if error.code.as_deref() == Some("NotAuthorizedException")
            && error.message.as_deref().is_some_and(|m| m.to_ascii_lowercase().contains("expired")))
}

/// True when a remembered identity ID is refused (unknown, or not this login's): `GetId` again.
pub(crate) fn is_stale_identity(e: &Error) -> bool {
    matches!(e, Error::Cognito { error, .. }
        if matches!(error.code.as_deref(), Some("ResourceNotFoundException" | "NotAuthorizedException")))
        && !is_expired_login(e)
}

fn hint(code: Option<&str>) -> &'static str {
    match code {
        Some("NotAuthorizedException") => {
            "the identity pool does not accept this sign-in: check that identity_provider names a provider of the pool (for OIDC providers its client ID must be listed) and that the pool allows authenticated identities"
        }
        Some("ResourceNotFoundException") => "no such identity pool or identity: check identity_pool_id and its region",
        Some("InvalidParameterException") => {
            "the pool refused the request: with cognito_flow = \"basic\", check that the pool allows the basic (classic) flow, or use the enhanced flow"
        }
        Some("InvalidIdentityPoolConfigurationException") => {
            "the pool's role is misconfigured: its trust policy must allow cognito-identity.amazonaws.com with aud = the pool ID and amr = authenticated"
        }
        Some("TooManyRequestsException" | "LimitExceededException") => "Cognito is throttling requests; try again later",
        _ => "check identity_pool_id, identity_provider, cognito_endpoint and region in the profile",
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    use secrecy::SecretString;

    use super::IdentityPoolClient;

    /// A fault-injecting Cognito Identity endpoint (JSON 1.1): answers `script` in order
    /// (status, `__type`), then a GetId result. Returns its URL and the request count.
    async fn cognito_server(script: Vec<(u16, &'static str)>) -> (String, Arc<AtomicUsize>) {
        let json = "Content-Type: application/x-amz-json-1.1\r\n";
        let script = script
            .into_iter()
            .map(|(status, kind)| {
                let headers = format!("{json}x-amzn-ErrorType: {kind}:\r\n");
                (
                    status,
                    headers,
                    format!(r#"{{"__type":"{kind}","message":"injected"}}"#),
                )
            })
            .collect();
        let ok = r#"{"IdentityId":"us-east-1:0b5a3b7e-0000-4000-8000-000000000001"}"#;
        crate::scripted::serve(script, (200, json.to_string(), ok.to_string())).await
    }

    fn client(endpoint: &str) -> IdentityPoolClient {
        let text = format!(
            "[profiles.t]\nissuer = \"https://idp.example.com/\"\nclient_id = \"c\"\nbucket = \"b-test\"\nidentity_pool_id = \"us-east-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001\"\ncognito_endpoint = \"{endpoint}\"\n"
        );
        let profile = crate::config::Config::parse(Path::new("t.toml"), &text)
            .unwrap()
            .profile(None)
            .unwrap();
        let pool = profile.identity_pool.clone().unwrap();
        IdentityPoolClient::new(&profile, &pool).with_first_backoff(Duration::from_millis(10))
    }

    fn token() -> SecretString {
        SecretString::from("header.payload.signature".to_string())
    }

    #[tokio::test]
    async fn throttling_and_internal_errors_are_retried() {
        let (url, hits) =
            cognito_server(vec![(400, "TooManyRequestsException"), (500, "InternalErrorException")]).await;
        let id = client(&url).get_id(&token()).await.unwrap();
        assert_eq!(id, "us-east-1:0b5a3b7e-0000-4000-8000-000000000001");
        assert_eq!(hits.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_refused_login_is_not_retried_and_keeps_the_code() {
        let (url, hits) = cognito_server(vec![(400, "NotAuthorizedException")]).await;
        let e = client(&url).get_id(&token()).await.unwrap_err();
        assert_eq!(hits.load(Ordering::SeqCst), 1);
        assert_eq!(e.code(), "cognito.refused");
        assert!(e.to_string().contains("NotAuthorizedException"), "{e}");
        assert!(!super::is_expired_login(&e) && super::is_stale_identity(&e));
    }
}
