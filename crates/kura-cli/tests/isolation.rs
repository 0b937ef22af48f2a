//! Every cross-prefix attempt made with raw S3 calls using a user's own temporary credentials
//! (bypassing Kura's client-side guard) is denied by the server — the role policy, verified by
//! SeaweedFS's STS against the IdP's JWT, is what confines users.

mod common;

use std::time::Duration;

use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use common::*;
use kura_core::secrecy::ExposeSecret;

async fn raw_client_for(user: (&str, &str)) -> aws_sdk_s3::Client {
    let env = Env::new(&format!("iso-{}", user.0), &[]);
    let session = sign_in(env.profile(), user).await;
    let c = session.credentials().await.unwrap();
    s3_client(
        env.stack.s3(),
        &c.access_key_id,
        c.secret_access_key.expose_secret(),
        Some(c.session_token.expose_secret()),
    )
}

fn denied<T, E: ProvideErrorMetadata + std::fmt::Debug>(what: &str, r: Result<T, E>) {
    match r {
        Ok(_) => panic!("{what}: the server ALLOWED a cross-prefix request"),
        Err(e) => {
            let code = e.code().unwrap_or("");
            assert!(
                code == "AccessDenied" || code.is_empty() || code == "Forbidden",
                "{what}: expected AccessDenied, got {e:?}"
            );
        }
    }
}

/// Attempts from `attacker` against `victim_sub`'s prefix (and the bucket above it).
async fn attack(s3: &aws_sdk_s3::Client, bucket: &str, own_sub: &str, victim_sub: &str) {
    let victim = format!("users/{victim_sub}/");
    let own = format!("users/{own_sub}/");
    // Positive control: the same client works in its own prefix.
    s3.put_object()
        .bucket(bucket)
        .key(format!("{own}iso-control.txt"))
        .body(b"ok".to_vec().into())
        .send()
        .await
        .unwrap();
    s3.list_objects_v2()
        .bucket(bucket)
        .prefix(&own)
        .delimiter("/")
        .send()
        .await
        .unwrap();

    denied(
        "GET",
        s3.get_object()
            .bucket(bucket)
            .key(format!("{victim}welcome.txt"))
            .send()
            .await,
    );
    denied(
        "HEAD",
        s3.head_object()
            .bucket(bucket)
            .key(format!("{victim}welcome.txt"))
            .send()
            .await,
    );
    denied(
        "PUT",
        s3.put_object()
            .bucket(bucket)
            .key(format!("{victim}planted.txt"))
            .body(b"x".to_vec().into())
            .send()
            .await,
    );
    denied(
        "DELETE",
        s3.delete_object()
            .bucket(bucket)
            .key(format!("{victim}welcome.txt"))
            .send()
            .await,
    );
    denied(
        "LIST victim",
        s3.list_objects_v2().bucket(bucket).prefix(&victim).send().await,
    );
    denied(
        "LIST users/",
        s3.list_objects_v2()
            .bucket(bucket)
            .prefix("users/")
            .delimiter("/")
            .send()
            .await,
    );
    denied("LIST bucket root", s3.list_objects_v2().bucket(bucket).send().await);
    denied(
        "COPY victim -> own",
        s3.copy_object()
            .bucket(bucket)
            .key(format!("{own}stolen.txt"))
            .copy_source(format!("{bucket}/{}welcome.txt", victim.replace('|', "%7C")))
            .send()
            .await,
    );
    denied(
        "COPY own -> victim",
        s3.copy_object()
            .bucket(bucket)
            .key(format!("{victim}planted.txt"))
            .copy_source(format!("{bucket}/{}iso-control.txt", own.replace('|', "%7C")))
            .send()
            .await,
    );
    denied(
        "multipart create",
        s3.create_multipart_upload()
            .bucket(bucket)
            .key(format!("{victim}mp.bin"))
            .send()
            .await,
    );
    // A multipart upload started in the own prefix cannot be completed into the victim's.
    let up = s3
        .create_multipart_upload()
        .bucket(bucket)
        .key(format!("{own}mp.bin"))
        .send()
        .await
        .unwrap();
    let id = up.upload_id().unwrap();
    denied(
        "upload part to victim",
        s3.upload_part()
            .bucket(bucket)
            .key(format!("{victim}mp.bin"))
            .upload_id(id)
            .part_number(1)
            .body(vec![0u8; 1024].into())
            .send()
            .await,
    );
    denied(
        "complete into victim",
        s3.complete_multipart_upload()
            .bucket(bucket)
            .key(format!("{victim}mp.bin"))
            .upload_id(id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .parts(CompletedPart::builder().part_number(1).e_tag("\"x\"").build())
                    .build(),
            )
            .send()
            .await,
    );
    s3.abort_multipart_upload()
        .bucket(bucket)
        .key(format!("{own}mp.bin"))
        .upload_id(id)
        .send()
        .await
        .unwrap();
    // A presigned GET for the victim's object, signed with the attacker's credentials, fails.
    let presigned = s3
        .get_object()
        .bucket(bucket)
        .key(format!("{victim}welcome.txt"))
        .presigned(PresigningConfig::expires_in(Duration::from_secs(60)).unwrap())
        .await
        .unwrap();
    let status = std::process::Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", presigned.uri()])
        .output()
        .unwrap();
    assert_eq!(text(&status.stdout), "403", "presigned cross-prefix GET");
    s3.delete_object()
        .bucket(bucket)
        .key(format!("{own}iso-control.txt"))
        .send()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn every_cross_prefix_request_is_denied_by_the_server() {
    let stack = Stack::get();
    let alice = raw_client_for(ALICE).await;
    let bob = raw_client_for(BOB).await;
    attack(&alice, stack.bucket(), ALICE_SUB, BOB_SUB).await;
    attack(&bob, stack.bucket(), BOB_SUB, ALICE_SUB).await;
    // Nothing was planted or stolen.
    let admin = stack.admin();
    for key in [
        format!("users/{BOB_SUB}/planted.txt"),
        format!("users/{ALICE_SUB}/planted.txt"),
        format!("users/{ALICE_SUB}/stolen.txt"),
    ] {
        assert!(
            admin
                .head_object()
                .bucket(stack.bucket())
                .key(&key)
                .send()
                .await
                .is_err(),
            "{key} exists"
        );
    }
    for sub in [ALICE_SUB, BOB_SUB] {
        let w = admin
            .head_object()
            .bucket(stack.bucket())
            .key(format!("users/{sub}/welcome.txt"))
            .send()
            .await;
        assert!(w.is_ok(), "{sub}'s welcome.txt must still exist");
    }
}
