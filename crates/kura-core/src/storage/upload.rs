//! Uploads of files and directories, streamed from disk: PutObject below the multipart
//! threshold, else CreateMultipartUpload + concurrent UploadPart + CompleteMultipartUpload
//! (aborted on failure so no parts are left behind). Part size is raised so a file never needs
//! more than 10,000 parts (S3 limits: 5 MiB–5 GiB per part).

mod conflicts;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures::StreamExt;

use super::batch::{batch_result, BatchItem, FailedItem, UploadItem};
use super::Storage;
use crate::error::{Error, Result};
use crate::paths::RelPath;
use crate::progress::{ProgressFn, Tracker, TransferHooks};
use crate::s3::BodySource;

pub(crate) const MIN_PART: u64 = 5 * 1024 * 1024;
const MAX_PART: u64 = 5 * 1024 * 1024 * 1024;
const MAX_PARTS: u64 = 10_000;

/// What an upload did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadReport {
    /// Paths created (files and empty-folder markers).
    pub uploaded: Vec<RelPath>,
    /// Bytes of the uploaded files.
    pub bytes: u64,
    /// Of those, bytes an earlier interrupted run had already sent (resumed uploads).
    pub resumed_bytes: u64,
    /// Paths left alone because they existed ([`ConflictPolicy::Skip`](super::conflict::ConflictPolicy::Skip)).
    pub skipped: Vec<RelPath>,
}

/// A file to upload.
struct Job {
    local: PathBuf,
    remote: RelPath,
    size: u64,
    /// Replacing an existing target was decided ([`UploadItem::replace`]).
    replace: bool,
}

impl Job {
    fn item(&self) -> UploadItem {
        UploadItem {
            local: self.local.clone(),
            remote: self.remote.clone(),
            replace: self.replace,
        }
    }
}

/// Part size for a file of `size` bytes: at least `preferred` (and 5 MiB), large enough for
/// ≤ 10,000 parts, rounded up to a whole MiB.
pub(crate) fn part_size_for(size: u64, preferred: u64) -> u64 {
    let mib = 1024 * 1024;
    let needed = size.div_ceil(MAX_PARTS);
    let p = preferred.max(MIN_PART).max(needed);
    p.div_ceil(mib) * mib
}

fn name_of(path: &Path) -> Result<String> {
    let name = path.file_name().ok_or_else(|| Error::InvalidPath {
        path: path.display().to_string(),
        reason: "has no file name".into(),
    })?;
    name.to_str().map(str::to_string).ok_or_else(|| Error::InvalidPath {
        path: path.display().to_string(),
        reason: "the name is not valid UTF-8".into(),
    })
}

/// Walks `dir` (not following symlinked directories), adding jobs for files and markers for
/// empty folders.
fn walk(dir: &Path, remote: &RelPath, jobs: &mut Vec<Job>, folders: &mut Vec<RelPath>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(format!("reading {}", dir.display()), e))?;
    let mut empty = true;
    let mut children: Vec<_> = rd
        .collect::<std::io::Result<_>>()
        .map_err(|e| Error::io(format!("reading {}", dir.display()), e))?;
    children.sort_by_key(|c| c.file_name());
    for child in children {
        empty = false;
        let path = child.path();
        let name = name_of(&path)?;
        let ft = child
            .file_type()
            .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
        let meta = std::fs::metadata(&path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
        if ft.is_dir() {
            walk(&path, &remote.join(&format!("{name}/"))?, jobs, folders)?;
        } else if meta.is_file() {
            jobs.push(Job {
                local: path,
                remote: remote.join(&name)?,
                size: meta.len(),
                replace: false,
            });
        } else if ft.is_symlink() && meta.is_dir() {
            tracing::warn!("skipping symlinked directory {}", path.display());
        }
    }
    if empty {
        folders.push(remote.as_folder());
    }
    Ok(())
}

impl Storage {
    /// Uploads local files and directories into folder `dest` (a directory keeps its name:
    /// `tree` → `dest/tree/...`). Every path is validated before anything is sent. Errors:
    /// [`Error::Partial`] when some files failed (the others are uploaded), or the first error
    /// when nothing could start.
    pub async fn upload(
        &self,
        sources: &[PathBuf],
        dest: &RelPath,
        progress: Option<ProgressFn>,
    ) -> Result<UploadReport> {
        self.upload_with(sources, dest, progress.into()).await
    }

    /// [`Storage::upload`] with a pause switch and a conflict question ([`TransferHooks`]).
    /// Errors also: `transfer.conflict`, `transfer.cancelled` (policy `ask`).
    pub async fn upload_with(&self, sources: &[PathBuf], dest: &RelPath, hooks: TransferHooks) -> Result<UploadReport> {
        let dest = dest.as_folder();
        let mut jobs = Vec::new();
        let mut folders = Vec::new();
        for src in sources {
            let meta = std::fs::metadata(src).map_err(|e| Error::io(format!("reading {}", src.display()), e))?;
            let name = name_of(src)?;
            if meta.is_dir() {
                walk(src, &dest.join(&format!("{name}/"))?, &mut jobs, &mut folders)?;
            } else {
                jobs.push(Job {
                    local: src.clone(),
                    remote: dest.join(&name)?,
                    size: meta.len(),
                    replace: false,
                });
            }
        }
        let mut report = UploadReport::default();
        self.resolve_conflicts(&dest, &mut jobs, &mut report.skipped, &hooks)
            .await?;
        for f in folders {
            self.client.put_object(&self.key(&f), BodySource::Empty).await?;
            report.uploaded.push(f);
        }
        self.upload_jobs(jobs, Vec::new(), report, &hooks).await
    }

