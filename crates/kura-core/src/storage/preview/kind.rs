//! How a preview's kind is decided: what the object's type or name claims ([`Claim`]) and what
//! its bytes are (signatures, UTF-8, well-formed SVG).

use super::{OtherReason, PreviewKind};

/// Types that say nothing about the content; the extension decides then.
pub(super) const OCTET_STREAM: &[&str] = &["application/octet-stream", "binary/octet-stream"];

/// `type/subtype` of a `Content-Type`, lowercased, without parameters (RFC 9110 §8.3.1).
pub(super) fn essence(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Image formats Kura previews.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Image {
    Png,
    Jpeg,
    Gif,
    WebP,
    Svg,
}

impl Image {
    pub(super) fn mime(self) -> &'static str {
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
pub(super) enum Claim {
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
    pub(super) fn from_type(t: &str) -> Claim {
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
    pub(super) fn from_name(name: &str) -> Claim {
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
pub(super) const TEXT_TYPES: &[&str] = &[
    "application/json",
    "application/xml",
    "application/javascript",
    "application/x-yaml",
    "application/yaml",
    "application/toml",
    "application/x-sh",
];

/// Text extensions and their types.
pub(super) const TEXT_EXTENSIONS: &[(&str, &str)] = &[
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
pub(super) fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// The type `name`'s extension suggests, else `application/octet-stream`.
pub(super) fn guessed_type(name: &str) -> &'static str {
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
pub(super) fn classify(claim: Claim, bytes: Vec<u8>, truncated: bool) -> (PreviewKind, Vec<u8>, Option<&'static str>) {
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
pub(super) fn utf8_prefix(mut bytes: Vec<u8>, truncated: bool) -> Option<Vec<u8>> {
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
pub(super) fn is_svg(text: &str) -> bool {
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
