//! Transfer control against the real stack: pausing stops new requests until resumed (and the
//! result is intact), and a download whose connection drops mid-range retries that range.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::faults::Faulty;
use common::*;
use kura_core::paths::RelPath;
use kura_core::progress::{Pause, ProgressFn, TransferHooks};
use kura_core::storage::{Storage, TransferOptions};

const MIB: u64 = 1024 * 1024;
const PART: u64 = 5 * MIB;

fn options() -> TransferOptions {
    TransferOptions {
        multipart_threshold: PART,
        part_size: PART,
        part_concurrency: 2,
        file_concurrency: 2,
        ..TransferOptions::default()
    }
}

/// Hooks whose progress lands in `done` and which pause once the first bytes are reported.
fn pausing_hooks(done: Arc<AtomicU64>) -> (TransferHooks, Pause) {
    let pause = Pause::default();
    let p = pause.clone();
    let once = std::sync::Once::new();
    let progress: ProgressFn = Arc::new(move |u| {
        done.store(u.bytes_done, Ordering::SeqCst);
        if u.bytes_done > 0 {
            once.call_once(|| {
                p.pause();
            });
        }
    });
    (
        TransferHooks {
            progress: Some(progress),
            pause: pause.clone(),
            ..TransferHooks::default()
        },
        pause,
    )
}

/// Waits until the paused transfer settles, then checks it stays put well below `total`.
async fn assert_stays_paused(done: &AtomicU64, total: u64, what: &str) -> u64 {
    // In-flight requests (≤ part_concurrency parts) finish after the pause; then nothing moves.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let settled = done.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let later = done.load(Ordering::SeqCst);
    assert_eq!(settled, later, "{what}: bytes kept moving while paused");
    assert!(
        settled > 0 && settled <= 3 * PART && settled < total,
        "{what}: paused at {settled} of {total}"
    );
    settled
}

