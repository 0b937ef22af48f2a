//! Downloads of files and folders. Each object is written into a temporary file in its target
//! directory — large ones as concurrent ranged GETs at their offsets — hashed (CRC64NVME) as it
//! is written, and renamed into place only when complete and matching the stored checksum, so an
//! interrupted or corrupted download never leaves a file under the real name. Local names come
//! from [`crate::paths::local_path_for`]'s rules, so no key names a path outside the chosen directory, and
//! every file-system step goes through [`crate::localfs`], so no link leads outside it; where
//! each object lands (conflicts, names colliding within the batch) is decided in [`plan`].

mod plan;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::{StreamExt, TryStreamExt};

use self::plan::{split, Job, Names, OnTaken, Wanted};
use super::list::Entry;
use super::upload::batch_result;
use super::writeback;
use super::Storage;
use crate::checksum::{self, Crc64};
use crate::error::{Error, Result};
use crate::localfs::race::{self, Point};
use crate::localfs::{DestDir, OffsetWriter, Persisted};
use crate::paths::{LocalName, RelPath};
use crate::progress::{ProgressFn, Tracker, TransferHooks};

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

/// Writes are gathered into blocks of this many bytes: every positioned write is a trip to the
/// blocking pool, too costly for each small network chunk.
const WRITE_BUFFER: usize = 1024 * 1024;

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
                    rel: name.rel,
                    mapped: name.mapped,
                    key,
                    size,
                });
                continue;
            }
            // A missing file or folder is an error, not an empty "done" (the prefix root always
            // exists).
            if !remote.as_str().is_empty() && !self.folder_exists(remote).await? {
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
                match (&entry, LocalName::for_key(&rel_local, &key)) {
                    (_, Err(e)) => failures.push(e),
                    (Entry::Folder { .. }, Ok(name)) => folders.push(name.rel),
                    (Entry::File { size, .. }, Ok(name)) => wanted.push(Wanted {
                        rel: name.rel,
                        mapped: name.mapped,
                        key,
                        size: *size,
                    }),
                }
            }
        }
        let root = DestDir::open(dir)?;
        for f in &folders {
            if let Err(e) = root.folder(f, true) {
                failures.push(e);
            }
        }
        let names = Names::default();
        let placed = plan::place(
            &root,
            &names,
            wanted,
            self.options.if_exists,
            hooks.on_conflict.as_ref(),
        )
        .await?;
        failures.extend(placed.failures);
        let mut report = DownloadReport {
            skipped: placed.skipped,
            ..DownloadReport::default()
        };
        let jobs = placed.jobs;
        let total = jobs.len() + failures.len();
        let tracker = Arc::new(Tracker::new(
            &hooks,
            jobs.len() as u64,
            jobs.iter().map(|j| j.size).sum(),
        ));
        let (root, names) = (&root, &names);
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
                Err(e) => failures.push(e),
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

    /// One GET — the whole object (`range` None) or a byte range — streamed into the temporary
    /// file at the range's offset (positioned writes through the file's one handle), hashed as it goes. A connection failure
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
            file,
            path: temp_path,
            tracker,
            written,
        } = *sink;
        let io = |e| Error::io(format!("writing {}", temp_path.display()), e);
        let offset = range.as_ref().map_or(0, |r| r.start);
        let mut out = OffsetWriter::new(file.clone(), offset, WRITE_BUFFER);
        let mut obj = self.client.get_object(key, range.clone(), if_match).await?;
        let want = range.as_ref().map_or(obj.content_length, |r| r.end - r.start);
        let mut crc = Crc64::default();
        let (mut got, mut synced) = (0u64, 0u64);
        while let Some(chunk) = obj.body.next().await {
            let chunk = chunk?;
            out.write(&chunk).await.map_err(io)?;
            crc.update(&chunk);
            got += chunk.len() as u64;
            counted.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            written.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            tracker.add_bytes(chunk.len() as u64);
            if got - synced >= writeback::WRITEBACK_EVERY {
                out.flush().await.map_err(io)?;
                writeback::start(out.file(), offset + synced, got - synced);
                synced = got;
            }
        }
        out.flush().await.map_err(io)?;
        writeback::start(out.file(), offset + synced, got - synced);
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
    async fn get_ranges(&self, key: &str, sink: &Sink<'_>) -> Result<(u64, Option<String>)> {
        let temp_path = sink.path;
        let head = self.client.head_object(key).await?;
        let size = head.size;
        sink.file
            .set_len(size)
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

/// Where a download's pieces go: the temporary file (its one handle, and its path for messages),
/// the batch's progress, and the bytes written into this file so far (taken back from the
/// progress if the download fails).
#[derive(Clone, Copy)]
struct Sink<'a> {
    file: &'a Arc<std::fs::File>,
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
