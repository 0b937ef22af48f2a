//! The app's log filter: `$KURA_LOG` (an `EnvFilter` directive list, default `info`), with
//! `tauri_plugin_deep_link` capped at `error` whatever `$KURA_LOG` says.
//!
//! Why the cap: in debug builds the deep-link plugin warns about an argument whose scheme is not
//! configured with the whole URL in the message (`argument {url} does not match any configured
//! deep link scheme`, plugins-workspace `deep-link/src/lib.rs`). A sign-in callback's query holds
//! the authorization code, so that warning must never be written. Kura logs callback URLs itself,
//! redacted ([`crate::signin`]). The plugin logs through the `log` crate; `tracing-subscriber`
//! forwards those records with the module path as target, which the directive matches.

use tracing_subscriber::EnvFilter;

/// The directive that silences the deep-link plugin below `error`.
const DEEP_LINK_CAP: &str = "tauri_plugin_deep_link=error";

/// The filter for `directives` (`$KURA_LOG`; `None` or invalid: `info`) plus the deep-link cap.
pub fn filter(directives: Option<&str>) -> EnvFilter {
    let base = directives
        .and_then(|d| EnvFilter::try_new(d).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    base.add_directive(DEEP_LINK_CAP.parse().expect("valid directive"))
}

/// Installs the stderr logger (once; later calls do nothing).
pub fn init() {
    let directives = std::env::var("KURA_LOG").ok();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter(directives.as_deref()))
        .with_writer(std::io::stderr)
        .try_init();
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn logged_with(directives: Option<&str>) -> String {
        let out = Captured::default();
        let writer = out.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(filter(directives))
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::warn!(
                target: "tauri_plugin_deep_link::imp",
                "argument app.kura.desktop:/callback?code=SECRET does not match"
            );
            tracing::error!(target: "tauri_plugin_deep_link", "plugin failure kept");
            tracing::info!(target: "kura_desktop::signin", "sign-in callback received");
            tracing::debug!(target: "kura_desktop::signin", "debug line");
        });
        let bytes = out.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn deep_link_warnings_never_print_whatever_kura_log_says() {
        for directives in [
            None,
            Some("debug"),
            Some("info,kura_desktop=debug"),
            Some("info,tauri_plugin_deep_link=trace"),
        ] {
            let logged = logged_with(directives);
            assert!(!logged.contains("SECRET"), "{directives:?}: {logged}");
            assert!(logged.contains("plugin failure kept"), "{directives:?}: {logged}");
            assert!(logged.contains("sign-in callback received"), "{directives:?}: {logged}");
        }
        assert!(logged_with(Some("debug")).contains("debug line"));
        assert!(!logged_with(None).contains("debug line"));
    }
}
