//! The S3 seam: an [`ObjectClient`] trait with an error type that keeps the S3 error code, HTTP
//! status and request id ([`S3Error`]), implemented for real by [`SdkClient`] (aws-sdk-s3).
//! Storage operations are written against the trait, so fault-injecting clients are easy.

mod client;
mod convert;
mod sdk;

pub use client::{BodySource, GetObject, ListPage, ListedObject, ListedPart, ObjectClient, UploadedPart};
pub use sdk::{CredentialRefresh, SdkClient};

use crate::error::ErrorCode;

/// What kind of S3 failure this is; determines the error code and the advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum S3ErrorKind {
    /// 403 `AccessDenied`: the role's policy forbids it (outside the user's prefix).
    AccessDenied,
    /// 404 / `NoSuchKey`: no such object.
    NotFound,
    /// `NoSuchBucket`.
    NoSuchBucket,
    /// `NoSuchUpload`: the multipart upload is gone.
    NoSuchUpload,
    /// Temporary credentials expired or unknown (`ExpiredToken`, `InvalidAccessKeyId`, …).
    ExpiredCredentials,
    /// Data did not match its checksum.
    Checksum,
    /// Connection, DNS, TLS or timeout failure.
    Network,
    /// 412 `PreconditionFailed`: the object changed (its ETag) since the transfer began.
    Changed,
    /// S3 is busy or failing: `SlowDown`, `ServiceUnavailable`, `InternalError`, HTTP 5xx or
    /// 429 — still so after the retries.
    Unavailable,
    /// Anything else.
    Other,
}

impl S3ErrorKind {
    /// The stable code (`s3.access_denied`, …).
    pub fn code(self) -> ErrorCode {
        match self {
            Self::AccessDenied => ErrorCode::S3AccessDenied,
            Self::NotFound => ErrorCode::S3NotFound,
            Self::NoSuchBucket => ErrorCode::S3NoSuchBucket,
            Self::NoSuchUpload => ErrorCode::S3NoSuchUpload,
            Self::ExpiredCredentials => ErrorCode::S3ExpiredCredentials,
            Self::Checksum => ErrorCode::S3ChecksumMismatch,
            Self::Network => ErrorCode::S3Network,
            Self::Changed => ErrorCode::S3ObjectChanged,
            Self::Unavailable => ErrorCode::S3Unavailable,
            Self::Other => ErrorCode::S3Failed,
        }
    }

    /// Classifies an S3 error code and HTTP status.
    pub fn classify(code: Option<&str>, status: Option<u16>) -> Self {
        match code {
            Some("AccessDenied" | "AllAccessDisabled") => Self::AccessDenied,
            Some("NoSuchKey" | "NotFound") => Self::NotFound,
            Some("NoSuchBucket") => Self::NoSuchBucket,
            Some("NoSuchUpload") => Self::NoSuchUpload,
            Some(
                "ExpiredToken"
                | "ExpiredTokenException"
                | "InvalidAccessKeyId"
                | "InvalidToken"
                | "TokenRefreshRequired",
            ) => Self::ExpiredCredentials,
            Some("PreconditionFailed") => Self::Changed,
            Some("BadDigest" | "InvalidDigest" | "XAmzContentChecksumMismatch") => Self::Checksum,
            Some("SlowDown" | "ServiceUnavailable" | "InternalError" | "Throttling" | "ThrottlingException") => {
                Self::Unavailable
            }
            _ => match status {
                Some(404) => Self::NotFound,
                Some(403) => Self::AccessDenied,
                Some(412) => Self::Changed,
                Some(429 | 500 | 502 | 503 | 504) => Self::Unavailable,
                _ => Self::Other,
            },
        }
    }
}

/// An S3 failure with the service's metadata kept.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", self.describe())]
pub struct S3Error {
    /// The classification.
    pub kind: S3ErrorKind,
    /// The S3 operation, e.g. `PutObject`.
    pub operation: &'static str,
    /// The key (or prefix) concerned.
    pub key: String,
    /// The S3 error code, e.g. `AccessDenied`.
    pub code: Option<String>,
    /// The service's message or the transport error.
    pub message: String,
    /// HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// `x-amz-request-id`, when present (boxed: keeps `Result<_, Error>` small).
    pub request_id: Option<Box<str>>,
    /// Set when the request got no usable credentials because the session could not renew them
    /// (e.g. `sts.unavailable`, `auth.provider_unavailable`, `auth.session_expired`): the
    /// [`crate::Error`] then has the cause's code and kind, so front ends say what really
    /// failed instead of blaming S3 or the connection.
    #[source]
    pub cause: Option<std::sync::Arc<crate::Error>>,
}

impl S3Error {
    /// A new error of `kind` with a message (no service metadata); for faults detected locally.
    pub fn new(kind: S3ErrorKind, operation: &'static str, key: impl Into<String>, message: impl Into<String>) -> Self {
        S3Error {
            kind,
            operation,
            key: key.into(),
            code: None,
            message: message.into(),
            status: None,
            request_id: None,
            cause: None,
        }
    }

    /// `self` with the session's failure to renew the credentials as its cause.
    pub fn caused_by(mut self, cause: std::sync::Arc<crate::Error>) -> Self {
        self.cause = Some(cause);
        self
    }

    /// Whether trying again may succeed: network failures, 5xx, throttling and timeouts, or a
    /// transient [`S3Error::cause`].
    pub fn is_transient(&self) -> bool {
        if let Some(cause) = &self.cause {
            return cause.is_transient();
        }
        matches!(self.kind, S3ErrorKind::Network | S3ErrorKind::Unavailable)
            || self.status.is_some_and(|s| s >= 500)
            || matches!(
                self.code.as_deref(),
                Some("SlowDown" | "RequestTimeout" | "InternalError" | "ServiceUnavailable" | "RequestTimeTooSkewed")
            )
    }

    fn advice(&self) -> &'static str {
        match self.kind {
            S3ErrorKind::AccessDenied => " — your role only allows your own folder (prefix); this path is outside it or the role's policy forbids the action",
            S3ErrorKind::ExpiredCredentials => " — your temporary credentials were refused; run `kura login` if this persists",
            S3ErrorKind::NoSuchBucket => " — check `bucket` in your profile",
            S3ErrorKind::Network => " — check your connection and the profile's endpoints",
            S3ErrorKind::Unavailable => " — the storage service is busy or unavailable; try again in a moment",
            S3ErrorKind::Changed if self.operation == "UploadPartCopy" => {
                " — the source was replaced while it was being copied; nothing was moved, try again"
            }
            S3ErrorKind::Changed => " — the object was replaced while it was being downloaded; download it again",
            _ => "",
        }
    }

    fn describe(&self) -> String {
        if let Some(cause) = &self.cause {
            return format!("S3 {} {:?}: no valid credentials: {cause}", self.operation, self.key);
        }
        let code = self.code.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
        let status = self.status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
        format!(
            "S3 {} {:?} failed:{code}{status} {}{}",
            self.operation,
            self.key,
            self.message,
            self.advice()
        )
    }
}
