//! OpenID Connect sign-in with `openidconnect`: discovery ([`Provider::discover`]), the
//! authorization code flow with PKCE S256 ([`login`]), the device authorization grant
//! ([`device`], RFC 8628), refresh with rotation and revocation (RFC 7009).
//!
//! ID tokens are validated (OpenID Connect Core 1.0 §3.1.3.7) by `openidconnect` against the
//! provider's JWKS — signature (RS256 only), `iss` exactly equal to the profile's issuer, `aud`
//! containing `client_id` and no untrusted other audience, `exp`, and `nonce` where one was sent —
//! and by Kura: `iat` at most [`MAX_CLOCK_SKEW`] in the future, `azp`, when present, must equal
//! `client_id` (step 5; `openidconnect` 4 leaves it unchecked), and Amazon Cognito's `token_use`,
//! when present, must be `id` (its access tokens say `access`) ([`idtoken`]). The JWKS is fetched
//! again when a token names an unknown `kid` ([`keys`]).

pub mod callback;
pub mod device;
mod idtoken;
mod keys;
pub mod login;
pub mod loopback;
#[cfg(test)]
mod tests;
mod tokens;

use std::sync::Arc;
use std::time::Duration;

use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClient, CoreClientAuthMethod, CoreGrantType, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreResponseMode, CoreResponseType,
    CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalProviderMetadata, ClientId, DeviceAuthorizationUrl, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IssuerUrl, ProviderMetadata, RevocationUrl,
};
use serde::{Deserialize, Serialize};

pub use idtoken::MAX_CLOCK_SKEW;
pub use tokens::{Identity, TokenSet};

use crate::config::Profile;
use crate::error::{Error, Result, ServiceError};

/// Discovery fields `openidconnect`'s core metadata does not carry.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct ExtraMetadata {
    /// RFC 7009 revocation endpoint.
    #[serde(default)]
    pub revocation_endpoint: Option<RevocationUrl>,
    /// RFC 8628 device authorization endpoint.
    #[serde(default)]
    pub device_authorization_endpoint: Option<DeviceAuthorizationUrl>,
}

impl AdditionalProviderMetadata for ExtraMetadata {}

/// Provider metadata from `<issuer>/.well-known/openid-configuration`.
pub type Metadata = ProviderMetadata<
    ExtraMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

type DiscoveredClient =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// A discovered OpenID provider for one profile.
#[derive(Clone)]
pub struct Provider {
    issuer: String,
    client_id: String,
    scopes: Vec<String>,
    audience: Option<String>,
    extra_authorize_params: Vec<(String, String)>,
    metadata: Metadata,
    /// The signing keys, shared by clones (refetched on an unknown `kid`).
    keys: Arc<keys::KeySet>,
    http: openidconnect::reqwest::Client,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .finish()
    }
}

impl Provider {
    /// Runs OpenID Connect Discovery 1.0 for `profile.issuer` and fetches the JWKS.
    /// Errors: [`Error::Provider`] when unreachable or when the metadata's `issuer` differs.
    pub async fn discover(profile: &Profile) -> Result<Provider> {
        let http = openidconnect::reqwest::Client::builder()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| provider_err(&profile.issuer, format!("HTTP client: {e}")))?;
        let issuer_url = IssuerUrl::new(profile.issuer.clone())
            .map_err(|e| provider_err(&profile.issuer, format!("bad issuer URL: {e}")))?;
        let metadata = Metadata::discover_async(issuer_url, &http).await.map_err(|e| {
            let message = format!("discovery failed: {}", error_chain(&e));
            match &e {
                openidconnect::DiscoveryError::Request(_) => unavailable(&profile.issuer, message),
                openidconnect::DiscoveryError::Response(status, ..) if status.is_server_error() => {
                    unavailable(&profile.issuer, message)
                }
                _ => provider_err(&profile.issuer, message),
            }
        })?;
        let mut extra: Vec<(String, String)> = profile
            .extra_authorize_params
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(a) = &profile.audience {
            extra.push(("audience".into(), a.clone()));
        }
        Ok(Provider {
            issuer: profile.issuer.clone(),
            client_id: profile.client_id.clone(),
            scopes: profile.scopes.clone(),
            audience: profile.audience.clone(),
            extra_authorize_params: extra,
            keys: Arc::new(keys::KeySet::new(metadata.jwks().clone())),
            metadata,
            http,
        })
    }

    /// The `kid`s of the provider's signing keys as currently cached (discovery's JWKS, or the
    /// last refetch after a token named an unknown key).
    pub fn key_ids(&self) -> Vec<String> {
        self.keys.kids()
    }

    /// The issuer as configured.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// True when the provider publishes a revocation endpoint.
    pub fn can_revoke(&self) -> bool {
        self.metadata.additional_metadata().revocation_endpoint.is_some()
    }

    fn client(&self) -> DiscoveredClient {
        let metadata = self.metadata.clone().set_jwks(self.keys.current());
        CoreClient::from_provider_metadata(metadata, ClientId::new(self.client_id.clone()), None)
    }

    fn err(&self, message: impl Into<String>) -> Error {
        provider_err(&self.issuer, message)
    }

    /// Revokes a refresh token (RFC 7009). Does nothing when there is no revocation endpoint.
    /// `oauth2` only accepts https endpoints; a plain-http endpoint is allowed only on loopback
    /// (local test providers) and is called directly with the same form POST (§2.1).
    pub async fn revoke(&self, refresh_token: &secrecy::SecretString) -> Result<()> {
        use secrecy::ExposeSecret;
        let Some(url) = self.metadata.additional_metadata().revocation_endpoint.clone() else {
            return Ok(());
        };
        if url.url().scheme() == "http" {
            if !matches!(url.url().host_str(), Some("127.0.0.1" | "localhost" | "[::1]")) {
                return Err(self.err("the revocation endpoint must use https"));
            }
            let form = [
                ("token", refresh_token.expose_secret()),
                ("token_type_hint", "refresh_token"),
                ("client_id", self.client_id.as_str()),
            ];
            let resp = self
                .http
                .post(url.url().clone())
                .form(&form)
                .send()
                .await
                .map_err(|e| self.err(format!("revocation failed: {}", error_chain(&e))))?;
            if !resp.status().is_success() {
                return Err(self.err(format!("revocation endpoint answered HTTP {}", resp.status())));
            }
            return Ok(());
        }
        let token = openidconnect::RefreshToken::new(refresh_token.expose_secret().to_string());
        self.client()
            .set_revocation_url(url)
            .revoke_token(token.into())
            .map_err(|e| self.err(format!("revocation: {e}")))?
            .request_async(&self.http)
            .await
            .map_err(|e| self.err(format!("revocation failed: {}", error_chain(&e))))
    }
}

