//! Downloads of files and folders. Each object is written into a temporary file in its target
//! directory — large ones as concurrent ranged GETs at their offsets — hashed (CRC64NVME) as it
//! is written, and renamed into place only when complete and matching the stored checksum, so an
//! interrupted or corrupted download never leaves a file under the real name. Local paths come
//! from [`local_path_for`], so no key can write outside the chosen directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::io::SeekFrom;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::{StreamExt, TryStreamExt};
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

use super::conflict::{self, ConflictPolicy};
use super::list::Entry;
use super::upload::batch_result;
use super::Storage;
use crate::checksum::{self, Crc64};
use crate::error::{Error, Result};
use crate::paths::{local_path_for, RelPath};
use crate::progress::{ProgressFn, Tracker};

/// Objects from this size (and the multipart threshold) are fetched as concurrent ranges.
const MIN_RANGE: u64 = 5 * 1024 * 1024;

fn short_body(key: &str, got: u64, want: u64) -> Error {
    crate::s3::S3Error::new(
        crate::s3::S3ErrorKind::Network,
        "GetObject",
        key,
        format!("body ended after {got} of {want} bytes"),
    )
    .into()
}

/// Writes are gathered into blocks of this many bytes: every write to a Tokio file is a trip to
/// the blocking pool, too costly for each small network chunk.
const WRITE_BUFFER: usize = 1024 * 1024;

/// What a download did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DownloadReport {
    /// Local files written.
    pub files: Vec<PathBuf>,
    /// Bytes written.
    pub bytes: u64,
    /// Local files left alone because they existed ([`ConflictPolicy::Skip`]).
    pub skipped: Vec<PathBuf>,
}

struct Job {
    key: String,
    local: PathBuf,
    size: u64,
}

impl Storage {
    /// Downloads `remotes` into `dir`. A file lands as `dir/<name>`; a folder (only with
    /// `recursive`) as `dir/<folder name>/...`. Objects whose keys cannot be saved safely are
    /// skipped and reported. Errors: `s3.not_found`, `path.invalid` (a folder without
    /// `recursive`), or [`Error::Partial`] listing what failed while the rest was saved.
    pub async fn download(
        &self,
        remotes: &[RelPath],
        dir: &Path,
        recursive: bool,
        progress: Option<ProgressFn>,
    ) -> Result<DownloadReport> {
        let mut jobs = Vec::new();
        let mut failures = Vec::new();
        let mut folders = Vec::new();
        for remote in remotes {
            if let Some(Entry::File { size, .. }) = self.stat(remote).await? {
                let key = self.key(remote);
                jobs.push(Job {
                    local: local_path_for(dir, remote.name(), &key)?,
                    key,
                    size,
                });
                continue;
            }
            if !remote.is_folder() && !self.folder_exists(remote).await? {
                return Err(crate::s3::S3Error::new(
                    crate::s3::S3ErrorKind::NotFound,
                    "HeadObject",
                    self.key(remote),
                    "no such file or folder",
                )
                .into());
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
                match (&entry, local_path_for(dir, &rel_local, &key)) {
                    (_, Err(e)) => failures.push(e),
                    (Entry::Folder { .. }, Ok(p)) => folders.push(p),
                    (Entry::File { size, .. }, Ok(local)) => jobs.push(Job {
                        key,
                        local,
                        size: *size,
                    }),
                }
            }
        }
        for f in &folders {
            tokio::fs::create_dir_all(f)
                .await
                .map_err(|e| Error::io(format!("creating {}", f.display()), e))?;
        }
        let mut report = DownloadReport::default();
        let mut chosen = std::collections::HashSet::new();
        let mut kept = Vec::with_capacity(jobs.len());
        for mut job in jobs {
            if job.local.exists() || chosen.contains(&job.local) {
                match self.options.if_exists {
                    ConflictPolicy::Overwrite => {}
                    ConflictPolicy::Skip => {
                        report.skipped.push(job.local);
                        continue;
                    }
                    ConflictPolicy::Rename => {
                        let name = job
                            .local
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        let dir = job.local.parent().map(Path::to_path_buf).unwrap_or_default();
                        let free = conflict::first_free(&name, |c| {
                            let p = dir.join(c);
                            p.exists() || chosen.contains(&p)
                        });
                        job.local = dir.join(free);
                    }
                }
            }
            chosen.insert(job.local.clone());
            kept.push(job);
        }
        let jobs = kept;
        let total = jobs.len() + failures.len();
        let tracker = Arc::new(Tracker::new(
            progress,
            jobs.len() as u64,
            jobs.iter().map(|j| j.size).sum(),
        ));
        let results: Vec<(Job, Result<u64>)> = futures::stream::iter(jobs)
            .map(|job| {
                let tracker = tracker.clone();
                async move {
                    let r = self.download_object(&job.key, &job.local, job.size, &tracker).await;
                    tracker.file_done();
                    (job, r)
                }
            })
            .buffer_unordered(self.options.file_concurrency.max(1))
            .collect()
            .await;
        for (job, r) in results {
            match r {
                Ok(n) => {
                    report.bytes += n;
                    report.files.push(job.local);
                }
                Err(e) => failures.push(e),
            }
        }
        report.files.sort();
        batch_result(report, failures, total)
    }

