use super::*;

const GOOD: &str = r#"
default_profile = "work"
[profiles.work]
issuer = "https://tenant.auth0.com/"
client_id = "abc"
role_arn = "arn:aws:iam::123456789012:role/KuraUser"
bucket = "acme-files"
"#;

fn parse(text: &str) -> Result<Profile> {
    Config::parse(Path::new("/x/config.toml"), text)?.profile(None)
}

#[test]
fn defaults_apply() {
    let p = parse(GOOD).unwrap();
    assert_eq!(p.name, "work");
    assert_eq!(p.issuer, "https://tenant.auth0.com/");
    assert_eq!(p.scopes, ["openid", "offline_access", "profile", "email"]);
    assert_eq!(p.prefix, "users/{sub}/");
    assert_eq!(p.session_duration, 3600);
    assert_eq!(p.region, "us-east-1");
    assert_eq!(p.web_identity_token, WebIdentityToken::IdToken);
    assert!(!p.force_path_style);
}

#[test]
fn missing_key_names_file_profile_and_key() {
    let err = parse(&GOOD.replace("bucket = \"acme-files\"", "")).unwrap_err();
    let msg = err.to_string();
    assert_eq!(err.code(), "config.invalid");
    assert!(
        msg.contains("/x/config.toml") && msg.contains("\"work\"") && msg.contains("\"bucket\""),
        "{msg}"
    );
}

#[test]
fn invalid_values_are_refused() {
    for (from, to, key) in [
        ("client_id = \"abc\"", "client_id = 5", "client_id"),
        ("bucket = \"acme-files\"", "bucket = \"Acme_Files\"", "bucket"),
        (
            "issuer = \"https://tenant.auth0.com/\"",
            "issuer = \"http://tenant.auth0.com/\"",
            "issuer",
        ),
        (
            "role_arn = \"arn:aws:iam::123456789012:role/KuraUser\"",
            "role_arn = \"KuraUser\"",
            "role_arn",
        ),
    ] {
        let err = parse(&GOOD.replace(from, to)).unwrap_err();
        assert!(err.to_string().contains(&format!("key \"{key}\"")), "{err}");
    }
    for extra in [
        "session_duration = 60",
        "prefix = \"/users/{sub}/\"",
        "prefix = \"users/{email}/\"",
        "web_identity_token = \"jwt\"",
        "scopes = [\"profile\"]",
        "extra_authorize_params = { state = \"x\" }",
        "redirect_uri = \"kura:/callback\"",
        "redirect_uri = \"http://example.com/callback\"",
        "colour = \"red\"",
    ] {
        let key = extra.split(' ').next().unwrap();
        let err = parse(&format!("{GOOD}{extra}\n")).unwrap_err();
        assert!(err.to_string().contains(&format!("key \"{key}\"")), "{extra}: {err}");
    }
}

#[test]
fn profile_selection_order() {
    let text = format!("{GOOD}[profiles.other]\nissuer = \"https://o.example/\"\nclient_id = \"c\"\nrole_arn = \"arn:aws:iam::1:role/R\"\nbucket = \"bkt\"\n");
    let cfg = Config::parse(Path::new("c.toml"), &text).unwrap();
    assert_eq!(cfg.profile(Some("other")).unwrap().client_id, "c");
    assert_eq!(cfg.profile(None).unwrap().name, "work");
    let err = cfg.profile(Some("nope")).unwrap_err();
    assert!(err.to_string().contains("other, work"), "{err}");
}

#[test]
fn syntax_error_is_reported() {
    let err = Config::parse(Path::new("c.toml"), "[profiles.x\n").unwrap_err();
    assert!(err.to_string().contains("not valid TOML"), "{err}");
}

