//! Search by name below a folder: one recursive ListObjectsV2 (no delimiter, up to 1,000 keys a
//! page) over the folder's prefix, matching each key's file name and the folder names its path
//! implies against a pattern — case-insensitive substring, Unicode-aware (full lowercase mapping
//! and NFC, [`fold_key`]). Matches stream page by page as the listing arrives; dropping the stream
//! sends no further request (Stop). Keys are only ever requested below the user's prefix.

use std::collections::HashSet;

use futures::Stream;

use super::{Entry, Storage};
use crate::error::{Error, Result};
use crate::localfs::fold_key;
use crate::paths::{LocalName, RelPath};
use crate::s3::{S3Error, S3ErrorKind};

/// What one listing page of a search found.
#[derive(Debug, Default)]
pub struct SearchPage {
    /// Matches in listing order (key order): [`Entry::File`] for an object whose name matches,
    /// [`Entry::Folder`] (path ending in `/`, relative to the prefix root) for a folder whose
    /// name matches — reported once per search, when the first key below it (or its marker) is
    /// listed. Paths are relative to the prefix root, like [`Storage::list_pages`]'.
    pub matches: Vec<Entry>,
    /// Matching keys whose path cannot be used as one (an empty, `.` or `..` segment, a
    /// backslash, a control character, a name over 255 bytes: the rule of
    /// [`crate::paths::local_path_for`]), each as [`Error::UnsafeKey`] (`path.unsafe_key`, with
    /// the full key and the reason). They are not in `matches`.
    pub unsafe_keys: Vec<Error>,
    /// Objects listed in this page (matching or not), for a "searched N" progress figure.
    pub listed: usize,
}

/// A search pattern: the case- and normalisation-folded text of a non-empty pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePattern(String);

impl NamePattern {
    /// Folds `pattern` ([`fold_key`]: NFC of the full lowercase mapping of its NFC form).
    /// Errors: [`Error::InvalidPath`] (`path.invalid`) when it is empty or contains `/`
    /// (a pattern matches one name, never a path).
    pub fn new(pattern: &str) -> Result<NamePattern> {
        let bad = |reason: &str| Error::InvalidPath {
            path: pattern.to_string(),
            reason: reason.to_string(),
        };
        if pattern.is_empty() {
            return Err(bad("the search pattern is empty"));
        }
        if pattern.contains('/') {
            return Err(bad("a search pattern matches a name; it cannot contain '/'"));
        }
        Ok(NamePattern(fold_key(pattern)))
    }

    /// True when `name` (one path segment) contains the pattern, ignoring case and Unicode
    /// normalisation (`Résumé.PDF` contains `resume\u{301}`). An empty name never matches.
    pub fn matches(&self, name: &str) -> bool {
        !name.is_empty() && fold_key(name).contains(&self.0)
    }
}

/// The state carried from one page to the next.
struct Walk {
    token: Option<String>,
    first: bool,
    /// Matching folders already reported (relative paths ending in `/`).
    seen_folders: HashSet<String>,
}

