//! [`ObjectClient`] over `aws-sdk-s3`, with one forced credential refresh and retry when S3
//! refuses the temporary credentials as expired (`ExpiredToken`, or `InvalidAccessKeyId` on
//! SeaweedFS). When that refresh fails, the error keeps S3's answer and names the refresh's
//! failure as its [`S3Error::cause`] (so its code is e.g. `sts.unavailable`).

use std::future::Future;
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::types::{
    ChecksumAlgorithm, ChecksumMode, ChecksumType, CompletedMultipartUpload, CompletedPart, Delete, ObjectIdentifier,
};

use super::client::{BodySource, GetObject, ListPage, ListedObject, ListedPart, ObjectClient, UploadedPart};
use super::convert::{byte_stream, copy_source, full_object_crc64, s3_error, to_time};
use super::{S3Error, S3ErrorKind};

/// Something that can force new temporary credentials (implemented by the session).
#[async_trait]
pub trait CredentialRefresh: Send + Sync {
    /// Discards the current credentials and gets new ones.
    async fn force_refresh(&self) -> Result<(), crate::Error>;
}

/// The real S3 client.
#[derive(Clone)]
pub struct SdkClient {
    client: aws_sdk_s3::Client,
    bucket: String,
    refresher: Option<Arc<dyn CredentialRefresh>>,
}

impl SdkClient {
    /// Wraps an SDK client for `bucket`; `refresher` is asked for new credentials once when S3
    /// refuses the current ones as expired.
    pub fn new(
        client: aws_sdk_s3::Client,
        bucket: impl Into<String>,
        refresher: Option<Arc<dyn CredentialRefresh>>,
    ) -> Self {
        SdkClient {
            client,
            bucket: bucket.into(),
            refresher,
        }
    }

    /// The underlying SDK client (for tests and tools).
    pub fn sdk(&self) -> &aws_sdk_s3::Client {
        &self.client
    }

    /// Runs `attempt`; on an expired-credential error forces one refresh and runs it once more.
    async fn retrying<T, F, Fut>(&self, attempt: F) -> Result<T, S3Error>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, S3Error>>,
    {
        match attempt().await {
            Err(e) if e.kind == S3ErrorKind::ExpiredCredentials => {
                let Some(r) = &self.refresher else { return Err(e) };
                tracing::info!(code = ?e.code, "S3 refused the credentials as expired; refreshing once and retrying");
                if let Err(refresh_err) = r.force_refresh().await {
                    tracing::warn!(code = %refresh_err.code(), "credential refresh failed");
                    // Say what failed (STS, the IdP, the session), not "S3 refused the credentials".
                    return Err(e.caused_by(Arc::new(refresh_err)));
                }
                attempt().await
            }
            other => other,
        }
    }
}

#[async_trait]
impl ObjectClient for SdkClient {
    fn bucket(&self) -> &str {
        &self.bucket
    }

    async fn list_objects_v2(
        &self,
        prefix: &str,
        delimiter: Option<&str>,
        token: Option<String>,
    ) -> Result<ListPage, S3Error> {
        let out = self
            .retrying(|| async {
                self.client
                    .list_objects_v2()
                    .bucket(&self.bucket)
                    .prefix(prefix)
                    .set_delimiter(delimiter.map(str::to_string))
                    .set_continuation_token(token.clone())
                    .send()
                    .await
                    .map_err(|e| s3_error("ListObjectsV2", prefix, e))
            })
            .await?;
        Ok(ListPage {
            objects: out
                .contents()
                .iter()
                .map(|o| ListedObject {
                    key: o.key().unwrap_or_default().to_string(),
                    size: o.size().unwrap_or(0).max(0) as u64,
                    last_modified: to_time(o.last_modified()),
                    etag: o.e_tag().map(str::to_string),
                    checksum_crc64nvme: None,
                    content_type: None,
                })
                .collect(),
            common_prefixes: out
                .common_prefixes()
                .iter()
                .filter_map(|p| p.prefix().map(str::to_string))
                .collect(),
            next_continuation_token: out
                .next_continuation_token()
                .map(str::to_string)
                .filter(|_| out.is_truncated() == Some(true)),
        })
    }

