//! Downloads of files and folders. Each object is written into a temporary file in its target
//! directory — large ones as concurrent ranged GETs at their offsets — hashed (CRC64NVME) as it
//! is written, and renamed into place only when complete and matching the stored checksum, so an
//! interrupted or corrupted download never leaves a file under the real name. Local names come
//! from [`crate::paths::local_path_for`]'s rules, so no key names a path outside the chosen directory, and
//! every file-system step goes through [`crate::localfs`], so no link leads outside it; where
//! each object lands (conflicts, names colliding within the batch) is decided in [`plan`].

mod fetch;
mod plan;
mod retry;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt;

use self::fetch::Sink;
use self::plan::{split, Job, Names, OnTaken, Wanted};
use super::batch::{batch_result, BatchItem, DownloadItem, FailedItem};
use super::list::Entry;
use super::Storage;
use crate::checksum;
use crate::error::{Error, Result};
use crate::localfs::race::{self, Point};
use crate::localfs::{DestDir, Persisted};
use crate::paths::{LocalName, RelPath};
use crate::progress::{ProgressFn, Tracker, TransferHooks};

/// Objects from this size (and the multipart threshold) are fetched as concurrent ranges.
const MIN_RANGE: u64 = 5 * 1024 * 1024;

/// `s3.not_found` for a file or folder that is not there.
fn not_found(key: String) -> Error {
    crate::s3::S3Error::new(
        crate::s3::S3ErrorKind::NotFound,
        "HeadObject",
        key,
        "no such file or folder",
    )
    .into()
}

/// What a download did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DownloadReport {
    /// Local files written.
    pub files: Vec<PathBuf>,
    /// Bytes written.
    pub bytes: u64,
    /// Local files left alone because they existed ([`ConflictPolicy::Skip`]), also when one
    /// appeared during the download, and objects skipped because an earlier one of the batch
    /// took a name the file system may not tell apart from theirs.
    ///
    /// [`ConflictPolicy::Skip`]: super::conflict::ConflictPolicy::Skip
    pub skipped: Vec<PathBuf>,
    /// Files saved under another name than their key's, and why.
    pub renamed: Vec<Renamed>,
}

/// A file saved under another name than its key's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    /// The object's key.
    pub key: String,
    /// Where it was saved.
    pub local: PathBuf,
    /// Why.
    pub reason: RenameReason,
}

/// Why a download was saved under another name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameReason {
    /// The name was taken on disk (policy rename, or the answer "keep both"; also a file that
    /// appeared while downloading): the first free `name (n).ext`.
    Exists,
    /// An earlier object of the same batch took a name that case-insensitive or normalising
    /// file systems do not tell apart (`A.txt`/`a.txt`, NFC/NFD): the first free `name (n).ext`.
    SameName,
    /// Windows cannot create the name (`CON`, `<>:"|?*`, a trailing dot or space): mapped with
    /// [`crate::localfs::windows_name`].
    WindowsName,
}

impl RenameReason {
    /// A stable code for front ends: `exists`, `same_name`, `windows_name`.
    pub fn code(self) -> &'static str {
        match self {
            RenameReason::Exists => "exists",
            RenameReason::SameName => "same_name",
            RenameReason::WindowsName => "windows_name",
        }
    }
}

/// How one object's download ended.
enum Outcome {
    Saved {
        path: PathBuf,
        bytes: u64,
        renamed: Option<RenameReason>,
    },
    Skipped(PathBuf),
}

impl Storage {
    /// Downloads `remotes` into `dir`. A file lands as `dir/<name>`; a folder (only with
    /// `recursive`) as `dir/<folder name>/...`. Objects whose keys cannot be saved safely are
    /// skipped and reported, as are items below a link inside `dir` (links there are never
    /// followed). Errors: `s3.not_found`, `path.invalid` (a folder without `recursive`),
    /// `local.io` (`dir` cannot be opened), or [`Error::Partial`] listing what failed
    /// (`path.unsafe_key`, `local.symlink`, …) while the rest was saved.
    pub async fn download(
        &self,
        remotes: &[RelPath],
        dir: &Path,
        recursive: bool,
        progress: Option<ProgressFn>,
    ) -> Result<DownloadReport> {
        self.download_with(remotes, dir, recursive, progress.into()).await
    }

