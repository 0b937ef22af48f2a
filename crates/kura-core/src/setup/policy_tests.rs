use super::*;

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

#[test]
fn auth0_trust_policy_keeps_the_trailing_slash() {
    assert_eq!(provider_url("https://acme.auth0.com/"), "acme.auth0.com/");
    let got = pretty(&trust_policy(
        "https://acme.auth0.com/",
        "CLIENT",
        "arn:aws:iam::123456789012:role/KuraUser",
    ));
    assert_eq!(
        got,
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "Federated": "arn:aws:iam::123456789012:oidc-provider/acme.auth0.com/"
      },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "acme.auth0.com/:aud": "CLIENT"
        }
      }
    }
  ]
}"#
    );
}

#[test]
fn auth0_permission_policy_uses_the_sub_variable() {
    let got = pretty(&permission_policy(
        "https://acme.auth0.com/",
        "acme-files",
        "users/{sub}/",
    ));
    assert_eq!(
        got,
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ListOwnFolder",
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::acme-files",
      "Condition": {
        "StringLike": {
          "s3:prefix": [
            "users/${acme.auth0.com/:sub}/",
            "users/${acme.auth0.com/:sub}/*"
          ]
        }
      }
    },
    {
      "Sid": "OwnObjects",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts"
      ],
      "Resource": "arn:aws:s3:::acme-files/users/${acme.auth0.com/:sub}/*"
    }
  ]
}"#
    );
}

#[test]
fn cognito_user_pool_names() {
    let issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123";
    let trust = trust_policy(issuer, "app-client", "arn:aws:iam::123456789012:role/R");
    assert_eq!(
        serde_json::to_string(&trust["Statement"][0]["Principal"]).unwrap(),
        r#"{"Federated":"arn:aws:iam::123456789012:oidc-provider/cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"}"#
    );
    assert_eq!(
        serde_json::to_string(&trust["Statement"][0]["Condition"]).unwrap(),
        r#"{"StringEquals":{"cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123:aud":"app-client"}}"#
    );
    let perms = permission_policy(issuer, "b-1", "home/{sub}/");
    assert_eq!(
        perms["Statement"][1]["Resource"],
        "arn:aws:s3:::b-1/home/${cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123:sub}/*"
    );
}

#[test]
fn partition_and_account_come_from_the_role_arn() {
    let federated = |arn: &str| {
        trust_policy("https://idp.example.com/", "c", arn)["Statement"][0]["Principal"]["Federated"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        federated("arn:aws-cn:iam::123456789012:role/R"),
        "arn:aws-cn:iam::123456789012:oidc-provider/idp.example.com/"
    );
    assert_eq!(
        federated("arn:aws-us-gov:iam::123456789012:role/R"),
        "arn:aws-us-gov:iam::123456789012:oidc-provider/idp.example.com/"
    );
    assert_eq!(
        federated("arn:aws:iam::role/KuraUser"),
        "arn:aws:iam::ACCOUNT_ID:oidc-provider/idp.example.com/"
    );
    assert_eq!(
        permission_policy_in(
            partition("arn:aws-cn:iam::123456789012:role/R"),
            "https://i/",
            "b-1",
            "u/{sub}/"
        )["Statement"][0]["Resource"],
        "arn:aws-cn:s3:::b-1"
    );
}

#[test]
fn tag_placeholders_become_principal_tag_variables() {
    let p = permission_policy("https://acme.auth0.com/", "files", "tenants/{tag:tenant}/shared/");
    let text = p.to_string();
    assert!(text.contains("tenants/${aws:PrincipalTag/tenant}/shared/*"), "{text}");
    assert!(!text.contains("{tag:"), "{text}");
    let p = permission_policy("https://acme.auth0.com/", "files", "users/{sub}/");
    assert!(p.to_string().contains("users/${acme.auth0.com/:sub}/*"));
}
