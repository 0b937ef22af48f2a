//! Search and preview against the real S3 server: `kura find` streams name matches below a
//! folder (case- and normalisation-insensitive, folders once, keys escaped, NDJSON), stays in the
//! user's prefix, and `Storage::preview` fetches a capped first range and tells images, text and
//! impostors apart by their bytes.

mod common;

use common::*;
use kura_core::paths::RelPath;
use kura_core::storage::{OtherReason, PreviewKind, Storage, TEXT_PREVIEW_BYTES};

/// Puts `body` at `users/<sub>/<rel>` with the admin's keys, with `Content-Type` when given.
async fn put(stack: &Stack, sub: &str, rel: &str, body: Vec<u8>, content_type: Option<&str>) {
    stack
        .admin()
        .put_object()
        .bucket(stack.bucket())
        .key(format!("users/{sub}/{rel}"))
        .set_content_type(content_type.map(str::to_string))
        .body(body.into())
        .send()
        .await
        .unwrap_or_else(|e| panic!("admin put {rel}: {e:?}"));
}

fn lines(s: &str) -> Vec<&str> {
    s.lines().filter(|l| !l.is_empty()).collect()
}

#[test]
fn find_streams_name_matches_below_a_folder() {
    let env = Env::new("find", &[]);
    assert!(env.login(ALICE).status.success());
    let base = format!("find-{}/", env.profile);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let keys = [
        "Reports/Q3-Report.PDF",
        "Reports/2024/annual.txt",
        "reports-old/",
        "misc/notes.txt",
        "misc/résumé-REPORT.md",
        "misc/Re\u{301}sume\u{301}.txt",
        "deep/a/b/REPORTING/c.bin",
        "rlo-report\u{202e}fdp.txt",
    ];
    for k in keys {
        rt.block_on(put(
            &env.stack,
            ALICE_SUB,
            &format!("{base}{k}"),
            b"data".to_vec(),
            None,
        ));
    }

    let out = env.run(&["find", &base, "rEpOrT"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let found: Vec<String> = lines(&stdout)
        .iter()
        .map(|l| l.rsplit(' ').next().unwrap().to_string())
        .collect();
    let want = [
        format!("{base}Reports/"),
        format!("{base}Reports/Q3-Report.PDF"),
        format!("{base}deep/a/b/REPORTING/"),
        format!("{base}misc/résumé-REPORT.md"),
        format!("{base}reports-old/"),
        format!("{base}rlo-report\\u{{202e}}fdp.txt"),
    ];
    let mut sorted = found.clone();
    sorted.sort();
    let mut want_sorted = want.to_vec();
    want_sorted.sort();
    assert_eq!(sorted, want_sorted, "stdout:\n{stdout}");
    // The folder is reported once although two keys lie below it; sizes are shown for files.
    assert!(
        lines(&stdout)
            .iter()
            .any(|l| l.contains(" 4 ") && l.ends_with("Q3-Report.PDF")),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{202e}'), "the bidi override is escaped: {stdout:?}");
    assert_eq!(text(&out.stderr).trim(), "6 matches");

    // NFC and NFD spellings of the same name both match, whatever case the pattern has.
    let out = env.ok(&["find", &format!("{base}misc"), "RÉSUMÉ"]);
    assert_eq!(lines(&out).len(), 2, "{out}");

    // NDJSON: one object per line, with the folder each match is in.
    let out = env.ok(&["find", &base, "annual", "--json"]);
    let objects: Vec<serde_json::Value> = lines(&out).iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(objects.len(), 1, "{out}");
    assert_eq!(objects[0]["path"], format!("{base}Reports/2024/annual.txt"));
    assert_eq!(objects[0]["folder"], format!("{base}Reports/2024/"));
    assert_eq!(objects[0]["name"], "annual.txt");
    assert_eq!(objects[0]["size"], 4);

    // No match is not a failure; a folder that does not exist is.
    let out = env.run(&["find", &base, "zzz-nothing"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        (text(&out.stdout).as_str(), text(&out.stderr).trim()),
        ("", "0 matches")
    );
    let out = env.run(&["find", &format!("{base}no-such-folder/"), "x"]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("no such folder"), "{}", text(&out.stderr));
    // An empty pattern is refused before any request.
    let out = env.run(&["find", &base, ""]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));

    // Bob searching his whole prefix never sees Alice's keys.
    let bob = Env::new("find-bob", &[]);
    assert!(bob.login(BOB).status.success());
    let out = bob.run(&["find", &env.profile]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "", "bob found alice's keys");

    env.ok(&["rm", "-r", &base]);
}

/// A 1×1 transparent PNG (signature, IHDR, IDAT, IEND).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\0\0\x01\x01\x01\0\x18\xdd\x8d\xb4\0\0\0\0IEND\xaeB`\x82";

#[tokio::test(flavor = "multi_thread")]
async fn preview_fetches_a_capped_range_and_checks_the_bytes() {
    let env = Env::new("preview", &[]);
    let session = sign_in(env.profile(), ALICE).await;
    let storage = Storage::connect(session).await.unwrap();
    let base = format!("preview-{}/", env.profile);
    let p = |name: &str| RelPath::parse(&format!("{base}{name}")).unwrap();
    let cap = 20 * 1024 * 1024;

    put(
        &env.stack,
        ALICE_SUB,
        &format!("{base}notes.txt"),
        "héllo ✓\n".into(),
        Some("text/plain; charset=utf-8"),
    )
    .await;
    put(&env.stack, ALICE_SUB, &format!("{base}dot.png"), PNG.to_vec(), None).await;
    put(
        &env.stack,
        ALICE_SUB,
        &format!("{base}fake.png"),
        b"<html>not a png</html>".to_vec(),
        None,
    )
    .await;
    // 3 MiB of text whose 1 MiB boundary falls inside a 3-byte character: "€ab" repeats every
    // 5 bytes, so the cap's last byte is the first of a € (E2 82 AC).
    let mut big = Vec::new();
    while big.len() < 3 * 1024 * 1024 {
        big.extend_from_slice("€ab".as_bytes());
    }
    assert_eq!(TEXT_PREVIEW_BYTES % 5, 1, "the cap cuts a character");
    put(&env.stack, ALICE_SUB, &format!("{base}big.txt"), big.clone(), None).await;

    let text_preview = storage.preview(&p("notes.txt"), cap).await.unwrap();
    assert_eq!(text_preview.kind, PreviewKind::Text);
    assert_eq!(text_preview.bytes, "héllo ✓\n".as_bytes());
    assert_eq!(text_preview.content_type, "text/plain");
    assert_eq!((text_preview.key_name.as_str(), text_preview.size), ("notes.txt", 11));
    assert!(!text_preview.truncated && text_preview.modified.is_some());

    let png = storage.preview(&p("dot.png"), cap).await.unwrap();
    assert_eq!((png.kind, png.content_type.as_str()), (PreviewKind::Image, "image/png"));
    assert_eq!(png.bytes, PNG);

    let fake = storage.preview(&p("fake.png"), cap).await.unwrap();
    assert_eq!(fake.kind, PreviewKind::Other(OtherReason::Mismatch));
    assert!(fake.bytes.is_empty());
    assert_eq!(fake.size, 22);

    let big_preview = storage.preview(&p("big.txt"), cap).await.unwrap();
    assert_eq!(big_preview.kind, PreviewKind::Text);
    assert!(big_preview.truncated);
    assert_eq!(big_preview.size, big.len() as u64);
    assert_eq!(
        big_preview.bytes.len() as u64,
        TEXT_PREVIEW_BYTES - 1,
        "the cut € is trimmed"
    );
    assert_eq!(big_preview.bytes, big[..big_preview.bytes.len()]);
    assert!(std::str::from_utf8(&big_preview.bytes).is_ok());
    // A smaller cap is honoured for text too.
    let small = storage.preview(&p("big.txt"), 1000).await.unwrap();
    assert_eq!((small.bytes.len(), small.truncated), (1000, true));

    // An image above the cap is not fetched, and not shown cut.
    let over = storage.preview(&p("dot.png"), 10).await.unwrap();
    assert_eq!(over.kind, PreviewKind::Other(OtherReason::TooLarge));
    assert!(over.bytes.is_empty() && !over.truncated);

    // Files uploaded with Kura (no Content-Type sent) preview by their bytes and names too.
    let local_png = env.path("kura.png");
    let local_md = env.path("kura.md");
    std::fs::write(&local_png, PNG).unwrap();
    std::fs::write(&local_md, b"# Title\n").unwrap();
    storage
        .upload(&[local_png, local_md], &RelPath::parse(&base).unwrap(), None)
        .await
        .unwrap();
    let uploaded = storage.preview(&p("kura.png"), cap).await.unwrap();
    assert_eq!((uploaded.kind, uploaded.bytes.as_slice()), (PreviewKind::Image, PNG));
    let uploaded = storage.preview(&p("kura.md"), cap).await.unwrap();
    assert_eq!(
        (uploaded.kind, uploaded.bytes.as_slice()),
        (PreviewKind::Text, &b"# Title\n"[..])
    );

    let missing = storage.preview(&p("missing.txt"), cap).await.unwrap_err();
    assert_eq!(missing.code(), "s3.not_found", "{missing}");
    let folder = storage.preview(&p("sub/"), cap).await.unwrap_err();
    assert_eq!(folder.code(), "path.invalid");

    storage.delete(&RelPath::parse(&base).unwrap(), true).await.unwrap();
}
