//! `--if-exists` on `put` and `get`: overwrite (default), skip, rename — through the real CLI.

mod common;

use common::*;

#[test]
fn existing_targets_are_overwritten_skipped_or_kept_under_a_new_name() {
    let env = Env::new("conflicts", &[]);
    assert!(env.login(ALICE).status.success());
    let dir = format!("conflicts-{}/", env.profile);
    let file = env.path("a.txt");
    let remote = |name: &str| format!("{dir}{name}");
    let cat = |name: &str| {
        let out = env.path("cat");
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir(&out).unwrap();
        env.ok(&["get", &remote(name), out.to_str().unwrap()]);
        std::fs::read_to_string(out.join(name)).unwrap()
    };

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
