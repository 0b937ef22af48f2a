//! The rules a profile's values must follow, shared by the config file reader
//! ([`super::Config::profile`]) and the setup screen's as-you-type validation
//! ([`crate::setup`]). Each rule returns a [`Violation`]: a stable `code` that front ends word
//! in their own language, and an English `message` for the CLI and logs.

use serde::Serialize;
use url::Url;

/// The desktop app's own URL scheme (its bundle identifier, reverse-DNS per RFC 8252 §7.1).
/// `src-tauri/tauri.conf.json` registers exactly this scheme; a test keeps them equal.
pub const APP_SCHEME: &str = "app.kura.desktop";
/// The custom-scheme redirect URI the desktop app receives: register it at the provider.
pub const APP_REDIRECT_URI: &str = "app.kura.desktop:/callback";
/// The path of every loopback redirect URI (`http://127.0.0.1[:PORT]/callback`,
/// `http://localhost[:PORT]/callback`).
pub const LOOPBACK_CALLBACK_PATH: &str = "/callback";

/// A broken rule: `code` is stable (e.g. `bucket.invalid`), `message` explains it in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Stable machine-readable code, `field.reason`.
    pub code: &'static str,
    /// What is wrong and how to fix it (English).
    pub message: String,
}

fn violation(code: &'static str, message: impl Into<String>) -> Violation {
    Violation {
        code,
        message: message.into(),
    }
}

/// The host name of a loopback redirect URI.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LoopbackHost {
    /// `127.0.0.1`: the recommended form (RFC 8252 §8.3: no dependence on name resolution or a
    /// firewall's idea of `localhost`).
    #[default]
    Ip4,
    /// `localhost`: for providers that take plain-http callbacks only on that name (Amazon
    /// Cognito user pools: "HTTPS is required over HTTP except for http://localhost"). The
    /// listener answers on `127.0.0.1` and, when available, `[::1]` (RFC 8252 §7.3, §8.3).
    Localhost,
}

impl LoopbackHost {
    /// The host as written in the redirect URI: `127.0.0.1` or `localhost`.
    pub fn as_str(self) -> &'static str {
        match self {
            LoopbackHost::Ip4 => "127.0.0.1",
            LoopbackHost::Localhost => "localhost",
        }
    }

    /// The host a provider with this issuer accepts plain-http callbacks on: `localhost` for an
    /// Amazon Cognito user pool (`https://cognito-idp.REGION.amazonaws.com/POOL_ID`), else
    /// `127.0.0.1`.
    pub fn for_issuer(issuer: &str) -> LoopbackHost {
        let cognito = Url::parse(issuer.trim()).ok().is_some_and(|u| {
            u.scheme() == "https"
                && u.host_str().is_some_and(|h| {
                    h.strip_prefix("cognito-idp.")
                        .and_then(|rest| rest.split_once('.'))
                        .is_some_and(|(region, domain)| {
                            !region.is_empty() && (domain == "amazonaws.com" || domain == "amazonaws.com.cn")
                        })
                })
        });
        if cognito {
            LoopbackHost::Localhost
        } else {
            LoopbackHost::Ip4
        }
    }
}

/// Where a profile's sign-in callback arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// The desktop app's custom scheme ([`APP_SCHEME`]); the URI as configured.
    AppScheme(String),
    /// A loopback listener (RFC 8252 §7.3) on `127.0.0.1` or `localhost`: a fixed port, or any
    /// free port.
    Loopback {
        /// The host written in the redirect URI (`127.0.0.1` unless configured as `localhost`).
        host: LoopbackHost,
        /// The port registered at the provider, or `None` for a random one.
        port: Option<u16>,
    },
}

impl Redirect {
    /// A loopback redirect on `127.0.0.1` (the default host).
    pub fn loopback(port: Option<u16>) -> Redirect {
        Redirect::Loopback {
            host: LoopbackHost::Ip4,
            port,
        }
    }

    /// The redirect URI to register: `http://HOST:PORT/callback` for a fixed port; for a random
    /// port the port-less form `http://HOST/callback` (the URI sent then carries the port the
    /// listener got), where HOST is `127.0.0.1` or `localhost`.
    pub fn registered_uri(&self) -> String {
        match self {
            Redirect::AppScheme(uri) => uri.clone(),
            Redirect::Loopback { host, port: Some(p) } => {
                format!("http://{}:{p}{LOOPBACK_CALLBACK_PATH}", host.as_str())
            }
            Redirect::Loopback { host, port: None } => format!("http://{}{LOOPBACK_CALLBACK_PATH}", host.as_str()),
        }
    }
}

