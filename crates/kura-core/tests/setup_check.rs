//! The setup's provider check against the real local IdP (`devstack/up`), and against a tiny
//! HTTP server serving crafted discovery documents for what the real IdP cannot produce.

use std::path::PathBuf;

use kura_core::setup::{check_provider, CheckReport, Severity};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The local stack's issuer from `$KURA_DEVSTACK_STATE/env` (fails when the stack is not up).
fn stack_issuer() -> String {
    let state = std::env::var("KURA_DEVSTACK_STATE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../devstack/.state"));
    let env = std::fs::read_to_string(state.join("env"))
        .unwrap_or_else(|e| panic!("the local stack is not running ({e}): start it with devstack/up"));
    env.lines()
        .find_map(|l| l.trim_start_matches("export ").strip_prefix("KURA_DEVSTACK_ISSUER="))
        .map(|v| v.trim_matches('\'').trim_matches('"').to_string())
        .expect("KURA_DEVSTACK_ISSUER in the stack's env")
}

fn default_scopes() -> Vec<String> {
    ["openid", "offline_access", "profile", "email"]
        .map(String::from)
        .to_vec()
}

fn codes(r: &CheckReport) -> Vec<(&str, Severity)> {
    r.findings.iter().map(|f| (f.code.as_str(), f.severity)).collect()
}

#[tokio::test]
async fn the_local_idp_passes() {
    let issuer = stack_issuer();
    assert!(issuer.ends_with('/'), "the stack mimics Auth0's issuer: {issuer}");
    let r = check_provider(&issuer, &default_scopes()).await;
    assert!(r.passed(), "{r:#?}");
    assert_eq!(codes(&r), [], "the local IdP has S256, refresh, device and JWKS");
}

#[tokio::test]
async fn a_missing_trailing_slash_is_named() {
    let issuer = stack_issuer();
    let without = issuer.trim_end_matches('/');
    let r = check_provider(without, &default_scopes()).await;
    assert!(!r.passed());
    assert_eq!(codes(&r), [("check.issuer_mismatch", Severity::Error)]);
    let f = &r.findings[0];
    assert_eq!(f.params["expected"], without);
    assert_eq!(f.params["found"], issuer);
    assert!(
        f.message.contains(&format!("{issuer:?}")) && f.message.contains("ends with a slash"),
        "{}",
        f.message
    );
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    // Bind and drop: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let r = check_provider(&format!("http://127.0.0.1:{port}/"), &default_scopes()).await;
    assert_eq!(codes(&r), [("check.unreachable", Severity::Error)]);
    assert!(!r.findings[0].params["detail"].is_empty());
}

/// Serves the response `answer` makes from the server's issuer (`http://127.0.0.1:PORT`) to
/// every discovery request (fault injection); returns that issuer.
async fn serve(answer: impl FnOnce(&str) -> (&'static str, String)) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    let (status, body) = answer(&issuer);
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                // Only the discovery URL is ever asked for.
                let status = if buf.starts_with(b"GET /.well-known/openid-configuration HTTP/1.1\r\n") {
                    status
                } else {
                    "400 Bad Request"
                };
                let response = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(response.as_bytes()).await;
            });
        }
    });
    issuer
}

/// A complete discovery document for `issuer`, with `change` applied.
fn document(issuer: &str, change: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) -> String {
    let mut doc = serde_json::json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "device_authorization_endpoint": format!("{issuer}/device"),
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "scopes_supported": ["openid", "offline_access", "profile", "email"],
        "response_types_supported": ["code"],
    });
    change(doc.as_object_mut().unwrap());
    doc.to_string()
}

/// Checks a server serving a complete document for itself with `change` applied.
async fn check_crafted(
    scopes: &[String],
    change: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> CheckReport {
    let issuer = serve(|issuer| ("200 OK", document(issuer, change))).await;
    check_provider(&issuer, scopes).await
}

#[tokio::test]
async fn a_complete_crafted_document_passes() {
    let r = check_crafted(&default_scopes(), |_| {}).await;
    assert_eq!(codes(&r), []);
}

#[tokio::test]
async fn pkce_problems() {
    let r = check_crafted(&default_scopes(), |d| {
        d.insert("code_challenge_methods_supported".into(), serde_json::json!(["plain"]));
    })
    .await;
    assert_eq!(codes(&r), [("check.no_s256", Severity::Error)]);
    assert_eq!(r.findings[0].params["methods"], "plain");
    assert!(!r.passed());

    let r = check_crafted(&default_scopes(), |d| {
        d.remove("code_challenge_methods_supported");
    })
    .await;
    assert_eq!(codes(&r), [("check.s256_unadvertised", Severity::Warning)]);
    assert!(r.passed(), "only a warning");
}

#[tokio::test]
async fn missing_refresh_device_jwks_and_offline_access() {
    let r = check_crafted(&default_scopes(), |d| {
        d.insert(
            "grant_types_supported".into(),
            serde_json::json!(["authorization_code"]),
        );
        d.insert("scopes_supported".into(), serde_json::json!(["openid", "email"]));
        d.remove("device_authorization_endpoint");
        d.remove("jwks_uri");
    })
    .await;
    assert_eq!(
        codes(&r),
        [
            ("check.no_jwks", Severity::Error),
            ("check.offline_access_unsupported", Severity::Error),
            ("check.no_refresh", Severity::Warning),
            ("check.no_device_endpoint", Severity::Warning),
        ]
    );
    // Without offline_access requested (Cognito's scopes), the scope list is no problem.
    let cognito: Vec<String> = ["openid", "profile", "email"].map(String::from).to_vec();
    let r = check_crafted(&cognito, |d| {
        d.insert(
            "scopes_supported".into(),
            serde_json::json!(["openid", "email", "profile"]),
        );
    })
    .await;
    assert_eq!(codes(&r), []);
}

#[tokio::test]
async fn not_found_and_not_json() {
    let issuer = serve(|_| ("404 Not Found", "{\"error\":\"not found\"}".into())).await;
    let r = check_provider(&issuer, &default_scopes()).await;
    assert_eq!(codes(&r), [("check.http_status", Severity::Error)]);
    assert_eq!(r.findings[0].params["status"], "404");

    let issuer = serve(|_| ("200 OK", "<html>hello</html>".into())).await;
    let r = check_provider(&issuer, &default_scopes()).await;
    assert_eq!(codes(&r), [("check.not_discovery", Severity::Error)]);
    assert!(
        r.findings[0].params["detail"].starts_with("not JSON"),
        "{:?}",
        r.findings[0]
    );

    let issuer = serve(|_| ("200 OK", "{\"hello\":1}".into())).await;
    let r = check_provider(&issuer, &default_scopes()).await;
    assert_eq!(codes(&r), [("check.not_discovery", Severity::Error)]);
}
