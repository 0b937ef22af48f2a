//! Attack tests (issue 10, "ID tokens: every bad token refused"): for each kind of bad ID token,
//! a sign-in whose token endpoint returns it is refused with `auth.invalid_id_token` and a
//! message naming what is wrong, before any AWS call.
//!
//! The tokens are signed with the local IdP's real RS256 key, read from the devstack state
//! (`$KURA_DEVSTACK_STATE/idp-jwks.json`, see devstack/idp/keys.mjs), or crafted (`alg: none`,
//! HS256 keyed with the public key, another RSA key). They reach Kura through the path a real
//! login takes: discovery (the real IdP's document, served by a stand-in issuer that only swaps
//! `issuer` and `token_endpoint`; `jwks_uri` is still the real IdP's), `start_login`, the
//! callback with the login's `state`, `complete_login` (the token endpoint response), then
//! `Session::sign_in` (STS) as the CLI and the desktop do. The profile's `sts_endpoint` is a
//! counting listener: no case may reach it. A refreshed token whose `sub` changed goes through
//! `Provider::refresh`.

mod signer;
mod stand_in;

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use kura_core::config::Config;
use kura_core::oidc::{Identity, TokenSet};
use kura_core::secrecy::SecretString;
use kura_core::session::Session;
use kura_core::store::TokenStore;
use openidconnect::core::CoreRsaPrivateSigningKey;
use serde_json::{json, Value};
use url::Url;

use signer::{idp_key, jwt, IdpKey, Signer};
use stand_in::{counting_sts, stand_in_issuer, StandIn};

const CLIENT_ID: &str = "kura-desktop";
const ALICE_SUB: &str = "auth0|alice0001";
/// A key made for tests only (not the IdP's): a signature by it is a forgery.
const FOREIGN_KEY: &str = include_str!("../../src/oidc/testdata/test-key-a.pem");

pub(crate) fn state_dir() -> PathBuf {
    std::env::var("KURA_DEVSTACK_STATE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../devstack/.state"))
}

/// A variable of the running stack's env file (fails when the stack is not up).
pub(crate) fn stack_var(name: &str) -> String {
    let env = std::fs::read_to_string(state_dir().join("env"))
        .unwrap_or_else(|e| panic!("the local stack is not running ({e}): start it with devstack/up"));
    env.lines()
        .find_map(|l| {
            l.trim_start_matches("export ")
                .strip_prefix(name)
                .and_then(|r| r.strip_prefix('='))
        })
        .map(|v| v.trim_matches('\'').trim_matches('"').to_string())
        .unwrap_or_else(|| panic!("{name} missing from the stack's env"))
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// What a case's token is made from.
struct Ctx<'a> {
    key: &'a IdpKey,
    /// The stand-in issuer, which the profile names (with its trailing slash).
    issuer: &'a str,
    /// The `nonce` of the login's authorize request.
    nonce: &'a str,
}

impl Ctx<'_> {
    /// The claims of a good ID token for this login.
    fn claims(&self) -> Value {
        json!({
            "iss": self.issuer,
            "sub": ALICE_SUB,
            "aud": CLIENT_ID,
            "iat": now(),
            "exp": now() + 3600,
            "nonce": self.nonce,
            "email": "alice@example.com",
        })
    }

    fn header(&self) -> Value {
        json!({ "typ": "JWT", "kid": self.key.kid })
    }

    /// A token with the good claims changed by `edit`, signed with the IdP's key.
    fn signed(&self, edit: impl FnOnce(&mut Value)) -> String {
        let mut claims = self.claims();
        edit(&mut claims);
        jwt(self.header(), &claims, Signer::Rsa(&self.key.private))
    }
}

