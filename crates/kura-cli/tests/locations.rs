//! Several locations per profile and session tags, against the real local stack (run inside
//! `scripts/with-keyring.sh`): the IdP puts `tenant` in `https://aws.amazon.com/tags` (alice and
//! bob: acme, carol: globex, dave: none) and SeaweedFS' role policy grants
//! `tenants/${jwt:tenant}/shared/`.

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;

const CAROL: (&str, &str) = ("carol", "carol-password");
const DAVE: (&str, &str) = ("dave", "dave-password");

const LOCATIONS: &str = r#"
[[locations]]
name = "My files"
prefix = "users/{sub}/"
[[locations]]
name = "Team"
prefix = "tenants/{tag:tenant}/shared/"
"#;

/// An [`Env`] whose profile has the locations "My files" and "Team".
fn team_env(name: &str, overrides: &[(&str, &str)]) -> Env {
    let env = Env::new(name, overrides);
    let tables = LOCATIONS.replace("[[locations]]", &format!("[[profiles.{}.locations]]", env.profile));
    let mut f = std::fs::OpenOptions::new().append(true).open(&env.config).unwrap();
    f.write_all(tables.as_bytes()).unwrap();
    env
}

fn signed_in(name: &str, user: (&str, &str), overrides: &[(&str, &str)]) -> Env {
    let env = team_env(name, overrides);
    let out = env.login(user);
    assert!(out.status.success(), "login as {}: {}", user.0, text(&out.stderr));
    env
}

#[test]
fn alice_and_bob_share_their_tenants_team_folder() {
    let alice = signed_in("team-alice", ALICE, &[]);
    let bob = signed_in("team-bob", BOB, &[]);
    let who = alice.ok(&["whoami"]);
    assert!(who.contains("Team: s3://kura/tenants/acme/shared/"), "{who}");
    assert!(who.contains("My files: s3://kura/users/auth0|alice0001/"), "{who}");

    let tag = format!("{}-{}", std::process::id(), alice.profile);
    let (a_name, b_name) = (format!("from-alice-{tag}.txt"), format!("from-bob-{tag}.txt"));
    std::fs::write(alice.path(&a_name), format!("alice wrote this {tag}")).unwrap();
    std::fs::write(bob.path(&b_name), format!("bob wrote this {tag}")).unwrap();
    alice.ok(&["--location", "Team", "put", &a_name, "/"]);
    bob.ok(&["--location", "Team", "put", &b_name, "/"]);

    // Each sees the other's file (and the seeded one) in Team, and not in "My files".
    for env in [&alice, &bob] {
        let ls = env.ok(&["--location", "Team", "ls"]);
        assert!(
            ls.contains(&a_name) && ls.contains(&b_name) && ls.contains("welcome-acme.txt"),
            "{ls}"
        );
        let mine = env.ok(&["ls"]);
        assert!(!mine.contains(&a_name) && !mine.contains(&b_name), "{mine}");
    }
    std::fs::create_dir(bob.path("dl")).unwrap();
    bob.ok(&["--location", "Team", "get", &a_name, "dl"]);
    assert_eq!(
        std::fs::read_to_string(bob.path("dl").join(&a_name)).unwrap(),
        format!("alice wrote this {tag}")
    );
    // The objects really are under the tenant's prefix (read with the admin's keys).
    let rt = tokio::runtime::Runtime::new().unwrap();
    let stored = rt.block_on(alice.stack.admin_bytes(&format!("tenants/acme/shared/{b_name}")));
    assert_eq!(stored, format!("bob wrote this {tag}").as_bytes());

    alice.ok(&["--location", "Team", "rm", &a_name, &b_name]);
    let ls = bob.ok(&["--location", "Team", "ls"]);
    assert!(!ls.contains(&a_name) && !ls.contains(&b_name), "{ls}");
    let out = alice.run(&["--location", "Nope", "ls"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("no location \"Nope\""),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn carol_of_another_tenant_is_refused_by_the_server() {
    let carol = signed_in("team-carol", CAROL, &[]);
    let who = carol.ok(&["whoami"]);
    assert!(who.contains("Team: s3://kura/tenants/globex/shared/"), "{who}");
    let ls = carol.ok(&["--location", "Team", "ls"]);
    assert!(
        ls.contains("welcome-globex.txt") && !ls.contains("welcome-acme.txt"),
        "{ls}"
    );

    // Her own credentials, raw S3 requests to acme's folder: the server says AccessDenied.
    let creds: serde_json::Value = serde_json::from_str(&carol.ok(&["credential-process"])).unwrap();
    let s3 = s3_client(
        carol.stack.s3(),
        creds["AccessKeyId"].as_str().unwrap(),
        creds["SecretAccessKey"].as_str().unwrap(),
        creds["SessionToken"].as_str(),
    );
    let bucket = carol.stack.bucket().to_string();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let code = |e: &dyn aws_sdk_s3::error::ProvideErrorMetadata| e.code().map(str::to_string);
        let list = s3
            .list_objects_v2()
            .bucket(&bucket)
            .prefix("tenants/acme/shared/")
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&list).as_deref(), Some("AccessDenied"), "{list:?}");
        let put = s3
            .put_object()
            .bucket(&bucket)
            .key("tenants/acme/shared/from-carol.txt")
            .body(b"no".to_vec().into())
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&put).as_deref(), Some("AccessDenied"), "{put:?}");
        let get = s3
            .get_object()
            .bucket(&bucket)
            .key("tenants/acme/shared/welcome-acme.txt")
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&get).as_deref(), Some("AccessDenied"), "{get:?}");
        // While her own tenant's folder answers.
        s3.list_objects_v2()
            .bucket(&bucket)
            .prefix("tenants/globex/shared/")
            .send()
            .await
            .unwrap();
    });
}

