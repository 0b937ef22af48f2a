//! The Unix side of [`super`]: every operation is relative to an open directory handle and never
//! follows a link (`openat` with `O_NOFOLLOW`, `fstatat` with `AT_SYMLINK_NOFOLLOW`, `mkdirat`,
//! `renameat2(RENAME_NOREPLACE)` / `renameatx_np(RENAME_EXCL)`), through `rustix`. Source:
//! POSIX `openat`, Linux `openat(2)`, `renameat2(2)`, macOS `rename(2)`.

use std::fs::File;
use std::io;
use std::os::fd::OwnedFd;
use std::path::Path;

use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;

/// An open directory.
#[derive(Debug)]
pub(super) struct Dir(OwnedFd);

/// What a name in a directory turned out to be.
pub(super) enum Child {
    Dir(Dir),
    Missing,
    Link,
    NotDir,
}

/// Whether the entry under a name is the file we hold open.
pub(super) enum Identity {
    Same,
    Link,
    Other,
}

const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::CLOEXEC)
    // Never block on a FIFO someone put where a folder should be.
    .union(OFlags::NONBLOCK);

/// Opens the chosen directory itself (links in `path` are followed: the user chose it).
pub(super) fn open_root(path: &Path) -> io::Result<Dir> {
    Ok(Dir(rustix::fs::open(path, DIR_FLAGS, Mode::empty())?))
}

/// Opens the folder `name` in `parent`, never following a link.
pub(super) fn open_child(parent: &Dir, name: &str) -> io::Result<Child> {
    match rustix::fs::openat(&parent.0, name, DIR_FLAGS | OFlags::NOFOLLOW, Mode::empty()) {
        Ok(fd) => Ok(Child::Dir(Dir(fd))),
        Err(Errno::NOENT) => Ok(Child::Missing),
        // ELOOP (Linux, macOS), EMLINK (FreeBSD): a link; ENOTDIR: not a folder.
        Err(Errno::LOOP | Errno::MLINK | Errno::NOTDIR) => Ok(match file_type(parent, name)? {
            Some(FileType::Symlink) => Child::Link,
            Some(_) => Child::NotDir,
            None => Child::Missing,
        }),
        Err(e) => Err(e.into()),
    }
}

