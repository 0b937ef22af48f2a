//! Sign-in end to end through the real loopback listener, the device grant, refresh with
//! rotation, wrong password, tampered callback, sign-out — against the real IdP and STS.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use common::*;
use kura_core::store::TokenStore;

#[test]
fn login_whoami_logout_through_loopback() {
    let env = Env::new("login", &[]);
    let out = env.login(ALICE);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(ALICE_SUB), "{}", text(&out.stdout));

    let who: serde_json::Value = serde_json::from_str(&env.ok(&["whoami", "--json"])).unwrap();
    assert_eq!(who["identity"]["sub"], ALICE_SUB);
    assert_eq!(who["identity"]["email"], "alice@example.com");
    assert_eq!(who["prefix"], format!("users/{ALICE_SUB}/"));
    assert_eq!(
        who["persistent"], true,
        "the Secret Service keychain must be used in tests"
    );
    assert!(who["credentials_expire_at"].is_string());

    // The refresh token is in the OS keychain under service `kura`, account = profile.
    let rt = TokenStore::os().get(&env.profile).unwrap();
    assert!(rt.as_ref().is_some_and(|t| t.len() > 10));

    let refresh_token = rt.unwrap();
    env.ok(&["logout"]);
    // The IdP revoked the refresh token (RFC 7009): it can no longer be used.
    let token_endpoint = format!("{}oauth/token", env.stack.var("KURA_DEVSTACK_ISSUER"));
    let reuse = std::process::Command::new("curl")
        .args([
            "-s",
            "-w",
            "\n%{http_code}",
            &token_endpoint,
            "-d",
            "grant_type=refresh_token",
            "-d",
            "client_id=kura-desktop",
        ])
        .args(["--data-urlencode", &format!("refresh_token={refresh_token}")])
        .output()
        .unwrap();
    let answer = text(&reuse.stdout);
    assert!(answer.ends_with("400") && answer.contains("invalid_grant"), "{answer}");
    let out = env.run(&["whoami"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("not signed in"), "{}", text(&out.stderr));
    assert_eq!(TokenStore::os().get(&env.profile).unwrap(), None);
}

#[test]
fn wrong_password_never_signs_in() {
    let env = Env::new("badpw", &[]);
    let log = env.path("browser.log");
    let out = env
        .kura()
        .args(["login", "--timeout", "6"])
        .env("KURA_TEST_USER", "alice")
        .env("KURA_TEST_PASSWORD", "not-her-password")
        .env("KURA_TEST_BROWSER_LOG", &log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("no callback"), "{}", text(&out.stderr));
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("rejected the password"),
        "the IdP should have refused the password: {logged}"
    );
    assert_eq!(env.run(&["whoami"]).status.code(), Some(3));
}

#[test]
fn tampered_state_is_refused() {
    let env = Env::new("tamper", &[]);
    let browser = format!("{} --tamper-state", repo().join("devstack/test-browser").display());
    let out = env
        .kura()
        .args(["login", "--timeout", "8"])
        .env("BROWSER", browser)
        .env("KURA_TEST_USER", "alice")
        .env("KURA_TEST_PASSWORD", "alice-password")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("state"), "{}", text(&out.stderr));
    assert_eq!(env.run(&["whoami"]).status.code(), Some(3));
}

