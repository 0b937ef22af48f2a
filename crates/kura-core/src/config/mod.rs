//! Kura's configuration file: a TOML file of `[profiles.<name>]` tables.
//!
//! Location: `$KURA_CONFIG`, else `<platform config dir>/kura/config.toml`
//! (`~/.config/kura/config.toml` on Linux). The profile is chosen by `--profile`, then
//! `KURA_PROFILE`, then the file's `default_profile`, then the only profile if there is one.
//! Every missing or invalid key is an [`Error::Config`] naming the file, the profile and the key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml::{Table, Value};

use crate::error::{Error, Result};

pub use identity_pool::{CognitoFlow, IdentityPool};
use reader::ProfileReader;
pub use rules::{LoopbackHost, Redirect, Violation, APP_REDIRECT_URI, APP_SCHEME, LOOPBACK_CALLBACK_PATH};

/// Which token is sent to STS as `WebIdentityToken`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebIdentityToken {
    /// The OIDC ID token (default; its `aud` is the `client_id`).
    IdToken,
    /// The OAuth access token (must be a JWT, e.g. Auth0 with an `audience`).
    AccessToken,
}

/// Name of the single location of a profile without `[[profiles.NAME.locations]]`.
pub const DEFAULT_LOCATION: &str = "My files";

/// A named folder of the bucket a profile can work in: `[[profiles.NAME.locations]]` with
/// `name` and `prefix` (a template, see [`crate::paths::template`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The name shown and given to `--location`, e.g. `Team`.
    pub name: String,
    /// The prefix template, e.g. `tenants/{tag:tenant}/shared/`.
    pub prefix: String,
}

/// One validated profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The profile's name (the `<name>` of `[profiles.<name>]`); also the keychain account.
    pub name: String,
    /// OIDC issuer, exactly as the ID token's `iss` (Auth0's ends with `/`).
    pub issuer: String,
    /// OAuth client id of the public native client.
    pub client_id: String,
    /// Scopes requested; default `openid offline_access profile email`.
    pub scopes: Vec<String>,
    /// Auth0's `audience` authorize parameter, if any.
    pub audience: Option<String>,
    /// Extra query parameters for the authorize request, e.g. `prompt = "consent"`.
    pub extra_authorize_params: BTreeMap<String, String>,
    /// Redirect URI: the desktop app's own scheme ([`APP_REDIRECT_URI`]) or a loopback URL
    /// `http://127.0.0.1[:PORT]/callback` (with a port: exactly that port, for providers that
    /// match ports, e.g. Auth0 and Okta; without: a random one, RFC 8252 §7.3), or
    /// `http://localhost[:PORT]/callback` (Amazon Cognito takes plain http only on `localhost`).
    /// Unset: loopback on 127.0.0.1, random port. See [`Profile::desktop_redirect`] and
    /// [`Profile::cli_redirect`].
    pub redirect_uri: Option<String>,
    /// The CLI's fixed loopback port when `redirect_uri` is the app's custom scheme (the CLI
    /// cannot receive custom-scheme callbacks); `None`: a random port. The host is
    /// [`LoopbackHost::for_issuer`] (`localhost` for Amazon Cognito, else `127.0.0.1`).
    pub loopback_port: Option<u16>,
    /// `RoleArn` of the role assumed with the web identity: the provider's token (no identity
    /// pool), or the identity pool's OpenID token (basic flow), or sent as `CustomRoleArn` to
    /// `GetCredentialsForIdentity` (enhanced flow, optional). `None` only for the enhanced flow.
    pub role_arn: Option<String>,
    /// The Amazon Cognito identity pool credentials come from instead of a direct
    /// AssumeRoleWithWebIdentity (`identity_pool_id` and its keys), if any.
    pub identity_pool: Option<IdentityPool>,
    /// `DurationSeconds` requested from STS (900–43200; default 3600).
    pub session_duration: u32,
    /// Token sent as `WebIdentityToken`.
    pub web_identity_token: WebIdentityToken,
    /// The bucket holding the users' prefixes.
    pub bucket: String,
    /// Prefix template of the first location (see [`crate::paths::template`]: `{sub}`,
    /// `{claim:NAME}`, `{tag:KEY}`). Default `users/{sub}/`.
    pub prefix: String,
    /// The profile's locations, never empty: the `[[profiles.NAME.locations]]` tables in file
    /// order, or else one location [`DEFAULT_LOCATION`] with `prefix`.
    pub locations: Vec<Location>,
    /// AWS region; default `us-east-1`.
    pub region: String,
    /// STS endpoint URL for S3-compatible servers (default: AWS's).
    pub sts_endpoint: Option<String>,
    /// S3 endpoint URL for S3-compatible servers (default: AWS's).
    pub s3_endpoint: Option<String>,
    /// Path-style addressing (`endpoint/bucket/key`); default false.
    pub force_path_style: bool,
    /// The AWS federation endpoint for `kura console` (default: derived from the region and the
    /// role ARN's partition, see [`crate::console::federation_endpoint`]).
    pub federation_endpoint: Option<String>,
    /// Transfer tuning (`part_size_mib`, `multipart_threshold_mib`, `part_concurrency`,
    /// `file_concurrency`, `multipart_copy_threshold_mib`); defaults from the benchmark.
    pub transfers: crate::storage::TransferOptions,
}

