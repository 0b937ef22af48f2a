//! ID token validation (OpenID Connect Core 1.0 §3.1.3.7) and the words for each refusal.
//!
//! `openidconnect` checks the signature (RS256 only, by a key of the provider's JWKS), `iss`
//! (exactly the profile's issuer), `aud` (contains `client_id`, no untrusted other audience),
//! `exp` and `nonce`; Kura adds `iat` (at most [`MAX_CLOCK_SKEW`] in the future: step 10 leaves
//! the range to the client and `openidconnect` accepts any), `azp` (when present, `client_id`:
//! step 5) and Amazon Cognito's `token_use` (when present, `id`). Every refusal is
//! [`Error::InvalidIdToken`] (`auth.invalid_id_token`) with a message naming the claim or header
//! field at fault; claims are quoted from the token (issuer, audiences: not secrets), never the
//! token itself or its `nonce`.

use std::time::Duration;

use openidconnect::core::CoreIdToken;
use openidconnect::{ClaimsVerificationError, Nonce, NonceVerifier, SignatureVerificationError};
use serde_json::Value;
use time::OffsetDateTime;

use super::{Identity, Provider};
use crate::error::{Error, Result};

/// How far in the future an ID token's `iat` may be (the provider's clock running ahead of
/// this machine's): 5 minutes, the usual JWT clock skew allowance.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(5 * 60);

/// The unverified header and payload of a compact JWS, for messages only.
struct Unverified {
    header: Value,
    payload: Value,
}

impl Unverified {
    fn of(raw: &str) -> Unverified {
        Unverified {
            header: super::keys::header(raw).unwrap_or(Value::Null),
            payload: super::keys::payload(raw).unwrap_or(Value::Null),
        }
    }

    fn alg(&self) -> String {
        self.header
            .get("alg")
            .and_then(Value::as_str)
            .unwrap_or("(none given)")
            .to_string()
    }
}

impl Provider {
    /// Validates an ID token (see the module docs). A `kid` missing from the cached keys makes
    /// Kura fetch the JWKS again first (at most once here, and at most every few seconds).
    /// `nonce`: the one the authorize request sent (`None` on refresh, OpenID Connect Core
    /// §12.2). Returns the identity and the token's `exp`. Errors: [`Error::InvalidIdToken`].
    pub(crate) async fn validate_id_token(
        &self,
        id_token: &CoreIdToken,
        nonce: Option<&Nonce>,
    ) -> Result<(Identity, OffsetDateTime)> {
        let raw = id_token.to_string();
        let kid = super::keys::header_kid(&raw);
        if let Some(kid) = kid.as_deref().filter(|k| !self.keys.knows(k)) {
            match self.keys.refetch(self.metadata.jwks_uri(), &self.http).await {
                Ok(true) => tracing::info!(issuer = %self.issuer, kid, "fetched the JWKS again for an unknown key id"),
                Ok(false) => {
                    tracing::info!(issuer = %self.issuer, kid, "unknown key id; the JWKS was fetched moments ago")
                }
                Err(e) => tracing::warn!(issuer = %self.issuer, kid, "fetching the JWKS again failed: {e}"),
            }
        }
        let client = self.client();
        let verifier = client.id_token_verifier().set_issue_time_verifier_fn(|iat| {
            let now = OffsetDateTime::now_utc().unix_timestamp();
            let ahead = iat.timestamp() - now;
            if ahead > MAX_CLOCK_SKEW.as_secs() as i64 {
                Err(format!(
                    "its `iat` (issued at) is {ahead} s in the future, more than the {} s clock skew Kura allows: a token minted ahead of time, or the provider's clock is wrong",
                    MAX_CLOCK_SKEW.as_secs()
                ))
            } else {
                Ok(())
            }
        });
        let nonce_check = |n: Option<&Nonce>| -> std::result::Result<(), String> {
            match nonce {
                Some(expected) => expected.verify(n),
                None => Ok(()),
            }
        };
        let claims = id_token
            .claims(&verifier, nonce_check)
            .map_err(|e| self.invalid(self.explain(&e, &Unverified::of(&raw), kid.as_deref())))?;
        if let Some(azp) = claims.authorized_party() {
            if azp.as_str() != self.client_id {
                return Err(self.invalid(format!(
                    "its `azp` (authorized party) is {:?}, not this app's client_id {:?} (OpenID Connect Core §3.1.3.7)",
                    azp.as_str(),
                    self.client_id
                )));
            }
        }
        match super::keys::payload(&raw).as_ref().and_then(|p| p.get("token_use")) {
            None => {}
            Some(v) if v.as_str() == Some("id") => {}
            Some(v) => {
                return Err(self.invalid(format!(
                    "its `token_use` is {v}, not \"id\": this is not an ID token (Amazon Cognito access tokens say \"access\")"
                )))
            }
        }
        let identity = Identity {
            issuer: claims.issuer().to_string(),
            sub: claims.subject().to_string(),
            email: claims.email().map(|e| e.to_string()),
            name: claims.name().and_then(|n| n.get(None)).map(|n| n.to_string()),
            preferred_username: claims.preferred_username().map(|u| u.to_string()),
        };
        let exp = claims.expiration();
        let expires_at =
            OffsetDateTime::from_unix_timestamp(exp.timestamp()).map_err(|_| self.invalid("`exp` out of range"))?;
        Ok((identity, expires_at))
    }

