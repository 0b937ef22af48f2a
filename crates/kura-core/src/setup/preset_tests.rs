use std::path::Path;

use super::*;
use crate::config::edit::ConfigFile;
use crate::setup::credentials::CredentialSource;

fn auth0(domain: &str) -> ProviderInput {
    ProviderInput::Auth0 {
        domain: domain.into(),
        audience: None,
    }
}

fn draft(provider: ProviderInput) -> ProfileDraft {
    ProfileDraft {
        name: "work".into(),
        provider,
        client_id: "abc123".into(),
        redirect_uri: String::new(),
        loopback_port: None,
        credentials: CredentialSource::Role,
        role_arn: "arn:aws:iam::123456789012:role/KuraUser".into(),
        identity_pool_id: String::new(),
        identity_provider: String::new(),
        cognito_flow: CognitoFlow::Enhanced,
        cognito_endpoint: String::new(),
        bucket: "acme-files".into(),
        region: "eu-west-1".into(),
        prefix: DEFAULT_PREFIX.into(),
        s3_endpoint: String::new(),
        sts_endpoint: String::new(),
        force_path_style: false,
    }
}

/// (field, code) of each issue.
fn codes(issues: &[FieldIssue]) -> Vec<(&str, &str)> {
    issues.iter().map(|i| (i.field.as_str(), i.code.as_str())).collect()
}

fn issuer_codes(p: ProviderInput) -> Vec<(String, String)> {
    p.issuer().unwrap_err().into_iter().map(|i| (i.field, i.code)).collect()
}

fn pair(f: &str, c: &str) -> (String, String) {
    (f.to_string(), c.to_string())
}

#[test]
fn auth0_issuer_has_the_trailing_slash() {
    assert_eq!(
        auth0("acme.eu.auth0.com").issuer().unwrap(),
        "https://acme.eu.auth0.com/"
    );
    assert_eq!(
        auth0(" https://acme.eu.auth0.com ").issuer().unwrap(),
        "https://acme.eu.auth0.com/"
    );
    assert_eq!(
        auth0("https://acme.eu.auth0.com/").issuer().unwrap(),
        "https://acme.eu.auth0.com/"
    );
    // The local stack is set up through the Auth0 preset: plain http on loopback only.
    assert_eq!(
        auth0("http://127.0.0.1:9400").issuer().unwrap(),
        "http://127.0.0.1:9400/"
    );
    assert_eq!(
        issuer_codes(auth0("http://acme.auth0.com")),
        [pair("domain", "url.https_required")]
    );
    assert_eq!(
        issuer_codes(auth0("acme.auth0.com/api")),
        [pair("domain", "url.invalid")]
    );
    assert_eq!(issuer_codes(auth0("  ")), [pair("domain", "required")]);
    let p = ProviderInput::Auth0 {
        domain: "acme.auth0.com".into(),
        audience: Some(" https://api.acme.com ".into()),
    };
    assert_eq!(p.audience().as_deref(), Some("https://api.acme.com"));
    assert_eq!(p.scopes(), ["openid", "offline_access", "profile", "email"]);
}

#[test]
fn cognito_issuer_and_scopes() {
    let p = |region: &str, pool: &str| ProviderInput::Cognito {
        pool_region: region.into(),
        user_pool_id: pool.into(),
    };
    let ok = p("eu-west-1", "eu-west-1_AbC123");
    assert_eq!(
        ok.issuer().unwrap(),
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"
    );
    assert_eq!(ok.scopes(), ["openid", "profile", "email"]);
    assert_eq!(
        issuer_codes(p("us-east-1", "eu-west-1_AbC123")),
        [pair("user_pool_id", "user_pool_id.region_mismatch")]
    );
    let msg = p("us-east-1", "eu-west-1_AbC123").issuer().unwrap_err()[0]
        .message
        .clone();
    assert!(msg.contains("eu-west-1"), "{msg}");
    assert_eq!(
        issuer_codes(p("eu-west-1", "AbC123")),
        [pair("user_pool_id", "user_pool_id.invalid")]
    );
    assert_eq!(
        issuer_codes(p("", "")),
        [pair("pool_region", "required"), pair("user_pool_id", "required")]
    );
    assert_eq!(
        issuer_codes(p("EU", "eu-west-1_x")),
        [pair("pool_region", "region.invalid")]
    );
}

