//! What an administrator registers for a profile, computed once for the desktop's setup screen
//! ([`ProfileDraft::summary`]) and `kura profile show --policies` ([`SetupSummary::for_profile`]):
//! callback URLs, the IAM OIDC identity provider, the identity pool's provider entry, and the
//! role's trust and permission policies ([`super::policy`]).
//!
//! Sources: IAM User Guide, "Create an OpenID Connect (OIDC) identity provider in IAM" and
//! "Create a role for OpenID Connect federation"; Amazon Cognito Developer Guide, "Identity pools
//! third-party identity providers" (Cognito user pools: provider name + app client ID; OpenID
//! Connect: the IAM OIDC provider, whose audience lists the client ID) and "IAM roles" (the
//! authenticated role's trust policy).

use serde::Serialize;

use super::credentials::CredentialSource;
use super::policy;
use super::preset::{FieldIssue, ProfileDraft};
use crate::config::identity_pool::{CognitoFlow, IdentityPool};
use crate::config::{Profile, WebIdentityToken};

/// What the setup shows once the draft is valid: the derived values and what to register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SetupSummary {
    /// The derived issuer.
    pub issuer: String,
    /// The scopes that will be requested.
    pub scopes: Vec<String>,
    /// Callback URLs to register at the provider (the app's scheme and/or loopback).
    pub callback_urls: Vec<String>,
    /// The IAM OIDC identity provider to create for the issuer: the role trusts it (IAM role
    /// credentials), or the identity pool lists it (a pool with an OpenID Connect provider).
    /// `None` for a Cognito user pool behind an identity pool (the pool lists the user pool).
    pub oidc_provider: Option<OidcProviderEntry>,
    /// The identity pool and the provider to register in it; `None` for IAM role credentials.
    pub identity_pool: Option<IdentityPoolEntry>,
    /// The role the policies belong to (`role_arn`); `None` for the identity pool's
    /// authenticated role (enhanced flow without `role_arn`).
    pub role_arn: Option<String>,
    /// The role's trust policy (JSON, pretty-printed): [`policy::trust_policy`], or for an
    /// identity pool [`policy::identity_pool_trust_policy`].
    pub trust_policy: String,
    /// The per-user permission policy (JSON, pretty-printed), [`policy::permission_policy_in`].
    pub permission_policy: String,
}

/// An IAM OpenID Connect identity provider to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OidcProviderEntry {
    /// Its URL without `https://` (`acme.auth0.com/`; for an identity pool the `Logins` key).
    pub url: String,
    /// Its ARN, `arn:PARTITION:iam::ACCOUNT:oidc-provider/URL` (`ACCOUNT_ID` when the role ARN
    /// names no account, or there is no role ARN).
    pub arn: String,
    /// The audience (client ID) it must list.
    pub audience: String,
}

/// How the identity pool lists the sign-in provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PoolProviderType {
    /// A Cognito user pool: user pool ID (in `identity_provider`) and app client ID.
    CognitoUserPool,
    /// An OpenID Connect provider: the IAM OIDC provider ([`SetupSummary::oidc_provider`]).
    OpenidConnect,
}

/// The identity pool settings an administrator checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IdentityPoolEntry {
    /// `IdentityPoolId`, `REGION:GUID`.
    pub identity_pool_id: String,
    /// The pool's region (from its ID).
    pub region: String,
    /// The flow; `basic` needs "basic (classic) authentication" allowed on the pool.
    #[cfg_attr(feature = "ts", ts(type = "\"enhanced\" | \"basic\""))]
    pub flow: CognitoFlow,
    /// The provider's name in the pool (the `Logins` key), e.g.
    /// `cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123` or `acme.auth0.com`.
    pub identity_provider: String,
    /// How the pool lists that provider.
    pub provider_type: PoolProviderType,
    /// The client ID the pool must accept (app client ID, or the OIDC provider's audience).
    pub client_id: String,
    /// True when `role_arn` is sent as `CustomRoleArn` (enhanced flow): the pool's role-based
    /// access control (roles from the token, or rules) must offer that role for the sign-in.
    pub custom_role: bool,
}

/// What the registrations are computed from (a draft or a saved profile).
struct Inputs<'a> {
    issuer: String,
    scopes: Vec<String>,
    callback_urls: Vec<String>,
    client_id: &'a str,
    /// The trust policy's audience for role credentials: the client ID, or the API audience
    /// when the access token is sent.
    audience: &'a str,
    role_arn: Option<&'a str>,
    pool: Option<IdentityPool>,
    bucket: &'a str,
    prefix: &'a str,
    region: &'a str,
}

