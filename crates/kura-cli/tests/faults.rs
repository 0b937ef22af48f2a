//! Faults between Kura and S3 or STS (issue 10, "nothing lost, a clear message"): a
//! fault-injecting proxy ([`proxy`]) between Kura and the real local stack's S3 or STS (the
//! IdP's faults are in `faults_idp.rs`). Each fault either is retried away, or fails with a
//! clear code while nothing is lost: no partial file in place, no multipart upload nobody knows
//! about (aborted, or journaled and resumed by the next run), and the session kept.

mod common;
#[allow(dead_code)]
#[path = "common/proxy.rs"]
mod proxy;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use kura_core::paths::RelPath;
use kura_core::session::Session;
use kura_core::storage::journal::Journal;
use kura_core::storage::{Storage, TransferOptions};
use proxy::{Fault, Proxy, Rule};

const PART: u64 = 5 * 1024 * 1024;
const UPLOAD_PART: &str = "x-id=UploadPart";
const GET_OBJECT: &str = "x-id=GetObject";

fn q(s: &str) -> String {
    format!("{s:?}")
}

/// Alice signed in (memory store) on `env`'s profile, and her storage with 5 MiB parts sent one
/// at a time and a journal of its own.
async fn alice(env: &Env) -> (Arc<Session>, Storage) {
    let session = sign_in(env.profile(), ALICE).await;
    let storage = storage_of(env, session.clone()).await;
    (session, storage)
}

async fn storage_of(env: &Env, session: Arc<Session>) -> Storage {
    Storage::connect(session)
        .await
        .unwrap()
        .with_options(TransferOptions {
            multipart_threshold: PART,
            part_size: PART,
            part_concurrency: 1,
            ..TransferOptions::default()
        })
        .with_journal(Journal::in_dir(env.path("journal")))
}

/// A local file of `len` pseudo-random bytes; its name, path and bytes.
fn file(env: &Env, name: &str, len: u64) -> (std::path::PathBuf, Vec<u8>) {
    let bytes = data(len, len ^ 0x5eed);
    let path = env.path(name);
    std::fs::write(&path, &bytes).unwrap();
    (path, bytes)
}

fn folder(env: &Env) -> RelPath {
    RelPath::parse(&format!("faults-{}/", env.profile)).unwrap()
}

/// The multipart uploads S3 has under `key_prefix` (admin's view).
async fn uploads_under(env: &Env, key_prefix: &str) -> usize {
    let out = env
        .stack
        .admin()
        .list_multipart_uploads()
        .bucket(env.stack.bucket())
        .prefix(key_prefix)
        .send()
        .await
        .unwrap();
    out.uploads().len()
}

/// What the keychain accounts of `session`'s profile hold: (refresh token, session) present.
fn stored(session: &Session) -> (bool, bool) {
    let name = &session.profile().name;
    let store = session.store();
    (
        store.get(name).unwrap().is_some(),
        store.get(&format!("{name}:session")).unwrap().is_some(),
    )
}

// ------------------------------------------------------------------------------------ S3 ----

/// A connection reset half-way through an UploadPart body: the SDK sends the part again and
/// the object is byte-identical.
#[tokio::test(flavor = "multi_thread")]
async fn a_connection_reset_mid_part_is_retried_and_the_object_is_intact() {
    let s3 = Proxy::start(Stack::get().s3()).await;
    let env = Env::new("reset-once", &[("s3_endpoint", &q(s3.url()))]);
    let (_session, storage) = alice(&env).await;
    let (path, bytes) = file(&env, "big.bin", 2 * PART + 12_345);
    s3.set(vec![Rule::all(Fault::ResetAfter(1 << 20))
        .method("PUT")
        .target_has(UPLOAD_PART)
        .skip(1)
        .times(1)]);

    let dir = folder(&env);
    let report = storage.upload(std::slice::from_ref(&path), &dir, None).await.unwrap();
    assert_eq!(report.bytes, bytes.len() as u64);
    assert_eq!(s3.count("PUT", UPLOAD_PART, Some("reset")), 1);
    assert_eq!(s3.count("PUT", UPLOAD_PART, None), 4, "3 parts, the second sent twice");
    let key = format!("{}{}big.bin", storage.prefix().as_str(), dir.as_str());
    assert_eq!(sha256(&env.stack.admin_bytes(&key).await), sha256(&bytes));
    storage.delete(&dir, true).await.unwrap();
}

