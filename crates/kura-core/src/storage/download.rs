//! Downloads of files and folders. Each object is streamed into a temporary file in its target
//! directory and renamed into place only when complete and of the announced length, so an
//! interrupted download never leaves a half-written file under the real name. Local paths come
//! from [`local_path_for`], so no key can write outside the chosen directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures::StreamExt;
use tokio::io::AsyncWriteExt;

use super::list::Entry;
use super::upload::batch_result;
use super::Storage;
use crate::error::{Error, Result};
use crate::paths::{local_path_for, RelPath};
use crate::progress::{ProgressFn, Tracker};

/// What a download did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DownloadReport {
    /// Local files written.
    pub files: Vec<PathBuf>,
    /// Bytes written.
    pub bytes: u64,
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
                    let r = self.download_object(&job.key, &job.local, &tracker).await;
                    tracker.file_done();
                    (job, r)
                }
            })
            .buffer_unordered(self.options.file_concurrency.max(1))
            .collect()
            .await;
        let mut report = DownloadReport::default();
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

    /// Streams one object to `local` through a temporary file in the same directory.
    async fn download_object(&self, key: &str, local: &Path, tracker: &Tracker) -> Result<u64> {
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
        let mut file = tokio::fs::File::from_std(std_file);
        let mut written = 0u64;
        let result: Result<u64> = async {
            let mut obj = self.client.get_object(key).await?;
            while let Some(chunk) = obj.body.next().await {
                let chunk = chunk?;
                file.write_all(&chunk)
                    .await
                    .map_err(|e| Error::io(format!("writing {}", temp_path.display()), e))?;
                written += chunk.len() as u64;
                tracker.add_bytes(chunk.len() as u64);
            }
            file.flush()
                .await
                .map_err(|e| Error::io(format!("writing {}", temp_path.display()), e))?;
            file.sync_all()
                .await
                .map_err(|e| Error::io(format!("syncing {}", temp_path.display()), e))?;
            if written != obj.content_length {
                return Err(crate::s3::S3Error::new(
                    crate::s3::S3ErrorKind::Network,
                    "GetObject",
                    key,
                    format!("body ended after {written} of {} bytes", obj.content_length),
                )
                .into());
            }
            Ok(written)
        }
        .await;
        drop(file);
        match result {
            Ok(n) => {
                temp_path
                    .persist(local)
                    .map_err(|e| Error::io(format!("moving the download into {}", local.display()), e.error))?;
                Ok(n)
            }
            Err(e) => {
                tracker.sub_bytes(written);
                Err(e) // dropping temp_path deletes the partial file
            }
        }
    }
}
