//! Attack tests: downloads stay inside the chosen directory on disk (issue 10). Objects are put
//! into alice's prefix with the stack's admin keys, then downloaded by alice through the real
//! stack into a directory an attacker prepared: links inside it are never followed, a file that
//! appears while a download runs is not replaced unless the policy says overwrite, and names that
//! collide on case-insensitive or normalising file systems never overwrite each other.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::*;
use kura_core::localfs::race::{self, Point};
use kura_core::paths::RelPath;
use kura_core::storage::conflict::ConflictPolicy;
use kura_core::storage::{DownloadReport, RenameReason, Renamed, Storage, TransferOptions};
use kura_core::Error;

/// The race hook is process-wide: tests that set it take turns.
static HOOKED: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const MIB: u64 = 1024 * 1024;

/// Alice's storage with `policy`; ranges from 5 MiB so a 6 MiB object takes the ranged path.
async fn alice(env: &Env) -> Storage {
    let session = sign_in(env.profile(), ALICE).await;
    Storage::connect(session).await.unwrap()
}

fn with_policy(s: &Storage, policy: ConflictPolicy) -> Storage {
    s.clone().with_options(TransferOptions {
        multipart_threshold: 5 * MIB,
        part_size: 5 * MIB,
        if_exists: policy,
        ..TransferOptions::default()
    })
}

/// Puts `objects` (name below `folder`, bytes) into alice's prefix with the admin's keys.
async fn put(env: &Env, folder: &str, objects: &[(&str, &[u8])]) {
    let admin = env.stack.admin();
    for (name, body) in objects {
        admin
            .put_object()
            .bucket(env.stack.bucket())
            .key(format!("users/{ALICE_SUB}/{folder}{name}"))
            .body(body.to_vec().into())
            .send()
            .await
            .unwrap();
    }
}

/// Every entry below `dir` (relative, `/`-separated, sorted), links included and not followed.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn is_link(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
}

/// An outside directory with one file the attacker wants to reach: returns (dir, file, bytes).
fn outside(env: &Env) -> (PathBuf, PathBuf, Vec<u8>) {
    let dir = env.path("outside");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("victim");
    let bytes = b"the victim's own bytes".to_vec();
    std::fs::write(&file, &bytes).unwrap();
    (dir, file, bytes)
}

