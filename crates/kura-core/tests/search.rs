//! Search over a paged listing from a fake [`ObjectClient`], for what the real server cannot be
//! made to do: answer keys outside the requested prefix, hold keys with `..` or empty segments,
//! and show how many pages were requested (Stop = drop the stream).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;
use kura_core::paths::{Prefix, RelPath};
use kura_core::s3::{
    BodySource, GetObject, ListPage, ListedObject, ListedPart, ObjectClient, S3Error, S3ErrorKind, UploadedPart,
};
use kura_core::storage::{Entry, SearchPage, Storage};

/// Lists `keys` (full keys, as given — also ones outside the requested prefix) two per page.
struct PagedClient {
    keys: Vec<String>,
    requests: AtomicUsize,
}

const PAGE: usize = 2;

fn unsupported(op: &'static str) -> S3Error {
    S3Error::new(S3ErrorKind::Other, op, "", "not supported by the fake")
}

#[async_trait]
impl ObjectClient for PagedClient {
    fn bucket(&self) -> &str {
        "fake"
    }
    async fn list_objects_v2(&self, prefix: &str, d: Option<&str>, t: Option<String>) -> Result<ListPage, S3Error> {
        assert_eq!(d, None, "search lists without a delimiter");
        assert!(prefix.starts_with("users/u/"), "listed outside the prefix: {prefix}");
        self.requests.fetch_add(1, Ordering::SeqCst);
        // A misbehaving server: the requested prefix is not applied to the "evil" keys.
        let matching: Vec<&String> = self
            .keys
            .iter()
            .filter(|k| k.starts_with(prefix) || k.starts_with("users/evil"))
            .collect();
        let start: usize = t.map_or(0, |t| t.parse().unwrap());
        let end = (start + PAGE).min(matching.len());
        Ok(ListPage {
            objects: matching[start..end]
                .iter()
                .map(|key| ListedObject {
                    key: key.to_string(),
                    size: 7,
                    last_modified: None,
                    etag: None,
                    checksum_crc64nvme: None,
                    content_type: None,
                })
                .collect(),
            common_prefixes: Vec::new(),
            next_continuation_token: (end < matching.len()).then(|| end.to_string()),
        })
    }
    async fn head_object(&self, key: &str) -> Result<ListedObject, S3Error> {
        Err(S3Error::new(S3ErrorKind::NotFound, "HeadObject", key, "fake"))
    }
    async fn get_object(
        &self,
        _k: &str,
        _r: Option<std::ops::Range<u64>>,
        _m: Option<&str>,
    ) -> Result<GetObject, S3Error> {
        Err(unsupported("GetObject"))
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

fn storage(keys: &[&str]) -> (Storage, Arc<PagedClient>) {
    let client = Arc::new(PagedClient {
        keys: keys.iter().map(|k| k.to_string()).collect(),
        requests: AtomicUsize::new(0),
    });
    let s = Storage::new(client.clone(), Prefix::render("users/{sub}/", "u").unwrap());
    (s, client)
}

fn paths(pages: &[SearchPage]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|p| p.matches.iter().map(|e| e.path().as_str().to_string()))
        .collect()
}

async fn all(s: &Storage, dir: &str, pattern: &str) -> Vec<SearchPage> {
    let stream = s.search(&RelPath::parse(dir).unwrap(), pattern).unwrap();
    stream.map(|p| p.unwrap()).collect().await
}

#[tokio::test]
async fn matches_stream_page_by_page_with_each_folder_once() {
    let (s, client) = storage(&[
        "users/u/docs/",
        "users/u/docs/Plan/a.txt",
        "users/u/docs/plan/b.txt",
        "users/u/docs/plan/c-PLAN.txt",
        "users/u/docs/plan/sub/d.txt",
        "users/u/docs/x.txt",
        "users/u/other/plan.txt",
    ]);
    let pages = all(&s, "docs", "PLAN").await;
    // Six keys under docs/, two per page: three pages, three requests.
    assert_eq!(pages.len(), 3);
    assert_eq!(client.requests.load(Ordering::SeqCst), 3);
    assert_eq!(pages.iter().map(|p| p.listed).sum::<usize>(), 6);
    assert_eq!(
        paths(&pages),
        ["docs/Plan/", "docs/plan/", "docs/plan/c-PLAN.txt"],
        "the searched folder is no match, docs/plan/ is reported once across pages"
    );
    let file = pages
        .iter()
        .flat_map(|p| &p.matches)
        .find(|e| matches!(e, Entry::File { .. }));
    assert_eq!(file.map(Entry::size), Some(7));
}

#[tokio::test]
async fn dropping_the_stream_stops_the_listing() {
    let keys: Vec<String> = (0..20).map(|i| format!("users/u/f/{i:02}-match.txt")).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let (s, client) = storage(&keys);
    {
        let mut stream = Box::pin(s.search(&RelPath::root(), "match").unwrap());
        let first = stream.next().await.unwrap().unwrap();
        assert_eq!(first.matches.len(), PAGE);
    }
    tokio::task::yield_now().await;
    assert_eq!(client.requests.load(Ordering::SeqCst), 1, "no page after Stop");
}

#[tokio::test]
async fn keys_outside_the_prefix_are_never_reported() {
    let (s, _) = storage(&["users/evil/secret-report.txt", "users/u/my-report.txt"]);
    let pages = all(&s, "", "report").await;
    assert_eq!(paths(&pages), ["my-report.txt"]);
}

#[tokio::test]
async fn unsafe_keys_are_reported_not_matched() {
    let (s, _) = storage(&[
        "users/u/d/../../report-escape.txt",
        "users/u/d//report-empty.txt",
        "users/u/d/report\u{1b}[2J.txt",
        "users/u/d/report-ok.txt",
        "users/u/d/../report-sub/x.txt",
        "users/u/d/../report-sub/y.txt",
    ]);
    let pages = all(&s, "d/", "report").await;
    assert_eq!(paths(&pages), ["d/report-ok.txt"]);
    let unsafe_keys: Vec<&kura_core::Error> = pages.iter().flat_map(|p| &p.unsafe_keys).collect();
    assert_eq!(unsafe_keys.len(), 4, "{unsafe_keys:?}");
    assert!(unsafe_keys.iter().all(|e| e.code() == "path.unsafe_key"));
    // The unsafe folder is reported once, by its own key.
    assert!(
        unsafe_keys
            .iter()
            .any(|e| e.to_string().contains("users/u/d/../report-sub/\"")),
        "{unsafe_keys:?}"
    );
}

#[tokio::test]
async fn a_missing_folder_is_not_found_and_an_empty_root_is_no_match() {
    let (s, _) = storage(&["users/u/a.txt"]);
    let mut stream = Box::pin(s.search(&RelPath::parse("nope/").unwrap(), "a").unwrap());
    let err = stream.next().await.unwrap().unwrap_err();
    assert_eq!(err.code(), "s3.not_found");
    assert!(stream.next().await.is_none(), "the stream ends after an error");
    let (empty, _) = storage(&[]);
    let pages = all(&empty, "", "a").await;
    assert!(paths(&pages).is_empty());
    assert!(s.search(&RelPath::root(), "").is_err());
}