    /// What `openidconnect`'s refusal means, naming the claim or header field.
    fn explain(&self, e: &ClaimsVerificationError, token: &Unverified, kid: Option<&str>) -> String {
        let claim = |name: &str| token.payload.get(name).map(Value::to_string);
        match e {
            ClaimsVerificationError::InvalidIssuer(_) => match token.payload.get("iss").and_then(Value::as_str) {
                None => "it has no `iss` (issuer)".into(),
                Some(iss) => {
                    let mut m = format!("its `iss` (issuer) is {iss:?}, not the profile's issuer {:?}", self.issuer);
                    if iss.trim_end_matches('/') == self.issuer.trim_end_matches('/') {
                        m.push_str(
                            " (they differ only in the trailing slash, and the issuer must match exactly: OpenID Connect Core §3.1.3.7 step 2)",
                        );
                    }
                    m
                }
            },
            ClaimsVerificationError::InvalidAudience(detail) => format!(
                "its `aud` (audience) is {}, but it must name this app's client_id {:?} and no audience Kura does not trust ({detail}; OpenID Connect Core §3.1.3.7 step 3)",
                claim("aud").unwrap_or_else(|| "missing".into()),
                self.client_id
            ),
            // Kura's own `iat` check words its refusal itself.
            ClaimsVerificationError::Expired(detail) if detail.contains("`iat`") => detail.clone(),
            ClaimsVerificationError::Expired(detail) => format!("it has expired (`exp`): {detail}"),
            ClaimsVerificationError::InvalidNonce(_) => match token.payload.get("nonce") {
                None => "it has no `nonce`, but this sign-in sent one (OpenID Connect Core §3.1.3.7 step 11)".into(),
                Some(_) => "its `nonce` is not the one this sign-in sent: a token from another sign-in (replayed or injected)".into(),
            },
            ClaimsVerificationError::SignatureVerification(sig) => self.explain_signature(sig, token, kid),
            other => super::error_chain(other),
        }
    }

    fn explain_signature(&self, e: &SignatureVerificationError, token: &Unverified, kid: Option<&str>) -> String {
        let alg = token.alg();
        match e {
            _ if alg == "none" => {
                "it is not signed (its header says `alg` `none`); Kura accepts only RS256 signatures by the provider's keys"
                    .into()
            }
            SignatureVerificationError::DisallowedAlg(_) | SignatureVerificationError::UnsupportedAlg(_) => format!(
                "it is signed with `alg` `{alg}`; Kura accepts only RS256 signatures by the provider's keys (an HMAC can be made by anyone who knows its key, e.g. the provider's public key)"
            ),
            SignatureVerificationError::NoMatchingKey => match kid.filter(|k| !self.keys.knows(k)) {
                Some(k) => format!(
                    "it is signed with key {k:?}, which the provider's JWKS ({}) does not list",
                    self.metadata.jwks_uri().as_str()
                ),
                None => format!(
                    "no key of the provider's JWKS ({}) matches its `kid` and `alg` `{alg}`",
                    self.metadata.jwks_uri().as_str()
                ),
            },
            SignatureVerificationError::CryptoError(_) => format!(
                "its signature does not verify with the provider's key {:?}: the token was forged or altered",
                kid.unwrap_or("(no kid)")
            ),
            other => format!("its signature could not be verified: {}", super::error_chain(other)),
        }
    }

    pub(super) fn invalid(&self, message: impl Into<String>) -> Error {
        Error::InvalidIdToken {
            issuer: self.issuer.clone(),
            message: message.into(),
        }
    }
}
