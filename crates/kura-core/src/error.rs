//! Kura's typed errors.
//!
//! Every error has a stable machine-readable [`Error::code`] (for example `auth.not_signed_in`,
//! `s3.access_denied`) that front ends match on, an [`ErrorKind`] that picks the CLI exit code,
//! and a message that says what to do. Errors from STS and S3 keep the service's own error code
//! (e.g. `AccessDenied`, `ExpiredToken`) in [`ServiceError::code`].

use std::path::PathBuf;

use crate::s3::S3Error;

mod code;
pub use code::ErrorCode;

/// The broad class of an error; the CLI maps it to an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The configuration file or a command-line argument is wrong.
    Usage,
    /// Signing in, refreshing tokens or getting credentials failed; the user must act (sign in).
    Auth,
    /// The S3 server refused or failed an operation.
    Storage,
    /// A local file or directory could not be read or written.
    Local,
}

/// An error reported by STS (AssumeRoleWithWebIdentity) or an OAuth endpoint, with the code the
/// service sent (`AccessDenied`, `InvalidIdentityToken`, `invalid_grant`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// The service's error code, e.g. `InvalidIdentityToken` or `invalid_grant`.
    pub code: Option<String>,
    /// The service's own message, if any.
    pub message: Option<String>,
    /// HTTP status of the response, if one was received.
    pub status: Option<u16>,
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.code, &self.message) {
            (Some(c), Some(m)) => write!(f, "{c}: {m}"),
            (Some(c), None) => f.write_str(c),
            (None, Some(m)) => f.write_str(m),
            (None, None) => match self.status {
                Some(s) => write!(f, "HTTP {s}"),
                None => f.write_str("no response"),
            },
        }
    }
}

