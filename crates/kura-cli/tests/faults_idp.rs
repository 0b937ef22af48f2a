//! The identity provider failing during a refresh (issue 10, "nothing lost, a clear message"):
//! the IdP's own token-endpoint fault switch (`POST /__devstack/fault`, client `kura-faults`,
//! whose 30-second ID tokens make every credential renewal refresh them first — the IdP's issuer
//! is fixed, so no proxy can stand in front of it), and a proxy in front of its discovery
//! document for an IdP that is down as a whole. The session is kept unless the refresh token is
//! really rejected.

mod common;
#[allow(dead_code)]
#[path = "common/proxy.rs"]
mod proxy;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use kura_core::session::Session;
use kura_core::store::TokenStore;
use proxy::{Fault, Proxy, Rule};

/// The fault switch is per client: the tests of `kura-faults` take turns.
static SWITCH: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn q(s: &str) -> String {
    format!("{s:?}")
}

/// The IdP's token-endpoint fault switch for `client`: `POST` with `mode` (503, drop or off) and
/// `count` sets it, `GET` reads it. Answers `{client, token, remaining, failed}`.
fn idp_fault(method: &str, client: &str, mode: &str, count: u32) -> serde_json::Value {
    let issuer = Stack::get().var("KURA_DEVSTACK_ISSUER").to_string();
    let url = format!("{issuer}__devstack/fault?client={client}&token={mode}&count={count}");
    let out = std::process::Command::new("curl")
        .args(["-sf", "-X", method, &url])
        .output()
        .unwrap();
    assert!(out.status.success(), "fault switch: {}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// What the keychain accounts of `session`'s profile hold: (refresh token, session) present.
fn stored(session: &Session) -> (bool, bool) {
    let name = &session.profile().name;
    let store = session.store();
    (
        store.get(name).unwrap().is_some(),
        store.get(&format!("{name}:session")).unwrap().is_some(),
    )
}

const FAULTS_CLIENT: &str = "kura-faults";

/// Alice signed in with client `kura-faults` (ID tokens live 30 s, so every renewal refreshes).
async fn faults_client_session(env: &Env) -> Arc<Session> {
    let session = Arc::new(Session::new(env.profile(), Arc::new(TokenStore::memory())));
    let tokens = login_tokens(&session, ALICE).await;
    session.sign_in(tokens).await.unwrap();
    session
}

/// The token endpoint answering 503, then dropping the connection, during a refresh: a clear
/// `auth.provider_unavailable`, the session and its refresh token kept, and the next renewal
/// works without signing in.
#[tokio::test(flavor = "multi_thread")]
async fn idp_down_during_refresh_keeps_the_session() {
    let _turn = SWITCH.lock().await;
    let env = Env::new("idp-down", &[("client_id", &q(FAULTS_CLIENT))]);
    let session = faults_client_session(&env).await;
    let before = session.credentials().await.unwrap();

    for mode in ["503", "drop"] {
        idp_fault("POST", FAULTS_CLIENT, mode, 1);
        let err = session.force_refresh().await.unwrap_err();
        assert_eq!(err.code(), "auth.provider_unavailable", "{mode}: {err}");
        assert_eq!(
            idp_fault("GET", FAULTS_CLIENT, "", 0)["failed"],
            1,
            "{mode}: the IdP failed it"
        );
        assert_eq!(stored(&session), (true, true), "{mode}: the session is kept");
        assert!(session.status().await.unwrap().is_some());
    }
    let after = session.force_refresh().await.unwrap();
    assert_ne!(after.access_key_id, before.access_key_id, "renewed without signing in");
}

/// The IdP unreachable as a whole (its discovery document refused, or answered with 503):
/// `auth.provider_unavailable`; a provider that answers, but is not the configured issuer, is
/// still `auth.provider` (a configuration error, not an outage).
#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_idp_is_unavailable_not_misconfigured() {
    let issuer = Stack::get().var("KURA_DEVSTACK_ISSUER").to_string();
    let idp = Proxy::start(&issuer).await;
    let env = Env::new("idp-gone", &[("issuer", &q(&format!("{}/", idp.url())))]);
    let unavailable = Fault::Respond {
        status: 503,
        body: "Service Unavailable".into(),
    };
    for fault in [Fault::Refuse, unavailable] {
        idp.set(vec![Rule::all(fault.clone())]);
        let err = kura_core::oidc::Provider::discover(&env.profile()).await.unwrap_err();
        assert_eq!(err.code(), "auth.provider_unavailable", "{fault:?}: {err}");
    }
    idp.pass();
    let err = kura_core::oidc::Provider::discover(&env.profile()).await.unwrap_err();
    assert_eq!(err.code(), "auth.provider", "issuer mismatch: {err}");
}

/// A refresh token the IdP really rejects (revoked: `invalid_grant`) ends the session:
/// `auth.session_expired`, and nothing is kept.
#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_refresh_token_ends_the_session() {
    let _turn = SWITCH.lock().await;
    let env = Env::new("idp-revoked", &[("client_id", &q(FAULTS_CLIENT))]);
    let session = faults_client_session(&env).await;
    let refresh = session.store().get(&session.profile().name).unwrap().unwrap();
    let provider = session.provider().await.unwrap();
    provider
        .revoke(&kura_core::secrecy::SecretString::from(refresh))
        .await
        .unwrap();

    let err = session.force_refresh().await.unwrap_err();
    assert_eq!(err.code(), "auth.session_expired", "{err}");
    assert_eq!(stored(&session), (false, false), "the session is deleted");
    assert!(session.status().await.unwrap().is_none());
}

/// The same through the CLI and the OS keychain (30-second credentials, so every command wants
/// new ones): while the IdP is down `kura ls` goes on with the still-valid credentials; once
/// they have expired it fails with a message that says the provider is unavailable (exit code
/// 3), not that the session ended; `kura whoami` still shows the session, and once the IdP
/// answers `kura ls` works without `kura login`.
#[tokio::test(flavor = "multi_thread")]
async fn cli_idp_down_keeps_the_session_in_the_keychain() {
    let _turn = SWITCH.lock().await;
    let short = Stack::get().s3_short().to_string();
    let env = Env::new(
        "idp-cli",
        &[
            ("client_id", &q(FAULTS_CLIENT)),
            ("sts_endpoint", &q(&short)),
            ("s3_endpoint", &q(&short)),
        ],
    );
    let login = env.login(ALICE);
    assert!(login.status.success(), "{}", text(&login.stderr));

    idp_fault("POST", FAULTS_CLIENT, "503", 10);
    let out = env.run(&["ls"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let status: serde_json::Value = serde_json::from_str(&env.ok(&["whoami", "--json"])).unwrap();
    let expires = status["credentials_expire_at"].as_str().unwrap().to_string();
    let expires = time::OffsetDateTime::parse(&expires, &time::format_description::well_known::Rfc3339).unwrap();
    let left = (expires - time::OffsetDateTime::now_utc()).whole_seconds();
    tokio::time::sleep(Duration::from_secs(left.max(0) as u64 + 2)).await;

    let out = env.run(&["ls"]);
    idp_fault("POST", FAULTS_CLIENT, "off", 0);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("unavailable") && !stderr.contains("kura login"),
        "{stderr}"
    );
    assert!(env.ok(&["whoami"]).contains(ALICE_SUB));
    env.ok(&["ls"]);
    env.ok(&["logout"]);
}
