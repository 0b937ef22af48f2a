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
use super::writeback;
use super::Storage;
use crate::checksum::{self, Crc64};
use crate::error::{Error, Result};
use crate::paths::{local_path_for, RelPath};
use crate::progress::{Conflict, ProgressFn, Tracker, TransferHooks};

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

/// Attempts per GET (whole object or range) when the connection fails mid-body or S3 answers a
/// transient error after the SDK's own retries; waits 0.5 s, 1 s, … between attempts.
const GET_ATTEMPTS: u32 = 4;

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
        let existed: Vec<bool> = jobs.iter().map(|j| j.local.exists()).collect();
        let conflicts: Vec<Conflict> = jobs
            .iter()
            .zip(&existed)
            .filter(|(_, e)| **e)
            .map(|(j, _)| Conflict {
                target: j.local.display().to_string(),
            })
            .collect();
        let mut decisions = conflict::decide(self.options.if_exists, conflicts, hooks.on_conflict.as_ref())
            .await?
            .into_iter();
        let mut kept = Vec::with_capacity(jobs.len());
        for (mut job, existed) in jobs.into_iter().zip(existed) {
            let duplicate = chosen.contains(&job.local);
            if existed || duplicate {
                let decision = if existed { decisions.next() } else { None };
                // Two objects mapping to one new local name: keep both.
                let decision = decision.unwrap_or(ConflictPolicy::Rename);
                match decision {
                    ConflictPolicy::Overwrite if !duplicate => {}
                    ConflictPolicy::Skip | ConflictPolicy::Ask => {
                        report.skipped.push(job.local);
                        continue;
                    }
                    ConflictPolicy::Rename | ConflictPolicy::Overwrite => {
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
            &hooks,
            jobs.len() as u64,
            jobs.iter().map(|j| j.size).sum(),
        ));
        let results: Vec<(Job, Result<u64>)> = futures::stream::iter(jobs)
            .map(|job| {
                let tracker = tracker.clone();
                async move {
                    tracker.running().await;
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
        crate::localfs::race::fire(crate::localfs::race::Point::TempCreated, &temp_path);
        let written = AtomicU64::new(0);
        let sink = Sink {
            path: &temp_path,
            tracker,
            written: &written,
        };
        let ranged = size >= self.options.multipart_threshold.max(MIN_RANGE);
        let result = if ranged {
            self.get_ranges(key, &std_file, &sink).await
        } else {
            self.get_piece(key, None, None, &sink)
                .await
                .map(|p| (p.crc, p.checksum))
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
                crate::localfs::race::fire(crate::localfs::race::Point::BeforeRename, local);
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

    /// One GET — the whole object (`range` None) or a byte range — streamed into the temporary
    /// file at the range's offset through its own handle, hashed as it goes. A connection failure
    /// mid-body or a transient S3 error retries the piece (up to [`GET_ATTEMPTS`], with backoff),
    /// taking back the bytes the failed attempt counted (in `tracker` and `written`). `if_match` pins the ETag so every range
    /// comes from the same object version.
    async fn get_piece(
        &self,
        key: &str,
        range: Option<Range<u64>>,
        if_match: Option<&str>,
        sink: &Sink<'_>,
    ) -> Result<Piece> {
        let Sink { tracker, written, .. } = *sink;
        let mut attempt = 1;
        loop {
            tracker.running().await;
            let counted = AtomicU64::new(0);
            match self.get_piece_once(key, range.clone(), if_match, sink, &counted).await {
                Ok(piece) => return Ok(piece),
                Err(e) => {
                    let counted = counted.into_inner();
                    tracker.sub_bytes(counted);
                    written.fetch_sub(counted, Ordering::Relaxed);
                    let transient = matches!(&e, Error::S3(s) if s.is_transient());
                    if !transient || attempt >= GET_ATTEMPTS {
                        return Err(e);
                    }
                    let wait = std::time::Duration::from_millis(500 << (attempt - 1));
                    tracing::warn!(
                        "{key}: {e}; retrying in {wait:?} (attempt {} of {GET_ATTEMPTS})",
                        attempt + 1
                    );
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
            }
        }
    }

    async fn get_piece_once(
        &self,
        key: &str,
        range: Option<Range<u64>>,
        if_match: Option<&str>,
        sink: &Sink<'_>,
        counted: &AtomicU64,
    ) -> Result<Piece> {
        let Sink {
            path: temp_path,
            tracker,
            written,
        } = *sink;
        let io = |e| Error::io(format!("writing {}", temp_path.display()), e);
        let offset = range.as_ref().map_or(0, |r| r.start);
        let mut file = tokio::fs::OpenOptions::new()
            .write(true)
            .open(temp_path)
            .await
            .map_err(io)?;
        file.seek(SeekFrom::Start(offset)).await.map_err(io)?;
        let mut out = tokio::io::BufWriter::with_capacity(WRITE_BUFFER, file);
        let mut obj = self.client.get_object(key, range.clone(), if_match).await?;
        let want = range.as_ref().map_or(obj.content_length, |r| r.end - r.start);
        let mut crc = Crc64::default();
        let (mut got, mut synced) = (0u64, 0u64);
        while let Some(chunk) = obj.body.next().await {
            let chunk = chunk?;
            out.write_all(&chunk).await.map_err(io)?;
            crc.update(&chunk);
            got += chunk.len() as u64;
            counted.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            written.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            tracker.add_bytes(chunk.len() as u64);
            if got - synced >= writeback::WRITEBACK_EVERY {
                out.flush().await.map_err(io)?;
                writeback::start(out.get_ref(), offset + synced, got - synced);
                synced = got;
            }
        }
        out.flush().await.map_err(io)?;
        writeback::start(out.get_ref(), offset + synced, got - synced);
        let (crc, len) = crc.finish();
        if len != want {
            return Err(short_body(key, len, want));
        }
        Ok(Piece {
            crc,
            len,
            checksum: obj.checksum_crc64nvme,
        })
    }

    /// Concurrent ranged GETs (`part_size` each, `part_concurrency` at once) pinned to the ETag
    /// HeadObject reported, each written at its offset; returns (CRC64NVME of the whole, stored
    /// checksum from HeadObject).
    async fn get_ranges(&self, key: &str, file: &std::fs::File, sink: &Sink<'_>) -> Result<(u64, Option<String>)> {
        let temp_path = sink.path;
        let head = self.client.head_object(key).await?;
        let size = head.size;
        file.set_len(size)
            .map_err(|e| Error::io(format!("sizing {}", temp_path.display()), e))?;
        let part = self.options.part_size.max(MIN_RANGE);
        let ranges: Vec<Range<u64>> = (0..size.div_ceil(part))
            .map(|i| i * part..((i + 1) * part).min(size))
            .collect();
        let etag = head.etag.as_deref();
        let mut pieces: Vec<(usize, Piece)> = futures::stream::iter(ranges.into_iter().enumerate())
            .map(|(i, range)| async move {
                let piece = self.get_piece(key, Some(range), etag, sink).await?;
                Ok::<_, Error>((i, piece))
            })
            .buffer_unordered(self.options.part_concurrency.max(1))
            .try_collect()
            .await?;
        pieces.sort_by_key(|(i, _)| *i);
        Ok((
            checksum::combine(pieces.into_iter().map(|(_, p)| (p.crc, p.len))),
            head.checksum_crc64nvme,
        ))
    }
}

/// Where a download's pieces go: the temporary file, the batch's progress, and the bytes written
/// into this file so far (taken back from the progress if the download fails).
#[derive(Clone, Copy)]
struct Sink<'a> {
    path: &'a Path,
    tracker: &'a Tracker,
    written: &'a AtomicU64,
}

/// A downloaded piece: its CRC64NVME and length, and the stored full-object checksum a whole
/// GET returned.
struct Piece {
    crc: u64,
    len: u64,
    checksum: Option<String>,
}
