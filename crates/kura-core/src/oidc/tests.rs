//! ID token checks with tokens signed by test keys (`testdata/test-key-*.pem`: RSA keys made for
//! these tests only): `azp`, `token_use`, the `iat` clock skew, and the JWKS refetch on an
//! unknown `kid`. Every other bad token is refused in `tests/idtokens.rs` (the real IdP's key).

use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use openidconnect::core::{
    CoreGenderClaim, CoreIdToken, CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreResponseType, CoreRsaPrivateSigningKey, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalClaims, Audience, AuthUrl, ClientId, IdToken, IdTokenClaims, IssuerUrl, JsonWebKeyId, JsonWebKeySetUrl,
    PrivateSigningKey, ResponseTypes, StandardClaims, SubjectIdentifier,
};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{keys::KeySet, ExtraMetadata, Metadata, Provider};

const ISSUER: &str = "https://tenant.example.com/";
const CLIENT_ID: &str = "kura-test";
const KEY_A: &str = include_str!("testdata/test-key-a.pem");
const KEY_B: &str = include_str!("testdata/test-key-b.pem");

fn key(pem: &str, kid: &str) -> CoreRsaPrivateSigningKey {
    CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(kid.into()))).unwrap()
}

fn jwks(keys: &[&CoreRsaPrivateSigningKey]) -> CoreJsonWebKeySet {
    CoreJsonWebKeySet::new(keys.iter().map(|k| k.as_verification_key()).collect())
}

/// Cognito's extra claim, so tests can sign tokens that carry it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Extra {
    #[serde(skip_serializing_if = "Option::is_none")]
    token_use: Option<String>,
}
impl AdditionalClaims for Extra {}

/// An ID token for `CLIENT_ID` valid for an hour, signed by `key`.
fn token(key: &CoreRsaPrivateSigningKey, azp: Option<&str>, token_use: Option<&str>) -> CoreIdToken {
    token_issued(key, azp, token_use, chrono_now())
}

/// An ID token for `CLIENT_ID` issued at `iat`, valid until an hour after it.
fn token_issued(
    key: &CoreRsaPrivateSigningKey,
    azp: Option<&str>,
    token_use: Option<&str>,
    iat: chrono::DateTime<chrono::Utc>,
) -> CoreIdToken {
    let claims = IdTokenClaims::new(
        IssuerUrl::new(ISSUER.into()).unwrap(),
        vec![Audience::new(CLIENT_ID.into())],
        iat + chrono::Duration::hours(1),
        iat,
        StandardClaims::new(SubjectIdentifier::new("auth0|test0001".into())),
        Extra {
            token_use: token_use.map(str::to_string),
        },
    )
    .set_authorized_party(azp.map(|a| ClientId::new(a.into())));
    let signed = IdToken::<Extra, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>::new(
        claims,
        key,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .unwrap();
    CoreIdToken::from_str(&signed.to_string()).unwrap()
}

fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(time::OffsetDateTime::now_utc().unix_timestamp(), 0).unwrap()
}

/// A provider that knows `cached` keys and whose `jwks_uri` is `jwks_uri`.
fn provider(cached: CoreJsonWebKeySet, jwks_uri: &str) -> Provider {
    let metadata = Metadata::new(
        IssuerUrl::new(ISSUER.into()).unwrap(),
        AuthUrl::new(format!("{ISSUER}authorize")).unwrap(),
        JsonWebKeySetUrl::new(jwks_uri.into()).unwrap(),
        vec![ResponseTypes::new(vec![CoreResponseType::Code])],
        vec![CoreSubjectIdentifierType::Public],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
        ExtraMetadata::default(),
    );
    Provider {
        issuer: ISSUER.into(),
        client_id: CLIENT_ID.into(),
        scopes: vec!["openid".into()],
        audience: None,
        extra_authorize_params: vec![],
        keys: Arc::new(KeySet::new(cached.clone())),
        metadata: metadata.set_jwks(cached),
        http: openidconnect::reqwest::Client::new(),
    }
}

/// Serves `body` as the JWKS on a local port, counting requests; returns its URL.
async fn jwks_server(body: String, hits: Arc<AtomicUsize>) -> String {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf).await;
            hits.fetch_add(1, Ordering::SeqCst);
            let msg = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(msg.as_bytes()).await;
        }
    });
    url
}

#[tokio::test]
async fn a_valid_token_passes_with_or_without_azp_and_token_use() {
    let a = key(KEY_A, "a");
    let p = provider(jwks(&[&a]), "https://tenant.example.com/jwks.json");
    for t in [
        token(&a, None, None),
        token(&a, Some(CLIENT_ID), None),
        token(&a, None, Some("id")),
    ] {
        let (identity, _) = p.validate_id_token(&t, None).await.unwrap();
        assert_eq!(identity.sub, "auth0|test0001");
    }
}

/// OpenID Connect Core §3.1.3.7 step 10: a provider clock a little ahead is tolerated
/// ([`super::MAX_CLOCK_SKEW`]); a token issued further in the future is refused.
#[tokio::test]
async fn iat_within_the_clock_skew_passes_beyond_it_is_refused() {
    let a = key(KEY_A, "a");
    let p = provider(jwks(&[&a]), "https://tenant.example.com/jwks.json");
    let skew = chrono::Duration::from_std(super::MAX_CLOCK_SKEW).unwrap();
    let ahead = token_issued(&a, None, None, chrono_now() + skew - chrono::Duration::seconds(30));
    p.validate_id_token(&ahead, None).await.unwrap();

    let too_far = token_issued(&a, None, None, chrono_now() + skew + chrono::Duration::seconds(30));
    let err = p.validate_id_token(&too_far, None).await.unwrap_err();
    assert_eq!(err.code(), "auth.invalid_id_token");
    assert!(err.to_string().contains("`iat`"), "{err}");
}