impl Storage {
    /// Searches folder `dir` (`RelPath::root()`: everything) and everything below it for files
    /// and folders whose name contains `pattern` (see [`NamePattern`]). The stream yields one
    /// [`SearchPage`] per ListObjectsV2 page (≤ 1,000 keys), so results arrive while the listing
    /// runs; it ends after the last page. Dropping it stops the search: no further request is
    /// sent. `dir` itself is never a match.
    ///
    /// Errors: at once, [`Error::InvalidPath`] (`path.invalid`) for an empty pattern or one with
    /// `/`; in the stream, S3 errors of ListObjectsV2 (then it ends), and `s3.not_found` as the
    /// first item when `dir` is not the root and nothing exists below it.
    pub fn search<'a>(
        &'a self,
        dir: &RelPath,
        pattern: &str,
    ) -> Result<impl Stream<Item = Result<SearchPage>> + Send + 'a> {
        let pattern = NamePattern::new(pattern)?;
        let folder = dir.as_folder();
        let list_prefix = self.key(&folder);
        let start = Walk {
            token: None,
            first: true,
            seen_folders: HashSet::new(),
        };
        Ok(futures::stream::try_unfold(Some(start), move |walk| {
            let list_prefix = list_prefix.clone();
            let pattern = pattern.clone();
            let folder = folder.clone();
            async move {
                let Some(mut walk) = walk else { return Ok(None) };
                let page = self
                    .client
                    .list_objects_v2(&list_prefix, None, walk.token.take())
                    .await?;
                if walk.first && page.objects.is_empty() && !folder.as_str().is_empty() {
                    return Err(Error::S3(S3Error::new(
                        S3ErrorKind::NotFound,
                        "ListObjectsV2",
                        list_prefix,
                        "no such folder",
                    )));
                }
                walk.first = false;
                let mut out = SearchPage {
                    listed: page.objects.len(),
                    ..SearchPage::default()
                };
                for o in page.objects {
                    // Never leave the prefix, whatever the server answers.
                    let Some(rel) = self.prefix.strip(&o.key) else { continue };
                    let Some(below) = rel.strip_prefix(folder.as_str()) else {
                        continue;
                    };
                    for hit in hits(below, &pattern) {
                        let path = &rel[..folder.as_str().len() + hit.end];
                        if hit.folder && !walk.seen_folders.insert(path.to_string()) {
                            continue;
                        }
                        let key = format!("{}{path}", self.prefix.as_str());
                        if let Err(e) = LocalName::for_key(path.trim_end_matches('/'), &key) {
                            out.unsafe_keys.push(e);
                        } else if hit.folder {
                            out.matches.push(Entry::Folder {
                                path: RelPath::from_listed(path),
                            });
                        } else {
                            out.matches.push(Entry::File {
                                path: RelPath::from_listed(path),
                                size: o.size,
                                last_modified: o.last_modified,
                                etag: o.etag.clone(),
                            });
                        }
                    }
                }
                walk.token = page.next_continuation_token;
                let next = walk.token.is_some().then_some(walk);
                Ok::<_, Error>(Some((out, next)))
            }
        }))
    }
}

/// A matching name in a key below the searched folder: `below[..end]` is its path (ending in `/`
/// for a folder).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hit {
    end: usize,
    folder: bool,
}

/// The names in `below` (a key relative to the searched folder) that match: every folder its path
/// implies, and the file name unless the key is a folder marker (ends in `/`).
fn hits(below: &str, pattern: &NamePattern) -> Vec<Hit> {
    let marker = below.ends_with('/');
    let body = below.strip_suffix('/').unwrap_or(below);
    let mut out = Vec::new();
    let mut start = 0;
    for seg in body.split('/') {
        let end = start + seg.len();
        let folder = end < body.len() || marker;
        if pattern.matches(seg) {
            out.push(Hit {
                end: if folder { end + 1 } else { end },
                folder,
            });
        }
        start = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(p: &str) -> NamePattern {
        NamePattern::new(p).unwrap()
    }

    #[test]
    fn patterns_ignore_case_and_normalisation() {
        assert!(pat("report").matches("Q3-REPORT.pdf"));
        assert!(pat("RÉSUMÉ").matches("my résumé.txt"));
        // NFD pattern, NFC name and the other way round.
        assert!(pat("re\u{301}sume\u{301}").matches("Résumé.PDF"));
        assert!(pat("résumé").matches("Re\u{301}sume\u{301}.pdf"));
        // Full case mapping: ß lowercases to itself, İ to i + U+0307.
        assert!(pat("straße").matches("STRASSE-straße.md"));
        assert!(!pat("x").matches(""));
        assert!(!pat("report").matches("repo.rt"));
    }

    #[test]
    fn empty_or_path_patterns_are_refused() {
        for bad in ["", "a/b", "/"] {
            assert_eq!(NamePattern::new(bad).unwrap_err().code(), "path.invalid", "{bad:?}");
        }
    }

    #[test]
    fn folders_implied_by_keys_and_file_names_match() {
        let p = pat("doc");
        assert_eq!(
            hits("Docs/2024/doc1.txt", &p),
            [Hit { end: 5, folder: true }, Hit { end: 18, folder: false }]
        );
        // A folder marker is a folder, not a file.
        assert_eq!(hits("a/docs/", &p), [Hit { end: 7, folder: true }]);
        assert_eq!(hits("a/b.txt", &p), []);
        // Empty segments never match.
        assert_eq!(hits("x//y", &pat("y")), [Hit { end: 4, folder: false }]);
    }
}
