//! Tokens returned by the provider and the identity read from a validated ID token.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use openidconnect::core::CoreTokenResponse;
use openidconnect::{Nonce, OAuth2TokenResponse, TokenResponse};

use super::Provider;
use crate::error::{Error, Result};

/// Who is signed in, from the validated ID token's claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// `iss`.
    pub issuer: String,
    /// `sub`, e.g. `auth0|alice0001`.
    pub sub: String,
    /// `email`, if released.
    pub email: Option<String>,
    /// `name`, if released.
    pub name: Option<String>,
    /// `preferred_username`, if released.
    pub preferred_username: Option<String>,
}

impl Identity {
    /// A short label for menus: email, else preferred_username, else name, else sub.
    pub fn label(&self) -> &str {
        self.email
            .as_deref()
            .or(self.preferred_username.as_deref())
            .or(self.name.as_deref())
            .unwrap_or(&self.sub)
    }
}

/// The result of a sign-in or refresh. Secrets are [`SecretString`]s: `Debug` shows
/// `[REDACTED]`.
#[derive(Debug, Clone)]
pub struct TokenSet {
    /// The validated identity.
    pub identity: Identity,
    /// The raw ID token (a JWT).
    pub id_token: SecretString,
    /// The ID token's `exp`.
    pub id_token_expires_at: OffsetDateTime,
    /// The access token.
    pub access_token: SecretString,
    /// When the access token expires (`expires_in`), if the provider said.
    pub access_token_expires_at: Option<OffsetDateTime>,
    /// The refresh token, when `offline_access` was granted.
    pub refresh_token: Option<SecretString>,
}

impl TokenSet {
    /// The ID token's claims (its payload, decoded without checking again: the token was
    /// validated when received). Prefix templates are rendered from these, so a session read
    /// back from the keychain renders the same prefixes without a network request.
    pub fn claims(&self) -> crate::paths::Claims {
        crate::paths::Claims::from_payload(super::keys::payload(self.id_token.expose_secret()))
    }
}

impl Provider {
    /// Validates a token response: the ID token (see [`Provider::validate_id_token`]), with
    /// `nonce` when it is `Some`. On refresh (`previous` is `Some`), the response may omit the ID
    /// token or refresh token, in which case the previous ones are kept; a new ID token must have
    /// the same `sub` (OpenID Connect Core §12.2).
    pub(crate) async fn token_set(
        &self,
        response: &CoreTokenResponse,
        nonce: Option<&Nonce>,
        previous: Option<&TokenSet>,
    ) -> Result<TokenSet> {
        let now = OffsetDateTime::now_utc();
        let access_token = SecretString::from(response.access_token().secret().to_string());
        let access_token_expires_at = response
            .expires_in()
            .map(|d| now + time::Duration::seconds(d.as_secs() as i64));
        let refresh_token = response
            .refresh_token()
            .map(|r| SecretString::from(r.secret().to_string()))
            .or_else(|| previous.and_then(|p| p.refresh_token.clone()));
        let Some(id_token) = response.id_token() else {
            let Some(prev) = previous else {
                return Err(self.invalid("the token response has no id_token (is the `openid` scope granted?)"));
            };
            return Ok(TokenSet {
                access_token,
                access_token_expires_at,
                refresh_token,
                ..prev.clone()
            });
        };
        let (identity, id_token_expires_at) = self.validate_id_token(id_token, nonce).await?;
        if let Some(prev) = previous {
            if prev.identity.sub != identity.sub {
                return Err(self.invalid("the refreshed ID token has a different `sub`"));
            }
        }
        Ok(TokenSet {
            identity,
            id_token: SecretString::from(id_token.to_string()),
            id_token_expires_at,
            access_token,
            access_token_expires_at,
            refresh_token,
        })
    }

    /// Trades a refresh token for new tokens (RFC 6749 §6). With rotation the response carries a
    /// new refresh token, which the caller must store in place of the old one.
    /// Errors: [`Error::SessionExpired`] on `invalid_grant` (revoked, expired or reused token).
    pub async fn refresh(&self, previous: &TokenSet) -> Result<TokenSet> {
        let Some(rt) = &previous.refresh_token else {
            return Err(Error::SessionExpired {
                error: crate::error::ServiceError {
                    code: None,
                    message: Some("no refresh token (was `offline_access` granted?)".into()),
                    status: None,
                },
            });
        };
        let rt = openidconnect::RefreshToken::new(rt.expose_secret().to_string());
        let client = self.client();
        let response = client
            .exchange_refresh_token(&rt)
            .map_err(|e| self.err(format!("no token endpoint: {e}")))?
            .request_async(&self.http)
            .await
            .map_err(|e| super::token_error(&self.issuer, e, true))?;
        self.token_set(&response, None, Some(previous)).await
    }
}