#[tokio::test]
async fn azp_naming_another_client_is_refused() {
    let a = key(KEY_A, "a");
    let p = provider(jwks(&[&a]), "https://tenant.example.com/jwks.json");
    let err = p
        .validate_id_token(&token(&a, Some("some-other-app"), None), None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "auth.invalid_id_token");
    assert!(
        err.to_string().contains("`azp`") && err.to_string().contains("some-other-app"),
        "{err}"
    );
}

#[tokio::test]
async fn a_cognito_access_token_is_not_an_id_token() {
    let a = key(KEY_A, "a");
    let p = provider(jwks(&[&a]), "https://tenant.example.com/jwks.json");
    let err = p
        .validate_id_token(&token(&a, None, Some("access")), None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "auth.invalid_id_token");
    assert!(err.to_string().contains("`token_use` is \"access\""), "{err}");
}

#[tokio::test]
async fn an_unknown_kid_fetches_the_jwks_again_but_not_too_often() {
    let (a, b) = (key(KEY_A, "a"), key(KEY_B, "b"));
    let hits = Arc::new(AtomicUsize::new(0));
    // The provider rotated to key b: its JWKS now lists both; Kura cached only a.
    let url = jwks_server(serde_json::to_string(&jwks(&[&b, &a])).unwrap(), hits.clone()).await;
    let p = provider(jwks(&[&a]), &url);
    assert_eq!(p.key_ids(), ["a"]);

    p.validate_id_token(&token(&a, None, None), None).await.unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 0, "a known kid needs no fetch");

    let (identity, _) = p.validate_id_token(&token(&b, None, None), None).await.unwrap();
    assert_eq!(identity.sub, "auth0|test0001");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert_eq!(p.key_ids(), ["b", "a"]);
    // Clones share the refreshed keys.
    p.clone().validate_id_token(&token(&b, None, None), None).await.unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 1);

    // A kid nobody publishes: no second fetch within the interval, and a clear error.
    let stray = key(KEY_A, "stray");
    let err = p.validate_id_token(&token(&stray, None, None), None).await.unwrap_err();
    assert_eq!(hits.load(Ordering::SeqCst), 1, "refetches are rate limited");
    assert_eq!(err.code(), "auth.invalid_id_token");
    assert!(err.to_string().contains("\"stray\""), "{err}");
}

#[tokio::test]
async fn without_a_refetch_the_rotated_key_is_unknown() {
    let (a, b) = (key(KEY_A, "a"), key(KEY_B, "b"));
    // The JWKS endpoint is unreachable: the cached set (a only) is all there is.
    let p = provider(jwks(&[&a]), "http://127.0.0.1:9/jwks.json");
    let err = p.validate_id_token(&token(&b, None, None), None).await.unwrap_err();
    assert_eq!(err.code(), "auth.invalid_id_token");
    assert!(err.to_string().contains("\"b\""), "{err}");
}

fn query(url: &url::Url, name: &str) -> String {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap()
}

async fn get(port: u16, target: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    s.write_all(format!("GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}

/// RFC 6749 §4.1.2.1 through the loopback listener and `complete_login`: a forged `error`
/// callback (no `state`) is refused and the sign-in goes on; the provider's own `error` answer
/// (with this login's `state`) ends it with `auth.denied`, its `error_description` shown safely
/// (no terminal escapes, HTML escaped in the page); `invalid_scope` gives `auth.invalid_scope`.
#[tokio::test]
async fn a_callback_with_error_ends_the_sign_in_with_auth_denied() {
    use super::loopback::LoopbackListener;
    let a = key(KEY_A, "a");
    for (error, code) in [
        ("access_denied", "auth.denied"),
        ("invalid_scope", "auth.invalid_scope"),
    ] {
        let p = provider(jwks(&[&a]), "https://tenant.example.com/jwks.json");
        let l = LoopbackListener::bind().await.unwrap();
        let port = url::Url::parse(l.redirect_uri()).unwrap().port().unwrap();
        let (authorize, pending) = p.start_login(l.redirect_uri()).unwrap();
        let state = query(&authorize, "state");
        let server = tokio::spawn(async move {
            l.receive(
                std::time::Duration::from_secs(10),
                pending,
                move |login, cb| async move { p.complete_login(login, &cb).await },
            )
            .await
        });
        let forged = get(port, &format!("/callback?error={error}")).await;
        assert!(forged.starts_with("HTTP/1.1 400"), "{forged}");
        assert!(!server.is_finished(), "a forged error callback ended the sign-in");

        let description = "No%20%3Cb%3Eway%3C%2Fb%3E%1B%5B2J%E2%80%AE";
        let page = get(
            port,
            &format!("/callback?error={error}&error_description={description}&state={state}"),
        )
        .await;
        assert!(page.starts_with("HTTP/1.1 400"), "{page}");
        assert!(page.contains("No &lt;b&gt;way&lt;/b&gt;?[2J?"), "{page}");
        let err = server.await.unwrap().unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        let message = err.to_string();
        assert!(
            message.contains(error) && message.contains("No <b>way</b>?[2J?"),
            "{message}"
        );
        assert!(
            !message.contains('\u{1b}') && !message.contains('\u{202e}'),
            "{message:?}"
        );
    }
}
