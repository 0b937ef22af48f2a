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
            let c = self.0.credentials().await.map_err(CredentialsError::provider_error)?;
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
