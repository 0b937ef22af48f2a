//! Writing downloads below a chosen directory without ever leaving it on disk.
//!
//! [`local_path_for`](crate::paths::local_path_for) makes sure no key *names* a path outside the
//! chosen directory; this module makes sure no file-system object *leads* outside it. The chosen
//! directory is opened once (a link there is followed: the user picked it); below it every
//! folder is opened relative to its parent's handle without following links, so a link planted
//! in the destination (`dest/evil -> ~/.ssh`) fails the items below it with `local.symlink`
//! instead of being written through. Files are born as temporary files created exclusively
//! (`O_CREAT | O_EXCL | O_NOFOLLOW`), written through that one handle only (positioned writes,
//! never re-opened by name), checked to still be under their temporary name, and renamed into
//! place without replacing anything unless asked to (`TempFile::persist`).
//!
//! Unix does all of this relative to directory handles (`rustix`); Windows checks each
//! component by path just before use (see `portable.rs`).

mod names;
#[cfg(not(unix))]
mod portable;
#[doc(hidden)]
pub mod race;
#[cfg(all(test, unix))]
mod tests;
#[cfg(unix)]
mod unix;

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use names::{fold_key, windows_name};
#[cfg(not(unix))]
use portable as sys;
#[cfg(unix)]
use unix as sys;

use crate::error::{Error, ErrorCode, Result};

/// Local file-system refusals. Codes: `local.symlink`, `local.replaced`.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// A folder on the way to a download, or the download's temporary file, is a symbolic link
    /// (or, on Windows, a junction or other reparse point); nothing was written through it.
    #[error("{} is a link: Kura does not follow links inside the download folder, so nothing was written there (remove the link or choose another folder)", .path.display())]
    Symlink {
        /// The link.
        path: PathBuf,
    },
    /// The download's temporary file was replaced by another program before the download was
    /// moved into place; the replacement was not used.
    #[error("the temporary file {} was replaced by another program while downloading; nothing was saved", .path.display())]
    Replaced {
        /// The temporary file's path.
        path: PathBuf,
    },
}

impl LocalError {
    /// The stable code: `local.symlink` or `local.replaced`.
    pub fn code(&self) -> ErrorCode {
        match self {
            LocalError::Symlink { .. } => ErrorCode::LocalSymlink,
            LocalError::Replaced { .. } => ErrorCode::LocalReplaced,
        }
    }
}

/// Open folders kept per batch; above this many the cache starts over (file handles are limited).
const CACHED_FOLDERS: usize = 256;

/// The chosen download directory, opened, with the folders below it opened so far.
pub(crate) struct DestDir {
    root: Arc<Folder>,
    cache: Mutex<HashMap<String, Arc<Folder>>>,
}

/// An open folder below (or at) the chosen directory.
#[derive(Debug)]
pub(crate) struct Folder {
    /// Its path, for messages and reports only (never used to reach it).
    path: PathBuf,
    dir: sys::Dir,
}

