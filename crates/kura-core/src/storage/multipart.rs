//! Multipart uploads: CreateMultipartUpload (CRC64NVME, full-object) → concurrent UploadPart →
//! CompleteMultipartUpload with the combined checksum. Each finished part is journaled
//! ([`super::journal`]), so a run killed half-way resumes: the same file (same size and
//! modification time) to the same key continues the recorded `UploadId`, asking ListParts which
//! parts S3 already has and sending only the others. A changed source file starts over (its old
//! upload is aborted). Cancelling (dropping the future) or a failure that trying again cannot
//! fix (access denied, the file changed, a checksum refused) aborts the upload. A transient
//! failure ([`Error::is_transient`]: S3, STS or the IdP unreachable or failing past the retries)
//! pauses it instead: the sent parts and the journal stay, and the next upload of the same file
//! resumes. An upload whose abort fails stays journaled too, so it can be discarded later: no
//! parts are left behind that the journal does not know.

use std::path::Path;
use std::sync::{Arc, Mutex};

use futures::{StreamExt, TryStreamExt};

use super::journal::{source_stamp, Journal, JournalEntry, JournalPart};
use super::Storage;
use crate::error::{Error, Result};
use crate::progress::Tracker;
use crate::s3::{BodySource, ObjectClient, S3ErrorKind, UploadedPart};

/// Where an upload starts from.
struct Start {
    upload_id: String,
    part_size: u64,
    done: Vec<UploadedPart>,
}

impl Storage {
    /// Uploads `local` (`size` bytes) to `key` in parts of `part_size` (a resumed upload keeps
    /// its recorded part size). Returns the bytes a previous run had already sent.
    pub(crate) async fn upload_multipart(
        &self,
        local: &Path,
        key: &str,
        size: u64,
        part_size: u64,
        tracker: &Tracker,
    ) -> Result<u64> {
        let stamp = source_stamp(local)?;
        let start = self.start_upload(local, key, size, stamp, part_size).await?;
        let Start {
            upload_id,
            part_size,
            done,
        } = start;
        let bucket = self.client.bucket().to_string();
        let mut guard = AbortGuard {
            client: self.client.clone(),
            journal: Some((self.journal.clone(), bucket.clone(), local.to_path_buf())),
            key: key.to_string(),
            upload_id: upload_id.clone(),
            armed: true,
        };
        let count = size.div_ceil(part_size);
        let part_len = |n: u64| part_size.min(size - (n - 1) * part_size);
        let resumed: u64 = done.iter().map(|p| part_len(p.part_number as u64)).sum();
        tracker.add_bytes(resumed);
        let mut entry = Journal::new_entry(&bucket, key, &upload_id, local, stamp, part_size);
        entry.parts = done
            .iter()
            .map(|p| JournalPart {
                part_number: p.part_number,
                etag: p.etag.clone(),
                checksum_crc64nvme: p.checksum_crc64nvme.clone(),
            })
            .collect();
        let entry = Mutex::new(entry);
        let have: std::collections::BTreeSet<i32> = done.iter().map(|p| p.part_number).collect();
        let missing: Vec<u64> = (1..=count).filter(|n| !have.contains(&(*n as i32))).collect();
        let sent = futures::stream::iter(missing)
            .map(|n| {
                let length = part_len(n);
                let body = BodySource::File {
                    path: local.to_path_buf(),
                    offset: (n - 1) * part_size,
                    length,
                };
                let (upload_id, entry) = (&upload_id, &entry);
                async move {
                    tracker.running().await;
                    let part = self.client.upload_part(key, upload_id, n as i32, body).await?;
                    tracker.add_bytes(length);
                    let mut e = entry.lock().unwrap();
                    e.parts.push(JournalPart {
                        part_number: part.part_number,
                        etag: part.etag.clone(),
                        checksum_crc64nvme: part.checksum_crc64nvme.clone(),
                    });
                    if let Err(err) = self.journal.save(&e) {
                        tracing::warn!("upload journal not updated (resume will re-send this part): {err}");
                    }
                    Ok::<UploadedPart, Error>(part)
                }
            })
            .buffer_unordered(self.options.part_concurrency.max(1))
            .try_collect::<Vec<_>>()
            .await;
        let result = match sent {
            Ok(sent) => {
                let mut parts = done;
                parts.extend(sent);
                parts.sort_by_key(|p| p.part_number);
                if source_stamp(local)? != stamp {
                    Err(Error::io(
                        format!("uploading {}", local.display()),
                        std::io::Error::other("the file changed while it was being uploaded; upload it again"),
                    ))
                } else {
                    let full = full_object_checksum(&parts, part_size, size);
                    self.client
                        .complete_multipart_upload(key, &upload_id, &parts, full.as_deref())
                        .await
                        .map_err(Error::from)
                }
            }
            Err(e) => Err(e),
        };
        guard.armed = false;
        match result {
            Ok(()) => {
                self.journal.remove(&bucket, key, local);
                Ok(resumed)
            }
            Err(e) if e.is_transient() => {
                // S3, STS or the IdP is unreachable or failing past the retries: the upload is
                // paused, not lost. The journal (saved after every part) keeps it, so the next
                // upload of the file (or `unfinished_uploads`) resumes it.
                let sent = entry.lock().unwrap().parts.len();
                tracing::warn!("upload of {key} stopped; its {sent} sent part(s) are kept for resuming");
                Err(e)
            }
            Err(e) => {
                match self.client.abort_multipart_upload(key, &upload_id).await {
                    Ok(()) => self.journal.remove(&bucket, key, local),
                    // Still journaled, so it is listed as unfinished and can be discarded later
                    // instead of staying on S3 unknown to anyone.
                    Err(abort) => tracing::warn!("could not abort the multipart upload of {key}: {abort}"),
                }
                Err(e)
            }
        }
    }

