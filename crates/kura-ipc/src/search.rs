//! Search and preview across IPC: `start_search`'s event stream ([`SearchEvent`], results as
//! [`SearchHit`]s) and `preview_file`'s answer, one binary frame ([`preview_frame`]) holding a
//! [`PreviewInfo`] and the bytes to show, so no preview byte travels as JSON or base64.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{rfc3339, EntryView, IpcError};

/// One search result: a matching file or folder and the folder it is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SearchHit {
    /// The match (its `path` relative to the prefix; folders end with `/`).
    pub entry: EntryView,
    /// The folder it is in, relative to the prefix: `""` for the root, else ending with `/`.
    pub folder: String,
}

impl From<&kura_core::storage::Entry> for SearchHit {
    fn from(e: &kura_core::storage::Entry) -> Self {
        let entry = EntryView::from(e);
        SearchHit {
            folder: parent_folder(&entry.path).to_string(),
            entry,
        }
    }
}

/// The folder `path` (a file, or a folder ending with `/`) is in: `""` at the root.
fn parent_folder(path: &str) -> &str {
    let body = path.strip_suffix('/').unwrap_or(path);
    match body.rfind('/') {
        Some(i) => &path[..=i],
        None => "",
    }
}

/// Messages of `start_search`'s channel. `id` is what `start_search` returned. A search sends
/// pages while the listing runs, then exactly one of `done`, `failed` or `stopped`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SearchEvent {
    /// What one listing page (≤ 1,000 objects) found; sent for every page, also without hits,
    /// so the counts move.
    Page {
        /// Search id.
        id: u32,
        /// The new matches, in key order.
        hits: Vec<SearchHit>,
        /// Matches so far (all pages).
        found: u32,
        /// Objects searched so far.
        listed: u32,
        /// Matching keys left out so far because their path cannot be used (`path.unsafe_key`).
        skipped: u32,
    },
    /// Everything below the folder was searched.
    Done {
        /// Search id.
        id: u32,
        /// Matches.
        found: u32,
        /// Objects searched.
        listed: u32,
        /// Matching keys left out (unusable paths).
        skipped: u32,
    },
    /// The listing failed (e.g. `s3.not_found` for a folder that is gone, `auth.*`); the pages
    /// sent before stay valid.
    Failed {
        /// Search id.
        id: u32,
        /// Why.
        error: IpcError,
    },
    /// Stopped by `stop_search` or by a newer search in the same window; no request is sent
    /// after this.
    Stopped {
        /// Search id.
        id: u32,
    },
}

/// How a preview's bytes are shown (`kura_core::storage::PreviewKind` without the reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PreviewShow {
    /// A whole PNG, JPEG, GIF, WebP or SVG image: show it in an `<img>` only (SVG scripts do not
    /// run there).
    Image,
    /// UTF-8 text, the first 1 MiB at most: show as plain text.
    Text,
    /// A PDF document.
    Pdf,
    /// Facts only (see `reason`).
    Other,
}

/// What `preview_file` says about the object, ahead of the bytes in its frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PreviewInfo {
    /// The object's path, relative to the prefix.
    pub path: String,
    /// Its name (last path segment).
    pub name: String,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub size: u64,
    /// The type of the bytes (images, PDF: what their signature is), else the object's
    /// `Content-Type` or the type guessed from its name.
    pub content_type: String,
    /// `Last-Modified` (RFC 3339), when known.
    pub modified: Option<String>,
    /// How to show the bytes.
    pub show: PreviewShow,
    /// For `other`: why (`preview.unsupported`, `preview.mismatch`, `preview.too_large`,
    /// `preview.not_utf8`).
    pub reason: Option<kura_core::ErrorCode>,
    /// True when the bytes are only the beginning of the text.
    pub truncated: bool,
    /// How many bytes follow the header in the frame (0 when nothing is to be shown from them).
    #[ts(type = "number")]
    pub bytes: u64,
}

impl PreviewInfo {
    /// The facts of `p` (at `path`) for a frame carrying `bytes` bytes.
    pub fn new(path: &str, p: &kura_core::storage::Preview, bytes: u64) -> PreviewInfo {
        use kura_core::storage::PreviewKind;
        let (show, reason) = match p.kind {
            PreviewKind::Image => (PreviewShow::Image, None),
            PreviewKind::Text => (PreviewShow::Text, None),
            PreviewKind::Pdf => (PreviewShow::Pdf, None),
            PreviewKind::Other(r) => (PreviewShow::Other, Some(r.code())),
        };
        PreviewInfo {
            path: path.to_string(),
            name: p.key_name.clone(),
            size: p.size,
            content_type: p.content_type.clone(),
            modified: p.modified.map(rfc3339),
            show,
            reason,
            truncated: p.truncated,
            bytes,
        }
    }
}

