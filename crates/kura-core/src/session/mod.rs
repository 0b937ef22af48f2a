//! A signed-in session for one profile: tokens and temporary credentials, kept in the
//! [`TokenStore`] and in memory, refreshed ahead of expiry.
//!
//! [`Session::credentials`] returns credentials valid for at least the refresh margin (default
//! 5 minutes): from memory, else from the keychain (another process may have refreshed), else by
//! calling STS — first trading the refresh token for a new ID token when the current one is about
//! to expire. Refreshes are serialised per profile across processes ([`ProfileLock`]), and a
//! rotated refresh token replaces the old one in one keychain write.
//!
//! When a renewal fails transiently (`auth.provider_unavailable`, `sts.unavailable`: the IdP or
//! STS is down) the session is kept, and while the current credentials are still valid they are
//! handed out (renewal is tried again after [`RENEWAL_RETRY_AFTER`]); only a refresh token the
//! provider really rejects (`invalid_grant` → [`Error::SessionExpired`]) deletes the session.
//!
//! Lock order, everywhere: the in-process state mutex, then the cross-process [`ProfileLock`].

use std::sync::Arc;
use std::time::Duration;

use secrecy::ExposeSecret;
use serde::Serialize;
use time::OffsetDateTime;
use tokio::sync::{Mutex, OnceCell};

use crate::config::{Profile, WebIdentityToken};
use crate::error::{Error, Result};
use crate::lock::ProfileLock;
use crate::oidc::{Identity, Provider, TokenSet};
use crate::paths::Prefix;
use crate::store::TokenStore;
use crate::sts::TemporaryCredentials;

mod source;
mod stored;

use source::Source;
use stored::{State, Stored};

/// Default margin before expiry at which credentials are renewed.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(300);
/// An ID token with less than this left is refreshed before being sent to STS.
const ID_TOKEN_MARGIN: i64 = 60;
/// When a renewal fails transiently (IdP or STS unavailable), credentials with more than this
/// many seconds left are still handed out…
const STILL_VALID: i64 = 10;
/// …and the next renewal is tried only after this long, so an outage does not add the
/// retries' wait to every request.
const RENEWAL_RETRY_AFTER: Duration = Duration::from_secs(30);

/// What the UI may know about a session: no tokens, no keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    /// The profile.
    pub profile: String,
    /// Who is signed in.
    pub identity: Identity,
    /// The bucket.
    pub bucket: String,
    /// The user's prefix of the profile's first location, e.g. `users/auth0|alice0001/`; `None`
    /// when it cannot be rendered for this user (e.g. a `{tag:tenant}` the ID token lacks: see
    /// [`Session::location_prefixes`] for each location's error).
    pub prefix: Option<String>,
    /// When the current temporary credentials expire, if there are any.
    #[serde(with = "time::serde::rfc3339::option")]
    pub credentials_expire_at: Option<OffsetDateTime>,
    /// The Amazon Cognito identity ID (profiles with an identity pool), e.g.
    /// `us-east-1:0b5a3b7e-…`.
    pub identity_id: Option<String>,
    /// When the current ID token expires.
    #[serde(with = "time::serde::rfc3339")]
    pub id_token_expires_at: OffsetDateTime,
    /// True when the session is kept in the OS keychain (survives restarts).
    pub persistent: bool,
}

/// A profile's session. Cheap to share behind an `Arc`.
pub struct Session {
    profile: Profile,
    store: Arc<TokenStore>,
    provider: OnceCell<Provider>,
    source: Source,
    state: Mutex<Option<State>>,
    /// Seconds before expiry at which credentials are renewed; negative only in tests.
    refresh_margin: i64,
    /// When the last renewal failed transiently (cleared by a successful one).
    renewal_failed_at: std::sync::Mutex<Option<std::time::Instant>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("profile", &self.profile.name)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session for `profile` backed by `store`. No I/O.
    pub fn new(profile: Profile, store: Arc<TokenStore>) -> Session {
        Session {
            source: Source::new(&profile),
            profile,
            store,
            provider: OnceCell::new(),
            state: Mutex::new(None),
            refresh_margin: DEFAULT_REFRESH_MARGIN.as_secs() as i64,
            renewal_failed_at: std::sync::Mutex::new(None),
        }
    }

