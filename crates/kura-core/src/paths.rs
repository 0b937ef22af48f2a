//! Mapping between the user's paths, S3 keys and local files.
//!
//! * A prefix is rendered from a template (`users/{sub}/`, `tenants/{tag:tenant}/shared/`) with
//!   the ID token's claims: see [`template`].
//! * A user path (`docs/a.txt`, `/docs/`) is relative to the user's prefix (`users/<sub>/`);
//!   a leading `/` means the prefix root. `.`/`..` segments, empty segments, backslashes, control
//!   characters and keys longer than S3's 1,024 bytes are refused before any request.
//! * A key listed from S3 is turned into a local path below a chosen directory only if every
//!   segment is a plain file name: no `..`, no absolute path, no backslash, no NUL, no segment
//!   longer than 255 bytes — so no key can name a path outside that directory (on Windows, names
//!   it cannot create — `CON`, `<>:"|?*`, a trailing dot or space — are mapped). That no link
//!   *inside* the directory leads out of it is [`crate::localfs`]'s part.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub mod template;
pub use template::{safe_segment, Claims, Placeholder};

/// S3's maximum key length in bytes.
pub const MAX_KEY_BYTES: usize = 1024;
/// Longest file name most file systems accept, in bytes.
pub const MAX_NAME_BYTES: usize = 255;

/// The user's resolved prefix, e.g. `users/auth0|alice0001/` (always ends with `/`, or is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefix(String);

impl Prefix {
    /// Renders `template` with only the ID token's `sub` known (templates using `{claim:…}` or
    /// `{tag:…}` fail with `path.missing_claim`). See [`Prefix::render_claims`].
    pub fn render(template: &str, sub: &str) -> Result<Prefix> {
        Prefix::render_claims(template, &Claims::from_sub(sub))
    }

    /// Renders a prefix template (see [`template`]) with the signed-in user's ID token claims.
    /// Every value must be a safe path segment ([`safe_segment`]).
    /// Errors: [`Error::MissingClaim`] (`path.missing_claim`: claim or tag absent, or of another
    /// shape), [`Error::UnsafeClaim`] (`path.unsafe_claim`), [`Error::InvalidPath`] for a template
    /// that does not parse (config reading refuses those first).
    pub fn render_claims(template_text: &str, claims: &Claims) -> Result<Prefix> {
        let parts = template::parse(template_text).map_err(|v| Error::InvalidPath {
            path: template_text.to_string(),
            reason: v.message,
        })?;
        let mut out = String::new();
        for part in parts {
            match part {
                template::Part::Text(t) => out.push_str(t),
                template::Part::Placeholder(p) => {
                    let value = claims.value(&p)?;
                    safe_segment(&value).map_err(|reason| Error::UnsafeClaim {
                        placeholder: p.to_string(),
                        value: value.escape_debug().to_string(),
                        reason: reason.to_string(),
                    })?;
                    out.push_str(&value);
                }
            }
        }
        Ok(Prefix(out))
    }

    /// The prefix as an S3 key prefix.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The full key for a validated relative path.
    pub fn key(&self, rel: &RelPath) -> String {
        format!("{}{}", self.0, rel.0)
    }

    /// The part of `key` below the prefix, or `None` when `key` is outside it.
    pub fn strip<'k>(&self, key: &'k str) -> Option<&'k str> {
        key.strip_prefix(self.0.as_str())
    }
}

/// A validated path relative to the prefix: `""` is the root, `docs/` a folder, `docs/a.txt` a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelPath(String);

impl RelPath {
    /// The prefix root.
    pub fn root() -> RelPath {
        RelPath(String::new())
    }

