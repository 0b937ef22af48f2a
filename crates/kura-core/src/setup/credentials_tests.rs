//! The identity pool fields of the setup form: validation by code, the keys written (and
//! removed when switching), the round trip through the config file, and what an administrator
//! registers (`summary`, `SetupSummary::for_profile`).

use std::path::Path;

use super::*;
use crate::config::edit::ConfigFile;
use crate::config::Config;
use crate::setup::preset::DEFAULT_PREFIX;
use crate::setup::{PoolProviderType, ProviderInput, SetupSummary};

const POOL_ID: &str = "us-east-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001";

fn pool_draft(provider: ProviderInput) -> ProfileDraft {
    ProfileDraft {
        name: "pool".into(),
        provider,
        client_id: "abc123".into(),
        redirect_uri: String::new(),
        loopback_port: None,
        credentials: CredentialSource::IdentityPool,
        role_arn: String::new(),
        identity_pool_id: POOL_ID.into(),
        identity_provider: String::new(),
        cognito_flow: CognitoFlow::Enhanced,
        cognito_endpoint: String::new(),
        bucket: "acme-files".into(),
        region: "us-east-1".into(),
        prefix: "cognito/{identity_id}/".into(),
        s3_endpoint: String::new(),
        sts_endpoint: String::new(),
        force_path_style: false,
    }
}

fn auth0() -> ProviderInput {
    ProviderInput::Auth0 {
        domain: "acme.auth0.com".into(),
        audience: None,
    }
}

fn user_pool() -> ProviderInput {
    ProviderInput::Cognito {
        pool_region: "eu-west-1".into(),
        user_pool_id: "eu-west-1_AbC123".into(),
    }
}

fn codes(d: &ProfileDraft) -> Vec<(String, String)> {
    d.validate(&[], None).into_iter().map(|i| (i.field, i.code)).collect()
}

fn pair(f: &str, c: &str) -> (String, String) {
    (f.to_string(), c.to_string())
}

fn set_keys(k: &ProfileKeys) -> Vec<(&str, String)> {
    k.set
        .iter()
        .map(|(k, v)| (*k, v.to_string().trim().to_string()))
        .collect()
}

#[test]
fn pool_fields_are_checked_by_code() {
    let mut d = pool_draft(auth0());
    assert_eq!(codes(&d), [], "enhanced flow: no role ARN needed");
    d.identity_pool_id = "us-east-1".into();
    d.identity_provider = "https://acme.auth0.com".into();
    d.cognito_endpoint = "http://cognito.example.com".into();
    assert_eq!(
        codes(&d),
        [
            pair("identity_pool_id", "identity_pool_id.invalid"),
            pair("identity_provider", "identity_provider.invalid"),
            pair("cognito_endpoint", "url.https_required"),
        ]
    );
    d = pool_draft(auth0());
    d.identity_pool_id = " ".into();
    d.cognito_flow = CognitoFlow::Basic;
    assert_eq!(
        codes(&d),
        [pair("identity_pool_id", "required"), pair("role_arn", "required")],
        "the basic flow assumes role_arn with the pool's token"
    );
    d.identity_pool_id = POOL_ID.into();
    d.role_arn = "KuraUser".into();
    assert_eq!(codes(&d), [pair("role_arn", "role_arn.invalid")]);
    d.role_arn = "arn:aws:iam::123456789012:role/KuraCognito".into();
    assert_eq!(codes(&d), []);
    assert!(d.to_keys().is_ok() && d.summary().is_ok());
}

#[test]
fn identity_id_needs_a_pool_and_role_ignores_pool_fields() {
    let mut d = pool_draft(auth0());
    d.credentials = CredentialSource::Role;
    d.identity_pool_id = "not a pool".into();
    d.cognito_endpoint = "ftp://x".into();
    assert_eq!(
        codes(&d),
        [
            pair("role_arn", "required"),
            pair("prefix", "prefix.identity_id_without_pool")
        ]
    );
    d.role_arn = "arn:aws:iam::123456789012:role/KuraUser".into();
    d.prefix = "users/{sub}/".into();
    assert_eq!(codes(&d), [], "hidden pool fields are not checked for a role");
    let k = d.to_keys().unwrap();
    for key in [
        "identity_pool_id",
        "identity_provider",
        "cognito_flow",
        "cognito_endpoint",
    ] {
        assert!(k.unset.contains(&key), "{key} not removed: {:?}", k.unset);
        assert!(!k.set.iter().any(|(s, _)| *s == key), "{key} written");
    }
}

