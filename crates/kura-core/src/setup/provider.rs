//! What each preset derives from its fields ([`ProviderInput::issuer`], scopes, audience) and
//! the inverse for editing a saved profile ([`ProviderInput::from_profile`]).

use url::Url;

use super::preset::{FieldIssue, Preset, ProviderInput};
use crate::config::{rules, Profile};

/// The scopes Kura requests unless told otherwise (`offline_access` gets the refresh token).
pub const DEFAULT_SCOPES: [&str; 4] = ["openid", "offline_access", "profile", "email"];
/// Scopes for a Cognito user pool: it refuses `offline_access` and issues refresh tokens anyway.
pub const COGNITO_SCOPES: [&str; 3] = ["openid", "profile", "email"];
/// The host of Microsoft Entra ID's issuers.
const ENTRA_HOST: &str = "login.microsoftonline.com";

/// The default scopes as strings.
pub fn default_scopes() -> Vec<String> {
    DEFAULT_SCOPES.map(String::from).to_vec()
}

pub(crate) fn issue(field: &str, code: &str, message: impl Into<String>) -> FieldIssue {
    FieldIssue {
        field: field.to_string(),
        code: code.to_string(),
        message: message.into(),
    }
}

pub(crate) fn required(field: &str) -> FieldIssue {
    issue(field, "required", "required")
}

/// A non-empty trimmed value, or a `required` issue.
pub(crate) fn present<'a>(field: &str, value: &'a str) -> Result<&'a str, FieldIssue> {
    Some(value.trim())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| required(field))
}

/// A host or URL as typed (`acme.eu.auth0.com`, `https://sso.example.com/auth`,
/// `http://127.0.0.1:9400`): `https://` is added when there is no scheme; then the endpoint rule
/// (https, or http on loopback only) applies. No query or fragment.
fn typed_url(field: &str, value: &str) -> Result<Url, FieldIssue> {
    let v = present(field, value)?;
    let with_scheme = if v.contains("://") {
        v.to_string()
    } else {
        format!("https://{v}")
    };
    let url = rules::endpoint_url(&with_scheme).map_err(|e| issue(field, e.code, e.message))?;
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(issue(field, "url.invalid", "no query, fragment or user name here"));
    }
    Ok(url)
}

/// `scheme://host[:port]` of `url`.
fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// A URL that must be a bare domain or origin (no path).
fn bare_origin(field: &str, value: &str, example: &str) -> Result<String, FieldIssue> {
    let url = typed_url(field, value)?;
    if url.path() != "/" {
        return Err(issue(
            field,
            "url.invalid",
            format!("only the domain, without a path (e.g. {example})"),
        ));
    }
    Ok(origin(&url))
}

/// One path segment typed by a person (a realm, a server ID): no `/`, `?`, `#`, `%` or spaces.
fn segment(field: &str, value: &str, code: &str, what: &str) -> Result<String, FieldIssue> {
    let v = present(field, value)?;
    if v.chars().any(|c| c.is_whitespace() || "/?#%\\".contains(c)) {
        return Err(issue(field, code, format!("not a valid {what} (no spaces or / ? # %)")));
    }
    Ok(v.to_string())
}

fn cognito_issuer(pool_region: &str, user_pool_id: &str) -> Result<String, Vec<FieldIssue>> {
    let mut issues = Vec::new();
    let region = present("pool_region", pool_region).and_then(|r| {
        rules::region(r)
            .map(|_| r)
            .map_err(|e| issue("pool_region", e.code, e.message))
    });
    if let Err(i) = &region {
        issues.push(i.clone());
    }
    let pool = present("user_pool_id", user_pool_id).and_then(|p| {
        let ok = p.split_once('_').filter(|(r, id)| {
            rules::region(r).is_ok() && !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric())
        });
        match ok {
            Some((r, _)) => Ok((p, r)),
            None => Err(issue(
                "user_pool_id",
                "user_pool_id.invalid",
                "a user pool ID looks like \"eu-west-1_AbC123\" (region, underscore, ID)",
            )),
        }
    });
    match (&region, pool) {
        (Ok(region), Ok((_, pool_region))) if pool_region != *region => issues.push(issue(
            "user_pool_id",
            "user_pool_id.region_mismatch",
            format!("this user pool is in {pool_region}, not {region}: set the region to {pool_region}"),
        )),
        (Ok(region), Ok((pool, _))) => {
            return Ok(format!("https://cognito-idp.{region}.amazonaws.com/{pool}"));
        }
        (_, Err(i)) => issues.push(i),
        (Err(_), Ok(_)) => {}
    }
    Err(issues)
}

