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

use crate::config::edit::ProfileKeys;
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
    /// `RoleArn`.
    pub role_arn: String,
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
    /// The IAM role's trust policy (JSON, pretty-printed), see [`super::policy`].
    pub trust_policy: String,
    /// The per-user permission policy (JSON, pretty-printed).
    pub permission_policy: String,
}

impl ProviderInput {
    /// The preset.
    pub fn preset(&self) -> Preset {
        todo!()
    }

    /// The derived issuer. Errors: issues naming this input's fields.
    pub fn issuer(&self) -> Result<String, Vec<FieldIssue>> {
        todo!()
    }

    /// Scopes to request (Cognito: without `offline_access`).
    pub fn scopes(&self) -> Vec<String> {
        todo!()
    }

    /// The Auth0 `audience`, if any.
    pub fn audience(&self) -> Option<String> {
        todo!()
    }

    /// The preset input that derives `profile`'s issuer (for editing a saved profile); a
    /// profile that fits no preset is [`ProviderInput::Generic`].
    pub fn from_profile(profile: &Profile) -> ProviderInput {
        let _ = profile;
        todo!()
    }
}

impl ProfileDraft {
    /// The draft for editing a saved profile.
    pub fn from_profile(profile: &Profile) -> ProfileDraft {
        let _ = profile;
        todo!()
    }

    /// Every field's problems (the config file's rules, from [`crate::config::rules`]); empty
    /// when the draft can be saved. `taken` lists existing profile names (a new name must not be
    /// one of them), `replacing` the profile being edited (its own name is allowed).
    pub fn validate(&self, taken: &[String], replacing: Option<&str>) -> Vec<FieldIssue> {
        let _ = (taken, replacing);
        todo!()
    }

    /// Derived values and the policies to register. Errors: the same issues as [`validate`].
    ///
    /// [`validate`]: ProfileDraft::validate
    pub fn summary(&self) -> Result<SetupSummary, Vec<FieldIssue>> {
        todo!()
    }

    /// The profile's keys for [`crate::config::edit::ConfigFile::set_profile`] (defaults are
    /// not written; cleared optional fields are unset). Errors: as [`validate`].
    ///
    /// [`validate`]: ProfileDraft::validate
    pub fn to_keys(&self) -> Result<ProfileKeys, Vec<FieldIssue>> {
        todo!()
    }
}
