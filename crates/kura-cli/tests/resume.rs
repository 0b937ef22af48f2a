//! A killed `kura put` resumes: the second run continues the journaled `UploadId`, sends only
//! the parts S3 does not have (ListParts), and the object is complete and byte-identical.
//! `kura uploads` lists such uploads and resumes or discards them.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;
use kura_core::storage::journal::Journal;

const MIB: u64 = 1024 * 1024;
const PART: u64 = 5 * MIB;

fn journaled_parts(state: &Path) -> Option<(String, usize)> {
    let entries = Journal::in_dir(state.join("uploads")).entries();
    entries.first().map(|e| (e.upload_id.clone(), e.parts.len()))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_upload_resumes_sending_only_the_missing_parts() {
    let env = Env::new("resume", &[]);
    assert!(env.login(ALICE).status.success());
    let state = env.dir.path().join("state");
    let size = 24 * PART + 1;
    let data: Vec<u8> = (0..size).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let file = env.path("big.bin");
    std::fs::write(&file, &data).unwrap();
    let dir = format!("resume-{}/", env.profile);

    // First run: killed once a few parts are journaled.
    let upload_id = put_and_kill(&env, &file, &dir);

    // S3 has an unfinished upload with some parts; nothing is visible as an object yet.
    let admin = env.stack.admin();
    let key = format!("users/auth0|alice0001/{dir}big.bin");
    let listed = admin
        .list_parts()
        .bucket(env.stack.bucket())
        .key(&key)
        .upload_id(&upload_id)
        .send()
        .await
        .unwrap();
    let before = listed.parts().len() as u64;
    assert!((3..25).contains(&before), "{before} parts before the restart");
    assert!(admin
        .head_object()
        .bucket(env.stack.bucket())
        .key(&key)
        .send()
        .await
        .is_err());

    // Second run: resumes and sends only the rest.
    let args = [
        "put",
        "--part-size-mib",
        "5",
        "--part-concurrency",
        "1",
        file.to_str().unwrap(),
        &dir,
    ];
    let out = env.kura().args(args).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let had = format!("{:.1} MiB had been sent before", (before * PART) as f64 / MIB as f64);
    let now = format!("{:.1} MiB sent now", (size - before * PART) as f64 / MIB as f64);
    assert!(
        stderr.contains(&had) && stderr.contains(&now),
        "{stderr}\nwanted {had:?} and {now:?}"
    );
    assert!(
        journaled_parts(&state).is_none(),
        "the journal entry is gone once complete"
    );

    let got = env.stack.admin_bytes(&key).await;
    assert_eq!(got.len() as u64, size);
    assert!(got == data, "the resumed object differs from the file");
    let uploads = admin
        .list_multipart_uploads()
        .bucket(env.stack.bucket())
        .prefix(format!("users/auth0|alice0001/{dir}"))
        .send()
        .await
        .unwrap();
    assert!(uploads.uploads().is_empty(), "no unfinished upload is left");
    env.ok(&["rm", "-r", &dir]);
}

/// Starts `kura put` of `file` into `dir` (5 MiB parts, one at a time) and kills it once three
/// parts are journaled; returns the `UploadId`.
fn put_and_kill(env: &Env, file: &Path, dir: &str) -> String {
    let state = env.dir.path().join("state");
    let mut child = env
        .kura()
        .args([
            "put",
            "--part-size-mib",
            "5",
            "--part-concurrency",
            "1",
            file.to_str().unwrap(),
            dir,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some((id, n)) = journaled_parts(&state) {
            if n >= 3 {
                child.kill().unwrap();
                child.wait().unwrap();
                return id;
            }
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the upload finished before it could be killed"
        );
        assert!(Instant::now() < deadline, "no parts were journaled");
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn unfinished_uploads_are_listed_then_resumed_or_discarded() {
    let env = Env::new("uploads", &[]);
    assert!(env.login(ALICE).status.success());
    let dir = format!("uploads-{}/", env.profile);
    let size = 16 * PART + 7;
    let bytes = data(size, 21);
    let file = env.path("one.bin");
    std::fs::write(&file, &bytes).unwrap();
    assert!(env.ok(&["uploads"]).is_empty(), "nothing unfinished yet");

    put_and_kill(&env, &file, &dir);
    let listed = env.ok(&["uploads"]);
    assert!(
        listed.contains(&format!("{dir}one.bin <- {}", file.display())) && listed.contains("unchanged"),
        "{listed}"
    );
    let out = env.ok(&["uploads", "--resume"]);
    assert!(out.contains(&format!("uploaded {dir}one.bin")), "{out}");
    assert!(!out.contains("(0 B resumed)"), "{out}");
    let admin = env.stack.admin();
    let got = env
        .stack
        .admin_bytes(&format!("users/auth0|alice0001/{dir}one.bin"))
        .await;
    assert!(got == bytes, "the resumed object differs from the file");
    assert!(env.ok(&["uploads"]).is_empty(), "resumed uploads are forgotten");

    let file2 = env.path("two.bin");
    std::fs::write(&file2, data(size, 22)).unwrap();
    let upload_id = put_and_kill(&env, &file2, &dir);
    let out = env.ok(&["uploads", "--discard"]);
    assert!(out.contains(&format!("discarded {dir}two.bin")), "{out}");
    assert!(env.ok(&["uploads"]).is_empty());
    let parts = admin
        .list_parts()
        .bucket(env.stack.bucket())
        .key(format!("users/auth0|alice0001/{dir}two.bin"))
        .upload_id(&upload_id)
        .send()
        .await;
    assert!(parts.is_err(), "the discarded upload is aborted: {parts:?}");
    env.ok(&["rm", "-r", &dir]);
}
