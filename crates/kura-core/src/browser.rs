//! Opening the system browser for sign-in (RFC 8252 §4: native apps use the external user-agent):
//! the command in `$BROWSER` (split on whitespace, URL appended as its last argument), else the
//! platform opener (`xdg-open`, `open`, `start`). Shared by the CLI and the desktop app.

use std::process::{Command, Stdio};

/// Starts the browser on `url` without waiting for it. Errors when it cannot be started; a
/// browser command that exits with a failure is logged (front ends show the URL to open by hand).
pub fn open(url: &str) -> std::io::Result<()> {
    let mut cmd = match std::env::var("BROWSER").ok().filter(|b| !b.trim().is_empty()) {
        Some(b) => {
            let mut words = b.split_whitespace();
            let mut c = Command::new(words.next().unwrap_or_default());
            c.args(words);
            c
        }
        None if cfg!(target_os = "macos") => Command::new("open"),
        None if cfg!(windows) => {
            let mut c = Command::new("cmd");
            c.args(["/C", "start", ""]);
            c
        }
        None => Command::new("xdg-open"),
    };
    let mut child = cmd.arg(url).stdin(Stdio::null()).stdout(Stdio::null()).spawn()?;
    std::thread::spawn(move || {
        // Openers hand the URL over and exit; a failure means no browser showed it. The URL
        // carries the sign-in's `state`: not logged.
        if let Ok(status) = child.wait() {
            if !status.success() {
                tracing::warn!("the browser command failed ({status}); open the sign-in URL yourself");
            }
        }
    });
    Ok(())
}
