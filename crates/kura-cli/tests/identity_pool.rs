//! Amazon Cognito identity pools against the real local stack (run inside
//! `scripts/with-keyring.sh`): the devstack's Cognito Identity stand-in (JSON 1.1, port 9420)
//! verifies the IdP's ID token, maps each user to a stable `REGION:UUID` identity, mints its own
//! OpenID token, and SeaweedFS' STS trusts that token for the role `KuraCognitoAuth`, whose
//! policy confines each identity to `cognito/${jwt:sub}/` — the server enforces the boundary.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use kura_core::store::TokenStore;

/// Profile keys for the stack's identity pool `pool_var` (an env name) and `flow`.
fn pool_keys(stack: &Stack, pool_var: &str, flow: &str) -> Vec<(String, String)> {
    let q = |v: &str| format!("{v:?}");
    let mut keys = vec![
        ("identity_pool_id".to_string(), q(stack.var(pool_var))),
        (
            "identity_provider".to_string(),
            q(stack.var("KURA_DEVSTACK_IDENTITY_PROVIDER")),
        ),
        (
            "cognito_endpoint".to_string(),
            q(stack.var("KURA_DEVSTACK_COGNITO_ENDPOINT")),
        ),
        ("prefix".to_string(), q("cognito/{identity_id}/")),
        ("cognito_flow".to_string(), q(flow)),
    ];
    // The enhanced flow needs no role; the basic flow assumes the Cognito role itself.
    let role = match flow {
        "basic" => q(stack.var("KURA_DEVSTACK_COGNITO_ROLE_ARN")),
        _ => String::new(),
    };
    keys.push(("role_arn".to_string(), role));
    keys
}

fn pool_env(name: &str, pool_var: &str, flow: &str, extra: &[(&str, &str)]) -> Env {
    let keys = pool_keys(&Stack::get(), pool_var, flow);
    let mut overrides: Vec<(&str, &str)> = keys.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    overrides.extend_from_slice(extra);
    Env::new(name, &overrides)
}

fn whoami(env: &Env) -> serde_json::Value {
    serde_json::from_str(&env.ok(&["whoami", "--json"])).unwrap()
}

/// Signs `user` in through the CLI and returns their identity ID, checked against the prefix.
fn login(env: &Env, user: (&str, &str)) -> String {
    let out = env.login(user);
    assert!(out.status.success(), "login as {}: {}", user.0, text(&out.stderr));
    let who = whoami(env);
    let id = who["identity_id"].as_str().expect("identity_id in whoami").to_string();
    let (region, uuid) = id.split_once(':').expect("REGION:UUID");
    assert_eq!(region, "us-east-1", "{id}");
    assert_eq!(uuid.len(), 36, "{id}");
    assert_eq!(who["prefix"], format!("cognito/{id}/"), "{who}");
    id
}

