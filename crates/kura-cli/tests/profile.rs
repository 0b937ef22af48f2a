//! `kura profile …` end to end: add through the Auth0 preset for the local stack (then sign in
//! and list with it), comments kept across edits, import confirmations, `use`, and `remove`
//! after a real sign-in (revoked, nothing left in the keychain). Run under scripts/with-keyring.sh.

mod common;

use std::io::Write;
use std::process::{Output, Stdio};

use common::*;
use kura_core::config::Config;
use kura_core::store::TokenStore;

/// Runs kura with `input` on stdin (empty: end of input at once).
fn run_with_input(env: &Env, args: &[&str], input: &str) -> Output {
    let mut child = env
        .kura()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn ok_with_input(env: &Env, args: &[&str], input: &str) -> String {
    let out = run_with_input(env, args, input);
    assert!(
        out.status.success(),
        "kura {args:?}: {}\n{}",
        out.status,
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// The flags that set up the local stack through the Auth0 preset.
fn local_stack_flags(env: &Env, name: &str) -> Vec<String> {
    let s3 = env.stack.s3().to_string();
    let issuer = env.stack.var("KURA_DEVSTACK_ISSUER").trim_end_matches('/').to_string();
    [
        "profile",
        "add",
        "--preset",
        "auth0",
        "--domain",
        &issuer,
        "--name",
        name,
        "--client-id",
        "kura-desktop",
        "--role-arn",
        env.stack.var("KURA_DEVSTACK_ROLE_ARN"),
        "--bucket",
        env.stack.bucket(),
        "--s3-endpoint",
        &s3,
        "--sts-endpoint",
        &s3,
        "--path-style",
    ]
    .map(str::to_string)
    .to_vec()
}

fn profile_named(env: &Env, name: &str) -> kura_core::config::Profile {
    Config::load(&env.config).unwrap().profile(Some(name)).unwrap()
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn config_text(env: &Env) -> String {
    std::fs::read_to_string(&env.config).unwrap()
}

/// A profile body for files written by hand in these tests.
fn body(env: &Env) -> String {
    format!(
        "issuer = {:?}\nclient_id = \"kura-desktop\"\nrole_arn = {:?}\nbucket = {:?}\nsts_endpoint = {:?}\ns3_endpoint = {:?}\nforce_path_style = true\n",
        env.stack.var("KURA_DEVSTACK_ISSUER"),
        env.stack.var("KURA_DEVSTACK_ROLE_ARN"),
        env.stack.bucket(),
        env.stack.s3(),
        env.stack.s3()
    )
}

#[test]
fn add_with_flags_and_check_then_login_and_ls() {
    let env = Env::new("add", &[]);
    std::fs::remove_file(&env.config).unwrap();
    let mut flags = local_stack_flags(&env, &env.profile);
    flags.push("--check".into());
    let out = run_with_input(&env, &args(&flags), "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("  http://127.0.0.1/callback\n"), "{stdout}");
    assert!(
        stdout.contains(&format!("kura profile show {} --policies", env.profile)),
        "{stdout}"
    );
    assert!(text(&out.stderr).contains("ready for Kura"), "{}", text(&out.stderr));
    // The Auth0 preset wrote the issuer with its trailing slash, as the stack's tokens carry it.
    let p = env.profile();
    assert_eq!(p.issuer, env.stack.var("KURA_DEVSTACK_ISSUER"));
    assert_eq!((p.region.as_str(), p.force_path_style), ("us-east-1", true));

    let login = env.login(ALICE);
    assert!(login.status.success(), "{}", text(&login.stderr));
    env.ok(&["ls"]);
    env.ok(&["logout"]);
}

#[test]
fn add_refuses_missing_values_failed_checks_and_taken_names() {
    let env = Env::new("addbad", &[]);
    let before = config_text(&env);
    let out = run_with_input(&env, &["profile", "add", "--preset", "auth0"], "");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    for flag in ["--name", "--domain", "--client-id", "--role-arn", "--bucket"] {
        assert!(err.contains(flag), "{flag} not named: {err}");
    }
    // Nothing listens on port 1: the check fails and nothing is saved.
    let mut flags = local_stack_flags(&env, "unreachable");
    flags[5] = "http://127.0.0.1:1".into();
    flags.push("--check".into());
    let out = run_with_input(&env, &args(&flags), "");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("cannot reach"), "{}", text(&out.stderr));
    // An existing name is refused.
    let out = run_with_input(&env, &args(&local_stack_flags(&env, &env.profile)), "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("name.taken"), "{}", text(&out.stderr));
    assert_eq!(config_text(&env), before);
}

#[test]
fn add_asks_for_what_is_missing() {
    let env = Env::new("ask", &[]);
    let answers = format!(
        "{}-2\ncognito\neu-west-1\neu-west-1_AbC123\napp-client\narn:aws:iam::123456789012:role/KuraUser\nacme-files\n\n",
        env.profile
    );
    let stdout = ok_with_input(&env, &["profile", "add"], &answers);
    assert!(stdout.contains("Saved profile"), "{stdout}");
    let p = Config::load(&env.config)
        .unwrap()
        .profile(Some(&format!("{}-2", env.profile)))
        .unwrap();
    assert_eq!(p.issuer, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123");
    assert_eq!(p.scopes, ["openid", "profile", "email"]);
    assert_eq!(p.region, "eu-west-1", "the pool's region is the default");
    // The only profile before stays the default (it was used as the only one).
    let cfg = Config::load(&env.config).unwrap();
    assert_eq!(cfg.default_profile.as_deref(), Some(env.profile.as_str()));
}

#[test]
fn comments_survive_add_use_and_remove() {
    let env = Env::new("comments", &[]);
    let other = format!("{}-other", env.profile);
    let original = format!(
        "# Kura profiles, maintained by hand\n\n# the main one\n[profiles.{}]\n{}session_duration = 1800 # short\n\n# another\n[profiles.{other}]\n{}",
        env.profile,
        body(&env),
        body(&env)
    );
    std::fs::write(&env.config, &original).unwrap();
    let kept = |text: &str| {
        for c in [
            "# Kura profiles, maintained by hand",
            "# the main one",
            "session_duration = 1800 # short",
        ] {
            assert!(text.contains(c), "{c:?} lost:\n{text}");
        }
    };
    let added = format!("{}-added", env.profile);
    ok_with_input(&env, &args(&local_stack_flags(&env, &added)), "");
    let text = config_text(&env);
    kept(&text);
    assert!(text.contains(&format!("\n[profiles.{added}]\n")), "{text}");
    env.ok(&["profile", "use", &added]);
    kept(&config_text(&env));
    env.ok(&["profile", "remove", &other]);
    let text = config_text(&env);
    kept(&text);
    assert!(!text.contains(&other) && !text.contains("# another"), "{text}");
    let cfg = Config::load(&env.config).unwrap();
    assert_eq!(cfg.default_profile.as_deref(), Some(added.as_str()));
    assert_eq!(cfg.profile(Some(&env.profile)).unwrap().session_duration, 1800);
}

#[test]
fn use_changes_the_default() {
    let env = Env::new("use", &[]);
    let second = format!("{}-second", env.profile);
    std::fs::write(
        &env.config,
        format!(
            "[profiles.{}]\n{}[profiles.{second}]\n{}",
            env.profile,
            body(&env),
            body(&env)
        ),
    )
    .unwrap();
    // No default and two profiles: commands need --profile.
    let no_default = env.kura().env_remove("KURA_PROFILE").arg("whoami").output().unwrap();
    assert_eq!(no_default.status.code(), Some(2), "{}", text(&no_default.stderr));
    env.ok(&["profile", "use", &second]);
    let list = env.ok(&["profile", "list"]);
    assert!(list.contains(&format!("* {second} ")), "{list}");
    assert!(list.contains(&format!("  {} ", env.profile)), "{list}");
    let out = env.kura().env_remove("KURA_PROFILE").arg("whoami").output().unwrap();
    assert!(
        text(&out.stderr).contains(&format!("not signed in (profile {second:?})")),
        "{}",
        text(&out.stderr)
    );
    let out = env.run(&["profile", "use", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn import_asks_and_refuses_taken_names() {
    let env = Env::new("import", &[]);
    let from = env.path("handed-out.toml");
    let name = format!("{}-acme", env.profile);
    std::fs::write(
        &from,
        format!("# from IT\n[profiles.{name}]\n{}part_size_mib = 32\n", body(&env)),
    )
    .unwrap();
    let before = config_text(&env);

    // "n": nothing saved.
    let out = run_with_input(&env, &["profile", "import", from.to_str().unwrap()], "n\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains(&name) && err.contains("issuer 127.0.0.1:9400") && err.contains("bucket kura"),
        "{err}"
    );
    assert!(err.contains("Nothing imported"), "{err}");
    assert_eq!(config_text(&env), before);

    // "y": imported with its comment and tuning key.
    let stdout = ok_with_input(&env, &["profile", "import", from.to_str().unwrap()], "y\n");
    assert!(stdout.contains(&format!("Imported profile {name:?}")), "{stdout}");
    let text_now = config_text(&env);
    assert!(
        text_now.contains(&format!("# from IT\n[profiles.{name}]")),
        "{text_now}"
    );
    assert!(
        text_now.contains(&before),
        "the existing profile is untouched:\n{text_now}"
    );
    assert_eq!(profile_named(&env, &name).bucket, "kura");

    // The name exists now: refused with --yes, unless --as.
    let out = run_with_input(&env, &["profile", "import", "--yes", from.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--as"), "{}", text(&out.stderr));
    let copy = format!("{name}-copy");
    ok_with_input(
        &env,
        &["profile", "import", "--yes", "--as", &copy, from.to_str().unwrap()],
        "",
    );
    assert_eq!(profile_named(&env, &copy).transfers.part_size, 32 * 1024 * 1024);

    // Asked for a new name instead.
    let third = format!("{name}-3");
    ok_with_input(
        &env,
        &["profile", "import", from.to_str().unwrap()],
        &format!("y\n{third}\n"),
    );
    let cfg = Config::load(&env.config).unwrap();
    assert_eq!(cfg.profile_names().len(), 4, "{:?}", cfg.profile_names());
    assert!(cfg.profile(Some(&third)).is_ok());
}

#[test]
fn remove_after_login_revokes_and_clears_the_keychain() {
    let env = Env::new("remove", &[]);
    let login = env.login(ALICE);
    assert!(login.status.success(), "{}", text(&login.stderr));
    let store = TokenStore::os();
    let refresh_token = store.get(&env.profile).unwrap().expect("refresh token stored");
    assert!(store.get(&format!("{}:session", env.profile)).unwrap().is_some());
    let list = env.ok(&["profile", "list"]);
    assert!(list.contains("signed in as"), "{list}");

    let stdout = env.ok(&["profile", "remove", &env.profile]);
    assert!(stdout.contains("Signed out"), "{stdout}");
    assert_eq!(store.get(&env.profile).unwrap(), None);
    assert_eq!(store.get(&format!("{}:session", env.profile)).unwrap(), None);
    assert!(Config::load(&env.config).unwrap().profile_names().is_empty());
    // The IdP revoked the refresh token (RFC 7009).
    let token_endpoint = format!("{}oauth/token", env.stack.var("KURA_DEVSTACK_ISSUER"));
    let reuse = std::process::Command::new("curl")
        .args(["-s", "-w", "\n%{http_code}", &token_endpoint])
        .args(["-d", "grant_type=refresh_token", "-d", "client_id=kura-desktop"])
        .args(["--data-urlencode", &format!("refresh_token={refresh_token}")])
        .output()
        .unwrap();
    let answer = text(&reuse.stdout);
    assert!(answer.ends_with("400") && answer.contains("invalid_grant"), "{answer}");
    let out = env.run(&["profile", "remove", &env.profile]);
    assert_eq!(out.status.code(), Some(2), "no such profile any more");
}