#[test]
fn device_grant_signs_in() {
    let env = Env::new("device", &[]);
    let mut child = env
        .kura()
        .args(["login", "--device"])
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Keep draining stderr after the URL: a closed pipe would break kura's later messages.
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(u) = line.strip_prefix("or open ") {
                let _ = tx.send(u.trim().to_string());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let url = rx.recv_timeout(Duration::from_secs(30)).ok();
    let url = url.expect("kura printed verification_uri_complete");
    let approved = std::process::Command::new(repo().join("devstack/test-browser"))
        .args(["--device", &url])
        .env("KURA_TEST_USER", "bob")
        .env("KURA_TEST_PASSWORD", "bob-password")
        .status()
        .unwrap();
    assert!(approved.success());
    let status = child.wait().unwrap();
    let stderr = reader.join().unwrap();
    assert!(status.success(), "{stderr}");
    let who: serde_json::Value = serde_json::from_str(&env.ok(&["whoami", "--json"])).unwrap();
    assert_eq!(who["identity"]["sub"], BOB_SUB);
}

/// With 20-second ID tokens and 30-second credentials, the next command must trade the refresh
/// token for a new ID token (rotating the refresh token) before calling STS again.
#[test]
fn refresh_rotates_the_refresh_token() {
    let env = Env::new(
        "rotate",
        &[
            ("client_id", "\"kura-shortlived\""),
            ("sts_endpoint", &format!("{:?}", Stack::get().s3_short())),
            ("s3_endpoint", &format!("{:?}", Stack::get().s3_short())),
        ],
    );
    assert!(env.login(ALICE).status.success());
    let rt1 = TokenStore::os().get(&env.profile).unwrap().unwrap();
    let who1: serde_json::Value = serde_json::from_str(&env.ok(&["whoami", "--json"])).unwrap();
    std::thread::sleep(Duration::from_secs(32));
    assert!(env.ok(&["ls"]).contains("welcome.txt"));
    let rt2 = TokenStore::os().get(&env.profile).unwrap().unwrap();
    assert_ne!(rt1, rt2, "the refresh token must have been rotated and replaced");
    let who2: serde_json::Value = serde_json::from_str(&env.ok(&["whoami", "--json"])).unwrap();
    assert_ne!(
        who1["id_token_expires_at"], who2["id_token_expires_at"],
        "a new ID token was obtained"
    );
    assert_ne!(who1["credentials_expire_at"], who2["credentials_expire_at"]);
}

/// Two commands in a row answer from the keychain: the second makes no STS call, so its
/// credentials are identical.
#[test]
fn consecutive_commands_reuse_stored_credentials() {
    let env = Env::new("reuse", &[]);
    assert!(env.login(ALICE).status.success());
    let a: serde_json::Value = serde_json::from_str(&env.ok(&["credential-process"])).unwrap();
    let b: serde_json::Value = serde_json::from_str(&env.ok(&["credential-process"])).unwrap();
    assert_eq!(a["Version"], 1);
    assert_eq!(a["AccessKeyId"], b["AccessKeyId"]);
    assert_eq!(a["Expiration"], b["Expiration"]);
}

/// Several processes needing a refresh at the same moment: the per-profile cross-process lock
/// lets one refresh (rotating the refresh token) and the others pick up its result. Without the
/// lock they would present the same refresh token twice, and the IdP's reuse detection would
/// revoke the whole session.
#[test]
fn concurrent_processes_refresh_once_without_burning_the_session() {
    let short = format!("{:?}", Stack::get().s3_short());
    let env = Env::new(
        "concurrent",
        &[
            ("client_id", "\"kura-shortlived\""),
            ("sts_endpoint", &short),
            ("s3_endpoint", &short),
        ],
    );
    assert!(env.login(ALICE).status.success());
    let rt1 = TokenStore::os().get(&env.profile).unwrap().unwrap();
    std::thread::sleep(Duration::from_secs(32)); // ID token (20 s) and credentials (30 s) expired
    let children: Vec<_> = (0..4)
        .map(|_| {
            env.kura()
                .arg("credential-process")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let creds: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(creds["AccessKeyId"].is_string());
    }
    let rt2 = TokenStore::os().get(&env.profile).unwrap().unwrap();
    assert_ne!(rt1, rt2);
    // The session survived: the newest refresh token is still good for the next refresh.
    std::thread::sleep(Duration::from_secs(21));
    assert!(env.ok(&["ls"]).contains("welcome.txt"));
}

#[test]
fn credential_process_needs_a_session() {
    let env = Env::new("credproc", &[]);
    let out = env.run(&["credential-process"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty(), "nothing on stdout for the AWS CLI to misread");
    assert!(text(&out.stderr).contains("kura login"), "{}", text(&out.stderr));
}