/// Both flows: each identity works in its own `cognito/<id>/`, and every request with its own
/// credentials into the other's folder (or the role-based `users/` area) is denied by the server.
fn two_identities_are_confined(flow: &str) {
    let alice = pool_env(&format!("pool-{flow}-a"), "KURA_DEVSTACK_IDENTITY_POOL", flow, &[]);
    let bob = pool_env(&format!("pool-{flow}-b"), "KURA_DEVSTACK_IDENTITY_POOL", flow, &[]);
    let alice_id = login(&alice, ALICE);
    let bob_id = login(&bob, BOB);
    assert_ne!(alice_id, bob_id);

    // The identity ID is the same on the next sign-in (the pool's mapping, not a local guess).
    alice.ok(&["logout"]);
    assert_eq!(login(&alice, ALICE), alice_id, "stable identity ID");
    let who = alice.ok(&["whoami"]);
    assert!(who.contains(&format!("identity:     {alice_id}")), "{who}");

    let tag = format!("{}-{flow}", std::process::id());
    let name = format!("pool-{tag}.txt");
    std::fs::write(alice.path(&name), format!("alice via the {flow} flow")).unwrap();
    alice.ok(&["put", &name, "/"]);
    assert!(alice.ok(&["ls"]).contains(&name));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let stored = rt.block_on(alice.stack.admin_bytes(&format!("cognito/{alice_id}/{name}")));
    assert_eq!(stored, format!("alice via the {flow} flow").as_bytes());
    assert!(!bob.ok(&["ls"]).contains(&name), "bob's folder is his own");

    // Bob's own credentials, raw S3 requests: alice's folder and users/ are denied.
    let creds: serde_json::Value = serde_json::from_str(&bob.ok(&["credential-process"])).unwrap();
    let s3 = s3_client(
        bob.stack.s3(),
        creds["AccessKeyId"].as_str().unwrap(),
        creds["SecretAccessKey"].as_str().unwrap(),
        creds["SessionToken"].as_str(),
    );
    let bucket = bob.stack.bucket().to_string();
    rt.block_on(async {
        let code = |e: &dyn aws_sdk_s3::error::ProvideErrorMetadata| e.code().map(str::to_string);
        for prefix in [
            format!("cognito/{alice_id}/"),
            format!("users/{BOB_SUB}/"),
            "cognito/".into(),
        ] {
            let e = s3
                .list_objects_v2()
                .bucket(&bucket)
                .prefix(&prefix)
                .send()
                .await
                .unwrap_err();
            assert_eq!(code(&e).as_deref(), Some("AccessDenied"), "list {prefix}: {e:?}");
        }
        let e = s3
            .get_object()
            .bucket(&bucket)
            .key(format!("cognito/{alice_id}/{name}"))
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&e).as_deref(), Some("AccessDenied"), "{e:?}");
        let e = s3
            .put_object()
            .bucket(&bucket)
            .key(format!("cognito/{alice_id}/from-bob.txt"))
            .body(b"no".to_vec().into())
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&e).as_deref(), Some("AccessDenied"), "{e:?}");
        // His own folder answers with the same credentials.
        s3.put_object()
            .bucket(&bucket)
            .key(format!("cognito/{bob_id}/from-bob-{tag}.txt"))
            .body(b"mine".to_vec().into())
            .send()
            .await
            .unwrap();
        s3.delete_object()
            .bucket(&bucket)
            .key(format!("cognito/{bob_id}/from-bob-{tag}.txt"))
            .send()
            .await
            .unwrap();
    });
    alice.ok(&["rm", &name]);
}

#[test]
fn enhanced_flow_confines_each_identity_to_its_folder() {
    two_identities_are_confined("enhanced");
}

#[test]
fn basic_flow_confines_each_identity_to_its_folder() {
    two_identities_are_confined("basic");
}

#[test]
fn the_flows_share_the_pools_identity() {
    let enhanced = pool_env("pool-same-e", "KURA_DEVSTACK_IDENTITY_POOL", "enhanced", &[]);
    let basic = pool_env("pool-same-b", "KURA_DEVSTACK_IDENTITY_POOL", "basic", &[]);
    assert_eq!(login(&enhanced, ALICE), login(&basic, ALICE));
}

