//! Preview: the first bytes of one object, fetched with a single ranged GetObject (never more
//! than the caller's cap, never written to disk), and what they can be shown as — an image (PNG,
//! JPEG, GIF, WebP, SVG), UTF-8 text, a PDF, or nothing but the object's facts. The kind needs
//! both the object's type (its `Content-Type`, else its name's extension) and the bytes' own
//! signature to agree: an `x.png` whose bytes are not PNG is [`PreviewKind::Other`].

use std::fmt;

use futures::StreamExt;
use time::OffsetDateTime;

use super::Storage;
use crate::error::{Error, Result};
use crate::paths::RelPath;

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
    pub fn code(self) -> &'static str {
        match self {
            OtherReason::Unsupported => "preview.unsupported",
            OtherReason::Mismatch => "preview.mismatch",
            OtherReason::TooLarge => "preview.too_large",
            OtherReason::NotUtf8 => "preview.not_utf8",
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

/// Types that say nothing about the content; the extension decides then.
const OCTET_STREAM: &[&str] = &["application/octet-stream", "binary/octet-stream"];

/// `type/subtype` of a `Content-Type`, lowercased, without parameters (RFC 9110 §8.3.1).
fn essence(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Image formats Kura previews.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Image {
    Png,
    Jpeg,
    Gif,
    WebP,
    Svg,
}

impl Image {
    fn mime(self) -> &'static str {
        match self {
            Image::Png => "image/png",
            Image::Jpeg => "image/jpeg",
            Image::Gif => "image/gif",
            Image::WebP => "image/webp",
            Image::Svg => "image/svg+xml",
        }
    }

    /// True when `bytes` are this format: its file signature (PNG §5.2; JPEG SOI + marker; GIF
    /// `GIF87a`/`GIF89a`; RIFF `WEBP`), or for SVG a well-formed XML document whose root
    /// element is `svg`.
    fn is(self, bytes: &[u8]) -> bool {
        match self {
            Image::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            Image::Jpeg => bytes.starts_with(b"\xff\xd8\xff"),
            Image::Gif => bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a"),
            Image::WebP => bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
            Image::Svg => std::str::from_utf8(bytes).is_ok_and(is_svg),
        }
    }
}

/// What an object's type or name says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Claim {
    Image(Image),
    Pdf,
    Text,
    /// Nothing known: previewed as text if its bytes are text.
    Unknown,
    /// A type Kura does not preview (`video/mp4`, …).
    Unsupported,
}

impl Claim {
    /// From a `Content-Type` essence (not octet-stream).
    fn from_type(t: &str) -> Claim {
        match t {
            "image/png" => Claim::Image(Image::Png),
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Claim::Image(Image::Jpeg),
            "image/gif" => Claim::Image(Image::Gif),
            "image/webp" => Claim::Image(Image::WebP),
            "image/svg+xml" => Claim::Image(Image::Svg),
            "application/pdf" => Claim::Pdf,
            t if t.starts_with("text/") || TEXT_TYPES.contains(&t) || t.ends_with("+json") || t.ends_with("+xml") => {
                Claim::Text
            }
            _ => Claim::Unsupported,
        }
    }

    /// From a name's extension (case-insensitive).
    fn from_name(name: &str) -> Claim {
        match extension(name).as_deref() {
            Some("png") => Claim::Image(Image::Png),
            Some("jpg" | "jpeg" | "jpe" | "jfif") => Claim::Image(Image::Jpeg),
            Some("gif") => Claim::Image(Image::Gif),
            Some("webp") => Claim::Image(Image::WebP),
            Some("svg") => Claim::Image(Image::Svg),
            Some("pdf") => Claim::Pdf,
            Some(e) if TEXT_EXTENSIONS.iter().any(|(x, _)| *x == e) => Claim::Text,
            _ => Claim::Unknown,
        }
    }
}

/// Non-`text/` types that are text.
const TEXT_TYPES: &[&str] = &[
    "application/json",
    "application/xml",
    "application/javascript",
    "application/x-yaml",
    "application/yaml",
    "application/toml",
    "application/x-sh",
];

/// Text extensions and their types.
const TEXT_EXTENSIONS: &[(&str, &str)] = &[
    ("txt", "text/plain"),
    ("log", "text/plain"),
    ("md", "text/markdown"),
    ("markdown", "text/markdown"),
    ("csv", "text/csv"),
    ("tsv", "text/tab-separated-values"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("yaml", "application/yaml"),
    ("yml", "application/yaml"),
    ("toml", "application/toml"),
    ("ini", "text/plain"),
    ("html", "text/html"),
    ("htm", "text/html"),
    ("css", "text/css"),
    ("js", "text/javascript"),
    ("sh", "application/x-sh"),
];

/// The lowercased extension of `name`, if it has one (`.bashrc` has none).
fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// The type `name`'s extension suggests, else `application/octet-stream`.
fn guessed_type(name: &str) -> &'static str {
    match Claim::from_name(name) {
        Claim::Image(i) => i.mime(),
        Claim::Pdf => "application/pdf",
        Claim::Text => {
            let ext = extension(name).unwrap_or_default();
            TEXT_EXTENSIONS
                .iter()
                .find(|(x, _)| *x == ext)
                .map_or("text/plain", |(_, t)| t)
        }
        _ => "application/octet-stream",
    }
}