    /// Downloads one object to `local` through a temporary file in the same directory: one
    /// streamed GET below the multipart threshold, else concurrent ranged GETs written at their
    /// offsets. The bytes are hashed as they are written and compared with the object's stored
    /// CRC64NVME (when S3 has one); the file is renamed into place only when complete and
    /// matching. Errors: S3 errors, [`Error::ChecksumMismatch`], `local.io`.
    async fn download_object(&self, key: &str, local: &Path, size: u64, tracker: &Tracker) -> Result<u64> {
        let parent = local.parent().expect("local paths have a parent").to_path_buf();
        tokio::fs::create_dir_all(&parent)
            .await
            .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
        let temp = tempfile::Builder::new()
            .prefix(".kura-")
            .suffix(".part")
            .tempfile_in(&parent)
            .map_err(|e| Error::io(format!("creating a temporary file in {}", parent.display()), e))?;
        let (std_file, temp_path) = temp.into_parts();
        let written = AtomicU64::new(0);
        let ranged = size >= self.options.multipart_threshold.max(MIN_RANGE);
        let result = if ranged {
            self.get_ranges(key, &std_file, &temp_path, tracker, &written).await
        } else {
            self.get_whole(key, &std_file, &temp_path, tracker, &written).await
        };
        let result = result.and_then(|(crc, expected)| {
            std_file
                .sync_all()
                .map_err(|e| Error::io(format!("syncing {}", temp_path.display()), e))?;
            match expected {
                Some(expected) if checksum::decode(&expected) != Some(crc) => Err(Error::ChecksumMismatch {
                    key: key.to_string(),
                    expected,
                    actual: checksum::encode(crc),
                }),
                _ => Ok(()),
            }
        });
        drop(std_file);
        match result {
            Ok(()) => {
                temp_path
                    .persist(local)
                    .map_err(|e| Error::io(format!("moving the download into {}", local.display()), e.error))?;
                Ok(written.into_inner())
            }
            Err(e) => {
                tracker.sub_bytes(written.into_inner());
                Err(e) // dropping temp_path deletes the partial file
            }
        }
    }

    /// One streamed GET into `file`; returns (CRC64NVME of the bytes, stored checksum).
    async fn get_whole(
        &self,
        key: &str,
        file: &std::fs::File,
        temp_path: &Path,
        tracker: &Tracker,
        written: &AtomicU64,
    ) -> Result<(u64, Option<String>)> {
        let handle = file
            .try_clone()
            .map_err(|e| Error::io(format!("opening {}", temp_path.display()), e))?;
        let mut out = tokio::io::BufWriter::with_capacity(WRITE_BUFFER, tokio::fs::File::from_std(handle));
        let mut obj = self.client.get_object(key, None).await?;
        let mut crc = Crc64::default();
        while let Some(chunk) = obj.body.next().await {
            let chunk = chunk?;
            out.write_all(&chunk)
                .await
                .map_err(|e| Error::io(format!("writing {}", temp_path.display()), e))?;
            crc.update(&chunk);
            written.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            tracker.add_bytes(chunk.len() as u64);
        }
        out.flush()
            .await
            .map_err(|e| Error::io(format!("writing {}", temp_path.display()), e))?;
        let (crc, len) = crc.finish();
        if len != obj.content_length {
            return Err(short_body(key, len, obj.content_length));
        }
        Ok((crc, obj.checksum_crc64nvme))
    }

    /// Concurrent ranged GETs (`part_size` each, `part_concurrency` at once), each written at its
    /// offset through its own file handle; returns (CRC64NVME of the whole, stored checksum from
    /// HeadObject).
    async fn get_ranges(
        &self,
        key: &str,
        file: &std::fs::File,
        temp_path: &Path,
        tracker: &Tracker,
        written: &AtomicU64,
    ) -> Result<(u64, Option<String>)> {
        let head = self.client.head_object(key).await?;
        let size = head.size;
        file.set_len(size)
            .map_err(|e| Error::io(format!("sizing {}", temp_path.display()), e))?;
        let part = self.options.part_size.max(MIN_RANGE);
        let ranges: Vec<Range<u64>> = (0..size.div_ceil(part))
            .map(|i| i * part..((i + 1) * part).min(size))
            .collect();
        let mut pieces: Vec<(usize, (u64, u64))> = futures::stream::iter(ranges.into_iter().enumerate())
            .map(|(i, range)| async move {
                let io = |e| Error::io(format!("writing {}", temp_path.display()), e);
                let mut file = tokio::fs::OpenOptions::new()
                    .write(true)
                    .open(temp_path)
                    .await
                    .map_err(io)?;
                file.seek(SeekFrom::Start(range.start)).await.map_err(io)?;
                let mut out = tokio::io::BufWriter::with_capacity(WRITE_BUFFER, file);
                let mut obj = self.client.get_object(key, Some(range.clone())).await?;
                let mut crc = Crc64::default();
                while let Some(chunk) = obj.body.next().await {
                    let chunk = chunk?;
                    out.write_all(&chunk).await.map_err(io)?;
                    crc.update(&chunk);
                    written.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                    tracker.add_bytes(chunk.len() as u64);
                }
                out.flush().await.map_err(io)?;
                let (sum, len) = crc.finish();
                if len != range.end - range.start {
                    return Err(short_body(key, len, range.end - range.start));
                }
                Ok::<_, Error>((i, (sum, len)))
            })
            .buffer_unordered(self.options.part_concurrency.max(1))
            .try_collect()
            .await?;
        pieces.sort_by_key(|(i, _)| *i);
        Ok((
            checksum::combine(pieces.into_iter().map(|(_, p)| p)),
            head.checksum_crc64nvme,
        ))
    }
}
