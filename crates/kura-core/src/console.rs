//! One-click AWS console: a console sign-in URL made from the session's temporary credentials.
//!
//! Source: AWS IAM User Guide, "Enable custom identity broker access to the AWS console"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_enable-console-custom-url.html>):
//! 1. `GET <federation endpoint>?Action=getSigninToken&Session=<URL-encoded JSON
//!    {"sessionId","sessionKey","sessionToken"}>` → `{"SigninToken": "…"}`;
//! 2. the browser opens `<federation endpoint>?Action=login&Issuer=kura&Destination=<URL>&SigninToken=…`.
//!
//! The sign-in token is valid for 15 minutes ([`SIGNIN_URL_LIFETIME`]); the resulting URL signs
//! anyone who has it in as the user, so it is a secret like the credentials: neither is logged,
//! and errors never carry the request URL. `SessionDuration` is not sent: the console session then
//! lasts as long as the temporary credentials (web-identity credentials are not role-chained, so
//! AWS would accept it, but Kura's `session_duration` already sets the length).
//!
//! Endpoints by partition (the role ARN's second field): `aws` — `https://signin.aws.amazon.com/federation`
//! in us-east-1, `https://REGION.signin.aws.amazon.com/federation` elsewhere; `aws-cn` —
//! `https://signin.amazonaws.cn/federation`; `aws-us-gov` — `https://signin.amazonaws-us-gov.com/federation`.
//! The profile key `federation_endpoint` overrides the derivation.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::config::Profile;
use crate::error::Result;
use crate::session::Session;

/// The `Issuer` sent on the login request: where the console sends the user when the session ends.
pub const ISSUER: &str = "kura";

/// How long a sign-in URL works after it is made (AWS: "the sign-in token is valid for 15 minutes").
pub const SIGNIN_URL_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// How long Kura waits for the federation endpoint.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Why no console sign-in URL could be made. Codes: `console.federation`, `console.destination`,
/// `console.endpoint`.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// The federation endpoint refused `getSigninToken` or could not be reached (no HTTP status)
    /// or answered without a `SigninToken`. Code `console.federation`.
    #[error("the AWS federation endpoint {endpoint} refused the console sign-in{}: {detail}", status.map(|s| format!(" (HTTP {s})")).unwrap_or_default())]
    Federation {
        /// The endpoint (no query: that holds the credentials).
        endpoint: String,
        /// HTTP status, when a response arrived.
        status: Option<u16>,
        /// What went wrong, without secrets.
        detail: String,
    },
    /// `--destination` is not an absolute http(s) URL. Code `console.destination`.
    #[error("the console destination {destination:?} is not an absolute https URL")]
    Destination {
        /// The destination as given.
        destination: String,
    },
    /// The federation endpoint cannot be derived: the role ARN's partition is unknown (set
    /// `federation_endpoint` in the profile). Code `console.endpoint`.
    #[error(
        "no AWS federation endpoint is known for partition {partition:?}: set `federation_endpoint` in the profile"
    )]
    Endpoint {
        /// The role ARN's partition.
        partition: String,
    },
}

impl ConsoleError {
    /// The stable code (see the type's docs).
    pub fn code(&self) -> crate::error::ErrorCode {
        use crate::error::ErrorCode;
        match self {
            ConsoleError::Federation { .. } => ErrorCode::ConsoleFederation,
            ConsoleError::Destination { .. } => ErrorCode::ConsoleDestination,
            ConsoleError::Endpoint { .. } => ErrorCode::ConsoleEndpoint,
        }
    }
}

/// The console host for a partition and region, e.g. `us-west-2.console.aws.amazon.com`.
fn console_host(partition: &str, region: &str) -> Result<String, ConsoleError> {
    match partition {
        "aws" => Ok(format!("{region}.console.aws.amazon.com")),
        "aws-cn" => Ok(format!("{region}.console.amazonaws.cn")),
        "aws-us-gov" => Ok("console.amazonaws-us-gov.com".to_string()),
        other => Err(ConsoleError::Endpoint {
            partition: other.to_string(),
        }),
    }
}

/// The federation endpoint for `profile`: `federation_endpoint` if set, else derived from the
/// profile's partition ([`Profile::partition`]) and the region (see the module docs). Errors: [`ConsoleError::Endpoint`].
pub fn federation_endpoint(profile: &Profile) -> Result<Url, ConsoleError> {
    let text = match &profile.federation_endpoint {
        Some(e) => e.clone(),
        None => match profile.partition() {
            "aws" if profile.region == "us-east-1" => "https://signin.aws.amazon.com/federation".to_string(),
            "aws" => format!("https://{}.signin.aws.amazon.com/federation", profile.region),
            "aws-cn" => "https://signin.amazonaws.cn/federation".to_string(),
            "aws-us-gov" => "https://signin.amazonaws-us-gov.com/federation".to_string(),
            other => {
                return Err(ConsoleError::Endpoint {
                    partition: other.to_string(),
                })
            }
        },
    };
    // validated when the profile was read; derived ones are well-formed
    Url::parse(&text).map_err(|_| ConsoleError::Endpoint {
        partition: profile.partition().to_string(),
    })
}