/// `preview_file`'s answer as one binary IPC response: a 4-byte big-endian length `n`, `n`
/// bytes of UTF-8 JSON ([`PreviewInfo`], whose `bytes` is `bytes.len()`), then `bytes`. The page
/// gets it as an `ArrayBuffer` and makes a `Blob` of the bytes; nothing is base64-encoded.
pub fn preview_frame(info: &PreviewInfo, bytes: &[u8]) -> Vec<u8> {
    let info = PreviewInfo {
        bytes: bytes.len() as u64,
        ..info.clone()
    };
    let header = serde_json::to_vec(&info).expect("a PreviewInfo always serialises");
    let mut out = Vec::with_capacity(4 + header.len() + bytes.len());
    out.extend_from_slice(&(header.len() as u32).to_be_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(bytes);
    out
}

/// Splits a [`preview_frame`] into its info and bytes; `None` when it is not one (too short, bad
/// JSON, or a byte count that does not match).
pub fn read_preview_frame(frame: &[u8]) -> Option<(PreviewInfo, &[u8])> {
    let n = u32::from_be_bytes(frame.get(..4)?.try_into().ok()?) as usize;
    let header = frame.get(4..4usize.checked_add(n)?)?;
    let info: PreviewInfo = serde_json::from_slice(header).ok()?;
    let bytes = &frame[4 + n..];
    (info.bytes == bytes.len() as u64).then_some((info, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kura_core::paths::RelPath;
    use kura_core::storage::{Entry, OtherReason, Preview, PreviewKind};

    #[test]
    fn hits_name_the_folder_they_are_in() {
        let file = |p: &str| Entry::File {
            path: RelPath::parse(p).unwrap(),
            size: 7,
            last_modified: None,
            etag: None,
        };
        let folder = |p: &str| Entry::Folder {
            path: RelPath::parse(p).unwrap(),
        };
        let cases = [
            (file("a.txt"), ""),
            (file("docs/2024/a.txt"), "docs/2024/"),
            (folder("docs/"), ""),
            (folder("docs/2024/"), "docs/"),
            (file("x/ü y/Ré.md"), "x/ü y/"),
        ];
        for (entry, want) in cases {
            let hit = SearchHit::from(&entry);
            assert_eq!(hit.folder, want, "{entry:?}");
            assert_eq!(hit.entry.path, entry.path().as_str());
        }
    }

    fn preview(kind: PreviewKind, bytes: &[u8]) -> Preview {
        Preview {
            key_name: "a.txt".into(),
            size: 10,
            content_type: "text/plain".into(),
            modified: Some(time::macros::datetime!(2025-03-14 09:26:53 UTC)),
            kind,
            bytes: bytes.to_vec(),
            truncated: true,
        }
    }

    #[test]
    fn frames_carry_the_info_then_the_raw_bytes() {
        let bytes = b"\x00\xffhello\n\x89PNG";
        let p = preview(PreviewKind::Text, bytes);
        let frame = preview_frame(&PreviewInfo::new("docs/a.txt", &p, 0), &p.bytes);
        assert!(frame.ends_with(bytes));
        let (info, got) = read_preview_frame(&frame).unwrap();
        assert_eq!(got, bytes);
        assert_eq!(info.bytes, bytes.len() as u64);
        assert_eq!(info.path, "docs/a.txt");
        assert_eq!(info.show, PreviewShow::Text);
        assert_eq!(info.modified.as_deref(), Some("2025-03-14T09:26:53Z"));
        assert!(info.truncated && info.reason.is_none());
        // The header length is big-endian and counts the JSON only.
        let n = u32::from_be_bytes(frame[..4].try_into().unwrap()) as usize;
        assert_eq!(frame.len(), 4 + n + bytes.len());
        assert_eq!(frame[4], b'{');
        // Damaged frames are refused, not misread.
        assert!(read_preview_frame(&frame[..frame.len() - 1]).is_none());
        assert!(read_preview_frame(&frame[..3]).is_none());
        assert!(read_preview_frame(&[0xff, 0xff, 0xff, 0xff, b'{']).is_none());
    }

    #[test]
    fn other_previews_cross_with_their_reason_code() {
        let p = preview(PreviewKind::Other(OtherReason::TooLarge), b"");
        let frame = preview_frame(&PreviewInfo::new("v.png", &p, 0), b"");
        let (info, bytes) = read_preview_frame(&frame).unwrap();
        assert_eq!(info.show, PreviewShow::Other);
        assert_eq!(info.reason, Some(kura_core::ErrorCode::PreviewTooLarge));
        assert!(bytes.is_empty());
    }
}
