//! **Check**: fetches the provider's discovery document (OpenID Connect Discovery 1.0 §4) and
//! reports exactly what would stop Kura before anything is saved.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

/// How long the check waits for the provider.
pub const TIMEOUT: Duration = Duration::from_secs(10);

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

fn finding(code: &str, severity: Severity, params: &[(&str, &str)], message: impl Into<String>) -> Finding {
    Finding {
        code: code.to_string(),
        severity,
        params: params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
        message: message.into(),
    }
}

/// The discovery URL: the issuer without its trailing slash, then
/// `/.well-known/openid-configuration` (Discovery 1.0 §4.1).
pub fn discovery_url(issuer: &str) -> String {
    format!(
        "{}/.well-known/openid-configuration",
        issuer.trim().trim_end_matches('/')
    )
}

/// Checks `issuer` for Kura with `scopes`: reachable within 10 s, a discovery document whose
/// `issuer` equals the configured one exactly (a missing trailing slash is named), `S256` among
/// `code_challenge_methods_supported`, `refresh_token` among `grant_types_supported`,
/// `offline_access` among `scopes_supported` when requested, a `jwks_uri`, a device endpoint.
/// Never fails: every problem is a [`Finding`]. Redirects are not followed (as in sign-in).
pub async fn check_provider(issuer: &str, scopes: &[String]) -> CheckReport {
    let mut findings = match fetch(issuer).await {
        Ok(doc) => examine(issuer, scopes, &doc),
        Err(f) => vec![f],
    };
    findings.sort_by_key(|f| f.severity != Severity::Error);
    CheckReport {
        issuer: issuer.to_string(),
        findings,
    }
}

/// GETs the discovery document. Errors: `check.unreachable`, `check.http_status`,
/// `check.not_discovery`.
async fn fetch(issuer: &str) -> Result<serde_json::Map<String, Value>, Finding> {
    let url = discovery_url(issuer);
    let unreachable = |detail: String| {
        finding(
            "check.unreachable",
            Severity::Error,
            &[("detail", &detail)],
            format!("cannot reach {url} ({detail}): check the issuer's spelling and your network"),
        )
    };
    let http = openidconnect::reqwest::Client::builder()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .build()
        .map_err(|e| unreachable(e.to_string()))?;
    let response = http
        .get(&url)
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|e| unreachable(error_chain(&e)))?;
    let status = response.status();
    if !status.is_success() {
        let hint = match response.headers().get("location").and_then(|l| l.to_str().ok()) {
            Some(to) if status.is_redirection() => {
                format!("it redirects to {to}; the issuer must be the provider's exact URL, without redirects")
            }
            _ => "this is not an OpenID provider's issuer: check the domain, realm, pool or tenant".into(),
        };
        return Err(finding(
            "check.http_status",
            Severity::Error,
            &[("status", status.as_str())],
            format!("{url} answered HTTP {status}: {hint}"),
        ));
    }
    let body = response.bytes().await.map_err(|e| unreachable(error_chain(&e)))?;
    let not_discovery = |detail: String| {
        finding(
            "check.not_discovery",
            Severity::Error,
            &[("detail", &detail)],
            format!("{url} is not an OpenID Connect discovery document ({detail}): check the issuer"),
        )
    };
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(doc)) if doc.get("issuer").is_some_and(Value::is_string) => Ok(doc),
        Ok(Value::Object(_)) => Err(not_discovery("no \"issuer\"".into())),
        Ok(_) => Err(not_discovery("not a JSON object".into())),
        Err(e) => Err(not_discovery(format!("not JSON: {e}"))),
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        source = cause.source();
    }
    s
}

fn strings<'a>(doc: &'a serde_json::Map<String, Value>, key: &str) -> Option<Vec<&'a str>> {
    doc.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
}

/// The findings for a fetched discovery document.
fn examine(issuer: &str, scopes: &[String], doc: &serde_json::Map<String, Value>) -> Vec<Finding> {
    use Severity::{Error, Warning};
    let mut out = Vec::new();
    let found = doc["issuer"].as_str().unwrap_or_default();
    if found != issuer {
        let why = if found.strip_suffix('/') == Some(issuer) {
            " (Auth0's issuer ends with a slash)"
        } else if issuer.strip_suffix('/') == Some(found) {
            " (without the trailing slash)"
        } else {
            ""
        };
        out.push(finding(
            "check.issuer_mismatch",
            Error,
            &[("expected", issuer), ("found", found)],
            format!("the provider calls itself {found:?} — use exactly that{why}; ID tokens carry it as `iss`"),
        ));
    }
    match strings(doc, "code_challenge_methods_supported") {
        Some(m) if m.contains(&"S256") => {}
        Some(m) => out.push(finding(
            "check.no_s256",
            Error,
            &[("methods", &m.join(" "))],
            format!(
                "the provider does not support PKCE with S256 (it lists {}): Kura signs in only with S256 (RFC 7636); enable it for the application",
                if m.is_empty() { "none".to_string() } else { m.join(", ") }
            ),
        )),
        None => out.push(finding(
            "check.s256_unadvertised",
            Warning,
            &[],
            "the provider does not say whether it supports PKCE (no code_challenge_methods_supported); Kura needs S256 — if sign-in fails, enable PKCE for the application",
        )),
    }
    if doc.get("jwks_uri").and_then(Value::as_str).is_none() {
        out.push(finding(
            "check.no_jwks",
            Error,
            &[],
            "the provider publishes no jwks_uri, so Kura cannot verify its ID tokens: check the issuer",
        ));
    }
    if let Some(s) = strings(doc, "scopes_supported") {
        if scopes.iter().any(|s| s == "offline_access") && !s.contains(&"offline_access") {
            out.push(finding(
                "check.offline_access_unsupported",
                Error,
                &[],
                "the provider does not accept the scope offline_access: remove it from the scopes (Amazon Cognito: use the Cognito preset)",
            ));
        }
    }
    if strings(doc, "grant_types_supported").is_some_and(|g| !g.contains(&"refresh_token")) {
        out.push(finding(
            "check.no_refresh",
            Warning,
            &[],
            "the provider lists no refresh_token grant: you will have to sign in again whenever the ID token expires; allow refresh tokens for the application",
        ));
    }
    if doc
        .get("device_authorization_endpoint")
        .and_then(Value::as_str)
        .is_none()
    {
        out.push(finding(
            "check.no_device_endpoint",
            Warning,
            &[],
            "the provider has no device authorization endpoint: `kura login --device` will not work (browser sign-in does)",
        ));
    }
    out
}
