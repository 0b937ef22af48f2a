//! Reading one `[profiles.NAME]` table into a validated [`Profile`]: every key checked with
//! [`super::rules`], errors naming the file, the profile and the key.

use std::collections::BTreeMap;
use std::path::Path;

use toml::{Table, Value};
use url::Url;

use super::identity_pool::{self, CognitoFlow, IdentityPool};
use super::{cfg_err, rules, transfers, Location, Profile, Violation, WebIdentityToken, DEFAULT_LOCATION, KEYS};
use crate::error::{Error, Result};

pub(super) struct ProfileReader<'a> {
    pub(super) file: &'a Path,
    pub(super) name: &'a str,
    pub(super) table: &'a Table,
}

impl ProfileReader<'_> {
    pub(super) fn err(&self, key: &str, message: impl Into<String>) -> Error {
        cfg_err(self.file, Some(self.name), Some(key), message)
    }

    pub(super) fn string(&self, key: &str) -> Result<Option<String>> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Err(self.err(key, "must not be empty")),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(self.err(key, format!("must be a string, found {}", other.type_str()))),
        }
    }

    pub(super) fn required(&self, key: &str) -> Result<String> {
        self.string(key)?.ok_or_else(|| self.err(key, "missing (required)"))
    }

    pub(super) fn url(&self, key: &str, value: &str) -> Result<Url> {
        rules::endpoint_url(value).map_err(|v| self.violation(key, v))
    }

    pub(super) fn violation(&self, key: &str, v: Violation) -> Error {
        self.err(key, v.message)
    }

    pub(super) fn read(&self) -> Result<Profile> {
        let known = |k: &str| KEYS.contains(&k) || transfers::KEYS.contains(&k);
        if let Some(k) = self.table.keys().find(|k| !known(k)) {
            let all: Vec<&str> = KEYS.iter().chain(transfers::KEYS).copied().collect();
            return Err(self.err(k, format!("unknown key (valid keys: {})", all.join(", "))));
        }
        let issuer = self.required("issuer")?;
        rules::issuer(&issuer).map_err(|v| self.violation("issuer", v))?;
        let client_id = self.required("client_id")?;
        let scopes = match self.table.get("scopes") {
            None => ["openid", "offline_access", "profile", "email"]
                .map(String::from)
                .to_vec(),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for i in items {
                    match i.as_str() {
                        Some(s) => out.push(s.to_string()),
                        None => return Err(self.err("scopes", "must be an array of strings")),
                    }
                }
                rules::scopes(&out).map_err(|v| self.violation("scopes", v))?;
                out
            }
            Some(_) => return Err(self.err("scopes", "must be an array of strings")),
        };
        let extra_authorize_params = match self.table.get("extra_authorize_params") {
            None => BTreeMap::new(),
            Some(Value::Table(t)) => {
                let mut out = BTreeMap::new();
                for (k, v) in t {
                    let Some(s) = v.as_str() else {
                        return Err(self.err("extra_authorize_params", format!("value of {k:?} must be a string")));
                    };
                    const RESERVED: &[&str] = &[
                        "client_id",
                        "redirect_uri",
                        "response_type",
                        "state",
                        "nonce",
                        "code_challenge",
                        "code_challenge_method",
                        "scope",
                    ];
                    if RESERVED.contains(&k.as_str()) {
                        return Err(self.err(
                            "extra_authorize_params",
                            format!("{k:?} is set by Kura and cannot be overridden"),
                        ));
                    }
                    out.insert(k.clone(), s.to_string());
                }
                out
            }
            Some(_) => return Err(self.err("extra_authorize_params", "must be a table of strings")),
        };
        let redirect_uri = self.string("redirect_uri")?;
        if let Some(r) = &redirect_uri {
            rules::redirect_uri(r).map_err(|v| self.violation("redirect_uri", v))?;
        }
        let loopback_port = match self.table.get("loopback_port") {
            None => None,
            Some(Value::Integer(n)) => Some(rules::loopback_port(*n).map_err(|v| self.violation("loopback_port", v))?),
            Some(_) => return Err(self.err("loopback_port", "must be a port number from 1024 to 65535")),
        };
        let identity_pool = self.identity_pool(&issuer)?;
        let role_arn = self.string("role_arn")?;
        match (&role_arn, &identity_pool) {
            (Some(r), _) => rules::role_arn(r).map_err(|v| self.violation("role_arn", v))?,
            (None, Some(p)) if p.flow == CognitoFlow::Enhanced => {}
            (None, Some(_)) => return Err(self.err(
                "role_arn",
                "missing: the basic flow (cognito_flow = \"basic\") assumes this role with the identity pool's token",
            )),
            (None, None) => return Err(self.err("role_arn", "missing (required unless identity_pool_id is set)")),
        }
        let session_duration = match self.table.get("session_duration") {
            None => 3600,
            Some(Value::Integer(n)) if (900..=43200).contains(n) => *n as u32,
            Some(_) => {
                return Err(self.err(
                    "session_duration",
                    "must be a whole number of seconds from 900 to 43200",
                ))
            }
        };
        let web_identity_token = match self.string("web_identity_token")?.as_deref() {
            None | Some("id_token") => WebIdentityToken::IdToken,
            Some("access_token") => WebIdentityToken::AccessToken,
            Some(_) => return Err(self.err("web_identity_token", "must be \"id_token\" or \"access_token\"")),
        };
        if identity_pool.is_some() && web_identity_token == WebIdentityToken::AccessToken {
            return Err(self.err(
                "web_identity_token",
                "an identity pool takes the provider's ID token in its Logins map: remove web_identity_token",
            ));
        }
        let bucket = self.required("bucket")?;
        rules::bucket(&bucket).map_err(|v| self.violation("bucket", v))?;
        let locations = self.locations()?;
        let prefix = match &locations {
            Some(l) => l[0].prefix.clone(),
            None => self.string("prefix")?.unwrap_or_else(|| "users/{sub}/".to_string()),
        };
        rules::prefix_template(&prefix).map_err(|v| self.violation("prefix", v))?;
        let locations = locations.unwrap_or_else(|| {
            vec![Location {
                name: DEFAULT_LOCATION.into(),
                prefix: prefix.clone(),
            }]
        });
        if identity_pool.is_none() {
            if let Some(l) = locations.iter().find(|l| l.prefix.contains("{identity_id}")) {
                let key = if self.table.contains_key("locations") {
                    "locations"
                } else {
                    "prefix"
                };
                return Err(self.err(
                    key,
                    format!(
                        "location {:?}: {{identity_id}} is the Amazon Cognito identity ID: set identity_pool_id, or use {{sub}}",
                        l.name
                    ),
                ));
            }
        }
        let region = self.string("region")?.unwrap_or_else(|| "us-east-1".to_string());
        rules::region(&region).map_err(|v| self.violation("region", v))?;
        let sts_endpoint = self.string("sts_endpoint")?;
        if let Some(u) = &sts_endpoint {
            self.url("sts_endpoint", u)?;
        }
        let s3_endpoint = self.string("s3_endpoint")?;
        if let Some(u) = &s3_endpoint {
            self.url("s3_endpoint", u)?;
        }
        let federation_endpoint = self.string("federation_endpoint")?;
        if let Some(u) = &federation_endpoint {
            self.url("federation_endpoint", u)?;
        }
        let force_path_style = match self.table.get("force_path_style") {
            None => false,
            Some(Value::Boolean(b)) => *b,
            Some(_) => return Err(self.err("force_path_style", "must be true or false")),
        };
        Ok(Profile {
            name: self.name.to_string(),
            issuer,
            client_id,
            scopes,
            audience: self.string("audience")?,
            extra_authorize_params,
            redirect_uri,
            loopback_port,
            role_arn,
            identity_pool,
            session_duration,
            web_identity_token,
            bucket,
            prefix,
            locations,
            region,
            sts_endpoint,
            s3_endpoint,
            force_path_style,
            federation_endpoint,
            transfers: self.transfers()?,
        })
    }
}