pub(crate) fn provider_err(issuer: &str, message: impl Into<String>) -> Error {
    Error::Provider {
        issuer: issuer.to_string(),
        message: message.into(),
    }
}

/// `auth.provider_unavailable`: the provider could not be reached or is failing for now.
pub(crate) fn unavailable(issuer: &str, message: impl Into<String>) -> Error {
    Error::ProviderUnavailable {
        issuer: issuer.to_string(),
        message: message.into(),
    }
}

/// `auth.invalid_scope`: the provider refused the profile's `scopes` (`what` is its answer).
pub(crate) fn invalid_scope(what: &str) -> Error {
    Error::login(
        crate::error::LoginFailure::InvalidScope,
        format!(
            "the identity provider refused the requested scopes ({what}): remove the scopes it does not support from `scopes` in the profile (Amazon Cognito user pools refuse `offline_access` and issue refresh tokens without it)"
        ),
    )
}

/// Formats an error with its sources (`a: b: c`).
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}

/// Maps a token endpoint error: OAuth errors keep their `error` code; `invalid_grant` on a
/// refresh means the session is over. A provider that cannot be reached, or answers
/// `temporarily_unavailable` / `server_error` (RFC 6749 §5.2 and §4.1.2.1), an empty error or
/// something that is not an OAuth answer at all (an error page), is `auth.provider_unavailable`:
/// nothing says the session is wrong, so it is kept.
pub(crate) fn token_error<RE, T>(issuer: &str, e: openidconnect::RequestTokenError<RE, T>, refreshing: bool) -> Error
where
    RE: std::error::Error + 'static,
    T: openidconnect::ErrorResponse + 'static,
{
    match e {
        openidconnect::RequestTokenError::ServerResponse(r) => {
            let json = serde_json::to_value(&r).unwrap_or_default();
            let source = ServiceError {
                code: json.get("error").and_then(|v| v.as_str()).map(str::to_string),
                message: json
                    .get("error_description")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
                status: None,
            };
            if refreshing && source.code.as_deref() == Some("invalid_grant") {
                Error::SessionExpired { error: source }
            } else if source.code.as_deref() == Some("invalid_scope") {
                invalid_scope(&source.to_string())
            } else if matches!(source.code.as_deref(), Some("temporarily_unavailable" | "server_error")) {
                unavailable(issuer, format!("token endpoint: {source}"))
            } else {
                provider_err(issuer, format!("token endpoint refused: {source}"))
            }
        }
        // An `id_token` that is not a compact JWS (or whose claims do not parse) fails while the
        // response is read: then it is the ID token that is bad, not the answer as a whole.
        openidconnect::RequestTokenError::Parse(e, body) => match id_token_parse_error(&body) {
            Some(why) => Error::InvalidIdToken {
                issuer: issuer.to_string(),
                message: format!("it is not a well-formed signed JWT with the claims an ID token needs: {why}"),
            },
            None => unavailable(issuer, format!("the token endpoint's answer is not OAuth's: {e}")),
        },
        other => unavailable(issuer, format!("token request failed: {}", error_chain(&other))),
    }
}

/// Why the `id_token` of a token endpoint answer (`body`, JSON) does not parse as an ID token,
/// or `None` when it has none or it parses.
fn id_token_parse_error(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let id_token = value.get("id_token")?.clone();
    serde_json::from_value::<openidconnect::core::CoreIdToken>(id_token)
        .err()
        .map(|e| e.to_string())
}