#[test]
fn keycloak_okta_entra_generic() {
    let kc = |base: &str, realm: &str| ProviderInput::Keycloak {
        base_url: base.into(),
        realm: realm.into(),
    };
    assert_eq!(
        kc("sso.example.com", "acme").issuer().unwrap(),
        "https://sso.example.com/realms/acme"
    );
    assert_eq!(
        kc("https://sso.example.com/auth/", "acme").issuer().unwrap(),
        "https://sso.example.com/auth/realms/acme"
    );
    assert_eq!(
        issuer_codes(kc("https://sso.example.com/realms/acme", "a b")),
        [pair("base_url", "url.invalid"), pair("realm", "realm.invalid")]
    );

    let okta = |org: &str, server: Option<&str>| ProviderInput::Okta {
        org_url: org.into(),
        authorization_server: server.map(str::to_string),
    };
    assert_eq!(
        okta("acme.okta.com", None).issuer().unwrap(),
        "https://acme.okta.com/oauth2/default"
    );
    assert_eq!(
        okta("https://acme.okta.com/", Some("aus1x2y3")).issuer().unwrap(),
        "https://acme.okta.com/oauth2/aus1x2y3"
    );
    assert_eq!(
        issuer_codes(okta("acme.okta.com", Some("a/b"))),
        [pair("authorization_server", "authorization_server.invalid")]
    );

    let entra = |t: &str| ProviderInput::Entra { tenant_id: t.into() };
    assert_eq!(
        entra("72f988bf-86f1-41af-91ab-2d7cd011db47").issuer().unwrap(),
        "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
    );
    assert_eq!(
        issuer_codes(entra("common")),
        [pair("tenant_id", "tenant_id.multi_tenant")]
    );
    assert_eq!(issuer_codes(entra("a/b")), [pair("tenant_id", "tenant_id.invalid")]);

    let generic = ProviderInput::Generic {
        issuer: "https://idp.example.com".into(),
        scopes: None,
    };
    assert_eq!(generic.issuer().unwrap(), "https://idp.example.com", "kept as typed");
    let bad = ProviderInput::Generic {
        issuer: "http://idp.example.com".into(),
        scopes: Some(vec!["profile".into()]),
    };
    assert_eq!(issuer_codes(bad.clone()), [pair("issuer", "url.https_required")]);
    assert_eq!(
        codes(&draft(bad).validate(&[], None)),
        [("issuer", "url.https_required"), ("scopes", "scopes.no_openid")]
    );
}

#[test]
fn validate_names_each_field() {
    let mut d = draft(auth0("acme.auth0.com"));
    assert!(d.validate(&[], None).is_empty());
    let taken = vec!["work".to_string()];
    assert_eq!(codes(&d.validate(&taken, None)), [("name", "name.taken")]);
    assert!(
        d.validate(&taken, Some("work")).is_empty(),
        "editing keeps its own name"
    );
    d.name = "a:session".into();
    d.client_id = String::new();
    d.redirect_uri = "com.example.app:/cb".into();
    d.loopback_port = Some(80);
    d.role_arn = "KuraUser".into();
    d.bucket = "Acme".into();
    d.region = String::new();
    d.prefix = "/x/".into();
    d.s3_endpoint = "http://s3.example.com".into();
    assert_eq!(
        codes(&d.validate(&[], None)),
        [
            ("name", "name.invalid"),
            ("client_id", "required"),
            ("redirect_uri", "redirect.foreign_scheme"),
            ("loopback_port", "port.invalid"),
            ("role_arn", "role_arn.invalid"),
            ("bucket", "bucket.invalid"),
            ("region", "required"),
            ("prefix", "prefix.invalid"),
            ("s3_endpoint", "url.https_required"),
        ]
    );
    assert_eq!(d.to_keys().unwrap_err().len(), 9);
    assert_eq!(d.summary().unwrap_err().len(), 9);
}

