//! Conversions between `aws-sdk-s3` types and Kura's: SDK errors into [`S3Error`] (code,
//! status and request id kept), body sources into byte streams, timestamps, checksums and the
//! `x-amz-copy-source` header value.

use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_s3::primitives::{ByteStream, Length};
use aws_sdk_s3::types::ChecksumType;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use time::OffsetDateTime;

use super::client::BodySource;
use super::{S3Error, S3ErrorKind};

/// Converts an SDK error into an [`S3Error`], keeping code, message, status and request id.
pub(crate) fn s3_error<E>(operation: &'static str, key: &str, err: SdkError<E, HttpResponse>) -> S3Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let status = err.raw_response().map(|r| r.status().as_u16());
    let request_id = err
        .raw_response()
        .and_then(|r| r.headers().get("x-amz-request-id").map(Into::into));
    let network = matches!(err, SdkError::DispatchFailure(_) | SdkError::TimeoutError(_));
    let code = err.code().map(str::to_string);
    let message = err
        .message()
        .map(str::to_string)
        .unwrap_or_else(|| DisplayErrorContext(&err).to_string());
    let kind = if network {
        S3ErrorKind::Network
    } else {
        S3ErrorKind::classify(code.as_deref(), status)
    };
    S3Error {
        kind,
        operation,
        key: key.to_string(),
        code,
        message,
        status,
        request_id,
        cause: renewal_failure(&err),
    }
}

/// The session's error when the request failed because no credentials could be had
/// ([`crate::credentials::RenewalFailed`], somewhere in the SDK error's source chain).
fn renewal_failure(err: &(dyn std::error::Error + 'static)) -> Option<std::sync::Arc<crate::Error>> {
    let mut cur = Some(err);
    while let Some(e) = cur {
        if let Some(r) = e.downcast_ref::<crate::credentials::RenewalFailed>() {
            return Some(r.0.clone());
        }
        cur = e.source();
    }
    None
}

pub(super) async fn byte_stream(op: &'static str, key: &str, body: &BodySource) -> Result<ByteStream, S3Error> {
    match body {
        BodySource::Empty => Ok(ByteStream::from_static(b"")),
        BodySource::File { path, offset, length } => ByteStream::read_from()
            .path(path)
            .offset(*offset)
            .length(Length::Exact(*length))
            .build()
            .await
            .map_err(|e| {
                S3Error::new(
                    S3ErrorKind::Other,
                    op,
                    key,
                    format!("cannot read {}: {e}", path.display()),
                )
            }),
    }
}

/// A CRC64NVME value that covers the whole object: full-object type (or untyped, as for a
/// single PutObject) and not a composite `…-N` value.
pub(super) fn full_object_crc64(value: Option<&str>, kind: Option<&ChecksumType>) -> Option<String> {
    let value = value?;
    let full = matches!(kind, None | Some(ChecksumType::FullObject));
    (full && crate::checksum::decode(value).is_some()).then(|| value.to_string())
}

pub(super) fn to_time(t: Option<&aws_smithy_types::DateTime>) -> Option<OffsetDateTime> {
    t.and_then(|d| OffsetDateTime::from_unix_timestamp(d.secs()).ok())
}

/// Percent-encodes a key for `x-amz-copy-source` (`bucket/key`), keeping `/`.
pub(super) fn copy_source(bucket: &str, key: &str) -> String {
    let mut out = format!("{bucket}/");
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn copy_source_is_percent_encoded() {
        assert_eq!(
            super::copy_source("b", "users/auth0|a/x y+z.txt"),
            "b/users/auth0%7Ca/x%20y%2Bz.txt"
        );
    }
}
