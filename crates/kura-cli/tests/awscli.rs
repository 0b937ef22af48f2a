//! The AWS CLI (a real client we did not write), configured with
//! `credential_process = kura credential-process`, lists and copies in the user's prefix.

mod common;

use common::*;

#[test]
fn aws_cli_uses_kura_as_credential_process() {
    let env = Env::new("awscli", &[]);
    assert!(env.login(ALICE).status.success());
    let aws_config = env.path("aws-config");
    std::fs::write(
        &aws_config,
        format!(
            "[default]\nregion = us-east-1\ncredential_process = {} credential-process\n",
            env!("CARGO_BIN_EXE_kura")
        ),
    )
    .unwrap();
    let aws = |args: &[&str]| {
        let out = std::process::Command::new("aws")
            .args(args)
            .args(["--endpoint-url", env.stack.s3()])
            .env("AWS_CONFIG_FILE", &aws_config)
            .env("AWS_SHARED_CREDENTIALS_FILE", env.path("no-credentials"))
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_PROFILE")
            .env("KURA_CONFIG", &env.config)
            .env("KURA_PROFILE", &env.profile)
            .env("KURA_STATE_DIR", env.path("state"))
            .current_dir(env.dir.path())
            .output()
            .expect("the aws CLI is installed (pip awscli)");
        (out.status.success(), text(&out.stdout), text(&out.stderr))
    };
    let prefix = format!("s3://{}/users/{ALICE_SUB}/", env.stack.bucket());
    let (ok, out, err) = aws(&["s3", "ls", &prefix]);
    assert!(ok, "{err}");
    assert!(out.contains("welcome.txt"), "{out}");

    let local = env.path("up.txt");
    std::fs::write(&local, b"via the aws cli").unwrap();
    let remote = format!("{prefix}awscli-{}.txt", env.profile);
    let (ok, _, err) = aws(&["s3", "cp", local.to_str().unwrap(), &remote]);
    assert!(ok, "{err}");
    let back = env.path("back.txt");
    let (ok, _, err) = aws(&["s3", "cp", &remote, back.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert_eq!(std::fs::read(&back).unwrap(), b"via the aws cli");
    // And Kura sees what the AWS CLI wrote.
    assert!(env.ok(&["ls"]).contains(&format!("awscli-{}.txt", env.profile)));
    // Outside the prefix the AWS CLI is refused too.
    let (ok, _, _) = aws(&["s3", "ls", &format!("s3://{}/users/{BOB_SUB}/", env.stack.bucket())]);
    assert!(!ok);
    env.ok(&["rm", &format!("awscli-{}.txt", env.profile)]);
}
