//! Prefix templates and the ID token claims they are rendered from.
//!
//! A template is text with placeholders in braces:
//! * `{sub}` — the ID token's `sub`;
//! * `{claim:NAME}` — any ID token claim `NAME` whose value is a string or a number
//!   (e.g. `{claim:tenant}`, `{claim:https://example.com/team}`);
//! * `{tag:KEY}` — the session tag `KEY` from the claim `https://aws.amazon.com/tags`:
//!   `principal_tags.KEY`, an array of one string (AWS IAM User Guide, "Passing session tags using
//!   AssumeRoleWithWebIdentity"), the value AWS policies read as `${aws:PrincipalTag/KEY}`;
//! * `{identity_id}` — the Amazon Cognito identity ID (`REGION:UUID`) of a profile with an identity
//!   pool, the value AWS policies read as `${cognito-identity.amazonaws.com:sub}`.
//!
//! Templates are checked when the config is read ([`parse`]); values are checked when rendered
//! ([`safe_segment`]), so a claim can never add, remove or climb out of a folder level.

use serde_json::{Map, Value};

use crate::config::Violation;
use crate::error::{Error, Result};

/// The claim holding AWS session tags (`principal_tags`, `transitive_tag_keys`).
pub const AWS_TAGS_CLAIM: &str = "https://aws.amazon.com/tags";

/// Longest value a placeholder may render to, in bytes (a file-name-sized segment).
pub const MAX_SEGMENT_BYTES: usize = super::MAX_NAME_BYTES;

/// A placeholder of a prefix template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder {
    /// `{sub}`.
    Sub,
    /// `{claim:NAME}`.
    Claim(String),
    /// `{tag:KEY}`.
    Tag(String),
    /// `{identity_id}`.
    IdentityId,
}

impl std::fmt::Display for Placeholder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Placeholder::Sub => f.write_str("{sub}"),
            Placeholder::Claim(n) => write!(f, "{{claim:{n}}}"),
            Placeholder::Tag(k) => write!(f, "{{tag:{k}}}"),
            Placeholder::IdentityId => f.write_str("{identity_id}"),
        }
    }
}

/// A piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part<'a> {
    /// Literal text.
    Text(&'a str),
    /// A value from the claims.
    Placeholder(Placeholder),
}

fn violation(code: &'static str, message: impl Into<String>) -> Violation {
    Violation {
        code,
        message: message.into(),
    }
}

/// Parses a template into text and placeholders. Violations (stable codes):
/// `prefix.invalid` (an unclosed `{`, a stray `}`, an empty name),
/// `prefix.unknown_placeholder` (a name other than `sub`, `identity_id`, `claim:NAME`, `tag:KEY`).
pub fn parse(t: &str) -> std::result::Result<Vec<Part<'_>>, Violation> {
    let mut parts = Vec::new();
    let mut rest = t;
    while !rest.is_empty() {
        let open = rest.find('{');
        let close = rest.find('}');
        match (open, close) {
            (None, None) => {
                parts.push(Part::Text(rest));
                break;
            }
            (_, Some(c)) if open.is_none_or(|o| c < o) => {
                return Err(violation("prefix.invalid", "a '}' without its '{'"));
            }
            (Some(o), _) => {
                if o > 0 {
                    parts.push(Part::Text(&rest[..o]));
                }
                let after = &rest[o + 1..];
                let end = after
                    .find('}')
                    .ok_or_else(|| violation("prefix.invalid", "a '{' without its '}'"))?;
                let name = &after[..end];
                if name.contains('{') {
                    return Err(violation("prefix.invalid", "a '{' without its '}'"));
                }
                parts.push(Part::Placeholder(placeholder(name)?));
                rest = &after[end + 1..];
            }
            (None, Some(_)) => unreachable!("handled above"),
        }
    }
    Ok(parts)
}

