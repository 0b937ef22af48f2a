//! Uploads of files and directories, streamed from disk: PutObject below the multipart
//! threshold, else CreateMultipartUpload + concurrent UploadPart + CompleteMultipartUpload
//! (aborted on failure so no parts are left behind). Part size is raised so a file never needs
//! more than 10,000 parts (S3 limits: 5 MiB–5 GiB per part).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};

use super::conflict::{self, ConflictPolicy};
use super::Storage;
use crate::error::{Error, Result};
use crate::paths::RelPath;
use crate::progress::{Conflict, ProgressFn, Tracker, TransferHooks};
use crate::s3::BodySource;

pub(crate) const MIN_PART: u64 = 5 * 1024 * 1024;
const MAX_PART: u64 = 5 * 1024 * 1024 * 1024;
const MAX_PARTS: u64 = 10_000;
/// Above this many top-level files, conflicts are found with one listing of the destination
/// folder instead of a HeadObject per file.
const MAX_HEADS: usize = 64;

/// What an upload did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadReport {
    /// Paths created (files and empty-folder markers).
    pub uploaded: Vec<RelPath>,
    /// Bytes of the uploaded files.
    pub bytes: u64,
    /// Of those, bytes an earlier interrupted run had already sent (resumed uploads).
    pub resumed_bytes: u64,
    /// Paths left alone because they existed ([`ConflictPolicy::Skip`]).
    pub skipped: Vec<RelPath>,
}

struct Job {
    local: PathBuf,
    remote: RelPath,
    size: u64,
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
                });
            }
        }
        let mut report = UploadReport::default();
        self.resolve_conflicts(&dest, &mut jobs, &mut report.skipped, &hooks)
            .await?;
        let tracker = Arc::new(Tracker::new(
            &hooks,
            jobs.len() as u64,
            jobs.iter().map(|j| j.size).sum(),
        ));
        for f in folders {
            self.client.put_object(&self.key(&f), BodySource::Empty).await?;
            report.uploaded.push(f);
        }
        let total = jobs.len();
        let results: Vec<(RelPath, u64, Result<u64>)> = futures::stream::iter(jobs)
            .map(|job| {
                let tracker = tracker.clone();
                async move {
                    tracker.running().await;
                    let r = self.upload_file(&job.local, &job.remote, job.size, &tracker).await;
                    tracker.file_done();
                    (job.remote, job.size, r)
                }
            })
            .buffer_unordered(self.options.file_concurrency.max(1))
            .collect()
            .await;
        let mut failures = Vec::new();
        for (remote, size, r) in results {
            match r {
                Ok(resumed) => {
                    report.bytes += size;
                    report.resumed_bytes += resumed;
                    report.uploaded.push(remote);
                }
                Err(e) => failures.push(e),
            }
        }
        report.uploaded.sort();
        batch_result(report, failures, total)
    }

    /// Applies the conflict policy to jobs whose key already exists below `dest` (`ask` asks
    /// once for all of them): skipped ones move to `skipped`, renamed ones get the first free
    /// `name (n).ext`. Only what the batch writes is looked up — HeadObject for top-level files
    /// (concurrently; one non-recursive listing of `dest` when there are many), a recursive
    /// listing for top-level folders — never the whole destination tree.
    async fn resolve_conflicts(
        &self,
        dest: &RelPath,
        jobs: &mut Vec<Job>,
        skipped: &mut Vec<RelPath>,
        hooks: &TransferHooks,
    ) -> Result<()> {
        if self.options.if_exists == ConflictPolicy::Overwrite || jobs.is_empty() {
            return Ok(());
        }
        let mut existing: HashSet<String> = HashSet::new();
        let tops: std::collections::BTreeSet<String> = jobs
            .iter()
            .map(|j| {
                let below = &j.remote.as_str()[dest.as_str().len()..];
                match below.find('/') {
                    Some(i) => below[..=i].to_string(),
                    None => below.to_string(),
                }
            })
            .collect();
        let (folders, files): (Vec<String>, Vec<String>) = tops.into_iter().partition(|t| t.ends_with('/'));
        for top in folders {
            let path = dest.join(&top)?;
            existing.extend(
                self.list(&path, true)
                    .await?
                    .into_iter()
                    .map(|e| e.path().as_str().to_string()),
            );
        }
        if files.len() > MAX_HEADS {
            // Many loose files: one listing of the destination beats a HeadObject each.
            existing.extend(
                self.list(dest, false)
                    .await?
                    .into_iter()
                    .map(|e| e.path().as_str().to_string()),
            );
        } else {
            let found: Vec<Option<String>> = futures::stream::iter(files)
                .map(|top| async move {
                    let path = dest.join(&top)?;
                    Ok::<_, Error>(self.stat(&path).await?.map(|_| path.as_str().to_string()))
                })
                .buffer_unordered(self.options.file_concurrency.max(1))
                .try_collect()
                .await?;
            existing.extend(found.into_iter().flatten());
        }
        let conflicts: Vec<Conflict> = jobs
            .iter()
            .filter(|j| existing.contains(j.remote.as_str()))
            .map(|j| Conflict {
                target: j.remote.as_str().to_string(),
            })
            .collect();
        let mut decisions = conflict::decide(self.options.if_exists, conflicts, hooks.on_conflict.as_ref())
            .await?
            .into_iter();
        let existed: Vec<bool> = jobs.iter().map(|j| existing.contains(j.remote.as_str())).collect();
        let mut kept = Vec::with_capacity(jobs.len());
        for (mut job, existed) in jobs.drain(..).zip(existed) {
            if existing.contains(job.remote.as_str()) {
                // A name taken by an earlier renamed job in this batch (no decision): keep both.
                let decision = if existed { decisions.next() } else { None };
                match decision.unwrap_or(ConflictPolicy::Rename) {
                    ConflictPolicy::Overwrite => {}
                    ConflictPolicy::Skip | ConflictPolicy::Ask => {
                        skipped.push(job.remote);
                        continue;
                    }
                    ConflictPolicy::Rename => job.remote = self.free_name(&job.remote, &mut existing).await?,
                }
            }
            existing.insert(job.remote.as_str().to_string());
            kept.push(job);
        }
        *jobs = kept;
        Ok(())
    }

    /// The first `name (n).ext` next to `taken` that is neither in `known` nor on S3 (checked
    /// with HeadObject, since siblings were not listed).
    async fn free_name(&self, taken: &RelPath, known: &mut HashSet<String>) -> Result<RelPath> {
        let name = taken.name().to_string();
        let folder = &taken.as_str()[..taken.as_str().len() - name.len()];
        for n in 1.. {
            let candidate = RelPath::parse(&format!("{folder}{}", conflict::numbered(&name, n)))?;
            if known.contains(candidate.as_str()) {
                continue;
            }
            if self.stat(&candidate).await?.is_some() {
                known.insert(candidate.as_str().to_string());
                continue;
            }
            return Ok(candidate);
        }
        unreachable!("some name is free")
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

/// Turns per-item failures into [`Error::Partial`] (or the single error when all failed alone).
pub(crate) fn batch_result<T>(ok: T, mut failures: Vec<Error>, total: usize) -> Result<T> {
    match failures.len() {
        0 => Ok(ok),
        1 if total == 1 => Err(failures.remove(0)),
        n => Err(Error::Partial {
            failed: n,
            total,
            first: Box::new(failures.remove(0)),
        }),
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