    /// Continues a journaled upload of the same unchanged file, or creates a new one.
    async fn start_upload(
        &self,
        local: &Path,
        key: &str,
        size: u64,
        stamp: (u64, u128),
        part_size: u64,
    ) -> Result<Start> {
        let bucket = self.client.bucket().to_string();
        if let Some(old) = self.journal.find(&bucket, key, local) {
            if (old.size, old.modified_ns) == stamp && old.size == size && old.part_size >= super::upload::MIN_PART {
                match self.client.list_parts(key, &old.upload_id).await {
                    Ok(listed) => return Ok(resume_from(old, listed, size)),
                    Err(e) if matches!(e.kind, S3ErrorKind::NoSuchUpload | S3ErrorKind::NotFound) => {
                        tracing::info!("the recorded upload of {key} is gone; starting over");
                    }
                    Err(e) => return Err(e.into()),
                }
            } else {
                tracing::info!(
                    "{} changed since its interrupted upload; starting over",
                    local.display()
                );
                if let Err(e) = self.client.abort_multipart_upload(key, &old.upload_id).await {
                    tracing::debug!("aborting the stale upload of {key}: {e}");
                }
            }
            self.journal.remove(&bucket, key, local);
        }
        let upload_id = self.client.create_multipart_upload(key).await?;
        self.journal
            .save(&Journal::new_entry(&bucket, key, &upload_id, local, stamp, part_size))?;
        Ok(Start {
            upload_id,
            part_size,
            done: Vec::new(),
        })
    }
}

/// The parts S3 still has that fit the recorded layout, with checksums from ListParts or, when
/// it does not return them, from the journal (same part number and ETag).
fn resume_from(old: JournalEntry, listed: Vec<crate::s3::ListedPart>, size: u64) -> Start {
    let count = size.div_ceil(old.part_size);
    let expected = |n: u64| old.part_size.min(size - (n - 1) * old.part_size);
    let done = listed
        .into_iter()
        .filter(|p| p.part_number >= 1 && (p.part_number as u64) <= count && p.size == expected(p.part_number as u64))
        .map(|p| {
            let journaled = old
                .parts
                .iter()
                .find(|j| j.part_number == p.part_number && j.etag == p.etag)
                .and_then(|j| j.checksum_crc64nvme.clone());
            UploadedPart {
                part_number: p.part_number,
                checksum_crc64nvme: p.checksum_crc64nvme.or(journaled),
                etag: p.etag,
            }
        })
        .collect();
    Start {
        upload_id: old.upload_id,
        part_size: old.part_size,
        done,
    }
}

/// Aborts a multipart upload (and forgets its journal entry, if it has one) when dropped while
/// armed: a cancelled transfer (its future dropped) leaves no parts behind. The abort runs as a
/// task on the current Tokio runtime. Also guards multipart copies (no journal).
pub(super) struct AbortGuard {
    pub(super) client: Arc<dyn ObjectClient>,
    /// The upload's journal entry: journal, bucket, local file.
    pub(super) journal: Option<(Journal, String, std::path::PathBuf)>,
    pub(super) key: String,
    pub(super) upload_id: String,
    pub(super) armed: bool,
}

impl Drop for AbortGuard {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::warn!("multipart upload of {} left behind: no runtime to abort it", self.key);
            return;
        };
        if let Some((journal, bucket, local)) = &self.journal {
            journal.remove(bucket, &self.key, local);
        }
        let (client, key, upload_id) = (self.client.clone(), self.key.clone(), self.upload_id.clone());
        runtime.spawn(async move {
            match client.abort_multipart_upload(&key, &upload_id).await {
                Ok(()) => tracing::info!("cancelled: aborted the multipart upload of {key}"),
                Err(e) => tracing::warn!("could not abort the multipart upload of {key}: {e}"),
            }
        });
    }
}

/// The whole object's CRC64NVME (base64) from its parts' checksums, in part order (parts are
/// `part_size` bytes, the last one the rest of `size`); `None` when a part has none.
pub(super) fn full_object_checksum(parts: &[UploadedPart], part_size: u64, size: u64) -> Option<String> {
    let mut pieces = Vec::with_capacity(parts.len());
    for (i, p) in parts.iter().enumerate() {
        let crc = crate::checksum::decode(p.checksum_crc64nvme.as_deref()?)?;
        let offset = i as u64 * part_size;
        pieces.push((crc, part_size.min(size - offset)));
    }
    Some(crate::checksum::encode(crate::checksum::combine(pieces)))
}
