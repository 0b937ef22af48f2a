//! Secrets never reach a log or a terminal (issue 10), against the real stack. Run inside
//! `scripts/with-keyring.sh` (the keychain is read to learn the secrets).
//!
//! * A whole session traced with `KURA_LOG=trace`: every secret the test can know — each refresh,
//!   ID and access token and each set of credentials the keychain held after each command, the
//!   authorization `code` (recorded by a wrapper around the test browser), the PKCE
//!   `code_verifier` (any string in the log whose S256 equals the authorize URL's
//!   `code_challenge`), the presigned URL's signature and the credential process's output — is
//!   searched for in the complete stderr, and so are shapes no log line may have (a SigV4
//!   `Signature=`, an `x-amz-security-token` value, an `Authorization: AWS4-HMAC-SHA256` header,
//!   any JWT). The profile uses the short-lived client (20 s ID tokens) and the 30 s STS gateway,
//!   so every command refreshes the tokens (rotating the refresh token) and calls STS.
//! * The same for identity pool profiles (Cognito enhanced and basic flows).
//! * `Debug` of the sign-in types that need the real provider.
//! * `kura ls` of keys holding terminal escapes, bidi controls and zero-width characters.

mod common;

use std::path::PathBuf;
use std::process::Output;
use std::sync::Arc;

use base64::Engine as _;
use common::*;
use kura_core::secrecy::ExposeSecret;
use kura_core::session::Session;
use kura_core::store::TokenStore;
use sha2::Digest;

/// Wraps `devstack/test-browser`: appends `authorize URL` and `callback URL` lines to
/// `$KURA_TEST_URLS`, then signs in exactly as the test browser does.
const BROWSER_WRAPPER: &str = r#"#!/usr/bin/env python3
import importlib.machinery, importlib.util, os, sys
record = os.environ["KURA_TEST_URLS"]
def note(kind, url):
    with open(record, "a", encoding="utf-8") as f:
        f.write(kind + " " + url + "\n")
loader = importlib.machinery.SourceFileLoader("test_browser", os.environ["KURA_TEST_BROWSER"])
spec = importlib.util.spec_from_loader("test_browser", loader)
tb = importlib.util.module_from_spec(spec)
loader.exec_module(tb)
deliver = tb.deliver
def recording_deliver(url):
    note("callback", url)
    return deliver(url)
tb.deliver = recording_deliver
note("authorize", sys.argv[-1])
try:
    code, message = tb.main(sys.argv[1:])
except tb.Outcome as o:
    code, message = o.code, o.message
    print("test-browser: " + message, file=sys.stderr)
sys.exit(code)
"#;

/// A traced run of commands, with every secret learned along the way.
struct Traced<'a> {
    env: &'a Env,
    browser: PathBuf,
    urls: PathBuf,
    stderr: String,
    /// (what, value)
    secrets: Vec<(String, String)>,
}

