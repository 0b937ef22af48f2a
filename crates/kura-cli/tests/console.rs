//! `kura console` against the real stack and the federation endpoint stand-in
//! (`devstack/federation`, which checks every session it receives against S3 and accepts each
//! sign-in token once, for 15 minutes). Run inside `scripts/with-keyring.sh`.

mod common;

use std::time::Duration;

use common::*;
use url::Url;

/// The stand-in's endpoint from the stack's env file (its fixed default when a devstack/up from a
/// branch without the stand-in rewrote that file).
fn federation(_stack: &Stack) -> String {
    let state = std::env::var("KURA_DEVSTACK_STATE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| repo().join("devstack/.state"));
    std::fs::read_to_string(state.join("env"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("export KURA_DEVSTACK_FEDERATION_ENDPOINT="))
        .map(|v| v.trim_matches('\'').to_string())
        .unwrap_or_else(|| "http://127.0.0.1:9410/federation".into())
}

fn env_with(name: &str, endpoint: &str, extra: &[(&str, &str)]) -> Env {
    let ep = format!("{endpoint:?}");
    let mut keys: Vec<(&str, &str)> = vec![("federation_endpoint", &ep)];
    keys.extend_from_slice(extra);
    Env::new(name, &keys)
}

fn query(url: &Url, key: &str) -> Option<String> {
    url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

/// Opens `url` like a browser would (a plain GET on the loopback stand-in); true on 200.
fn browser_get(url: &str) -> bool {
    use std::io::{Read, Write};
    let url = Url::parse(url).unwrap();
    let host = format!("{}:{}", url.host_str().unwrap(), url.port_or_known_default().unwrap());
    let mut conn = std::net::TcpStream::connect(&host).unwrap();
    let target = &url[url::Position::BeforePath..];
    write!(conn, "GET {target} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    let ok = answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200");
    assert!(
        !ok || answer.contains("id=destination"),
        "the login page names the destination"
    );
    ok
}

fn signed_in(env: &Env) {
    let out = env.login(ALICE);
    assert!(out.status.success(), "login failed: {}", text(&out.stderr));
}

#[test]
fn print_gives_a_login_url_the_federation_endpoint_accepts_once() {
    let stack = Stack::get();
    let endpoint = federation(&stack);
    let env = env_with("console", &endpoint, &[]);
    signed_in(&env);
    let out = env.run(&["console", "--print"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    let url = Url::parse(printed.trim()).unwrap();
    assert!(url.as_str().starts_with(&format!("{endpoint}?")), "{url}");
    assert_eq!(query(&url, "Action").as_deref(), Some("login"));
    assert_eq!(query(&url, "Issuer").as_deref(), Some("kura"));
    assert_eq!(
        query(&url, "Destination").as_deref(),
        Some(format!("https://us-east-1.console.aws.amazon.com/s3/buckets/{}?region=us-east-1&prefix=users%2Fauth0%7Calice0001%2F", stack.bucket()).as_str())
    );
    assert!(query(&url, "SigninToken").is_some_and(|t| t.len() > 20));
    assert!(
        text(&out.stderr).contains("15 minutes"),
        "the warning says how long the URL works"
    );
    assert!(browser_get(url.as_str()), "the stand-in accepts the sign-in token");
    assert!(!browser_get(url.as_str()), "a sign-in token works once");
}

#[test]
fn destination_flag_sets_the_console_page() {
    let env = env_with("console-dest", &federation(&Stack::get()), &[]);
    signed_in(&env);
    let page = "https://us-east-1.console.aws.amazon.com/cloudshell/home";
    let printed = env.ok(&["console", "--print", "--destination", page]);
    let url = Url::parse(printed.trim()).unwrap();
    assert_eq!(query(&url, "Destination").as_deref(), Some(page));
    assert!(browser_get(url.as_str()));
    let bad = env.run(&["console", "--print", "--destination", "console.aws.amazon.com"]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));
    assert!(text(&bad.stdout).is_empty());
}

#[test]
fn without_print_the_browser_gets_the_url_and_nothing_is_printed() {
    let env = env_with("console-open", &federation(&Stack::get()), &[]);
    signed_in(&env);
    let opened = env.path("opened");
    let script = env.path("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = env.kura().arg("console").env("BROWSER", &script).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).is_empty(), "the URL is not printed");
    assert!(!text(&out.stderr).contains("SigninToken"));
    let mut url = String::new();
    for _ in 0..50 {
        url = std::fs::read_to_string(&opened).unwrap_or_default();
        if !url.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(url.contains("Action=login"), "{url}");
    assert!(browser_get(&url), "the opened URL signs in");
}

/// The short gateway's credentials live 30 s: after they expired, `kura console` renews them
/// first (the stand-in refuses sessions S3 does not accept, so an expired one would fail).
#[test]
fn expired_credentials_are_renewed_before_asking_for_a_token() {
    let stack = Stack::get();
    let short = format!("{:?}", stack.s3_short());
    let env = env_with(
        "console-expired",
        &federation(&stack),
        &[("sts_endpoint", &short), ("s3_endpoint", &short)],
    );
    signed_in(&env);
    std::thread::sleep(Duration::from_secs(34));
    let printed = env.ok(&["console", "--print"]);
    assert!(
        browser_get(printed.trim()),
        "the token made with renewed credentials is accepted"
    );
}

#[test]
fn trace_logs_hold_no_credentials_or_signin_token() {
    let env = env_with("console-trace", &federation(&Stack::get()), &[]);
    signed_in(&env);
    let out = env
        .kura()
        .args(["console", "--print"])
        .env("KURA_LOG", "trace")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let url = Url::parse(text(&out.stdout).trim()).unwrap();
    let token = query(&url, "SigninToken").unwrap();
    // The same cached credentials (1 h) the console command used.
    let creds: serde_json::Value = serde_json::from_str(&env.ok(&["credential-process"])).unwrap();
    let stderr = text(&out.stderr);
    assert!(stderr.len() > 1000, "trace logging is on: {} bytes", stderr.len());
    for (what, secret) in [
        ("SigninToken", token.as_str()),
        ("secret key", creds["SecretAccessKey"].as_str().unwrap()),
        ("session token", creds["SessionToken"].as_str().unwrap()),
    ] {
        assert!(!stderr.contains(secret), "the {what} is in the trace log");
    }
    assert!(!stderr.contains("sessionKey") && !stderr.contains("getSigninToken&Session"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusing_federation_endpoint_is_error_console_federation_with_its_status() {
    let endpoint = federation(&Stack::get()).replace("/federation", "/refuse/federation");
    let env = env_with("console-refused", &endpoint, &[]);
    // In process: the typed error and its code.
    let session = sign_in(env.profile(), ALICE).await;
    let err = kura_core::console::signin_url(&session, None).await.unwrap_err();
    assert_eq!(err.code(), "console.federation", "{err}");
    assert!(matches!(
        &err,
        kura_core::Error::Console(kura_core::console::ConsoleError::Federation { status: Some(400), .. })
    ));
    // The CLI: exit code 3 (auth), the status in the message, nothing on stdout.
    signed_in(&env);
    let out = env.run(&["console", "--print"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("HTTP 400"), "{}", text(&out.stderr));
    assert!(text(&out.stdout).is_empty());
}

/// An identity pool session (enhanced flow, no role ARN: the partition comes from the region)
/// opens the console the same way.
#[test]
fn an_identity_pool_session_gets_a_login_url_too() {
    let stack = Stack::get();
    let q = |v: &str| format!("{v:?}");
    let (pool, provider, endpoint) = (
        q(stack.var("KURA_DEVSTACK_IDENTITY_POOL")),
        q(stack.var("KURA_DEVSTACK_IDENTITY_PROVIDER")),
        q(stack.var("KURA_DEVSTACK_COGNITO_ENDPOINT")),
    );
    let env = env_with(
        "console-pool",
        &federation(&stack),
        &[
            ("role_arn", ""),
            ("identity_pool_id", &pool),
            ("identity_provider", &provider),
            ("cognito_endpoint", &endpoint),
            ("prefix", "\"cognito/{identity_id}/\""),
        ],
    );
    signed_in(&env);
    let printed = env.ok(&["console", "--print"]);
    let url = Url::parse(printed.trim()).unwrap();
    let destination = query(&url, "Destination").unwrap();
    assert!(
        destination.contains("cognito%2Fus-east-1%3A") || destination.contains("cognito/us-east-1:"),
        "{destination}"
    );
    assert!(
        browser_get(url.as_str()),
        "the stand-in accepts the pool session's token"
    );
}
