//! Desktop notifications (a batch of transfers finished or failed). Their text quotes names from
//! S3 — a failure's message names the key — and keys are chosen by whoever can write to the
//! bucket, so the text is made inert before it is shown:
//!
//! * control, bidi and invisible characters are escaped ([`kura_core::printable`]);
//! * on freedesktop systems (Linux, the BSDs) `&`, `<` and `>` become `&amp;`, `&lt;`, `&gt;`:
//!   notification servers with the `body-markup` capability (GNOME Shell, KDE Plasma, dunst,
//!   mako) interpret a subset of HTML in the body — `<b>`, `<i>`, `<u>`, `<a href>`,
//!   `<img src alt>` (Desktop Notifications Specification 1.2, "Markup"), so a key named
//!   `<a href="https://evil">Click</a>` would otherwise become a link. macOS and Windows show the
//!   text as it is.

use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

/// `text` as a notification shows it literally: [`kura_core::printable::printable`], then (on
/// freedesktop systems) `&<>` as entities.
pub fn inert(text: &str) -> String {
    let shown = kura_core::printable::printable(text);
    if cfg!(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    )) {
        escape_markup(&shown)
    } else {
        shown.into_owned()
    }
}

/// `&`, `<`, `>` as entities (the three the specification requires escaped in markup).
fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Shows a notification with `title` and `body`, both made [`inert`]. A failure (no notification
/// server) is logged at debug level only.
pub fn notify(app: &AppHandle, title: &str, body: &str) {
    let shown = app
        .notification()
        .builder()
        .title(inert(title))
        .body(inert(body))
        .show();
    if let Err(e) = shown {
        tracing::debug!("no desktop notification: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))))]
    #[test]
    fn markup_from_key_names_is_shown_as_text() {
        let message = r#"S3 GetObject "users/u/<b>big</b> <a href="https://evil.example/">click</a> <img src="file:///etc/passwd" alt="x"> & co.txt" failed"#;
        let body = inert(message);
        assert!(!body.contains('<') && !body.contains('>'), "{body}");
        assert_eq!(
            body,
            r#"S3 GetObject "users/u/&lt;b&gt;big&lt;/b&gt; &lt;a href="https://evil.example/"&gt;click&lt;/a&gt; &lt;img src="file:///etc/passwd" alt="x"&gt; &amp; co.txt" failed"#
        );
        // An entity in a key stays text too: `&amp;` must not show as `&`.
        assert_eq!(inert("a&amp;b"), "a&amp;amp;b");
    }

    #[test]
    fn control_and_bidi_characters_from_key_names_are_escaped() {
        let body = inert("report\u{202e}fdp.exe\u{1b}[2J\r\nnext\u{200b}");
        assert!(!body.chars().any(kura_core::printable::is_hidden), "{body:?}");
        assert!(
            body.contains(r"report\u{202e}fdp.exe\u{1b}[2J\r\nnext\u{200b}"),
            "{body}"
        );
    }

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(inert("Upload finished"), "Upload finished");
        assert_eq!(inert("3 file(s)"), "3 file(s)");
        assert_eq!(inert("café – 日本語.txt"), "café – 日本語.txt");
    }
}