/// One bad token: its name, how it is made, and words the error message must contain.
struct Case {
    name: &'static str,
    token: fn(&Ctx) -> String,
    names: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "not a JWT",
            token: |_| "not-a-jwt".into(),
            names: &["JWT"],
        },
        Case {
            name: "alg none",
            token: |c| jwt(c.header(), &c.claims(), Signer::Unsigned),
            names: &["`none`"],
        },
        Case {
            name: "HS256 keyed with the IdP's public key",
            token: |c| jwt(c.header(), &c.claims(), Signer::Hmac(c.key.public_pem.as_bytes())),
            names: &["`HS256`"],
        },
        Case {
            name: "signed by another key under the IdP's kid",
            token: |c| {
                let foreign = CoreRsaPrivateSigningKey::from_pem(FOREIGN_KEY, None).unwrap();
                jwt(c.header(), &c.claims(), Signer::Rsa(&foreign))
            },
            names: &["signature"],
        },
        Case {
            name: "unknown kid",
            token: |c| {
                jwt(
                    json!({ "typ": "JWT", "kid": "kura-dev-nobody" }),
                    &c.claims(),
                    Signer::Rsa(&c.key.private),
                )
            },
            names: &["\"kura-dev-nobody\"", "JWKS"],
        },
        Case {
            name: "iss of another issuer (the real IdP)",
            token: |c| c.signed(|t| t["iss"] = json!(stack_var("KURA_DEVSTACK_ISSUER"))),
            names: &["`iss`", "http://127.0.0.1:9400/"],
        },
        Case {
            name: "iss without the trailing slash",
            token: |c| c.signed(|t| t["iss"] = json!(c.issuer.trim_end_matches('/'))),
            names: &["`iss`", "trailing slash"],
        },
        Case {
            name: "aud of another client",
            token: |c| c.signed(|t| t["aud"] = json!("kura-shortlived")),
            names: &["`aud`", "kura-shortlived"],
        },
        Case {
            name: "an extra untrusted aud",
            token: |c| c.signed(|t| t["aud"] = json!([CLIENT_ID, "https://api.example.com/"])),
            names: &["`aud`", "https://api.example.com/"],
        },
        Case {
            name: "azp of another client",
            token: |c| c.signed(|t| t["azp"] = json!("kura-shortlived")),
            names: &["`azp`", "kura-shortlived"],
        },
        Case {
            name: "expired",
            token: |c| {
                c.signed(|t| {
                    t["iat"] = json!(now() - 7200);
                    t["exp"] = json!(now() - 60);
                })
            },
            names: &["expired"],
        },
        Case {
            name: "iat far in the future",
            token: |c| {
                c.signed(|t| {
                    t["iat"] = json!(now() + 3600);
                    t["exp"] = json!(now() + 7200);
                })
            },
            names: &["`iat`", "future"],
        },
        Case {
            name: "no nonce",
            token: |c| {
                c.signed(|t| {
                    t.as_object_mut().unwrap().remove("nonce");
                })
            },
            names: &["`nonce`"],
        },
        Case {
            name: "another login's nonce",
            token: |c| c.signed(|t| t["nonce"] = json!("a-nonce-from-another-login")),
            names: &["`nonce`"],
        },
    ]
}

fn session_for(issuer: &str, sts: &str, dir: &tempfile::TempDir) -> Session {
    let name = format!("idtokens-{}", std::process::id());
    let file = dir.path().join("config.toml");
    std::fs::write(
        &file,
        format!(
            "[profiles.{name}]\nissuer = {issuer:?}\nclient_id = {CLIENT_ID:?}\nrole_arn = {:?}\nbucket = {:?}\nsts_endpoint = {sts:?}\ns3_endpoint = {:?}\nforce_path_style = true\n",
            stack_var("KURA_DEVSTACK_ROLE_ARN"),
            stack_var("KURA_DEVSTACK_BUCKET"),
            stack_var("KURA_DEVSTACK_S3_ENDPOINT"),
        ),
    )
    .unwrap();
    let profile = Config::load(&file).unwrap().profile(Some(&name)).unwrap();
    Session::new(profile, Arc::new(TokenStore::memory()))
}

fn token_response(id_token: &str) -> String {
    json!({
        "access_token": "stand-in-access-token",
        "token_type": "Bearer",
        "expires_in": 3600,
        "refresh_token": "stand-in-refresh-token",
        "id_token": id_token,
    })
    .to_string()
}

fn query(url: &Url, name: &str) -> String {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("no {name} in the authorize URL"))
}

/// A sign-in as the front ends run it, with the token endpoint answering the token `make`
/// builds for the login's `nonce`: `complete_login` on the callback, then `Session::sign_in`.
async fn sign_in_with(
    session: &Session,
    stand_in: &StandIn,
    key: &IdpKey,
    make: fn(&Ctx) -> String,
) -> kura_core::Result<()> {
    let provider = session.provider().await.unwrap();
    let redirect_uri = "http://127.0.0.1:9/callback";
    let (authorize, pending) = provider.start_login(redirect_uri).unwrap();
    let ctx = Ctx {
        key,
        issuer: &stand_in.issuer,
        nonce: &query(&authorize, "nonce"),
    };
    *stand_in.token_response.lock().unwrap() = token_response(&make(&ctx));
    let callback = Url::parse(&format!(
        "{redirect_uri}?code=stand-in-code&state={}",
        query(&authorize, "state")
    ))
    .unwrap();
    let tokens = provider.complete_login(pending, &callback).await?;
    session.sign_in(tokens).await.map(|_| ())
}

