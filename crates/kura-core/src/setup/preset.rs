//! Provider presets and the setup form's draft profile.
//!
//! Each preset asks only what it needs and derives the rest:
//! - Auth0: tenant domain → issuer `https://DOMAIN/` (trailing slash), optional API `audience`;
//! - Amazon Cognito user pool: region + pool ID → `https://cognito-idp.REGION.amazonaws.com/POOL_ID`
//!   (no slash), scopes without `offline_access` (user pools refuse it and issue refresh tokens
//!   anyway);
//! - Keycloak: base URL + realm → `BASE/realms/REALM`;
//! - Okta: org URL + authorization server (default `default`) → `ORG/oauth2/SERVER`;
//! - Microsoft Entra ID: tenant ID → `https://login.microsoftonline.com/TENANT/v2.0`;
//! - Generic OpenID Connect: the issuer as typed.
//!
//! A domain or base URL may be typed with or without `https://`; plain `http://` is accepted on
//! loopback only (local test providers).

use serde::{Deserialize, Serialize};

use super::credentials::CredentialSource;
use super::provider::{default_scopes, issue, present};
use crate::config::edit::ProfileKeys;
use crate::config::identity_pool::{self, CognitoFlow};
use crate::config::rules::{self, LoopbackHost, Redirect, Violation};
use crate::config::Profile;

/// The provider presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// Auth0.
    Auth0,
    /// Amazon Cognito user pool.
    Cognito,
    /// Keycloak.
    Keycloak,
    /// Okta.
    Okta,
    /// Microsoft Entra ID.
    Entra,
    /// Any other OpenID Connect provider.
    Generic,
}

/// What a preset asks for. Field names (for [`FieldIssue::field`]) are the variant fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "preset", rename_all = "snake_case")]
pub enum ProviderInput {
    /// Auth0: `domain` (`acme.eu.auth0.com` or a custom domain), optional API `audience`.
    Auth0 {
        /// Tenant or custom domain.
        domain: String,
        /// API identifier sent as `audience`, if any.
        audience: Option<String>,
    },
    /// Cognito user pool: `pool_region` and `user_pool_id` (`eu-west-1_AbC123`).
    Cognito {
        /// The user pool's region.
        pool_region: String,
        /// The user pool ID.
        user_pool_id: String,
    },
    /// Keycloak: `base_url` (`https://sso.example.com`, with `/auth` on old versions) and `realm`.
    Keycloak {
        /// Server base URL.
        base_url: String,
        /// Realm name.
        realm: String,
    },
    /// Okta: `org_url` (`https://acme.okta.com`) and the authorization server ID (`default`).
    Okta {
        /// Org URL.
        org_url: String,
        /// Custom authorization server ID; `None` means `default`.
        authorization_server: Option<String>,
    },
    /// Entra ID: the directory (tenant) ID (a GUID or a verified domain).
    Entra {
        /// Tenant ID.
        tenant_id: String,
    },
    /// Generic: the issuer and, optionally, scopes (default `openid offline_access profile email`).
    Generic {
        /// Issuer URL exactly as in the ID token's `iss`.
        issuer: String,
        /// Scopes; `None` means the default.
        scopes: Option<Vec<String>>,
    },
}

/// A problem with one form field: `field` names a [`ProfileDraft`] or [`ProviderInput`] field,
/// `code` is a stable code (the rules' codes, plus `required`, `name.taken`), `message` English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldIssue {
    /// The field.
    pub field: String,
    /// Stable code.
    pub code: String,
    /// English explanation.
    pub message: String,
}

/// The setup form: a profile as a person types it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProfileDraft {
    /// Profile name.
    pub name: String,
    /// The provider preset and its fields.
    pub provider: ProviderInput,
    /// OAuth client ID of the native app registered at the provider.
    pub client_id: String,
    /// `redirect_uri` (the app's scheme, or a loopback URL); empty means loopback, any port.
    pub redirect_uri: String,
    /// The CLI's fixed loopback port when `redirect_uri` is the app's scheme.
    pub loopback_port: Option<u16>,
    /// Where the AWS credentials come from: an IAM role (`role_arn`) or an Amazon Cognito
    /// identity pool (`identity_pool_id` and its fields).
    pub credentials: CredentialSource,
    /// `RoleArn`: required for [`CredentialSource::Role`] and the pool's basic flow; optional
    /// `CustomRoleArn` for the enhanced flow (empty: the pool's authenticated role).
    pub role_arn: String,
    /// Identity pool: `IdentityPoolId`, `REGION:GUID`.
    pub identity_pool_id: String,
    /// Identity pool: the `Logins` key (the provider's name in the pool); empty means the
    /// default derived from the issuer ([`ProfileDraft::default_identity_provider`]).
    pub identity_provider: String,
    /// Identity pool: the flow (`enhanced`, the default, or `basic`).
    #[cfg_attr(feature = "ts", ts(type = "\"enhanced\" | \"basic\""))]
    pub cognito_flow: CognitoFlow,
    /// Identity pool: Cognito Identity endpoint override (empty: AWS's for the pool's region).
    pub cognito_endpoint: String,
    /// Bucket.
    pub bucket: String,
    /// The bucket's region.
    pub region: String,
    /// Prefix template (`users/{sub}/`).
    pub prefix: String,
    /// S3 endpoint for S3-compatible stores (empty: AWS).
    pub s3_endpoint: String,
    /// STS endpoint for S3-compatible stores (empty: AWS).
    pub sts_endpoint: String,
    /// Path-style addressing.
    pub force_path_style: bool,
}