#[tokio::test(flavor = "multi_thread")]
async fn paused_transfers_send_nothing_until_resumed_and_finish_intact() {
    let env = Env::new("pause", &[]);
    let session = sign_in(env.profile(), ALICE).await;
    let real = Storage::connect(session).await.unwrap();
    let slow = Arc::new(Faulty {
        delay: Duration::from_millis(300),
        ..Faulty::new(real.client().clone())
    });
    let storage = Storage::new(slow, real.prefix().clone()).with_options(options());
    let dir = RelPath::parse(&format!("pause-{}/", env.profile)).unwrap();
    let total = 10 * PART + 123;
    let bytes = data(total, 7);
    let src = env.path("big.bin");
    std::fs::write(&src, &bytes).unwrap();

    let done = Arc::new(AtomicU64::new(0));
    let (hooks, pause) = pausing_hooks(done.clone());
    let up = tokio::spawn({
        let (storage, dir, src) = (storage.clone(), dir.clone(), src.clone());
        async move { storage.upload_with(&[src], &dir, hooks).await }
    });
    while !pause.is_paused() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_stays_paused(&done, total, "upload").await;
    assert!(!up.is_finished(), "a paused upload does not complete");
    assert!(pause.resume());
    let report = up.await.unwrap().unwrap();
    assert_eq!(report.bytes, total);

    let out = env.path("out");
    std::fs::create_dir(&out).unwrap();
    let done = Arc::new(AtomicU64::new(0));
    let (hooks, pause) = pausing_hooks(done.clone());
    let down = tokio::spawn({
        let (storage, remote, out) = (storage.clone(), dir.join("big.bin").unwrap(), out.clone());
        async move { storage.download_with(&[remote], &out, false, hooks).await }
    });
    while !pause.is_paused() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_stays_paused(&done, total, "download").await;
    assert!(
        !out.join("big.bin").exists(),
        "nothing under the real name while paused"
    );
    assert!(pause.resume());
    down.await.unwrap().unwrap();
    assert!(std::fs::read(out.join("big.bin")).unwrap() == bytes, "download differs");
    real.delete(&dir, true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_dropped_mid_range_is_retried() {
    let env = Env::new("cut", &[]);
    let session = sign_in(env.profile(), ALICE).await;
    let real = Storage::connect(session).await.unwrap().with_options(options());
    let dir = RelPath::parse(&format!("cut-{}/", env.profile)).unwrap();
    let small = env.path("small.bin");
    let large = env.path("large.bin");
    std::fs::write(&small, data(700_000, 8)).unwrap();
    std::fs::write(&large, data(3 * PART + 5, 9)).unwrap();
    real.upload(&[small.clone(), large.clone()], &dir, None).await.unwrap();

    // The whole-object GET of the small file and the second range of the large one are cut.
    for (name, cut_at, local) in [("small.bin", 0, &small), ("large.bin", PART, &large)] {
        let cutter = Arc::new(Faulty {
            cut_range_start: Some(cut_at),
            ..Faulty::new(real.client().clone())
        });
        let storage = Storage::new(cutter.clone(), real.prefix().clone()).with_options(options());
        let out = env.path(&format!("out-{name}"));
        std::fs::create_dir(&out).unwrap();
        let last = Arc::new(AtomicU64::new(0));
        let l = last.clone();
        let progress: ProgressFn = Arc::new(move |u| {
            l.store(u.bytes_done, Ordering::SeqCst);
            assert!(u.bytes_done <= u.bytes_total, "progress overshot: {u:?}");
        });
        let report = storage
            .download(&[dir.join(name).unwrap()], &out, false, Some(progress))
            .await
            .unwrap();
        assert!(cutter.cut.load(Ordering::SeqCst), "{name}: the fault was injected");
        assert_eq!(std::fs::read(out.join(name)).unwrap(), std::fs::read(local).unwrap());
        let size = std::fs::metadata(local).unwrap().len();
        assert_eq!(
            report.bytes, size,
            "{name}: the failed attempt's bytes are not counted twice"
        );
        assert_eq!(last.load(Ordering::SeqCst), size);
    }
    real.delete(&dir, true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_object_replaced_mid_download_is_refused_and_nothing_is_saved() {
    let env = Env::new("replaced", &[]);
    let session = sign_in(env.profile(), ALICE).await;
    let real = Storage::connect(session).await.unwrap().with_options(options());
    let dir = RelPath::parse(&format!("replaced-{}/", env.profile)).unwrap();
    let src = env.path("v.bin");
    std::fs::write(&src, data(4 * PART, 10)).unwrap();
    real.upload(std::slice::from_ref(&src), &dir, None).await.unwrap();

    // One range at a time, each GET a second late; the object is replaced after the first range.
    let slow = Arc::new(Faulty {
        delay: Duration::from_secs(1),
        ..Faulty::new(real.client().clone())
    });
    let storage = Storage::new(slow, real.prefix().clone()).with_options(TransferOptions {
        part_concurrency: 1,
        ..options()
    });
    std::fs::write(env.path("v2.bin"), data(4 * PART, 11)).unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let tx = std::sync::Mutex::new(Some(tx));
    let progress: ProgressFn = Arc::new(move |u| {
        if u.bytes_done >= PART {
            if let Some(tx) = tx.lock().unwrap().take() {
                let _ = tx.send(());
            }
        }
    });
    let replace = tokio::spawn({
        let (real, dir, v2) = (real.clone(), dir.clone(), env.path("v2.bin"));
        async move {
            rx.await.unwrap();
            let key = format!("{}{}v.bin", real.prefix().as_str(), dir.as_str());
            let body = kura_core::s3::BodySource::File {
                path: v2,
                offset: 0,
                length: 4 * PART,
            };
            real.client().put_object(&key, body).await.unwrap();
        }
    });
    let out = env.path("out");
    std::fs::create_dir(&out).unwrap();
    let err = storage
        .download(&[dir.join("v.bin").unwrap()], &out, false, Some(progress))
        .await
        .unwrap_err();
    replace.await.unwrap();
    assert_eq!(err.code(), "s3.object_changed", "{err}");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "nothing saved");
    real.delete(&dir, true).await.unwrap();
}