/// The S3 console page of `bucket`, opened at `prefix` (e.g. `users/auth0|alice0001/`):
/// `https://REGION.console.aws.amazon.com/s3/buckets/BUCKET?region=REGION&prefix=PREFIX`
/// (host by partition). Errors: [`ConsoleError::Endpoint`] for an unknown partition.
pub fn s3_destination(profile: &Profile, prefix: &str) -> Result<Url, ConsoleError> {
    let host = console_host(profile.partition(), &profile.region)?;
    let mut url = Url::parse(&format!("https://{host}/s3/buckets/")).expect("static URL");
    url.path_segments_mut()
        .expect("https URL has a path")
        .pop_if_empty()
        .push(&profile.bucket);
    url.query_pairs_mut()
        .append_pair("region", &profile.region)
        .append_pair("prefix", prefix);
    Ok(url)
}

/// Parses a `--destination`: an absolute `https` URL (or `http` on loopback, for tests).
/// Errors: [`ConsoleError::Destination`].
pub fn destination(value: &str) -> Result<Url, ConsoleError> {
    crate::config::rules::endpoint_url(value).map_err(|_| ConsoleError::Destination {
        destination: value.to_string(),
    })
}

/// A console sign-in URL. A secret (it signs its holder in as the user for
/// [`SIGNIN_URL_LIFETIME`]): `Debug` shows only the endpoint.
pub struct SigninUrl {
    url: SecretString,
    endpoint: String,
}

impl SigninUrl {
    /// The URL to open in the browser (secret: never log it).
    pub fn expose(&self) -> &str {
        self.url.expose_secret()
    }
}

impl std::fmt::Debug for SigninUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigninUrl({}?…)", self.endpoint)
    }
}

/// Makes a console sign-in URL for `session`: renews the credentials when expired or near expiry
/// ([`Session::credentials`]), asks the federation endpoint for a sign-in token and builds the
/// login URL for `destination` (default: [`s3_destination`] at the user's prefix).
/// Errors: session errors ([`crate::Error::NotSignedIn`], …), [`ConsoleError`].
pub async fn signin_url(session: &Session, destination: Option<&Url>) -> Result<SigninUrl> {
    let profile = session.profile();
    let endpoint = federation_endpoint(profile)?;
    let destination = match destination {
        Some(d) => d.clone(),
        None => s3_destination(profile, session.prefix().await?.as_str())?,
    };
    let creds = session.credentials().await?;
    let json = serde_json::json!({
        "sessionId": creds.access_key_id,
        "sessionKey": creds.secret_access_key.expose_secret(),
        "sessionToken": creds.session_token.expose_secret(),
    })
    .to_string();
    let mut request = endpoint.clone();
    request
        .query_pairs_mut()
        .append_pair("Action", "getSigninToken")
        .append_pair("Session", &json);
    let token = signin_token(&endpoint, request).await?;
    let mut url = endpoint.clone();
    url.query_pairs_mut()
        .append_pair("Action", "login")
        .append_pair("Issuer", ISSUER)
        .append_pair("Destination", destination.as_str())
        .append_pair("SigninToken", token.expose_secret());
    tracing::info!(endpoint = %endpoint, destination = %destination, "console sign-in URL made");
    Ok(SigninUrl {
        url: SecretString::from(String::from(url)),
        endpoint: endpoint.to_string(),
    })
}

/// Calls `getSigninToken` (`request` carries the credentials: it never appears in errors or logs).
async fn signin_token(endpoint: &Url, request: Url) -> Result<SecretString, ConsoleError> {
    let failed = |status: Option<u16>, detail: String| ConsoleError::Federation {
        endpoint: endpoint.to_string(),
        status,
        detail,
    };
    let http = openidconnect::reqwest::Client::builder()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .build()
        .map_err(|e| failed(None, e.without_url().to_string()))?;
    let response = http
        .get(request)
        .send()
        .await
        .map_err(|e| failed(None, e.without_url().to_string()))?;
    let status = response.status();
    if !status.is_success() {
        let detail = match status.as_u16() {
            400 => "the request was refused (Bad Request)".to_string(),
            401 | 403 => {
                "the credentials were not accepted: the role may not allow console sign-in, or they expired".to_string()
            }
            _ => status.canonical_reason().unwrap_or("unexpected answer").to_string(),
        };
        return Err(failed(Some(status.as_u16()), detail));
    }
    let body = response
        .text()
        .await
        .map_err(|e| failed(Some(status.as_u16()), e.without_url().to_string()))?;
    #[derive(serde::Deserialize)]
    struct Answer {
        #[serde(rename = "SigninToken")]
        signin_token: String,
    }
    match serde_json::from_str::<Answer>(&body) {
        Ok(a) if !a.signin_token.is_empty() => Ok(SecretString::from(a.signin_token)),
        _ => Err(failed(
            Some(status.as_u16()),
            "the answer has no SigninToken".to_string(),
        )),
    }
}

#[cfg(test)]
mod tests;
