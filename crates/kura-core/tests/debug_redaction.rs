//! `Debug` of every core type that holds or can reach a secret prints none of it (issue 10:
//! "secrets never reach a log"). Each test builds the type with known secret strings and greps its
//! `{:?}` and `{:#?}` output for every one of them. Types that need the real identity provider to
//! exist (`PendingLogin`, `SigninUrl`, a signed-in `Session`) are checked in
//! `crates/kura-cli/tests/secrets.rs`; the keychain records (`Stored`, `StoredCredentials`,
//! `State`) have no `Debug` at all.

use std::path::Path;
use std::sync::Arc;

use base64::Engine as _;
use kura_core::config::{Config, Profile};
use kura_core::credentials::SessionCredentials;
use kura_core::oidc::{Identity, TokenSet};
use kura_core::secrecy::SecretString;
use kura_core::session::Session;
use kura_core::storage::Presigned;
use kura_core::store::TokenStore;
use kura_core::sts::{Sts, TemporaryCredentials};
use time::OffsetDateTime;

const ID_TOKEN_SIG: &str = "idtokensignatureSECRET0001";
const ACCESS_TOKEN: &str = "accesstokenSECRET0002";
const REFRESH_TOKEN: &str = "refreshtokenSECRET0003";
const SECRET_KEY: &str = "secretaccesskeySECRET0004";
const SESSION_TOKEN: &str = "sessiontokenSECRET0005";
const SIGNATURE: &str = "5ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2";

