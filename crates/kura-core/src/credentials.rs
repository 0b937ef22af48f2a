//! The bridge from a [`Session`] to `aws-sdk-s3`: a credentials provider that asks the session
//! for credentials on every request (the session caches them in memory and renews them ahead of
//! expiry), so the SDK's own identity cache is turned off.

use std::sync::Arc;
use std::time::SystemTime;

use aws_credential_types::provider::{error::CredentialsError, future, ProvideCredentials};
use aws_credential_types::Credentials;
use secrecy::ExposeSecret;

use crate::session::Session;

/// `ProvideCredentials` over a session.
#[derive(Debug, Clone)]
pub struct SessionCredentials(pub Arc<Session>);

impl ProvideCredentials for SessionCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let c = self
                .0
                .credentials()
                .await
                .map_err(|e| CredentialsError::provider_error(RenewalFailed(Arc::new(e))))?;
            Ok(Credentials::new(
                c.access_key_id,
                c.secret_access_key.expose_secret(),
                Some(c.session_token.expose_secret().to_string()),
                Some(SystemTime::from(c.expiration)),
                "kura",
            ))
        })
    }
}

/// The session's error, carried through the SDK's credentials error so that the S3 error of the
/// request can name it ([`crate::s3::S3Error::cause`]) instead of a dispatch failure.
#[derive(Debug)]
pub(crate) struct RenewalFailed(pub(crate) Arc<crate::Error>);

impl std::fmt::Display for RenewalFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for RenewalFailed {}