fn placeholder(name: &str) -> std::result::Result<Placeholder, Violation> {
    let named = |kind: &str, n: &str| {
        if n.is_empty() || n.chars().any(char::is_control) {
            Err(violation("prefix.invalid", format!("{{{kind}:…}} needs a name")))
        } else {
            Ok(n.to_string())
        }
    };
    match name {
        "sub" => Ok(Placeholder::Sub),
        "identity_id" => Ok(Placeholder::IdentityId),
        _ => {
            if let Some(n) = name.strip_prefix("claim:") {
                Ok(Placeholder::Claim(named("claim", n)?))
            } else if let Some(k) = name.strip_prefix("tag:") {
                Ok(Placeholder::Tag(named("tag", k)?))
            } else {
                Err(violation(
                    "prefix.unknown_placeholder",
                    format!(
                        "unknown placeholder {{{name}}} (use {{sub}}, {{identity_id}}, {{claim:NAME}} or {{tag:KEY}})"
                    ),
                ))
            }
        }
    }
}

/// Checks that `v` can stand as (part of) one folder name: not empty, not `.`/`..`, no `/` or
/// `\\`, no control characters, at most [`MAX_SEGMENT_BYTES`]. Returns why not.
pub fn safe_segment(v: &str) -> std::result::Result<(), &'static str> {
    if v.is_empty() {
        Err("empty")
    } else if v == "." || v == ".." {
        Err("'.' or '..'")
    } else if v.contains('/') || v.contains('\\') {
        Err("contains '/' or '\\'")
    } else if v.chars().any(char::is_control) {
        Err("contains control characters")
    } else if v.len() > MAX_SEGMENT_BYTES {
        Err("longer than 255 bytes")
    } else {
        Ok(())
    }
}

/// The claims of the signed-in user's validated ID token (its decoded payload), which prefix
/// templates are rendered from. Holds no secret: no token, only the payload's claims.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Claims(Map<String, Value>, Option<String>);

impl Claims {
    /// Claims from a JSON object (an ID token's payload); anything else gives no claims.
    pub fn from_payload(payload: Option<Value>) -> Claims {
        match payload {
            Some(Value::Object(m)) => Claims(m, None),
            _ => Claims::default(),
        }
    }

    /// Only a `sub` (for templates that use nothing else).
    pub fn from_sub(sub: &str) -> Claims {
        let mut m = Map::new();
        m.insert("sub".into(), Value::String(sub.into()));
        Claims(m, None)
    }

    /// The same claims with the Amazon Cognito identity ID `{identity_id}` renders to.
    pub fn with_identity_id(mut self, identity_id: Option<&str>) -> Claims {
        self.1 = identity_id.map(str::to_string);
        self
    }