impl Profile {
    /// Where the desktop app receives the callback: the app's scheme when `redirect_uri` is
    /// one, else loopback (`redirect_uri`'s port, or a random one when unset).
    pub fn desktop_redirect(&self) -> Redirect {
        match self.redirect_uri.as_deref().map(rules::redirect_uri) {
            Some(Ok(r)) => r,
            // validated when read: only the unset case remains
            _ => Redirect::loopback(None),
        }
    }

    /// The AWS partition (`aws`, `aws-cn`, `aws-us-gov`): the role ARN's, else the region's.
    pub fn partition(&self) -> &str {
        match &self.role_arn {
            Some(arn) => arn.split(':').nth(1).filter(|p| !p.is_empty()).unwrap_or("aws"),
            None if self.region.starts_with("cn-") => "aws-cn",
            None if self.region.starts_with("us-gov-") => "aws-us-gov",
            None => "aws",
        }
    }

    /// The location named `name`, or the first one when `name` is `None`.
    /// Errors: [`Error::Config`] naming the profile's locations.
    pub fn location(&self, name: Option<&str>) -> Result<&Location> {
        match name {
            None => Ok(&self.locations[0]),
            Some(n) => self
                .locations
                .iter()
                .find(|l| l.name == n)
                .ok_or_else(|| Error::Config {
                    file: Config::default_path(),
                    profile: Some(self.name.clone()),
                    key: Some("locations".into()),
                    message: format!(
                        "no location {n:?} (locations: {})",
                        self.locations
                            .iter()
                            .map(|l| l.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }),
        }
    }

    /// Where the CLI receives the callback: always loopback — `redirect_uri`'s host and port
    /// when it is a loopback URL, else `loopback_port` (or a random port) on the host the
    /// issuer's provider accepts ([`LoopbackHost::for_issuer`]: `localhost` for Amazon Cognito,
    /// else `127.0.0.1`).
    pub fn cli_redirect(&self) -> Redirect {
        match self.desktop_redirect() {
            Redirect::AppScheme(_) => Redirect::Loopback {
                host: LoopbackHost::for_issuer(&self.issuer),
                port: self.loopback_port,
            },
            loopback => loopback,
        }
    }
}

/// The keys a profile may have, for error messages.
const KEYS: &[&str] = &[
    "issuer",
    "client_id",
    "scopes",
    "audience",
    "extra_authorize_params",
    "redirect_uri",
    "loopback_port",
    "role_arn",
    "identity_pool_id",
    "identity_provider",
    "cognito_flow",
    "cognito_endpoint",
    "session_duration",
    "web_identity_token",
    "bucket",
    "prefix",
    "locations",
    "region",
    "sts_endpoint",
    "s3_endpoint",
    "force_path_style",
    "federation_endpoint",
];

/// A parsed configuration file.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where it was read from.
    pub file: PathBuf,
    /// `default_profile`, if set.
    pub default_profile: Option<String>,
    profiles: BTreeMap<String, Table>,
}

impl Config {
    /// The config file path: `$KURA_CONFIG`, else `<config dir>/kura/config.toml`.
    pub fn default_path() -> PathBuf {
        if let Some(p) = std::env::var_os("KURA_CONFIG").filter(|p| !p.is_empty()) {
            return PathBuf::from(p);
        }
        directories::BaseDirs::new()
            .map(|d| d.config_dir().join("kura").join("config.toml"))
            .unwrap_or_else(|| PathBuf::from("kura.toml"))
    }

