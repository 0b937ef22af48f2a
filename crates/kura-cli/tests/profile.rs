//! `kura profile …` end to end: add through the Auth0 preset for the local stack (then sign in
//! and list with it), an Amazon Cognito identity pool profile (flags and questions, `show
//! --policies`, a sign-in and upload through the Cognito Identity stand-in), comments kept across
//! edits, import confirmations, `use`, and `remove` after a real sign-in (revoked, nothing left
//! in the keychain). Run under scripts/with-keyring.sh.

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
        "{}-2\ncognito\neu-west-1\neu-west-1_AbC123\napp-client\n1\narn:aws:iam::123456789012:role/KuraUser\nacme-files\n\n",
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

/// The local stack's flags for an identity pool profile (enhanced flow, the default provider
/// name derived from the issuer: `127.0.0.1:9400`).
fn pool_flags(env: &Env, name: &str) -> Vec<String> {
    let mut flags = local_stack_flags(env, name);
    let role = flags.iter().position(|f| f == "--role-arn").unwrap();
    flags.drain(role..role + 2);
    let pool = [
        "--identity-pool-id",
        env.stack.var("KURA_DEVSTACK_IDENTITY_POOL"),
        "--cognito-endpoint",
        env.stack.var("KURA_DEVSTACK_COGNITO_ENDPOINT"),
    ];
    flags.extend(pool.map(str::to_string));
    flags
}

#[test]
fn add_identity_pool_then_show_policies_sign_in_and_put() {
    let env = Env::new("pool", &[]);
    std::fs::remove_file(&env.config).unwrap();
    let stdout = ok_with_input(&env, &args(&pool_flags(&env, &env.profile)), "");
    assert!(stdout.contains("Saved profile"), "{stdout}");
    let p = env.profile();
    let pool = p.identity_pool.clone().expect("an identity pool profile");
    assert_eq!(pool.identity_pool_id, env.stack.var("KURA_DEVSTACK_IDENTITY_POOL"));
    assert_eq!(pool.identity_provider, env.stack.var("KURA_DEVSTACK_IDENTITY_PROVIDER"));
    assert_eq!((p.role_arn, p.prefix.as_str()), (None, "cognito/{identity_id}/"));
    let file = config_text(&env);
    assert!(
        !file.contains("identity_provider") && !file.contains("cognito_flow") && !file.contains("role_arn"),
        "defaults are not written:\n{file}"
    );

    let shown = env.ok(&["profile", "show", &env.profile, "--policies"]);
    for want in [
        format!("identity pool: {} (enhanced flow)", pool.identity_pool_id),
        format!(
            "Identity pool {} (region us-east-1, enhanced flow)",
            pool.identity_pool_id
        ),
        "OpenID Connect provider: 127.0.0.1:9400".to_string(),
        "IAM OIDC identity provider: 127.0.0.1:9400 (audience kura-desktop)".to_string(),
        "Trust policy of the identity pool's authenticated role:".to_string(),
        format!("\"cognito-identity.amazonaws.com:aud\": \"{}\"", pool.identity_pool_id),
        "\"cognito-identity.amazonaws.com:amr\": \"authenticated\"".to_string(),
        "arn:aws:s3:::kura/cognito/${cognito-identity.amazonaws.com:sub}/*".to_string(),
    ] {
        assert!(shown.contains(&want), "{want:?} missing:\n{shown}");
    }

    // The profile works: sign in through the stand-in pool, upload, and find the object under
    // the identity ID with the admin's keys.
    let login = env.login(ALICE);
    assert!(login.status.success(), "{}", text(&login.stderr));
    let who: serde_json::Value = serde_json::from_str(&env.ok(&["whoami", "--json"])).unwrap();
    let prefix = who["prefix"].as_str().unwrap().to_string();
    let identity = prefix
        .strip_prefix("cognito/")
        .and_then(|r| r.strip_suffix('/'))
        .unwrap_or_else(|| panic!("prefix {prefix:?}"));
    assert!(identity.starts_with("us-east-1:"), "{prefix}");
    let file = env.path("pool-note.txt");
    std::fs::write(&file, b"stored through the identity pool\n").unwrap();
    env.ok(&["put", file.to_str().unwrap(), "profile-test/"]);
    let key = format!("{prefix}profile-test/pool-note.txt");
    let rt = tokio::runtime::Runtime::new().unwrap();
    assert_eq!(
        rt.block_on(env.stack.admin_bytes(&key)),
        b"stored through the identity pool\n"
    );
    env.ok(&["rm", "profile-test/pool-note.txt"]);
    env.ok(&["logout"]);
}

#[test]
fn add_identity_pool_by_answers_and_refuse_a_bad_pool_id() {
    let env = Env::new("poolask", &[]);
    let name = format!("{}-basic", env.profile);
    // Name, preset, Auth0 domain, client ID, "2" = identity pool, its ID, the provider name
    // (empty: the default), the flow, the role the basic flow assumes, bucket, region.
    let answers = format!(
        "{name}\nauth0\nacme.auth0.com\nabc123\n2\nus-east-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001\n\nbasic\narn:aws:iam::123456789012:role/KuraCognito\nacme-files\n\n"
    );
    let out = run_with_input(&env, &["profile", "add"], &answers);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("Credentials from (1) an IAM role (2) a Cognito identity pool"),
        "{err}"
    );
    assert!(
        err.contains("Provider name in the identity pool [acme.auth0.com]"),
        "{err}"
    );
    let p = profile_named(&env, &name);
    let pool = p.identity_pool.unwrap();
    assert_eq!(
        (pool.flow, pool.identity_provider.as_str(), p.role_arn.as_deref()),
        (
            kura_core::config::CognitoFlow::Basic,
            "acme.auth0.com",
            Some("arn:aws:iam::123456789012:role/KuraCognito")
        )
    );
    assert_eq!(p.prefix, "cognito/{identity_id}/");
    let shown = env.ok(&["profile", "show", &name, "--policies"]);
    assert!(
        shown.contains("The pool must allow the basic (classic) flow."),
        "{shown}"
    );
    assert!(
        shown.contains("Trust policy of arn:aws:iam::123456789012:role/KuraCognito:"),
        "{shown}"
    );

    // A malformed pool ID, and the basic flow without a role: refused, nothing saved.
    let before = config_text(&env);
    let mut flags = pool_flags(&env, "badpool");
    let id = flags.iter().position(|f| f == "--identity-pool-id").unwrap();
    flags[id + 1] = "us-east-1".into();
    let out = run_with_input(&env, &args(&flags), "");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("--identity-pool-id (identity_pool_id.invalid)"), "{err}");
    let mut flags = pool_flags(&env, "norole");
    flags.extend(["--cognito-flow", "basic"].map(str::to_string));
    let out = run_with_input(&env, &args(&flags), "");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("missing values: --role-arn"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(config_text(&env), before);
}
