use std::path::Path;

use super::*;
use crate::config::Config;

fn profile(extra: &str) -> Profile {
    let text = format!(
        "[profiles.p]\nissuer = \"https://example.eu.auth0.com/\"\nclient_id = \"c\"\nbucket = \"team-files\"\n{extra}\n"
    );
    Config::parse(Path::new("t.toml"), &text)
        .unwrap()
        .profile(Some("p"))
        .unwrap()
}

const ROLE: &str = "role_arn = \"arn:aws:iam::123456789012:role/KuraUser\"";

#[test]
fn federation_endpoint_is_global_in_us_east_1_and_regional_elsewhere() {
    let p = profile(ROLE);
    assert_eq!(
        federation_endpoint(&p).unwrap().as_str(),
        "https://signin.aws.amazon.com/federation"
    );
    let p = profile(&format!("{ROLE}\nregion = \"eu-central-1\""));
    assert_eq!(
        federation_endpoint(&p).unwrap().as_str(),
        "https://eu-central-1.signin.aws.amazon.com/federation"
    );
}

#[test]
fn federation_endpoint_follows_the_role_arn_partition() {
    let p = profile("role_arn = \"arn:aws-cn:iam::123456789012:role/R\"\nregion = \"cn-north-1\"");
    assert_eq!(
        federation_endpoint(&p).unwrap().as_str(),
        "https://signin.amazonaws.cn/federation"
    );
    let p = profile("role_arn = \"arn:aws-us-gov:iam::123456789012:role/R\"\nregion = \"us-gov-west-1\"");
    assert_eq!(
        federation_endpoint(&p).unwrap().as_str(),
        "https://signin.amazonaws-us-gov.com/federation"
    );
    let p = profile("role_arn = \"arn:aws-iso:iam::123456789012:role/R\"");
    let e = federation_endpoint(&p).unwrap_err();
    assert_eq!(e.code(), "console.endpoint");
    assert!(s3_destination(&p, "users/x/").is_err());
}

#[test]
fn federation_endpoint_key_overrides_the_derivation() {
    let p = profile(&format!(
        "{ROLE}\nregion = \"eu-west-1\"\nfederation_endpoint = \"http://127.0.0.1:9410/federation\""
    ));
    assert_eq!(
        federation_endpoint(&p).unwrap().as_str(),
        "http://127.0.0.1:9410/federation"
    );
}

#[test]
fn federation_endpoint_key_must_be_https_or_loopback() {
    let text = format!(
        "[profiles.p]\nissuer = \"https://e.example/\"\nclient_id = \"c\"\nbucket = \"b-1\"\n{ROLE}\nfederation_endpoint = \"http://signin.example/federation\"\n"
    );
    let e = Config::parse(Path::new("t.toml"), &text)
        .unwrap()
        .profile(Some("p"))
        .unwrap_err();
    assert_eq!(e.code(), "config.invalid");
    assert!(e.to_string().contains("federation_endpoint"), "{e}");
}

#[test]
fn s3_destination_opens_the_bucket_at_the_users_prefix_in_the_profiles_region() {
    let p = profile(&format!("{ROLE}\nregion = \"eu-central-1\""));
    let d = s3_destination(&p, "users/auth0|alice0001/").unwrap();
    assert_eq!(
        d.as_str(),
        "https://eu-central-1.console.aws.amazon.com/s3/buckets/team-files?region=eu-central-1&prefix=users%2Fauth0%7Calice0001%2F"
    );
    let pairs: Vec<(String, String)> = d.query_pairs().into_owned().collect();
    assert!(pairs.contains(&("prefix".into(), "users/auth0|alice0001/".into())));
    let p = profile("role_arn = \"arn:aws-us-gov:iam::123456789012:role/R\"\nregion = \"us-gov-west-1\"");
    assert!(s3_destination(&p, "u/")
        .unwrap()
        .as_str()
        .starts_with("https://console.amazonaws-us-gov.com/s3/buckets/team-files?region=us-gov-west-1"));
}

#[test]
fn destination_must_be_an_absolute_https_url() {
    assert!(destination("https://console.aws.amazon.com/ec2/home").is_ok());
    for bad in [
        "console.aws.amazon.com",
        "http://console.aws.amazon.com/",
        "javascript:alert(1)",
    ] {
        assert_eq!(destination(bad).unwrap_err().code(), "console.destination", "{bad}");
    }
}

#[test]
fn signin_url_debug_shows_no_secret() {
    let u = SigninUrl {
        url: SecretString::from("https://signin.aws.amazon.com/federation?Action=login&SigninToken=SECRET".to_string()),
        endpoint: "https://signin.aws.amazon.com/federation".into(),
    };
    assert!(!format!("{u:?}").contains("SECRET"));
    assert!(u.expose().contains("SECRET"));
}

#[test]
fn federation_error_keeps_the_http_status_and_code() {
    let e = crate::Error::from(ConsoleError::Federation {
        endpoint: "https://signin.aws.amazon.com/federation".into(),
        status: Some(400),
        detail: "refused".into(),
    });
    assert_eq!(e.code(), "console.federation");
    assert_eq!(e.kind(), crate::ErrorKind::Auth);
    assert!(e.to_string().contains("HTTP 400"), "{e}");
}
