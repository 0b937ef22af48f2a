//! Setting Kura up without editing a file: provider presets that derive the issuer and scopes
//! from what an administrator hands out ([`preset`]), a check of the provider's discovery
//! document before anything is saved ([`check`]), and what the administrator must register
//! (callback URLs, the IAM trust and permission policies: [`policy`]; an Amazon Cognito identity
//! pool's provider entry: [`summary`]). The credential source (IAM role or identity pool) is
//! [`credentials`].
//!
//! Front ends (the desktop setup screen, `kura profile add`) call these and word the codes.

pub mod check;
pub mod credentials;
pub mod policy;
pub mod preset;
pub mod provider;
pub mod summary;

pub use check::{check_provider, CheckReport, Finding, Severity};
pub use credentials::CredentialSource;
pub use preset::{FieldIssue, Preset, ProfileDraft, ProviderInput};
pub use summary::{IdentityPoolEntry, OidcProviderEntry, PoolProviderType, SetupSummary};
