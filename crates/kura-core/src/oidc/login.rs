//! The authorization code flow with PKCE (RFC 7636, S256) in two steps usable by every front end:
//! [`Provider::start_login`] gives the authorize URL and a [`PendingLogin`] that stays in Rust
//! (the `code_verifier`, `state` and `nonce` never leave it); [`Provider::complete_login`] takes
//! the callback URL the browser was redirected to and returns validated tokens. Which URL is a
//! login's callback is decided in [`super::callback`] ([`PendingLogin::accepts`]).

use std::time::Instant;

use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{AuthorizationCode, CsrfToken, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope};
use url::Url;

use super::callback::shown;
use super::{Provider, TokenSet};
use crate::error::{Error, LoginFailure, Result};

/// A login waiting for its callback. `Debug` hides the secrets.
pub struct PendingLogin {
    state: CsrfToken,
    nonce: Nonce,
    code_verifier: PkceCodeVerifier,
    redirect_uri: Url,
    pub(super) started: Instant,
}

impl std::fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingLogin")
            .field("redirect_uri", &self.redirect_uri.as_str())
            .field("age", &self.started.elapsed())
            .finish_non_exhaustive()
    }
}

impl PendingLogin {
    /// The redirect URI this login expects its callback on.
    pub fn redirect_uri(&self) -> &Url {
        &self.redirect_uri
    }

    /// True when `url` is a callback for this redirect URI (scheme, host, port and path equal).
    /// Part of [`accepts`](Self::accepts), which front ends call instead.
    pub fn matches_redirect(&self, url: &Url) -> bool {
        let r = &self.redirect_uri;
        url.scheme() == r.scheme()
            && url.host_str() == r.host_str()
            && url.port_or_known_default() == r.port_or_known_default()
            && url.path() == r.path()
    }

    /// True when `url` carries this login's `state` (compared in constant time). Part of
    /// [`accepts`](Self::accepts), which also refuses a repeated `state`.
    pub fn matches_state(&self, url: &Url) -> bool {
        url.query_pairs()
            .any(|(k, v)| k == "state" && constant_time_eq(v.as_bytes(), self.state.secret().as_bytes()))
    }

    /// A login for `redirect_uri` with a known `state`, started at `started`, for tests of the
    /// callback decision.
    #[cfg(test)]
    pub(crate) fn for_test(redirect_uri: &str, state: &str, started: Instant) -> PendingLogin {
        PendingLogin {
            state: CsrfToken::new(state.to_string()),
            nonce: Nonce::new("test-nonce".into()),
            code_verifier: PkceCodeVerifier::new("test-verifier".into()),
            redirect_uri: Url::parse(redirect_uri).unwrap(),
            started,
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Provider {
    /// Builds the authorize URL (response_type=code, PKCE S256, `state`, `nonce`, the profile's
    /// scopes, `audience` and extra parameters) for `redirect_uri`.
    /// Errors: [`Error::Provider`] when `redirect_uri` is not a valid URL.
    pub fn start_login(&self, redirect_uri: &str) -> Result<(Url, PendingLogin)> {
        let redirect =
            RedirectUrl::new(redirect_uri.to_string()).map_err(|e| self.err(format!("bad redirect_uri: {e}")))?;
        let redirect_parsed = Url::parse(redirect_uri).map_err(|e| self.err(format!("bad redirect_uri: {e}")))?;
        let (challenge, code_verifier) = PkceCodeChallenge::new_random_sha256();
        let client = self.client().set_redirect_uri(redirect);
        let mut req = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for s in self.scopes.iter().filter(|s| s.as_str() != "openid") {
            req = req.add_scope(Scope::new(s.clone()));
        }
        for (k, v) in &self.extra_authorize_params {
            req = req.add_extra_param(k.clone(), v.clone());
        }
        let (url, state, nonce) = req.url();
        Ok((
            url,
            PendingLogin {
                state,
                nonce,
                code_verifier,
                redirect_uri: redirect_parsed,
                started: Instant::now(),
            },
        ))
    }

    /// Completes a login from the callback URL: checks that it is this login's callback
    /// ([`PendingLogin::accepts`]: `auth.bad_callback`, `auth.state_mismatch`, `auth.timeout`
    /// after [`super::callback::LOGIN_LIFETIME`]), an `error` parameter (`auth.invalid_scope` for
    /// `invalid_scope`, else `auth.denied` with the provider's `error_description`, shown only in
    /// the characters RFC 6749 §4.1.2.1 allows there), the RFC 9207 `iss` parameter when
    /// present, then redeems the code with the `code_verifier` and validates the ID token
    /// (including `nonce`).
    pub async fn complete_login(&self, pending: PendingLogin, callback: &Url) -> Result<TokenSet> {
        pending.accepts(callback)?;
        let param = |name: &str| {
            callback
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        if let Some(error) = param("error").map(|e| shown(&e)) {
            let desc = param("error_description")
                .map(|d| format!(": {}", shown(&d)))
                .unwrap_or_default();
            if error == "invalid_scope" {
                let scope = param("scope").map(|s| format!(" ({})", shown(&s))).unwrap_or_default();
                return Err(super::invalid_scope(&format!("{error}{desc}{scope}")));
            }
            return Err(Error::login(
                LoginFailure::Denied,
                format!("the identity provider answered {error}{desc}"),
            ));
        }
        if let Some(iss) = param("iss") {
            if iss != self.issuer {
                return Err(Error::login(
                    LoginFailure::BadCallback,
                    format!(
                        "the callback comes from issuer \"{}\", not {:?} (RFC 9207)",
                        shown(&iss),
                        self.issuer
                    ),
                ));
            }
        }
        let code =
            param("code").ok_or_else(|| Error::login(LoginFailure::BadCallback, "the callback has no `code`"))?;
        let redirect = RedirectUrl::new(pending.redirect_uri.to_string()).map_err(|e| self.err(e.to_string()))?;
        let client = self.client().set_redirect_uri(redirect);
        let response = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| self.err(format!("no token endpoint: {e}")))?
            .set_pkce_verifier(pending.code_verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| super::token_error(&self.issuer, e, false))?;
        self.token_set(&response, Some(&pending.nonce), None).await
    }
}
