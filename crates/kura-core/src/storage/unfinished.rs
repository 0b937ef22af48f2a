//! Uploads an earlier run left unfinished (crash, kill, power loss), from the upload journal:
//! listed so the user can resume them (only the parts S3 lacks are sent, see
//! [`super::multipart`]) or discard them (AbortMultipartUpload, so no parts stay billed).

use std::path::PathBuf;
use std::sync::Arc;

use super::journal::source_stamp;
use super::upload::UploadReport;
use super::Storage;
use crate::error::Result;
use crate::paths::RelPath;
use crate::progress::{Tracker, TransferHooks};

/// One unfinished upload of this storage's bucket and prefix. Sizes in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnfinishedUpload {
    /// The local source file.
    pub local: PathBuf,
    /// Where it was going, relative to the prefix.
    pub remote: RelPath,
    /// The file's size when the upload began.
    pub size: u64,
    /// Bytes of the parts the journal recorded as sent.
    pub bytes_done: u64,
    /// Whether the source still exists unchanged (same size and modification time); a changed
    /// source is uploaded from the start when resumed, a missing one can only be discarded.
    pub source_unchanged: bool,
    /// The multipart `UploadId`.
    pub upload_id: String,
}

impl Storage {
    /// The unfinished uploads into this bucket and prefix, oldest path first.
    pub fn unfinished_uploads(&self) -> Vec<UnfinishedUpload> {
        let bucket = self.client.bucket();
        let mut out: Vec<UnfinishedUpload> = self
            .journal
            .entries()
            .into_iter()
            .filter(|e| e.bucket == bucket)
            .filter_map(|e| {
                let rel = self.prefix.strip(&e.key)?;
                let remote = RelPath::parse(rel).ok()?;
                let part_len = |n: i32| {
                    let start = (n.max(1) as u64 - 1) * e.part_size;
                    e.part_size.min(e.size.saturating_sub(start))
                };
                let bytes_done = e.parts.iter().map(|p| part_len(p.part_number)).sum();
                let source_unchanged = source_stamp(&e.local_path).is_ok_and(|s| s == (e.size, e.modified_ns));
                Some(UnfinishedUpload {
                    local: e.local_path,
                    remote,
                    size: e.size,
                    bytes_done,
                    source_unchanged,
                    upload_id: e.upload_id,
                })
            })
            .collect();
        out.sort_by(|a, b| a.remote.cmp(&b.remote));
        out
    }

    /// Resumes `upload`: the same source to the same key, sending only the parts S3 lacks (or all
    /// of it when the source changed). Errors: as [`Storage::upload`].
    pub async fn resume_upload(&self, upload: &UnfinishedUpload, hooks: TransferHooks) -> Result<UploadReport> {
        let size = std::fs::metadata(&upload.local)
            .map_err(|e| crate::Error::io(format!("reading {}", upload.local.display()), e))?
            .len();
        let tracker = Arc::new(Tracker::new(&hooks, 1, size));
        tracker.running().await;
        let resumed = self.upload_file(&upload.local, &upload.remote, size, &tracker).await?;
        tracker.file_done();
        let key = self.key(&upload.remote);
        if self.journal.find(self.client.bucket(), &key, &upload.local).is_some() {
            // Sent in one PutObject (the file shrank below the multipart threshold): the old
            // multipart upload is now only clutter.
            self.discard_upload(upload).await?;
        }
        Ok(UploadReport {
            uploaded: vec![upload.remote.clone()],
            bytes: size,
            resumed_bytes: resumed,
            skipped: Vec::new(),
        })
    }

    /// Discards `upload`: aborts its multipart upload (parts deleted) and forgets it. An upload
    /// S3 no longer knows is just forgotten. Errors: S3 errors other than `NoSuchUpload`.
    pub async fn discard_upload(&self, upload: &UnfinishedUpload) -> Result<()> {
        let key = self.key(&upload.remote);
        match self.client.abort_multipart_upload(&key, &upload.upload_id).await {
            Ok(()) => {}
            Err(e)
                if matches!(
                    e.kind,
                    crate::s3::S3ErrorKind::NoSuchUpload | crate::s3::S3ErrorKind::NotFound
                ) => {}
            Err(e) => return Err(e.into()),
        }
        self.journal.remove(self.client.bucket(), &key, &upload.local);
        Ok(())
    }
}
