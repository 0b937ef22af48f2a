//! Retry of partly failed transfers against the real local stack, with a fault-injecting proxy
//! ([`proxy`]) in front of S3: the failure lists exactly the items that failed (with their paths
//! and codes), and trying them again sends only those — a multipart upload that failed half-way
//! continues with its `UploadId`, sending only the parts S3 lacks.

mod common;
#[allow(dead_code)]
#[path = "common/proxy.rs"]
mod proxy;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use kura_core::paths::RelPath;
use kura_core::progress::TransferHooks;
use kura_core::storage::journal::Journal;
use kura_core::storage::{BatchItem, DownloadItem, FailedItem, Storage, TransferOptions, UploadItem};
use kura_core::Error;
use proxy::{Fault, Proxy, Rule};

const PART: u64 = 5 * 1024 * 1024;
const UPLOAD_PART: &str = "x-id=UploadPart";
const GET_OBJECT: &str = "x-id=GetObject";

/// Alice's storage on `env` (S3 through the proxy): 5 MiB parts sent one at a time, one file at
/// a time, a journal of its own.
async fn alice(env: &Env) -> Storage {
    let session = sign_in(env.profile(), ALICE).await;
    Storage::connect(session)
        .await
        .unwrap()
        .with_options(TransferOptions {
            multipart_threshold: PART,
            part_size: PART,
            part_concurrency: 1,
            file_concurrency: 1,
            ..TransferOptions::default()
        })
        .with_journal(Journal::in_dir(env.path("journal")))
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The failed items of a partial failure: (path, code) by path, and the total.
fn failures(err: &Error) -> (Vec<(String, &'static str)>, usize) {
    match err {
        Error::Partial { failed, total } => (
            failed
                .iter()
                .map(|f| (f.path().to_string(), f.error.code().as_str()))
                .collect(),
            *total,
        ),
        other => panic!("expected a partial failure, got {other}"),
    }
}

fn upload_items(err: &Error) -> Vec<UploadItem> {
    let Error::Partial { failed, .. } = err else {
        panic!("{err}")
    };
    failed
        .iter()
        .map(|f: &FailedItem| match &f.item {
            BatchItem::Upload(u) => u.clone(),
            other => panic!("not an upload item: {other:?}"),
        })
        .collect()
}

fn download_items(err: &Error) -> Vec<DownloadItem> {
    let Error::Partial { failed, .. } = err else {
        panic!("{err}")
    };
    failed
        .iter()
        .map(|f| match &f.item {
            BatchItem::Download(d) => d.clone(),
            other => panic!("not a download item: {other:?}"),
        })
        .collect()
}

/// Puts an object with the stack's admin keys (someone else writing).
async fn admin_put(env: &Env, key: &str, bytes: &'static [u8]) {
    env.stack
        .admin()
        .put_object()
        .bucket(env.stack.bucket())
        .key(key)
        .body(aws_sdk_s3::primitives::ByteStream::from_static(bytes))
        .send()
        .await
        .unwrap();
}

/// The part numbers of the UploadParts the proxy forwarded, and the upload ids they named.
fn parts_sent(s3: &Proxy) -> (BTreeSet<u32>, BTreeSet<String>) {
    let mut numbers = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for seen in s3
        .seen()
        .iter()
        .filter(|s| s.method == "PUT" && s.target.contains(UPLOAD_PART))
    {
        for pair in seen.target.split(['?', '&']) {
            if let Some(n) = pair.strip_prefix("partNumber=") {
                numbers.insert(n.parse().unwrap());
            }
            if let Some(id) = pair.strip_prefix("uploadId=") {
                ids.insert(id.to_string());
            }
        }
    }
    (numbers, ids)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_partly_failed_upload_lists_its_failed_files_and_retry_sends_only_them() {
    let s3 = Proxy::start(Stack::get().s3()).await;
    let env = Env::new("retry-up", &[("s3_endpoint", &format!("{:?}", s3.url()))]);
    let storage = alice(&env).await;
    let src = env.path("src");
    let (one, two, big) = (data(1000, 1), data(2000, 2), data(3 * PART + 7, 3));
    write(&src.join("one.txt"), &one);
    write(&src.join("two.txt"), &two);
    write(&src.join("big.bin"), &big);
    let dir = RelPath::parse(&format!("retry-{}/", env.profile)).unwrap();
    let key = |name: &str| format!("{}{}src/{name}", storage.prefix().as_str(), dir.as_str());
    // S3 is busy for two.txt (PutObject) and for big.bin's second part, past every retry.
    s3.set(vec![
        Rule::all(Fault::slow_down()).method("PUT").target_has("two.txt"),
        Rule::all(Fault::slow_down())
            .method("PUT")
            .target_has("big.bin")
            .target_has("partNumber=2"),
    ]);

    let err = storage
        .upload(std::slice::from_ref(&src), &dir, None)
        .await
        .unwrap_err();
    let (failed, total) = failures(&err);
    let in_dir = |name: &str| format!("{}src/{name}", dir.as_str());
    assert_eq!(
        failed,
        [
            (in_dir("big.bin"), "s3.unavailable"),
            (in_dir("two.txt"), "s3.unavailable")
        ],
        "{err}"
    );
    assert_eq!(total, 3);
    assert_eq!(err.code(), "batch.partial");
    let message = err.to_string();
    assert!(
        message.starts_with("2 of 3 items failed:") && message.contains(&in_dir("two.txt")),
        "{message}"
    );
    assert!(env.stack.admin_bytes(&key("one.txt")).await == one);
    // big.bin's multipart upload is paused, not aborted: part 1 is on S3 under its UploadId.
    let unfinished = storage.unfinished_uploads();
    assert_eq!(unfinished.len(), 1, "{unfinished:?}");
    let upload_id = unfinished[0].upload_id.clone();
    let admin = env.stack.admin();
    let listed = admin
        .list_parts()
        .bucket(env.stack.bucket())
        .key(key("big.bin"))
        .upload_id(&upload_id)
        .send()
        .await
        .unwrap();
    let on_s3: Vec<i32> = listed.parts().iter().filter_map(|p| p.part_number()).collect();
    assert_eq!(on_s3, [1]);

    // Retry: only the failed files, big.bin continuing its multipart upload.
    s3.pass();
    s3.clear_seen();
    let items = upload_items(&err);
    assert!(items.iter().all(|i| i.local.starts_with(&src)));
    let report = storage.retry_upload(&items, TransferHooks::default()).await.unwrap();
    let uploaded: Vec<&str> = report.uploaded.iter().map(RelPath::as_str).collect();
    assert_eq!(uploaded, [in_dir("big.bin"), in_dir("two.txt")]);
    assert_eq!(report.resumed_bytes, PART, "part 1 was not sent again");
    assert_eq!(s3.count("POST", "uploads", None), 0, "no new multipart upload");
    let (numbers, ids) = parts_sent(&s3);
    assert_eq!(
        numbers,
        BTreeSet::from([2, 3, 4]),
        "only the missing parts: {:?}",
        s3.seen()
    );
    assert_eq!(ids.len(), 1);
    assert!(
        ids.iter()
            .all(|id| id == &upload_id || id.replace("%3D", "=") == upload_id),
        "same UploadId: {ids:?} vs {upload_id}"
    );
    assert_eq!(s3.count("PUT", "two.txt", None), 1);
    assert_eq!(s3.count("PUT", "one.txt", None), 0, "one.txt was not sent again");
    assert!(env.stack.admin_bytes(&key("big.bin")).await == big, "big.bin differs");
    assert!(env.stack.admin_bytes(&key("two.txt")).await == two, "two.txt differs");
    assert!(storage.unfinished_uploads().is_empty());
    storage.delete(&dir, true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_missing_when_its_turn_comes_fails_alone_and_is_retried_once_back() {
    let s3 = Proxy::start(Stack::get().s3()).await;
    let env = Env::new("retry-gone", &[("s3_endpoint", &format!("{:?}", s3.url()))]);
    let storage = alice(&env).await;
    let src = env.path("album");
    write(&src.join("a.txt"), b"first");
    write(&src.join("b.txt"), b"second");
    let dir = RelPath::parse(&format!("retry-gone-{}/", env.profile)).unwrap();
    // The file disappears after the batch was listed and before it is read (as when it is
    // moved away while the transfer waits in the queue).
    let moved = env.path("b.txt.away");
    let hooks = TransferHooks {
        progress: Some(std::sync::Arc::new({
            let (from, to) = (src.join("b.txt"), moved.clone());
            move |_| {
                let _ = std::fs::rename(&from, &to);
            }
        })),
        ..TransferHooks::default()
    };
    let err = storage
        .upload_with(std::slice::from_ref(&src), &dir, hooks)
        .await
        .unwrap_err();
    let (failed, total) = failures(&err);
    assert_eq!(failed, [(format!("{}album/b.txt", dir.as_str()), "local.io")], "{err}");
    assert_eq!(total, 2);
    assert_eq!(
        s3.count("PUT", "b.txt", None),
        0,
        "nothing was sent for the missing file"
    );

    std::fs::rename(&moved, src.join("b.txt")).unwrap();
    s3.clear_seen();
    let report = storage
        .retry_upload(&upload_items(&err), TransferHooks::default())
        .await
        .unwrap();
    assert_eq!(report.uploaded.len(), 1);
    assert_eq!((s3.count("PUT", "b.txt", None), s3.count("PUT", "a.txt", None)), (1, 0));
    let key = format!("{}{}album/b.txt", storage.prefix().as_str(), dir.as_str());
    assert_eq!(env.stack.admin_bytes(&key).await, b"second");
    storage.delete(&dir, true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_partly_failed_download_retries_only_the_failed_file() {
    let s3 = Proxy::start(Stack::get().s3()).await;
    let env = Env::new("retry-down", &[("s3_endpoint", &format!("{:?}", s3.url()))]);
    let storage = alice(&env).await;
    let src = env.path("d");
    write(&src.join("x.txt"), b"x bytes");
    write(&src.join("sub/y.txt"), b"y bytes");
    let dir = RelPath::parse(&format!("retry-down-{}/", env.profile)).unwrap();
    storage.upload(std::slice::from_ref(&src), &dir, None).await.unwrap();

    // A link where the download wants a folder: that item fails (links are never followed).
    let out = env.path("out");
    let elsewhere = env.path("elsewhere");
    std::fs::create_dir_all(out.join("d")).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("d/sub")).unwrap();
    let err = storage
        .download(&[dir.join("d/").unwrap()], &out, true, None)
        .await
        .unwrap_err();
    let (failed, total) = failures(&err);
    assert_eq!(failed, [("d/sub/y.txt".to_string(), "local.symlink")], "{err}");
    assert_eq!(total, 2);
    assert_eq!(std::fs::read(out.join("d/x.txt")).unwrap(), b"x bytes");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);

    std::fs::remove_file(out.join("d/sub")).unwrap();
    s3.clear_seen();
    let report = storage
        .retry_download(&download_items(&err), &out, TransferHooks::default())
        .await
        .unwrap();
    assert_eq!(report.files, [out.join("d/sub/y.txt")]);
    assert_eq!(std::fs::read(out.join("d/sub/y.txt")).unwrap(), b"y bytes");
    assert_eq!(s3.count("GET", GET_OBJECT, None), 1, "only y.txt: {:?}", s3.seen());
    assert_eq!(s3.count("GET", "y.txt", None), 1);
    storage.delete(&dir, true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retry_asks_only_about_targets_nobody_decided_on() {
    use kura_core::progress::{Conflict, ConflictFn};
    use kura_core::storage::conflict::ConflictPolicy;
    use std::sync::{Arc, Mutex};

    let s3 = Proxy::start(Stack::get().s3()).await;
    let env = Env::new("retry-ask", &[("s3_endpoint", &format!("{:?}", s3.url()))]);
    let plain = alice(&env).await;
    let storage = plain.clone().with_options(TransferOptions {
        if_exists: ConflictPolicy::Ask,
        ..plain.options()
    });
    let src = env.path("ask");
    for name in ["r.txt", "s.txt", "t.txt"] {
        write(&src.join(name), name.as_bytes());
    }
    let dir = RelPath::parse(&format!("retry-ask-{}/", env.profile)).unwrap();
    let in_dir = |name: &str| format!("{}ask/{name}", dir.as_str());
    let key = |name: &str| format!("{}{}", storage.prefix().as_str(), in_dir(name));
    admin_put(&env, &key("r.txt"), b"old r").await;
    // Every question is answered "replace" and remembered.
    let asked: Arc<Mutex<Vec<Vec<String>>>> = Arc::default();
    let answer: ConflictFn = Arc::new({
        let asked = asked.clone();
        move |conflicts: Vec<Conflict>| {
            let n = conflicts.len();
            asked
                .lock()
                .unwrap()
                .push(conflicts.into_iter().map(|c| c.target).collect());
            Box::pin(async move { Some(vec![ConflictPolicy::Overwrite; n]) })
        }
    });
    let hooks = || TransferHooks {
        on_conflict: Some(answer.clone()),
        ..TransferHooks::default()
    };
    s3.set(vec![
        Rule::all(Fault::slow_down()).method("PUT").target_has("r.txt"),
        Rule::all(Fault::slow_down()).method("PUT").target_has("t.txt"),
    ]);
    let err = storage
        .upload_with(std::slice::from_ref(&src), &dir, hooks())
        .await
        .unwrap_err();
    assert_eq!(failures(&err).0.len(), 2, "{err}");
    assert_eq!(*asked.lock().unwrap(), [vec![in_dir("r.txt")]]);
    let items = upload_items(&err);
    assert_eq!(
        items.iter().map(|i| (i.remote.as_str(), i.replace)).collect::<Vec<_>>(),
        [(in_dir("r.txt").as_str(), true), (in_dir("t.txt").as_str(), false)]
    );

    // Meanwhile t.txt appears on S3: only it is asked about; r.txt's answer stands.
    s3.pass();
    admin_put(&env, &key("t.txt"), b"someone else's t").await;
    storage.retry_upload(&items, hooks()).await.unwrap();
    assert_eq!(*asked.lock().unwrap(), [vec![in_dir("r.txt")], vec![in_dir("t.txt")]]);
    assert_eq!(env.stack.admin_bytes(&key("r.txt")).await, b"r.txt");
    assert_eq!(env.stack.admin_bytes(&key("t.txt")).await, b"t.txt");
    plain.delete(&dir, true).await.unwrap();
}