    async fn head_object(&self, key: &str) -> Result<ListedObject, S3Error> {
        let out = self
            .retrying(|| async {
                self.client
                    .head_object()
                    .bucket(&self.bucket)
                    .key(key)
                    .checksum_mode(ChecksumMode::Enabled)
                    .send()
                    .await
                    .map_err(|e| s3_error("HeadObject", key, e))
            })
            .await?;
        Ok(ListedObject {
            key: key.to_string(),
            size: out.content_length().unwrap_or(0).max(0) as u64,
            last_modified: to_time(out.last_modified()),
            etag: out.e_tag().map(str::to_string),
            checksum_crc64nvme: full_object_crc64(out.checksum_crc64_nvme(), out.checksum_type()),
            content_type: out.content_type().map(str::to_string),
        })
    }

    async fn get_object(
        &self,
        key: &str,
        range: Option<Range<u64>>,
        if_match: Option<&str>,
    ) -> Result<GetObject, S3Error> {
        let range_header = match &range {
            Some(r) if r.end > r.start => Some(format!("bytes={}-{}", r.start, r.end - 1)),
            Some(_) => {
                return Err(S3Error::new(S3ErrorKind::Other, "GetObject", key, "empty byte range"));
            }
            None => None,
        };
        let out = self
            .retrying(|| async {
                self.client
                    .get_object()
                    .bucket(&self.bucket)
                    .key(key)
                    .set_range(range_header.clone())
                    .set_if_match(if_match.map(str::to_string))
                    // Kura verifies the CRC64NVME itself (also across ranges); the SDK's own
                    // validation would need the whole object in one response.
                    .set_checksum_mode(range.is_none().then_some(ChecksumMode::Enabled))
                    .send()
                    .await
                    .map_err(|e| s3_error("GetObject", key, e))
            })
            .await?;
        let content_length = out.content_length().unwrap_or(0).max(0) as u64;
        let etag = out.e_tag().map(str::to_string);
        let checksum_crc64nvme = if range.is_none() {
            full_object_crc64(out.checksum_crc64_nvme(), out.checksum_type())
        } else {
            None
        };
        let key_owned = key.to_string();
        let body = futures::stream::unfold((out.body, key_owned), |(mut body, key)| async move {
            match body.next().await {
                None => None,
                Some(Ok(b)) => Some((Ok(b), (body, key))),
                Some(Err(e)) => {
                    let err = S3Error::new(
                        S3ErrorKind::Network,
                        "GetObject",
                        key.clone(),
                        format!("body stream: {e}"),
                    );
                    Some((Err(err), (body, key)))
                }
            }
        });
        Ok(GetObject {
            content_length,
            etag,
            checksum_crc64nvme,
            body: Box::pin(body),
        })
    }

    async fn put_object(&self, key: &str, body: BodySource) -> Result<Option<String>, S3Error> {
        let out = self
            .retrying(|| async {
                self.client
                    .put_object()
                    .bucket(&self.bucket)
                    .key(key)
                    .checksum_algorithm(ChecksumAlgorithm::Crc64Nvme)
                    .content_length(body.len() as i64)
                    .body(byte_stream("PutObject", key, &body).await?)
                    .send()
                    .await
                    .map_err(|e| s3_error("PutObject", key, e))
            })
            .await?;
        Ok(out.e_tag().map(str::to_string))
    }