    /// A claim's value, if present.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    /// The text a placeholder renders to (not yet checked with [`safe_segment`]).
    /// Errors: [`Error::MissingClaim`] when the claim or tag is absent or not of the right shape
    /// (a string or number; for a tag an array of one string).
    pub fn value(&self, p: &Placeholder) -> Result<String> {
        let missing = |reason: &str| Error::MissingClaim {
            placeholder: p.to_string(),
            reason: reason.to_string(),
        };
        match p {
            Placeholder::IdentityId => self
                .1
                .clone()
                .ok_or_else(|| missing("no Amazon Cognito identity ID: the profile has no identity pool, or nobody signed in through it yet")),
            Placeholder::Sub | Placeholder::Claim(_) => {
                let name = match p {
                    Placeholder::Claim(n) => n.as_str(),
                    _ => "sub",
                };
                match self.0.get(name) {
                    None | Some(Value::Null) => Err(missing("the ID token has no such claim")),
                    Some(Value::String(s)) => Ok(s.clone()),
                    Some(Value::Number(n)) => Ok(n.to_string()),
                    Some(_) => Err(missing("the claim is not a string or a number")),
                }
            }
            Placeholder::Tag(key) => {
                let tag = self
                    .0
                    .get(AWS_TAGS_CLAIM)
                    .and_then(|t| t.get("principal_tags"))
                    .and_then(|t| t.get(key))
                    .ok_or_else(|| missing("the ID token has no such session tag"))?;
                match tag.as_array().map(Vec::as_slice) {
                    Some([Value::String(s)]) => Ok(s.clone()),
                    _ => Err(missing("the session tag is not an array of one string")),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::Prefix;
    use serde_json::json;

    fn claims(v: Value) -> Claims {
        Claims::from_payload(Some(v))
    }

    #[test]
    fn renders_sub_claims_and_tags() {
        let c = claims(json!({
            "sub": "auth0|alice0001",
            "tenant": "acme",
            "team_no": 42,
            "https://aws.amazon.com/tags": {"principal_tags": {"tenant": ["acme"]}, "transitive_tag_keys": ["tenant"]}
        }));
        let r = |t: &str| Prefix::render_claims(t, &c).map(|p| p.as_str().to_string());
        assert_eq!(r("users/{sub}/").unwrap(), "users/auth0|alice0001/");
        assert_eq!(r("tenants/{tag:tenant}/shared/").unwrap(), "tenants/acme/shared/");
        assert_eq!(r("t/{claim:tenant}-{claim:team_no}/").unwrap(), "t/acme-42/");
        assert_eq!(r("shared/").unwrap(), "shared/");
        assert_eq!(r("c/{identity_id}/").unwrap_err().code(), "path.missing_claim");
        let with_id = c
            .clone()
            .with_identity_id(Some("us-east-1:0b5a3b7e-0000-4000-8000-000000000001"));
        assert_eq!(
            Prefix::render_claims("cognito/{identity_id}/", &with_id)
                .unwrap()
                .as_str(),
            "cognito/us-east-1:0b5a3b7e-0000-4000-8000-000000000001/"
        );
        let bad = c.with_identity_id(Some("../x"));
        assert_eq!(
            Prefix::render_claims("c/{identity_id}/", &bad).unwrap_err().code(),
            "path.unsafe_claim"
        );
    }

    #[test]
    fn missing_claims_and_tags_are_errors() {
        let c = claims(
            json!({"sub": "dave", "groups": ["a"], "https://aws.amazon.com/tags": {"principal_tags": {"two": ["a", "b"]}}}),
        );
        for t in [
            "t/{tag:tenant}/",
            "t/{claim:tenant}/",
            "t/{claim:groups}/",
            "t/{tag:two}/",
        ] {
            let e = Prefix::render_claims(t, &c).unwrap_err();
            assert_eq!(e.code(), "path.missing_claim", "{t}");
        }
        let e = Prefix::render_claims("t/{tag:tenant}/", &Claims::default()).unwrap_err();
        assert_eq!(e.code(), "path.missing_claim");
        assert!(e.to_string().contains("{tag:tenant}"), "{e}");
    }

    #[test]
    fn unsafe_values_are_refused() {
        for bad in [
            "../x",
            "a/b",
            "",
            ".",
            "..",
            "a\\b",
            "a\u{0}b",
            "a\nb",
            &"x".repeat(256),
        ] {
            let c = claims(
                json!({"sub": bad, "tenant": bad, "https://aws.amazon.com/tags": {"principal_tags": {"tenant": [bad]}}}),
            );
            for t in ["users/{sub}/", "t/{claim:tenant}/", "t/{tag:tenant}/shared/"] {
                let e = Prefix::render_claims(t, &c).unwrap_err();
                assert_eq!(e.code(), "path.unsafe_claim", "{t} with {bad:?}");
            }
        }
        assert!(Prefix::render("users/{sub}/", &"x".repeat(255)).is_ok());
    }

    #[test]
    fn template_syntax() {
        let code = |t: &str| parse(t).err().map(|v| v.code);
        assert_eq!(code("users/{sub}/"), None);
        assert_eq!(code("a/{claim:https://example.com/team}/"), None);
        assert_eq!(code("users/{email}/"), Some("prefix.unknown_placeholder"));
        assert_eq!(code("users/{SUB}/"), Some("prefix.unknown_placeholder"));
        assert_eq!(code("cognito/{identity_id}/"), None);
        for bad in [
            "users/{sub/",
            "users/sub}/",
            "users/{}/",
            "a/{claim:}/",
            "a/{tag:}/",
            "a/{{sub}}/",
        ] {
            assert!(code(bad).is_some(), "{bad}");
        }
        assert_eq!(
            parse("a{sub}b").unwrap(),
            vec![Part::Text("a"), Part::Placeholder(Placeholder::Sub), Part::Text("b")]
        );
    }
}