fn is_loopback(url: &Url) -> bool {
    matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
}

/// An endpoint URL (`issuer`, `sts_endpoint`, `s3_endpoint`): https, or plain http on loopback
/// only. Codes: `url.invalid`, `url.https_required`, `url.scheme`.
pub fn endpoint_url(value: &str) -> Result<Url, Violation> {
    let url = Url::parse(value.trim()).map_err(|e| violation("url.invalid", format!("not a URL ({e}): {value:?}")))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(violation(
            "url.https_required",
            "must use https (plain http is only allowed on loopback)",
        )),
        s => Err(violation("url.scheme", format!("unsupported scheme {s:?} (use https)"))),
    }
}

/// An OIDC issuer: an [`endpoint_url`] without query or fragment. Its trailing slash matters
/// (it must equal the ID token's `iss` exactly), so it is kept as typed.
pub fn issuer(value: &str) -> Result<Url, Violation> {
    let url = endpoint_url(value)?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(violation(
            "url.invalid",
            "an issuer has no query or fragment (OpenID Connect Discovery 1.0 §2)",
        ));
    }
    Ok(url)
}

/// A `redirect_uri`: the app's own scheme ([`APP_SCHEME`], any path) or a loopback URL
/// `http://127.0.0.1[:PORT]/callback` (recommended, RFC 8252 §8.3) or
/// `http://localhost[:PORT]/callback` (for Amazon Cognito, which takes plain http only on
/// `localhost`). Codes: `redirect.invalid`, `redirect.foreign_scheme` (another custom scheme: the
/// app would never receive the callback), `redirect.not_loopback` (another host, or https),
/// `redirect.path`.
pub fn redirect_uri(value: &str) -> Result<Redirect, Violation> {
    let url = Url::parse(value.trim()).map_err(|e| violation("redirect.invalid", format!("not a URI ({e})")))?;
    match url.scheme() {
        "http" => {
            let host = match url.host_str() {
                Some("127.0.0.1") => LoopbackHost::Ip4,
                Some("localhost") => LoopbackHost::Localhost,
                _ => {
                    return Err(violation(
                        "redirect.not_loopback",
                        "a web redirect must be the loopback address http://127.0.0.1[:PORT]/callback (RFC 8252 §7.3, §8.3), or http://localhost[:PORT]/callback where the provider requires it (Amazon Cognito)",
                    ))
                }
            };
            if url.path() != LOOPBACK_CALLBACK_PATH || url.query().is_some() || url.fragment().is_some() {
                return Err(violation(
                    "redirect.path",
                    format!("a loopback redirect's path must be exactly {LOOPBACK_CALLBACK_PATH}"),
                ));
            }
            Ok(Redirect::Loopback { host, port: url.port() })
        }
        "https" => Err(violation(
            "redirect.not_loopback",
            "Kura cannot receive an https callback: use \"app.kura.desktop:/callback\" or http://127.0.0.1[:PORT]/callback",
        )),
        s if s == APP_SCHEME => Ok(Redirect::AppScheme(url.to_string())),
        s => Err(violation(
            "redirect.foreign_scheme",
            format!(
                "the desktop app only receives callbacks on its own scheme {APP_SCHEME:?}, not {s:?}: use redirect_uri = \"{APP_REDIRECT_URI}\""
            ),
        )),
    }
}

/// A TCP port for a fixed loopback redirect (1024–65535). Code: `port.invalid`.
pub fn loopback_port(n: i64) -> Result<u16, Violation> {
    u16::try_from(n)
        .ok()
        .filter(|p| *p >= 1024)
        .ok_or_else(|| violation("port.invalid", "must be a port number from 1024 to 65535"))
}

/// An IAM role ARN `arn:PARTITION:iam::ACCOUNT:role/NAME`. Code: `role_arn.invalid`.
pub fn role_arn(value: &str) -> Result<(), Violation> {
    // `arn:aws:iam::123456789012:role/NAME`; S3-compatible stand-ins also take no account id.
    let role = value.split_once(":role/").map(|(_, name)| name);
    let ok = value.starts_with("arn:")
        && value.split(':').nth(2) == Some("iam")
        && role.is_some_and(|r| !r.is_empty())
        && !value.chars().any(char::is_whitespace);
    if ok {
        Ok(())
    } else {
        Err(violation(
            "role_arn.invalid",
            "must be an IAM role ARN like \"arn:aws:iam::123456789012:role/NAME\"",
        ))
    }
}

