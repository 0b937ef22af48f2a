//! **Check**: fetches the provider's discovery document (OpenID Connect Discovery 1.0 §4) and
//! reports exactly what would stop Kura before anything is saved.

use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Kura cannot sign in with this provider as configured.
    Error,
    /// Sign-in works, something is missing (e.g. no device endpoint for `kura login --device`).
    Warning,
}

/// One finding. Codes: `check.unreachable` (`detail`), `check.http_status` (`status`),
/// `check.not_discovery` (`detail`), `check.issuer_mismatch` (`expected`, `found`),
/// `check.no_s256` (`methods`), `check.s256_unadvertised`, `check.no_refresh`,
/// `check.offline_access_unsupported`, `check.no_device_endpoint`, `check.no_jwks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Finding {
    /// Stable code.
    pub code: String,
    /// Error or warning.
    pub severity: Severity,
    /// Parameters for the front end's wording (`expected`, `found`, `status`, `detail`, …).
    pub params: std::collections::BTreeMap<String, String>,
    /// English explanation with what to do.
    pub message: String,
}

/// The outcome of a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckReport {
    /// The issuer checked.
    pub issuer: String,
    /// What was found, errors first.
    pub findings: Vec<Finding>,
}

impl CheckReport {
    /// True when no finding is an error.
    pub fn passed(&self) -> bool {
        self.findings.iter().all(|f| f.severity != Severity::Error)
    }
}

/// Checks `issuer` for Kura with `scopes`: reachable within 10 s, a discovery document whose
/// `issuer` equals the configured one exactly (a missing trailing slash is named), `S256` among
/// `code_challenge_methods_supported`, `refresh_token` among `grant_types_supported`,
/// `offline_access` among `scopes_supported` when requested, a `jwks_uri`, a device endpoint.
/// Never fails: every problem is a [`Finding`].
pub async fn check_provider(issuer: &str, scopes: &[String]) -> CheckReport {
    let _ = (issuer, scopes);
    todo!()
}