/// The default prefix template (not written to the file).
pub const DEFAULT_PREFIX: &str = "users/{sub}/";

/// A trimmed optional text field: `None` when empty.
pub(super) fn optional(v: &str) -> Option<&str> {
    Some(v.trim()).filter(|v| !v.is_empty())
}

/// Adds `key = value` (trimmed) to `k`, or removes `key` when `value` is `None`.
pub(super) fn put(k: &mut ProfileKeys, key: &'static str, value: Option<&str>) {
    match value {
        Some(v) => k.set.push((key, v.trim().into())),
        None => k.unset.push(key),
    }
}

/// Runs `rule` on a required field, adding `required` or the rule's issue.
pub(super) fn check(
    issues: &mut Vec<FieldIssue>,
    field: &str,
    value: &str,
    rule: impl Fn(&str) -> Result<(), Violation>,
) {
    match present(field, value) {
        Ok(v) => {
            if let Err(e) = rule(v) {
                issues.push(issue(field, e.code, e.message));
            }
        }
        Err(i) => issues.push(i),
    }
}

impl ProfileDraft {
    /// The draft for editing a saved profile.
    pub fn from_profile(profile: &Profile) -> ProfileDraft {
        let pool = profile.identity_pool.as_ref();
        ProfileDraft {
            name: profile.name.clone(),
            provider: ProviderInput::from_profile(profile),
            client_id: profile.client_id.clone(),
            redirect_uri: profile.redirect_uri.clone().unwrap_or_default(),
            loopback_port: profile.loopback_port,
            credentials: match profile.identity_pool {
                Some(_) => CredentialSource::IdentityPool,
                None => CredentialSource::Role,
            },
            role_arn: profile.role_arn.clone().unwrap_or_default(),
            identity_pool_id: pool.map(|p| p.identity_pool_id.clone()).unwrap_or_default(),
            // The default is shown as the field's placeholder, not as typed text.
            identity_provider: pool
                .map(|p| &p.identity_provider)
                .filter(|p| **p != identity_pool::provider_name(&profile.issuer))
                .cloned()
                .unwrap_or_default(),
            cognito_flow: pool.map_or(CognitoFlow::Enhanced, |p| p.flow),
            cognito_endpoint: pool.and_then(|p| p.endpoint.clone()).unwrap_or_default(),
            bucket: profile.bucket.clone(),
            region: profile.region.clone(),
            prefix: profile.prefix.clone(),
            s3_endpoint: profile.s3_endpoint.clone().unwrap_or_default(),
            sts_endpoint: profile.sts_endpoint.clone().unwrap_or_default(),
            force_path_style: profile.force_path_style,
        }
    }