impl ProviderInput {
    /// The preset.
    pub fn preset(&self) -> Preset {
        match self {
            ProviderInput::Auth0 { .. } => Preset::Auth0,
            ProviderInput::Cognito { .. } => Preset::Cognito,
            ProviderInput::Keycloak { .. } => Preset::Keycloak,
            ProviderInput::Okta { .. } => Preset::Okta,
            ProviderInput::Entra { .. } => Preset::Entra,
            ProviderInput::Generic { .. } => Preset::Generic,
        }
    }

    /// The derived issuer. Errors: issues naming this input's fields (`required`, the URL
    /// rules' codes, `user_pool_id.invalid`, `user_pool_id.region_mismatch`, `realm.invalid`,
    /// `authorization_server.invalid`, `tenant_id.invalid`, `tenant_id.multi_tenant`).
    pub fn issuer(&self) -> Result<String, Vec<FieldIssue>> {
        let one = |r: Result<String, FieldIssue>| r.map_err(|i| vec![i]);
        match self {
            ProviderInput::Auth0 { domain, .. } => {
                one(bare_origin("domain", domain, "acme.eu.auth0.com").map(|o| format!("{o}/")))
            }
            ProviderInput::Cognito {
                pool_region,
                user_pool_id,
            } => cognito_issuer(pool_region, user_pool_id),
            ProviderInput::Keycloak { base_url, realm } => {
                let base = typed_url("base_url", base_url).and_then(|u| {
                    let path = u.path().trim_end_matches('/');
                    if path.contains("/realms/") || path.ends_with("/realms") {
                        Err(issue(
                            "base_url",
                            "url.invalid",
                            "the server's base URL, without /realms/… (the realm has its own field)",
                        ))
                    } else {
                        Ok(format!("{}{path}", origin(&u)))
                    }
                });
                let realm = segment("realm", realm, "realm.invalid", "realm name");
                match (base, realm) {
                    (Ok(b), Ok(r)) => Ok(format!("{b}/realms/{r}")),
                    (b, r) => Err([b.err(), r.err()].into_iter().flatten().collect()),
                }
            }
            ProviderInput::Okta {
                org_url,
                authorization_server,
            } => {
                let org = bare_origin("org_url", org_url, "https://acme.okta.com");
                let server = match authorization_server.as_deref().map(str::trim) {
                    None | Some("") => Ok("default".to_string()),
                    Some(s) => segment(
                        "authorization_server",
                        s,
                        "authorization_server.invalid",
                        "authorization server ID",
                    ),
                };
                match (org, server) {
                    (Ok(o), Ok(s)) => Ok(format!("{o}/oauth2/{s}")),
                    (o, s) => Err([o.err(), s.err()].into_iter().flatten().collect()),
                }
            }
            ProviderInput::Entra { tenant_id } => one(present("tenant_id", tenant_id).and_then(|t| {
                if ["common", "organizations", "consumers"].contains(&t.to_ascii_lowercase().as_str()) {
                    return Err(issue(
                        "tenant_id",
                        "tenant_id.multi_tenant",
                        format!("\"{t}\" is not one directory: use your directory (tenant) ID, a GUID from the Entra admin center's overview"),
                    ));
                }
                if !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') {
                    return Err(issue(
                        "tenant_id",
                        "tenant_id.invalid",
                        "a directory (tenant) ID is a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47",
                    ));
                }
                Ok(format!("https://{ENTRA_HOST}/{t}/v2.0"))
            })),
            ProviderInput::Generic { issuer, .. } => one(present("issuer", issuer).and_then(|i| {
                rules::issuer(i)
                    .map(|_| i.to_string())
                    .map_err(|e| issue("issuer", e.code, e.message))
            })),
        }
    }

    /// Scopes to request (Cognito: without `offline_access`).
    pub fn scopes(&self) -> Vec<String> {
        match self {
            ProviderInput::Cognito { .. } => COGNITO_SCOPES.map(String::from).to_vec(),
            ProviderInput::Generic { scopes: Some(s), .. } => s.iter().map(|s| s.trim().to_string()).collect(),
            _ => default_scopes(),
        }
    }

    /// The Auth0 `audience`, if any.
    pub fn audience(&self) -> Option<String> {
        match self {
            ProviderInput::Auth0 { audience, .. } => audience
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string),
            _ => None,
        }
    }

    /// The preset input that derives `profile`'s issuer (for editing a saved profile); a
    /// profile that fits no preset is [`ProviderInput::Generic`]. A preset is chosen only when
    /// it derives exactly the profile's issuer and scopes: Auth0 for `*.auth0.com` hosts and for
    /// custom domains (issuer path `/`) with an `audience`; Cognito for
    /// `cognito-idp.REGION.amazonaws.com/POOL`; Entra for `login.microsoftonline.com/T/v2.0`;
    /// Keycloak for `…/realms/R`; Okta for `/oauth2/S` on an Okta host.
    pub fn from_profile(profile: &Profile) -> ProviderInput {
        let generic = ProviderInput::Generic {
            issuer: profile.issuer.clone(),
            scopes: (profile.scopes != default_scopes()).then(|| profile.scopes.clone()),
        };
        let Ok(url) = Url::parse(&profile.issuer) else {
            return generic;
        };
        let host = url.host_str().unwrap_or_default().to_string();
        let path = url.path().to_string();
        let shown_origin = if url.scheme() == "https" && url.port().is_none() {
            host.clone()
        } else {
            origin(&url)
        };
        let candidate = if path == "/" && (host.ends_with(".auth0.com") || profile.audience.is_some()) {
            Some(ProviderInput::Auth0 {
                domain: shown_origin,
                audience: profile.audience.clone(),
            })
        } else if let Some(region) = host
            .strip_prefix("cognito-idp.")
            .and_then(|h| h.strip_suffix(".amazonaws.com"))
        {
            Some(ProviderInput::Cognito {
                pool_region: region.to_string(),
                user_pool_id: path.trim_start_matches('/').to_string(),
            })
        } else if host == ENTRA_HOST {
            path.strip_prefix('/')
                .and_then(|p| p.strip_suffix("/v2.0"))
                .map(|t| ProviderInput::Entra {
                    tenant_id: t.to_string(),
                })
        } else if let Some((base, realm)) = path.rsplit_once("/realms/") {
            Some(ProviderInput::Keycloak {
                base_url: format!("{}{base}", origin(&url)),
                realm: realm.to_string(),
            })
        } else if let (Some(server), true) = (
            path.strip_prefix("/oauth2/"),
            [".okta.com", ".oktapreview.com", ".okta-emea.com"]
                .iter()
                .any(|d| host.ends_with(d)),
        ) {
            Some(ProviderInput::Okta {
                org_url: origin(&url),
                authorization_server: (server != "default").then(|| server.to_string()),
            })
        } else {
            None
        };
        candidate
            .filter(|c| c.issuer().as_deref() == Ok(profile.issuer.as_str()) && c.scopes() == profile.scopes)
            .unwrap_or(generic)
    }
}
