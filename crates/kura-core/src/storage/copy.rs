//! Server-side copies for move/rename: one CopyObject below
//! [`TransferOptions::multipart_copy_threshold`](super::TransferOptions), a multipart copy above
//! it (S3 refuses CopyObject above 5 GiB): CreateMultipartUpload (CRC64NVME, full-object) →
//! concurrent UploadPartCopy with `x-amz-copy-source-range` per part, each pinned to the source's
//! ETag (`x-amz-copy-source-if-match`) → CompleteMultipartUpload with the whole object's
//! CRC64NVME combined from the parts' values (`CopyPartResult.ChecksumCRC64NVME`), which S3
//! checks. The copy is then verified with HeadObject (size, and checksum equal to the source's)
//! before the caller deletes the source. A failed or cancelled copy aborts its upload.
//! Source: S3 User Guide "Copying an object using multipart upload"; S3 API Reference,
//! UploadPartCopy and CompleteMultipartUpload.
//!
//! SeaweedFS 4.48 (the local stack) supports all of this: ranged UploadPartCopy, the precondition
//! (412 `PreconditionFailed`), per-part CRC64NVME in `CopyPartResult`, and a full-object check on
//! complete (`BadDigest` on mismatch), so no fallback is needed there. When a server returns no
//! part checksums, the upload is completed without a full-object value and the copy is verified
//! by size only (and by checksum when the server computed one itself).

use futures::{StreamExt, TryStreamExt};

use super::multipart::{full_object_checksum, AbortGuard};
use super::upload::part_size_for;
use super::Storage;
use crate::error::{Error, Result};
use crate::s3::{S3Error, S3ErrorKind, UploadedPart};

impl Storage {
    /// Copies object `source_key` (`size` bytes) to `dest_key` within the bucket: CopyObject
    /// below the multipart copy threshold, otherwise [`Self::copy_multipart`]. Errors: S3 errors
    /// (`s3.not_found`, `s3.object_changed`, `s3.checksum_mismatch`, …).
    pub(super) async fn copy_key(&self, source_key: &str, dest_key: &str, size: u64) -> Result<()> {
        if size < self.options.multipart_copy_threshold.max(super::upload::MIN_PART) {
            return Ok(self.client.copy_object(source_key, dest_key).await?);
        }
        self.copy_multipart(source_key, dest_key).await
    }

    /// Multipart copy of `source_key` to `dest_key` in parts of the configured part size (raised
    /// for ≤ 10,000 parts), `part_concurrency` at a time, pinned to the source's current ETag.
    /// On success the destination has the source's size and full-object CRC64NVME (HeadObject).
    /// Errors: `s3.object_changed` (the source was replaced mid-copy), `s3.checksum_mismatch`
    /// (the copy's size or checksum differs; the copy is removed), other S3 errors. The multipart
    /// upload is aborted on every error and when the future is dropped.
    pub(super) async fn copy_multipart(&self, source_key: &str, dest_key: &str) -> Result<()> {
        let source = self.client.head_object(source_key).await?;
        let etag = source.etag.clone().ok_or_else(|| {
            S3Error::new(
                S3ErrorKind::Other,
                "HeadObject",
                source_key,
                "the source has no ETag to pin the copy to",
            )
        })?;
        let size = source.size;
        let part_size = part_size_for(size, self.options.part_size);
        let count = size.div_ceil(part_size);
        let upload_id = self.client.create_multipart_upload(dest_key).await?;
        let mut guard = AbortGuard {
            client: self.client.clone(),
            journal: None,
            key: dest_key.to_string(),
            upload_id: upload_id.clone(),
            armed: true,
        };
        let copied = futures::stream::iter(1..=count)
            .map(|n| {
                let start = (n - 1) * part_size;
                let end = (start + part_size).min(size);
                let (upload_id, etag) = (&upload_id, &etag);
                async move {
                    self.client
                        .upload_part_copy(dest_key, upload_id, n as i32, source_key, start..end, etag)
                        .await
                }
            })
            .buffer_unordered(self.options.part_concurrency.max(1))
            .try_collect::<Vec<UploadedPart>>()
            .await;
        let completed = match copied {
            Ok(mut parts) => {
                parts.sort_by_key(|p| p.part_number);
                let full = full_object_checksum(&parts, part_size, size);
                match mismatch(dest_key, source.checksum_crc64nvme.as_deref(), full.as_deref()) {
                    Some(e) => Err(e),
                    None => self
                        .client
                        .complete_multipart_upload(dest_key, &upload_id, &parts, full.as_deref())
                        .await
                        .map_err(Error::from),
                }
            }
            Err(e) => Err(e.into()),
        };
        guard.armed = false;
        if let Err(e) = completed {
            if let Err(abort) = self.client.abort_multipart_upload(dest_key, &upload_id).await {
                tracing::warn!("could not abort the multipart copy to {dest_key}: {abort}");
            }
            return Err(e);
        }
        if let Err(e) = self
            .verify_copy(dest_key, size, source.checksum_crc64nvme.as_deref())
            .await
        {
            // The copy is not trustworthy: remove it, keep the source.
            if let Err(del) = self.client.delete_objects(&[dest_key.to_string()]).await {
                tracing::warn!("could not remove the unverified copy {dest_key}: {del}");
            }
            return Err(e);
        }
        Ok(())
    }

    /// HeadObject of the finished copy: same size as the source, and the same full-object
    /// CRC64NVME when the source has one.
    async fn verify_copy(&self, dest_key: &str, size: u64, checksum: Option<&str>) -> Result<()> {
        let copy = self.client.head_object(dest_key).await?;
        if copy.size != size {
            return Err(S3Error::new(
                S3ErrorKind::Checksum,
                "CompleteMultipartUpload",
                dest_key,
                format!("the copy has {} bytes, the source {size}", copy.size),
            )
            .into());
        }
        match (checksum, copy.checksum_crc64nvme.as_deref()) {
            (Some(_), None) => Err(S3Error::new(
                S3ErrorKind::Checksum,
                "CompleteMultipartUpload",
                dest_key,
                "the copy has no full-object CRC64NVME to compare with the source's",
            )
            .into()),
            (expected, actual) => mismatch(dest_key, expected, actual).map_or(Ok(()), Err),
        }
    }
}

/// An `s3.checksum_mismatch` error when both CRC64NVME values (base64) are known and differ.
fn mismatch(dest_key: &str, expected: Option<&str>, actual: Option<&str>) -> Option<Error> {
    let (expected, actual) = (expected?, actual?);
    (expected != actual).then(|| {
        S3Error::new(
            S3ErrorKind::Checksum,
            "CompleteMultipartUpload",
            dest_key,
            format!("the copy's CRC64NVME {actual} differs from the source's {expected}"),
        )
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::mismatch;

    #[test]
    fn checksums_are_compared_only_when_both_are_known() {
        assert!(mismatch("k", Some("95nizBLCE4s="), Some("95nizBLCE4s=")).is_none());
        assert!(mismatch("k", None, Some("95nizBLCE4s=")).is_none());
        assert!(mismatch("k", Some("95nizBLCE4s="), None).is_none());
        let e = mismatch("k", Some("95nizBLCE4s="), Some("AAAAAAAAAAA=")).unwrap();
        assert_eq!(e.code(), "s3.checksum_mismatch");
    }
}
