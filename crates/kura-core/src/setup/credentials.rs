//! Where a draft profile's AWS credentials come from: an IAM role assumed with the provider's
//! token (`role_arn`), or an Amazon Cognito identity pool (`identity_pool_id`,
//! `identity_provider`, `cognito_flow`, `cognito_endpoint`), checked with the config reader's
//! rules ([`crate::config::identity_pool`]; Cognito Developer Guide, "Identity pools
//! authentication flow").

use serde::{Deserialize, Serialize};

use super::preset::{check, optional, put, FieldIssue, ProfileDraft};
use super::provider::{issue, required};
use crate::config::edit::ProfileKeys;
use crate::config::identity_pool::{self, CognitoFlow, IdentityPool};
use crate::config::rules;
use crate::paths::template::{parse, Part, Placeholder};

/// The credential source the setup form offers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CredentialSource {
    /// STS `AssumeRoleWithWebIdentity` of `role_arn` with the provider's token.
    #[default]
    Role,
    /// An Amazon Cognito identity pool (enhanced or basic flow).
    IdentityPool,
}

/// The prefix template suggested for an identity pool: one folder per identity ID, the
/// `${cognito-identity.amazonaws.com:sub}` of the pool's role policies.
pub const POOL_PREFIX: &str = "cognito/{identity_id}/";

/// The keys only an identity pool uses (removed when a profile switches to a role).
const POOL_KEYS: [&str; 4] = [
    "identity_pool_id",
    "identity_provider",
    "cognito_flow",
    "cognito_endpoint",
];

/// True when `template` has the `{identity_id}` placeholder.
pub(super) fn has_identity_id(template: &str) -> bool {
    parse(template).is_ok_and(|parts| {
        parts
            .iter()
            .any(|p| matches!(p, Part::Placeholder(Placeholder::IdentityId)))
    })
}

impl ProfileDraft {
    /// The `Logins` key used when `identity_provider` is empty: the issuer without scheme and
    /// trailing slash ([`identity_pool::provider_name`]) — `cognito-idp.REGION.amazonaws.com/POOL_ID`
    /// for a Cognito user pool, `TENANT.auth0.com` for Auth0. `None` while the provider fields
    /// give no issuer.
    pub fn default_identity_provider(&self) -> Option<String> {
        self.provider.issuer().ok().map(|i| identity_pool::provider_name(&i))
    }

    /// The identity pool the saved profile will have (`None` for [`CredentialSource::Role`] or
    /// while `identity_pool_id` is empty). Values as typed, trimmed; call after validation.
    pub fn identity_pool(&self) -> Option<IdentityPool> {
        if self.credentials != CredentialSource::IdentityPool {
            return None;
        }
        let id = optional(&self.identity_pool_id)?;
        let identity_provider = optional(&self.identity_provider)
            .map(str::to_string)
            .or_else(|| self.default_identity_provider())?;
        Some(IdentityPool {
            identity_pool_id: id.to_string(),
            identity_provider,
            flow: self.cognito_flow,
            endpoint: optional(&self.cognito_endpoint).map(str::to_string),
        })
    }

    /// `role_arn` as saved: `None` when empty (allowed only for the enhanced flow).
    pub(super) fn role_arn_opt(&self) -> Option<&str> {
        optional(&self.role_arn)
    }

    /// The credential fields' issues: `role_arn` (`required` for a role and the basic flow,
    /// `role_arn.invalid`), `identity_pool_id` (`required`, `identity_pool_id.invalid`),
    /// `identity_provider` (`identity_provider.invalid`), `cognito_endpoint` (the URL rules'
    /// codes). Pool fields are ignored for [`CredentialSource::Role`] (the form hides them and
    /// [`ProfileDraft::to_keys`] removes them).
    pub(super) fn validate_credentials(&self, issues: &mut Vec<FieldIssue>) {
        if self.credentials == CredentialSource::Role {
            check(issues, "role_arn", &self.role_arn, rules::role_arn);
            return;
        }
        check(
            issues,
            "identity_pool_id",
            &self.identity_pool_id,
            identity_pool::identity_pool_id,
        );
        if let Some(p) = optional(&self.identity_provider) {
            if let Err(e) = identity_pool::identity_provider(p) {
                issues.push(issue("identity_provider", e.code, e.message));
            }
        }
        match (self.role_arn_opt(), self.cognito_flow) {
            (Some(r), _) => {
                if let Err(e) = rules::role_arn(r) {
                    issues.push(issue("role_arn", e.code, e.message));
                }
            }
            (None, CognitoFlow::Basic) => issues.push(required("role_arn")),
            (None, CognitoFlow::Enhanced) => {}
        }
        if let Some(e) = optional(&self.cognito_endpoint) {
            if let Err(v) = rules::endpoint_url(e) {
                issues.push(issue("cognito_endpoint", v.code, v.message));
            }
        }
    }

    /// A `prefix` issue when the template uses `{identity_id}` without an identity pool (code
    /// `prefix.identity_id_without_pool`, as the config reader refuses it).
    pub(super) fn identity_id_without_pool(&self) -> Option<FieldIssue> {
        (self.credentials == CredentialSource::Role && has_identity_id(&self.prefix)).then(|| {
            issue(
                "prefix",
                "prefix.identity_id_without_pool",
                "{identity_id} is the Amazon Cognito identity ID: choose an identity pool, or use {sub}",
            )
        })
    }

    /// The credential keys: for a role `role_arn`, with the pool's keys removed; for a pool
    /// `identity_pool_id`, `identity_provider` (only when it differs from the default),
    /// `cognito_flow` (only `basic`), `cognito_endpoint`, the optional `role_arn`, and
    /// `web_identity_token` removed (a pool takes the ID token).
    pub(super) fn credential_keys(&self, k: &mut ProfileKeys) {
        match self.credentials {
            CredentialSource::Role => {
                put(k, "role_arn", Some(&self.role_arn));
                k.unset.extend(POOL_KEYS);
            }
            CredentialSource::IdentityPool => {
                put(k, "role_arn", self.role_arn_opt());
                put(k, "identity_pool_id", Some(&self.identity_pool_id));
                let provider = optional(&self.identity_provider)
                    .filter(|p| Some(p.to_string()) != self.default_identity_provider());
                put(k, "identity_provider", provider);
                let basic = self.cognito_flow == CognitoFlow::Basic;
                put(k, "cognito_flow", basic.then_some(CognitoFlow::Basic.as_str()));
                put(k, "cognito_endpoint", optional(&self.cognito_endpoint));
                k.unset.push("web_identity_token");
            }
        }
    }
}

#[cfg(test)]
#[path = "credentials_tests.rs"]
mod tests;