    /// Parses a path typed by the user. A leading `/` is the prefix root; a trailing `/` marks a
    /// folder. Errors: `..`/`.`/empty segments, backslashes, control characters, > 1,024 bytes.
    pub fn parse(input: &str) -> Result<RelPath> {
        let bad = |reason: &str| Error::InvalidPath {
            path: input.to_string(),
            reason: reason.to_string(),
        };
        if input.contains("://") {
            return Err(bad("give a path inside your own folder, not a URL"));
        }
        if input.chars().any(char::is_control) {
            return Err(bad("control characters are not allowed"));
        }
        if input.contains('\\') {
            return Err(bad("backslashes are not allowed; use '/' between folders"));
        }
        let trimmed = input.trim_start_matches('/');
        if trimmed.is_empty() {
            return Ok(RelPath::root());
        }
        let is_folder = trimmed.ends_with('/');
        let body = trimmed.trim_end_matches('/');
        for seg in body.split('/') {
            match seg {
                "" => return Err(bad("empty path segment ('//')")),
                "." | ".." => return Err(bad("'.' and '..' segments are not allowed")),
                _ => {}
            }
        }
        let rel = if is_folder {
            format!("{body}/")
        } else {
            body.to_string()
        };
        if rel.len() > MAX_KEY_BYTES {
            return Err(bad("longer than S3's 1,024-byte key limit"));
        }
        Ok(RelPath(rel))
    }

    /// A relative path built from a key already known to be below the prefix (from a listing).
    pub(crate) fn from_listed(rel: &str) -> RelPath {
        RelPath(rel.to_string())
    }

    /// The path as text (`""` for the root).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for the root and for paths ending in `/`.
    pub fn is_folder(&self) -> bool {
        self.0.is_empty() || self.0.ends_with('/')
    }

    /// The same path as a folder (`docs` → `docs/`).
    pub fn as_folder(&self) -> RelPath {
        if self.is_folder() {
            self.clone()
        } else {
            RelPath(format!("{}/", self.0))
        }
    }

    /// The last segment without a trailing `/` (`docs/a.txt` → `a.txt`; root → `""`).
    pub fn name(&self) -> &str {
        self.0.trim_end_matches('/').rsplit('/').next().unwrap_or("")
    }

    /// Appends a child path given as validated text segments (`folder/` + `a/b.txt`).
    pub fn join(&self, child: &str) -> Result<RelPath> {
        RelPath::parse(&format!("{}{}", self.as_folder().0, child))
    }
}

/// Turns `rel` (a key below some folder, `/`-separated) into a path under `dir`, refusing any
/// segment that could escape `dir` or that the file system cannot hold; on Windows, names it
/// cannot create are mapped ([`crate::localfs::windows_name`]). `key` is only used in the error.
/// Errors: `path.unsafe_key`.
pub fn local_path_for(dir: &Path, rel: &str, key: &str) -> Result<PathBuf> {
    let name = LocalName::for_key(rel, key)?;
    let mut out = dir.to_path_buf();
    out.extend(name.rel.split('/'));
    debug_assert!(out.starts_with(dir));
    Ok(out)
}

/// A key's local name below the download directory, as [`local_path_for`] checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LocalName {
    /// Plain file names joined by `/`: no `.`/`..`, empty, absolute or over-long segment.
    pub rel: String,
    /// True when a segment was changed so that Windows can create it.
    pub mapped: bool,
}

impl LocalName {
    /// The local name for `rel` on this OS. Errors: `path.unsafe_key`.
    pub(crate) fn for_key(rel: &str, key: &str) -> Result<LocalName> {
        LocalName::for_os(rel, key, cfg!(windows))
    }