    /// Changes how long before expiry credentials are renewed (default 5 minutes).
    pub fn with_refresh_margin(mut self, margin: Duration) -> Session {
        self.refresh_margin = margin.as_secs() as i64;
        self
    }

    /// Keeps using credentials for `late` after their expiry, so the server refuses them and the
    /// forced renewal + retry path runs. For tests of that path only.
    #[doc(hidden)]
    pub fn with_late_refresh(mut self, late: Duration) -> Session {
        self.refresh_margin = -(late.as_secs() as i64);
        self
    }

    /// The profile.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The token store (to report a keychain fallback).
    pub fn store(&self) -> &TokenStore {
        &self.store
    }

    /// The discovered provider (discovery runs once, on first use).
    pub async fn provider(&self) -> Result<&Provider> {
        self.provider
            .get_or_try_init(|| Provider::discover(&self.profile))
            .await
    }

    fn session_account(&self) -> String {
        format!("{}:session", self.profile.name)
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&TokenStore) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| Error::Keychain(format!("keychain task failed: {e}")))?
    }

    /// Reads the stored session (None when signed out).
    async fn load(&self) -> Result<Option<State>> {
        let (rt_account, s_account) = (self.profile.name.clone(), self.session_account());
        let (refresh, session) = self
            .blocking(move |s| Ok((s.get(&rt_account)?, s.get(&s_account)?)))
            .await?;
        let Some(json) = session else { return Ok(None) };
        match serde_json::from_str::<Stored>(&json) {
            Ok(stored) => Ok(Some(State::from_stored(stored, refresh))),
            Err(e) => {
                tracing::warn!("ignoring an unreadable stored session: {e}");
                Ok(None)
            }
        }
    }

    /// Writes the session; the refresh token first (one atomic write replaces a rotated one).
    async fn save(&self, st: &State) -> Result<()> {
        let refresh = st.tokens.refresh_token.as_ref().map(|r| r.expose_secret().to_string());
        let json = serde_json::to_string(&st.to_stored()).expect("serialisable");
        let (rt_account, s_account) = (self.profile.name.clone(), self.session_account());
        self.blocking(move |s| {
            if let Some(r) = refresh {
                s.set(&rt_account, &r)?;
            }
            s.set(&s_account, &json)
        })
        .await
    }

    /// Forgets the stored session locally (no revocation).
    async fn forget(&self) -> Result<()> {
        let (rt_account, s_account) = (self.profile.name.clone(), self.session_account());
        self.blocking(move |s| {
            s.delete(&s_account)?;
            s.delete(&rt_account)
        })
        .await
    }

    /// Makes `tokens` the session (after a login), gets credentials at once to prove the role
    /// accepts this identity, and stores everything. Returns the status.
    pub async fn sign_in(&self, tokens: TokenSet) -> Result<Status> {
        let mut guard = self.state.lock().await;
        let _lock = ProfileLock::acquire(&self.profile.name).await?;
        let mut st = State::new(tokens);
        st.credentials = Some(self.assume_role(&mut st).await?);
        self.save(&st).await?;
        *guard = Some(st.clone());
        drop(guard);
        self.status_of(&st)
    }

    /// The current status without any network request (`None` when signed out).
    pub async fn status(&self) -> Result<Option<Status>> {
        let mut guard = self.state.lock().await;
        if let Some(st) = self.load().await? {
            *guard = Some(st);
        }
        guard.as_ref().map(|st| self.status_of(st)).transpose()
    }

    fn status_of(&self, st: &State) -> Result<Status> {
        Ok(Status {
            profile: self.profile.name.clone(),
            prefix: self.prefix_for(st, None).ok().map(|p| p.as_str().to_string()),
            identity: st.tokens.identity.clone(),
            bucket: self.profile.bucket.clone(),
            credentials_expire_at: st.credentials.as_ref().map(|c| c.expiration),
            identity_id: st.identity_id.clone(),
            id_token_expires_at: st.tokens.id_token_expires_at,
            persistent: self.store.is_persistent(),
        })
    }

    /// Renders a location's prefix from the ID token's claims (kept in the stored session).
    fn prefix_for(&self, st: &State, location: Option<&str>) -> Result<Prefix> {
        let location = self.profile.location(location)?;
        Prefix::render_claims(&location.prefix, &st.claims())
    }

    async fn signed_in_state(&self) -> Result<State> {
        let mut guard = self.state.lock().await;
        if let Some(st) = self.load().await? {
            *guard = Some(st);
        }
        guard.clone().ok_or_else(|| self.not_signed_in())
    }

    /// The signed-in user's prefix of the profile's first location. Errors:
    /// [`Error::NotSignedIn`], `path.missing_claim`, `path.unsafe_claim`.
    pub async fn prefix(&self) -> Result<Prefix> {
        self.location_prefix(None).await
    }

    /// The signed-in user's prefix of location `name` (`None`: the first), rendered from the
    /// stored ID token's claims without a network request. Errors: [`Error::NotSignedIn`],
    /// [`Error::Config`] (no such location), [`Error::MissingClaim`], [`Error::UnsafeClaim`].
    pub async fn location_prefix(&self, name: Option<&str>) -> Result<Prefix> {
        let st = self.signed_in_state().await?;
        self.prefix_for(&st, name)
    }

    /// Every location of the profile with its rendered prefix or the error that prevents it
    /// (e.g. `path.missing_claim`), in the profile's order. Errors: [`Error::NotSignedIn`].
    pub async fn location_prefixes(&self) -> Result<Vec<(crate::config::Location, Result<Prefix>)>> {
        let st = self.signed_in_state().await?;
        Ok(self
            .profile
            .locations
            .iter()
            .map(|l| (l.clone(), Prefix::render_claims(&l.prefix, &st.claims())))
            .collect())
    }

    fn not_signed_in(&self) -> Error {
        Error::NotSignedIn {
            profile: self.profile.name.clone(),
        }
    }

    /// Credentials valid for at least the refresh margin, refreshing as needed (see module docs);
    /// when the renewal fails transiently, the current credentials while they are still valid.
    /// Errors: [`Error::NotSignedIn`], [`Error::SessionExpired`] (the session is deleted),
    /// [`Error::Sts`], [`Error::ProviderUnavailable`], provider errors (the session is kept).
    pub async fn credentials(&self) -> Result<TemporaryCredentials> {
        self.renew(false).await
    }

    /// New credentials now, whatever the current ones' expiry (tray "Refresh credentials", or
    /// after S3 refused the current ones); errors as [`Session::credentials`], never the old
    /// credentials.
    pub async fn force_refresh(&self) -> Result<TemporaryCredentials> {
        self.renew(true).await
    }

    async fn renew(&self, force: bool) -> Result<TemporaryCredentials> {
        let mut guard = self.state.lock().await;
        if !force {
            if let Some(c) = guard.as_ref().and_then(|s| s.fresh_credentials(self.refresh_margin)) {
                return Ok(c);
            }
            let failed_at = *self.renewal_failed_at.lock().unwrap();
            if failed_at.is_some_and(|t| t.elapsed() < RENEWAL_RETRY_AFTER) {
                if let Some(c) = guard.as_ref().and_then(|s| s.fresh_credentials(STILL_VALID)) {
                    return Ok(c);
                }
            }
        }
        let _lock = ProfileLock::acquire(&self.profile.name).await?;
        // Another process may have refreshed (and rotated the refresh token) meanwhile.
        match self.load().await? {
            Some(st) => *guard = Some(st),
            None if self.store.is_persistent() => *guard = None,
            None => {}
        }
        let Some(st) = guard.as_mut() else {
            return Err(self.not_signed_in());
        };
        if !force {
            if let Some(c) = st.fresh_credentials(self.refresh_margin) {
                return Ok(c);
            }
        }
        let creds = match self.assume_role(st).await {
            Err(e @ Error::SessionExpired { .. }) => {
                *guard = None;
                self.forget().await?;
                return Err(e);
            }
            Err(e) if e.is_transient() => {
                // The IdP or STS is down: keep the session; go on with what is still valid.
                *self.renewal_failed_at.lock().unwrap() = Some(std::time::Instant::now());
                let valid = st.fresh_credentials(STILL_VALID).filter(|_| !force);
                return match valid {
                    Some(c) => {
                        tracing::warn!(
                            code = %e.code(),
                            "renewing the credentials failed; using the current ones ({} s left)",
                            c.seconds_left()
                        );
                        Ok(c)
                    }
                    None => Err(e),
                };
            }
            other => other?,
        };
        *self.renewal_failed_at.lock().unwrap() = None;
        st.credentials = Some(creds.clone());
        let snapshot = st.clone();
        self.save(&snapshot).await?;
        Ok(creds)
    }

    /// Refreshes the tokens with the refresh token and stores the rotated refresh token at once.
    async fn refresh_tokens(&self, st: &mut State) -> Result<()> {
        let provider = self.provider().await?;
        st.tokens = provider.refresh(&st.tokens).await?;
        self.save(st).await
    }

    /// New credentials from the profile's source (STS or an identity pool) with the profile's
    /// token, refreshing it first when it is about to expire, and once more if STS or Cognito
    /// says it has expired (clock skew).
    async fn assume_role(&self, st: &mut State) -> Result<TemporaryCredentials> {
        let expiring = |st: &State| {
            let at = match self.profile.web_identity_token {
                WebIdentityToken::IdToken => Some(st.tokens.id_token_expires_at),
                WebIdentityToken::AccessToken => st.tokens.access_token_expires_at,
            };
            at.is_some_and(|t| (t - OffsetDateTime::now_utc()).whole_seconds() < ID_TOKEN_MARGIN)
        };
        if expiring(st) {
            self.refresh_tokens(st).await?;
        }
        match self.exchange(st).await {
            Err(e) if source::is_expired(&e) && st.tokens.refresh_token.is_some() => {
                self.refresh_tokens(st).await?;
                self.exchange(st).await
            }
            other => other,
        }
    }

    /// Signs out: revokes the refresh token at the provider when it has a revocation endpoint
    /// (a failure there is logged, not fatal) and deletes everything stored for the profile.
    pub async fn sign_out(&self) -> Result<bool> {
        let mut guard = self.state.lock().await;
        let _lock = ProfileLock::acquire(&self.profile.name).await?;
        let st = match self.load().await? {
            Some(s) => Some(s),
            None => guard.take(),
        };
        let had_session = st.is_some();
        if let Some(rt) = st.as_ref().and_then(|s| s.tokens.refresh_token.clone()) {
            match self.provider().await {
                Ok(p) => {
                    if let Err(e) = p.revoke(&rt).await {
                        tracing::warn!("could not revoke the refresh token: {e}");
                    }
                }
                Err(e) => tracing::warn!("could not reach the provider to revoke the refresh token: {e}"),
            }
        }
        *guard = None;
        self.forget().await?;
        Ok(had_session)
    }
}

