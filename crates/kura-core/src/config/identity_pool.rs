//! Amazon Cognito identity pool settings of a profile (`identity_pool_id`, `identity_provider`,
//! `cognito_flow`, `cognito_endpoint`) and their rules, shared by the config reader and the setup
//! form. Source: Amazon Cognito Developer Guide, "Identity pools authentication flow".

use super::rules::Violation;

/// How credentials are obtained from an identity pool (Cognito Developer Guide, "Identity pools
/// authentication flow").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CognitoFlow {
    /// Enhanced (simplified) flow, the default: `GetId` → `GetCredentialsForIdentity`; the pool
    /// chooses the role, credentials last one hour. No `role_arn` needed.
    Enhanced,
    /// Basic (classic) flow: `GetId` → `GetOpenIdToken` → STS `AssumeRoleWithWebIdentity` with
    /// the profile's `role_arn` and `session_duration`. The pool must allow the basic flow.
    Basic,
}

impl CognitoFlow {
    /// The config value: `enhanced` or `basic`.
    pub fn as_str(self) -> &'static str {
        match self {
            CognitoFlow::Enhanced => "enhanced",
            CognitoFlow::Basic => "basic",
        }
    }
}

/// A profile's identity pool: where its credentials come from instead of a direct
/// `AssumeRoleWithWebIdentity` with the provider's ID token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityPool {
    /// `IdentityPoolId`, `REGION:GUID`, e.g. `us-east-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001`.
    pub identity_pool_id: String,
    /// The key of the `Logins` map: the provider name registered with the pool, e.g.
    /// `cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC` or `TENANT.auth0.com`. Default:
    /// [`provider_name`] of the issuer.
    pub identity_provider: String,
    /// The flow (default [`CognitoFlow::Enhanced`]).
    pub flow: CognitoFlow,
    /// Endpoint override for the Cognito Identity API (default: AWS's for the pool's region).
    pub endpoint: Option<String>,
}

impl IdentityPool {
    /// The pool's region: the part of `identity_pool_id` before `:` (AWS serves the pool only there).
    pub fn region(&self) -> &str {
        self.identity_pool_id.split(':').next().unwrap_or("us-east-1")
    }
}

fn violation(code: &'static str, message: impl Into<String>) -> Violation {
    Violation {
        code,
        message: message.into(),
    }
}

/// An `IdentityPoolId`: `REGION:GUID` (AWS pattern `[\w-]+:[0-9a-f-]+`, at most 55 characters).
/// Code: `identity_pool_id.invalid`.
pub fn identity_pool_id(value: &str) -> Result<(), Violation> {
    let ok = value.len() <= 55
        && value.split_once(':').is_some_and(|(region, guid)| {
            !region.is_empty()
                && region
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !guid.is_empty()
                && guid.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        });
    if ok {
        Ok(())
    } else {
        Err(violation(
            "identity_pool_id.invalid",
            "must be an identity pool ID like \"us-east-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001\"",
        ))
    }
}

/// A `Logins` key: a provider name without a scheme, e.g. `TENANT.auth0.com` or
/// `cognito-idp.REGION.amazonaws.com/POOL_ID` (1–128 characters, no spaces).
/// Code: `identity_provider.invalid`.
pub fn identity_provider(value: &str) -> Result<(), Violation> {
    if value.contains("://") {
        return Err(violation(
            "identity_provider.invalid",
            "must be the provider name without \"https://\" (e.g. \"TENANT.auth0.com\" or \"cognito-idp.REGION.amazonaws.com/POOL_ID\")",
        ));
    }
    if value.is_empty() || value.len() > 128 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(violation(
            "identity_provider.invalid",
            "must be 1 to 128 characters without spaces, e.g. \"TENANT.auth0.com\"",
        ));
    }
    Ok(())
}

/// `cognito_flow`: `enhanced` or `basic`. Code: `cognito_flow.invalid`.
pub fn cognito_flow(value: &str) -> Result<CognitoFlow, Violation> {
    match value {
        "enhanced" => Ok(CognitoFlow::Enhanced),
        "basic" => Ok(CognitoFlow::Basic),
        _ => Err(violation("cognito_flow.invalid", "must be \"enhanced\" or \"basic\"")),
    }
}

/// The provider name an identity pool knows an issuer by (the default `identity_provider`): the
/// issuer without `https://` (or `http://`) and without a trailing `/` —
/// `https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC` →
/// `cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC`, `https://TENANT.auth0.com/` →
/// `TENANT.auth0.com` (Cognito Developer Guide, "OpenID Connect providers").
pub fn provider_name(issuer: &str) -> String {
    let rest = issuer
        .strip_prefix("https://")
        .or_else(|| issuer.strip_prefix("http://"))
        .unwrap_or(issuer);
    rest.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_ids() {
        assert!(identity_pool_id("us-east-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001").is_ok());
        for bad in [
            "",
            "us-east-1",
            ":abc",
            "us-east-1:",
            "us east-1:ab",
            "us-east-1:xyz",
            &"a".repeat(60),
        ] {
            assert_eq!(
                identity_pool_id(bad).unwrap_err().code,
                "identity_pool_id.invalid",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn provider_names() {
        assert_eq!(provider_name("https://tenant.auth0.com/"), "tenant.auth0.com");
        assert_eq!(
            provider_name("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC"),
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC"
        );
        assert_eq!(provider_name("http://127.0.0.1:9400/"), "127.0.0.1:9400");
        assert!(identity_provider("tenant.auth0.com").is_ok());
        assert_eq!(
            identity_provider("https://tenant.auth0.com").unwrap_err().code,
            "identity_provider.invalid"
        );
        assert_eq!(identity_provider("a b").unwrap_err().code, "identity_provider.invalid");
        assert_eq!(cognito_flow("basic").unwrap(), CognitoFlow::Basic);
        assert_eq!(cognito_flow("classic").unwrap_err().code, "cognito_flow.invalid");
    }
}