#[tokio::test]
async fn every_bad_id_token_is_refused_before_any_aws_call() {
    let key = idp_key();
    let stand_in = stand_in_issuer().await;
    let (sts, sts_hits) = counting_sts().await;
    let dir = tempfile::tempdir().unwrap();
    let session = session_for(&stand_in.issuer, &sts, &dir);

    // The harness itself: a good token passes validation and reaches STS.
    let good = sign_in_with(&session, &stand_in, &key, |c| c.signed(|_| {})).await;
    let err = good.expect_err("the counting STS refuses every request");
    assert_ne!(err.code(), "auth.invalid_id_token", "a good token was refused: {err}");
    assert!(
        sts_hits.load(Ordering::SeqCst) >= 1,
        "a good token must reach STS ({err})"
    );
    sts_hits.store(0, Ordering::SeqCst);

    let mut accepted = vec![];
    for case in cases() {
        let before = stand_in.token_requests.load(Ordering::SeqCst);
        let result = sign_in_with(&session, &stand_in, &key, case.token).await;
        assert_eq!(
            stand_in.token_requests.load(Ordering::SeqCst),
            before + 1,
            "{}: the token endpoint was asked once",
            case.name
        );
        match result {
            Err(e) if e.code() == "auth.invalid_id_token" => {
                let message = e.to_string();
                for word in case.names {
                    if !message.contains(word) {
                        accepted.push(format!(
                            "{}: refused, but the message lacks {word}: {message}",
                            case.name
                        ));
                    }
                }
            }
            Err(e) => accepted.push(format!(
                "{}: {} instead of auth.invalid_id_token: {e}",
                case.name,
                e.code()
            )),
            Ok(()) => accepted.push(format!("{}: accepted", case.name)),
        }
        let hits = sts_hits.swap(0, Ordering::SeqCst);
        if hits > 0 {
            accepted.push(format!("{}: reached STS ({hits} requests)", case.name));
        }
    }
    assert!(
        accepted.is_empty(),
        "bad ID tokens not refused as they should be:\n{}",
        accepted.join("\n")
    );
}

/// OpenID Connect Core §12.2: a refreshed ID token must name the same `sub`.
#[tokio::test]
async fn a_refreshed_id_token_for_another_sub_is_refused() {
    let key = idp_key();
    let stand_in = stand_in_issuer().await;
    let (sts, sts_hits) = counting_sts().await;
    let dir = tempfile::tempdir().unwrap();
    let session = session_for(&stand_in.issuer, &sts, &dir);
    let provider = session.provider().await.unwrap();
    let ctx = Ctx {
        key: &key,
        issuer: &stand_in.issuer,
        nonce: "unused",
    };
    let previous = TokenSet {
        identity: Identity {
            issuer: stand_in.issuer.clone(),
            sub: ALICE_SUB.into(),
            email: None,
            name: None,
            preferred_username: None,
        },
        id_token: SecretString::from(ctx.signed(|_| {})),
        id_token_expires_at: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
        access_token: SecretString::from("old-access-token"),
        access_token_expires_at: None,
        refresh_token: Some(SecretString::from("old-refresh-token")),
    };
    // Refresh responses carry no nonce (OpenID Connect Core §12.2).
    let refreshed = |sub: &str| {
        token_response(&ctx.signed(|t| {
            t["sub"] = json!(sub);
            t.as_object_mut().unwrap().remove("nonce");
        }))
    };

    *stand_in.token_response.lock().unwrap() = refreshed(ALICE_SUB);
    let same = provider.refresh(&previous).await.unwrap();
    assert_eq!(same.identity.sub, ALICE_SUB);

    *stand_in.token_response.lock().unwrap() = refreshed("auth0|bob0002");
    let err = provider.refresh(&previous).await.unwrap_err();
    assert_eq!(err.code(), "auth.invalid_id_token", "{err}");
    assert!(err.to_string().contains("`sub`"), "{err}");
    assert_eq!(stand_in.token_requests.load(Ordering::SeqCst), 2);
    assert_eq!(sts_hits.load(Ordering::SeqCst), 0);
}