#[test]
fn transfer_keys_override_defaults_and_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let base = "[profiles.p]\nissuer = \"https://idp.example/\"\nclient_id = \"c\"\nrole_arn = \"arn:aws:iam::1:role/R\"\nbucket = \"bkt\"\n";
    let path = dir.path().join("c.toml");
    std::fs::write(&path, format!("{base}part_size_mib = 16\npart_concurrency = 8\n")).unwrap();
    let t = Config::load(&path).unwrap().profile(Some("p")).unwrap().transfers;
    assert_eq!(t.part_size, 16 * 1024 * 1024);
    assert_eq!(t.part_concurrency, 8);
    assert_eq!(
        t.file_concurrency,
        crate::storage::TransferOptions::default().file_concurrency
    );
    std::fs::write(&path, format!("{base}part_size_mib = 4\n")).unwrap();
    let err = Config::load(&path).unwrap().profile(Some("p")).unwrap_err().to_string();
    assert!(err.contains("part_size_mib") && err.contains("from 5 to 5120"), "{err}");
}

#[test]
fn redirects_for_desktop_and_cli() {
    let with = |extra: &str| parse(&format!("{GOOD}{extra}\n")).unwrap();
    let localhost = |port| Redirect::Loopback {
        host: LoopbackHost::Localhost,
        port,
    };
    // Unset: loopback on 127.0.0.1, random port, for both.
    let p = with("");
    assert_eq!(p.desktop_redirect(), Redirect::loopback(None));
    assert_eq!(p.cli_redirect(), Redirect::loopback(None));
    // A localhost redirect is used as written by both.
    let p = with("redirect_uri = \"http://localhost:47190/callback\"");
    assert_eq!(p.desktop_redirect(), localhost(Some(47190)));
    assert_eq!(p.cli_redirect(), localhost(Some(47190)));
    // The app's scheme: the CLI takes loopback_port on 127.0.0.1 ...
    let p = with("redirect_uri = \"app.kura.desktop:/callback\"\nloopback_port = 47190");
    assert_eq!(p.cli_redirect(), Redirect::loopback(Some(47190)));
    // ... or on localhost for an Amazon Cognito issuer, which refuses plain http elsewhere.
    let cognito = GOOD.replace(
        "https://tenant.auth0.com/",
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
    );
    let p = parse(&format!(
        "{cognito}redirect_uri = \"app.kura.desktop:/callback\"\nloopback_port = 47190\n"
    ))
    .unwrap();
    assert_eq!(p.cli_redirect(), localhost(Some(47190)));
    assert_eq!(p.cli_redirect().registered_uri(), "http://localhost:47190/callback");
}

#[test]
fn locations_default_to_my_files() {
    let p = parse(GOOD).unwrap();
    assert_eq!(
        p.locations,
        [Location {
            name: DEFAULT_LOCATION.into(),
            prefix: "users/{sub}/".into()
        }]
    );
    assert_eq!(p.location(None).unwrap().name, "My files");
    assert_eq!(p.location(Some("Team")).unwrap_err().code(), "config.invalid");
}

#[test]
fn locations_are_read_in_order() {
    let text = format!(
        "{GOOD}[[profiles.work.locations]]\nname = \"Mine\"\nprefix = \"home/{{sub}}/\"\n[[profiles.work.locations]]\nname = \"Team\"\nprefix = \"tenants/{{tag:tenant}}/shared/\"\n"
    );
    let p = parse(&text).unwrap();
    assert_eq!(p.prefix, "home/{sub}/");
    let names: Vec<_> = p.locations.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Mine", "Team"]);
    assert_eq!(p.location(Some("Team")).unwrap().prefix, "tenants/{tag:tenant}/shared/");
    assert_eq!(p.location(None).unwrap().name, "Mine");
}

