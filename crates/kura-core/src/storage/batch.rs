//! Batches that partly fail. Every failed item of an upload, download or delete is kept with its
//! error and with what trying it again needs ([`FailedItem`] in [`Error::Partial`]), so a front
//! end can list which items failed and why, and run only those again:
//! [`Storage::retry_upload`](super::Storage::retry_upload) (a multipart upload that a transient
//! failure paused continues with its `UploadId`, sending only the parts S3 lacks) and
//! [`Storage::retry_download`](super::Storage::retry_download).

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::paths::RelPath;

/// How many failed items [`Error::Partial`]'s message names; the rest are counted.
const NAMED_IN_MESSAGE: usize = 20;

/// A file of an upload: where it is read from and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadItem {
    /// The local file (stays in Rust: front ends show [`UploadItem::remote`]).
    pub local: PathBuf,
    /// Its target relative to the prefix, as the conflict decision left it (a "keep both" file
    /// has its numbered name).
    pub remote: RelPath,
    /// Replacing an existing target was decided (policy or answer `overwrite`), so trying again
    /// does not ask again.
    pub replace: bool,
}

/// An object (or an empty folder) of a download: where it comes from and where it lands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadItem {
    /// The object relative to the prefix; a folder ends with `/`.
    pub remote: RelPath,
    /// Where it lands below the download folder, `/`-separated, as the conflict decision left it
    /// (unchecked when the key could not be made into a safe local name: trying again checks it
    /// again).
    pub local: String,
    /// Replacing an existing local file was decided (policy or answer `overwrite`).
    pub replace: bool,
}

/// An item of a batch, with what trying it again needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchItem {
    /// A file to upload.
    Upload(UploadItem),
    /// An object or folder to download.
    Download(DownloadItem),
    /// An object acted on in place (deleted).
    Remote(RelPath),
}

/// An item of a batch that failed, and why.
#[derive(Debug)]
pub struct FailedItem {
    /// The item.
    pub item: BatchItem,
    /// Why it failed (its [`Error::code`] says how to word it).
    pub error: Error,
}

impl FailedItem {
    /// The item as shown to the user: an upload's target or a remote path (relative to the
    /// prefix), or a download's place below the download folder — never an absolute local path.
    pub fn path(&self) -> &str {
        match &self.item {
            BatchItem::Upload(u) => u.remote.as_str(),
            BatchItem::Download(d) => &d.local,
            BatchItem::Remote(r) => r.as_str(),
        }
    }
}

/// [`Error::Partial`]'s message: the count, then one line per failed item (the first
/// [`NAMED_IN_MESSAGE`]), `path: error`.
pub(crate) fn partial_message(failed: &[FailedItem], total: usize) -> String {
    let mut s = format!("{} of {total} items failed:", failed.len());
    for f in failed.iter().take(NAMED_IN_MESSAGE) {
        let _ = write!(s, "\n  {}: {}", f.path(), f.error);
    }
    if failed.len() > NAMED_IN_MESSAGE {
        let _ = write!(s, "\n  … and {} more", failed.len() - NAMED_IN_MESSAGE);
    }
    s
}

/// Turns per-item failures into [`Error::Partial`] (sorted by path), or the single error when
/// the batch was that one item.
pub(crate) fn batch_result<T>(ok: T, mut failures: Vec<FailedItem>, total: usize) -> Result<T> {
    match failures.len() {
        0 => Ok(ok),
        1 if total == 1 => Err(failures.remove(0).error),
        _ => {
            failures.sort_by(|a, b| a.path().cmp(b.path()));
            Err(Error::Partial {
                failed: failures,
                total,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(remote: &str) -> FailedItem {
        FailedItem {
            item: BatchItem::Upload(UploadItem {
                local: PathBuf::from("/home/alice/secret-folder").join(remote),
                remote: RelPath::parse(remote).unwrap(),
                replace: false,
            }),
            error: Error::io("reading a file", std::io::Error::from(std::io::ErrorKind::NotFound)),
        }
    }

    #[test]
    fn a_partial_failure_names_every_item_by_its_remote_path() {
        let err = batch_result((), vec![upload("docs/b.txt"), upload("docs/a.txt")], 5).unwrap_err();
        let Error::Partial { failed, total } = &err else {
            panic!("{err}")
        };
        assert_eq!(*total, 5);
        let paths: Vec<&str> = failed.iter().map(FailedItem::path).collect();
        assert_eq!(paths, ["docs/a.txt", "docs/b.txt"]);
        let text = err.to_string();
        assert!(
            text.starts_with("2 of 5 items failed:\n  docs/a.txt: reading a file"),
            "{text}"
        );
        assert!(!text.contains("secret-folder"), "{text}");
        assert_eq!(err.code(), "batch.partial");
        assert_eq!(err.kind(), crate::ErrorKind::Local);
    }

    #[test]
    fn a_batch_of_one_fails_with_that_error() {
        let err = batch_result((), vec![upload("a.txt")], 1).unwrap_err();
        assert_eq!(err.code(), "local.io");
        assert!(batch_result(7, Vec::new(), 3).is_ok_and(|n| n == 7));
    }

    #[test]
    fn long_lists_are_cut_in_the_message() {
        let failed: Vec<FailedItem> = (0..25).map(|i| upload(&format!("f{i:02}"))).collect();
        let text = batch_result((), failed, 30).unwrap_err().to_string();
        assert_eq!(text.lines().count(), 1 + NAMED_IN_MESSAGE + 1, "{text}");
        assert!(text.ends_with("… and 5 more"), "{text}");
    }
}