impl DestDir {
    /// Opens `root`, creating it (and its parents) when missing, as the user chose it: links in
    /// `root` itself are followed. Errors: `local.io` (not a folder, no permission).
    pub(crate) fn open(root: &Path) -> Result<DestDir> {
        std::fs::create_dir_all(root).map_err(|e| Error::io(format!("creating {}", root.display()), e))?;
        let dir = sys::open_root(root).map_err(|e| Error::io(format!("opening {}", root.display()), e))?;
        Ok(DestDir {
            root: Arc::new(Folder {
                path: root.to_path_buf(),
                dir,
            }),
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// The path of `rel` (`/`-separated, relative) below the root, for messages and reports.
    pub(crate) fn display(&self, rel: &str) -> PathBuf {
        let mut p = self.root.path.clone();
        p.extend(rel.split('/').filter(|s| !s.is_empty()));
        p
    }

    /// The folder `rel` (`/`-separated, validated segments; `""` is the root), opened component
    /// by component without following links; missing folders are created when `create`, else
    /// `Ok(None)`. Errors: `local.symlink` (a component is a link), `local.io` (a component is a
    /// file, or the OS refused).
    pub(crate) fn folder(&self, rel: &str, create: bool) -> Result<Option<Arc<Folder>>> {
        if rel.is_empty() {
            return Ok(Some(self.root.clone()));
        }
        if let Some(f) = self.cache.lock().unwrap_or_else(|p| p.into_inner()).get(rel) {
            return Ok(Some(f.clone()));
        }
        let (parent_rel, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        debug_assert!(!matches!(name, "" | "." | ".."));
        let Some(parent) = self.folder(parent_rel, create)? else {
            return Ok(None);
        };
        let path = parent.path.join(name);
        let io = |e| Error::io(format!("opening the folder {}", path.display()), e);
        let mut child = sys::open_child(&parent.dir, name).map_err(io)?;
        if matches!(child, sys::Child::Missing) && create {
            sys::make_dir(&parent.dir, name).map_err(|e| Error::io(format!("creating {}", path.display()), e))?;
            child = sys::open_child(&parent.dir, name).map_err(io)?;
        }
        let dir = match child {
            sys::Child::Dir(dir) => dir,
            sys::Child::Missing => return Ok(None),
            sys::Child::Link => return Err(LocalError::Symlink { path }.into()),
            sys::Child::NotDir => {
                return Err(io(io::Error::new(
                    io::ErrorKind::NotADirectory,
                    "a file has this name, so it cannot be a folder",
                )))
            }
        };
        let folder = Arc::new(Folder { path, dir });
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= CACHED_FOLDERS {
            cache.clear();
        }
        cache.insert(rel.to_string(), folder.clone());
        Ok(Some(folder))
    }
}

impl Folder {
    /// True when `name` is taken in this folder: by a file, a folder, or a link (even one whose
    /// target is missing). Errors: `local.io`.
    pub(crate) fn has(&self, name: &str) -> Result<bool> {
        sys::exists(&self.dir, name).map_err(|e| Error::io(format!("checking {}", self.path.join(name).display()), e))
    }

    /// Creates a new, empty temporary file `.kura-<random>.part` in this folder, exclusively and
    /// without following links. Errors: `local.io`.
    pub(crate) fn create_temp(self: &Arc<Self>) -> Result<TempFile> {
        let mut last = None;
        for _ in 0..16 {
            let name = format!(".kura-{:016x}.part", fastrand::u64(..));
            match sys::create_new(&self.dir, &name) {
                Ok(file) => {
                    return Ok(TempFile {
                        folder: self.clone(),
                        name,
                        file: Arc::new(file),
                        armed: true,
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => {
                    return Err(Error::io(
                        format!("creating a temporary file in {}", self.path.display()),
                        e,
                    ))
                }
            }
        }
        Err(Error::io(
            format!("creating a temporary file in {}", self.path.display()),
            last.expect("tried"),
        ))
    }
}

/// A download's temporary file: written only through [`TempFile::file`], removed when dropped
/// unless [`TempFile::persist`] moved it into place.
pub(crate) struct TempFile {
    folder: Arc<Folder>,
    name: String,
    file: Arc<File>,
    armed: bool,
}

/// What [`TempFile::persist`] did.
pub(crate) enum Persisted {
    /// Renamed into place.
    Done,
    /// The name is taken and replacing was not allowed: the file comes back for another name.
    Taken(TempFile),
}

impl TempFile {
    /// The open file (shared by the pieces being written into it).
    pub(crate) fn file(&self) -> &Arc<File> {
        &self.file
    }

    /// The temporary file's path (for messages).
    pub(crate) fn path(&self) -> PathBuf {
        self.folder.path.join(&self.name)
    }

    /// Moves the file to `name` in its folder once it is checked to still be the file that was
    /// created and written (not a link or another file swapped in under the temporary name).
    /// With `replace` an entry under `name` is replaced (a link itself, never its target);
    /// without, an existing `name` is left alone: [`Persisted::Taken`]. Call after syncing.
    /// Errors: `local.symlink`, `local.replaced`, `local.io`.
    pub(crate) fn persist(mut self, name: &str, replace: bool) -> Result<Persisted> {
        let dir = &self.folder.dir;
        let path = self.path();
        match sys::identity(dir, &self.name, &self.file) {
            Ok(sys::Identity::Same) => {}
            Ok(sys::Identity::Link) => return Err(LocalError::Symlink { path }.into()),
            Ok(sys::Identity::Other) => return Err(LocalError::Replaced { path }.into()),
            Err(e) => return Err(Error::io(format!("checking {}", path.display()), e)),
        }
        match sys::rename(dir, &self.name, name, replace) {
            Ok(()) => {
                self.armed = false;
                Ok(Persisted::Done)
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && !replace => Ok(Persisted::Taken(self)),
            Err(e) => Err(Error::io(
                format!("moving the download into {}", self.folder.path.join(name).display()),
                e,
            )),
        }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.armed {
            // Whatever is under the temporary name now (our file, or a link swapped in) goes;
            // a link is removed itself, never its target.
            if let Err(e) = sys::remove(&self.folder.dir, &self.name) {
                tracing::debug!("removing {}: {e}", self.path().display());
            }
        }
    }
}

/// Gathers a piece's bytes into blocks of `capacity` and writes each at its offset of the file
/// (positioned writes on the blocking pool: one trip per block, not per network chunk).
pub(crate) struct OffsetWriter {
    file: Arc<File>,
    offset: u64,
    buf: Vec<u8>,
    capacity: usize,
}

impl OffsetWriter {
    /// A writer starting at byte `offset` of `file`.
    pub(crate) fn new(file: Arc<File>, offset: u64, capacity: usize) -> OffsetWriter {
        OffsetWriter {
            file,
            offset,
            buf: Vec::with_capacity(capacity),
            capacity,
        }
    }

    /// The file written to.
    pub(crate) fn file(&self) -> &File {
        &self.file
    }

    /// Adds `bytes`; writes a block when `capacity` is reached.
    pub(crate) async fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= self.capacity {
            self.flush().await?;
        }
        Ok(())
    }

    /// Writes what is gathered.
    pub(crate) async fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let (file, offset) = (self.file.clone(), self.offset);
        let buf = std::mem::take(&mut self.buf);
        let len = buf.len() as u64;
        let mut buf = tokio::task::spawn_blocking(move || sys::write_all_at(&file, &buf, offset).map(|()| buf))
            .await
            .map_err(io::Error::other)??;
        buf.clear();
        self.buf = buf;
        self.offset += len;
        Ok(())
    }
}
