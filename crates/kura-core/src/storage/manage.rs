//! Delete (objects, folders recursively with batched DeleteObjects), create folder (zero-byte
//! `name/` marker), move/rename within the prefix (server-side copy — CopyObject, or a verified
//! multipart copy for large objects, see [`super::copy`] — then delete), and presigned GET URLs
//! capped at the credentials' remaining lifetime.

use std::time::Duration;

use time::OffsetDateTime;

use super::batch::{batch_result, BatchItem, FailedItem};
use super::Storage;
use crate::error::{Error, Result};
use crate::paths::RelPath;
use crate::s3::{BodySource, S3Error, S3ErrorKind};

/// DeleteObjects accepts at most 1,000 keys per request.
const DELETE_BATCH: usize = 1000;
/// Longest presigned URL lifetime S3 accepts (SigV4): 7 days.
const MAX_PRESIGN: Duration = Duration::from_secs(7 * 24 * 3600);

/// A presigned URL. `Debug` redacts the URL's signature: the URL is a secret.
#[derive(Clone)]
pub struct Presigned {
    /// The URL (a bearer secret until it expires).
    pub url: String,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
    /// True when the requested lifetime was shortened to the credentials' remaining lifetime.
    pub capped: bool,
}

impl std::fmt::Debug for Presigned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redacted = self.url.split('?').next().unwrap_or("");
        f.debug_struct("Presigned")
            .field("url", &format!("{redacted}?[REDACTED]"))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

fn not_found(op: &'static str, key: String) -> Error {
    S3Error::new(S3ErrorKind::NotFound, op, key, "no such file or folder").into()
}

impl Storage {
    /// A key DeleteObjects refused, as a failed item (its path below the prefix).
    fn failed_delete(&self, error: S3Error) -> FailedItem {
        let path = self
            .prefix
            .strip(&error.key)
            .and_then(|rel| RelPath::parse(rel).ok())
            .unwrap_or_else(RelPath::root);
        FailedItem {
            item: BatchItem::Remote(path),
            error: error.into(),
        }
    }

    /// All object keys at or below `path` (the object itself, or everything under the folder).
    async fn keys_below(&self, path: &RelPath) -> Result<Vec<(RelPath, u64)>> {
        let folder = path.as_folder();
        let mut out: Vec<(RelPath, u64)> = self
            .list(&folder, true)
            .await?
            .into_iter()
            .map(|e| (e.path().clone(), e.size()))
            .collect();
        if self.client.head_object(&self.key(&folder)).await.is_ok() {
            out.push((folder, 0)); // the folder's own marker
        }
        Ok(out)
    }

    /// How many objects deleting `path` would remove (for a confirmation prompt).
    pub async fn count(&self, path: &RelPath) -> Result<usize> {
        if self.stat(path).await?.is_some() {
            return Ok(1);
        }
        Ok(self.keys_below(path).await?.len())
    }

    /// Deletes a file, or with `recursive` a folder and everything in it (DeleteObjects in
    /// batches of 1,000). Returns how many objects were deleted. Errors: `s3.not_found`,
    /// `path.invalid` (a folder without `recursive`, or the prefix root), [`Error::Partial`].
    pub async fn delete(&self, path: &RelPath, recursive: bool) -> Result<usize> {
        if path.as_str().is_empty() {
            return Err(Error::InvalidPath {
                path: "/".into(),
                reason: "refusing to delete your whole folder; name what to delete".into(),
            });
        }
        if self.stat(path).await?.is_some() {
            let failures = self.client.delete_objects(&[self.key(path)]).await?;
            return batch_result(1, failures.into_iter().map(|e| self.failed_delete(e)).collect(), 1);
        }
        let keys = self.keys_below(path).await?;
        if keys.is_empty() {
            return Err(not_found("DeleteObjects", self.key(path)));
        }
        if !recursive {
            return Err(Error::InvalidPath {
                path: path.as_str().to_string(),
                reason: format!("is a folder with {} objects: use -r to delete it", keys.len()),
            });
        }
        let all: Vec<String> = keys.iter().map(|(p, _)| self.key(p)).collect();
        let mut failures = Vec::new();
        for batch in all.chunks(DELETE_BATCH) {
            failures.extend(
                self.client
                    .delete_objects(batch)
                    .await?
                    .into_iter()
                    .map(|e| self.failed_delete(e)),
            );
        }
        let deleted = all.len() - failures.len();
        batch_result(deleted, failures, all.len())
    }

    /// Creates folder `path` (a zero-byte object `path/`).
    pub async fn mkdir(&self, path: &RelPath) -> Result<RelPath> {
        let folder = path.as_folder();
        if folder.as_str().is_empty() {
            return Err(Error::InvalidPath {
                path: "/".into(),
                reason: "the root folder always exists".into(),
            });
        }
        if self
            .stat(&RelPath::parse(folder.as_str().trim_end_matches('/'))?)
            .await?
            .is_some()
        {
            return Err(Error::InvalidPath {
                path: folder.as_str().into(),
                reason: "a file with this name exists".into(),
            });
        }
        self.client.put_object(&self.key(&folder), BodySource::Empty).await?;
        Ok(folder)
    }

