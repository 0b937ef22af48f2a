//! Errors across IPC: a code from the one list ([`ErrorCode`], generated into
//! `ui/src/bindings/ErrorCode.ts` as a string-literal union) and the parameters the UI needs to
//! word it in the user's language ([`ErrorParams`]). The English `message` is for logs only.

use kura_core::error::ServiceError;
use kura_core::{Error, ErrorCode};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Every command error crosses IPC as `{ code, message, params }`; the UI words it from `code`
/// and `params` (e.g. `auth.not_signed_in`, `s3.access_denied` with the key), never from
/// `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IpcError {
    /// Stable machine-readable code (`area.reason`).
    pub code: ErrorCode,
    /// English explanation for logs (the CLI's wording); the UI does not show it.
    pub message: String,
    /// What the UI needs to word this error; which fields are set depends on `code`.
    // Boxed: keeps `Result<_, IpcError>` and the events that carry one small.
    #[serde(default)]
    pub params: Box<ErrorParams>,
}

/// The parameters of an [`IpcError`], filled from the core error's fields. Absent fields are
/// left out of the JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(optional_fields)]
pub struct ErrorParams {
    /// The profile concerned (`auth.not_signed_in`, `config.invalid`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The configuration file (`config.invalid`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The configuration key or setup form field (`config.invalid`), e.g. `bucket`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The setup rule the key's value broke (`config.invalid`), as `FieldIssue.code`, e.g.
    /// `name.taken`, `url.invalid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// The path concerned: relative to the prefix or an object key (`path.invalid`,
    /// `path.unsafe_key`, `s3.*`, `transfer.checksum_mismatch`, `transfer.conflict`'s first
    /// target), or a local path (`local.symlink`, `local.replaced`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The prefix template's placeholder, e.g. `{tag:tenant}` (`path.missing_claim`,
    /// `path.unsafe_claim`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// The claim's value, escaped (`path.unsafe_claim`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The identity provider's issuer (`auth.provider`, `auth.provider_unavailable`,
    /// `auth.invalid_id_token`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The IAM role (`sts.*`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// The Cognito identity pool (`cognito.*`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_pool: Option<String>,
    /// The service operation, e.g. `PutObject`, `GetCredentialsForIdentity` (`s3.*`,
    /// `cognito.*`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The service's own error code: S3's `AccessDenied`, STS's `InvalidIdentityToken`,
    /// Cognito's `NotAuthorizedException`, OAuth's `invalid_grant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_code: Option<String>,
    /// HTTP status of the service's answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The loopback host, `127.0.0.1` or `localhost` (`auth.loopback_port_in_use`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The loopback port (`auth.loopback_port_in_use`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// The AWS federation endpoint, without query (`console.federation`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The role's AWS partition (`console.endpoint`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// The console destination as given (`console.destination`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// How many targets exist (`transfer.conflict`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// How many items failed (`batch.partial`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<u32>,
    /// How many items were attempted (`batch.partial`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
    /// The first item's failure (`batch.partial`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<Box<IpcError>>,
    /// Text Kura does not word: the service's or the operating system's message (e.g. an
    /// identity provider's `error_description`), or the reason a value was refused. The UI may
    /// show it after its own sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl IpcError {
    /// An error with `code`, the log `message` and no parameters.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        IpcError {
            code,
            message: message.into(),
            params: Box::default(),
        }
    }

    /// `self` with `issue` (a setup rule's code, e.g. `name.taken`) as its
    /// [`ErrorParams::issue`].
    pub fn with_issue(mut self, issue: impl Into<String>) -> Self {
        self.params.issue = Some(issue.into());
        self
    }

    /// `self` with `detail` as its [`ErrorParams::detail`].
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.params.detail = Some(detail.into());
        self
    }
}

impl From<&Error> for IpcError {
    fn from(e: &Error) -> Self {
        IpcError {
            code: e.code(),
            message: e.to_string(),
            params: Box::new(ErrorParams::of(e)),
        }
    }
}

impl From<Error> for IpcError {
    fn from(e: Error) -> Self {
        IpcError::from(&e)
    }
}

fn count(n: usize) -> Option<u32> {
    Some(u32::try_from(n).unwrap_or(u32::MAX))
}

