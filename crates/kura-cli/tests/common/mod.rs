//! Helpers for end-to-end tests against the real local stack (`devstack/up`): the oidc-provider
//! IdP and SeaweedFS S3/STS. Each test gets its own profile name (so its keychain entries are its
//! own), config file and lock dir. Tests fail — never skip — when the stack is not running.
#![allow(dead_code)]

pub(crate) mod faults;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use kura_core::config::{Config, Profile};
use kura_core::oidc::loopback::LoopbackListener;
use kura_core::session::Session;
use kura_core::store::TokenStore;

pub(crate) const ALICE: (&str, &str) = ("alice", "alice-password");
pub(crate) const BOB: (&str, &str) = ("bob", "bob-password");
pub(crate) const ALICE_SUB: &str = "auth0|alice0001";
pub(crate) const BOB_SUB: &str = "auth0|bob0002";

pub(crate) fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The running stack's facts from `$KURA_DEVSTACK_STATE/env`.
pub(crate) struct Stack {
    vars: HashMap<String, String>,
}

impl Stack {
    pub(crate) fn get() -> Stack {
        let state = std::env::var("KURA_DEVSTACK_STATE")
            .map(PathBuf::from)
            .unwrap_or_else(|_| repo().join("devstack/.state"));
        let text = std::fs::read_to_string(state.join("env")).unwrap_or_else(|e| {
            panic!("the local stack is not running ({e} reading {}/env): start it with devstack/up, or run scripts/test.sh", state.display())
        });
        let vars = text
            .lines()
            .filter_map(|l| l.trim_start_matches("export ").split_once('='))
            .map(|(k, v)| {
                (
                    k.trim().to_string(),
                    v.trim().trim_matches('\'').trim_matches('"').to_string(),
                )
            })
            .collect();
        Stack { vars }
    }

    pub(crate) fn var(&self, k: &str) -> &str {
        self.vars
            .get(k)
            .unwrap_or_else(|| panic!("{k} missing from the stack's env file"))
    }

    pub(crate) fn s3(&self) -> &str {
        self.var("KURA_DEVSTACK_S3_ENDPOINT")
    }

    pub(crate) fn s3_short(&self) -> &str {
        self.var("KURA_DEVSTACK_S3_SHORT_ENDPOINT")
    }

    pub(crate) fn bucket(&self) -> &str {
        self.var("KURA_DEVSTACK_BUCKET")
    }

    /// An object's bytes, read with the admin's keys (independent of Kura).
    pub(crate) async fn admin_bytes(&self, key: &str) -> Vec<u8> {
        let out = self
            .admin()
            .get_object()
            .bucket(self.bucket())
            .key(key)
            .send()
            .await
            .unwrap();
        out.body.collect().await.unwrap().into_bytes().to_vec()
    }

    /// An S3 client with the admin's static keys (for setup and inspection only).
    pub(crate) fn admin(&self) -> aws_sdk_s3::Client {
        s3_client(
            self.s3(),
            self.var("KURA_DEVSTACK_ADMIN_ACCESS_KEY"),
            self.var("KURA_DEVSTACK_ADMIN_SECRET_KEY"),
            None,
        )
    }
}

