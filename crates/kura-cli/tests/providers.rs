//! Sign-in under the rules of real providers, end to end against the devstack IdP's clients
//! (devstack/idp/clients.mjs) and the real STS: exact loopback ports (Auth0, Okta), the callback
//! confirmation page (Auth0), Amazon Cognito's `localhost` callbacks and its scope and
//! refresh-token rules, and a signing-key rotation while signed in.

mod common;

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use common::*;
use kura_core::oidc::loopback::LoopbackListener;
use kura_core::oidc::{Identity, TokenSet};
use kura_core::secrecy::{ExposeSecret, SecretString};
use kura_core::session::Session;
use kura_core::store::TokenStore;

/// Registered ports already handed to a test of this binary (tests run in parallel).
static CLAIMED: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());

/// A free port, not yet handed to another test, among those a client registered: `var` is
/// `KURA_DEVSTACK_EXACT_PORTS` (`kura-exactport`) or `KURA_DEVSTACK_COGNITO_PORTS`
/// (`kura-cognito`).
fn free_registered_port(stack: &Stack, var: &str) -> u16 {
    let mut claimed = CLAIMED.lock().unwrap();
    let port = stack
        .var(var)
        .split_whitespace()
        .map(|p| p.parse::<u16>().unwrap())
        .find(|p| !claimed.contains(p) && TcpListener::bind(("127.0.0.1", *p)).is_ok())
        .unwrap_or_else(|| panic!("a free port among ${var}"));
    claimed.insert(port);
    port
}

fn loopback_uri(port: u16) -> String {
    format!("\"http://127.0.0.1:{port}/callback\"")
}

fn localhost_uri(port: u16) -> String {
    format!("\"http://localhost:{port}/callback\"")
}

/// `kura login` with the test browser as alice, its log in `browser.log`; returns the output.
fn login_logged(env: &Env, timeout: &str) -> (std::process::Output, String) {
    let log = env.path("browser.log");
    let out = env
        .kura()
        .args(["login", "--timeout", timeout])
        .env("KURA_TEST_USER", ALICE.0)
        .env("KURA_TEST_PASSWORD", ALICE.1)
        .env("KURA_TEST_BROWSER_LOG", &log)
        .output()
        .unwrap();
    (out, std::fs::read_to_string(&log).unwrap_or_default())
}

fn whoami(env: &Env) -> serde_json::Value {
    serde_json::from_str(&env.ok(&["whoami", "--json"])).unwrap()
}

#[test]
fn a_fixed_loopback_port_signs_in_where_ports_must_match_exactly() {
    let stack = Stack::get();
    let port = free_registered_port(&stack, "KURA_DEVSTACK_EXACT_PORTS");
    let env = Env::new(
        "exactport",
        &[
            ("client_id", "\"kura-exactport\""),
            ("redirect_uri", &loopback_uri(port)),
        ],
    );
    let (out, log) = login_logged(&env, "30");
    assert!(out.status.success(), "{}\n{log}", text(&out.stderr));
    assert!(log.contains("delivered to loopback listener"), "{log}");
    assert_eq!(whoami(&env)["identity"]["sub"], ALICE_SUB);
}

#[test]
fn a_random_port_is_refused_where_ports_must_match_exactly() {
    let env = Env::new("randomport", &[("client_id", "\"kura-exactport\"")]);
    assert_redirect_refused(&env);
}

/// A sign-in whose redirect the IdP refuses: it shows its error page instead of redirecting, the
/// CLI times out waiting and nothing is signed in.
fn assert_redirect_refused(env: &Env) {
    let (out, log) = login_logged(env, "6");
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("no callback"), "{}", text(&out.stderr));
    assert!(log.contains("exit=4") && log.contains("invalid_redirect_uri"), "{log}");
    assert_eq!(env.run(&["whoami"]).status.code(), Some(3));
}

#[test]
fn a_taken_port_fails_before_any_browser_opens() {
    let held = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = held.local_addr().unwrap().port();
    let env = Env::new(
        "takenport",
        &[
            ("client_id", "\"kura-exactport\""),
            ("redirect_uri", &loopback_uri(port)),
        ],
    );
    let (out, log) = login_logged(&env, "30");
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("port {port} on 127.0.0.1 is in use")),
        "{stderr}"
    );
    assert!(log.is_empty(), "no browser may have been opened: {log}");
    drop(held);
}