impl<'a> Traced<'a> {
    fn new(env: &'a Env) -> Traced<'a> {
        let browser = env.path("browser.py");
        std::fs::write(&browser, BROWSER_WRAPPER).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Traced {
            env,
            browser,
            urls: env.path("urls.txt"),
            stderr: String::new(),
            secrets: Vec::new(),
        }
    }

    fn learn(&mut self, what: &str, value: &str) {
        if !value.is_empty() && !self.secrets.iter().any(|(_, v)| v == value) {
            self.secrets.push((what.to_string(), value.to_string()));
        }
    }

    /// Runs `kura ARGS` with `KURA_LOG=trace`, asserts success, keeps its stderr and learns what
    /// the keychain holds afterwards. Returns stdout.
    fn run(&mut self, args: &[&str]) -> String {
        let out: Output = self
            .env
            .kura()
            .args(args)
            .env("KURA_LOG", "trace")
            .env("BROWSER", &self.browser)
            .env("KURA_TEST_BROWSER", repo().join("devstack/test-browser"))
            .env("KURA_TEST_URLS", &self.urls)
            .env("KURA_TEST_USER", ALICE.0)
            .env("KURA_TEST_PASSWORD", ALICE.1)
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert!(
            out.status.success(),
            "kura {args:?} failed ({}): {}",
            out.status,
            tail(&stderr)
        );
        self.stderr.push_str(&format!("\n=== kura {args:?}\n{stderr}"));
        self.learn_keychain();
        text(&out.stdout)
    }

    /// The refresh token (`<profile>`) and the session record (`<profile>:session`).
    fn learn_keychain(&mut self) {
        let (store, profile) = (TokenStore::os(), &self.env.profile);
        if let Some(rt) = store.get(profile).unwrap() {
            self.learn("refresh token", &rt);
        }
        let Some(json) = store.get(&format!("{profile}:session")).unwrap() else {
            return;
        };
        let s: serde_json::Value = serde_json::from_str(&json).unwrap();
        for (what, pointer) in [
            ("ID token", "/id_token"),
            ("access token", "/access_token"),
            ("secret access key", "/credentials/secret_access_key"),
            ("session token", "/credentials/session_token"),
        ] {
            if let Some(v) = s.pointer(pointer).and_then(|v| v.as_str()) {
                self.learn(what, v);
                // The JWT's signature alone is a secret too (a log may cut the token).
                if let Some((_, sig)) = v.rsplit_once('.') {
                    self.learn(&format!("{what} signature"), sig);
                }
            }
        }
    }

    fn learn_credential_process(&mut self, stdout: &str) {
        let c: serde_json::Value = serde_json::from_str(stdout).unwrap();
        self.learn(
            "credential_process SecretAccessKey",
            c["SecretAccessKey"].as_str().unwrap(),
        );
        self.learn("credential_process SessionToken", c["SessionToken"].as_str().unwrap());
    }

    fn learn_presigned(&mut self, stdout: &str) {
        let url = url::Url::parse(stdout.trim()).unwrap();
        for key in ["X-Amz-Signature", "X-Amz-Security-Token"] {
            let v = query(&url, key).unwrap_or_else(|| panic!("{key} in {url}"));
            self.learn(&format!("presigned URL {key}"), &v);
        }
    }

    /// The authorization codes of every sign-in, and the `code_challenge`s of their verifiers.
    fn sign_ins(&self) -> (Vec<String>, Vec<String>) {
        let recorded = std::fs::read_to_string(&self.urls).unwrap_or_default();
        let (mut codes, mut challenges) = (Vec::new(), Vec::new());
        for line in recorded.lines() {
            let (kind, u) = line.split_once(' ').unwrap();
            let u = url::Url::parse(u).unwrap();
            match kind {
                "callback" => codes.push(query(&u, "code").expect("a code in the callback")),
                _ => challenges.push(query(&u, "code_challenge").expect("a PKCE challenge")),
            }
        }
        (codes, challenges)
    }

    /// Asserts that stderr holds no known secret and no secret-shaped text.
    fn assert_clean(mut self, min_sign_ins: usize) {
        let (codes, challenges) = self.sign_ins();
        assert!(codes.len() >= min_sign_ins && challenges.len() >= min_sign_ins);
        for c in &codes {
            self.learn("authorization code", c);
        }
        let log = &self.stderr;
        assert!(log.len() > 30_000, "trace logging is on: {} bytes", log.len());
        let mut leaks = Vec::new();
        for (what, secret) in &self.secrets {
            assert!(secret.len() >= 16, "{what} is too short to be a real secret: {secret}");
            if let Some(at) = log.find(secret.as_str()) {
                leaks.push(format!("the {what}: …{}…", around(log, at)));
            }
        }
        for verifier in pkce_verifiers(log, &challenges) {
            let at = log.find(&verifier).unwrap();
            leaks.push(format!("a PKCE code_verifier: …{}…", around(log, at)));
        }
        for (what, pattern) in [
            ("a SigV4 signature", r"Signature=[0-9a-f]{64}"),
            (
                "an x-amz-security-token value",
                r#"(?i)x-amz-security-token["']?\s*[:=]\s*["']?[A-Za-z0-9%+/]"#,
            ),
            ("an Authorization header's content", r"AWS4-HMAC-SHA256 Credential="),
            ("a JWT", r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}"),
            (
                "a token request",
                r"(?i)(code_verifier|refresh_token|client_assertion)=",
            ),
        ] {
            if let Some(m) = regex_lite::Regex::new(pattern).unwrap().find(log) {
                leaks.push(format!("{what}: …{}…", around(log, m.start())));
            }
        }
        assert!(
            leaks.is_empty(),
            "{} secret(s) in the traced stderr ({} known secrets checked):\n{}",
            leaks.len(),
            self.secrets.len(),
            leaks.join("\n")
        );
    }
}

fn query(url: &url::Url, key: &str) -> Option<String> {
    url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

fn tail(s: &str) -> &str {
    let start = s.len().saturating_sub(4000);
    let start = (start..s.len()).find(|i| s.is_char_boundary(*i)).unwrap_or(s.len());
    &s[start..]
}

/// 120 characters of `log` before `at` (where the secret starts) and 40 of the secret.
fn around(log: &str, at: usize) -> String {
    let b = |i: usize| (0..=i).rev().find(|i| log.is_char_boundary(*i)).unwrap_or(0);
    log[b(at.saturating_sub(120))..b((at + 40).min(log.len()))].replace('\n', "⏎")
}

/// Strings in `log` that are PKCE verifiers of one of `challenges` (RFC 7636 §4.1–4.2:
/// 43–128 unreserved characters; challenge = BASE64URL(SHA256(verifier))).
fn pkce_verifiers(log: &str, challenges: &[String]) -> Vec<String> {
    let candidates = regex_lite::Regex::new(r"[A-Za-z0-9._~-]{43,128}").unwrap();
    candidates
        .find_iter(log)
        .map(|m| m.as_str())
        .filter(|c| {
            let s256 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(c.as_bytes()));
            challenges.contains(&s256)
        })
        .map(str::to_string)
        .collect()
}

fn short_lived(name: &str, extra: &[(&str, &str)]) -> Env {
    let short = format!("{:?}", Stack::get().s3_short());
    let mut keys: Vec<(&str, &str)> = vec![
        ("client_id", "\"kura-shortlived\""),
        ("sts_endpoint", &short),
        ("s3_endpoint", &short),
    ];
    keys.extend_from_slice(extra);
    Env::new(name, &keys)
}

#[test]
fn a_traced_session_prints_no_secret() {
    let env = short_lived("trace", &[]);
    let folder = format!("secrets-{}/", std::process::id());
    std::fs::write(env.path("small.txt"), b"hello, traced world\n").unwrap();
    // Above the 16 MiB multipart threshold: CreateMultipartUpload, UploadPart ×2, Complete.
    std::fs::write(env.path("big.bin"), data(20 * 1024 * 1024, 7)).unwrap();
    std::fs::create_dir(env.path("dl")).unwrap();
    let mut t = Traced::new(&env);
    t.run(&["login", "--timeout", "30"]);
    t.run(&["whoami"]);
    t.run(&["ls"]);
    t.run(&["put", "small.txt", "big.bin", &folder]);
    let small = format!("{folder}small.txt");
    t.run(&["get", &small, &format!("{folder}big.bin"), "dl"]);
    assert_eq!(
        std::fs::read(env.path("dl/small.txt")).unwrap(),
        b"hello, traced world\n"
    );
    let presigned = t.run(&["presign", &small]);
    t.learn_presigned(&presigned);
    let creds = t.run(&["credential-process"]);
    t.learn_credential_process(&creds);
    t.run(&["rm", "-r", &folder]);
    t.run(&["logout"]);
    assert!(t.secrets.len() >= 10, "secrets learned: {}", t.secrets.len());
    t.assert_clean(1);
}

#[test]
fn traced_identity_pool_sessions_print_no_secret() {
    let stack = Stack::get();
    let q = |v: &str| format!("{v:?}");
    let (pool, provider, endpoint) = (
        q(stack.var("KURA_DEVSTACK_IDENTITY_POOL")),
        q(stack.var("KURA_DEVSTACK_IDENTITY_PROVIDER")),
        q(stack.var("KURA_DEVSTACK_COGNITO_ENDPOINT")),
    );
    let role = q(stack.var("KURA_DEVSTACK_COGNITO_ROLE_ARN"));
    let mut common = vec![
        ("role_arn", ""),
        ("identity_pool_id", pool.as_str()),
        ("identity_provider", provider.as_str()),
        ("cognito_endpoint", endpoint.as_str()),
        ("prefix", "\"cognito/{identity_id}/\""),
        ("client_id", "\"kura-shortlived\""),
    ];
    let enhanced = Env::new("trace-pool", &common);
    common[0] = ("role_arn", role.as_str());
    common.push(("cognito_flow", "\"basic\""));
    let basic = Env::new("trace-pool-basic", &common);
    for env in [&enhanced, &basic] {
        let mut t = Traced::new(env);
        t.run(&["login", "--timeout", "30"]);
        t.run(&["ls"]);
        let creds = t.run(&["credential-process"]);
        t.learn_credential_process(&creds);
        t.run(&["logout"]);
        t.assert_clean(1);
    }
}

/// `Debug` of the provider, a pending login, the tokens, a signed-in session, its memory store and
/// a presigned URL shows no secret (the types without a network are in kura-core's
/// `tests/debug_redaction.rs`).
#[tokio::test(flavor = "multi_thread")]
async fn debug_of_sign_in_types_shows_no_secret() {
    let env = Env::new("debug", &[]);
    let store = Arc::new(TokenStore::memory());
    let session = Arc::new(Session::new(env.profile(), store.clone()));
    let provider = session.provider().await.unwrap();
    let (authorize, pending) = provider.start_login("http://127.0.0.1:9/callback").unwrap();
    let state = query(&authorize, "state").unwrap();
    let nonce = query(&authorize, "nonce").unwrap();
    let challenge = query(&authorize, "code_challenge").unwrap();
    let shown = format!("{pending:?} {pending:#?} {provider:?}");
    assert!(!shown.contains(&state) && !shown.contains(&nonce), "{shown}");
    assert!(pkce_verifiers(&shown, &[challenge]).is_empty(), "{shown}");
    drop(pending);

    let tokens = login_tokens(&session, ALICE).await;
    let mut secrets = vec![
        tokens.id_token.expose_secret().to_string(),
        tokens.access_token.expose_secret().to_string(),
        tokens.refresh_token.as_ref().unwrap().expose_secret().to_string(),
    ];
    let tokens_shown = format!("{tokens:?} {tokens:#?}");
    session.sign_in(tokens).await.unwrap();
    let creds = session.credentials().await.unwrap();
    secrets.push(creds.secret_access_key.expose_secret().to_string());
    secrets.push(creds.session_token.expose_secret().to_string());
    let storage = kura_core::storage::Storage::connect(session.clone()).await.unwrap();
    let presigned = storage
        .presign(
            &kura_core::paths::RelPath::parse("welcome.txt").unwrap(),
            std::time::Duration::from_secs(60),
        )
        .await
        .unwrap();
    let url = url::Url::parse(&presigned.url).unwrap();
    secrets.push(query(&url, "X-Amz-Signature").unwrap());
    let shown = [
        tokens_shown,
        format!("{session:?} {session:#?}"),
        format!("{store:?} {store:#?}"),
        format!("{creds:?} {creds:#?}"),
        format!("{presigned:?} {presigned:#?}"),
        format!("{:?}", kura_core::credentials::SessionCredentials(session.clone())),
    ];
    for (i, text) in shown.iter().enumerate() {
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "Debug output #{i} holds a secret: {text}");
        }
    }
}