/// A raw S3 client with explicit credentials (no Kura code in the way).
pub(crate) fn s3_client(endpoint: &str, access_key: &str, secret: &str, token: Option<&str>) -> aws_sdk_s3::Client {
    let creds = aws_credential_types::Credentials::new(access_key, secret, token.map(str::to_string), None, "test");
    let conf = aws_sdk_s3::Config::builder()
        .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
        .region(aws_sdk_s3::config::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .force_path_style(true)
        .credentials_provider(creds)
        .build();
    aws_sdk_s3::Client::from_conf(conf)
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// One test's isolated Kura environment.
pub(crate) struct Env {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
    pub profile: String,
    pub stack: Stack,
}

impl Env {
    /// A profile like the stack's `local`, with `overrides` (`key`, TOML value) applied.
    pub(crate) fn new(name: &str, overrides: &[(&str, &str)]) -> Env {
        let stack = Stack::get();
        let dir = tempfile::tempdir().unwrap();
        let profile = format!(
            "t-{name}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut keys: Vec<(String, String)> = vec![
            ("issuer".into(), format!("{:?}", stack.var("KURA_DEVSTACK_ISSUER"))),
            ("client_id".into(), "\"kura-desktop\"".into()),
            ("role_arn".into(), format!("{:?}", stack.var("KURA_DEVSTACK_ROLE_ARN"))),
            ("bucket".into(), format!("{:?}", stack.bucket())),
            ("sts_endpoint".into(), format!("{:?}", stack.s3())),
            ("s3_endpoint".into(), format!("{:?}", stack.s3())),
            ("force_path_style".into(), "true".into()),
        ];
        // An override with an empty value removes the key.
        for (k, v) in overrides {
            keys.retain(|(key, _)| key != k);
            if !v.is_empty() {
                keys.push((k.to_string(), v.to_string()));
            }
        }
        let body: String = keys.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
        let config = dir.path().join("config.toml");
        std::fs::write(&config, format!("[profiles.{profile}]\n{body}")).unwrap();
        Env {
            dir,
            config,
            profile,
            stack,
        }
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The `kura` binary with this test's config, profile and the test browser as `$BROWSER`.
    pub(crate) fn kura(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_kura"));
        c.env("KURA_CONFIG", &self.config)
            .env("KURA_PROFILE", &self.profile)
            .env("KURA_STATE_DIR", self.dir.path().join("state"))
            .env("BROWSER", repo().join("devstack/test-browser"))
            .env_remove("KURA_LOG")
            .current_dir(self.dir.path());
        c
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.kura().args(args).output().unwrap()
    }

    /// Runs and asserts success; returns stdout.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "kura {args:?} failed: {}\n{}",
            out.status,
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    /// Signs in through the CLI's real loopback listener with the test browser as `user`.
    pub(crate) fn login(&self, user: (&str, &str)) -> Output {
        self.kura()
            .args(["login", "--timeout", "30"])
            .env("KURA_TEST_USER", user.0)
            .env("KURA_TEST_PASSWORD", user.1)
            .output()
            .unwrap()
    }

    pub(crate) fn profile(&self) -> Profile {
        Config::load(&self.config)
            .unwrap()
            .profile(Some(&self.profile))
            .unwrap()
    }
}

pub(crate) fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub(crate) fn sha256(data: &[u8]) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(data))
}

/// Signs `user` in within this process (memory store) through a real loopback listener and the
/// test browser; returns the session.
pub(crate) async fn sign_in(profile: Profile, user: (&str, &str)) -> Arc<Session> {
    let session = Arc::new(Session::new(profile, Arc::new(TokenStore::memory())));
    let tokens = login_tokens(&session, user).await;
    session.sign_in(tokens).await.unwrap();
    session
}

/// Runs a sign-in for `session`'s profile through a real loopback listener and the test browser
/// as `user`; returns the validated tokens (not yet given to the session).
pub(crate) async fn login_tokens(session: &Session, user: (&str, &str)) -> kura_core::oidc::TokenSet {
    let provider = session.provider().await.unwrap();
    let listener = LoopbackListener::bind().await.unwrap();
    let (url, pending) = provider.start_login(listener.redirect_uri()).unwrap();
    let mut browser = tokio::process::Command::new(repo().join("devstack/test-browser"))
        .arg(url.as_str())
        .env("KURA_TEST_USER", user.0)
        .env("KURA_TEST_PASSWORD", user.1)
        .spawn()
        .unwrap();
    let tokens = listener
        .receive(Duration::from_secs(30), pending, |pending, cb| async move {
            provider.complete_login(pending, &cb).await
        })
        .await
        .unwrap();
    assert!(browser.wait().await.unwrap().success());
    tokens
}

/// `len` pseudo-random bytes (xorshift from `seed`): incompressible, different per seed.
pub(crate) fn data(len: u64, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}