/// Resets that outlast the SDK's retries: the upload stops with `s3.network`, the parts S3 has
/// stay (the upload is journaled, not orphaned), and the next run sends only the rest.
#[tokio::test(flavor = "multi_thread")]
async fn resets_past_the_retries_pause_the_upload_and_the_next_run_resumes_it() {
    let s3 = Proxy::start(Stack::get().s3()).await;
    let env = Env::new("reset-always", &[("s3_endpoint", &q(s3.url()))]);
    let (_session, storage) = alice(&env).await;
    let (path, bytes) = file(&env, "big.bin", 3 * PART + 7);
    s3.set(vec![Rule::all(Fault::ResetAfter(1 << 20))
        .method("PUT")
        .target_has(UPLOAD_PART)
        .target_has("partNumber=2")]);
    let dir = folder(&env);
    let key = format!("{}{}big.bin", storage.prefix().as_str(), dir.as_str());

    let err = storage
        .upload(std::slice::from_ref(&path), &dir, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "s3.network", "{err}");
    assert_eq!(
        s3.count("PUT", "partNumber=2", Some("reset")),
        4,
        "the SDK tried the part 4 times"
    );
    assert!(storage.stat(&dir.join("big.bin").unwrap()).await.unwrap().is_none());
    let unfinished = storage.unfinished_uploads();
    assert_eq!(unfinished.len(), 1, "the upload is journaled: {unfinished:?}");
    assert_eq!(unfinished[0].bytes_done, PART);
    assert_eq!(uploads_under(&env, &key).await, 1, "S3 keeps the journaled upload");

    s3.pass();
    let report = storage.upload(std::slice::from_ref(&path), &dir, None).await.unwrap();
    assert_eq!(report.resumed_bytes, PART, "part 1 was not sent again");
    assert_eq!(sha256(&env.stack.admin_bytes(&key).await), sha256(&bytes));
    assert!(storage.unfinished_uploads().is_empty());
    assert_eq!(uploads_under(&env, &key).await, 0);
    storage.delete(&dir, true).await.unwrap();
}

/// A part refused for good (`403 AccessDenied`) aborts the upload; when the abort itself fails
/// (connection refused), the upload stays journaled — listed as unfinished, discarded later —
/// instead of staying on S3 unknown to anyone.
#[tokio::test(flavor = "multi_thread")]
async fn an_upload_whose_abort_fails_stays_listed_for_discarding() {
    let s3 = Proxy::start(Stack::get().s3()).await;
    let env = Env::new("abort-fails", &[("s3_endpoint", &q(s3.url()))]);
    let (_session, storage) = alice(&env).await;
    let (path, _) = file(&env, "big.bin", 2 * PART + 3);
    let dir = folder(&env);
    let key = format!("{}{}big.bin", storage.prefix().as_str(), dir.as_str());
    s3.set(vec![
        Rule::all(Fault::s3(403, "AccessDenied", "Access Denied"))
            .method("PUT")
            .target_has(UPLOAD_PART)
            .skip(1),
        Rule::all(Fault::Refuse).method("DELETE").target_has("uploadId="),
    ]);

    let err = storage
        .upload(std::slice::from_ref(&path), &dir, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "s3.access_denied", "{err}");
    assert!(
        s3.count("DELETE", "uploadId=", Some("refused")) >= 1,
        "the abort was tried"
    );
    assert_eq!(uploads_under(&env, &key).await, 1, "S3 still has the upload");
    let unfinished = storage.unfinished_uploads();
    assert_eq!(unfinished.len(), 1, "and the journal knows it");

    s3.pass();
    storage.discard_upload(&unfinished[0]).await.unwrap();
    assert_eq!(uploads_under(&env, &key).await, 0);
    assert!(storage.unfinished_uploads().is_empty());
}