/// An S3 bucket name (3–63 lowercase letters, digits, `.`, `-`). Code: `bucket.invalid`.
pub fn bucket(b: &str) -> Result<(), Violation> {
    let ok = (3..=63).contains(&b.len())
        && b.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'-')
        && b.as_bytes()[0].is_ascii_alphanumeric()
        && b.as_bytes()[b.len() - 1].is_ascii_alphanumeric();
    if ok {
        Ok(())
    } else {
        Err(violation(
            "bucket.invalid",
            "not a valid bucket name (3-63 chars: lowercase letters, digits, '.', '-')",
        ))
    }
}

/// A region name: lowercase letters, digits and `-`, 2–32 characters (`us-east-1`; S3-compatible
/// stores use others such as `auto`). Code: `region.invalid`.
pub fn region(r: &str) -> Result<(), Violation> {
    let ok = (2..=32).contains(&r.len())
        && r.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && !r.starts_with('-')
        && !r.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(violation("region.invalid", "not a region name like \"us-east-1\""))
    }
}

/// A prefix template: ends with `/`, does not start with `/`, no `.`/`..`/empty segments; its
/// placeholders are `{sub}`, `{identity_id}`, `{claim:NAME}` and `{tag:KEY}`
/// ([`crate::paths::template`]). Codes: `prefix.invalid`, `prefix.unknown_placeholder`.
pub fn prefix_template(p: &str) -> Result<(), Violation> {
    if p.starts_with('/') || (!p.is_empty() && !p.ends_with('/')) {
        return Err(violation(
            "prefix.invalid",
            "must not start with '/' and must end with '/' (e.g. \"users/{sub}/\")",
        ));
    }
    crate::paths::template::parse(p)?;
    if p.split('/').any(|s| s == ".." || s == ".") || p.contains("//") {
        return Err(violation(
            "prefix.invalid",
            "must not contain '.', '..' or empty segments",
        ));
    }
    Ok(())
}

/// A location's name (`[[profiles.NAME.locations]]` `name`, given to `--location`): 1–64
/// characters, no control characters, not only spaces. Code: `location.invalid_name`.
pub fn location_name(n: &str) -> Result<(), Violation> {
    if n.trim().is_empty() || n.chars().count() > 64 || n.chars().any(char::is_control) {
        return Err(violation(
            "location.invalid_name",
            "must be 1 to 64 characters without control characters (e.g. \"Team\")",
        ));
    }
    Ok(())
}

/// A profile name: 1–64 of `A-Z a-z 0-9 _ - .` (it names keychain entries `<name>` and
/// `<name>:session`, and a TOML table). Code: `name.invalid`.
pub fn profile_name(n: &str) -> Result<(), Violation> {
    let ok = (1..=64).contains(&n.len())
        && n.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.');
    if ok {
        Ok(())
    } else {
        Err(violation(
            "name.invalid",
            "a profile name is 1-64 letters, digits, '_', '-' or '.'",
        ))
    }
}

