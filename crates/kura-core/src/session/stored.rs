//! What a session keeps: the in-memory [`State`] and its keychain record `<profile>:session`
//! ([`Stored`], JSON), plus the remembered Amazon Cognito identity `<profile>:identity`.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::oidc::{Identity, TokenSet};
use crate::sts::TemporaryCredentials;

/// The keychain record `<profile>:session`.
#[derive(Serialize, Deserialize)]
pub(super) struct Stored {
    identity: Identity,
    id_token: String,
    id_token_expires_at: i64,
    access_token: String,
    access_token_expires_at: Option<i64>,
    credentials: Option<StoredCredentials>,
    /// The Amazon Cognito identity ID (profiles with an identity pool).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    identity_id: Option<String>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredCredentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: String,
    expiration: i64,
}

#[derive(Clone)]
pub(super) struct State {
    pub(super) tokens: TokenSet,
    pub(super) credentials: Option<TemporaryCredentials>,
    /// The Amazon Cognito identity ID, once known (profiles with an identity pool).
    pub(super) identity_id: Option<String>,
}

impl State {
    /// A new state after a sign-in: no credentials, no identity ID yet.
    pub(super) fn new(tokens: TokenSet) -> State {
        State {
            tokens,
            credentials: None,
            identity_id: None,
        }
    }

    /// The claims prefix templates are rendered from: the ID token's, plus `{identity_id}`.
    pub(super) fn claims(&self) -> crate::paths::Claims {
        self.tokens.claims().with_identity_id(self.identity_id.as_deref())
    }
}

fn ts(t: OffsetDateTime) -> i64 {
    t.unix_timestamp()
}

fn from_ts(t: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(t).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

impl State {
    pub(super) fn to_stored(&self) -> Stored {
        let t = &self.tokens;
        Stored {
            identity: t.identity.clone(),
            id_token: t.id_token.expose_secret().to_string(),
            id_token_expires_at: ts(t.id_token_expires_at),
            access_token: t.access_token.expose_secret().to_string(),
            access_token_expires_at: t.access_token_expires_at.map(ts),
            credentials: self.credentials.as_ref().map(|c| StoredCredentials {
                access_key_id: c.access_key_id.clone(),
                secret_access_key: c.secret_access_key.expose_secret().to_string(),
                session_token: c.session_token.expose_secret().to_string(),
                expiration: ts(c.expiration),
            }),
            identity_id: self.identity_id.clone(),
        }
    }

    pub(super) fn from_stored(s: Stored, refresh_token: Option<String>) -> State {
        State {
            tokens: TokenSet {
                identity: s.identity,
                id_token: SecretString::from(s.id_token),
                id_token_expires_at: from_ts(s.id_token_expires_at),
                access_token: SecretString::from(s.access_token),
                access_token_expires_at: s.access_token_expires_at.map(from_ts),
                refresh_token: refresh_token.map(SecretString::from),
            },
            credentials: s.credentials.map(|c| TemporaryCredentials {
                access_key_id: c.access_key_id,
                secret_access_key: SecretString::from(c.secret_access_key),
                session_token: SecretString::from(c.session_token),
                expiration: from_ts(c.expiration),
            }),
            identity_id: s.identity_id,
        }
    }

    /// Credentials with more than `margin` seconds left (a negative margin accepts expired ones).
    pub(super) fn fresh_credentials(&self, margin: i64) -> Option<TemporaryCredentials> {
        self.credentials.as_ref().filter(|c| c.seconds_left() > margin).cloned()
    }
}

/// The keychain record `<profile>:identity`: the identity ID an identity pool gave a user, kept
/// across sign-outs (it is an identifier, not a credential) so the next sign-in of the same user
/// skips `GetId`. Used only for the same pool and `sub`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct RememberedIdentity {
    pub(super) identity_pool_id: String,
    pub(super) sub: String,
    pub(super) identity_id: String,
}
