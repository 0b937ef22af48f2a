//! Faults the real server cannot produce, injected through a fake [`ObjectClient`]: keys that
//! SeaweedFS refuses to store (`..` segments, absolute paths, over-long names, NUL) and a body
//! cut short. Downloads must never write outside the chosen directory nor leave partial files.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use kura_core::paths::{Prefix, RelPath};
use kura_core::s3::{
    BodySource, GetObject, ListPage, ListedObject, ListedPart, ObjectClient, S3Error, S3ErrorKind, UploadedPart,
};
use kura_core::storage::Storage;

const PREFIX: &str = "users/u/";

/// Lists `keys` under `users/u/`; every object's body is `body`, announced as `announced` bytes.
struct FakeClient {
    keys: Vec<String>,
    body: &'static [u8],
    announced: u64,
}

fn unsupported(op: &'static str) -> S3Error {
    S3Error::new(S3ErrorKind::Other, op, "", "not supported by the fake")
}

#[async_trait]
impl ObjectClient for FakeClient {
    fn bucket(&self) -> &str {
        "fake"
    }
    async fn list_objects_v2(&self, prefix: &str, _d: Option<&str>, _t: Option<String>) -> Result<ListPage, S3Error> {
        let objects = self
            .keys
            .iter()
            .map(|k| format!("{PREFIX}{k}"))
            .filter(|k| k.starts_with(prefix))
            .map(|key| ListedObject {
                key,
                size: self.announced,
                last_modified: None,
                etag: None,
                checksum_crc64nvme: None,
                content_type: None,
            })
            .collect();
        Ok(ListPage {
            objects,
            ..ListPage::default()
        })
    }
    async fn head_object(&self, key: &str) -> Result<ListedObject, S3Error> {
        Err(S3Error::new(
            S3ErrorKind::NotFound,
            "HeadObject",
            key,
            "fake: folders only",
        ))
    }
    async fn get_object(
        &self,
        _key: &str,
        _range: Option<std::ops::Range<u64>>,
        _m: Option<&str>,
    ) -> Result<GetObject, S3Error> {
        let chunk: Result<Bytes, S3Error> = Ok(Bytes::from_static(self.body));
        Ok(GetObject {
            content_length: self.announced,
            etag: None,
            checksum_crc64nvme: None,
            body: Box::pin(futures::stream::iter([chunk])),
        })
    }
    async fn put_object(&self, _k: &str, _b: BodySource) -> Result<Option<String>, S3Error> {
        Err(unsupported("PutObject"))
    }
    async fn create_multipart_upload(&self, _k: &str) -> Result<String, S3Error> {
        Err(unsupported("CreateMultipartUpload"))
    }
    async fn upload_part(&self, _k: &str, _u: &str, _n: i32, _b: BodySource) -> Result<UploadedPart, S3Error> {
        Err(unsupported("UploadPart"))
    }
    async fn complete_multipart_upload(
        &self,
        _k: &str,
        _u: &str,
        _p: &[UploadedPart],
        _c: Option<&str>,
    ) -> Result<(), S3Error> {
        Err(unsupported("CompleteMultipartUpload"))
    }
    async fn list_parts(&self, _k: &str, _u: &str) -> Result<Vec<ListedPart>, S3Error> {
        Err(unsupported("ListParts"))
    }
    async fn abort_multipart_upload(&self, _k: &str, _u: &str) -> Result<(), S3Error> {
        Err(unsupported("AbortMultipartUpload"))
    }
    async fn delete_objects(&self, _k: &[String]) -> Result<Vec<S3Error>, S3Error> {
        Err(unsupported("DeleteObjects"))
    }
    async fn copy_object(&self, _s: &str, _d: &str) -> Result<(), S3Error> {
        Err(unsupported("CopyObject"))
    }
    async fn upload_part_copy(
        &self,
        _k: &str,
        _u: &str,
        _n: i32,
        _s: &str,
        _r: std::ops::Range<u64>,
        _m: &str,
    ) -> Result<UploadedPart, S3Error> {
        Err(unsupported("UploadPartCopy"))
    }
    async fn presign_get(&self, _k: &str, _e: Duration) -> Result<String, S3Error> {
        Err(unsupported("GetObject"))
    }
}

fn storage(client: FakeClient) -> Storage {
    Storage::new(Arc::new(client), Prefix::render("users/{sub}/", "u").unwrap())
}

fn all_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_files(&p));
        }
        out.push(p);
    }
    out
}

#[tokio::test]
async fn hostile_keys_never_leave_the_download_directory() {
    let long = "n".repeat(300);
    let hostile = [
        "d/../../escape1.txt".to_string(),
        "d/../../../../../../tmp/escape2.txt".to_string(),
        "d//etc/escape3.txt".to_string(),
        "d/a\\..\\..\\escape4.txt".to_string(),
        "d/nul\0escape5.txt".to_string(),
        format!("d/{long}.txt"),
        "d/./escape6.txt".to_string(),
    ];
    let mut keys = hostile.to_vec();
    keys.push("d/ok/fine.txt".into());
    let outer = tempfile::tempdir().unwrap();
    let dl = outer.path().join("dl");
    std::fs::create_dir(&dl).unwrap();
    let s = storage(FakeClient {
        keys,
        body: b"x",
        announced: 1,
    });
    let err = s
        .download(&[RelPath::parse("d/").unwrap()], &dl, true, None)
        .await
        .unwrap_err();
    match &err {
        kura_core::Error::Partial { failed, total } => {
            assert_eq!((failed.len(), *total), (hostile.len(), hostile.len() + 1), "{err}");
            assert!(failed.iter().all(|f| f.error.code() == "path.unsafe_key"), "{err}");
        }
        other => panic!("expected a partial failure, got {other}"),
    }
    assert_eq!(std::fs::read(dl.join("d/ok/fine.txt")).unwrap(), b"x");
    let files = all_files(&dl);
    assert_eq!(files.len(), 3, "only d/, d/ok/ and d/ok/fine.txt: {files:?}");
    let outside: Vec<_> = std::fs::read_dir(outer.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(outside, ["dl"]);
    assert!(!std::path::Path::new("/tmp/escape2.txt").exists());
}

#[tokio::test]
async fn a_body_cut_short_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let s = storage(FakeClient {
        keys: vec!["d/short.bin".into()],
        body: b"only-part",
        announced: 1000,
    });
    let err = s
        .download(&[RelPath::parse("d/").unwrap()], dir.path(), true, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "s3.network", "{err}");
    assert!(err.to_string().contains("9 of 1000 bytes"), "{err}");
    let files = all_files(dir.path());
    assert!(
        files.iter().all(|p| p.is_dir()),
        "no file, complete or partial, may remain: {files:?}"
    );
}
