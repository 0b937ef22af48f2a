//! Sign-in for the desktop: the browser is sent to the IdP and the callback comes back as a
//! custom-scheme deep link (`app.kura.desktop:/callback?code=…&state=…`), delivered by
//! `tauri-plugin-deep-link` (forwarded by `tauri-plugin-single-instance` when a second process is
//! launched with the URL). Which link is the pending login's callback is decided in the core
//! ([`kura_core::oidc::callback::take_accepted`]: its redirect URI, exactly its `state`, no
//! repeated parameter, not expired); any other link — another scheme, a file path, a wrong
//! `state`, a replay of a used callback — is ignored and logged (without its query) and leaves
//! the pending login waiting. The PKCE `code_verifier` never leaves Rust.
//! Profiles whose `redirect_uri` is a loopback URL (or unset) use the loopback listener instead
//! (RFC 8252 §7.3), e.g. for IdPs that refuse custom schemes: on the registered port when the
//! URL has one (Auth0 and Okta match ports), else on a random one.
//!
//! Callback URLs carry the authorization code in their query: they are only ever logged
//! redacted (scheme and path). `tauri_plugin_deep_link`'s own warning that prints whole URLs is
//! silenced in the log filter ([`crate::logging`]).

use std::time::Duration;

use kura_core::config::Redirect;
use kura_core::oidc::callback::{take_accepted, Ignored};
use kura_core::oidc::login::PendingLogin;
use kura_core::oidc::loopback::LoopbackListener;
use kura_core::oidc::TokenSet;
use kura_core::Error;
use kura_ipc::{ErrorCode, IpcError};
use tokio::sync::oneshot;
use url::Url;

use crate::state::{AppState, Ready};

/// How long a sign-in waits for the browser.
const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

/// A login waiting for its deep link.
pub struct PendingSignIn {
    login: PendingLogin,
    deliver: oneshot::Sender<(PendingLogin, Url)>,
}

impl AsRef<PendingLogin> for PendingSignIn {
    fn as_ref(&self) -> &PendingLogin {
        &self.login
    }
}

/// Redacts a callback URL for logs: scheme and path only (the query holds the code).
fn redacted(url: &Url) -> String {
    format!("{}:{}", url.scheme(), url.path())
}

/// Handles a URL that reached the app (deep link or second-instance argument): delivers it to
/// the pending sign-in only when it is that sign-in's callback.
pub fn on_open_url(state: &AppState, url: &Url) {
    let taken = take_accepted(&mut *state.pending.lock().unwrap(), url);
    match taken {
        Ok(p) => {
            tracing::info!(url = %redacted(url), "sign-in callback received");
            let _ = p.deliver.send((p.login, url.clone()));
        }
        Err(Ignored::NoPendingLogin) => {
            tracing::warn!(url = %redacted(url), "ignoring a link: no sign-in is waiting")
        }
        Err(Ignored::Refused(e)) => {
            tracing::warn!(url = %redacted(url), code = %e.code(), "ignoring a link that is not the pending sign-in's callback: {e}")
        }
    }
}

/// Cancels the pending sign-in, if any (its `sign_in` call fails with `auth.cancelled`).
pub fn cancel(state: &AppState) -> bool {
    state.pending.lock().unwrap().take().is_some()
}

/// Runs a complete sign-in and returns the new tokens.
pub async fn sign_in(state: &AppState, ready: &Ready) -> Result<TokenSet, IpcError> {
    let provider = ready.session.provider().await?;
    let redirect_uri = match ready.profile.desktop_redirect() {
        Redirect::AppScheme(uri) => uri,
        Redirect::Loopback { host, port } => {
            // Exactly the registered host and port (`auth.loopback_port_in_use` when taken),
            // else a random port; `localhost` also listens on [::1].
            let listener = LoopbackListener::bind_host(host, port).await?;
            let (url, pending) = provider.start_login(listener.redirect_uri())?;
            open_browser(&url)?;
            return Ok(listener
                .receive(SIGN_IN_TIMEOUT, pending, |pending, cb| async move {
                    provider.complete_login(pending, &cb).await
                })
                .await?);
        }
    };
    let (url, login) = provider.start_login(&redirect_uri)?;
    let (tx, rx) = oneshot::channel();
    *state.pending.lock().unwrap() = Some(PendingSignIn { login, deliver: tx });
    if let Err(e) = open_browser(&url) {
        cancel(state);
        return Err(e);
    }
    match tokio::time::timeout(SIGN_IN_TIMEOUT, rx).await {
        Ok(Ok((login, callback))) => Ok(provider.complete_login(login, &callback).await?),
        Ok(Err(_)) => Err(IpcError::new(ErrorCode::AuthCancelled, "sign-in cancelled")),
        Err(_) => {
            cancel(state);
            Err(IpcError::from(Error::Login {
                reason: kura_core::error::LoginFailure::Timeout,
                message: "no answer from the browser in 5 minutes; sign in again".into(),
            }))
        }
    }
}

fn open_browser(url: &Url) -> Result<(), IpcError> {
    kura_core::browser::open(url.as_str()).map_err(|e| {
        IpcError::new(
            ErrorCode::AuthBrowser,
            format!("could not open the browser ({e}); is a default browser set?"),
        )
        .with_detail(e.to_string())
    })
}