/// A TCP listener standing in for S3 that counts the connections it gets.
fn counting_endpoint() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    std::thread::spawn(move || {
        for _ in listener.incoming() {
            c.fetch_add(1, Ordering::SeqCst);
        }
    });
    (url, count)
}

#[test]
fn dave_without_a_tenant_gets_a_coded_error_and_no_request() {
    let (s3, connections) = counting_endpoint();
    let endpoint = format!("{s3:?}");
    let dave = signed_in("team-dave", DAVE, &[("s3_endpoint", &endpoint)]);
    for args in [
        &["--location", "Team", "ls"][..],
        &["--location", "Team", "mkdir", "x/"],
        &["--location", "Team", "presign", "a.txt"],
    ] {
        let out = dave.run(args);
        let err = text(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            err.contains("{tag:tenant}") && err.contains("no such session tag"),
            "{args:?}: {err}"
        );
    }
    let who = dave.ok(&["whoami"]);
    assert!(who.contains("Team: unavailable [path.missing_claim]"), "{who}");
    let json: serde_json::Value = serde_json::from_str(&dave.ok(&["whoami", "--json"])).unwrap();
    assert_eq!(json["locations"][1]["error"]["code"], "path.missing_claim", "{json}");
    assert_eq!(json["locations"][0]["prefix"], "users/auth0|dave0004/", "{json}");
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "a request reached the S3 endpoint"
    );

    // The same through the core: the code, before any client exists.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let session = sign_in(dave.profile(), DAVE).await;
        let e = kura_core::storage::Storage::connect_location(session, Some("Team"))
            .await
            .err()
            .expect("no storage without a tenant");
        assert_eq!(e.code(), "path.missing_claim");
    });
    assert_eq!(connections.load(Ordering::SeqCst), 0);
}

#[test]
fn whoami_works_when_the_first_location_is_unavailable() {
    // Team first: dave has no tenant, so the default location cannot be rendered for him.
    let env = Env::new("team-first", &[("prefix", "")]);
    let tables = "[[profiles.P.locations]]\nname = \"Team\"\nprefix = \"tenants/{tag:tenant}/shared/\"\n[[profiles.P.locations]]\nname = \"My files\"\nprefix = \"users/{sub}/\"\n"
        .replace("profiles.P", &format!("profiles.{}", env.profile));
    let mut f = std::fs::OpenOptions::new().append(true).open(&env.config).unwrap();
    f.write_all(tables.as_bytes()).unwrap();
    let out = env.login(DAVE);
    assert!(out.status.success(), "login: {}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("first location is unavailable"),
        "{}",
        text(&out.stdout)
    );
    let who = env.ok(&["whoami"]);
    assert!(who.contains("folder:       unavailable"), "{who}");
    assert!(who.contains("Team: unavailable [path.missing_claim]"), "{who}");
    assert!(who.contains("My files: s3://kura/users/auth0|dave0004/"), "{who}");
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["whoami", "--json"])).unwrap();
    assert!(json["prefix"].is_null(), "{json}");
    // The other location still works.
    env.ok(&["--location", "My files", "ls"]);
}