impl ErrorParams {
    /// The parameters of a core error (an S3 error caused by the session's failure to renew
    /// credentials has its cause's, like its code).
    pub fn of(e: &Error) -> Self {
        use kura_core::console::ConsoleError;
        use kura_core::localfs::LocalError;
        let mut p = ErrorParams::default();
        match e {
            Error::Config {
                file,
                profile,
                key,
                message,
            } => {
                p.file = Some(file.display().to_string());
                p.profile.clone_from(profile);
                p.key.clone_from(key);
                p.detail = Some(message.clone());
            }
            Error::InvalidPath { path, reason } => {
                p.path = Some(path.clone());
                p.detail = Some(reason.clone());
            }
            Error::MissingClaim { placeholder, reason } => {
                p.placeholder = Some(placeholder.clone());
                p.detail = Some(reason.clone());
            }
            Error::UnsafeClaim {
                placeholder,
                value,
                reason,
            } => {
                p.placeholder = Some(placeholder.clone());
                p.value = Some(value.clone());
                p.detail = Some(reason.clone());
            }
            Error::UnsafeKey { key, reason } => {
                p.path = Some(key.clone());
                p.detail = Some(reason.clone());
            }
            Error::NotSignedIn { profile } => p.profile = Some(profile.clone()),
            Error::SessionExpired { error } => p.service(error),
            Error::Login { message, .. } => p.detail = Some(message.clone()),
            Error::LoopbackPortInUse { host, port } => {
                p.host = Some((*host).to_string());
                p.port = Some(*port);
            }
            Error::Provider { issuer, message }
            | Error::ProviderUnavailable { issuer, message }
            | Error::InvalidIdToken { issuer, message } => {
                p.issuer = Some(issuer.clone());
                p.detail = Some(message.clone());
            }
            Error::Sts { role_arn, error, .. } => {
                p.role_arn = Some(role_arn.clone());
                p.service(error);
            }
            Error::Cognito {
                identity_pool_id,
                operation,
                error,
                ..
            } => {
                p.identity_pool = Some(identity_pool_id.clone());
                p.operation = Some((*operation).to_string());
                p.service(error);
            }
            Error::S3(s3) => {
                if let Some(cause) = &s3.cause {
                    return ErrorParams::of(cause);
                }
                p.operation = Some(s3.operation.to_string());
                p.path = Some(s3.key.clone());
                p.service_code.clone_from(&s3.code);
                p.status = s3.status;
                p.detail = Some(s3.message.clone()).filter(|m| !m.is_empty());
            }
            Error::Console(ConsoleError::Federation {
                endpoint,
                status,
                detail,
            }) => {
                p.endpoint = Some(endpoint.clone());
                p.status = *status;
                p.detail = Some(detail.clone());
            }
            Error::Console(ConsoleError::Destination { destination }) => p.destination = Some(destination.clone()),
            Error::Console(ConsoleError::Endpoint { partition }) => p.partition = Some(partition.clone()),
            Error::Keychain(message) => p.detail = Some(message.clone()),
            Error::Local(LocalError::Symlink { path } | LocalError::Replaced { path }) => {
                p.path = Some(path.display().to_string());
            }
            Error::Io { .. } => p.detail = Some(e.to_string()),
            Error::ChecksumMismatch { key, .. } => p.path = Some(key.clone()),
            Error::Conflict { count: n, first } => {
                p.count = count(*n);
                p.path = Some(first.clone());
            }
            Error::Cancelled => {}
            Error::Partial { failed, total } => {
                p.failed = count(failed.len());
                p.total = count(*total);
                p.first = failed.first().map(|f| Box::new(IpcError::from(&f.error)));
            }
        }
        p
    }