/// True for a Cognito user pool's provider name (`cognito-idp.REGION.amazonaws.com[.cn]/POOL`).
fn is_user_pool(provider: &str) -> bool {
    provider.split_once('/').is_some_and(|(host, pool)| {
        host.starts_with("cognito-idp.")
            && (host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn"))
            && !pool.is_empty()
    })
}

fn pretty(v: serde_json::Value) -> String {
    serde_json::to_string_pretty(&v).expect("JSON")
}

impl Inputs<'_> {
    fn summary(self) -> SetupSummary {
        let partition = match self.role_arn {
            Some(r) => policy::partition(r),
            None => policy::region_partition(self.region),
        };
        let account = self.role_arn.map_or(policy::ACCOUNT_PLACEHOLDER, policy::account);
        let permission = policy::permission_policy_in(partition, &self.issuer, self.bucket, self.prefix);
        let (oidc_provider, identity_pool, trust) = match &self.pool {
            None => {
                let url = policy::provider_url(&self.issuer);
                let trust = policy::trust_policy(&self.issuer, self.audience, self.role_arn.unwrap_or_default());
                let entry = OidcProviderEntry {
                    arn: policy::oidc_provider_arn(partition, account, &url),
                    url,
                    audience: self.audience.to_string(),
                };
                (Some(entry), None, trust)
            }
            Some(pool) => {
                let user_pool = is_user_pool(&pool.identity_provider);
                let oidc = (!user_pool).then(|| OidcProviderEntry {
                    url: pool.identity_provider.clone(),
                    arn: policy::oidc_provider_arn(partition, account, &pool.identity_provider),
                    audience: self.client_id.to_string(),
                });
                let entry = IdentityPoolEntry {
                    identity_pool_id: pool.identity_pool_id.clone(),
                    region: pool.region().to_string(),
                    flow: pool.flow,
                    identity_provider: pool.identity_provider.clone(),
                    provider_type: if user_pool {
                        PoolProviderType::CognitoUserPool
                    } else {
                        PoolProviderType::OpenidConnect
                    },
                    client_id: self.client_id.to_string(),
                    custom_role: pool.flow == CognitoFlow::Enhanced && self.role_arn.is_some(),
                };
                (
                    oidc,
                    Some(entry),
                    policy::identity_pool_trust_policy(&pool.identity_pool_id),
                )
            }
        };
        SetupSummary {
            issuer: self.issuer,
            scopes: self.scopes,
            callback_urls: self.callback_urls,
            oidc_provider,
            identity_pool,
            role_arn: self.role_arn.map(str::to_string),
            trust_policy: pretty(trust),
            permission_policy: pretty(permission),
        }
    }
}

impl SetupSummary {
    /// What to register for a saved profile (`kura profile show --policies`): as the setup
    /// form's [`ProfileDraft::summary`], with the profile's scopes and, for
    /// `web_identity_token = "access_token"`, its API `audience` in the trust policy.
    pub fn for_profile(profile: &Profile) -> SetupSummary {
        let audience = match (profile.web_identity_token, &profile.audience) {
            (WebIdentityToken::AccessToken, Some(a)) => a.as_str(),
            _ => profile.client_id.as_str(),
        };
        Inputs {
            issuer: profile.issuer.clone(),
            scopes: profile.scopes.clone(),
            callback_urls: ProfileDraft::from_profile(profile).callback_urls(),
            client_id: &profile.client_id,
            audience,
            role_arn: profile.role_arn.as_deref(),
            pool: profile.identity_pool.clone(),
            bucket: &profile.bucket,
            prefix: &profile.prefix,
            region: &profile.region,
        }
        .summary()
    }
}

impl ProfileDraft {
    /// Derived values and what to register. Errors: the same issues as [`validate`].
    ///
    /// [`validate`]: ProfileDraft::validate
    pub fn summary(&self) -> Result<SetupSummary, Vec<FieldIssue>> {
        let issues = self.validate(&[], None);
        if !issues.is_empty() {
            return Err(issues);
        }
        let pool = match self.credentials {
            CredentialSource::Role => None,
            CredentialSource::IdentityPool => self.identity_pool(),
        };
        Ok(Inputs {
            issuer: self.provider.issuer()?,
            scopes: self.provider.scopes(),
            callback_urls: self.callback_urls(),
            client_id: self.client_id.trim(),
            audience: self.client_id.trim(),
            role_arn: self.role_arn_opt(),
            pool,
            bucket: self.bucket.trim(),
            prefix: self.prefix.trim(),
            region: self.region.trim(),
        }
        .summary())
    }
}