    /// Uploads again the failed files of an earlier upload ([`Error::Partial`]'s
    /// [`UploadItem`]s), each to the target it had: a multipart upload a transient failure
    /// paused continues with its `UploadId` (only the parts S3 lacks are sent, see
    /// [`super::multipart`]). The conflict policy applies as before to targets that exist now,
    /// except where replacing was already decided. Errors: as [`Storage::upload`] (a file gone
    /// or no longer a file is a failed item, `local.io`).
    pub async fn retry_upload(&self, items: &[UploadItem], hooks: TransferHooks) -> Result<UploadReport> {
        let mut jobs = Vec::new();
        let mut failures = Vec::new();
        for item in items {
            let reading = |e| Error::io(format!("reading {}", item.local.display()), e);
            match std::fs::metadata(&item.local) {
                Ok(meta) if meta.is_file() => jobs.push(Job {
                    local: item.local.clone(),
                    remote: item.remote.clone(),
                    size: meta.len(),
                    replace: item.replace,
                }),
                Ok(_) => failures.push(FailedItem {
                    item: BatchItem::Upload(item.clone()),
                    error: reading(std::io::Error::other("no longer a file")),
                }),
                Err(e) => failures.push(FailedItem {
                    item: BatchItem::Upload(item.clone()),
                    error: reading(e),
                }),
            }
        }
        let mut report = UploadReport::default();
        self.resolve_retried_conflicts(&mut jobs, &mut report.skipped, &hooks)
            .await?;
        self.upload_jobs(jobs, failures, report, &hooks).await
    }

    /// Uploads `jobs` (`file_concurrency` at once) into `report`; `failures`: items that failed
    /// before. Errors: [`Error::Partial`], or the one item's error in a batch of one.
    async fn upload_jobs(
        &self,
        jobs: Vec<Job>,
        mut failures: Vec<FailedItem>,
        mut report: UploadReport,
        hooks: &TransferHooks,
    ) -> Result<UploadReport> {
        let tracker = Arc::new(Tracker::new(
            hooks,
            jobs.len() as u64,
            jobs.iter().map(|j| j.size).sum(),
        ));
        let total = jobs.len() + failures.len();
        let results: Vec<(Job, Result<u64>)> = futures::stream::iter(jobs)
            .map(|job| {
                let tracker = tracker.clone();
                async move {
                    tracker.running().await;
                    let r = self.upload_file(&job.local, &job.remote, job.size, &tracker).await;
                    tracker.file_done();
                    (job, r)
                }
            })
            .buffer_unordered(self.options.file_concurrency.max(1))
            .collect()
            .await;
        for (job, r) in results {
            match r {
                Ok(resumed) => {
                    report.bytes += job.size;
                    report.resumed_bytes += resumed;
                    report.uploaded.push(job.remote);
                }
                Err(error) => failures.push(FailedItem {
                    item: BatchItem::Upload(job.item()),
                    error,
                }),
            }
        }
        report.uploaded.sort();
        batch_result(report, failures, total)
    }

    /// Uploads one file to `remote`; returns the bytes that an earlier, interrupted run had
    /// already sent (resumed multipart upload), else 0.
    pub(crate) async fn upload_file(
        &self,
        local: &Path,
        remote: &RelPath,
        size: u64,
        tracker: &Tracker,
    ) -> Result<u64> {
        // A file that cannot be read fails as a local error before anything is sent (and before
        // a multipart upload is created for it).
        std::fs::File::open(local).map_err(|e| Error::io(format!("reading {}", local.display()), e))?;
        let key = self.key(remote);
        if size < self.options.multipart_threshold.max(MIN_PART) {
            let body = BodySource::File {
                path: local.to_path_buf(),
                offset: 0,
                length: size,
            };
            self.client.put_object(&key, body).await?;
            tracker.add_bytes(size);
            return Ok(0);
        }
        let part_size = part_size_for(size, self.options.part_size).min(MAX_PART);
        self.upload_multipart(local, &key, size, part_size, tracker).await
    }
}

#[cfg(test)]
mod tests {
    use super::part_size_for;

    #[test]
    fn part_sizes_respect_s3_limits() {
        let mib = 1024 * 1024;
        assert_eq!(part_size_for(100 * mib, 8 * mib), 8 * mib);
        assert_eq!(part_size_for(100 * mib, mib), 5 * mib);
        let huge = 200 * 1024 * mib; // 200 GiB
        let p = part_size_for(huge, 8 * mib);
        assert!(huge.div_ceil(p) <= 10_000 && p.is_multiple_of(mib), "{p}");
    }
}