impl ProfileReader<'_> {
    /// `identity_pool_id` and its companions (`identity_provider`, `cognito_flow`,
    /// `cognito_endpoint`); the companions without `identity_pool_id` are refused.
    fn identity_pool(&self, issuer: &str) -> Result<Option<IdentityPool>> {
        let Some(id) = self.string("identity_pool_id")? else {
            if let Some(k) = ["identity_provider", "cognito_flow", "cognito_endpoint"]
                .into_iter()
                .find(|k| self.table.contains_key(*k))
            {
                return Err(self.err(k, "only used with an identity pool: set identity_pool_id too"));
            }
            return Ok(None);
        };
        identity_pool::identity_pool_id(&id).map_err(|v| self.violation("identity_pool_id", v))?;
        let identity_provider = match self.string("identity_provider")? {
            Some(p) => {
                identity_pool::identity_provider(&p).map_err(|v| self.violation("identity_provider", v))?;
                p
            }
            None => identity_pool::provider_name(issuer),
        };
        let flow = match self.string("cognito_flow")? {
            Some(f) => identity_pool::cognito_flow(&f).map_err(|v| self.violation("cognito_flow", v))?,
            None => CognitoFlow::Enhanced,
        };
        let endpoint = self.string("cognito_endpoint")?;
        if let Some(u) = &endpoint {
            self.url("cognito_endpoint", u)?;
        }
        Ok(Some(IdentityPool {
            identity_pool_id: id,
            identity_provider,
            flow,
            endpoint,
        }))
    }

    /// `[[profiles.NAME.locations]]`: `None` when absent; else 1+ tables with a unique `name`
    /// and a valid `prefix`. Refused together with a top-level `prefix` (ambiguous).
    fn locations(&self) -> Result<Option<Vec<Location>>> {
        const KEY: &str = "locations";
        let Some(v) = self.table.get(KEY) else { return Ok(None) };
        if self.table.contains_key("prefix") {
            return Err(self.err(
                KEY,
                "set either `prefix` or `[[profiles.NAME.locations]]`, not both (the first location is the default)",
            ));
        }
        let shape = || {
            self.err(
                KEY,
                "must be `[[profiles.NAME.locations]]` tables with `name` and `prefix`",
            )
        };
        let items = v.as_array().filter(|a| !a.is_empty()).ok_or_else(shape)?;
        let mut out: Vec<Location> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let t = item.as_table().ok_or_else(shape)?;
            if let Some(k) = t.keys().find(|k| *k != "name" && *k != "prefix") {
                return Err(self.err(
                    KEY,
                    format!("location {}: unknown key {k:?} (valid keys: name, prefix)", i + 1),
                ));
            }
            let field = |k: &str| {
                t.get(k)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| self.err(KEY, format!("location {}: `{k}` must be a string", i + 1)))
            };
            let (name, prefix) = (field("name")?, field("prefix")?);
            rules::location_name(&name)
                .map_err(|v| self.err(KEY, format!("location {}: name {}", i + 1, v.message)))?;
            rules::prefix_template(&prefix)
                .map_err(|v| self.err(KEY, format!("location {name:?}: prefix {}", v.message)))?;
            if out.iter().any(|l| l.name == name) {
                return Err(self.err(KEY, format!("two locations are named {name:?}")));
            }
            out.push(Location { name, prefix });
        }
        Ok(Some(out))
    }
}