#[test]
fn keys_skip_defaults_and_unset_cleared_fields() {
    let mut d = draft(ProviderInput::Cognito {
        pool_region: "eu-west-1".into(),
        user_pool_id: "eu-west-1_AbC123".into(),
    });
    let k = d.to_keys().unwrap();
    let set: Vec<(&str, String)> = k
        .set
        .iter()
        .map(|(k, v)| (*k, v.to_string().trim().to_string()))
        .collect();
    assert_eq!(
        set,
        [
            (
                "issuer",
                "\"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123\"".to_string()
            ),
            ("client_id", "\"abc123\"".into()),
            ("scopes", "[\"openid\", \"profile\", \"email\"]".into()),
            ("role_arn", "\"arn:aws:iam::123456789012:role/KuraUser\"".into()),
            ("bucket", "\"acme-files\"".into()),
            ("region", "\"eu-west-1\"".into()),
        ]
    );
    assert_eq!(
        k.unset,
        [
            "audience",
            "redirect_uri",
            "loopback_port",
            "identity_pool_id",
            "identity_provider",
            "cognito_flow",
            "cognito_endpoint",
            "prefix",
            "s3_endpoint",
            "sts_endpoint",
            "force_path_style"
        ]
    );
    d.provider = auth0("acme.auth0.com");
    d.prefix = "home/{sub}/".into();
    d.force_path_style = true;
    d.loopback_port = Some(53682);
    let k = d.to_keys().unwrap();
    let names: Vec<&str> = k.set.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        names,
        [
            "issuer",
            "client_id",
            "loopback_port",
            "role_arn",
            "bucket",
            "region",
            "prefix",
            "force_path_style"
        ]
    );
    assert!(k.unset.contains(&"scopes") && k.unset.contains(&"audience"));
    // Generic has no audience field: it leaves a hand-written audience alone.
    d.provider = ProviderInput::Generic {
        issuer: "https://idp.example.com/".into(),
        scopes: None,
    };
    let k = d.to_keys().unwrap();
    assert!(!k.unset.contains(&"audience") && !k.set.iter().any(|(k, _)| *k == "audience"));
}

#[test]
fn summary_lists_callbacks_and_policies() {
    let mut d = draft(auth0("acme.auth0.com"));
    let s = d.summary().unwrap();
    assert_eq!(s.issuer, "https://acme.auth0.com/");
    assert_eq!(s.callback_urls, ["http://127.0.0.1/callback"]);
    assert!(
        s.trust_policy.contains("\"acme.auth0.com/:aud\": \"abc123\""),
        "{}",
        s.trust_policy
    );
    assert!(
        s.permission_policy
            .contains("arn:aws:s3:::acme-files/users/${acme.auth0.com/:sub}/*"),
        "{}",
        s.permission_policy
    );
    d.redirect_uri = crate::config::APP_REDIRECT_URI.into();
    assert_eq!(
        d.summary().unwrap().callback_urls,
        ["app.kura.desktop:/callback", "http://127.0.0.1/callback"]
    );
    d.loopback_port = Some(53682);
    assert_eq!(
        d.summary().unwrap().callback_urls,
        ["app.kura.desktop:/callback", "http://127.0.0.1:53682/callback"]
    );
    d.redirect_uri = "http://127.0.0.1:8765/callback".into();
    d.loopback_port = None;
    assert_eq!(d.summary().unwrap().callback_urls, ["http://127.0.0.1:8765/callback"]);
}

/// Amazon Cognito takes plain-http callbacks only on `localhost`, matched exactly.
#[test]
fn cognito_lists_the_localhost_callback() {
    let mut d = draft(ProviderInput::Cognito {
        pool_region: "eu-west-1".into(),
        user_pool_id: "eu-west-1_AbC123".into(),
    });
    d.redirect_uri = "http://localhost:47190/callback".into();
    assert!(d.validate(&[], None).is_empty(), "{:?}", d.validate(&[], None));
    let s = d.summary().unwrap();
    assert_eq!(s.callback_urls, ["http://localhost:47190/callback"]);
    assert_eq!(s.scopes, ["openid", "profile", "email"]);
    let k = d.to_keys().unwrap();
    assert!(
        k.set
            .iter()
            .any(|(key, v)| *key == "redirect_uri" && v.as_str() == Some("http://localhost:47190/callback")),
        "{:?}",
        k.set
    );

    // The desktop on the app's scheme: the CLI's loopback is on localhost too.
    d.redirect_uri = crate::config::APP_REDIRECT_URI.into();
    d.loopback_port = Some(47190);
    assert_eq!(
        d.summary().unwrap().callback_urls,
        ["app.kura.desktop:/callback", "http://localhost:47190/callback"]
    );
    // Any other host stays refused.
    d.redirect_uri = "http://[::1]:47190/callback".into();
    assert_eq!(
        codes(&d.validate(&[], None)),
        [("redirect_uri", "redirect.not_loopback")]
    );
}

