//! Text from outside Kura — S3 keys, file names made from them, messages that quote them — made
//! safe to show on a terminal or in a desktop notification. Anyone who can write to a bucket
//! chooses keys, so a key must not be able to:
//!
//! * drive the terminal: C0 and C1 control characters and DEL (`ESC [31m` colours, `ESC ]0;…`
//!   sets the window title, `CR` rewrites the line, `U+009B` is an 8-bit CSI);
//! * reorder or hide what is shown: bidirectional embeddings, overrides and isolates
//!   (`U+202A`–`U+202E`, `U+2066`–`U+2069`: "Trojan Source", CVE-2021-42574), directional
//!   marks, zero-width and other invisible format characters, line and paragraph separators.
//!
//! [`printable`] writes each such character as a visible Rust-style escape (`\u{1b}`,
//! `\u{202e}`; `\t`, `\n`, `\r` for those three) and doubles `\`, so the shown form is
//! unambiguous: a key literally containing `\u{1b}` is shown as `\\u{1b}`.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for characters [`printable`] escapes (besides `\`): control characters (Unicode `Cc`) and
/// invisible format, bidi and separator characters (soft hyphen, Arabic letter mark, Mongolian
/// vowel separator, `U+200B`–`U+200F`, `U+2028`–`U+202E`, `U+2060`–`U+206F`, the Hangul fillers,
/// `U+FEFF`, interlinear annotation marks, Unicode tags `U+E0000`–`U+E007F`).
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{61c}'
                | '\u{115f}'
                | '\u{1160}'
                | '\u{17b4}'
                | '\u{17b5}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{3164}'
                | '\u{feff}'
                | '\u{ffa0}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{e0000}'..='\u{e007f}'
        )
}

/// `text` with every [`is_hidden`] character escaped and `\` doubled (module docs); borrowed
/// when nothing needed escaping.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c == '\\' || is_hidden(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_hidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_bidi_and_invisible_characters_are_escaped() {
        for (key, shown) in [
            ("red\u{1b}[31m.txt", r"red\u{1b}[31m.txt"),
            ("t\u{1b}]0;title\u{7}", r"t\u{1b}]0;title\u{7}"),
            ("a.txt\rEVIL", r"a.txt\rEVIL"),
            ("two\nlines", r"two\nlines"),
            ("tab\there", r"tab\there"),
            ("del\u{7f}", r"del\u{7f}"),
            ("csi\u{9b}31m", r"csi\u{9b}31m"),
            ("invoice\u{202e}fdp.exe", r"invoice\u{202e}fdp.exe"),
            ("\u{2066}\u{2067}\u{2068}\u{2069}", r"\u{2066}\u{2067}\u{2068}\u{2069}"),
            ("\u{200e}\u{200f}\u{61c}", r"\u{200e}\u{200f}\u{61c}"),
            (
                "pay\u{200b}pal\u{200d}\u{feff}\u{2060}",
                r"pay\u{200b}pal\u{200d}\u{feff}\u{2060}",
            ),
            ("line\u{2028}para\u{2029}", r"line\u{2028}para\u{2029}"),
            ("tag\u{e0041}", r"tag\u{e0041}"),
            ("nul\0", r"nul\u{0}"),
            (r"back\slash", r"back\\slash"),
            (r"looks\u{1b}escaped", r"looks\\u{1b}escaped"),
        ] {
            assert_eq!(printable(key), shown, "{key:?}");
            assert!(!printable(key).chars().any(is_hidden), "{key:?}");
        }
    }

    #[test]
    fn ordinary_names_are_shown_as_they_are() {
        for key in [
            "docs/report 2026.pdf",
            "Bob's \"notes\" (1).txt",
            "café/naïve – ü.txt",
            "cafe\u{301}.txt", // NFD: a combining accent is not hidden
            "日本語/ファイル.txt",
            "עברית.txt", // right-to-left script, no control characters
            "emoji 🎉.png",
            "<b>bold</b> & co",
        ] {
            assert!(matches!(printable(key), Cow::Borrowed(k) if k == key), "{key:?}");
        }
    }
}