#[test]
fn bad_locations_are_refused() {
    let loc = |name: &str, prefix: &str| format!("[[profiles.work.locations]]\nname = {name:?}\nprefix = {prefix:?}\n");
    for (extra, needle) in [
        (loc("Team", "tenants/{tenant}/"), "unknown placeholder"),
        (loc("Team", "tenants/{identity_id}/"), "set identity_pool_id"),
        (loc("Team", "tenants/{tag:tenant/"), "without its"),
        (loc("Team", "../x/"), "'..'"),
        (loc("", "x/"), "name"),
        (format!("{}{}", loc("A", "a/"), loc("A", "b/")), "two locations"),
        (format!("prefix = \"x/\"\n{}", loc("A", "a/")), "not both"),
        ("locations = []\n".to_string(), "must be"),
        (
            "[[profiles.work.locations]]\nname = \"A\"\n".to_string(),
            "`prefix` must be a string",
        ),
    ] {
        let err = parse(&format!("{GOOD}{extra}")).unwrap_err();
        let msg = err.to_string();
        assert_eq!(err.code(), "config.invalid");
        assert!(
            msg.contains("key \"locations\"") && msg.contains(needle),
            "{extra}: {msg}"
        );
    }
    for bad in ["prefix = \"users/{identity_id}/\"", "prefix = \"users/{claim:}/\""] {
        let err = parse(&format!("{GOOD}{bad}\n")).unwrap_err();
        assert!(err.to_string().contains("key \"prefix\""), "{bad}: {err}");
    }
}

const POOL: &str = r#"
[profiles.pool]
issuer = "https://tenant.auth0.com/"
client_id = "abc"
identity_pool_id = "eu-west-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001"
bucket = "acme-files"
prefix = "cognito/{identity_id}/"
"#;

#[test]
fn identity_pool_profiles() {
    let p = parse(POOL).unwrap();
    let pool = p.identity_pool.as_ref().unwrap();
    assert_eq!(pool.identity_pool_id, "eu-west-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001");
    assert_eq!(pool.region(), "eu-west-1");
    assert_eq!(pool.identity_provider, "tenant.auth0.com", "default: the issuer's host");
    assert_eq!(pool.flow, CognitoFlow::Enhanced);
    assert_eq!(p.role_arn, None, "the enhanced flow needs no role_arn");
    assert_eq!(p.partition(), "aws");

    let basic = POOL.replace("bucket", "cognito_flow = \"basic\"\nbucket");
    let err = parse(&basic).unwrap_err().to_string();
    assert!(err.contains("\"role_arn\"") && err.contains("basic"), "{err}");
    let basic = basic.replace("bucket", "role_arn = \"arn:aws-cn:iam::123456789012:role/R\"\nbucket");
    let p = parse(&basic).unwrap();
    assert_eq!(p.identity_pool.as_ref().unwrap().flow, CognitoFlow::Basic);
    assert_eq!(p.partition(), "aws-cn");

    for (from, to, key) in [
        ("eu-west-1:0b5a", "eu-west-1-0b5a", "identity_pool_id"),
        (
            "bucket",
            "identity_provider = \"https://tenant.auth0.com\"\nbucket",
            "identity_provider",
        ),
        ("bucket", "cognito_flow = \"classic\"\nbucket", "cognito_flow"),
        ("bucket", "cognito_endpoint = \"ftp://x\"\nbucket", "cognito_endpoint"),
        (
            "bucket",
            "web_identity_token = \"access_token\"\nbucket",
            "web_identity_token",
        ),
    ] {
        let err = parse(&POOL.replace(from, to)).unwrap_err().to_string();
        assert!(err.contains(&format!("{key:?}")), "{key}: {err}");
    }
}

#[test]
fn identity_pool_keys_need_a_pool() {
    let err = parse(&GOOD.replace("bucket", "cognito_flow = \"basic\"\nbucket"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("\"cognito_flow\"") && err.contains("identity_pool_id"),
        "{err}"
    );
    let err = parse(&GOOD.replace("bucket", "prefix = \"c/{identity_id}/\"\nbucket"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("\"prefix\"") && err.contains("identity_pool_id"), "{err}");
    let no_role = GOOD.replace("role_arn = \"arn:aws:iam::123456789012:role/KuraUser\"\n", "");
    let err = parse(&no_role).unwrap_err().to_string();
    assert!(err.contains("\"role_arn\""), "{err}");
}
