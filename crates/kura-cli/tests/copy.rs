//! Moves and renames of large objects against the real S3 server: above the (lowered) multipart
//! copy threshold an object is copied with UploadPartCopy in parts, arrives byte-identical with
//! the source's full-object CRC64NVME, and its source is deleted only afterwards; a source
//! replaced mid-copy fails with `s3.object_changed`, keeps the source and leaves no multipart
//! upload behind (checked with the admin's ListMultipartUploads); so does a cancelled copy.

mod common;

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use common::*;
use kura_core::paths::RelPath;
use kura_core::s3::{BodySource, GetObject, ListPage, ListedObject, ListedPart, ObjectClient, S3Error, UploadedPart};
use kura_core::storage::{Storage, TransferOptions};

const MIB: u64 = 1024 * 1024;
/// 17 MiB + 3 bytes: four 5 MiB parts, the last one short.
const BIG: u64 = 17 * MIB + 3;

/// The admin's view of an object: size, ETag and full-object CRC64NVME; `None` when absent.
async fn head(env: &Env, key: &str) -> Option<(i64, String, Option<String>)> {
    let out = env
        .stack
        .admin()
        .head_object()
        .bucket(env.stack.bucket())
        .key(key)
        .checksum_mode(aws_sdk_s3::types::ChecksumMode::Enabled)
        .send()
        .await
        .ok()?;
    Some((
        out.content_length().unwrap_or(-1),
        out.e_tag().unwrap_or_default().to_string(),
        out.checksum_crc64_nvme().map(str::to_string),
    ))
}

/// Unfinished multipart uploads under `prefix` (admin's ListMultipartUploads).
async fn uploads_under(env: &Env, prefix: &str) -> usize {
    let out = env
        .stack
        .admin()
        .list_multipart_uploads()
        .bucket(env.stack.bucket())
        .prefix(prefix)
        .send()
        .await
        .unwrap();
    out.uploads().len()
}

#[tokio::test(flavor = "multi_thread")]
async fn large_objects_move_by_verified_multipart_copy() {
    let env = Env::new(
        "mpcopy",
        &[("multipart_copy_threshold_mib", "5"), ("part_size_mib", "5")],
    );
    assert!(env.login(ALICE).status.success());
    let dir = format!("copy-{}/", env.profile);
    let user = format!("users/{ALICE_SUB}/");
    let big = env.path("big.bin");
    let bytes = data(BIG, 9);
    std::fs::write(&big, &bytes).unwrap();
    std::fs::write(env.path("small.txt"), b"small").unwrap();
    env.ok(&[
        "put",
        big.to_str().unwrap(),
        env.path("small.txt").to_str().unwrap(),
        &format!("{dir}a/"),
    ]);
    let (_, _, source_crc) = head(&env, &format!("{user}{dir}a/big.bin")).await.unwrap();
    assert!(source_crc.is_some(), "Kura's upload stores a full-object CRC64NVME");

    // Rename of one large object.
    env.ok(&["mv", &format!("{dir}a/big.bin"), &format!("{dir}a/renamed.bin")]);
    assert!(
        head(&env, &format!("{user}{dir}a/big.bin")).await.is_none(),
        "source gone"
    );
    let (size, etag, crc) = head(&env, &format!("{user}{dir}a/renamed.bin")).await.unwrap();
    assert_eq!(size as u64, BIG);
    assert!(
        etag.trim_matches('"').ends_with("-4"),
        "a 4-part multipart copy, ETag {etag}"
    );
    assert_eq!(crc, source_crc, "the copy keeps the source's CRC64NVME");
    let copied = env.stack.admin_bytes(&format!("{user}{dir}a/renamed.bin")).await;
    assert_eq!(sha256(&copied), sha256(&bytes));

    // Move of a folder holding the large object and a small one.
    env.ok(&["mv", &format!("{dir}a"), &format!("{dir}b")]);
    assert!(head(&env, &format!("{user}{dir}a/renamed.bin")).await.is_none());
    let (size, etag, crc) = head(&env, &format!("{user}{dir}b/renamed.bin")).await.unwrap();
    assert_eq!(size as u64, BIG);
    assert!(etag.trim_matches('"').ends_with("-4"), "ETag {etag}");
    assert_eq!(crc, source_crc);
    let moved = env.stack.admin_bytes(&format!("{user}{dir}b/renamed.bin")).await;
    assert_eq!(sha256(&moved), sha256(&bytes));
    assert_eq!(
        env.stack.admin_bytes(&format!("{user}{dir}b/small.txt")).await,
        b"small"
    );
    assert_eq!(uploads_under(&env, &format!("{user}{dir}")).await, 0);
    env.ok(&["rm", "-r", &dir]);
}

/// Delegates to the real client; before part `replace_before_part` of an UploadPartCopy it
/// replaces the copy's source with other bytes (admin PutObject), and it waits `delay` before
/// every UploadPartCopy.
struct ReplacingSource {
    inner: Arc<dyn ObjectClient>,
    admin: aws_sdk_s3::Client,
    replace_before_part: Option<i32>,
    delay: Duration,
    part_copies: AtomicUsize,
}

