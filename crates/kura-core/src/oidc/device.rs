//! The device authorization grant (RFC 8628) for machines without a browser: the user opens
//! `verification_uri` elsewhere and types `user_code`; Kura polls the token endpoint, honouring
//! `interval` and `slow_down` (§3.5).

use openidconnect::core::CoreDeviceAuthorizationResponse;
use openidconnect::Scope;

use super::{Provider, TokenSet};
use crate::error::{Error, LoginFailure, Result};

/// What to show the user during a device sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicePrompt {
    /// The code the user types (`user_code`).
    pub user_code: String,
    /// Where to type it (`verification_uri`).
    pub verification_uri: String,
    /// A URL with the code filled in (`verification_uri_complete`), if offered.
    pub verification_uri_complete: Option<String>,
    /// How long the code is valid, in seconds.
    pub expires_in: u64,
}

impl Provider {
    /// Runs a device sign-in: requests a device code, calls `prompt` once with what to show, then
    /// polls until the user approves. Errors: `auth.denied` when denied or expired,
    /// [`Error::Provider`] when the provider has no device endpoint.
    pub async fn device_login(&self, prompt: impl FnOnce(&DevicePrompt)) -> Result<TokenSet> {
        let url = self
            .metadata
            .additional_metadata()
            .device_authorization_endpoint
            .clone()
            .ok_or_else(|| self.err("the provider publishes no device_authorization_endpoint (RFC 8628)"))?;
        let client = self.client().set_device_authorization_url(url);
        let mut req = client.exchange_device_code();
        for s in &self.scopes {
            req = req.add_scope(Scope::new(s.clone()));
        }
        if let Some(a) = &self.audience {
            req = req.add_extra_param("audience", a.clone());
        }
        let details: CoreDeviceAuthorizationResponse = req
            .request_async(&self.http)
            .await
            .map_err(|e| super::token_error(&self.issuer, e, false))?;
        prompt(&DevicePrompt {
            user_code: details.user_code().secret().to_string(),
            verification_uri: details.verification_uri().to_string(),
            verification_uri_complete: details.verification_uri_complete().map(|u| u.secret().to_string()),
            expires_in: details.expires_in().as_secs(),
        });
        let response = client
            .exchange_device_access_token(&details)
            .map_err(|e| self.err(format!("no token endpoint: {e}")))?
            .request_async(&self.http, tokio::time::sleep, Some(details.expires_in()))
            .await
            .map_err(|e| match e {
                openidconnect::RequestTokenError::ServerResponse(r) => {
                    Error::login(LoginFailure::Denied, format!("device sign-in ended: {}", r.error()))
                }
                other => self.err(format!("device token polling failed: {}", super::error_chain(&other))),
            })?;
        self.token_set(&response, None, None).await
    }
}