    /// Reads and parses `file`. Errors: missing/unreadable file, TOML syntax, wrong shapes.
    pub fn load(file: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(file).map_err(|e| {
            let message = if e.kind() == std::io::ErrorKind::NotFound {
                "file not found: create it (see the README's configuration section) or set KURA_CONFIG".to_string()
            } else {
                format!("cannot read: {e}")
            };
            cfg_err(file, None, None, message)
        })?;
        Self::parse(file, &text)
    }

    /// Parses config text; `file` is only used in error messages.
    pub fn parse(file: &Path, text: &str) -> Result<Config> {
        let mut table: Table = text
            .parse()
            .map_err(|e: toml::de::Error| cfg_err(file, None, None, format!("not valid TOML: {}", e.message())))?;
        let default_profile = match table.remove("default_profile") {
            None => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                return Err(cfg_err(file, None, Some("default_profile"), "must be a string"));
            }
        };
        let mut profiles = BTreeMap::new();
        match table.remove("profiles") {
            None => {}
            Some(Value::Table(t)) => {
                for (name, v) in t {
                    match v {
                        Value::Table(p) => {
                            profiles.insert(name, p);
                        }
                        _ => {
                            return Err(cfg_err(file, Some(&name), None, "[profiles.NAME] must be a table"));
                        }
                    }
                }
            }
            Some(_) => return Err(cfg_err(file, None, Some("profiles"), "must be a table of profiles")),
        }
        if let Some(k) = table.keys().next() {
            return Err(cfg_err(
                file,
                None,
                Some(k),
                "unknown top-level key (expected `default_profile` and `[profiles.NAME]` tables)",
            ));
        }
        Ok(Config {
            file: file.to_path_buf(),
            default_profile,
            profiles,
        })
    }

    /// Names of all profiles, sorted.
    pub fn profile_names(&self) -> Vec<&str> {
        self.profiles.keys().map(String::as_str).collect()
    }

    /// Chooses and validates a profile: `requested` (from `--profile`), else `KURA_PROFILE`,
    /// else `default_profile`, else the only profile.
    pub fn profile(&self, requested: Option<&str>) -> Result<Profile> {
        let env = std::env::var("KURA_PROFILE").ok().filter(|s| !s.is_empty());
        let name = requested
            .map(str::to_string)
            .or(env)
            .or_else(|| self.default_profile.clone())
            .or_else(|| {
                (self.profiles.len() == 1)
                    .then(|| self.profiles.keys().next().cloned())
                    .flatten()
            });
        let Some(name) = name else {
            return Err(cfg_err(
                &self.file,
                None,
                None,
                format!(
                    "no profile chosen: pass --profile, set KURA_PROFILE or `default_profile` (profiles: {})",
                    self.profile_names().join(", ")
                ),
            ));
        };
        let table = self.profiles.get(&name).ok_or_else(|| {
            cfg_err(
                &self.file,
                Some(&name),
                None,
                format!("no such profile (profiles: {})", self.profile_names().join(", ")),
            )
        })?;
        ProfileReader {
            file: &self.file,
            name: &name,
            table,
        }
        .read()
    }
}

fn cfg_err(file: &Path, profile: Option<&str>, key: Option<&str>, message: impl Into<String>) -> Error {
    Error::Config {
        file: file.to_path_buf(),
        profile: profile.map(str::to_string),
        key: key.map(str::to_string),
        message: message.into(),
    }
}

pub mod edit;
pub mod identity_pool;
mod reader;
pub mod rules;
#[cfg(test)]
mod tests;
mod transfers;
