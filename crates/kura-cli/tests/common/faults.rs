//! Fault-injecting [`ObjectClient`] wrapper for end-to-end tests (mocks only for faults).

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use kura_core::s3::{
    BodySource, GetObject, ListPage, ListedObject, ListedPart, ObjectClient, S3Error, S3ErrorKind, UploadedPart,
};

/// Delegates to a real client and injects faults the real server cannot produce: flips one byte
/// of the GetObject response that starts at `flip_range_start` (when set), cuts the first
/// response starting at `cut_range_start` half-way with a network error, and waits `delay`
/// before each UploadPart and GetObject (a slow link, so transfers outlive short credentials).
pub(crate) struct Faulty {
    pub inner: Arc<dyn ObjectClient>,
    pub flip_range_start: Option<u64>,
    pub flipped: AtomicBool,
    pub cut_range_start: Option<u64>,
    pub cut: AtomicBool,
    pub delay: Duration,
}

impl Faulty {
    pub(crate) fn new(inner: Arc<dyn ObjectClient>) -> Faulty {
        Faulty {
            inner,
            flip_range_start: None,
            flipped: AtomicBool::new(false),
            cut_range_start: None,
            cut: AtomicBool::new(false),
            delay: Duration::ZERO,
        }
    }
}

#[async_trait]
impl ObjectClient for Faulty {
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
        tokio::time::sleep(self.delay).await;
        let start = range.as_ref().map_or(0, |r| r.start);
        let mut obj = self.inner.get_object(key, range, m).await?;
        if Some(start) == self.cut_range_start && !self.cut.swap(true, Ordering::SeqCst) {
            // The connection drops half-way through this response (once).
            use futures::StreamExt;
            let half = (obj.content_length / 2) as usize;
            let body: Vec<_> = obj.body.collect().await;
            let mut kept = Vec::new();
            let mut n = 0;
            for chunk in body {
                let b = chunk?;
                if n + b.len() >= half {
                    kept.push(Ok(b.slice(..half - n)));
                    break;
                }
                n += b.len();
                kept.push(Ok(b));
            }
            kept.push(Err(S3Error::new(
                S3ErrorKind::Network,
                "GetObject",
                key,
                "connection reset (injected)",
            )));
            obj.body = Box::pin(futures::stream::iter(kept));
            return Ok(obj);
        }
        if Some(start) == self.flip_range_start {
            use futures::StreamExt;
            let flipped = &self.flipped;
            let mut first = true;
            let body: Vec<_> = obj.body.collect().await;
            let body = body.into_iter().map(move |chunk| {
                chunk.map(|b| {
                    if first && !b.is_empty() {
                        first = false;
                        let mut v = b.to_vec();
                        v[b.len() / 2] ^= 0x20;
                        bytes::Bytes::from(v)
                    } else {
                        b
                    }
                })
            });
            let body: Vec<_> = body.collect();
            flipped.store(true, Ordering::SeqCst);
            obj.body = Box::pin(futures::stream::iter(body));
        }
        Ok(obj)
    }
    async fn put_object(&self, key: &str, body: BodySource) -> Result<Option<String>, S3Error> {
        self.inner.put_object(key, body).await
    }
    async fn create_multipart_upload(&self, key: &str) -> Result<String, S3Error> {
        self.inner.create_multipart_upload(key).await
    }
    async fn upload_part(&self, k: &str, u: &str, n: i32, b: BodySource) -> Result<UploadedPart, S3Error> {
        tokio::time::sleep(self.delay).await;
        self.inner.upload_part(k, u, n, b).await
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
    async fn upload_part_copy(
        &self,
        k: &str,
        u: &str,
        n: i32,
        s: &str,
        r: Range<u64>,
        m: &str,
    ) -> Result<UploadedPart, S3Error> {
        self.inner.upload_part_copy(k, u, n, s, r, m).await
    }
    async fn presign_get(&self, key: &str, e: Duration) -> Result<String, S3Error> {
        self.inner.presign_get(key, e).await
    }
}

/// Access key ids seen around a [`slow_round_trip`]: before, after the upload, after the download.
pub(crate) struct RoundTripKeys {
    pub first: String,
    pub after_upload: String,
    pub after_download: String,
}

/// Uploads `bytes` as `slow.bin` in parts of 5 MiB (one at a time) and downloads it again through
/// a storage that waits 3 s before each part and range, so the transfer outlives 30-second
/// credentials; checks the downloaded bytes and removes the folder. `session` should keep
/// expired credentials (`with_late_refresh`) so the server refuses them and Kura renews.
pub(crate) async fn slow_round_trip(
    env: &super::Env,
    session: Arc<kura_core::session::Session>,
    bytes: &[u8],
) -> RoundTripKeys {
    use kura_core::paths::RelPath;
    use kura_core::storage::{Storage, TransferOptions};

    let first = session.credentials().await.unwrap().access_key_id;
    let options = TransferOptions {
        multipart_threshold: 5 << 20,
        part_size: 5 << 20,
        part_concurrency: 1,
        file_concurrency: 1,
        ..TransferOptions::default()
    };
    let real = Storage::connect(session.clone()).await.unwrap();
    let slow = Arc::new(Faulty {
        delay: Duration::from_secs(3),
        ..Faulty::new(real.client().clone())
    });
    let storage = Storage::new(slow, real.prefix().clone()).with_options(options);
    let file = env.path("slow.bin");
    std::fs::write(&file, bytes).unwrap();
    let dir = RelPath::parse(&format!("expiry-{}/", env.profile)).unwrap();
    let up = storage.upload(std::slice::from_ref(&file), &dir, None).await.unwrap();
    assert_eq!(up.bytes, bytes.len() as u64);
    let after_upload = session.credentials().await.unwrap().access_key_id;

    let out = env.path("out");
    std::fs::create_dir(&out).unwrap();
    storage
        .download(&[dir.join("slow.bin").unwrap()], &out, false, None)
        .await
        .unwrap();
    assert!(
        std::fs::read(out.join("slow.bin")).unwrap() == bytes,
        "downloaded bytes differ"
    );
    let after_download = session.credentials().await.unwrap().access_key_id;
    real.delete(&dir, true).await.unwrap();
    RoundTripKeys {
        first,
        after_upload,
        after_download,
    }
}