/// `503 SlowDown` on some UploadParts and ranged GETs is retried with backoff; both transfers
/// complete and the bytes are the same.
#[tokio::test(flavor = "multi_thread")]
async fn slow_down_is_retried_and_both_transfers_complete() {
    let s3 = Proxy::start(Stack::get().s3()).await;
    let env = Env::new("slowdown", &[("s3_endpoint", &q(s3.url()))]);
    let (_session, storage) = alice(&env).await;
    let (path, bytes) = file(&env, "big.bin", 2 * PART + 99);
    let dir = folder(&env);
    s3.set(vec![
        Rule::all(Fault::slow_down())
            .method("PUT")
            .target_has(UPLOAD_PART)
            .times(2),
        Rule::all(Fault::slow_down())
            .method("GET")
            .target_has(GET_OBJECT)
            .skip(1)
            .times(2),
    ]);

    storage.upload(std::slice::from_ref(&path), &dir, None).await.unwrap();
    let out = env.path("out");
    std::fs::create_dir(&out).unwrap();
    storage
        .download(&[dir.join("big.bin").unwrap()], &out, false, None)
        .await
        .unwrap();
    assert!(
        std::fs::read(out.join("big.bin")).unwrap() == bytes,
        "downloaded bytes differ"
    );
    assert_eq!(s3.count("PUT", UPLOAD_PART, Some("answered")), 2);
    assert_eq!(s3.count("GET", GET_OBJECT, Some("answered")), 2);
    storage.delete(&dir, true).await.unwrap();
}

/// A download that gets `503 SlowDown` past every retry fails with `s3.unavailable` and leaves
/// nothing in the destination: no file, no temporary file.
#[tokio::test(flavor = "multi_thread")]
async fn a_download_failing_past_the_retries_leaves_no_partial_file() {
    let s3 = Proxy::start(Stack::get().s3()).await;
    let env = Env::new("slowdown-all", &[("s3_endpoint", &q(s3.url()))]);
    let (_session, storage) = alice(&env).await;
    let (path, _) = file(&env, "big.bin", 2 * PART + 5);
    let dir = folder(&env);
    storage.upload(std::slice::from_ref(&path), &dir, None).await.unwrap();
    // The first range arrives, the second never does.
    s3.set(vec![Rule::all(Fault::slow_down())
        .method("GET")
        .target_has(GET_OBJECT)
        .skip(1)]);

    let out = env.path("out");
    std::fs::create_dir(&out).unwrap();
    let started = Instant::now();
    let err = storage
        .download(&[dir.join("big.bin").unwrap()], &out, false, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "s3.unavailable", "{err}");
    assert!(s3.count("GET", GET_OBJECT, Some("answered")) >= 4, "retried");
    assert!(started.elapsed() < Duration::from_secs(50));
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "nothing left in the destination: {left:?}");
    s3.pass();
    storage.delete(&dir, true).await.unwrap();
}

// ----------------------------------------------------------------------------------- STS ----

/// STS refusing connections, then answering `503 ServiceUnavailable`, past Kura's retries:
/// `sts.unavailable`, the session is kept, and once STS answers the next renewal works.
#[tokio::test(flavor = "multi_thread")]
async fn sts_down_is_a_clear_error_and_keeps_the_session() {
    let sts = Proxy::start(Stack::get().s3()).await;
    let env = Env::new("sts-down", &[("sts_endpoint", &q(sts.url()))]);
    let session = sign_in(env.profile(), ALICE).await;
    let before = session.credentials().await.unwrap();

    for fault in [Fault::Refuse, Fault::sts_unavailable()] {
        sts.clear_seen();
        sts.set(vec![Rule::all(fault.clone())]);
        let err = session.force_refresh().await.unwrap_err();
        assert_eq!(err.code(), "sts.unavailable", "{fault:?}: {err}");
        assert_eq!(
            sts.seen().len(),
            kura_core::sts::ATTEMPTS as usize,
            "{fault:?}: retried"
        );
        assert_eq!(stored(&session), (true, true), "{fault:?}: the session is kept");
        assert!(session.status().await.unwrap().is_some());
    }
    sts.pass();
    let after = session.force_refresh().await.unwrap();
    assert_ne!(after.access_key_id, before.access_key_id);
}

