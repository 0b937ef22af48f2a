//! Exit codes and human-readable formatting.

use std::borrow::Cow;
use std::fmt::Write as _;

use kura_core::printable::{is_hidden, printable};
use kura_core::{Error, ErrorKind};
use time::OffsetDateTime;

/// Exit codes: 1 other, 2 usage/config, 3 authentication, 4 storage (S3), 5 local files.
pub(crate) fn exit_code(e: &anyhow::Error) -> u8 {
    match e.downcast_ref::<Error>().map(Error::kind) {
        Some(ErrorKind::Usage) => 2,
        Some(ErrorKind::Auth) => 3,
        Some(ErrorKind::Storage) => 4,
        Some(ErrorKind::Local) => 5,
        None => 1,
    }
}

/// Bytes in binary units (`1.5 MiB`).
pub(crate) fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// RFC 3339 time.
pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// "in 42 min" / "expired 3 min ago".
pub(crate) fn relative(t: OffsetDateTime) -> String {
    let s = (t - OffsetDateTime::now_utc()).whole_seconds();
    let fmt = |s: i64| {
        if s >= 3600 {
            format!("{} h {} min", s / 3600, (s % 3600) / 60)
        } else {
            format!("{} min", s / 60)
        }
    };
    if s >= 0 {
        format!("in {}", fmt(s))
    } else {
        format!("expired {} ago", fmt(-s))
    }
}

/// A `YYYY-MM-DD HH:MM:SS` UTC timestamp for listings.
pub(crate) fn short_time(t: Option<OffsetDateTime>) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    t.and_then(|t| t.format(&f).ok()).unwrap_or_else(|| "-".repeat(19))
}

/// A key, or a local path made from one, for a terminal line: control, bidi and invisible
/// characters escaped ([`kura_core::printable`]).
pub(crate) fn shown(text: &str) -> Cow<'_, str> {
    printable(text)
}

/// [`shown`] for a local path, whose `\\` (the Windows separator) is kept as it is.
pub(crate) fn shown_path(path: &std::path::Path) -> String {
    keeping(&path.to_string_lossy(), '\\')
}

/// An error message for the terminal (it may quote keys): hidden characters escaped, its line
/// breaks and backslashes (Windows paths) kept.
pub(crate) fn shown_message(text: &str) -> String {
    text.split('\n')
        .map(|line| keeping(line, '\\'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// [`printable`] of the parts of `text` between `kept` characters, joined by `kept`.
fn keeping(text: &str, kept: char) -> String {
    text.split(kept)
        .map(printable)
        .collect::<Vec<_>>()
        .join(kept.encode_utf8(&mut [0; 4]))
}

/// `value` as pretty JSON that is also safe on a terminal: serde_json escapes only U+0000–U+001F,
/// so every other [`is_hidden`] character (DEL, C1 controls, bidi and zero-width characters) is
/// written as a `\uXXXX` escape too (a surrogate pair above U+FFFF). The JSON means the same:
/// such characters can only occur inside strings, where the escape stands for the character.
pub(crate) fn terminal_json(value: &impl serde::Serialize) -> serde_json::Result<String> {
    Ok(escape_hidden(serde_json::to_string_pretty(value)?))
}

/// [`terminal_json`] on one line (compact), for NDJSON output: one value per line.
pub(crate) fn terminal_json_line(value: &impl serde::Serialize) -> serde_json::Result<String> {
    Ok(escape_hidden(serde_json::to_string(value)?))
}

/// JSON text with every [`is_hidden`] character but `\n` written as a `\uXXXX` escape.
fn escape_hidden(text: String) -> String {
    if !text.chars().any(|c| c != '\n' && is_hidden(c)) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c != '\n' && is_hidden(c) {
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_what_serde_json_leaves_raw_and_means_the_same() {
        let names = [
            "del\u{7f}",
            "csi\u{9b}31m",
            "rlo\u{202e}txt",
            "zw\u{200b}\u{feff}",
            "tag\u{e0041}",
            "esc\u{1b}",
        ];
        let text = terminal_json(&names).unwrap();
        assert!(!text.chars().any(|c| c != '\n' && is_hidden(c)), "{text:?}");
        for escaped in [
            r"\u007f",
            r"\u009b",
            r"\u202e",
            r"\u200b",
            r"\ufeff",
            r"\udb40\udc41",
            r"\u001b",
        ] {
            assert!(text.contains(escaped), "{escaped} missing from {text}");
        }
        let back: Vec<String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, names);
    }

    #[test]
    fn local_paths_keep_backslashes_and_escape_the_rest() {
        let p = std::path::Path::new("C:\\Users\\me\\Downloads\\a\u{202e}b\u{1b}.txt");
        assert_eq!(shown_path(p), r"C:\Users\me\Downloads\a\u{202e}b\u{1b}.txt");
    }

    #[test]
    fn messages_keep_their_lines_and_escape_keys() {
        let message = "S3 GetObject users/u/a\u{1b}]0;x\u{7}b\rc failed\nhint: C:\\Temp";
        assert_eq!(
            shown_message(message),
            "S3 GetObject users/u/a\\u{1b}]0;x\\u{7}b\\rc failed\nhint: C:\\Temp"
        );
    }

    #[test]
    fn plain_json_is_left_alone() {
        let v = serde_json::json!({"name": "café \"quoted\" <b>.txt", "size": 3});
        assert_eq!(terminal_json(&v).unwrap(), serde_json::to_string_pretty(&v).unwrap());
    }
}