#[tokio::test]
async fn a_taken_port_has_its_own_error_code() {
    let held = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = held.local_addr().unwrap().port();
    let err = LoopbackListener::bind_port(Some(port)).await.unwrap_err();
    assert_eq!(err.code(), "auth.loopback_port_in_use");
}

#[test]
fn the_callback_confirmation_page_is_passed() {
    let env = Env::new("confirm", &[("client_id", "\"kura-confirm\"")]);
    let (out, log) = login_logged(&env, "30");
    assert!(out.status.success(), "{}\n{log}", text(&out.stderr));
    assert!(log.contains("passed the callback confirmation page"), "{log}");
    assert_eq!(whoami(&env)["identity"]["sub"], ALICE_SUB);
}

const COGNITO_SCOPES: &str = r#"["openid", "profile", "email"]"#;

/// The session `kura login` stored, with the ID token marked as expiring now so the next
/// `sign_in` must trade the refresh token for a new one first.
fn stored_tokens_expiring_now(store: &TokenStore, profile: &str) -> TokenSet {
    let json = store.get(&format!("{profile}:session")).unwrap().unwrap();
    let stored: serde_json::Value = serde_json::from_str(&json).unwrap();
    let identity: Identity = serde_json::from_value(stored["identity"].clone()).unwrap();
    let secret = |k: &str| SecretString::from(stored[k].as_str().unwrap().to_string());
    TokenSet {
        identity,
        id_token: secret("id_token"),
        id_token_expires_at: time::OffsetDateTime::now_utc(),
        access_token: secret("access_token"),
        access_token_expires_at: None,
        refresh_token: store.get(profile).unwrap().map(SecretString::from),
    }
}

/// Like Amazon Cognito, `kura-cognito` takes plain-http callbacks only on
/// `http://localhost:PORT/callback`, as registered (`$KURA_DEVSTACK_COGNITO_PORTS`).
fn cognito_env(name: &str, scopes: Option<&str>) -> Env {
    let stack = Stack::get();
    let redirect = localhost_uri(free_registered_port(&stack, "KURA_DEVSTACK_COGNITO_PORTS"));
    let mut keys = vec![("client_id", "\"kura-cognito\""), ("redirect_uri", redirect.as_str())];
    keys.extend(scopes.map(|s| ("scopes", s)));
    Env::new(name, &keys)
}

#[tokio::test]
async fn cognito_signs_in_on_localhost_without_offline_access_and_refreshes() {
    let env = cognito_env("cognito", Some(COGNITO_SCOPES));
    let (out, log) = login_logged(&env, "30");
    assert!(out.status.success(), "{}\n{log}", text(&out.stderr));
    assert!(log.contains("delivered to loopback listener"), "{log}");
    assert_eq!(whoami(&env)["identity"]["sub"], ALICE_SUB);
    let rt = TokenStore::os().get(&env.profile).unwrap();
    assert!(
        rt.as_ref().is_some_and(|t| t.len() > 10),
        "Cognito issues a refresh token without offline_access"
    );
    let before = whoami(&env);

    // Force the ID-token refresh path: the stored ID token is treated as expiring.
    tokio::time::sleep(Duration::from_millis(1100)).await; // a new `exp` second
    let store = Arc::new(TokenStore::os());
    let tokens = stored_tokens_expiring_now(&store, &env.profile);
    let session = Session::new(env.profile(), store.clone());
    session.sign_in(tokens).await.unwrap();

    let after = whoami(&env);
    assert_ne!(
        before["id_token_expires_at"], after["id_token_expires_at"],
        "a new ID token"
    );
    assert_eq!(
        store.get(&env.profile).unwrap(),
        rt,
        "Cognito does not rotate: the refresh answer has no refresh_token, the old one is kept"
    );
    assert!(env.ok(&["ls"]).contains("welcome.txt"));
}