/// draft → keys → config file → Config → Profile → draft gives the same draft, per preset.
#[test]
fn round_trip_through_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let mut full = draft(ProviderInput::Auth0 {
        domain: "acme.eu.auth0.com".into(),
        audience: Some("https://kura.example.com".into()),
    });
    full.redirect_uri = "app.kura.desktop:/callback".into();
    full.loopback_port = Some(53682);
    full.prefix = "home/{sub}/".into();
    full.s3_endpoint = "https://s3.example.com".into();
    full.sts_endpoint = "https://sts.example.com".into();
    full.force_path_style = true;
    let providers = [
        auth0("acme.auth0.com"),
        ProviderInput::Cognito {
            pool_region: "eu-west-1".into(),
            user_pool_id: "eu-west-1_AbC123".into(),
        },
        ProviderInput::Keycloak {
            base_url: "https://sso.example.com/auth".into(),
            realm: "acme".into(),
        },
        ProviderInput::Okta {
            org_url: "https://acme.okta.com".into(),
            authorization_server: None,
        },
        ProviderInput::Okta {
            org_url: "https://acme.okta.com".into(),
            authorization_server: Some("aus1x2y3".into()),
        },
        ProviderInput::Entra {
            tenant_id: "72f988bf-86f1-41af-91ab-2d7cd011db47".into(),
        },
        ProviderInput::Generic {
            issuer: "https://idp.example.com/oidc".into(),
            scopes: Some(vec!["openid".into(), "email".into()]),
        },
        ProviderInput::Generic {
            issuer: "http://127.0.0.1:9400/".into(),
            scopes: None,
        },
    ];
    let drafts = std::iter::once(full).chain(providers.into_iter().map(draft));
    for (i, d) in drafts.enumerate() {
        let name = format!("p{i}");
        let d = ProfileDraft {
            name: name.clone(),
            ..d
        };
        let mut f = ConfigFile::open(&path).unwrap();
        f.set_profile(&name, &d.to_keys().unwrap()).unwrap();
        f.save().unwrap();
        let profile = crate::config::Config::load(&path)
            .unwrap()
            .profile(Some(&name))
            .unwrap();
        assert_eq!(profile.issuer, d.provider.issuer().unwrap());
        assert_eq!(
            ProfileDraft::from_profile(&profile),
            d,
            "{}",
            std::fs::read_to_string(&path).unwrap()
        );
    }
}

#[test]
fn from_profile_infers_presets_only_when_they_fit() {
    let parse = |issuer: &str, extra: &str| {
        let text = format!(
            "[profiles.p]\nissuer = \"{issuer}\"\nclient_id = \"c\"\nrole_arn = \"arn:aws:iam::1:role/R\"\nbucket = \"bkt\"\n{extra}"
        );
        let profile = crate::config::Config::parse(Path::new("c.toml"), &text)
            .unwrap()
            .profile(Some("p"))
            .unwrap();
        ProviderInput::from_profile(&profile)
    };
    assert_eq!(parse("https://acme.auth0.com/", "").preset(), Preset::Auth0);
    // A custom domain with an audience is Auth0; without, nothing says so.
    assert_eq!(
        parse("https://login.acme.com/", "audience = \"https://api\"\n"),
        ProviderInput::Auth0 {
            domain: "login.acme.com".into(),
            audience: Some("https://api".into())
        }
    );
    assert_eq!(parse("https://login.acme.com/", "").preset(), Preset::Generic);
    // Auth0 without its trailing slash would not match the ID token's iss: keep as typed.
    assert_eq!(parse("https://acme.auth0.com", "").preset(), Preset::Generic);
    // Cognito with offline_access (the default scopes) is not what the preset writes.
    assert_eq!(
        parse("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123", "").preset(),
        Preset::Generic
    );
    assert_eq!(
        parse("https://sso.example.com/realms/acme", "").preset(),
        Preset::Keycloak
    );
    assert_eq!(
        parse("https://id.acme.com/oauth2/default", "").preset(),
        Preset::Generic
    );
    assert_eq!(
        parse(
            "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
            ""
        )
        .preset(),
        Preset::Entra
    );
}
