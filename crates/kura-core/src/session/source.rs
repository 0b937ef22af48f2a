//! Where a session's AWS credentials come from: STS `AssumeRoleWithWebIdentity` with the
//! provider's token (`role_arn`), or an Amazon Cognito identity pool ([`crate::cognito`]), whose
//! identity ID is remembered per profile (keychain account `<profile>:identity`).

use secrecy::SecretString;

use super::stored::{RememberedIdentity, State};
use super::Session;
use crate::cognito::{self, IdentityPoolClient};
use crate::config::{Profile, WebIdentityToken};
use crate::error::Result;
use crate::sts::{self, Sts, TemporaryCredentials};

/// The credential source of a profile.
#[derive(Debug, Clone)]
pub(super) enum Source {
    /// `AssumeRoleWithWebIdentity` with `role_arn`.
    Role(Sts),
    /// An identity pool (enhanced or basic flow).
    Pool(IdentityPoolClient),
}

impl Source {
    pub(super) fn new(profile: &Profile) -> Source {
        match &profile.identity_pool {
            Some(pool) => Source::Pool(IdentityPoolClient::new(profile, pool)),
            None => Source::Role(Sts::new(profile)),
        }
    }
}

/// True when the error means the web identity token has expired (refresh it and try again).
pub(super) fn is_expired(e: &crate::Error) -> bool {
    sts::is_expired_token(e) || cognito::is_expired_login(e)
}

impl Session {
    fn identity_account(&self) -> String {
        format!("{}:identity", self.profile.name)
    }

    /// The token this profile sends: the ID token, or the access token for `web_identity_token =
    /// "access_token"` (never with an identity pool, whose `Logins` take the ID token).
    pub(super) fn web_identity_token(&self, st: &State) -> SecretString {
        match self.profile.web_identity_token {
            WebIdentityToken::IdToken => st.tokens.id_token.clone(),
            WebIdentityToken::AccessToken => st.tokens.access_token.clone(),
        }
    }

    /// Trades the current token for credentials with the profile's source. For an identity
    /// pool, the identity ID is the state's, else the remembered one for this pool and `sub`,
    /// else `GetId`'s (then remembered); a remembered ID the pool refuses is replaced by `GetId`'s.
    pub(super) async fn exchange(&self, st: &mut State) -> Result<TemporaryCredentials> {
        let token = self.web_identity_token(st);
        let pool = match &self.source {
            Source::Role(sts) => return sts.assume_role(&token, &st.tokens.identity.sub).await,
            Source::Pool(pool) => pool,
        };
        let known = match st.identity_id.clone() {
            Some(id) => Some(id),
            None => self.remembered_identity(pool, &st.tokens.identity.sub).await?,
        };
        let (id, creds) = match known {
            Some(id) => match pool.credentials(&id, &token).await {
                Err(e) if cognito::is_stale_identity(&e) => {
                    tracing::info!("the identity pool refused the remembered identity ID; asking GetId again");
                    let fresh = pool.get_id(&token).await?;
                    if fresh == id {
                        return Err(e);
                    }
                    let creds = pool.credentials(&fresh, &token).await?;
                    (fresh, creds)
                }
                other => (id, other?),
            },
            None => {
                let id = pool.get_id(&token).await?;
                let creds = pool.credentials(&id, &token).await?;
                (id, creds)
            }
        };
        if st.identity_id.as_deref() != Some(&id) {
            self.remember_identity(pool, &st.tokens.identity.sub, &id).await?;
            st.identity_id = Some(id);
        }
        Ok(creds)
    }

    async fn remembered_identity(&self, pool: &IdentityPoolClient, sub: &str) -> Result<Option<String>> {
        let account = self.identity_account();
        let json = self.blocking(move |s| s.get(&account)).await?;
        let pool_id = &pool.pool().identity_pool_id;
        Ok(json
            .and_then(|j| serde_json::from_str::<RememberedIdentity>(&j).ok())
            .filter(|r| &r.identity_pool_id == pool_id && r.sub == sub)
            .map(|r| r.identity_id))
    }

    async fn remember_identity(&self, pool: &IdentityPoolClient, sub: &str, identity_id: &str) -> Result<()> {
        let record = RememberedIdentity {
            identity_pool_id: pool.pool().identity_pool_id.clone(),
            sub: sub.to_string(),
            identity_id: identity_id.to_string(),
        };
        let json = serde_json::to_string(&record).expect("serialisable");
        let account = self.identity_account();
        self.blocking(move |s| s.set(&account, &json)).await
    }
}