    async fn create_multipart_upload(&self, key: &str) -> Result<String, S3Error> {
        let out = self
            .retrying(|| async {
                self.client
                    .create_multipart_upload()
                    .bucket(&self.bucket)
                    .key(key)
                    .checksum_algorithm(ChecksumAlgorithm::Crc64Nvme)
                    .checksum_type(ChecksumType::FullObject)
                    .send()
                    .await
                    .map_err(|e| s3_error("CreateMultipartUpload", key, e))
            })
            .await?;
        out.upload_id().map(str::to_string).ok_or_else(|| {
            S3Error::new(
                S3ErrorKind::Other,
                "CreateMultipartUpload",
                key,
                "response has no UploadId",
            )
        })
    }

    async fn upload_part(
        &self,
        key: &str,
        upload_id: &str,
        part_number: i32,
        body: BodySource,
    ) -> Result<UploadedPart, S3Error> {
        let out = self
            .retrying(|| async {
                self.client
                    .upload_part()
                    .bucket(&self.bucket)
                    .key(key)
                    .upload_id(upload_id)
                    .part_number(part_number)
                    .checksum_algorithm(ChecksumAlgorithm::Crc64Nvme)
                    .content_length(body.len() as i64)
                    .body(byte_stream("UploadPart", key, &body).await?)
                    .send()
                    .await
                    .map_err(|e| s3_error("UploadPart", key, e))
            })
            .await?;
        let etag = out
            .e_tag()
            .map(str::to_string)
            .ok_or_else(|| S3Error::new(S3ErrorKind::Other, "UploadPart", key, "response has no ETag"))?;
        Ok(UploadedPart {
            part_number,
            etag,
            checksum_crc64nvme: out.checksum_crc64_nvme().map(str::to_string),
        })
    }

    async fn upload_part_copy(
        &self,
        key: &str,
        upload_id: &str,
        part_number: i32,
        source_key: &str,
        range: Range<u64>,
        source_if_match: &str,
    ) -> Result<UploadedPart, S3Error> {
        if range.end <= range.start {
            return Err(S3Error::new(
                S3ErrorKind::Other,
                "UploadPartCopy",
                key,
                "empty byte range",
            ));
        }
        let source = copy_source(&self.bucket, source_key);
        let range_header = format!("bytes={}-{}", range.start, range.end - 1);
        let out = self
            .retrying(|| async {
                self.client
                    .upload_part_copy()
                    .bucket(&self.bucket)
                    .key(key)
                    .upload_id(upload_id)
                    .part_number(part_number)
                    .copy_source(&source)
                    .copy_source_range(&range_header)
                    .copy_source_if_match(source_if_match)
                    .send()
                    .await
                    .map_err(|e| s3_error("UploadPartCopy", source_key, e))
            })
            .await?;
        let result = out.copy_part_result();
        let etag = result
            .and_then(|r| r.e_tag())
            .map(str::to_string)
            .ok_or_else(|| S3Error::new(S3ErrorKind::Other, "UploadPartCopy", key, "response has no ETag"))?;
        Ok(UploadedPart {
            part_number,
            etag,
            checksum_crc64nvme: result.and_then(|r| r.checksum_crc64_nvme()).map(str::to_string),
        })
    }

    async fn complete_multipart_upload(
        &self,
        key: &str,
        upload_id: &str,
        parts: &[UploadedPart],
        checksum_crc64nvme: Option<&str>,
    ) -> Result<(), S3Error> {
        let completed = CompletedMultipartUpload::builder()
            .set_parts(Some(
                parts
                    .iter()
                    .map(|p| {
                        CompletedPart::builder()
                            .part_number(p.part_number)
                            .e_tag(&p.etag)
                            .set_checksum_crc64_nvme(p.checksum_crc64nvme.clone())
                            .build()
                    })
                    .collect(),
            ))
            .build();
        self.retrying(|| async {
            self.client
                .complete_multipart_upload()
                .bucket(&self.bucket)
                .key(key)
                .upload_id(upload_id)
                .set_checksum_crc64_nvme(checksum_crc64nvme.map(str::to_string))
                .set_checksum_type(checksum_crc64nvme.map(|_| ChecksumType::FullObject))
                .multipart_upload(completed.clone())
                .send()
                .await
                .map_err(|e| s3_error("CompleteMultipartUpload", key, e))
        })
        .await?;
        Ok(())
    }