/// A scope list: non-empty scopes without spaces, including `openid`. Codes: `scopes.invalid`,
/// `scopes.no_openid`.
pub fn scopes(list: &[String]) -> Result<(), Violation> {
    if list.iter().any(|s| s.is_empty() || s.contains(char::is_whitespace)) {
        return Err(violation(
            "scopes.invalid",
            "must be an array of non-empty strings without spaces",
        ));
    }
    if !list.iter().any(|s| s == "openid") {
        return Err(violation(
            "scopes.no_openid",
            "must include \"openid\" (Kura needs an ID token)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects() {
        assert_eq!(
            redirect_uri("app.kura.desktop:/callback").unwrap(),
            Redirect::AppScheme("app.kura.desktop:/callback".into())
        );
        assert_eq!(
            redirect_uri("http://127.0.0.1:53682/callback").unwrap(),
            Redirect::loopback(Some(53682))
        );
        assert_eq!(
            redirect_uri("http://127.0.0.1/callback").unwrap(),
            Redirect::loopback(None)
        );
        let localhost = |port| Redirect::Loopback {
            host: LoopbackHost::Localhost,
            port,
        };
        assert_eq!(
            redirect_uri("http://localhost:8765/callback").unwrap(),
            localhost(Some(8765))
        );
        assert_eq!(redirect_uri(" http://LOCALHOST/callback").unwrap(), localhost(None));
        assert_eq!(
            redirect_uri("http://localhost:8765/cb").unwrap_err().code,
            "redirect.path"
        );
        let foreign = redirect_uri("com.example.kura:/callback").unwrap_err();
        assert_eq!(foreign.code, "redirect.foreign_scheme");
        assert!(foreign.message.contains(APP_SCHEME), "{}", foreign.message);
        for other in [
            "http://[::1]:8765/callback",
            "http://localhost.example.com/callback",
            "http://127.0.0.2/callback",
            "https://localhost:8765/callback",
        ] {
            let err = redirect_uri(other).unwrap_err();
            assert_eq!(err.code, "redirect.not_loopback", "{other}");
        }
        assert_eq!(
            redirect_uri("https://example.com/cb").unwrap_err().code,
            "redirect.not_loopback"
        );
        assert_eq!(
            redirect_uri("http://127.0.0.1:80/cb").unwrap_err().code,
            "redirect.path"
        );
        assert_eq!(redirect_uri("not a uri").unwrap_err().code, "redirect.invalid");
    }

    /// The desktop app registers exactly APP_SCHEME (tauri.conf.json), and its identifier is it.
    #[test]
    fn app_scheme_is_the_one_the_desktop_registers() {
        let conf = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src-tauri/tauri.conf.json");
        let conf: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(conf).unwrap()).unwrap();
        assert_eq!(conf["identifier"], APP_SCHEME);
        assert_eq!(
            conf["plugins"]["deep-link"]["desktop"]["schemes"],
            serde_json::json!([APP_SCHEME])
        );
        assert_eq!(
            redirect_uri(APP_REDIRECT_URI).unwrap(),
            Redirect::AppScheme(APP_REDIRECT_URI.into())
        );
    }

    #[test]
    fn registered_uris() {
        assert_eq!(
            Redirect::loopback(Some(8765)).registered_uri(),
            "http://127.0.0.1:8765/callback"
        );
        assert_eq!(Redirect::loopback(None).registered_uri(), "http://127.0.0.1/callback");
        let localhost = |port| Redirect::Loopback {
            host: LoopbackHost::Localhost,
            port,
        };
        assert_eq!(localhost(Some(8765)).registered_uri(), "http://localhost:8765/callback");
        assert_eq!(localhost(None).registered_uri(), "http://localhost/callback");
        // What is registered reads back as the same redirect.
        for r in [localhost(Some(8765)), Redirect::loopback(Some(8765))] {
            assert_eq!(redirect_uri(&r.registered_uri()).unwrap(), r);
        }
    }

    #[test]
    fn cognito_issuers_take_localhost() {
        for issuer in [
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
            "https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_AbC123",
        ] {
            assert_eq!(LoopbackHost::for_issuer(issuer), LoopbackHost::Localhost, "{issuer}");
        }
        for issuer in [
            "https://acme.eu.auth0.com/",
            "http://127.0.0.1:9400/",
            "https://cognito-idp.eu-west-1.example.com/pool",
            "https://evil.example.com/cognito-idp.eu-west-1.amazonaws.com",
            "not a url",
        ] {
            assert_eq!(LoopbackHost::for_issuer(issuer), LoopbackHost::Ip4, "{issuer}");
        }
    }

    #[test]
    fn values() {
        assert!(role_arn("arn:aws:iam::123456789012:role/KuraUser").is_ok());
        assert!(role_arn("arn:aws:iam::role/KuraUser").is_ok());
        assert!(role_arn("arn:aws:iam::123456789012:role/").is_err());
        assert!(role_arn("arn:aws:s3:::bucket").is_err());
        assert!(bucket("acme-files").is_ok());
        assert!(bucket("Acme").is_err());
        assert!(region("eu-central-1").is_ok());
        assert!(region("EU").is_err());
        assert!(profile_name("work.acme-2").is_ok());
        assert!(profile_name("a:session").is_err());
        assert!(profile_name("").is_err());
        assert!(loopback_port(53682).is_ok());
        assert!(loopback_port(80).is_err());
        assert!(loopback_port(70000).is_err());
        assert!(prefix_template("users/{sub}/").is_ok());
        assert!(prefix_template("users/{name}/").is_err());
        assert!(prefix_template("tenants/{tag:tenant}/shared/").is_ok());
        assert!(prefix_template("cognito/{identity_id}/").is_ok());
        assert_eq!(prefix_template("a/{sub/").unwrap_err().code, "prefix.invalid");
        assert!(location_name("Team").is_ok());
        assert!(location_name(" ").is_err() && location_name("a\nb").is_err());
        assert!(endpoint_url("http://s3.example.com").is_err());
        assert!(issuer("https://x.example.com/?a=b").is_err());
        assert!(scopes(&["profile".into()]).is_err());
    }
}