#[async_trait]
impl ObjectClient for ReplacingSource {
    fn bucket(&self) -> &str {
        self.inner.bucket()
    }
    async fn list_objects_v2(&self, p: &str, d: Option<&str>, t: Option<String>) -> Result<ListPage, S3Error> {
        self.inner.list_objects_v2(p, d, t).await
    }
    async fn head_object(&self, key: &str) -> Result<ListedObject, S3Error> {
        self.inner.head_object(key).await
    }
    async fn get_object(&self, key: &str, range: Option<Range<u64>>, m: Option<&str>) -> Result<GetObject, S3Error> {
        self.inner.get_object(key, range, m).await
    }
    async fn put_object(&self, key: &str, body: BodySource) -> Result<Option<String>, S3Error> {
        self.inner.put_object(key, body).await
    }
    async fn create_multipart_upload(&self, key: &str) -> Result<String, S3Error> {
        self.inner.create_multipart_upload(key).await
    }
    async fn upload_part(&self, k: &str, u: &str, n: i32, b: BodySource) -> Result<UploadedPart, S3Error> {
        self.inner.upload_part(k, u, n, b).await
    }
    async fn upload_part_copy(
        &self,
        k: &str,
        u: &str,
        n: i32,
        s: &str,
        r: Range<u64>,
        m: &str,
    ) -> Result<UploadedPart, S3Error> {
        self.part_copies.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(self.delay).await;
        if Some(n) == self.replace_before_part {
            self.admin
                .put_object()
                .bucket(self.inner.bucket())
                .key(s)
                .body(data(BIG, 77).into())
                .send()
                .await
                .unwrap();
        }
        self.inner.upload_part_copy(k, u, n, s, r, m).await
    }
    async fn complete_multipart_upload(
        &self,
        k: &str,
        u: &str,
        p: &[UploadedPart],
        c: Option<&str>,
    ) -> Result<(), S3Error> {
        self.inner.complete_multipart_upload(k, u, p, c).await
    }
    async fn list_parts(&self, k: &str, u: &str) -> Result<Vec<ListedPart>, S3Error> {
        self.inner.list_parts(k, u).await
    }
    async fn abort_multipart_upload(&self, k: &str, u: &str) -> Result<(), S3Error> {
        self.inner.abort_multipart_upload(k, u).await
    }
    async fn delete_objects(&self, keys: &[String]) -> Result<Vec<S3Error>, S3Error> {
        self.inner.delete_objects(keys).await
    }
    async fn copy_object(&self, s: &str, d: &str) -> Result<(), S3Error> {
        self.inner.copy_object(s, d).await
    }
    async fn presign_get(&self, key: &str, e: Duration) -> Result<String, S3Error> {
        self.inner.presign_get(key, e).await
    }
}

/// Alice's storage (5 MiB copy threshold and parts, one part at a time) over [`ReplacingSource`],
/// with a 17 MiB object uploaded to `<dir>big.bin`.
async fn storage_with_big(
    env: &Env,
    replace_before_part: Option<i32>,
    delay: Duration,
) -> (Storage, Arc<ReplacingSource>, RelPath) {
    let session = sign_in(env.profile(), ALICE).await;
    let real = Storage::connect(session).await.unwrap();
    let client = Arc::new(ReplacingSource {
        inner: real.client().clone(),
        admin: env.stack.admin(),
        replace_before_part,
        delay,
        part_copies: AtomicUsize::new(0),
    });
    let options = TransferOptions {
        multipart_copy_threshold: 5 * MIB,
        part_size: 5 * MIB,
        part_concurrency: 1,
        ..TransferOptions::default()
    };
    let storage = Storage::new(client.clone(), real.prefix().clone()).with_options(options);
    let dir = RelPath::parse(&format!("copy-{}/", env.profile)).unwrap();
    let big = env.path("big.bin");
    std::fs::write(&big, data(BIG, 5)).unwrap();
    storage.upload(&[big], &dir, None).await.unwrap();
    (storage, client, dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_source_replaced_mid_copy_fails_cleanly() {
    let env = Env::new("mpcopy-changed", &[]);
    let (storage, client, dir) = storage_with_big(&env, Some(2), Duration::ZERO).await;
    let src = RelPath::parse(&format!("{}big.bin", dir.as_str())).unwrap();
    let dst = RelPath::parse(&format!("{}renamed.bin", dir.as_str())).unwrap();
    let err = storage.rename(&src, &dst).await.unwrap_err();
    assert_eq!(err.code(), "s3.object_changed", "{err}");
    assert_eq!(
        client.part_copies.load(Ordering::SeqCst),
        2,
        "stopped at the replaced source"
    );
    let prefix = storage.prefix().as_str().to_string();
    let kept = env.stack.admin_bytes(&format!("{prefix}{}", src.as_str())).await;
    assert_eq!(sha256(&kept), sha256(&data(BIG, 77)), "the (replaced) source is kept");
    assert!(head(&env, &format!("{prefix}{}", dst.as_str())).await.is_none());
    assert_eq!(uploads_under(&env, &format!("{prefix}{}", dir.as_str())).await, 0);
    storage.delete(&dir, true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_copy_leaves_no_upload_behind() {
    let env = Env::new("mpcopy-cancel", &[]);
    let (storage, client, dir) = storage_with_big(&env, None, Duration::from_millis(700)).await;
    let src = RelPath::parse(&format!("{}big.bin", dir.as_str())).unwrap();
    let dst = RelPath::parse(&format!("{}renamed.bin", dir.as_str())).unwrap();
    let prefix = storage.prefix().as_str().to_string();
    let started = tokio::time::timeout(Duration::from_secs(2), storage.rename(&src, &dst)).await;
    assert!(started.is_err(), "the copy was cancelled before it finished");
    let copies = client.part_copies.load(Ordering::SeqCst);
    assert!((1..4).contains(&copies), "cancelled mid-copy, after {copies} part(s)");
    let mut left = usize::MAX;
    for _ in 0..50 {
        left = uploads_under(&env, &format!("{prefix}{}", dir.as_str())).await;
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(left, 0, "the guard aborted the cancelled copy's upload");
    assert!(
        head(&env, &format!("{prefix}{}", src.as_str())).await.is_some(),
        "source kept"
    );
    assert!(head(&env, &format!("{prefix}{}", dst.as_str())).await.is_none());
    storage.delete(&dir, true).await.unwrap();
}