/// Decides the kind from the claim and the fetched bytes (`truncated`: more follow). Returns the
/// kind, the bytes to keep (none for `Other`; text cut to whole characters) and, for images and
/// PDFs, the type the bytes are.
fn classify(claim: Claim, bytes: Vec<u8>, truncated: bool) -> (PreviewKind, Vec<u8>, Option<&'static str>) {
    let other = |r| (PreviewKind::Other(r), Vec::new(), None);
    match claim {
        Claim::Image(i) if !truncated && i.is(&bytes) => (PreviewKind::Image, bytes, Some(i.mime())),
        Claim::Pdf if !truncated && bytes.starts_with(b"%PDF-") => (PreviewKind::Pdf, bytes, Some("application/pdf")),
        Claim::Image(_) | Claim::Pdf => other(OtherReason::Mismatch),
        Claim::Text => match utf8_prefix(bytes, truncated) {
            Some(text) => (PreviewKind::Text, text, None),
            None => other(OtherReason::NotUtf8),
        },
        Claim::Unknown => match utf8_prefix(bytes, truncated) {
            Some(text) if !text.iter().any(|&b| b < 0x20 && !b"\t\n\r\x0c".contains(&b)) => {
                (PreviewKind::Text, text, None)
            }
            _ => other(OtherReason::Unsupported),
        },
        Claim::Unsupported => other(OtherReason::Unsupported),
    }
}

/// `bytes` if they are UTF-8; when `truncated`, a character cut at the end is dropped first.
fn utf8_prefix(mut bytes: Vec<u8>, truncated: bool) -> Option<Vec<u8>> {
    match std::str::from_utf8(&bytes) {
        Ok(_) => Some(bytes),
        // An incomplete sequence at the very end (`error_len() == None`) of a cut-off text.
        Err(e) if truncated && e.error_len().is_none() => {
            bytes.truncate(e.valid_up_to());
            Some(bytes)
        }
        Err(_) => None,
    }
}

