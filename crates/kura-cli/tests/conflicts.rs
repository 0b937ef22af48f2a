//! `--if-exists` on `put` and `get`: overwrite (default), skip, rename, ask — through the real CLI.

mod common;

use common::*;

#[test]
fn existing_targets_are_overwritten_skipped_or_kept_under_a_new_name() {
    let env = Env::new("conflicts", &[]);
    assert!(env.login(ALICE).status.success());
    let dir = format!("conflicts-{}/", env.profile);
    let file = env.path("a.txt");
    let remote = |name: &str| format!("{dir}{name}");
    let cat = |name: &str| cat(&env, &remote(name));

    std::fs::write(&file, "one").unwrap();
    env.ok(&["put", file.to_str().unwrap(), &dir]);
    std::fs::write(&file, "two").unwrap();
    let out = env.ok(&["put", "--if-exists", "skip", file.to_str().unwrap(), &dir]);
    assert!(out.contains(&format!("skipped {}", remote("a.txt"))), "{out}");
    assert_eq!(cat("a.txt"), "one", "skip left the object alone");

    let out = env.ok(&["put", "--if-exists", "rename", file.to_str().unwrap(), &dir]);
    assert!(out.contains(&format!("uploaded {}", remote("a (1).txt"))), "{out}");
    assert_eq!(cat("a.txt"), "one");
    assert_eq!(cat("a (1).txt"), "two");

    env.ok(&["put", file.to_str().unwrap(), &dir]);
    assert_eq!(cat("a.txt"), "two", "overwrite is the default");

    // Downloads: a local file of the same name.
    let local = env.path("local");
    std::fs::create_dir(&local).unwrap();
    std::fs::write(local.join("a.txt"), "mine").unwrap();
    let out = env.ok(&["get", "--if-exists", "skip", &remote("a.txt"), local.to_str().unwrap()]);
    assert!(out.contains("skipped"), "{out}");
    assert_eq!(std::fs::read_to_string(local.join("a.txt")).unwrap(), "mine");
    env.ok(&[
        "get",
        "--if-exists",
        "rename",
        &remote("a.txt"),
        local.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read_to_string(local.join("a.txt")).unwrap(), "mine");
    assert_eq!(std::fs::read_to_string(local.join("a (1).txt")).unwrap(), "two");
    env.ok(&["get", &remote("a.txt"), local.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(local.join("a.txt")).unwrap(), "two");

    env.ok(&["rm", "-r", &dir]);
}

/// The content of remote file `remote`, fetched with `kura get` into a scratch directory.
fn cat(env: &Env, remote: &str) -> String {
    let out = env.path("cat");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir(&out).unwrap();
    env.ok(&["get", remote, out.to_str().unwrap()]);
    let name = remote.rsplit('/').next().unwrap();
    std::fs::read_to_string(out.join(name)).unwrap()
}

/// Runs `kura args` with `answers` on standard input.
fn with_input(env: &Env, args: &[&str], answers: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = env
        .kura()
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(answers.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn ask_decides_per_target_and_end_of_input_cancels_everything() {
    let env = Env::new("conflicts-ask", &[]);
    assert!(env.login(ALICE).status.success());
    let dir = format!("ask-{}/", env.profile);
    let src = env.path("src");
    std::fs::create_dir(&src).unwrap();
    for name in ["a.txt", "b.txt", "c.txt", "d.txt"] {
        std::fs::write(src.join(name), format!("old {name}")).unwrap();
    }
    let files: Vec<String> = ["a.txt", "b.txt", "c.txt", "d.txt"]
        .iter()
        .map(|n| src.join(n).to_str().unwrap().to_string())
        .collect();
    let mut put: Vec<&str> = vec!["put", "--if-exists", "ask"];
    put.extend(files.iter().map(String::as_str));
    put.push(&dir);
    let mut first: Vec<&str> = vec!["put"];
    first.extend(files[..3].iter().map(String::as_str));
    first.push(&dir);
    env.ok(&first);
    for name in ["a.txt", "b.txt", "c.txt", "d.txt"] {
        std::fs::write(src.join(name), format!("new {name}")).unwrap();
    }

    // End of input before every question is answered: nothing at all is sent, d.txt included.
    let out = with_input(&env, &put, "o\n");
    assert!(!out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("already exists"), "{}", text(&out.stderr));
    let listing = env.ok(&["ls", &dir]);
    assert!(
        !listing.contains("d.txt"),
        "cancelled before anything was sent: {listing}"
    );

    // a: overwrite, b: rename, then "S" skips c and any others; d (new) is uploaded.
    let out = with_input(&env, &put, "x\no\nr\nS\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains(&format!("skipped {dir}c.txt")), "{stdout}");
    assert!(stdout.contains(&format!("uploaded {dir}b (1).txt")), "{stdout}");
    assert!(stdout.contains(&format!("uploaded {dir}d.txt")), "{stdout}");
    let cat = |name: &str| cat(&env, &format!("{dir}{name}"));
    assert_eq!(cat("a.txt"), "new a.txt");
    assert_eq!(cat("b.txt"), "old b.txt");
    assert_eq!(cat("b (1).txt"), "new b.txt");
    assert_eq!(cat("c.txt"), "old c.txt");

    // Without anyone answering (stdin closed at once) downloads refuse too, keeping local files.
    let local = env.path("local");
    std::fs::create_dir(&local).unwrap();
    std::fs::write(local.join("a.txt"), "mine").unwrap();
    let out = with_input(
        &env,
        &[
            "get",
            "--if-exists",
            "ask",
            &format!("{dir}a.txt"),
            local.to_str().unwrap(),
        ],
        "",
    );
    assert!(!out.status.success());
    assert_eq!(std::fs::read_to_string(local.join("a.txt")).unwrap(), "mine");
    let out = with_input(
        &env,
        &[
            "get",
            "--if-exists",
            "ask",
            &format!("{dir}a.txt"),
            local.to_str().unwrap(),
        ],
        "o\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(local.join("a.txt")).unwrap(), "new a.txt");

    env.ok(&["rm", "-r", &dir]);
}

#[test]
fn many_loose_files_find_their_conflicts_with_one_listing() {
    let env = Env::new("conflicts-many", &[]);
    assert!(env.login(ALICE).status.success());
    let dir = format!("many-{}/", env.profile);
    let src = env.path("src");
    std::fs::create_dir(&src).unwrap();
    let files: Vec<String> = (0..70)
        .map(|i| {
            let p = src.join(format!("f{i:02}.txt"));
            std::fs::write(&p, format!("v1 {i}")).unwrap();
            p.to_str().unwrap().to_string()
        })
        .collect();
    // Three of them exist already (and a sibling folder the listing must not confuse).
    let mut first: Vec<&str> = vec!["put"];
    first.extend(files[10..13].iter().map(String::as_str));
    first.push(&dir);
    env.ok(&first);
    env.ok(&["mkdir", &format!("{dir}f50.txt.d")]);

    let mut all: Vec<&str> = vec!["put", "--if-exists", "skip"];
    all.extend(files.iter().map(String::as_str));
    all.push(&dir);
    let out = env.ok(&all);
    let skipped: Vec<&str> = out.lines().filter(|l| l.starts_with("skipped")).collect();
    assert_eq!(
        skipped,
        vec![
            format!("skipped {dir}f10.txt (exists)"),
            format!("skipped {dir}f11.txt (exists)"),
            format!("skipped {dir}f12.txt (exists)"),
        ],
        "{out}"
    );
    assert_eq!(out.lines().filter(|l| l.starts_with("uploaded")).count(), 67, "{out}");
    env.ok(&["rm", "-r", &dir]);
}