/// Keys a hostile writer could create: terminal escapes, line rewrites, bidi reordering and
/// invisible characters.
fn hostile_names() -> Vec<(&'static str, String)> {
    vec![
        ("esc", "red\u{1b}[31mtext\u{1b}[0m.txt".to_string()),
        ("title", "t\u{1b}]0;pwned\u{7}.txt".to_string()),
        ("cr", "innocent.txt\rEVIL".to_string()),
        ("lf", "two\nlines.txt".to_string()),
        ("rlo", "invoice\u{202e}fdp.exe".to_string()),
        ("isolates", "a\u{2066}b\u{2067}c\u{2068}d\u{2069}.txt".to_string()),
        ("zero-width", "pay\u{200b}pal\u{200d}\u{feff}.txt".to_string()),
        ("c1", "csi\u{9b}31m.txt".to_string()),
        ("tab", "tab\there.txt".to_string()),
    ]
}

/// True for what must never reach a terminal raw from a key.
fn dangerous(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

#[tokio::test(flavor = "multi_thread")]
async fn ls_escapes_control_bidi_and_invisible_characters_in_keys() {
    let env = Env::new("hostile-ls", &[]);
    let folder = format!("hostile-ls-{}", std::process::id());
    let prefix = format!("users/{ALICE_SUB}/{folder}/");
    let admin = env.stack.admin();
    let names = hostile_names();
    for (_, name) in &names {
        admin
            .put_object()
            .bucket(env.stack.bucket())
            .key(format!("{prefix}{name}"))
            .body(name.as_bytes().to_vec().into())
            .send()
            .await
            .unwrap_or_else(|e| panic!("the admin could not store {name:?}: {e:?}"));
    }
    let out = env.login(ALICE);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let table = env.ok(&["ls", &folder]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), names.len(), "one line per key:\n{table}");
    let raw: Vec<char> = table.chars().filter(|c| *c != '\n' && dangerous(*c)).collect();
    assert!(raw.is_empty(), "raw characters {raw:?} in:\n{table:?}");
    // SeaweedFS lists (XML 1.0) ESC and BEL as U+FFFD, Go's `xml.EscapeText`; the other controls
    // arrive as they are. Either way nothing reaches the terminal raw.
    for shown in [r"[31mtext", r"[0m.txt", r"]0;pwned", r"\u{1b}[31mtext", r"\u{7}.txt"] {
        let via_xml = shown.replace(r"\u{1b}", "\u{fffd}").replace(r"\u{7}", "\u{fffd}");
        assert!(
            table.contains(shown) || table.contains(&via_xml),
            "{shown} is not in:\n{table}"
        );
    }
    for shown in [
        r"innocent.txt\rEVIL",
        r"two\nlines.txt",
        r"invoice\u{202e}fdp.exe",
        r"a\u{2066}b\u{2067}c\u{2068}d\u{2069}.txt",
        r"pay\u{200b}pal\u{200d}\u{feff}.txt",
        r"csi\u{9b}31m.txt",
        r"tab\there.txt",
    ] {
        assert!(table.contains(shown), "{shown} is not in:\n{table}");
    }

    // JSON: the exact names survive (parsed back), and the text itself holds none of them raw.
    let json = env.ok(&["ls", "--json", &folder]);
    let raw: Vec<char> = json.chars().filter(|c| *c != '\n' && dangerous(*c)).collect();
    assert!(raw.is_empty(), "raw characters {raw:?} in:\n{json:?}");
    let listed: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let via_xml = |n: &str| n.replace(['\u{1b}', '\u{7}'], "\u{fffd}");
    let mut got: Vec<String> = listed.iter().map(|e| via_xml(e["name"].as_str().unwrap())).collect();
    let mut want: Vec<String> = names.iter().map(|(_, n)| via_xml(n)).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);

    // Clean up with the admin's keys.
    for (_, name) in &names {
        let _ = admin
            .delete_object()
            .bucket(env.stack.bucket())
            .key(format!("{prefix}{name}"))
            .send()
            .await;
    }
    env.ok(&["logout"]);
}