#[test]
fn pool_keys_skip_defaults() {
    let d = pool_draft(auth0());
    let k = d.to_keys().unwrap();
    assert_eq!(
        set_keys(&k),
        [
            ("issuer", "\"https://acme.auth0.com/\"".to_string()),
            ("client_id", "\"abc123\"".into()),
            ("identity_pool_id", format!("{POOL_ID:?}")),
            ("bucket", "\"acme-files\"".into()),
            ("region", "\"us-east-1\"".into()),
            ("prefix", "\"cognito/{identity_id}/\"".into()),
        ]
    );
    for key in [
        "role_arn",
        "identity_provider",
        "cognito_flow",
        "cognito_endpoint",
        "web_identity_token",
    ] {
        assert!(k.unset.contains(&key), "{key} not removed: {:?}", k.unset);
    }
    // The default typed out is still the default; another name, the flow and endpoint are written.
    let mut d = pool_draft(auth0());
    d.identity_provider = "acme.auth0.com".into();
    assert!(!d.to_keys().unwrap().set.iter().any(|(k, _)| *k == "identity_provider"));
    d.identity_provider = "login.acme.com".into();
    d.cognito_flow = CognitoFlow::Basic;
    d.role_arn = "arn:aws:iam::123456789012:role/KuraCognito".into();
    d.cognito_endpoint = "http://127.0.0.1:9420".into();
    let keys = d.to_keys().unwrap();
    let set = set_keys(&keys);
    for want in [
        ("role_arn", "\"arn:aws:iam::123456789012:role/KuraCognito\""),
        ("identity_provider", "\"login.acme.com\""),
        ("cognito_flow", "\"basic\""),
        ("cognito_endpoint", "\"http://127.0.0.1:9420\""),
    ] {
        assert!(
            set.iter().any(|(k, v)| *k == want.0 && v == want.1),
            "{want:?} not in {set:?}"
        );
    }
}

/// draft → config file → Profile → draft, for the pool variants; then switching the saved
/// profile between a role and a pool leaves a file the reader accepts, without the other
/// source's keys.
#[test]
fn round_trip_and_switching_sources_through_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let save = |d: &ProfileDraft| {
        let mut f = ConfigFile::open(&path).unwrap();
        f.set_profile(&d.name, &d.to_keys().unwrap()).unwrap();
        f.save().unwrap();
        Config::load(&path).unwrap().profile(Some(&d.name)).unwrap()
    };
    let mut basic = pool_draft(user_pool());
    basic.cognito_flow = CognitoFlow::Basic;
    basic.role_arn = "arn:aws:iam::123456789012:role/KuraCognito".into();
    basic.identity_provider = "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other1".into();
    basic.cognito_endpoint = "https://cognito-identity.example.com".into();
    let mut custom_role = pool_draft(auth0());
    custom_role.role_arn = "arn:aws:iam::123456789012:role/Custom".into();
    for d in [pool_draft(auth0()), pool_draft(user_pool()), basic, custom_role] {
        let profile = save(&d);
        assert_eq!(profile.identity_pool, d.identity_pool());
        assert_eq!(
            ProfileDraft::from_profile(&profile),
            d,
            "{}",
            std::fs::read_to_string(&path).unwrap()
        );
    }

    // A role profile sending the access token becomes a pool profile: web_identity_token goes.
    std::fs::write(
        &path,
        "[profiles.p]\nissuer = \"https://acme.auth0.com/\" # the tenant\nclient_id = \"abc123\"\naudience = \"https://api\"\nweb_identity_token = \"access_token\"\nrole_arn = \"arn:aws:iam::123456789012:role/R\"\nbucket = \"acme-files\"\n",
    )
    .unwrap();
    let mut d = ProfileDraft::from_profile(&Config::load(&path).unwrap().profile(Some("p")).unwrap());
    assert_eq!(d.credentials, CredentialSource::Role);
    d.credentials = CredentialSource::IdentityPool;
    d.identity_pool_id = POOL_ID.into();
    d.role_arn.clear();
    d.prefix = "cognito/{identity_id}/".into();
    let p = save(&d);
    assert_eq!(p.role_arn, None);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        !text.contains("web_identity_token") && !text.contains("role_arn"),
        "{text}"
    );
    assert!(text.contains("# the tenant"), "comments survive: {text}");
    // And back to a role: the pool's keys go, the reader accepts the file.
    d.credentials = CredentialSource::Role;
    d.role_arn = "arn:aws:iam::123456789012:role/R".into();
    d.identity_provider = "left.over".into();
    d.prefix = DEFAULT_PREFIX.into();
    let p = save(&d);
    assert_eq!(
        (p.identity_pool, p.role_arn.as_deref()),
        (None, Some("arn:aws:iam::123456789012:role/R"))
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("identity_") && !text.contains("cognito"), "{text}");
}