fn partial_code(e: &Error) -> (usize, kura_core::ErrorCode) {
    match e {
        Error::Partial { failed, .. } => (failed.len(), failed[0].error.code()),
        other => (1, other.code()),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_linked_folder_inside_the_destination_is_never_followed() {
    let env = Env::new("dl-symdir", &[]);
    let s = alice(&env).await;
    let folder = format!("symdir-{}/", env.profile);
    put(
        &env,
        &folder,
        &[
            ("evil/x", b"attacker x"),
            ("evil/sub/y", b"attacker y"),
            ("ok.txt", b"fine"),
        ],
    )
    .await;
    let (out_dir, victim, victim_bytes) = outside(&env);
    let remote = RelPath::parse(&folder).unwrap();

    // dest/<folder>/evil -> outside: the two items below it fail, the rest is saved.
    let dl = env.path("dl");
    let root = dl.join(remote.name());
    std::fs::create_dir_all(&root).unwrap();
    std::os::unix::fs::symlink(&out_dir, root.join("evil")).unwrap();
    let result = s.download(std::slice::from_ref(&remote), &dl, true, None).await;
    assert_eq!(tree(&out_dir), ["victim"], "nothing was written outside");
    assert_eq!(std::fs::read(&victim).unwrap(), victim_bytes);
    let err = result.unwrap_err();
    assert_eq!(partial_code(&err), (2, kura_core::ErrorCode::LocalSymlink), "{err}");
    assert_eq!(std::fs::read(root.join("ok.txt")).unwrap(), b"fine");
    assert!(is_link(&root.join("evil")), "the link itself is left alone");

    // dest/<folder> itself a link: nothing at all is written.
    let dl2 = env.path("dl2");
    std::fs::create_dir_all(&dl2).unwrap();
    std::os::unix::fs::symlink(&out_dir, dl2.join(remote.name())).unwrap();
    let err = s
        .download(std::slice::from_ref(&remote), &dl2, true, None)
        .await
        .unwrap_err();
    assert_eq!(partial_code(&err), (3, kura_core::ErrorCode::LocalSymlink), "{err}");
    assert_eq!(tree(&out_dir), ["victim"], "nothing was written outside");

    s.delete(&remote, true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_as_the_final_name_is_never_written_through() {
    let env = Env::new("dl-symfile", &[]);
    let s = alice(&env).await;
    let folder = format!("symfile-{}/", env.profile);
    put(&env, &folder, &[("a.txt", b"object a"), ("b.txt", b"object b")]).await;
    let (out_dir, victim, victim_bytes) = outside(&env);
    let remotes: Vec<RelPath> = ["a.txt", "b.txt"]
        .iter()
        .map(|n| RelPath::parse(&format!("{folder}{n}")).unwrap())
        .collect();
    let prepared = |name: &str| {
        let dl = env.path(name);
        std::fs::create_dir_all(&dl).unwrap();
        // a.txt -> the victim; b.txt -> a file that does not exist yet (dangling).
        std::os::unix::fs::symlink(&victim, dl.join("a.txt")).unwrap();
        std::os::unix::fs::symlink(out_dir.join("planted"), dl.join("b.txt")).unwrap();
        dl
    };

    // skip: a link, even a dangling one, is an existing name: both left alone.
    let dl = prepared("skip");
    let report = with_policy(&s, ConflictPolicy::Skip)
        .download(&remotes, &dl, false, None)
        .await
        .unwrap();
    assert_eq!(report.skipped, [dl.join("a.txt"), dl.join("b.txt")], "{report:?}");
    assert!(is_link(&dl.join("a.txt")) && is_link(&dl.join("b.txt")));

    // rename: both saved next to the links.
    let dl = prepared("rename");
    with_policy(&s, ConflictPolicy::Rename)
        .download(&remotes, &dl, false, None)
        .await
        .unwrap();
    assert_eq!(std::fs::read(dl.join("a (1).txt")).unwrap(), b"object a");
    assert_eq!(std::fs::read(dl.join("b (1).txt")).unwrap(), b"object b");
    assert!(is_link(&dl.join("a.txt")) && is_link(&dl.join("b.txt")));

    // overwrite: the links are replaced by the files, their targets untouched.
    let dl = prepared("overwrite");
    with_policy(&s, ConflictPolicy::Overwrite)
        .download(&remotes, &dl, false, None)
        .await
        .unwrap();
    for (name, want) in [("a.txt", &b"object a"[..]), ("b.txt", b"object b")] {
        assert!(!is_link(&dl.join(name)), "{name} is now a file of its own");
        assert_eq!(std::fs::read(dl.join(name)).unwrap(), want);
    }

    assert_eq!(tree(&out_dir), ["victim"], "nothing was written outside");
    assert_eq!(std::fs::read(&victim).unwrap(), victim_bytes);
    s.delete(&RelPath::parse(&folder).unwrap(), true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_swapped_in_for_the_temporary_file_is_not_written_through() {
    let _turn = HOOKED.lock().await;
    let env = Env::new("dl-symtemp", &[]);
    let s = with_policy(&alice(&env).await, ConflictPolicy::Overwrite);
    let folder = format!("symtemp-{}/", env.profile);
    let big = data(6 * MIB, 7);
    put(&env, &folder, &[("small.txt", b"small object"), ("big.bin", &big)]).await;
    let (out_dir, victim, victim_bytes) = outside(&env);
    let dl = env.path("dl");
    std::fs::create_dir_all(&dl).unwrap();

    // Once the temporary file exists, the attacker replaces it with a link to the victim.
    let (watched, target) = (dl.clone(), victim.clone());
    race::set(Some(Arc::new(move |point, path: &Path| {
        if point == Point::TempCreated && path.starts_with(&watched) {
            std::fs::remove_file(path).unwrap();
            std::os::unix::fs::symlink(&target, path).unwrap();
        }
    })));
    for name in ["small.txt", "big.bin"] {
        let remote = RelPath::parse(&format!("{folder}{name}")).unwrap();
        let result = s.download(&[remote], &dl, false, None).await;
        assert_eq!(
            std::fs::read(&victim).unwrap(),
            victim_bytes,
            "{name}: the victim is byte-identical"
        );
        let err = result.unwrap_err();
        assert_eq!(err.code(), "local.symlink", "{name}: {err}");
        assert!(
            std::fs::symlink_metadata(dl.join(name)).is_err(),
            "{name}: nothing under the final name"
        );
    }
    race::set(None);
    assert_eq!(tree(&out_dir), ["victim"]);
    s.delete(&RelPath::parse(&folder).unwrap(), true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_created_before_the_rename_survives_unless_the_policy_is_overwrite() {
    let _turn = HOOKED.lock().await;
    let env = Env::new("dl-race", &[]);
    let s = alice(&env).await;
    let folder = format!("race-{}/", env.profile);
    let big = data(6 * MIB, 3);
    put(&env, &folder, &[("x.txt", b"downloaded"), ("big.bin", &big)]).await;
    let later = b"written by another program meanwhile".to_vec();

    // Between the conflict check (nothing there) and the rename, another program saves the name.
    let root = env.path("runs");
    let (watched, bytes) = (root.clone(), later.clone());
    race::set(Some(Arc::new(move |point, path: &Path| {
        if point == Point::BeforeRename && path.starts_with(&watched) {
            std::fs::write(path, &bytes).unwrap();
        }
    })));
    let mut asked = false;
    for policy in [
        ConflictPolicy::Skip,
        ConflictPolicy::Rename,
        ConflictPolicy::Ask,
        ConflictPolicy::Overwrite,
    ] {
        for (name, body) in [("x.txt", &b"downloaded"[..]), ("big.bin", &big[..])] {
            let dl = root.join(format!("{policy:?}-{name}"));
            std::fs::create_dir_all(&dl).unwrap();
            let remote = RelPath::parse(&format!("{folder}{name}")).unwrap();
            let hooks = kura_core::progress::TransferHooks {
                on_conflict: Some(Arc::new(|_| Box::pin(async { panic!("nothing existed at the check") }))),
                ..Default::default()
            };
            let report: DownloadReport = with_policy(&s, policy)
                .download_with(&[remote], &dl, false, hooks)
                .await
                .unwrap();
            let saved = std::fs::read(dl.join(name)).unwrap();
            let (stem, ext) = name.split_once('.').unwrap();
            let numbered = dl.join(format!("{stem} (1).{ext}"));
            match policy {
                ConflictPolicy::Overwrite => {
                    assert_eq!(saved, body, "{policy:?} {name}: replaced as the policy says");
                    assert_eq!(report.files, [dl.join(name)]);
                }
                ConflictPolicy::Skip => {
                    assert_eq!(saved, later, "{policy:?} {name}: the later file survives");
                    assert_eq!(report.skipped, [dl.join(name)], "{report:?}");
                    assert!(!numbered.exists());
                }
                ConflictPolicy::Rename | ConflictPolicy::Ask => {
                    assert_eq!(saved, later, "{policy:?} {name}: the later file survives");
                    assert_eq!(std::fs::read(&numbered).unwrap(), body, "{policy:?} {name}: kept both");
                    assert_eq!(report.files, std::slice::from_ref(&numbered), "{report:?}");
                    let key = format!("users/{ALICE_SUB}/{folder}{name}");
                    let reason = RenameReason::Exists;
                    assert_eq!(
                        report.renamed,
                        [Renamed {
                            key,
                            local: numbered,
                            reason
                        }]
                    );
                    asked = true;
                }
            }
            let names = tree(&dl);
            assert!(
                names.iter().all(|n| !n.starts_with(".kura-")),
                "no temporary file is left: {names:?}"
            );
        }
    }
    race::set(None);
    assert!(asked);
    s.delete(&RelPath::parse(&folder).unwrap(), true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn names_that_collide_on_case_insensitive_or_normalising_file_systems_overwrite_nothing() {
    let env = Env::new("dl-fold", &[]);
    let s = alice(&env).await;
    let folder = format!("fold-{}/", env.profile);
    // S3 lists in UTF-8 byte order: A.txt, D/x.txt, a.txt, d/x.txt, e\u{301}.txt (NFD),
    // \u{e9}.txt (NFC). The first of each colliding pair keeps its name.
    let objects: [(&str, &[u8]); 6] = [
        ("A.txt", b"upper"),
        ("a.txt", b"lower"),
        ("e\u{301}.txt", b"nfd"),
        ("\u{e9}.txt", b"nfc"),
        ("D/x.txt", b"upper dir"),
        ("d/x.txt", b"lower dir"),
    ];
    put(&env, &folder, &objects).await;
    let remote = RelPath::parse(&folder).unwrap();
    let run = |policy: ConflictPolicy, name: &str| {
        let s = with_policy(&s, policy);
        let dl = env.path(name);
        std::fs::create_dir_all(&dl).unwrap();
        let remote = remote.clone();
        async move {
            let report = s
                .download(std::slice::from_ref(&remote), &dl, true, None)
                .await
                .unwrap();
            (dl.join(remote.name()), report)
        }
    };
    let read = |dir: &Path, name: &str| std::fs::read(dir.join(name)).unwrap();

    // Overwrite (the default) and rename: every object is saved, under names that stay apart
    // on any file system.
    for policy in [ConflictPolicy::Overwrite, ConflictPolicy::Rename] {
        let (dir, report) = run(policy, &format!("{policy:?}")).await;
        assert_eq!(
            tree(&dir),
            [
                "A.txt",
                "D/x.txt",
                "a (1).txt",
                "d/x (1).txt",
                "e\u{301}.txt",
                "\u{e9} (1).txt",
            ],
            "{policy:?}"
        );
        assert_eq!(read(&dir, "A.txt"), b"upper");
        assert_eq!(read(&dir, "a (1).txt"), b"lower");
        assert_eq!(read(&dir, "e\u{301}.txt"), b"nfd");
        assert_eq!(read(&dir, "\u{e9} (1).txt"), b"nfc");
        assert_eq!(read(&dir, "D/x.txt"), b"upper dir");
        assert_eq!(read(&dir, "d/x (1).txt"), b"lower dir");
        assert_eq!(report.files.len(), 6);
        let mut renamed: Vec<(PathBuf, RenameReason)> =
            report.renamed.iter().map(|r| (r.local.clone(), r.reason)).collect();
        renamed.sort_by(|a, b| a.0.cmp(&b.0));
        let same = RenameReason::SameName;
        assert_eq!(
            renamed,
            [
                (dir.join("a (1).txt"), same),
                (dir.join("d/x (1).txt"), same),
                (dir.join("\u{e9} (1).txt"), same),
            ],
            "{policy:?}: reported"
        );
    }

    // Skip: the later of each pair is skipped and reported.
    let (dir, report) = run(ConflictPolicy::Skip, "skip").await;
    assert_eq!(tree(&dir), ["A.txt", "D/x.txt", "e\u{301}.txt"]);
    assert_eq!(
        report.skipped,
        [dir.join("a.txt"), dir.join("d/x.txt"), dir.join("\u{e9}.txt")],
        "{report:?}"
    );

    s.delete(&remote, true).await.unwrap();
}