#[async_trait::async_trait]
impl crate::s3::CredentialRefresh for Session {
    async fn force_refresh(&self) -> Result<()> {
        Session::force_refresh(self).await.map(|_| ())
    }
}

/// The keychain accounts of profile `name`: the refresh token (`<name>`), the session
/// (`<name>:session`) and the remembered Cognito identity (`<name>:identity`).
fn accounts(name: &str) -> [String; 3] {
    [name.to_string(), format!("{name}:session"), format!("{name}:identity")]
}

/// Deletes everything stored for profile `name` (after [`Session::sign_out`], when the profile
/// itself is removed). Returns whether anything was stored. Blocking (keychain calls).
pub fn delete_stored(store: &TokenStore, name: &str) -> Result<bool> {
    let mut had = false;
    for account in accounts(name) {
        had |= store.get(&account)?.is_some();
        store.delete(&account)?;
    }
    Ok(had)
}

/// Moves everything stored for profile `from` (refresh token, session, remembered identity) to
/// profile `to`, for a profile rename; `to`'s old entries are replaced. Blocking (keychain calls).
pub fn move_stored(store: &TokenStore, from: &str, to: &str) -> Result<()> {
    for (old, new) in accounts(from).into_iter().zip(accounts(to)) {
        match store.get(&old)? {
            Some(v) => {
                store.set(&new, &v)?;
                store.delete(&old)?;
            }
            None => store.delete(&new)?,
        }
    }
    Ok(())
}
