//! Transfer integrity against the real stack: sizes around part boundaries round-trip with the
//! full-object CRC64NVME S3 stores, a corrupted download is refused and leaves nothing behind,
//! and a cancelled multipart upload leaves no upload (no orphaned parts) behind.

mod common;

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use common::faults::Faulty;
use common::*;
use kura_core::checksum;
use kura_core::paths::RelPath;
use kura_core::storage::{Storage, TransferOptions};
use kura_core::Error;

const MIB: u64 = 1024 * 1024;
const PART: u64 = 5 * MIB;

/// Small parts so that boundaries are cheap to reach: 5 MiB parts from 5 MiB on.
fn options() -> TransferOptions {
    TransferOptions {
        multipart_threshold: PART,
        part_size: PART,
        part_concurrency: 4,
        file_concurrency: 4,
        ..TransferOptions::default()
    }
}

fn local_crc(bytes: &[u8]) -> String {
    let mut c = checksum::Crc64::default();
    c.update(bytes);
    checksum::encode(c.finish().0)
}

async fn storage_for(env: &Env) -> (Storage, RelPath) {
    let session = sign_in(env.profile(), ALICE).await;
    let storage = Storage::connect(session).await.unwrap().with_options(options());
    let dir = RelPath::parse(&format!("transfers-{}/", env.profile)).unwrap();
    (storage, dir)
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn sizes_around_part_boundaries_round_trip_with_full_object_checksums() {
    let env = Env::new("boundaries", &[]);
    let (storage, dir) = storage_for(&env).await;
    let admin = env.stack.admin();
    let sizes = [0, 1, PART - 1, PART, PART + 1, 3 * PART + 1];
    let src = env.path("src");
    std::fs::create_dir(&src).unwrap();
    let mut files = Vec::new();
    for (i, &size) in sizes.iter().enumerate() {
        let path = src.join(format!("f{i}-{size}.bin"));
        std::fs::write(&path, data(size, i as u64)).unwrap();
        files.push(path);
    }
    let report = storage.upload(&files, &dir, None).await.unwrap();
    assert_eq!(report.bytes, sizes.iter().sum::<u64>());

    for (path, &size) in files.iter().zip(&sizes) {
        let bytes = std::fs::read(path).unwrap();
        let key = format!(
            "{}{}{}",
            storage.prefix().as_str(),
            dir.as_str(),
            path.file_name().unwrap().to_str().unwrap()
        );
        let head = admin
            .head_object()
            .bucket(env.stack.bucket())
            .key(&key)
            .checksum_mode(aws_sdk_s3::types::ChecksumMode::Enabled)
            .send()
            .await
            .unwrap();
        assert_eq!(head.content_length(), Some(size as i64), "{key}");
        assert_eq!(
            head.checksum_crc64_nvme(),
            Some(local_crc(&bytes).as_str()),
            "{key}: S3 stores the full-object CRC64NVME of the local bytes"
        );
        if size > PART {
            assert_eq!(head.checksum_type(), Some(&aws_sdk_s3::types::ChecksumType::FullObject));
        }
    }

    let out = env.path("out");
    std::fs::create_dir(&out).unwrap();
    let got = storage
        .download(std::slice::from_ref(&dir), &out, true, None)
        .await
        .unwrap();
    assert_eq!(got.bytes, sizes.iter().sum::<u64>());
    let folder = out.join(dir.name());
    for path in &files {
        let name = path.file_name().unwrap();
        assert_eq!(
            std::fs::read(folder.join(name)).unwrap(),
            std::fs::read(path).unwrap(),
            "{name:?} differs after the round trip"
        );
    }
    assert_eq!(files_in(&folder).len(), sizes.len(), "no temporary files are left");
    storage.delete(&dir, true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_corrupted_download_is_refused_and_leaves_no_file() {
    let env = Env::new("corrupt", &[]);
    let (storage, dir) = storage_for(&env).await;
    let small = env.path("small.bin");
    let large = env.path("large.bin");
    std::fs::write(&small, data(300_000, 1)).unwrap();
    std::fs::write(&large, data(2 * PART + 77, 2)).unwrap();
    storage.upload(&[small, large], &dir, None).await.unwrap();

    // The small object comes in one GET; the large one as ranges, the second range corrupted.
    for (name, flip_at) in [("small.bin", 0), ("large.bin", PART)] {
        let flipper = Arc::new(Faulty {
            flip_range_start: Some(flip_at),
            ..Faulty::new(storage.client().clone())
        });
        let faulty = Storage::new(flipper.clone(), storage.prefix().clone()).with_options(options());
        let out = env.path(&format!("out-{name}"));
        std::fs::create_dir(&out).unwrap();
        let err = faulty
            .download(&[dir.join(name).unwrap()], &out, false, None)
            .await
            .unwrap_err();
        assert!(flipper.flipped.load(Ordering::SeqCst), "{name}: the fault was injected");
        assert!(matches!(err, Error::ChecksumMismatch { .. }), "{name}: {err:?}");
        assert_eq!(err.code(), "transfer.checksum_mismatch");
        assert!(files_in(&out).is_empty(), "{name}: left {:?}", files_in(&out));

        // The same download through the real client succeeds.
        storage
            .download(&[dir.join(name).unwrap()], &out, false, None)
            .await
            .unwrap();
        assert_eq!(files_in(&out), vec![name.to_string()]);
    }
    storage.delete(&dir, true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_multipart_upload_leaves_no_upload_behind() {
    let env = Env::new("cancel", &[]);
    let (storage, dir) = storage_for(&env).await;
    let storage = storage.with_options(TransferOptions {
        part_concurrency: 1,
        ..options()
    });
    let big = env.path("big.bin");
    std::fs::write(&big, data(12 * PART, 3)).unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let tx = std::sync::Mutex::new(Some(tx));
    let progress: kura_core::progress::ProgressFn = Arc::new(move |u| {
        if u.bytes_done > 0 {
            if let Some(tx) = tx.lock().unwrap().take() {
                let _ = tx.send(());
            }
        }
    });
    let upload = storage.upload(std::slice::from_ref(&big), &dir, Some(progress));
    tokio::select! {
        r = upload => panic!("the upload finished before it could be cancelled: {r:?}"),
        _ = rx => {} // dropping the upload future is how a transfer is cancelled
    }

    let admin = env.stack.admin();
    let key_prefix = format!("{}{}", storage.prefix().as_str(), dir.as_str());
    let mut left = usize::MAX;
    for _ in 0..50 {
        let out = admin
            .list_multipart_uploads()
            .bucket(env.stack.bucket())
            .prefix(&key_prefix)
            .send()
            .await
            .unwrap();
        left = out.uploads().len();
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(left, 0, "ListMultipartUploads still shows the cancelled upload");
    let listed = storage.list(&dir, false).await.unwrap_or_default();
    assert!(listed.is_empty(), "no object was created: {listed:?}");
}