/// True when `text` is a well-formed XML document whose root element is `svg` (any prefix).
/// Entities are not expanded and no external resource is read.
fn is_svg(text: &str) -> bool {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text.strip_prefix('\u{feff}').unwrap_or(text));
    let mut depth = 0usize;
    let mut root = None;
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(_) => return false,
        };
        let (element, opens) = match &event {
            Event::Start(e) => (Some(e.local_name().as_ref() == "svg"), true),
            Event::Empty(e) => (Some(e.local_name().as_ref() == "svg"), false),
            _ => (None, false),
        };
        if let Some(is_svg_element) = element {
            if depth == 0 {
                if root.is_some() {
                    return false;
                }
                if !is_svg_element {
                    return false;
                }
                root = Some(true);
            }
            depth += usize::from(opens);
            continue;
        }
        match event {
            Event::End(_) if depth == 0 => return false,
            Event::End(_) => depth -= 1,
            Event::Text(t) if depth == 0 && !t.trim().is_empty() => return false,
            Event::Eof => return depth == 0 && root == Some(true),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 PNG (signature, IHDR, IDAT, IEND).
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\0\0\x01\x01\x01\0\x18\xdd\x8d\xb4\0\0\0\0IEND\xaeB`\x82";

    fn kind(claim: Claim, bytes: &[u8], truncated: bool) -> PreviewKind {
        classify(claim, bytes.to_vec(), truncated).0
    }

    #[test]
    fn claims_come_from_the_type_else_the_extension() {
        assert_eq!(Claim::from_name("Photo.PNG"), Claim::Image(Image::Png));
        assert_eq!(Claim::from_name("a.jpeg"), Claim::Image(Image::Jpeg));
        assert_eq!(Claim::from_name("notes.md"), Claim::Text);
        assert_eq!(Claim::from_name("Makefile"), Claim::Unknown);
        assert_eq!(Claim::from_name(".png"), Claim::Unknown);
        assert_eq!(Claim::from_type("image/svg+xml"), Claim::Image(Image::Svg));
        assert_eq!(Claim::from_type("application/ld+json"), Claim::Text);
        assert_eq!(Claim::from_type("video/mp4"), Claim::Unsupported);
        assert_eq!(essence("Text/Plain; charset=UTF-8"), "text/plain");
        assert_eq!(guessed_type("r.CSV"), "text/csv");
        assert_eq!(guessed_type("x.bin"), "application/octet-stream");
    }

    #[test]
    fn images_need_their_signature() {
        assert_eq!(kind(Claim::Image(Image::Png), PNG, false), PreviewKind::Image);
        assert_eq!(
            classify(Claim::Image(Image::Png), PNG.to_vec(), false).2,
            Some("image/png")
        );
        let jpeg = b"\xff\xd8\xff\xe0\0\x10JFIF";
        assert_eq!(kind(Claim::Image(Image::Jpeg), jpeg, false), PreviewKind::Image);
        assert_eq!(
            kind(Claim::Image(Image::Gif), b"GIF89a\x01\0", false),
            PreviewKind::Image
        );
        assert_eq!(
            kind(Claim::Image(Image::WebP), b"RIFF\x24\0\0\0WEBPVP8 ", false),
            PreviewKind::Image
        );
        // Named or typed PNG but something else: not an image, no bytes kept.
        let (k, bytes, _) = classify(Claim::Image(Image::Png), b"<html>not a png".to_vec(), false);
        assert_eq!((k, bytes.len()), (PreviewKind::Other(OtherReason::Mismatch), 0));
        assert_eq!(
            kind(Claim::Image(Image::Png), jpeg, false),
            PreviewKind::Other(OtherReason::Mismatch)
        );
        assert_eq!(
            kind(Claim::Image(Image::WebP), b"RIFF\0\0\0\0AVI ", false),
            PreviewKind::Other(OtherReason::Mismatch)
        );
        // A PNG's bytes with an unknown name are not shown as an image.
        assert_eq!(
            kind(Claim::Unknown, PNG, false),
            PreviewKind::Other(OtherReason::Unsupported)
        );
        // A cut image is never shown.
        assert_eq!(
            kind(Claim::Image(Image::Png), PNG, true),
            PreviewKind::Other(OtherReason::Mismatch)
        );
    }

    #[test]
    fn svg_must_parse_as_an_svg_document() {
        let ok = [
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect width="1" height="1"/></svg>"#,
            "\u{feff}<?xml version=\"1.0\"?>\n<!-- c -->\n<!DOCTYPE svg>\n<svg/>\n",
            r#"<s:svg xmlns:s="http://www.w3.org/2000/svg"></s:svg>"#,
        ];
        for s in ok {
            assert!(is_svg(s), "{s}");
        }
        let bad = [
            "<html><svg/></html>",
            "<svg><g></svg>",
            "<svg>",
            "<svg/><svg/>",
            "text <svg/>",
            "",
            "\u{89}PNG",
        ];
        for s in bad {
            assert!(!is_svg(s), "{s}");
        }
        assert_eq!(kind(Claim::Image(Image::Svg), b"<svg/>", false), PreviewKind::Image);
        assert_eq!(
            kind(Claim::Image(Image::Svg), b"\xff\xfe<\0s\0", false),
            PreviewKind::Other(OtherReason::Mismatch)
        );
    }

    #[test]
    fn pdfs_need_their_header() {
        assert_eq!(kind(Claim::Pdf, b"%PDF-1.7\n", false), PreviewKind::Pdf);
        assert_eq!(
            kind(Claim::Pdf, b"PK\x03\x04", false),
            PreviewKind::Other(OtherReason::Mismatch)
        );
    }

    #[test]
    fn text_is_utf8_and_a_cut_character_is_trimmed() {
        // "é" is C3 A9: cut after C3.
        let (k, bytes, _) = classify(Claim::Text, b"caf\xc3".to_vec(), true);
        assert_eq!((k, bytes.as_slice()), (PreviewKind::Text, &b"caf"[..]));
        // Not cut: an invalid end is not text.
        assert_eq!(
            kind(Claim::Text, b"caf\xc3", false),
            PreviewKind::Other(OtherReason::NotUtf8)
        );
        assert_eq!(
            kind(Claim::Text, b"a\xffb", true),
            PreviewKind::Other(OtherReason::NotUtf8)
        );
        assert_eq!(kind(Claim::Text, "naïve ✓\n".as_bytes(), false), PreviewKind::Text);
        // Unknown names are text only when the bytes look like text.
        assert_eq!(
            kind(Claim::Unknown, b"all: build\n\tcargo build\n", false),
            PreviewKind::Text
        );
        assert_eq!(
            kind(Claim::Unknown, b"ELF\0\x01\x02", false),
            PreviewKind::Other(OtherReason::Unsupported)
        );
        assert_eq!(utf8_prefix("€".as_bytes()[..2].to_vec(), true), Some(Vec::new()));
    }

    #[test]
    fn debug_shows_no_bytes() {
        let p = Preview {
            key_name: "a.txt".into(),
            size: 3,
            content_type: "text/plain".into(),
            modified: None,
            kind: PreviewKind::Text,
            bytes: b"abc".to_vec(),
            truncated: false,
        };
        let text = format!("{p:?}");
        assert!(text.contains("[3 bytes]") && !text.contains("97"), "{text}");
    }
}