    /// The local name for `rel`, with Windows' rules when `windows`.
    fn for_os(rel: &str, key: &str, windows: bool) -> Result<LocalName> {
        let unsafe_key = |reason: &str| Error::UnsafeKey {
            key: key.to_string(),
            reason: reason.to_string(),
        };
        if rel.is_empty() {
            return Err(unsafe_key("empty name"));
        }
        let mut out = LocalName {
            rel: String::with_capacity(rel.len()),
            mapped: false,
        };
        for seg in rel.split('/') {
            match seg {
                "" => return Err(unsafe_key("empty path segment (leading '/' or '//')")),
                "." | ".." => return Err(unsafe_key("'.' or '..' segment")),
                _ => {}
            }
            if seg.contains('\\') {
                return Err(unsafe_key("backslash in name"));
            }
            if seg.contains('\0') || seg.chars().any(char::is_control) {
                return Err(unsafe_key("NUL or control character in name"));
            }
            let seg = if windows {
                crate::localfs::windows_name(seg)
            } else {
                std::borrow::Cow::Borrowed(seg)
            };
            if seg.len() > MAX_NAME_BYTES {
                return Err(unsafe_key("a name is longer than 255 bytes"));
            }
            let p = Path::new(seg.as_ref());
            if p.is_absolute() || p.components().count() != 1 {
                return Err(unsafe_key("not a plain file name"));
            }
            out.mapped |= matches!(seg, std::borrow::Cow::Owned(_));
            if !out.rel.is_empty() {
                out.rel.push('/');
            }
            out.rel.push_str(&seg);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_paths() {
        assert_eq!(RelPath::parse("/").unwrap(), RelPath::root());
        assert_eq!(RelPath::parse("").unwrap(), RelPath::root());
        assert_eq!(RelPath::parse("docs/").unwrap().as_str(), "docs/");
        assert_eq!(RelPath::parse("/docs/a.txt").unwrap().as_str(), "docs/a.txt");
        assert_eq!(RelPath::parse("docs//").unwrap().as_str(), "docs/");
        for bad in [
            "../x",
            "a/../../b",
            "a/./b",
            "a//b",
            "a\\b",
            "a\u{0}b",
            "s3://b/k",
            "..",
            "a/..",
        ] {
            let e = RelPath::parse(bad).unwrap_err();
            assert_eq!(e.code(), "path.invalid", "{bad}");
        }
        assert!(RelPath::parse(&"x".repeat(1025)).is_err());
    }

    #[test]
    fn prefix_keys_and_strip() {
        let p = Prefix::render("users/{sub}/", "auth0|alice0001").unwrap();
        assert_eq!(p.as_str(), "users/auth0|alice0001/");
        assert_eq!(
            p.key(&RelPath::parse("docs/a.txt").unwrap()),
            "users/auth0|alice0001/docs/a.txt"
        );
        assert_eq!(p.strip("users/auth0|alice0001/x"), Some("x"));
        assert_eq!(p.strip("users/auth0|bob/x"), None);
        for sub in ["", "a/b", "..", "\u{7}"] {
            assert!(Prefix::render("users/{sub}/", sub).is_err(), "{sub:?}");
        }
    }

    #[test]
    fn hostile_keys_never_escape() {
        let dir = Path::new("/tmp/dl");
        assert_eq!(
            local_path_for(dir, "a/b.txt", "k").unwrap(),
            Path::new("/tmp/dl/a/b.txt")
        );
        let long = "n".repeat(256);
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a//b",
            "a\\..\\b",
            "..\\x",
            "a\0b",
            ".",
            "",
            long.as_str(),
            "x/",
        ] {
            let e = local_path_for(dir, bad, bad).unwrap_err();
            assert_eq!(e.code(), "path.unsafe_key", "{bad:?}");
        }
    }

    #[test]
    fn names_windows_cannot_create_are_mapped_there_and_reported() {
        let name = LocalName::for_os("docs/CON.txt", "k", true).unwrap();
        assert_eq!(name.rel, "docs/CON_.txt");
        assert!(name.mapped);
        let name = LocalName::for_os("a?/b: c.", "k", true).unwrap();
        assert_eq!(name.rel, "a\u{ff1f}/b\u{ff1a} c\u{ff0e}");
        let name = LocalName::for_os("docs/a.txt", "k", true).unwrap();
        assert_eq!((name.rel.as_str(), name.mapped), ("docs/a.txt", false));
        // Elsewhere the names are kept as they are.
        let name = LocalName::for_os("docs/CON.txt", "k", false).unwrap();
        assert_eq!((name.rel.as_str(), name.mapped), ("docs/CON.txt", false));
        // Mapping never lets a name escape or grow past the limit unnoticed.
        let long = format!("{}?", "n".repeat(253));
        let e = LocalName::for_os(&long, "k", true).unwrap_err();
        assert_eq!(e.code(), "path.unsafe_key");
        for bad in ["../x", "a\\b", "a//b", "x/"] {
            assert!(LocalName::for_os(bad, bad, true).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_and_folders() {
        let p = RelPath::parse("docs/sub/").unwrap();
        assert!(p.is_folder());
        assert_eq!(p.name(), "sub");
        assert_eq!(RelPath::parse("a.txt").unwrap().as_folder().as_str(), "a.txt/");
        assert_eq!(p.join("x.txt").unwrap().as_str(), "docs/sub/x.txt");
        assert!(p.join("../x").is_err());
    }
}