/// Creates the folder `name` in `parent` (mode 0777 less the umask); an existing entry is not
/// an error (the caller opens it next, refusing links).
pub(super) fn make_dir(parent: &Dir, name: &str) -> io::Result<()> {
    match rustix::fs::mkdirat(&parent.0, name, Mode::from_raw_mode(0o777)) {
        Ok(()) | Err(Errno::EXIST) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

fn file_type(parent: &Dir, name: &str) -> io::Result<Option<FileType>> {
    match rustix::fs::statat(&parent.0, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(st) => Ok(Some(FileType::from_raw_mode(st.st_mode))),
        Err(Errno::NOENT) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// True when anything (a file, a folder, a link even if dangling) has the name `name`.
pub(super) fn exists(parent: &Dir, name: &str) -> io::Result<bool> {
    Ok(file_type(parent, name)?.is_some())
}

/// Creates the new file `name` (mode 0600) for writing: `O_CREAT | O_EXCL | O_NOFOLLOW`, so an
/// existing name or a link planted under it fails with `AlreadyExists`.
pub(super) fn create_new(parent: &Dir, name: &str) -> io::Result<File> {
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    Ok(File::from(rustix::fs::openat(
        &parent.0,
        name,
        flags,
        Mode::from_raw_mode(0o600),
    )?))
}

/// Whether `name` in `parent` is still the file `file` (same device and inode).
pub(super) fn identity(parent: &Dir, name: &str, file: &File) -> io::Result<Identity> {
    let ours = rustix::fs::fstat(file)?;
    match rustix::fs::statat(&parent.0, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(st) if FileType::from_raw_mode(st.st_mode) == FileType::Symlink => Ok(Identity::Link),
        Ok(st) if st.st_dev == ours.st_dev && st.st_ino == ours.st_ino => Ok(Identity::Same),
        Ok(_) | Err(Errno::NOENT) => Ok(Identity::Other),
        Err(e) => Err(e.into()),
    }
}

/// Removes the entry `name` (a link is removed itself, never its target).
pub(super) fn remove(parent: &Dir, name: &str) -> io::Result<()> {
    Ok(rustix::fs::unlinkat(&parent.0, name, AtFlags::empty())?)
}

/// Renames `from` to `to` in `parent`. With `replace` an existing `to` is replaced (a link
/// under that name is replaced itself); without it an existing `to` is never touched and the
/// error is `AlreadyExists`. The no-clobber rename is atomic where the file system supports
/// it (`renameat2(RENAME_NOREPLACE)`, `renameatx_np(RENAME_EXCL)`), else a hard link and unlink
/// (atomic too); on file systems without either (FAT on older kernels) `to` is first created
/// exclusively and then renamed over, so a file that appears under `to` is still never replaced.
pub(super) fn rename(parent: &Dir, from: &str, to: &str, replace: bool) -> io::Result<()> {
    if replace {
        return Ok(rustix::fs::renameat(&parent.0, from, &parent.0, to)?);
    }
    let mut tried = Tried::Unsupported;
    for step in [by_rename_noreplace, by_link, by_reservation] {
        tried = step(parent, from, to)?;
        if tried != Tried::Unsupported {
            break;
        }
    }
    match tried {
        Tried::Done => Ok(()),
        _ => Err(io::ErrorKind::AlreadyExists.into()),
    }
}

/// How one way of renaming without replacing went.
#[derive(Debug, PartialEq, Eq)]
enum Tried {
    Done,
    Taken,
    /// The file system does not offer this way: try the next.
    Unsupported,
}

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn by_rename_noreplace(parent: &Dir, from: &str, to: &str) -> io::Result<Tried> {
    let dir = &parent.0;
    match rustix::fs::renameat_with(dir, from, dir, to, rustix::fs::RenameFlags::NOREPLACE) {
        Ok(()) => Ok(Tried::Done),
        Err(Errno::EXIST) => Ok(Tried::Taken),
        Err(e) if unsupported(e) => Ok(Tried::Unsupported),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn by_rename_noreplace(_parent: &Dir, _from: &str, _to: &str) -> io::Result<Tried> {
    Ok(Tried::Unsupported)
}

fn by_link(parent: &Dir, from: &str, to: &str) -> io::Result<Tried> {
    let dir = &parent.0;
    match rustix::fs::linkat(dir, from, dir, to, AtFlags::empty()) {
        Ok(()) => {
            if let Err(e) = rustix::fs::unlinkat(dir, from, AtFlags::empty()) {
                tracing::debug!("removing the temporary name {from} after linking: {e}");
            }
            Ok(Tried::Done)
        }
        Err(Errno::EXIST) => Ok(Tried::Taken),
        Err(e) if unsupported(e) || e == Errno::PERM || e == Errno::MLINK => Ok(Tried::Unsupported),
        Err(e) => Err(e.into()),
    }
}

fn by_reservation(parent: &Dir, from: &str, to: &str) -> io::Result<Tried> {
    match create_new(parent, to) {
        Ok(placeholder) => drop(placeholder),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(Tried::Taken),
        Err(e) => return Err(e),
    }
    rustix::fs::renameat(&parent.0, from, &parent.0, to)?;
    Ok(Tried::Done)
}

/// The errors a file system answers for an operation it does not implement.
fn unsupported(e: Errno) -> bool {
    e == Errno::INVAL || e == Errno::NOSYS || e == Errno::NOTSUP || e == Errno::OPNOTSUPP
}

/// Writes all of `buf` at `offset` of `file` (`pwrite`), leaving the file position alone.
pub(super) fn write_all_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, Dir) {
        let t = tempfile::tempdir().unwrap();
        let dir = open_root(t.path()).unwrap();
        (t, dir)
    }

    #[test]
    fn every_way_of_renaming_leaves_an_existing_name_alone() {
        type Step = fn(&Dir, &str, &str) -> io::Result<Tried>;
        let steps: [(&str, Step); 3] = [
            ("renameat2/renameatx_np", by_rename_noreplace),
            ("link + unlink", by_link),
            ("reservation", by_reservation),
        ];
        for (what, step) in steps {
            let (t, dir) = setup();
            let p = |n: &str| t.path().join(n);
            std::fs::write(p("tmp"), "new").unwrap();
            std::fs::write(p("taken"), "theirs").unwrap();
            std::os::unix::fs::symlink(p("victim"), p("link")).unwrap();
            assert_eq!(step(&dir, "tmp", "taken").unwrap(), Tried::Taken, "{what}");
            assert_eq!(
                step(&dir, "tmp", "link").unwrap(),
                Tried::Taken,
                "{what}: a dangling link is taken"
            );
            assert_eq!(std::fs::read_to_string(p("taken")).unwrap(), "theirs", "{what}");
            assert!(!p("victim").exists(), "{what}: never written through the link");
            assert_eq!(step(&dir, "tmp", "free").unwrap(), Tried::Done, "{what}");
            assert_eq!(std::fs::read_to_string(p("free")).unwrap(), "new", "{what}");
            assert!(!p("tmp").exists(), "{what}: the temporary name is gone");
        }
    }

    #[test]
    fn links_are_reported_and_never_opened() {
        let (t, dir) = setup();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), t.path().join("evil")).unwrap();
        std::fs::write(t.path().join("file"), "x").unwrap();
        assert!(matches!(open_child(&dir, "evil").unwrap(), Child::Link));
        assert!(matches!(open_child(&dir, "file").unwrap(), Child::NotDir));
        assert!(matches!(open_child(&dir, "missing").unwrap(), Child::Missing));
        assert!(exists(&dir, "evil").unwrap());
        let err = create_new(&dir, "evil").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        std::os::unix::fs::symlink(outside.path().join("new"), t.path().join("dangling")).unwrap();
        assert!(exists(&dir, "dangling").unwrap());
        assert!(create_new(&dir, "dangling").is_err());
        assert!(
            !outside.path().join("new").exists(),
            "no file created through a dangling link"
        );
    }
}