#[test]
fn user_pool_preset_derives_the_logins_key() {
    let d = pool_draft(user_pool());
    let provider = "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123";
    assert_eq!(d.default_identity_provider().as_deref(), Some(provider));
    assert_eq!(d.identity_pool().unwrap().identity_provider, provider);
    let s = d.summary().unwrap();
    let pool = s.identity_pool.as_ref().unwrap();
    assert_eq!(pool.identity_provider, provider);
    assert_eq!(pool.provider_type, PoolProviderType::CognitoUserPool);
    assert_eq!((pool.client_id.as_str(), pool.region.as_str()), ("abc123", "us-east-1"));
    assert_eq!(s.oidc_provider, None, "the pool lists the user pool itself");
    // No issuer yet: no default to show.
    let mut empty = d.clone();
    empty.provider = ProviderInput::Cognito {
        pool_region: String::new(),
        user_pool_id: String::new(),
    };
    assert_eq!(empty.default_identity_provider(), None);
}

#[test]
fn pool_summary_has_the_pool_policies() {
    let s = pool_draft(auth0()).summary().unwrap();
    let trust: serde_json::Value = serde_json::from_str(&s.trust_policy).unwrap();
    assert_eq!(trust, crate::setup::policy::identity_pool_trust_policy(POOL_ID));
    assert!(
        s.permission_policy
            .contains("arn:aws:s3:::acme-files/cognito/${cognito-identity.amazonaws.com:sub}/*"),
        "{}",
        s.permission_policy
    );
    assert_eq!(s.role_arn, None, "the pool's authenticated role");
    let pool = s.identity_pool.unwrap();
    assert_eq!(
        (pool.provider_type, pool.identity_provider.as_str(), pool.custom_role),
        (PoolProviderType::OpenidConnect, "acme.auth0.com", false)
    );
    let oidc = s.oidc_provider.unwrap();
    assert_eq!(oidc.arn, "arn:aws:iam::ACCOUNT_ID:oidc-provider/acme.auth0.com");
    assert_eq!(
        (oidc.url.as_str(), oidc.audience.as_str()),
        ("acme.auth0.com", "abc123")
    );

    // A custom role names the account and partition; a China region without one its partition.
    let mut d = pool_draft(auth0());
    d.role_arn = "arn:aws-cn:iam::123456789012:role/Custom".into();
    let s = d.summary().unwrap();
    assert!(s.identity_pool.unwrap().custom_role);
    assert_eq!(
        s.oidc_provider.unwrap().arn,
        "arn:aws-cn:iam::123456789012:oidc-provider/acme.auth0.com"
    );
    let mut d = pool_draft(auth0());
    d.region = "cn-north-1".into();
    assert!(d
        .summary()
        .unwrap()
        .permission_policy
        .contains("arn:aws-cn:s3:::acme-files"));
}

/// `kura profile show --policies` and the setup form print the same registrations.
#[test]
fn saved_profile_summary_equals_the_forms() {
    let parse = |text: &str| {
        Config::parse(Path::new("c.toml"), text)
            .unwrap()
            .profile(Some("p"))
            .unwrap()
    };
    let pool = parse(&format!(
        "[profiles.p]\nissuer = \"http://127.0.0.1:9400/\"\nclient_id = \"kura-desktop\"\nidentity_pool_id = \"{POOL_ID}\"\nidentity_provider = \"127.0.0.1:9400\"\ncognito_endpoint = \"http://127.0.0.1:9420\"\nbucket = \"kura\"\nprefix = \"cognito/{{identity_id}}/\"\n"
    ));
    let from_form = ProfileDraft::from_profile(&pool).summary().unwrap();
    assert_eq!(SetupSummary::for_profile(&pool), from_form);
    assert_eq!(from_form.identity_pool.unwrap().identity_provider, "127.0.0.1:9400");
    // A role profile sending the access token: its trust policy's audience is the API's.
    let role = parse("[profiles.p]\nissuer = \"https://acme.auth0.com/\"\nclient_id = \"abc\"\naudience = \"https://api\"\nweb_identity_token = \"access_token\"\nrole_arn = \"arn:aws:iam::123456789012:role/R\"\nbucket = \"b-1\"\n");
    let s = SetupSummary::for_profile(&role);
    assert!(
        s.trust_policy.contains("\"acme.auth0.com/:aud\": \"https://api\""),
        "{}",
        s.trust_policy
    );
    assert_eq!(s.oidc_provider.unwrap().audience, "https://api");
    assert_eq!(s.identity_pool, None);
    assert_eq!(s.role_arn.as_deref(), Some("arn:aws:iam::123456789012:role/R"));
}
