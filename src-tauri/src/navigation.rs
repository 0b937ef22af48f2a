//! The main window is created here (not from `tauri.conf.json`, where it has `create: false`) so
//! it gets a navigation handler and a new-window handler: the page can only ever show the app's
//! own UI. A script that sets `window.location` to another origin, submits a form elsewhere, or
//! calls `window.open` is refused (and logged with the scheme and host only). Links the UI needs
//! outside (the identity provider, the AWS console) are opened by Rust in the system browser.

use tauri::webview::NewWindowResponse;
use tauri::{App, WebviewWindowBuilder};
use url::Url;

/// The main window's label (also in `tauri.conf.json` and `capabilities/main.json`).
pub const MAIN: &str = "main";

/// Whether the webview may navigate to `url`: the app's own origin — `tauri://localhost`
/// (Linux, macOS) or `http(s)://tauri.localhost` (Windows) — or, in development builds only,
/// the dev server's origin `dev` (`build.devUrl`).
pub fn allowed(url: &Url, dev: Option<&Url>) -> bool {
    let host = url.host_str();
    match url.scheme() {
        "tauri" => host == Some("localhost") && url.port().is_none(),
        "http" | "https" if host == Some("tauri.localhost") => url.port().is_none(),
        _ => dev.is_some_and(|d| d.origin() == url.origin() && url.origin().is_tuple()),
    }
}

/// What a refused URL is logged as (a URL may carry secrets in its path or query).
fn shown(url: &Url) -> String {
    format!("{}://{}", url.scheme(), url.host_str().unwrap_or(""))
}

/// Creates the main window from its configuration, with the navigation and new-window handlers.
pub fn create_main_window(app: &App) -> tauri::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    let dev = if tauri::is_dev() {
        app.config().build.dev_url.clone()
    } else {
        None
    };
    WebviewWindowBuilder::from_config(app.handle(), &config)?
        .on_navigation(move |url| {
            let ok = allowed(url, dev.as_ref());
            if !ok {
                tracing::warn!(url = %shown(url), "refused a navigation away from the app");
            }
            ok
        })
        .on_new_window(|url, _features| {
            tracing::warn!(url = %shown(&url), "refused to open a new window");
            NewWindowResponse::Deny
        })
        .build()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn the_app_origin_is_allowed() {
        for ok in [
            "tauri://localhost",
            "tauri://localhost/index.html",
            "tauri://localhost/#/files?x=1",
            "http://tauri.localhost/",
            "https://tauri.localhost/index.html",
        ] {
            assert!(allowed(&url(ok), None), "{ok}");
        }
    }

    #[test]
    fn every_other_place_is_refused() {
        for bad in [
            "https://attacker.example/",
            "http://attacker.example/?steal=1",
            "file:///etc/passwd",
            "file:///home/alice/.ssh/id_ed25519",
            "tauri://attacker.example/",
            "tauri://localhost:8080/",
            "http://tauri.localhost.attacker.example/",
            "http://tauri.localhost:9999/",
            "http://localhost:1420/",
            "http://127.0.0.1:9400/authorize",
            "data:text/html,<script>alert(1)</script>",
            "javascript:alert(1)",
            "blob:tauri://localhost/1234",
            "about:blank",
            "app.kura.desktop:/callback?code=x&state=y",
        ] {
            assert!(!allowed(&url(bad), None), "{bad}");
        }
    }

    #[test]
    fn the_dev_server_only_in_development() {
        let dev = url("http://localhost:1420/");
        assert!(allowed(&url("http://localhost:1420/src/main.tsx"), Some(&dev)));
        assert!(!allowed(&url("http://localhost:1421/"), Some(&dev)));
        assert!(!allowed(&url("https://localhost:1420/"), Some(&dev)));
        assert!(!allowed(&url("https://attacker.example/"), Some(&dev)));
        assert!(!allowed(&url("http://localhost:1420/"), None));
    }
}
