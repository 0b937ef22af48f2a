//! The non-Unix side of [`super`] (Windows): the standard library has no directory-relative
//! calls there, so each path component is checked with `symlink_metadata` before use and a
//! link or junction (any reparse point) is refused; new files are created with `create_new`
//! (`CREATE_NEW`, which fails on an existing name or link) without following a reparse point;
//! the no-clobber rename is a hard link and a removal (fails when the target exists), else the
//! target is created exclusively and renamed over. Checks and use are separate calls here, so a
//! link swapped in between them is not caught as it is on Unix.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// A directory, by path.
#[derive(Debug)]
pub(super) struct Dir(PathBuf);

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

fn is_link(meta: &std::fs::Metadata) -> bool {
    #[cfg(windows)]
    {
        use std::os::windows::fs::MetadataExt;
        const FILE_ATTRIBUTE_REPARSE_POINT: u32 = 0x400;
        if meta.file_attributes() & FILE_ATTRIBUTE_REPARSE_POINT != 0 {
            return true;
        }
    }
    meta.file_type().is_symlink()
}

pub(super) fn open_root(path: &Path) -> io::Result<Dir> {
    if !std::fs::metadata(path)?.is_dir() {
        return Err(io::Error::new(io::ErrorKind::NotADirectory, "not a folder"));
    }
    Ok(Dir(path.to_path_buf()))
}

pub(super) fn open_child(parent: &Dir, name: &str) -> io::Result<Child> {
    let path = parent.0.join(name);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if is_link(&m) => Ok(Child::Link),
        Ok(m) if m.is_dir() => Ok(Child::Dir(Dir(path))),
        Ok(_) => Ok(Child::NotDir),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Child::Missing),
        Err(e) => Err(e),
    }
}

pub(super) fn make_dir(parent: &Dir, name: &str) -> io::Result<()> {
    match std::fs::create_dir(parent.0.join(name)) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
        _ => Ok(()),
    }
}

pub(super) fn exists(parent: &Dir, name: &str) -> io::Result<bool> {
    match std::fs::symlink_metadata(parent.0.join(name)) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

pub(super) fn create_new(parent: &Dir, name: &str) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;
        options.custom_flags(FILE_FLAG_OPEN_REPARSE_POINT);
    }
    options.open(parent.0.join(name))
}

pub(super) fn identity(parent: &Dir, name: &str, _file: &File) -> io::Result<Identity> {
    match std::fs::symlink_metadata(parent.0.join(name)) {
        Ok(m) if is_link(&m) => Ok(Identity::Link),
        Ok(m) if m.is_file() => Ok(Identity::Same),
        Ok(_) => Ok(Identity::Other),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Identity::Other),
        Err(e) => Err(e),
    }
}

pub(super) fn remove(parent: &Dir, name: &str) -> io::Result<()> {
    std::fs::remove_file(parent.0.join(name))
}

pub(super) fn rename(parent: &Dir, from: &str, to: &str, replace: bool) -> io::Result<()> {
    let (from_path, to_path) = (parent.0.join(from), parent.0.join(to));
    if replace {
        return std::fs::rename(from_path, to_path);
    }
    match std::fs::hard_link(&from_path, &to_path) {
        Ok(()) => {
            if let Err(e) = std::fs::remove_file(&from_path) {
                tracing::debug!("removing the temporary name {from} after linking: {e}");
            }
            return Ok(());
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(e),
        Err(_) => {}
    }
    drop(create_new(parent, to)?);
    std::fs::rename(from_path, to_path)
}

/// Writes all of `buf` at `offset` of `file` (`seek_write`: each call names its offset).
#[cfg(windows)]
pub(super) fn write_all_at(file: &File, mut buf: &[u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, buf, offset)?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        buf = &buf[n..];
        offset += n as u64;
    }
    Ok(())
}

/// Positioned writes are only implemented for Unix and Windows.
#[cfg(not(windows))]
pub(super) fn write_all_at(_file: &File, _buf: &[u8], _offset: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}
