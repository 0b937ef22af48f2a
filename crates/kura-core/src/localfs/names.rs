//! Names as file systems other than the one at hand see them: which names one file system may
//! hold apart but another merges (case, Unicode normalisation), and which names Windows cannot
//! create at all.

use std::borrow::Cow;

use icu_normalizer::ComposingNormalizerBorrowed;

/// The key under which case-insensitive or normalising file systems see `rel` (a relative path,
/// `/`-separated): Unicode NFC of the full lowercase mapping of its NFC form. Two paths with
/// equal keys may name the same file on APFS and HFS+ (case-insensitive by default, and
/// normalisation-insensitive or NFD-storing), NTFS, FAT and exFAT, or an ext4 `casefold`
/// folder: `A.txt`/`a.txt`, `é` as U+00E9 (NFC) or `e` + U+0301 (NFD). It errs towards equal
/// keys (full rather than simple case mapping), so a collision it finds may be harmless on some
/// file systems, but one they make is found. Source: Unicode Standard Annex #15 (normalisation
/// forms), Unicode §3.13 (case mapping).
pub fn fold_key(rel: &str) -> String {
    const NFC: ComposingNormalizerBorrowed<'static> = ComposingNormalizerBorrowed::new_nfc();
    NFC.normalize(&NFC.normalize(rel).to_lowercase()).into_owned()
}

/// Windows' reserved device names: a file name whose part before the first `.` is one of these
/// (any case, trailing spaces ignored) opens the device, not a file. Source: Microsoft, "Naming
/// Files, Paths, and Namespaces".
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
    "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8",
    "LPT9", "LPT¹", "LPT²", "LPT³",
];

/// A file name (one path segment, already free of `/`, `\`, NUL and control characters) that
/// Windows can create, as the same characters where possible: each of `<>:"|?*` becomes its
/// full-width form (`?` → `？`, U+FF1F …), a trailing `.` becomes `．` (U+FF0E) and a trailing
/// space `␠` (U+2420) — the mapping rclone uses, so names read alike — and a reserved device
/// name gets `_` after its base (`CON.txt` → `CON_.txt`, `nul` → `nul_`). Borrowed when the
/// name needs no change. Source: Microsoft, "Naming Files, Paths, and Namespaces".
pub fn windows_name(name: &str) -> Cow<'_, str> {
    let stem_end = name.find('.').unwrap_or(name.len());
    let reserved = RESERVED
        .iter()
        .any(|r| name[..stem_end].trim_end_matches(' ').eq_ignore_ascii_case(r));
    let bad_char = |c: char| matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*');
    let bad_end = name.ends_with(['.', ' ']);
    if !reserved && !bad_end && !name.contains(bad_char) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.char_indices() {
        if reserved && i == stem_end {
            out.push('_');
        }
        out.push(match c {
            c if bad_char(c) => char::from_u32(c as u32 - 0x21 + 0xFF01).expect("full-width forms exist"),
            _ => c,
        });
    }
    if reserved && stem_end == name.len() {
        out.push('_');
    }
    if bad_end {
        let last = out.pop().expect("name is not empty");
        out.push(if last == '.' { '\u{FF0E}' } else { '\u{2420}' });
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_normalisation_variants_share_a_key() {
        assert_eq!(fold_key("A.txt"), fold_key("a.txt"));
        assert_eq!(fold_key("Docs/README"), fold_key("docs/readme"));
        assert_eq!(fold_key("\u{e9}.txt"), fold_key("e\u{301}.txt"), "NFC and NFD");
        assert_eq!(fold_key("\u{c9}.txt"), fold_key("e\u{301}.txt"), "NFC upper, NFD lower");
        assert_eq!(fold_key("\u{3a3}"), fold_key("\u{3c3}"), "Greek sigma");
        assert_ne!(fold_key("a.txt"), fold_key("b.txt"));
        assert_ne!(fold_key("a/b"), fold_key("ab"));
        assert_ne!(fold_key("e.txt"), fold_key("\u{e9}.txt"));
    }

    #[test]
    fn names_windows_cannot_create_are_mapped() {
        for (name, want) in [
            ("CON", "CON_"),
            ("con.txt", "con_.txt"),
            ("Nul.tar.gz", "Nul_.tar.gz"),
            ("COM1", "COM1_"),
            ("lpt9.log", "lpt9_.log"),
            ("COM\u{b9}", "COM\u{b9}_"),
            ("AUX .txt", "AUX _.txt"),
            ("a<b>c", "a\u{ff1c}b\u{ff1e}c"),
            ("what?.txt", "what\u{ff1f}.txt"),
            ("x:y|z*\"q\"", "x\u{ff1a}y\u{ff5c}z\u{ff0a}\u{ff02}q\u{ff02}"),
            ("trailing.", "trailing\u{ff0e}"),
            ("trailing ", "trailing\u{2420}"),
            ("...", "..\u{ff0e}"),
        ] {
            assert_eq!(windows_name(name), want, "{name:?}");
        }
        for fine in ["CONSOLE.txt", "COM10", "a.txt", "nul-thing", ".env", "x.CON", "é.txt"] {
            assert!(matches!(windows_name(fine), Cow::Borrowed(_)), "{fine:?}");
        }
    }
}
