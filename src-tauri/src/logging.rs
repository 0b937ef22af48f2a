//! The app's log filter: `$KURA_LOG` (an `EnvFilter` directive list, default `info`) AND the caps
//! shared with the CLI ([`kura_core::logging`]: the AWS SDK's signer and orchestrator, reqwest's
//! wire dump — dependency targets that print tokens, keys or session tokens at trace level), plus
//! `tauri_plugin_deep_link` capped at `error`. The caps are a second filter, so no directive in
//! `$KURA_LOG` lifts them; every other target, Kura's own included, can still be traced.
//!
//! Why the deep-link cap: in debug builds the deep-link plugin warns about an argument whose scheme
//! is not configured with the whole URL in the message (`argument {url} does not match any
//! configured deep link scheme`, plugins-workspace `deep-link/src/lib.rs`). A sign-in callback's
//! query holds the authorization code, so that warning must never be written. Kura logs callback
//! URLs itself, redacted ([`crate::signin`]). The plugin logs through the `log` crate;
//! `tracing-subscriber` forwards those records with the module path as target, which the cap
//! matches.

use tracing::Subscriber;
use tracing_subscriber::filter::combinator::And;
use tracing_subscriber::filter::{EnvFilter, FilterExt, LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

/// The target capped at `error` on top of [`kura_core::logging::CAPS`].
const DEEP_LINK: &str = "tauri_plugin_deep_link";

/// The filter for `directives` (`$KURA_LOG`; `None` or invalid: `info`) and the caps.
pub fn filter<S: Subscriber>(directives: Option<&str>) -> And<EnvFilter, Targets, S> {
    let caps = kura_core::logging::caps().with_target(DEEP_LINK, LevelFilter::ERROR);
    kura_core::logging::user_filter(directives, "info").and(caps)
}

/// Installs the stderr logger (once; later calls do nothing).
pub fn init() {
    let directives = std::env::var("KURA_LOG").ok();
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter(directives.as_deref()));
    let _ = tracing_subscriber::registry().with(layer).try_init();
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
        let layer = tracing_subscriber::fmt::layer()
            .with_writer(move || writer.clone())
            .with_filter(filter(directives));
        let subscriber = tracing_subscriber::registry().with(layer);
        tracing::subscriber::with_default(subscriber, || {
            tracing::warn!(
                target: "tauri_plugin_deep_link::imp",
                "argument app.kura.desktop:/callback?code=SECRET does not match"
            );
            tracing::error!(target: "tauri_plugin_deep_link", "plugin failure kept");
            tracing::trace!(target: "aws_sigv4::http_request::sign", "X-Amz-Security-Token=SECRET-SIGV4");
            tracing::trace!(target: "aws_smithy_runtime::client::orchestrator", "output_or_error=SECRET-OUTPUT");
            tracing::trace!(target: "reqwest::connect::verbose", "write: refresh_token=SECRET-WIRE");
            tracing::trace!(target: "kura_core::session", "kura trace kept");
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
            Some("tauri_plugin_deep_link::imp=trace,info"),
        ] {
            let logged = logged_with(directives);
            assert!(!logged.contains("SECRET"), "{directives:?}: {logged}");
            assert!(logged.contains("plugin failure kept"), "{directives:?}: {logged}");
            assert!(logged.contains("sign-in callback received"), "{directives:?}: {logged}");
        }
        assert!(logged_with(Some("debug")).contains("debug line"));
        assert!(!logged_with(None).contains("debug line"));
    }

    #[test]
    fn kura_log_trace_caps_the_dependency_targets_that_print_secrets() {
        for directives in ["trace", "trace,aws_sigv4=trace,aws_smithy_runtime=trace,reqwest=trace"] {
            let logged = logged_with(Some(directives));
            for secret in ["SECRET-SIGV4", "SECRET-OUTPUT", "SECRET-WIRE", "code=SECRET"] {
                assert!(!logged.contains(secret), "{directives}: {secret} in {logged}");
            }
            assert!(logged.contains("kura trace kept"), "{directives}: {logged}");
            assert!(logged.contains("debug line"), "{directives}: {logged}");
        }
    }
}
