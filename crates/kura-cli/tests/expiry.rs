//! Credentials expiring during work: S3 refuses them (SeaweedFS: `InvalidAccessKeyId`), Kura
//! renews once and retries, and the operation succeeds. Uses the stack's second gateway, whose
//! credentials live 30 seconds, and a session told to keep using expired credentials so the
//! server refuses them and the forced renewal + retry path runs.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use kura_core::paths::RelPath;
use kura_core::storage::Storage;

#[tokio::test(flavor = "multi_thread")]
async fn expired_credentials_are_renewed_without_failing_the_operation() {
    let short = Stack::get().s3_short().to_string();
    let env = Env::new(
        "expiry",
        &[
            ("sts_endpoint", &format!("{short:?}")),
            ("s3_endpoint", &format!("{short:?}")),
        ],
    );
    let session = sign_in(env.profile(), ALICE).await;
    let session = Arc::new(
        Arc::try_unwrap(session)
            .unwrap_or_else(|_| panic!("unshared"))
            .with_late_refresh(Duration::from_secs(3600)),
    );
    let first = session.credentials().await.unwrap();
    assert!(first.seconds_left() <= 31, "the short gateway gives 30 s credentials");
    let storage = Storage::connect(session.clone()).await.unwrap();
    let file = env.path("f.txt");
    std::fs::write(&file, b"still here").unwrap();
    let dir = RelPath::parse(&format!("expiry-{}/", env.profile)).unwrap();
    storage.upload(std::slice::from_ref(&file), &dir, None).await.unwrap();

    tokio::time::sleep(Duration::from_secs(first.seconds_left().max(0) as u64 + 3)).await;
    // The cached credentials have expired, Kura still offers them; S3 refuses; Kura renews and retries.
    let listed = storage.list(&dir, false).await.unwrap();
    assert_eq!(listed.len(), 1);
    let renewed = session.credentials().await.unwrap();
    assert_ne!(renewed.access_key_id, first.access_key_id, "credentials were renewed");
    assert!(renewed.seconds_left() > 0);
    // A multipart-sized upload after a second expiry also succeeds.
    tokio::time::sleep(Duration::from_secs(renewed.seconds_left().max(0) as u64 + 3)).await;
    let big = env.path("big.bin");
    std::fs::write(&big, vec![7u8; 17 * 1024 * 1024]).unwrap();
    storage.upload(std::slice::from_ref(&big), &dir, None).await.unwrap();
    assert_eq!(storage.list(&dir, false).await.unwrap().len(), 2);
    storage.delete(&dir, true).await.unwrap();
}

/// A slow transfer (each part and range delayed 3 s) outlives the gateway's 30-second credentials:
/// parts sent after the expiry are refused, Kura renews and retries them, and neither the upload
/// nor the download fails.
#[tokio::test(flavor = "multi_thread")]
async fn credentials_expiring_during_a_long_transfer_fail_no_part() {
    let short = Stack::get().s3_short().to_string();
    let env = Env::new(
        "expiry-mid",
        &[
            ("sts_endpoint", &format!("{short:?}")),
            ("s3_endpoint", &format!("{short:?}")),
        ],
    );
    let session = sign_in(env.profile(), ALICE).await;
    let session = Arc::new(
        Arc::try_unwrap(session)
            .unwrap_or_else(|_| panic!("unshared"))
            .with_late_refresh(Duration::from_secs(3600)),
    );
    let size = 11 * (5 << 20) + 9;
    let data: Vec<u8> = (0..size).map(|i: u64| (i.wrapping_mul(31) >> 3) as u8).collect();
    let keys = common::faults::slow_round_trip(&env, session, &data).await;
    assert_ne!(keys.after_upload, keys.first, "credentials were renewed mid-upload");
    assert_ne!(
        keys.after_download, keys.after_upload,
        "credentials were renewed mid-download"
    );
}