    /// [`Storage::download`] with a pause switch and a conflict question ([`TransferHooks`]).
    /// Errors also: `transfer.conflict`, `transfer.cancelled` (policy `ask`).
    pub async fn download_with(
        &self,
        remotes: &[RelPath],
        dir: &Path,
        recursive: bool,
        hooks: TransferHooks,
    ) -> Result<DownloadReport> {
        let mut wanted = Vec::new();
        let mut failures = Vec::new();
        let mut folders = Vec::new();
        for remote in remotes {
            if let Some(Entry::File { size, .. }) = self.stat(remote).await? {
                let key = self.key(remote);
                let name = LocalName::for_key(remote.name(), &key)?;
                wanted.push(Wanted {
                    remote: remote.clone(),
                    rel: name.rel,
                    mapped: name.mapped,
                    key,
                    size,
                    replace: false,
                });
                continue;
            }
            // A missing file or folder is an error, not an empty "done" (the prefix root always
            // exists).
            if !remote.as_str().is_empty() && !self.folder_exists(remote).await? {
                return Err(not_found(self.key(remote)));
            }
            if !recursive {
                return Err(Error::InvalidPath {
                    path: remote.as_str().to_string(),
                    reason: "is a folder: use -r to download folders".into(),
                });
            }
            let base = remote.as_folder();
            let root_name = if base.as_str().is_empty() {
                String::new()
            } else {
                format!("{}/", base.name())
            };
            for entry in self.list(&base, true).await? {
                let rel_below = entry
                    .path()
                    .as_str()
                    .strip_prefix(base.as_str())
                    .unwrap_or_default()
                    .to_string();
                let key = self.key(entry.path());
                let rel_local = format!("{root_name}{}", rel_below.trim_end_matches('/'));
                match (&entry, LocalName::for_key(&rel_local, &key)) {
                    (_, Err(error)) => failures.push(FailedItem {
                        item: BatchItem::Download(DownloadItem {
                            remote: entry.path().clone(),
                            local: rel_local,
                            replace: false,
                        }),
                        error,
                    }),
                    (Entry::Folder { path }, Ok(name)) => folders.push((path.clone(), name.rel)),
                    (Entry::File { path, size, .. }, Ok(name)) => wanted.push(Wanted {
                        remote: path.clone(),
                        rel: name.rel,
                        mapped: name.mapped,
                        key,
                        size: *size,
                        replace: false,
                    }),
                }
            }
        }
        let root = DestDir::open(dir)?;
        self.download_wanted(&root, wanted, folders, failures, &hooks).await
    }

    /// Creates `folders` (remote folder, local path below `root`), places `wanted` (conflict
    /// policy, names within the batch) and downloads them, `file_concurrency` at once.
    /// `failures`: items that failed before. Errors: [`Error::Partial`], or the one item's error
    /// in a batch of one; from placing: `transfer.conflict`, `transfer.cancelled`, `local.io`.
    async fn download_wanted(
        &self,
        root: &DestDir,
        wanted: Vec<Wanted>,
        folders: Vec<(RelPath, String)>,
        mut failures: Vec<FailedItem>,
        hooks: &TransferHooks,
    ) -> Result<DownloadReport> {
        for (remote, rel) in folders {
            if let Err(error) = root.folder(&rel, true) {
                failures.push(FailedItem {
                    item: BatchItem::Download(DownloadItem {
                        remote,
                        local: rel,
                        replace: false,
                    }),
                    error,
                });
            }
        }
        let names = Names::default();
        let placed = plan::place(root, &names, wanted, self.options.if_exists, hooks.on_conflict.as_ref()).await?;
        failures.extend(placed.failures);
        let mut report = DownloadReport {
            skipped: placed.skipped,
            ..DownloadReport::default()
        };
        let jobs = placed.jobs;
        let total = jobs.len() + failures.len();
        let tracker = Arc::new(Tracker::new(
            hooks,
            jobs.len() as u64,
            jobs.iter().map(|j| j.size).sum(),
        ));
        let names = &names;
        let results: Vec<(Job, Result<Outcome>)> = futures::stream::iter(jobs)
            .map(|job| {
                let tracker = tracker.clone();
                async move {
                    tracker.running().await;
                    let r = self.download_object(&job, root, names, &tracker).await;
                    tracker.file_done();
                    (job, r)
                }
            })
            .buffer_unordered(self.options.file_concurrency.max(1))
            .collect()
            .await;
        for (job, r) in results {
            match r {
                Ok(Outcome::Saved { path, bytes, renamed }) => {
                    report.bytes += bytes;
                    if let Some(reason) = renamed {
                        report.renamed.push(Renamed {
                            key: job.key,
                            local: path.clone(),
                            reason,
                        });
                    }
                    report.files.push(path);
                }
                Ok(Outcome::Skipped(path)) => report.skipped.push(path),
                Err(error) => failures.push(FailedItem {
                    item: BatchItem::Download(job.item()),
                    error,
                }),
            }
        }
        report.files.sort();
        batch_result(report, failures, total)
    }

