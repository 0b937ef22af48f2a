//! The [`ObjectClient`] trait: the S3 operations Kura uses, nothing else.

use std::ops::Range;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use futures::Stream;
use time::OffsetDateTime;

use super::S3Error;

/// One object from a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedObject {
    /// Full key.
    pub key: String,
    /// Size in bytes.
    pub size: u64,
    /// `LastModified`, if the server sent it.
    pub last_modified: Option<OffsetDateTime>,
    /// ETag as sent (quoted).
    pub etag: Option<String>,
    /// The object's full-object CRC64NVME (base64), when S3 has one: from HeadObject with
    /// `ChecksumMode=ENABLED`, never from listings. Composite (per-part) values are not kept.
    pub checksum_crc64nvme: Option<String>,
    /// `Content-Type` as stored with the object: from HeadObject only, never from listings.
    pub content_type: Option<String>,
}

/// One page of `ListObjectsV2`.
#[derive(Debug, Clone, Default)]
pub struct ListPage {
    /// Objects (`Contents`).
    pub objects: Vec<ListedObject>,
    /// `CommonPrefixes` (folders), full keys ending with the delimiter.
    pub common_prefixes: Vec<String>,
    /// `NextContinuationToken`, when more pages follow.
    pub next_continuation_token: Option<String>,
}

/// A request body read lazily from disk: `length` bytes of `path` from `offset`.
#[derive(Debug, Clone)]
pub enum BodySource {
    /// Zero bytes (folder markers).
    Empty,
    /// A byte range of a local file, streamed (never read whole into memory).
    File {
        /// The file.
        path: PathBuf,
        /// Start offset in bytes.
        offset: u64,
        /// Length in bytes.
        length: u64,
    },
}

impl BodySource {
    /// Length in bytes.
    pub fn len(&self) -> u64 {
        match self {
            BodySource::Empty => 0,
            BodySource::File { length, .. } => *length,
        }
    }

    /// True when zero bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A streaming GetObject response.
pub struct GetObject {
    /// `Content-Length` in bytes.
    pub content_length: u64,
    /// ETag of the object.
    pub etag: Option<String>,
    /// The full-object CRC64NVME (base64) of a whole-object GET, when S3 has one (never for
    /// ranges).
    pub checksum_crc64nvme: Option<String>,
    /// The body, chunk by chunk.
    pub body: Pin<Box<dyn Stream<Item = Result<Bytes, S3Error>> + Send>>,
}

/// A part accepted by UploadPart: its number (1–10,000) and ETag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedPart {
    /// `PartNumber`.
    pub part_number: i32,
    /// The part's ETag.
    pub etag: String,
    /// The part's CRC64NVME (base64) as S3 verified it, when returned.
    pub checksum_crc64nvme: Option<String>,
}

/// A part of an unfinished multipart upload, as ListParts reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPart {
    /// `PartNumber`.
    pub part_number: i32,
    /// The part's ETag.
    pub etag: String,
    /// Size in bytes.
    pub size: u64,
    /// The part's CRC64NVME (base64), when returned.
    pub checksum_crc64nvme: Option<String>,
}

/// The S3 operations Kura needs, against one bucket. Keys are full keys (prefix included).
/// Implementations keep S3's error metadata in [`S3Error`].
#[async_trait]
pub trait ObjectClient: Send + Sync {
    /// The bucket this client works on.
    fn bucket(&self) -> &str;

    /// One page of ListObjectsV2 (`prefix`, optional `delimiter`, continuation token).
    async fn list_objects_v2(
        &self,
        prefix: &str,
        delimiter: Option<&str>,
        continuation_token: Option<String>,
    ) -> Result<ListPage, S3Error>;

    /// HeadObject: size in bytes, or `NotFound`.
    async fn head_object(&self, key: &str) -> Result<ListedObject, S3Error>;

    /// GetObject, streamed: the whole object, or the byte `range` (end exclusive, as
    /// `Range: bytes=start-(end-1)`); with `if_match` (an ETag) S3 answers 412
    /// ([`S3ErrorKind::Changed`](super::S3ErrorKind::Changed)) when the object was replaced.
    async fn get_object(
        &self,
        key: &str,
        range: Option<Range<u64>>,
        if_match: Option<&str>,
    ) -> Result<GetObject, S3Error>;

    /// PutObject from a body source, with a CRC64NVME checksum that S3 verifies; returns the ETag.
    async fn put_object(&self, key: &str, body: BodySource) -> Result<Option<String>, S3Error>;

    /// CreateMultipartUpload with `ChecksumAlgorithm=CRC64NVME`, `ChecksumType=FULL_OBJECT`;
    /// returns the `UploadId`.
    async fn create_multipart_upload(&self, key: &str) -> Result<String, S3Error>;

    /// UploadPart, with the part's CRC64NVME (S3 verifies it and returns it).
    async fn upload_part(
        &self,
        key: &str,
        upload_id: &str,
        part_number: i32,
        body: BodySource,
    ) -> Result<UploadedPart, S3Error>;

    /// UploadPartCopy: part `part_number` of `upload_id` (destination `key`) becomes the bytes
    /// `range` (end exclusive, sent as `x-amz-copy-source-range: bytes=start-(end-1)`) of
    /// `source_key` in the same bucket, copied by the server. `source_if_match` pins the source's
    /// ETag (`x-amz-copy-source-if-match`): S3 answers 412
    /// ([`S3ErrorKind::Changed`](super::S3ErrorKind::Changed)) when the source was replaced.
    /// Returns the part's ETag and, when the server sends one in `CopyPartResult`, its CRC64NVME
    /// (the upload was created with `ChecksumAlgorithm=CRC64NVME`). Parts are 5 MiB–5 GiB
    /// (except the last). Source: S3 API Reference, UploadPartCopy.
    async fn upload_part_copy(
        &self,
        key: &str,
        upload_id: &str,
        part_number: i32,
        source_key: &str,
        range: Range<u64>,
        source_if_match: &str,
    ) -> Result<UploadedPart, S3Error>;

    /// CompleteMultipartUpload with the parts in ascending order and, when known, the whole
    /// object's CRC64NVME (base64): S3 refuses a mismatch with `BadDigest`.
    async fn complete_multipart_upload(
        &self,
        key: &str,
        upload_id: &str,
        parts: &[UploadedPart],
        checksum_crc64nvme: Option<&str>,
    ) -> Result<(), S3Error>;

    /// ListParts of an unfinished upload, all pages (needs no bucket-wide
    /// `s3:ListBucketMultipartUploads`). Errors: `NoSuchUpload` when it is gone.
    async fn list_parts(&self, key: &str, upload_id: &str) -> Result<Vec<ListedPart>, S3Error>;

    /// AbortMultipartUpload.
    async fn abort_multipart_upload(&self, key: &str, upload_id: &str) -> Result<(), S3Error>;

    /// DeleteObjects for up to 1,000 keys; returns the per-key failures (empty when all went).
    async fn delete_objects(&self, keys: &[String]) -> Result<Vec<S3Error>, S3Error>;

    /// CopyObject within the bucket (objects up to 5 GiB; larger ones need
    /// [`upload_part_copy`](Self::upload_part_copy)).
    async fn copy_object(&self, source_key: &str, dest_key: &str) -> Result<(), S3Error>;

    /// A presigned GET URL valid for `expires_in`. The URL is a secret: never log it.
    async fn presign_get(&self, key: &str, expires_in: Duration) -> Result<String, S3Error>;
}
