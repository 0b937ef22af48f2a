//! Preview: the first bytes of one object, fetched with a single ranged GetObject (never more
//! than the caller's cap, never written to disk), and what they can be shown as — an image (PNG,
//! JPEG, GIF, WebP, SVG), UTF-8 text, a PDF, or nothing but the object's facts. The kind needs
//! both the object's type (its `Content-Type`, else its name's extension) and the bytes' own
//! signature to agree: an `x.png` whose bytes are not PNG is [`PreviewKind::Other`].

use std::fmt;

use futures::StreamExt;
use time::OffsetDateTime;

use super::Storage;
use crate::error::{Error, ErrorCode, Result};
use crate::paths::RelPath;
use kind::{classify, essence, guessed_type, Claim, OCTET_STREAM};

/// The most text a preview holds: the first 1 MiB (whatever `max_bytes` allows beyond it).
pub const TEXT_PREVIEW_BYTES: u64 = 1024 * 1024;

/// Why an object is shown by its facts only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherReason {
    /// Not a type Kura previews (by `Content-Type` or extension, or bytes that are not text).
    Unsupported,
    /// Its type says image or PDF but its bytes are not one (e.g. `x.png` that is not PNG).
    Mismatch,
    /// An image or PDF larger than the cap: a cut image or PDF cannot be shown, so nothing is
    /// fetched.
    TooLarge,
    /// Its type says text but the bytes are not UTF-8.
    NotUtf8,
}

impl OtherReason {
    /// Stable code for front ends to word: `preview.unsupported`, `preview.mismatch`,
    /// `preview.too_large`, `preview.not_utf8`.
    pub fn code(self) -> ErrorCode {
        match self {
            OtherReason::Unsupported => ErrorCode::PreviewUnsupported,
            OtherReason::Mismatch => ErrorCode::PreviewMismatch,
            OtherReason::TooLarge => ErrorCode::PreviewTooLarge,
            OtherReason::NotUtf8 => ErrorCode::PreviewNotUtf8,
        }
    }
}

/// How the bytes of a [`Preview`] can be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewKind {
    /// A whole PNG, JPEG, GIF, WebP or SVG image (`content_type` is its `image/…` type; show it
    /// as an image — an SVG in an `<img>`, where its scripts do not run).
    Image,
    /// UTF-8 text (the first [`TEXT_PREVIEW_BYTES`] at most; `truncated` says when there is
    /// more). Show it as plain text whatever `content_type` says (`text/html` included).
    Text,
    /// A whole PDF document (`application/pdf`).
    Pdf,
    /// No bytes: show name, size, type and modified time, and why.
    Other(OtherReason),
}

/// One object's preview. `bytes` is empty for [`PreviewKind::Other`].
#[derive(Clone, PartialEq, Eq)]
pub struct Preview {
    /// The object's name (last path segment).
    pub key_name: String,
    /// The object's size in bytes (HeadObject `Content-Length`).
    pub size: u64,
    /// For images and PDFs the type their bytes are (`image/png`, …, `application/pdf`);
    /// otherwise the object's `Content-Type`, unless absent or `application/octet-stream`, then
    /// guessed from the extension (`text/plain` for text of an unknown one), else
    /// `application/octet-stream`.
    pub content_type: String,
    /// `Last-Modified`.
    pub modified: Option<OffsetDateTime>,
    /// How to show `bytes`.
    pub kind: PreviewKind,
    /// The first bytes of the object: at most the cap, ending on a whole UTF-8 character for
    /// text; empty for `Other`.
    pub bytes: Vec<u8>,
    /// True when `bytes` is only the beginning of the object (text only).
    pub truncated: bool,
}

impl fmt::Debug for Preview {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Preview")
            .field("key_name", &self.key_name)
            .field("size", &self.size)
            .field("content_type", &self.content_type)
            .field("modified", &self.modified)
            .field("kind", &self.kind)
            .field("bytes", &format_args!("[{} bytes]", self.bytes.len()))
            .field("truncated", &self.truncated)
            .finish()
    }
}

impl Storage {
    /// Previews the object at `path`: HeadObject (size, type, modified, ETag), then — unless its
    /// type rules a preview out, or it is an image or PDF larger than `max_bytes` — one
    /// GetObject of `bytes=0-(n-1)` pinned to that ETag (`If-Match`), where `n` is the size
    /// capped at `max_bytes` (text and unknown types also at [`TEXT_PREVIEW_BYTES`]). Nothing is
    /// saved to disk. Suggested cap: 20 MiB.
    ///
    /// Errors: [`Error::InvalidPath`] (`path.invalid`) for a folder path; S3 errors
    /// (`s3.not_found` when there is no such object, `s3.object_changed` when it was replaced
    /// between the two requests, `s3.network` …).
    pub async fn preview(&self, path: &RelPath, max_bytes: u64) -> Result<Preview> {
        if path.is_folder() {
            return Err(Error::InvalidPath {
                path: path.as_str().to_string(),
                reason: "a folder has no preview; give a file".into(),
            });
        }
        let key = self.key(path);
        let head = self.client.head_object(&key).await?;
        let name = path.name().to_string();
        let declared = head
            .content_type
            .as_deref()
            .map(essence)
            .filter(|t| !t.is_empty() && !OCTET_STREAM.contains(&t.as_str()));
        let claim = match &declared {
            Some(t) => Claim::from_type(t),
            None => Claim::from_name(&name),
        };
        let content_type = declared.unwrap_or_else(|| guessed_type(&name).to_string());
        let fetch = match claim {
            Claim::Unsupported => None,
            Claim::Image(_) | Claim::Pdf if head.size > max_bytes => None,
            Claim::Image(_) | Claim::Pdf => Some(head.size),
            Claim::Text | Claim::Unknown => Some(head.size.min(max_bytes).min(TEXT_PREVIEW_BYTES)),
        };
        let bytes = match fetch {
            Some(n) if n > 0 => self.first_bytes(&key, n, head.etag.as_deref()).await?,
            _ => Vec::new(),
        };
        let truncated = (bytes.len() as u64) < head.size;
        let (kind, bytes, sniffed) = match fetch {
            None if claim == Claim::Unsupported => (PreviewKind::Other(OtherReason::Unsupported), Vec::new(), None),
            None => (PreviewKind::Other(OtherReason::TooLarge), Vec::new(), None),
            Some(_) => classify(claim, bytes, truncated),
        };
        let content_type = match (kind, sniffed) {
            (_, Some(t)) => t.to_string(),
            (PreviewKind::Text, None) if content_type == "application/octet-stream" => "text/plain".into(),
            _ => content_type,
        };
        Ok(Preview {
            key_name: name,
            size: head.size,
            content_type,
            modified: head.last_modified,
            kind,
            truncated: truncated && kind == PreviewKind::Text,
            bytes,
        })
    }

    /// The first `n` (> 0) bytes of `key`, one ranged GET; never keeps more than `n`.
    async fn first_bytes(&self, key: &str, n: u64, etag: Option<&str>) -> Result<Vec<u8>> {
        let got = self.client.get_object(key, Some(0..n), etag).await?;
        let mut body = got.body;
        let mut out = Vec::with_capacity(n as usize);
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(Error::S3)?;
            let room = n as usize - out.len();
            out.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if out.len() as u64 == n {
                break;
            }
        }
        Ok(out)
    }
}

mod kind;
#[cfg(test)]
mod tests;