    /// Downloads one object to its place through a temporary file in the same folder: one
    /// streamed GET below the multipart threshold, else concurrent ranged GETs written at their
    /// offsets. The bytes are hashed as they are written and compared with the object's stored
    /// CRC64NVME (when S3 has one); the file is synced and renamed into place only when complete
    /// and matching, without replacing a file that appeared meanwhile unless the job says so.
    /// Errors: S3 errors, [`Error::ChecksumMismatch`], `local.symlink`, `local.replaced`,
    /// `local.io`.
    async fn download_object(&self, job: &Job, root: &DestDir, names: &Names, tracker: &Tracker) -> Result<Outcome> {
        let written = AtomicU64::new(0);
        let result = self.fetch_and_place(job, root, names, tracker, &written).await;
        if result.is_err() {
            tracker.sub_bytes(written.into_inner());
        }
        result
    }

    async fn fetch_and_place(
        &self,
        job: &Job,
        root: &DestDir,
        names: &Names,
        tracker: &Tracker,
        written: &AtomicU64,
    ) -> Result<Outcome> {
        let key = job.key.as_str();
        let folder = root
            .folder(split(&job.rel).0, true)?
            .expect("folders are created on the way");
        let mut temp = folder.create_temp()?;
        let temp_path = temp.path();
        race::fire(Point::TempCreated, &temp_path);
        let sink = Sink {
            file: temp.file(),
            path: &temp_path,
            tracker,
            written,
        };
        let ranged = job.size >= self.options.multipart_threshold.max(MIN_RANGE);
        let (crc, expected) = if ranged {
            self.get_ranges(key, &sink).await?
        } else {
            let p = self.get_piece(key, None, None, &sink).await?;
            (p.crc, p.checksum)
        };
        temp.file()
            .sync_all()
            .map_err(|e| Error::io(format!("syncing {}", temp_path.display()), e))?;
        match expected {
            Some(expected) if checksum::decode(&expected) != Some(crc) => {
                return Err(Error::ChecksumMismatch {
                    key: key.to_string(),
                    expected,
                    actual: checksum::encode(crc),
                }); // dropping `temp` deletes the partial file
            }
            _ => {}
        }
        race::fire(Point::BeforeRename, &root.display(&job.rel));
        let (mut rel, mut renamed) = (job.rel.clone(), job.renamed);
        loop {
            match temp.persist(split(&rel).1, job.on_taken == OnTaken::Replace)? {
                Persisted::Done => {
                    return Ok(Outcome::Saved {
                        path: root.display(&rel),
                        bytes: written.load(Ordering::Relaxed),
                        renamed,
                    })
                }
                // The name was taken after the check: the policy decides, never a replace.
                Persisted::Taken(back) if job.on_taken == OnTaken::Skip => {
                    drop(back);
                    return Ok(Outcome::Skipped(root.display(&rel)));
                }
                Persisted::Taken(back) => {
                    rel = names.take_numbered(&job.rel, Some(&folder))?;
                    renamed = Some(RenameReason::Exists);
                    temp = back;
                }
            }
        }
    }
}
