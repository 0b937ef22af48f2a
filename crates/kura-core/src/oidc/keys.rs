//! The provider's signing keys (its JWKS, RFC 7517), shared by every clone of a
//! [`super::Provider`] and fetched again when an ID token names a key (`kid`) the cached set
//! lacks: providers rotate their signing keys (OpenID Connect Core 1.0 §10.1.1: "the RP … SHOULD
//! … retrieve the keys again when it encounters an unfamiliar kid"), and a long-running desktop
//! app must keep validating tokens signed with the new key without a restart.
//!
//! Refetches are rate limited to one per [`MIN_REFETCH_INTERVAL`], so tokens with made-up `kid`s
//! cannot make Kura hammer the provider.

use std::sync::RwLock;
use std::time::{Duration, Instant};

use base64::Engine;
use openidconnect::core::CoreJsonWebKeySet;
use openidconnect::{JsonWebKey, JsonWebKeySetUrl};

/// The shortest time between two refetches of the key set.
pub(super) const MIN_REFETCH_INTERVAL: Duration = Duration::from_secs(5);

/// The cached key set and when it was last refetched.
pub(crate) struct KeySet {
    inner: RwLock<Cached>,
}

struct Cached {
    jwks: CoreJsonWebKeySet,
    /// The last refetch (not the fetch made by discovery).
    refetched_at: Option<Instant>,
}

impl KeySet {
    /// A cache holding `jwks` (as fetched by discovery).
    pub(crate) fn new(jwks: CoreJsonWebKeySet) -> KeySet {
        KeySet {
            inner: RwLock::new(Cached {
                jwks,
                refetched_at: None,
            }),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Cached> {
        self.inner.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The current key set.
    pub(crate) fn current(&self) -> CoreJsonWebKeySet {
        self.read().jwks.clone()
    }

    /// True when the cached set has a key with this `kid`.
    pub(crate) fn knows(&self, kid: &str) -> bool {
        self.read()
            .jwks
            .keys()
            .iter()
            .any(|k| k.key_id().is_some_and(|id| id.as_str() == kid))
    }

    /// The `kid`s of the cached keys, in the provider's order.
    pub(crate) fn kids(&self) -> Vec<String> {
        self.read()
            .jwks
            .keys()
            .iter()
            .filter_map(|k| k.key_id().map(|id| id.to_string()))
            .collect()
    }

    /// Fetches the key set from `url` again, unless the last refetch was less than
    /// [`MIN_REFETCH_INTERVAL`] ago. Returns whether it fetched; errors are the fetch's.
    pub(crate) async fn refetch(
        &self,
        url: &JsonWebKeySetUrl,
        http: &openidconnect::reqwest::Client,
    ) -> Result<bool, String> {
        {
            let mut cached = self.inner.write().unwrap_or_else(|poisoned| poisoned.into_inner());
            if cached.refetched_at.is_some_and(|t| t.elapsed() < MIN_REFETCH_INTERVAL) {
                return Ok(false);
            }
            // Claimed before the request, so concurrent validations do not all refetch.
            cached.refetched_at = Some(Instant::now());
        }
        let jwks = CoreJsonWebKeySet::fetch_async(url, http)
            .await
            .map_err(|e| super::error_chain(&e))?;
        self.inner.write().unwrap_or_else(|poisoned| poisoned.into_inner()).jwks = jwks;
        Ok(true)
    }
}

fn segment(jwt: &str, index: usize) -> Option<serde_json::Value> {
    let part = jwt.split('.').nth(index)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The `kid` of a compact JWS's header (RFC 7515 §4.1.4), if it has one. Unverified: used only to
/// decide whether to refetch the key set.
pub(crate) fn header_kid(jwt: &str) -> Option<String> {
    segment(jwt, 0)?.get("kid")?.as_str().map(str::to_string)
}

/// A compact JWS's header as JSON. Unverified: for messages only.
pub(crate) fn header(jwt: &str) -> Option<serde_json::Value> {
    segment(jwt, 0)
}

/// A compact JWS's payload as JSON. Only read after the signature was verified.
pub(crate) fn payload(jwt: &str) -> Option<serde_json::Value> {
    segment(jwt, 1)
}
