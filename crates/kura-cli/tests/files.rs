//! File operations through the CLI against the real S3 server: two users each list, put, get,
//! move and delete in their own prefix; round trips are byte-identical; hostile keys never escape
//! the download directory; bad paths and bad config are refused before any request.

mod common;

use common::*;

fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2654435761).to_be_bytes()[0] ^ seed)
        .collect()
}

fn user_round_trip(user: (&str, &str), sub: &str) {
    let env = Env::new(&format!("files-{}", user.0), &[]);
    assert!(env.login(user).status.success());
    let folder = format!("e2e-{}/", env.profile);
    // A small file and a 21 MiB file (multipart: above the 16 MiB threshold), plus a directory.
    let small = env.path("small.bin");
    let big = env.path("big.bin");
    std::fs::write(&small, data(1000, 1)).unwrap();
    std::fs::write(&big, data(21 * 1024 * 1024 + 7, 2)).unwrap();
    let tree = env.path("tree");
    std::fs::create_dir_all(tree.join("sub")).unwrap();
    std::fs::write(tree.join("sub/leaf.txt"), b"leaf").unwrap();
    std::fs::create_dir_all(tree.join("empty")).unwrap();

    env.ok(&[
        "put",
        small.to_str().unwrap(),
        big.to_str().unwrap(),
        tree.to_str().unwrap(),
        &folder,
    ]);
    let listing = env.ok(&["ls", &folder]);
    for name in ["small.bin", "big.bin", "tree/"] {
        assert!(listing.contains(name), "{name} missing from:\n{listing}");
    }
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["ls", "-r", "--json", &folder])).unwrap();
    let paths: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&format!("{folder}tree/sub/leaf.txt").as_str()),
        "{paths:?}"
    );
    assert!(paths.contains(&format!("{folder}tree/empty/").as_str()), "{paths:?}");

    // The objects really are under the user's prefix on the server.
    let admin = env.stack.admin();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let head = rt
        .block_on(
            admin
                .head_object()
                .bucket(env.stack.bucket())
                .key(format!("users/{sub}/{folder}big.bin"))
                .send(),
        )
        .unwrap();
    assert_eq!(head.content_length(), Some(21 * 1024 * 1024 + 7));

    let dl = env.path("dl");
    std::fs::create_dir(&dl).unwrap();
    env.ok(&[
        "get",
        &format!("{folder}small.bin"),
        &format!("{folder}big.bin"),
        dl.to_str().unwrap(),
    ]);
    env.ok(&["get", "-r", &format!("{folder}tree"), dl.to_str().unwrap()]);
    for (f, orig) in [("small.bin", &small), ("big.bin", &big)] {
        assert_eq!(
            sha256(&std::fs::read(dl.join(f)).unwrap()),
            sha256(&std::fs::read(orig).unwrap()),
            "{f}"
        );
    }
    assert_eq!(std::fs::read(dl.join("tree/sub/leaf.txt")).unwrap(), b"leaf");
    assert!(dl.join("tree/empty").is_dir());
    let leftovers: Vec<_> = std::fs::read_dir(&dl)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");

    // Folder without -r is refused; move a file and a folder; delete.
    assert_eq!(
        env.run(&["get", &format!("{folder}tree"), dl.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    env.ok(&["mv", &format!("{folder}small.bin"), &format!("{folder}renamed.bin")]);
    env.ok(&["mkdir", &format!("{folder}archive")]);
    env.ok(&["mv", &format!("{folder}tree"), &format!("{folder}archive/")]);
    let after = env.ok(&["ls", "-r", &folder]);
    assert!(after.contains("renamed.bin") && !after.contains("small.bin"), "{after}");
    assert!(after.contains("archive/tree/sub/leaf.txt"), "{after}");
    assert!(
        !after
            .lines()
            .any(|l| l.ends_with(&format!("{folder}tree/sub/leaf.txt"))),
        "{after}"
    );
    let out = env.run(&["rm", &format!("{folder}archive")]);
    assert_eq!(out.status.code(), Some(2), "a folder needs -r: {}", text(&out.stderr));
    env.ok(&["rm", "-r", &folder]);
    // No object is left. (SeaweedFS may still report the emptied directories as CommonPrefixes
    // in a one-level listing; a recursive listing shows objects only.)
    assert_eq!(env.ok(&["ls", "-r", "--json", &folder]).trim(), "[]");
    let gone = env.run(&["rm", &format!("{folder}renamed.bin")]);
    assert_eq!(gone.status.code(), Some(4), "{}", text(&gone.stderr));
}

#[test]
fn alice_works_in_her_own_prefix() {
    user_round_trip(ALICE, ALICE_SUB);
}

#[test]
fn bob_works_in_his_own_prefix() {
    user_round_trip(BOB, BOB_SUB);
}

#[test]
fn presigned_url_downloads_the_file() {
    let env = Env::new("presign", &[]);
    assert!(env.login(ALICE).status.success());
    let out = env.run(&["presign", "welcome.txt", "--expires", "999999"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let url = text(&out.stdout).trim().to_string();
    assert!(
        text(&out.stderr).contains("the most your current credentials allow"),
        "{}",
        text(&out.stderr)
    );
    let body = std::process::Command::new("curl").args(["-sf", &url]).output().unwrap();
    assert!(body.status.success());
    assert!(
        text(&body.stdout).to_lowercase().contains("alice"),
        "{}",
        text(&body.stdout)
    );
}

#[test]
fn hostile_keys_do_not_escape_the_download_directory() {
    let env = Env::new("hostile", &[]);
    assert!(env.login(ALICE).status.success());
    let admin = env.stack.admin();
    let folder = format!("hostile-{}", env.profile);
    let base = format!("users/{ALICE_SUB}/{folder}/");
    // SeaweedFS refuses keys with `..` segments (InvalidRequest) and names over 255 bytes
    // (KeyTooLongError), and folds `\\` and `//` into `/`; whatever it keeps is downloaded here,
    // the keys it refuses are covered in kura-core's tests/hostile_keys.rs (fault-injecting client).
    let long = "n".repeat(300);
    let hostile = [
        "back\\slash.txt",
        "tab\tname.txt",
        "../../escape.txt",
        "/abs.txt",
        "a//b.txt",
        long.as_str(),
    ];
    let rt = tokio::runtime::Runtime::new().unwrap();
    for name in hostile.iter().chain(std::iter::once(&"ok.txt")) {
        let put = admin
            .put_object()
            .bucket(env.stack.bucket())
            .key(format!("{base}{name}"))
            .body(b"x".to_vec().into());
        let _ = rt.block_on(put.send());
    }
    // Kura must refuse exactly the kept keys that are unsafe as local paths and save the rest.
    let listed: serde_json::Value = serde_json::from_str(&env.ok(&["ls", "-r", "--json", &folder])).unwrap();
    let listed: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .collect();
    assert!(listed.iter().any(|p| p.ends_with("/ok.txt")), "{listed:?}");
    let unsafe_count = listed
        .iter()
        .filter(|p| kura_core::paths::local_path_for(std::path::Path::new("/d"), p, p).is_err())
        .count();

    let outer = env.path("outer");
    let dl = outer.join("dl");
    std::fs::create_dir_all(&dl).unwrap();
    let out = env.run(&["get", "-r", &folder, dl.to_str().unwrap()]);
    if unsafe_count > 0 {
        assert_eq!(
            out.status.code(),
            Some(4),
            "unsafe keys are reported as failures: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains("cannot be saved safely"),
            "{}",
            text(&out.stderr)
        );
    } else {
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    assert_eq!(std::fs::read(dl.join(format!("{folder}/ok.txt"))).unwrap(), b"x");
    // Nothing was written outside dl/, anywhere in the test's directory or above it.
    let outside: Vec<_> = std::fs::read_dir(&outer)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(outside, vec![std::ffi::OsString::from("dl")]);
    for name in ["escape.txt", "abs.txt"] {
        assert!(
            !env.dir.path().join(name).exists() && !outer.join(name).exists(),
            "{name} escaped"
        );
    }
    let all = walk(&dl);
    assert!(
        all.iter()
            .all(|p| p.starts_with(&dl) && !p.to_string_lossy().contains("escape")),
        "{all:?}"
    );
    env.ok(&["rm", "-r", &folder]);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}

#[test]
fn bad_paths_are_refused_before_any_request() {
    let env = Env::new("badpath", &[]);
    // Not signed in: a bad path is still a usage error (checked first), not an auth error.
    for args in [
        &["ls", "../users"][..],
        &["get", "a/../../b", "."],
        &["rm", "x//y"],
        &["mv", "a", "..\\b"],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("invalid path"), "{}", text(&out.stderr));
    }
}

#[test]
fn bad_config_names_file_profile_and_key() {
    let env = Env::new("badcfg", &[("session_duration", "60")]);
    let out = env.run(&["whoami"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains(env.config.to_str().unwrap()) && err.contains(&env.profile) && err.contains("session_duration"),
        "{err}"
    );
    let missing = Env::new("nocfg", &[]);
    let out = missing
        .kura()
        .env("KURA_CONFIG", missing.path("nope.toml"))
        .arg("whoami")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("file not found"), "{}", text(&out.stderr));
}

#[test]
fn downloading_what_does_not_exist_is_an_error() {
    let env = Env::new("files-missing", &[]);
    assert!(env.login(ALICE).status.success());
    std::fs::create_dir(env.path("dl")).unwrap();
    for args in [
        &["get", "no-such-file.txt", "dl"][..],
        &["get", "-r", "no-such-folder/", "dl"],
        &["get", "-r", "no-such-folder", "dl"],
    ] {
        let out = env.run(args);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(
            text(&out.stderr).contains("no such file or folder"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    assert_eq!(
        std::fs::read_dir(env.path("dl")).unwrap().count(),
        0,
        "nothing was created"
    );
    // An existing folder still downloads.
    let out = env.ok(&["get", "-r", "docs/", "dl"]);
    assert!(out.contains("readme.md"), "{out}");
}
