//! The destination's guarantees, on a real directory with links planted in it.

use std::os::unix::fs::symlink;
use std::path::Path;
use std::sync::Arc;

use super::*;

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

fn is_link(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
}

#[test]
fn folders_are_created_and_links_on_the_way_refused() {
    let t = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let root = DestDir::open(t.path()).unwrap();
    assert!(root.folder("a/b/c", false).unwrap().is_none(), "missing, not created");
    assert!(!t.path().join("a").exists());
    let c = root.folder("a/b/c", true).unwrap().unwrap();
    assert!(t.path().join("a/b/c").is_dir());
    assert_eq!(c.path, t.path().join("a/b/c"));

    symlink(outside.path(), t.path().join("a/evil")).unwrap();
    for create in [false, true] {
        let err = root.folder("a/evil/deeper", create).unwrap_err();
        assert_eq!(err.code(), "local.symlink", "{err}");
        assert!(err.to_string().contains("a/evil"), "{err}");
    }
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        0,
        "nothing made outside"
    );

    std::fs::write(t.path().join("a/file"), "x").unwrap();
    assert_eq!(root.folder("a/file/x", true).unwrap_err().code(), "local.io");
    assert_eq!(root.display("a/b/c.txt"), t.path().join("a/b/c.txt"));
}

#[test]
fn the_chosen_directory_itself_may_be_a_link() {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir(t.path().join("real")).unwrap();
    symlink(t.path().join("real"), t.path().join("chosen")).unwrap();
    let root = DestDir::open(&t.path().join("chosen")).unwrap();
    root.folder("x", true).unwrap().unwrap();
    assert!(t.path().join("real/x").is_dir());
    DestDir::open(&t.path().join("new/dir")).unwrap();
    assert!(
        t.path().join("new/dir").is_dir(),
        "a chosen folder that is missing is created"
    );
    std::fs::write(t.path().join("file"), "x").unwrap();
    assert_eq!(DestDir::open(&t.path().join("file")).err().unwrap().code(), "local.io");
}

#[test]
fn a_temporary_file_is_persisted_without_replacing_unless_asked() {
    let t = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "victim").unwrap();
    let root = DestDir::open(t.path()).unwrap();
    let folder = root.folder("", true).unwrap().unwrap();
    std::fs::write(t.path().join("taken"), "theirs").unwrap();
    symlink(&victim, t.path().join("link")).unwrap();

    let write = |text: &str| {
        let temp = folder.create_temp().unwrap();
        super::sys::write_all_at(temp.file(), text.as_bytes(), 0).unwrap();
        temp
    };
    let temp = write("mine");
    let temp_path = temp.path();
    assert!(temp_path.file_name().unwrap().to_str().unwrap().starts_with(".kura-"));
    let Persisted::Taken(temp) = temp.persist("taken", false).unwrap() else {
        panic!("an existing name is never replaced without being asked")
    };
    let Persisted::Taken(temp) = temp.persist("link", false).unwrap() else {
        panic!("a link is a taken name")
    };
    assert!(matches!(temp.persist("link", true).unwrap(), Persisted::Done));
    assert_eq!(read(&t.path().join("link")), "mine", "the link itself was replaced");
    assert!(!is_link(&t.path().join("link")));
    assert_eq!(read(&victim), "victim", "its target untouched");
    assert!(!temp_path.exists());

    let temp = write("second");
    let temp_path = temp.path();
    assert!(matches!(temp.persist("taken", true).unwrap(), Persisted::Done));
    assert_eq!(read(&t.path().join("taken")), "second");

    // Dropped without persisting: the temporary file goes.
    let temp = write("abandoned");
    let abandoned = temp.path();
    assert!(abandoned.exists());
    drop(temp);
    assert!(!abandoned.exists() && !temp_path.exists());
}

#[test]
fn a_temporary_file_swapped_for_a_link_or_another_file_is_not_used() {
    let t = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "victim").unwrap();
    let root = DestDir::open(t.path()).unwrap();
    let folder = root.folder("", true).unwrap().unwrap();

    let temp = folder.create_temp().unwrap();
    std::fs::remove_file(temp.path()).unwrap();
    symlink(&victim, temp.path()).unwrap();
    super::sys::write_all_at(temp.file(), b"downloaded", 0).unwrap();
    let err = temp.persist("final", false).err().unwrap();
    assert_eq!(err.code(), "local.symlink", "{err}");
    assert_eq!(read(&victim), "victim");
    assert!(!t.path().join("final").exists());

    let temp = folder.create_temp().unwrap();
    std::fs::remove_file(temp.path()).unwrap();
    std::fs::write(temp.path(), "planted").unwrap();
    let err = temp.persist("final", true).err().unwrap();
    assert_eq!(err.code(), "local.replaced", "{err}");
    assert!(!t.path().join("final").exists());
    let names: Vec<_> = std::fs::read_dir(t.path()).unwrap().collect();
    assert!(names.is_empty(), "the swapped-in entries are cleaned up: {names:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn pieces_are_written_at_their_offsets_through_one_handle() {
    let t = tempfile::tempdir().unwrap();
    let root = DestDir::open(t.path()).unwrap();
    let folder = root.folder("", true).unwrap().unwrap();
    let temp = folder.create_temp().unwrap();
    let pieces: Vec<Vec<u8>> = (0..4u8).map(|i| vec![b'a' + i; 3000]).collect();
    let writers = pieces.iter().enumerate().map(|(i, piece)| {
        let file = Arc::clone(temp.file());
        async move {
            let mut w = OffsetWriter::new(file, i as u64 * 3000, 1024);
            for chunk in piece.chunks(700) {
                w.write(chunk).await.unwrap();
            }
            w.flush().await.unwrap();
        }
    });
    futures::future::join_all(writers).await;
    let path = temp.path();
    assert_eq!(std::fs::read(&path).unwrap(), pieces.concat());
}