    async fn list_parts(&self, key: &str, upload_id: &str) -> Result<Vec<ListedPart>, S3Error> {
        let mut parts = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let out = self
                .retrying(|| async {
                    self.client
                        .list_parts()
                        .bucket(&self.bucket)
                        .key(key)
                        .upload_id(upload_id)
                        .set_part_number_marker(marker.clone())
                        .send()
                        .await
                        .map_err(|e| s3_error("ListParts", key, e))
                })
                .await?;
            parts.extend(out.parts().iter().filter_map(|p| {
                Some(ListedPart {
                    part_number: p.part_number()?,
                    etag: p.e_tag()?.to_string(),
                    size: p.size().unwrap_or(0).max(0) as u64,
                    checksum_crc64nvme: p.checksum_crc64_nvme().map(str::to_string),
                })
            }));
            match (out.is_truncated(), out.next_part_number_marker()) {
                (Some(true), Some(next)) if Some(next) != marker.as_deref() => marker = Some(next.to_string()),
                _ => break,
            }
        }
        Ok(parts)
    }

    async fn abort_multipart_upload(&self, key: &str, upload_id: &str) -> Result<(), S3Error> {
        self.retrying(|| async {
            self.client
                .abort_multipart_upload()
                .bucket(&self.bucket)
                .key(key)
                .upload_id(upload_id)
                .send()
                .await
                .map_err(|e| s3_error("AbortMultipartUpload", key, e))
        })
        .await?;
        Ok(())
    }

    async fn delete_objects(&self, keys: &[String]) -> Result<Vec<S3Error>, S3Error> {
        let first = keys.first().cloned().unwrap_or_default();
        let ids: Vec<ObjectIdentifier> = keys
            .iter()
            .map(|k| ObjectIdentifier::builder().key(k).build().expect("key is set"))
            .collect();
        let delete = Delete::builder()
            .set_objects(Some(ids))
            .quiet(true)
            .build()
            .map_err(|e| S3Error::new(S3ErrorKind::Other, "DeleteObjects", &first, e.to_string()))?;
        let out = self
            .retrying(|| async {
                self.client
                    .delete_objects()
                    .bucket(&self.bucket)
                    .delete(delete.clone())
                    .send()
                    .await
                    .map_err(|e| s3_error("DeleteObjects", &first, e))
            })
            .await?;
        Ok(out
            .errors()
            .iter()
            .map(|e| {
                let code = e.code().map(str::to_string);
                S3Error {
                    kind: S3ErrorKind::classify(code.as_deref(), None),
                    operation: "DeleteObjects",
                    key: e.key().unwrap_or_default().to_string(),
                    code,
                    message: e.message().unwrap_or_default().to_string(),
                    status: None,
                    request_id: None,
                    cause: None,
                }
            })
            .collect())
    }

    async fn copy_object(&self, source_key: &str, dest_key: &str) -> Result<(), S3Error> {
        let source = copy_source(&self.bucket, source_key);
        self.retrying(|| async {
            self.client
                .copy_object()
                .bucket(&self.bucket)
                .key(dest_key)
                .copy_source(&source)
                .send()
                .await
                .map_err(|e| s3_error("CopyObject", source_key, e))
        })
        .await?;
        Ok(())
    }

    async fn presign_get(&self, key: &str, expires_in: Duration) -> Result<String, S3Error> {
        let config = PresigningConfig::expires_in(expires_in)
            .map_err(|e| S3Error::new(S3ErrorKind::Other, "GetObject", key, format!("invalid expiry: {e}")))?;
        let req = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .presigned(config)
            .await
            .map_err(|e| s3_error("GetObject", key, e))?;
        Ok(req.uri().to_string())
    }
}
