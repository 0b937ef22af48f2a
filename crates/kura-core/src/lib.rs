//! Kura's GUI-free core: OpenID Connect sign-in (Authorization Code + PKCE, device grant),
//! tokens in the OS keychain, STS AssumeRoleWithWebIdentity or Cognito identity pool credentials, and S3 operations
//! confined to the signed-in user's prefix. The `kura` CLI and the desktop app are thin adapters
//! over this crate.

pub mod browser;
pub mod checksum;
pub mod cognito;
pub mod config;
pub mod console;
pub mod credentials;
pub mod error;
pub mod localfs;
pub mod lock;
pub mod logging;
pub mod oidc;
pub mod paths;
pub mod printable;
pub mod progress;
pub mod s3;
pub mod session;
pub mod setup;
pub mod storage;
pub mod store;
pub mod sts;

pub use error::{Error, ErrorCode, ErrorKind, Result};
pub use secrecy;

#[cfg(test)]
mod scripted;