/// A JWT-shaped ID token whose payload names `sub` and whose signature is [`ID_TOKEN_SIG`].
fn id_token() -> String {
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.{ID_TOKEN_SIG}",
        b64(r#"{"alg":"RS256","kid":"k"}"#),
        b64(r#"{"iss":"https://idp.example.com/","sub":"auth0|debug","aud":"c","exp":4102444800}"#)
    )
}

fn secrets() -> Vec<String> {
    vec![
        id_token(),
        ID_TOKEN_SIG.to_string(),
        ACCESS_TOKEN.to_string(),
        REFRESH_TOKEN.to_string(),
        SECRET_KEY.to_string(),
        SESSION_TOKEN.to_string(),
        SIGNATURE.to_string(),
    ]
}

/// Fails when `{:?}` or `{:#?}` of `value` contains any known secret; returns the `{:?}` text.
fn assert_redacted(what: &str, value: &impl std::fmt::Debug) -> String {
    let (plain, pretty) = (format!("{value:?}"), format!("{value:#?}"));
    for secret in secrets() {
        assert!(!plain.contains(&secret), "Debug of {what} shows {secret:?}: {plain}");
        assert!(
            !pretty.contains(&secret),
            "{{:#?}} of {what} shows {secret:?}: {pretty}"
        );
    }
    plain
}

fn profile(extra: &str) -> Profile {
    let text = format!(
        "[profiles.dbg]\nissuer = \"https://idp.example.com/\"\nclient_id = \"c\"\nbucket = \"b-test\"\n{extra}"
    );
    Config::parse(Path::new("t.toml"), &text)
        .unwrap()
        .profile(None)
        .unwrap()
}

fn role_profile() -> Profile {
    profile("role_arn = \"arn:aws:iam::123456789012:role/R\"\nsts_endpoint = \"http://127.0.0.1:9\"\n")
}

fn token_set() -> TokenSet {
    TokenSet {
        identity: Identity {
            issuer: "https://idp.example.com/".into(),
            sub: "auth0|debug".into(),
            email: None,
            name: None,
            preferred_username: None,
        },
        id_token: SecretString::from(id_token()),
        id_token_expires_at: OffsetDateTime::now_utc() + time::Duration::hours(1),
        access_token: SecretString::from(ACCESS_TOKEN.to_string()),
        access_token_expires_at: None,
        refresh_token: Some(SecretString::from(REFRESH_TOKEN.to_string())),
    }
}

fn credentials() -> TemporaryCredentials {
    TemporaryCredentials {
        access_key_id: "ASIADEBUG".into(),
        secret_access_key: SecretString::from(SECRET_KEY.to_string()),
        session_token: SecretString::from(SESSION_TOKEN.to_string()),
        expiration: OffsetDateTime::now_utc() + time::Duration::hours(1),
    }
}

/// The keychain record `<profile>:session` as the session writes it (see `session/stored.rs`).
fn stored_session_json() -> String {
    serde_json::json!({
        "identity": {"issuer": "https://idp.example.com/", "sub": "auth0|debug",
                     "email": null, "name": null, "preferred_username": null},
        "id_token": id_token(),
        "id_token_expires_at": OffsetDateTime::now_utc().unix_timestamp() + 3600,
        "access_token": ACCESS_TOKEN,
        "access_token_expires_at": null,
        "credentials": {"access_key_id": "ASIADEBUG", "secret_access_key": SECRET_KEY,
                        "session_token": SESSION_TOKEN,
                        "expiration": OffsetDateTime::now_utc().unix_timestamp() + 3600},
    })
    .to_string()
}

#[test]
fn token_sets_show_no_token() {
    let shown = assert_redacted("TokenSet", &token_set());
    assert!(shown.contains("auth0|debug"), "the identity is still shown: {shown}");
}

#[test]
fn temporary_credentials_show_the_key_id_only() {
    let shown = assert_redacted("TemporaryCredentials", &credentials());
    assert!(shown.contains("ASIADEBUG"), "{shown}");
}

#[test]
fn the_memory_token_store_shows_no_stored_value() {
    let store = TokenStore::memory();
    store.set("dbg", REFRESH_TOKEN).unwrap();
    store.set("dbg:session", &stored_session_json()).unwrap();
    assert_eq!(store.get("dbg").unwrap().as_deref(), Some(REFRESH_TOKEN));
    let shown = assert_redacted("TokenStore (memory, two values)", &store);
    assert!(shown.contains("dbg:session"), "the accounts may be named: {shown}");
}

#[test]
fn presigned_urls_show_neither_signature_nor_session_token() {
    let p = Presigned {
        url: format!(
            "https://b-test.s3.amazonaws.com/users/u/a.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=ASIADEBUG%2F20260101%2Fus-east-1%2Fs3%2Faws4_request\
             &X-Amz-Security-Token={SESSION_TOKEN}&X-Amz-Signature={SIGNATURE}"
        ),
        expires_at: OffsetDateTime::now_utc(),
        capped: false,
    };
    let shown = assert_redacted("Presigned", &p);
    assert!(!shown.contains("X-Amz-Credential"), "no query at all: {shown}");
}

#[test]
fn clients_show_no_secret() {
    assert_redacted("Sts", &Sts::new(&role_profile()));
    let pool = profile(
        "identity_pool_id = \"us-east-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001\"\n\
         identity_provider = \"idp.example.com\"\n",
    );
    let ip = pool.identity_pool.clone().unwrap();
    assert_redacted(
        "IdentityPoolClient",
        &kura_core::cognito::IdentityPoolClient::new(&pool, &ip),
    );
}

/// A session loaded from a store holding every secret (no network: the stored credentials are
/// fresh), then the session, its credentials provider and its store.
#[tokio::test]
async fn a_loaded_session_shows_no_secret() {
    let state = tempfile::tempdir().unwrap();
    std::env::set_var("KURA_STATE_DIR", state.path());
    let store = Arc::new(TokenStore::memory());
    store.set("dbg", REFRESH_TOKEN).unwrap();
    store.set("dbg:session", &stored_session_json()).unwrap();
    let session = Arc::new(Session::new(role_profile(), store.clone()));
    let creds = session.credentials().await.unwrap();
    assert_eq!(
        creds.access_key_id, "ASIADEBUG",
        "read back from the store, no STS call"
    );
    assert!(session.status().await.unwrap().is_some());
    assert_redacted("Session", &session);
    assert_redacted("SessionCredentials", &SessionCredentials(session.clone()));
    assert_redacted("the session's TokenStore", &store);
    assert_redacted("credentials from the session", &creds);
}