    fn service(&mut self, error: &ServiceError) {
        self.service_code.clone_from(&error.code);
        self.status = error.status;
        self.detail.clone_from(&error.message);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use kura_core::error::ServiceError;
    use kura_core::s3::{S3Error, S3ErrorKind};

    use super::*;

    fn refused(code: &str, message: &str) -> ServiceError {
        ServiceError {
            code: Some(code.into()),
            message: Some(message.into()),
            status: Some(400),
        }
    }

    #[test]
    fn parameters_come_from_the_errors_fields() {
        let sts = IpcError::from(Error::Sts {
            role_arn: "arn:aws:iam::1:role/R".into(),
            error: refused("InvalidIdentityToken", "audience mismatch"),
            hint: "check the role's trust policy",
            transient: false,
        });
        assert_eq!(sts.code, ErrorCode::StsRefused);
        assert_eq!(sts.params.role_arn.as_deref(), Some("arn:aws:iam::1:role/R"));
        assert_eq!(sts.params.service_code.as_deref(), Some("InvalidIdentityToken"));
        assert_eq!(sts.params.detail.as_deref(), Some("audience mismatch"));
        assert_eq!(sts.params.status, Some(400));

        let mut denied = S3Error::new(S3ErrorKind::AccessDenied, "GetObject", "users/u/../x", "denied");
        denied.code = Some("AccessDenied".into());
        let denied = IpcError::from(Error::S3(denied));
        assert_eq!(
            (denied.params.operation.as_deref(), denied.params.path.as_deref()),
            (Some("GetObject"), Some("users/u/../x"))
        );
        assert_eq!(denied.params.service_code.as_deref(), Some("AccessDenied"));

        let port = IpcError::from(Error::LoopbackPortInUse {
            host: "localhost",
            port: 47180,
        });
        assert_eq!(
            (port.params.host.as_deref(), port.params.port),
            (Some("localhost"), Some(47180))
        );
    }

    #[test]
    fn an_s3_error_caused_by_the_session_has_the_causes_code_and_parameters() {
        let cause = Error::SessionExpired {
            error: refused("invalid_grant", "refresh token revoked"),
        };
        let s3 = S3Error::new(S3ErrorKind::ExpiredCredentials, "PutObject", "a.txt", "").caused_by(Arc::new(cause));
        let ipc = IpcError::from(Error::S3(s3));
        assert_eq!(ipc.code, ErrorCode::AuthSessionExpired);
        assert_eq!(ipc.params.service_code.as_deref(), Some("invalid_grant"));
        assert_eq!(ipc.params.path, None);
    }

    #[test]
    fn a_partial_batch_carries_its_first_failure() {
        use kura_core::paths::RelPath;
        use kura_core::storage::{BatchItem, DownloadItem, FailedItem};
        let failed = |key: &str| FailedItem {
            item: BatchItem::Download(DownloadItem {
                remote: RelPath::parse("docs/x").unwrap(),
                local: "docs/x".into(),
                replace: false,
            }),
            error: Error::UnsafeKey {
                key: key.into(),
                reason: "has ..".into(),
            },
        };
        let ipc = IpcError::from(Error::Partial {
            failed: vec![failed("a/../b"), failed("c/../d")],
            total: 5,
        });
        assert_eq!((ipc.params.failed, ipc.params.total), (Some(2), Some(5)));
        let first = ipc.params.first.as_deref().unwrap();
        assert_eq!(first.code, ErrorCode::PathUnsafeKey);
        assert_eq!(first.params.path.as_deref(), Some("a/../b"));
        let json = serde_json::to_value(&ipc).unwrap();
        assert_eq!(json["params"]["first"]["code"], "path.unsafe_key");
    }

    /// The CLI's advice lives in `message` (Display); nothing the UI may show repeats it.
    #[test]
    fn no_parameter_carries_the_clis_advice() {
        let errors = [
            Error::NotSignedIn { profile: "p".into() },
            Error::SessionExpired {
                error: refused("invalid_grant", "expired"),
            },
            Error::S3(S3Error::new(
                S3ErrorKind::ExpiredCredentials,
                "GetObject",
                "k",
                "ExpiredToken",
            )),
        ];
        for e in errors {
            let ipc = IpcError::from(&e);
            assert!(ipc.message.contains("kura login"), "{}", ipc.message);
            let params = serde_json::to_string(&ipc.params).unwrap();
            assert!(!params.contains("kura "), "{params}");
        }
    }

    #[test]
    fn shell_errors_round_trip_with_their_code_string() {
        let e = IpcError::new(ErrorCode::LocalNotChosen, "choose it again").with_detail("handle 00");
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"code":"local.not_chosen","message":"choose it again","params":{"detail":"handle 00"}}"#
        );
        assert_eq!(serde_json::from_str::<IpcError>(&json).unwrap(), e);
        let bare: IpcError = serde_json::from_str(r#"{"code":"ui.error","message":"m"}"#).unwrap();
        assert_eq!(*bare.params, ErrorParams::default());
    }
}