/// Kura's error type. See the module docs for codes and kinds.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration file is missing, unreadable or has a missing/invalid key.
    #[error("{}", config_message(.file, .profile, .key, .message))]
    Config {
        /// The config file that was read (or looked for).
        file: PathBuf,
        /// The profile concerned, if any.
        profile: Option<String>,
        /// The key concerned, if any.
        key: Option<String>,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A path typed by the user is not a valid path inside the user's prefix.
    #[error("invalid path {path:?}: {reason}")]
    InvalidPath {
        /// The path as given.
        path: String,
        /// Why it is refused.
        reason: String,
    },
    /// A prefix template names an ID token claim or session tag that the signed-in user's ID
    /// token lacks (or has in another shape); no request was sent.
    #[error("your sign-in has no value for {placeholder} of the folder's prefix ({reason}): ask your administrator to add it to your identity provider account, or use another location")]
    MissingClaim {
        /// The placeholder, e.g. `{tag:tenant}`.
        placeholder: String,
        /// Why no value was found.
        reason: String,
    },
    /// A claim's value cannot be used as a folder name in the prefix (empty, `.`/`..`, `/`, `\`,
    /// control characters, longer than 255 bytes); no request was sent.
    #[error("the value {value:?} of {placeholder} cannot be a folder name in the prefix: {reason}")]
    UnsafeClaim {
        /// The placeholder, e.g. `{sub}`.
        placeholder: String,
        /// The value, escaped.
        value: String,
        /// Why it is refused.
        reason: String,
    },
    /// An object key cannot be turned into a safe local file name.
    #[error("object key {key:?} cannot be saved safely: {reason}")]
    UnsafeKey {
        /// The object key.
        key: String,
        /// Why it is refused.
        reason: String,
    },
    /// No session: the user has to sign in.
    #[error("not signed in (profile {profile:?}): run `kura login`")]
    NotSignedIn {
        /// The profile.
        profile: String,
    },
    /// The stored session can no longer be refreshed (refresh token revoked, expired or reused).
    #[error("your session has ended ({error}): sign in again with `kura login`")]
    SessionExpired {
        /// What the identity provider said.
        error: ServiceError,
    },
    /// The interactive or device sign-in did not complete.
    #[error("sign-in failed: {message}")]
    Login {
        /// Stable code suffix, e.g. `state_mismatch`, `timeout`, `denied`.
        reason: LoginFailure,
        /// Details for the user.
        message: String,
    },
    /// The fixed loopback port of the profile's redirect URI (registered at the provider, which
    /// matches ports exactly, e.g. Auth0, Okta, Amazon Cognito) is taken by another program
    /// (RFC 8252 §7.3). For a `localhost` redirect the port is taken on `127.0.0.1` or `[::1]`.
    #[error(
        "port {port} on {host} is in use by another program, and sign-in needs it: the profile's redirect URI http://{host}:{port}/callback is registered at the identity provider with this port. Close the program using it (or a sign-in still waiting in another window) and try again, or register another port at the provider and set it in the profile"
    )]
    LoopbackPortInUse {
        /// The redirect URI's host: `127.0.0.1` or `localhost`.
        host: &'static str,
        /// The port.
        port: u16,
    },
    /// The identity provider could not be reached or answered something unusable.
    #[error("identity provider {issuer}: {message}")]
    Provider {
        /// The configured issuer.
        issuer: String,
        /// What went wrong.
        message: String,
    },
    /// The identity provider could not be reached or is unavailable for now: connection
    /// failure or timeout, HTTP 5xx, the OAuth error `temporarily_unavailable` or
    /// `server_error` (RFC 6749 §4.1.2.1), or an answer that is not OAuth's (an error page).
    /// Nothing says the session is wrong, so it is kept; trying again later may succeed.
    #[error("identity provider {issuer} is unavailable ({message}): try again later")]
    ProviderUnavailable {
        /// The configured issuer.
        issuer: String,
        /// What went wrong.
        message: String,
    },
    /// The ID token failed validation (signature, issuer, audience, expiry or nonce).
    #[error("the ID token from {issuer} is not valid: {message}")]
    InvalidIdToken {
        /// The configured issuer.
        issuer: String,
        /// What failed.
        message: String,
    },
    /// STS AssumeRoleWithWebIdentity failed: code `sts.refused` when STS refused it,
    /// `sts.unavailable` when STS could not be reached, or failed or throttled past the retries
    /// ([`crate::sts`]; then the session is kept and trying again later may succeed).
    #[error("STS AssumeRoleWithWebIdentity for {role_arn} failed ({error}): {hint}")]
    Sts {
        /// The role.
        role_arn: String,
        /// The STS error.
        error: ServiceError,
        /// What to do about it.
        hint: &'static str,
        /// True for an unreachable, failing (HTTP 5xx) or throttling STS, after the retries.
        transient: bool,
    },
    /// Amazon Cognito Identity refused or failed `GetId`, `GetOpenIdToken` or
    /// `GetCredentialsForIdentity`. Code: `cognito.refused` (`NotAuthorizedException`),
    /// `cognito.not_found` (`ResourceNotFoundException`), else `cognito.failed`.
    #[error("Amazon Cognito {operation} for identity pool {identity_pool_id} failed ({error}): {hint}")]
    Cognito {
        /// The identity pool.
        identity_pool_id: String,
        /// The API operation, e.g. `GetCredentialsForIdentity`.
        operation: &'static str,
        /// The service's error (its `__type`, e.g. `NotAuthorizedException`).
        error: ServiceError,
        /// What to do about it.
        hint: &'static str,
    },
    /// An S3 operation failed.
    #[error(transparent)]
    S3(#[from] S3Error),
    /// No AWS console sign-in URL could be made; the code is [`ConsoleError::code`].
    #[error(transparent)]
    Console(#[from] crate::console::ConsoleError),
    /// The OS keychain failed (not merely absent).
    #[error("keychain: {0}")]
    Keychain(String),
    /// A local file-system object was refused: a link inside a download folder, a temporary
    /// file replaced; the code is [`crate::localfs::LocalError::code`].
    #[error(transparent)]
    Local(#[from] crate::localfs::LocalError),
    /// A local file operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What Kura was doing, with the path.
        context: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Downloaded bytes do not match the object's full-object CRC64NVME checksum (stored by S3 at
    /// upload); the partial file has been removed. Source: "Checking object integrity in Amazon S3".
    #[error("{key}: downloaded data does not match the stored checksum (CRC64NVME {expected}, got {actual}); nothing was saved")]
    ChecksumMismatch {
        /// The object's key.
        key: String,
        /// The stored checksum (base64).
        expected: String,
        /// What the received bytes hash to (base64).
        actual: String,
    },
    /// Targets of a transfer already exist and the policy is `ask` with nobody to ask (no
    /// terminal); nothing was transferred.
    #[error("{count} target(s) already exist (first: {first}); choose what to do with --if-exists overwrite, skip or rename")]
    Conflict {
        /// How many targets exist.
        count: usize,
        /// The first of them.
        first: String,
    },
    /// The user cancelled the transfer (e.g. when asked about existing targets).
    #[error("cancelled")]
    Cancelled,
    /// Some items of a batch failed, the rest succeeded; every failed item is listed with its
    /// error and what trying it again needs ([`crate::storage::FailedItem`]).
    #[error("{}", crate::storage::batch::partial_message(.failed, *.total))]
    Partial {
        /// The items that failed, by path.
        failed: Vec<crate::storage::FailedItem>,
        /// How many were attempted.
        total: usize,
    },
}

/// Why an interactive sign-in failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginFailure {
    /// The callback's `state` does not match the pending login (CSRF or a stale tab).
    StateMismatch,
    /// The callback URL is not the expected redirect URI or lacks a code.
    BadCallback,
    /// No callback arrived in time.
    Timeout,
    /// The user or the IdP refused (`error=access_denied`, device code denied or expired).
    Denied,
    /// The provider refused the requested scopes (`error=invalid_scope`, RFC 6749 §4.1.2.1),
    /// e.g. Amazon Cognito user pools refuse `offline_access`.
    InvalidScope,
}

impl LoginFailure {
    fn code(self) -> ErrorCode {
        match self {
            Self::StateMismatch => ErrorCode::AuthStateMismatch,
            Self::BadCallback => ErrorCode::AuthBadCallback,
            Self::Timeout => ErrorCode::AuthTimeout,
            Self::Denied => ErrorCode::AuthDenied,
            Self::InvalidScope => ErrorCode::AuthInvalidScope,
        }
    }
}

fn config_message(file: &std::path::Path, profile: &Option<String>, key: &Option<String>, message: &str) -> String {
    let mut s = format!("config {}", file.display());
    if let Some(p) = profile {
        s.push_str(&format!(", profile {p:?}"));
    }
    if let Some(k) = key {
        s.push_str(&format!(", key {k:?}"));
    }
    s.push_str(": ");
    s.push_str(message);
    s
}

impl Error {
    /// The stable machine-readable code of this error (`area.reason`), e.g. `s3.access_denied`.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Config { .. } => ErrorCode::ConfigInvalid,
            Error::InvalidPath { .. } => ErrorCode::PathInvalid,
            Error::UnsafeKey { .. } => ErrorCode::PathUnsafeKey,
            Error::MissingClaim { .. } => ErrorCode::PathMissingClaim,
            Error::UnsafeClaim { .. } => ErrorCode::PathUnsafeClaim,
            Error::NotSignedIn { .. } => ErrorCode::AuthNotSignedIn,
            Error::SessionExpired { .. } => ErrorCode::AuthSessionExpired,
            Error::Login { reason, .. } => reason.code(),
            Error::LoopbackPortInUse { .. } => ErrorCode::AuthLoopbackPortInUse,
            Error::Provider { .. } => ErrorCode::AuthProvider,
            Error::ProviderUnavailable { .. } => ErrorCode::AuthProviderUnavailable,
            Error::InvalidIdToken { .. } => ErrorCode::AuthInvalidIdToken,
            Error::Sts { transient: true, .. } => ErrorCode::StsUnavailable,
            Error::Sts { .. } => ErrorCode::StsRefused,
            Error::Cognito { error, .. } => match error.code.as_deref() {
                Some("NotAuthorizedException") => ErrorCode::CognitoRefused,
                Some("ResourceNotFoundException") => ErrorCode::CognitoNotFound,
                _ => ErrorCode::CognitoFailed,
            },
            Error::S3(e) => e.cause.as_deref().map_or(e.kind.code(), Error::code),
            Error::Console(e) => e.code(),
            Error::Keychain(_) => ErrorCode::KeychainFailed,
            Error::Io { .. } => ErrorCode::LocalIo,
            Error::Local(e) => e.code(),
            Error::ChecksumMismatch { .. } => ErrorCode::TransferChecksumMismatch,
            Error::Conflict { .. } => ErrorCode::TransferConflict,
            Error::Cancelled => ErrorCode::TransferCancelled,
            Error::Partial { .. } => ErrorCode::BatchPartial,
        }
    }

    /// The broad class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Config { .. } | Error::InvalidPath { .. } | Error::Conflict { .. } | Error::Cancelled => {
                ErrorKind::Usage
            }
            Error::NotSignedIn { .. }
            | Error::SessionExpired { .. }
            | Error::Login { .. }
            | Error::LoopbackPortInUse { .. }
            | Error::Provider { .. }
            | Error::ProviderUnavailable { .. }
            | Error::InvalidIdToken { .. }
            | Error::Sts { .. }
            | Error::Cognito { .. }
            | Error::Keychain(_)
            | Error::MissingClaim { .. }
            | Error::UnsafeClaim { .. } => ErrorKind::Auth,
            Error::S3(e) => e.cause.as_deref().map_or(ErrorKind::Storage, Error::kind),
            Error::UnsafeKey { .. } | Error::ChecksumMismatch { .. } => ErrorKind::Storage,
            Error::Io { .. } | Error::Local(_) => ErrorKind::Local,
            Error::Console(crate::console::ConsoleError::Federation { .. }) => ErrorKind::Auth,
            Error::Console(_) => ErrorKind::Usage,
            Error::Partial { failed, .. } => failed.first().map_or(ErrorKind::Storage, |f| f.error.kind()),
        }
    }

    /// Whether trying again later may succeed with nothing changed: the identity provider, STS
    /// or S3 was unreachable, failing (HTTP 5xx) or throttling, also after Kura's retries
    /// (`auth.provider_unavailable`, `sts.unavailable`, `s3.network`, `s3.unavailable`, and S3
    /// errors caused by those). Such a failure keeps the session, and a multipart upload it
    /// stops is kept for resuming.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::ProviderUnavailable { .. } => true,
            Error::Sts { transient, .. } => *transient,
            Error::S3(e) => e.is_transient(),
            _ => false,
        }
    }

    /// Wraps an I/O error with what Kura was doing.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    pub(crate) fn login(reason: LoginFailure, message: impl Into<String>) -> Self {
        Error::Login {
            reason,
            message: message.into(),
        }
    }
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