#[test]
fn cognito_refuses_a_127_0_0_1_redirect() {
    let port = free_registered_port(&Stack::get(), "KURA_DEVSTACK_COGNITO_PORTS");
    let env = Env::new(
        "cognito-ip4",
        &[
            ("client_id", "\"kura-cognito\""),
            ("scopes", COGNITO_SCOPES),
            ("redirect_uri", &loopback_uri(port)),
        ],
    );
    // Refused like Cognito refuses anything but its registered localhost URLs.
    assert_redirect_refused(&env);
}

#[test]
fn cognito_refuses_offline_access_and_kura_says_so() {
    // The default scopes include offline_access.
    let env = cognito_env("cognito-offline", None);
    let (out, log) = login_logged(&env, "30");
    assert_eq!(out.status.code(), Some(3), "{log}");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("refused the requested scopes"), "{stderr}");
    assert!(
        stderr.contains("invalid_scope") && stderr.contains("offline_access"),
        "{stderr}"
    );
    assert_eq!(env.run(&["whoami"]).status.code(), Some(3));
}

fn kid(jwt: &str) -> String {
    let header = jwt.split('.').next().unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header).unwrap();
    let header: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    header["kid"].as_str().unwrap().to_string()
}

/// POST /__devstack/rotate-key; returns the new signing key's kid.
fn rotate_idp_key(stack: &Stack) -> String {
    let url = format!("{}__devstack/rotate-key", stack.var("KURA_DEVSTACK_ISSUER"));
    let out = std::process::Command::new("curl")
        .args(["-sf", "-X", "POST", &url])
        .output()
        .unwrap();
    assert!(out.status.success(), "rotate-key failed: {}", text(&out.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    answer["kids"][0].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_key_rotation_while_signed_in_needs_no_restart() {
    let env = Env::new("keyrotation", &[]);
    let store = Arc::new(TokenStore::memory());
    let session = Session::new(env.profile(), store.clone());
    let provider = session.provider().await.unwrap();

    let tokens = login_tokens(&session, ALICE).await;
    session.sign_in(tokens.clone()).await.unwrap();
    let kid_at_sign_in = kid(tokens.id_token.expose_secret());
    let cached_at_sign_in = provider.key_ids();
    assert!(cached_at_sign_in.contains(&kid_at_sign_in));

    let new_kid = rotate_idp_key(&env.stack);
    assert!(
        !cached_at_sign_in.contains(&new_kid),
        "the key cached at sign-in cannot validate tokens signed after the rotation"
    );

    // Force a token refresh: the refreshed ID token is signed with the new key.
    let expiring = TokenSet {
        id_token_expires_at: time::OffsetDateTime::now_utc(),
        ..tokens
    };
    let status = session.sign_in(expiring).await.unwrap();
    assert_eq!(status.identity.sub, ALICE_SUB);
    let stored: serde_json::Value =
        serde_json::from_str(&store.get(&format!("{}:session", env.profile)).unwrap().unwrap()).unwrap();
    assert_eq!(kid(stored["id_token"].as_str().unwrap()), new_kid);
    assert!(provider.key_ids().contains(&new_kid), "the JWKS was fetched again");
    // STS accepted the new token: the session holds credentials from it.
    assert!(session.credentials().await.unwrap().seconds_left() > 60);
}

/// `$KURA_TEST_USER_FILE` overrides `$KURA_TEST_USER` and is read on every run (the desktop e2e
/// switches users between sign-ins of one app process).
#[test]
fn the_test_browser_takes_its_user_from_a_file_read_on_every_run() {
    let env = Env::new("userfile", &[]);
    let file = env.path("user");
    let login = |expected: &str| {
        let out = env
            .kura()
            .args(["login", "--timeout", "30"])
            .env("KURA_TEST_USER", ALICE.0)
            .env("KURA_TEST_PASSWORD", ALICE.1)
            .env("KURA_TEST_USER_FILE", &file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(whoami(&env)["identity"]["sub"], expected);
    };
    login(ALICE_SUB); // no file yet: the environment's user
    std::fs::write(&file, format!("{} {}\n", BOB.0, BOB.1)).unwrap();
    login(BOB_SUB);
}
