use super::kind::*;
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