    /// Every field's problems (the config file's rules, from [`crate::config::rules`]); empty
    /// when the draft can be saved. `taken` lists existing profile names (a new name must not be
    /// one of them), `replacing` the profile being edited (its own name is allowed).
    pub fn validate(&self, taken: &[String], replacing: Option<&str>) -> Vec<FieldIssue> {
        let mut issues = Vec::new();
        check(&mut issues, "name", &self.name, |n| {
            rules::profile_name(n)?;
            if taken.iter().any(|t| t == n) && replacing != Some(n) {
                return Err(Violation {
                    code: "name.taken",
                    message: format!("a profile named {n:?} exists: choose another name"),
                });
            }
            Ok(())
        });
        if let Err(e) = self.provider.issuer() {
            issues.extend(e);
        }
        if let ProviderInput::Generic { scopes: Some(_), .. } = &self.provider {
            if let Err(e) = rules::scopes(&self.provider.scopes()) {
                issues.push(issue("scopes", e.code, e.message));
            }
        }
        check(&mut issues, "client_id", &self.client_id, |c| {
            if c.chars().any(char::is_whitespace) {
                return Err(Violation {
                    code: "client_id.invalid",
                    message: "a client ID has no spaces".into(),
                });
            }
            Ok(())
        });
        if let Some(r) = optional(&self.redirect_uri) {
            if let Err(e) = rules::redirect_uri(r) {
                issues.push(issue("redirect_uri", e.code, e.message));
            }
        }
        if let Some(p) = self.loopback_port {
            if let Err(e) = rules::loopback_port(p.into()) {
                issues.push(issue("loopback_port", e.code, e.message));
            }
        }
        self.validate_credentials(&mut issues);
        check(&mut issues, "bucket", &self.bucket, rules::bucket);
        check(&mut issues, "region", &self.region, rules::region);
        check(&mut issues, "prefix", &self.prefix, rules::prefix_template);
        if let Some(i) = self.identity_id_without_pool() {
            issues.push(i);
        }
        for (field, value) in [("s3_endpoint", &self.s3_endpoint), ("sts_endpoint", &self.sts_endpoint)] {
            if let Some(v) = optional(value) {
                if let Err(e) = rules::endpoint_url(v) {
                    issues.push(issue(field, e.code, e.message));
                }
            }
        }
        issues
    }

    /// Where the desktop app's callback arrives (empty `redirect_uri`: loopback, any port).
    fn redirect(&self) -> Redirect {
        optional(&self.redirect_uri)
            .and_then(|r| rules::redirect_uri(r).ok())
            .unwrap_or(Redirect::loopback(None))
    }

    /// The callback URLs to register: for the app's scheme, it and the CLI's loopback URI
    /// (`loopback_port`, or any port; on `localhost` for an Amazon Cognito issuer, which takes
    /// plain http only there, as [`Profile::cli_redirect`]); else the loopback URI as typed
    /// (`http://127.0.0.1[:PORT]/callback` or `http://localhost[:PORT]/callback`).
    pub fn callback_urls(&self) -> Vec<String> {
        match self.redirect() {
            r @ Redirect::AppScheme(_) => {
                // As the saved profile's `cli_redirect`: the host follows the issuer.
                let host = self
                    .provider
                    .issuer()
                    .map(|i| LoopbackHost::for_issuer(&i))
                    .unwrap_or_default();
                let cli = Redirect::Loopback {
                    host,
                    port: self.loopback_port,
                };
                vec![r.registered_uri(), cli.registered_uri()]
            }
            r => vec![r.registered_uri()],
        }
    }

    /// The profile's keys for [`crate::config::edit::ConfigFile::set_profile`] (defaults are
    /// not written; cleared optional fields are unset). Errors: as [`validate`].
    ///
    /// [`validate`]: ProfileDraft::validate
    pub fn to_keys(&self) -> Result<ProfileKeys, Vec<FieldIssue>> {
        let issues = self.validate(&[], None);
        if !issues.is_empty() {
            return Err(issues);
        }
        let mut k = ProfileKeys::default();
        put(&mut k, "issuer", Some(&self.provider.issuer()?));
        put(&mut k, "client_id", Some(&self.client_id));
        let scopes = self.provider.scopes();
        if scopes == default_scopes() {
            k.unset.push("scopes");
        } else {
            k.set.push(("scopes", toml_edit::Value::Array(scopes.iter().collect())));
        }
        // Generic has no audience field: an audience written by hand stays.
        if self.provider.preset() != Preset::Generic {
            put(&mut k, "audience", self.provider.audience().as_deref());
        }
        put(&mut k, "redirect_uri", optional(&self.redirect_uri));
        match self.loopback_port {
            Some(p) => k.set.push(("loopback_port", i64::from(p).into())),
            None => k.unset.push("loopback_port"),
        }
        self.credential_keys(&mut k);
        put(&mut k, "bucket", Some(&self.bucket));
        put(&mut k, "region", Some(&self.region));
        let prefix = self.prefix.trim();
        put(&mut k, "prefix", (prefix != DEFAULT_PREFIX).then_some(prefix));
        put(&mut k, "s3_endpoint", optional(&self.s3_endpoint));
        put(&mut k, "sts_endpoint", optional(&self.sts_endpoint));
        if self.force_path_style {
            k.set.push(("force_path_style", true.into()));
        } else {
            k.unset.push("force_path_style");
        }
        Ok(k)
    }
}

#[cfg(test)]
#[path = "preset_tests.rs"]
mod tests;