/// S3 refuses the credentials as expired mid-upload while STS is down: the forced renewal
/// fails, the upload stops with STS's code (not `s3.expired_credentials`, which asks to sign in
/// again), keeps the sent part, and the next run — STS back — resumes it.
#[tokio::test(flavor = "multi_thread")]
async fn sts_down_when_renewal_is_needed_mid_upload_pauses_it_and_the_next_run_resumes() {
    let stack = Stack::get();
    let (s3, sts) = (Proxy::start(stack.s3()).await, Proxy::start(stack.s3()).await);
    let env = Env::new(
        "sts-mid",
        &[("s3_endpoint", &q(s3.url())), ("sts_endpoint", &q(sts.url()))],
    );
    let (session, storage) = alice(&env).await;
    let (path, bytes) = file(&env, "big.bin", 3 * PART + 1);
    let dir = folder(&env);
    let key = format!("{}{}big.bin", storage.prefix().as_str(), dir.as_str());
    s3.set(vec![Rule::all(Fault::expired_token())
        .method("PUT")
        .target_has(UPLOAD_PART)
        .skip(1)
        .times(1)]);
    sts.set(vec![Rule::all(Fault::Refuse)]);

    let err = storage
        .upload(std::slice::from_ref(&path), &dir, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "sts.unavailable", "{err}");
    assert_eq!(stored(&session), (true, true), "the session is kept");
    assert_eq!(storage.unfinished_uploads().len(), 1, "the upload is journaled");
    assert_eq!(uploads_under(&env, &key).await, 1);

    sts.pass();
    let report = storage.upload(std::slice::from_ref(&path), &dir, None).await.unwrap();
    assert_eq!(report.resumed_bytes, PART);
    assert_eq!(sha256(&env.stack.admin_bytes(&key).await), sha256(&bytes));
    assert_eq!(uploads_under(&env, &key).await, 0);
    storage.delete(&dir, true).await.unwrap();
}

/// STS down while the credentials are due for renewal but still valid (30-second credentials,
/// 5-minute margin): work goes on with them, without asking STS on every request; once they
/// have expired, requests fail with `sts.unavailable`; once STS is back, they work again.
#[tokio::test(flavor = "multi_thread")]
async fn sts_down_while_credentials_are_still_valid_does_not_stop_work() {
    let short = Stack::get().s3_short().to_string();
    let sts = Proxy::start(&short).await;
    let env = Env::new(
        "sts-valid",
        &[("sts_endpoint", &q(sts.url())), ("s3_endpoint", &q(&short))],
    );
    let (session, storage) = alice(&env).await;
    let dir = folder(&env);
    storage.mkdir(&dir).await.unwrap();
    let creds = session.credentials().await.unwrap();
    assert!(creds.seconds_left() <= 31);

    sts.set(vec![Rule::all(Fault::Refuse)]);
    assert_eq!(storage.list(&dir, false).await.unwrap().len(), 0);
    let again = session.credentials().await.unwrap();
    assert_eq!(again.access_key_id, creds.access_key_id, "the still-valid credentials");
    let asked = sts.seen().len();
    storage.list(&dir, false).await.unwrap();
    assert_eq!(sts.seen().len(), asked, "STS is not asked again right after failing");

    tokio::time::sleep(Duration::from_secs(creds.seconds_left().max(0) as u64 + 2)).await;
    let err = storage.list(&dir, false).await.unwrap_err();
    assert_eq!(err.code(), "sts.unavailable", "{err}");
    assert_eq!(stored(&session), (true, true));

    sts.pass();
    storage.list(&dir, false).await.unwrap();
    storage.delete(&dir, true).await.unwrap();
}