#[tokio::test(flavor = "multi_thread")]
async fn pool_errors_are_coded() {
    let unknown_pool = format!("{:?}", "us-east-1:0b5a3b7e-5d0c-4c8e-9a7a-6b75726100ff");
    let cases = [
        (
            "pool-nf",
            "KURA_DEVSTACK_IDENTITY_POOL",
            "enhanced",
            vec![("identity_pool_id", unknown_pool.as_str())],
            "cognito.not_found",
            "ResourceNotFoundException",
        ),
        (
            "pool-np",
            "KURA_DEVSTACK_IDENTITY_POOL",
            "enhanced",
            vec![("identity_provider", "\"login.example.com\"")],
            "cognito.refused",
            "NotAuthorizedException",
        ),
        (
            "pool-nc",
            "KURA_DEVSTACK_IDENTITY_POOL_NOCLASSIC",
            "basic",
            vec![],
            "cognito.failed",
            "InvalidParameterException",
        ),
    ];
    for (name, pool, flow, extra, code, service_code) in cases {
        let env = pool_env(name, pool, flow, &extra);
        // The core's code and the service's code, kept.
        let session = kura_core::session::Session::new(env.profile(), Arc::new(TokenStore::memory()));
        let tokens = login_tokens(&session, ALICE).await;
        let e = session.sign_in(tokens).await.unwrap_err();
        assert_eq!(e.code(), code, "{name}: {e}");
        match &e {
            kura_core::Error::Cognito { error, .. } => {
                assert_eq!(error.code.as_deref(), Some(service_code), "{name}")
            }
            other => panic!("{name}: {other:?}"),
        }
        // The CLI says what failed and what to check.
        let out = tokio::task::spawn_blocking(move || {
            let out = env.login(ALICE);
            (out.status.success(), text(&out.stderr))
        })
        .await
        .unwrap();
        assert!(!out.0, "{name}");
        assert!(
            out.1.contains(service_code) && out.1.contains("check"),
            "{name}: {}",
            out.1
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_identity_id_is_remembered_per_profile_and_replaced_when_stale() {
    let env = pool_env("pool-remember", "KURA_DEVSTACK_IDENTITY_POOL", "enhanced", &[]);
    let store = Arc::new(TokenStore::memory());
    let account = format!("{}:identity", env.profile);
    let session = kura_core::session::Session::new(env.profile(), store.clone());
    let tokens = login_tokens(&session, ALICE).await;
    let status = session.sign_in(tokens).await.unwrap();
    let id = status.identity_id.clone().unwrap();
    let remembered: serde_json::Value = serde_json::from_str(&store.get(&account).unwrap().unwrap()).unwrap();
    assert_eq!(remembered["identity_id"], id.as_str());
    assert_eq!(remembered["sub"], ALICE_SUB);

    // Signing out keeps the remembered identity (an identifier, not a credential).
    assert!(session.sign_out().await.unwrap());
    assert!(store.get(&account).unwrap().is_some());

    // A remembered ID the pool does not know (another pool's, a deleted identity) is replaced.
    let stale = remembered
        .to_string()
        .replace(&id, "us-east-1:00000000-0000-4000-8000-000000000000");
    store.set(&account, &stale).unwrap();
    let session = kura_core::session::Session::new(env.profile(), store.clone());
    let tokens = login_tokens(&session, ALICE).await;
    assert_eq!(
        session.sign_in(tokens).await.unwrap().identity_id.as_deref(),
        Some(id.as_str())
    );
    let fixed: serde_json::Value = serde_json::from_str(&store.get(&account).unwrap().unwrap()).unwrap();
    assert_eq!(fixed["identity_id"], id.as_str());

    // Removing the profile's stored data removes it too.
    assert!(kura_core::session::delete_stored(&store, &env.profile).unwrap());
    assert!(store.get(&account).unwrap().is_none());
}

/// The short pool's credentials (its STS is the 30-second gateway) expire during a slow
/// transfer: parts sent afterwards are refused, Kura gets new ones from the pool, no part fails.
async fn short_credentials_fail_no_part(flow: &str) {
    let short = format!("{:?}", Stack::get().s3_short());
    let env = pool_env(
        &format!("pool-short-{flow}"),
        "KURA_DEVSTACK_IDENTITY_POOL_SHORT",
        flow,
        &[("sts_endpoint", &short), ("s3_endpoint", &short)],
    );
    let session = sign_in(env.profile(), ALICE).await;
    let session = Arc::new(
        Arc::try_unwrap(session)
            .unwrap_or_else(|_| panic!("unshared"))
            .with_late_refresh(Duration::from_secs(3600)),
    );
    let first = session.credentials().await.unwrap();
    assert!(
        first.seconds_left() <= 31,
        "30 s credentials, got {}",
        first.seconds_left()
    );
    let prefix = session.prefix().await.unwrap();
    assert!(prefix.as_str().starts_with("cognito/us-east-1:"), "{prefix:?}");
    let keys = common::faults::slow_round_trip(&env, session, &data(11 * (5 << 20) + 5, 9)).await;
    assert_ne!(keys.after_upload, keys.first, "renewed mid-upload");
}

#[tokio::test(flavor = "multi_thread")]
async fn enhanced_flow_credentials_expiring_mid_transfer_fail_no_part() {
    short_credentials_fail_no_part("enhanced").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn basic_flow_credentials_expiring_mid_transfer_fail_no_part() {
    short_credentials_fail_no_part("basic").await;
}