    /// Moves/renames `src` (file or folder) to `dst` within the prefix: copy, then delete the
    /// originals once every copy succeeded. Objects from `multipart_copy_threshold` on are copied
    /// in parts and verified (size, CRC64NVME) before their source is deleted. If `dst` is an
    /// existing folder (or ends with `/`), `src` moves into it. Refuses to overwrite an existing
    /// object, or to move a folder into itself. Returns the new path. Errors: `path.invalid`,
    /// `s3.not_found`, `s3.object_changed` (a large source replaced mid-copy; nothing moved),
    /// `s3.checksum_mismatch`, other S3 errors.
    pub async fn rename(&self, src: &RelPath, dst: &RelPath) -> Result<RelPath> {
        let src_file = self.stat(src).await?;
        let src_is_file = src_file.is_some();
        let into_folder = dst.is_folder() || self.folder_exists(dst).await?;
        let target = if into_folder {
            dst.as_folder().join(src.name())?
        } else {
            dst.clone()
        };
        if target.as_str().trim_end_matches('/') == src.as_str().trim_end_matches('/') {
            return Ok(target);
        }
        if src_is_file {
            if self.stat(&target).await?.is_some() {
                return Err(exists(&target));
            }
            let size = src_file.map_or(0, |e| e.size());
            self.copy_key(&self.key(src), &self.key(&target), size).await?;
            if let Some(f) = self.client.delete_objects(&[self.key(src)]).await?.into_iter().next() {
                return Err(f.into()); // copied, but the original is still there
            }
            return Ok(target);
        }
        let from = src.as_folder();
        let to = target.as_folder();
        if !target.is_folder() && self.stat(&target).await?.is_some() {
            return Err(exists(&target)); // a file has the folder's new name
        }
        if to.as_str().starts_with(from.as_str()) {
            return Err(Error::InvalidPath {
                path: dst.as_str().into(),
                reason: "cannot move a folder into itself".into(),
            });
        }
        let keys = self.keys_below(&from).await?;
        if keys.is_empty() {
            return Err(not_found("CopyObject", self.key(src)));
        }
        if !self.list(&to, true).await?.is_empty() {
            return Err(exists(&to));
        }
        let mut copied = Vec::new();
        for (p, size) in &keys {
            let rel = p.as_str().strip_prefix(from.as_str()).unwrap_or_default();
            let new = RelPath::parse(&format!("{}{rel}", to.as_str()))?;
            // Folder markers are recreated rather than copied (some servers, SeaweedFS among
            // them, keep `name/` keys as directories that CopyObject cannot read).
            let copy = if p.is_folder() {
                self.client
                    .put_object(&self.key(&new), BodySource::Empty)
                    .await
                    .map(|_| ())
                    .map_err(Error::from)
            } else {
                self.copy_key(&self.key(p), &self.key(&new), *size).await
            };
            if let Err(e) = copy {
                // Leave the originals intact; remove the partial copy.
                let partial: Vec<String> = copied.iter().map(|c: &RelPath| self.key(c)).collect();
                for b in partial.chunks(DELETE_BATCH) {
                    let _ = self.client.delete_objects(b).await;
                }
                return Err(e);
            }
            copied.push(new);
        }
        let originals: Vec<String> = keys.iter().map(|(p, _)| self.key(p)).collect();
        for b in originals.chunks(DELETE_BATCH) {
            let failures = self.client.delete_objects(b).await?;
            if let Some(f) = failures.into_iter().next() {
                return Err(f.into());
            }
        }
        Ok(to)
    }

    /// A presigned GET URL for file `path`, valid for `expires_in` but never longer than the
    /// current credentials (a presigned URL dies with the session token that signed it) nor 7
    /// days. Errors: `s3.not_found`.
    pub async fn presign(&self, path: &RelPath, expires_in: Duration) -> Result<Presigned> {
        if self.stat(path).await?.is_none() {
            return Err(not_found("GetObject", self.key(path)));
        }
        let mut lifetime = expires_in.min(MAX_PRESIGN);
        let mut capped = lifetime < expires_in;
        if let Some(session) = &self.session {
            let creds = session.credentials().await?;
            let left = Duration::from_secs(creds.seconds_left().max(1) as u64);
            if left < lifetime {
                lifetime = left;
                capped = true;
            }
        }
        let url = self.client.presign_get(&self.key(path), lifetime).await?;
        Ok(Presigned {
            url,
            expires_at: OffsetDateTime::now_utc() + lifetime,
            capped,
        })
    }
}

fn exists(p: &RelPath) -> Error {
    Error::InvalidPath {
        path: p.as_str().into(),
        reason: "already exists; choose another name or delete it first".into(),
    }
}
