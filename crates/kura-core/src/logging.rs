//! The log filter both front ends install: the user's directives (`$KURA_LOG`, an `EnvFilter`
//! list) AND fixed caps on dependency targets that print secrets at trace level. The caps are a
//! second filter combined with the user's ([`filter`]), so no directive in `$KURA_LOG` — not even
//! a more specific one such as `aws_sigv4::http_request::sign=trace` — lifts them, while every
//! other target, Kura's own included, can still be traced.
//!
//! The caps ([`CAPS`]), each found by grepping a `KURA_LOG=trace` run for the session's secrets
//! (`crates/kura-cli/tests/secrets.rs`):
//!
//! | target | cap | why |
//! | --- | --- | --- |
//! | `aws_sigv4` | `debug` | aws-sigv4 1.6 traces each canonical request; for a presigned URL its query holds `X-Amz-Security-Token` unredacted (only headers are redacted, `http_request/sign.rs`). All its events are `trace`. |
//! | `aws_smithy_runtime::client::orchestrator` | `debug` | traces every operation's output with `Debug` (`output_or_error`): Cognito's `GetCredentialsForIdentityOutput` shows the `SessionToken`; with `LOG_SENSITIVE_BODIES=true` it also traces whole response bodies (`orchestrator/http.rs`: STS credentials). |
//! | `reqwest::connect::verbose` | `debug` | reqwest's wire dump (when a client enables `connection_verbose`): token requests carry the `code`, `code_verifier` and refresh token. |
//!
//! Checked and not capped (they redact, or print no payload): the SDK's signing of headers
//! (`** redacted **`), its credential `Debug`, hyper, hyper-util, h2 (frames without header
//! values), keyring (entries without passwords), zbus (messages without bodies), rustls.

use tracing::Subscriber;
use tracing_subscriber::filter::combinator::And;
use tracing_subscriber::filter::{EnvFilter, FilterExt, LevelFilter, Targets};

/// Dependency targets capped at a level whatever `$KURA_LOG` says (see the module docs for why
/// each). A target also caps its submodules (`aws_sigv4` covers `aws_sigv4::http_request::sign`).
pub const CAPS: &[(&str, LevelFilter)] = &[
    ("aws_sigv4", LevelFilter::DEBUG),
    ("aws_smithy_runtime::client::orchestrator", LevelFilter::DEBUG),
    ("reqwest::connect::verbose", LevelFilter::DEBUG),
];

/// The caps as a filter: [`CAPS`], every other target allowed up to `trace`. A front end adds
/// its own targets with [`Targets::with_target`] (the desktop caps its deep-link plugin).
pub fn caps() -> Targets {
    CAPS.iter()
        .fold(Targets::new().with_default(LevelFilter::TRACE), |t, (target, level)| {
            t.with_target(*target, *level)
        })
}

/// The user's filter: `directives` (`$KURA_LOG`) as `EnvFilter` directives, or `default` when
/// they are absent or invalid (e.g. `"warn"`).
pub fn user_filter(directives: Option<&str>, default: &str) -> EnvFilter {
    directives
        .and_then(|d| EnvFilter::try_new(d).ok())
        .unwrap_or_else(|| EnvFilter::new(default))
}

/// [`user_filter`] and [`caps`]: a per-layer filter for the log's `fmt` layer
/// (`fmt::layer().with_filter(filter(..))`). An event is written only when both allow it.
pub fn filter<S: Subscriber>(directives: Option<&str>, default: &str) -> And<EnvFilter, Targets, S> {
    user_filter(directives, default).and(caps())
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::Layer;

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

    /// What the filter for `directives` lets through of one event per interesting target.
    fn logged_with(directives: &str) -> String {
        let out = Captured::default();
        let writer = out.clone();
        let layer = tracing_subscriber::fmt::layer()
            .with_writer(move || writer.clone())
            .with_filter(filter(Some(directives), "warn"));
        let subscriber = tracing_subscriber::registry().with(layer);
        tracing::subscriber::with_default(subscriber, || {
            tracing::trace!(target: "aws_sigv4::http_request::sign", "canonical_request=X-Amz-Security-Token=SECRET1");
            tracing::trace!(target: "aws_smithy_runtime::client::orchestrator", "output_or_error=SECRET2");
            tracing::trace!(target: "aws_smithy_runtime::client::orchestrator::http", "read HTTP response body SECRET3");
            tracing::trace!(target: "reqwest::connect::verbose", "write: code_verifier=SECRET4");
            tracing::debug!(target: "aws_smithy_runtime::client::orchestrator", "beginning attempt #1");
            tracing::trace!(target: "aws_smithy_runtime::client::retries", "dependency trace kept");
            tracing::trace!(target: "kura_core::session", "kura trace kept");
            tracing::trace!(target: "kura", "cli trace kept");
        });
        let bytes = out.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn trace_everything_still_caps_the_leaking_targets() {
        for directives in [
            "trace",
            "trace,aws_sigv4=trace",
            "aws_sigv4::http_request::sign=trace,aws_smithy_runtime=trace,reqwest=trace,trace",
            "aws_smithy_runtime::client::orchestrator::http=trace,reqwest::connect::verbose=trace,trace",
        ] {
            let logged = logged_with(directives);
            for secret in ["SECRET1", "SECRET2", "SECRET3", "SECRET4"] {
                assert!(!logged.contains(secret), "{directives}: {logged}");
            }
            for kept in [
                "beginning attempt #1",
                "dependency trace kept",
                "kura trace kept",
                "cli trace kept",
            ] {
                assert!(logged.contains(kept), "{directives}: {kept} missing from {logged}");
            }
        }
    }

    #[test]
    fn the_users_directives_still_choose_what_is_logged() {
        let kura_only = logged_with("kura_core=trace");
        assert!(kura_only.contains("kura trace kept"), "{kura_only}");
        assert!(!kura_only.contains("dependency trace kept") && !kura_only.contains("cli trace kept"));
        let invalid = logged_with("=not a directive[");
        assert!(
            invalid.is_empty(),
            "an invalid $KURA_LOG falls back to the default (warn): {invalid}"
        );
    }
}
