//! Operations on the user's own prefix: list, upload, download, delete, create folder,
//! move/rename and presign. Paths are [`RelPath`]s relative to the prefix; keys outside it are
//! never requested.

pub(crate) mod batch;
pub mod conflict;
mod copy;
mod download;
pub mod journal;
mod list;
mod manage;
mod multipart;
mod preview;
mod search;
mod unfinished;
mod upload;
mod writeback;

use std::sync::Arc;

use aws_sdk_s3::config::{BehaviorVersion, Region};
use aws_smithy_types::retry::RetryConfig;

pub use batch::{BatchItem, DownloadItem, FailedItem, UploadItem};
pub use download::{DownloadReport, RenameReason, Renamed};
pub use list::Entry;
pub use manage::Presigned;
pub use preview::{OtherReason, Preview, PreviewKind, TEXT_PREVIEW_BYTES};
pub use search::{NamePattern, SearchPage};
pub use unfinished::UnfinishedUpload;
pub use upload::UploadReport;

use crate::credentials::SessionCredentials;
use crate::error::Result;
use crate::paths::{Prefix, RelPath};
use crate::s3::{CredentialRefresh, ObjectClient, SdkClient};
use crate::session::Session;

/// Transfer tuning. Sizes in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferOptions {
    /// Files at least this large are uploaded in parts (default 16 MiB).
    pub multipart_threshold: u64,
    /// Part size (default 16 MiB, chosen with `bench/run --kura-variant`; raised so no file
    /// needs more than 10,000 parts; min 5 MiB).
    pub part_size: u64,
    /// Objects at least this large are moved/renamed with a multipart copy (UploadPartCopy in
    /// parts of `part_size`) instead of one CopyObject, which S3 limits to 5 GiB (default 5 GiB;
    /// min 5 MiB).
    pub multipart_copy_threshold: u64,
    /// Parts of one file in flight at once (default 4).
    pub part_concurrency: usize,
    /// Files in flight at once (default 8).
    pub file_concurrency: usize,
    /// What to do with targets that already exist (default: overwrite).
    pub if_exists: conflict::ConflictPolicy,
}

impl Default for TransferOptions {
    fn default() -> Self {
        TransferOptions {
            multipart_threshold: 16 * 1024 * 1024,
            part_size: 16 * 1024 * 1024,
            multipart_copy_threshold: 5 * 1024 * 1024 * 1024,
            part_concurrency: 4,
            file_concurrency: 8,
            if_exists: conflict::ConflictPolicy::Overwrite,
        }
    }
}

/// The user's storage: an [`ObjectClient`] confined to one prefix.
#[derive(Clone)]
pub struct Storage {
    client: Arc<dyn ObjectClient>,
    prefix: Prefix,
    session: Option<Arc<Session>>,
    options: TransferOptions,
    journal: journal::Journal,
}

impl Storage {
    /// Storage over any client (tests inject faulty ones here).
    pub fn new(client: Arc<dyn ObjectClient>, prefix: Prefix) -> Storage {
        Storage {
            client,
            prefix,
            session: None,
            options: TransferOptions::default(),
            journal: journal::Journal::default_dir(),
        }
    }

    /// The real S3 client for a signed-in session, confined to the profile's first location:
    /// see [`Storage::connect_location`].
    pub async fn connect(session: Arc<Session>) -> Result<Storage> {
        Storage::connect_location(session, None).await
    }

    /// The real S3 client for a signed-in session, confined to location `location` (`None`:
    /// the first) of its profile: credentials come from the session (renewed ahead of expiry;
    /// one forced renewal and retry when S3 refuses them as expired). The prefix is rendered
    /// before any request. Errors: [`crate::Error::NotSignedIn`], [`crate::Error::Config`] (no
    /// such location), `path.missing_claim`, `path.unsafe_claim`.
    pub async fn connect_location(session: Arc<Session>, location: Option<&str>) -> Result<Storage> {
        let prefix = session.location_prefix(location).await?;
        let profile = session.profile();
        let mut b = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(profile.region.clone()))
            .credentials_provider(SessionCredentials(session.clone()))
            .identity_cache(aws_sdk_s3::config::IdentityCache::no_cache())
            .retry_config(RetryConfig::standard().with_max_attempts(4))
            .force_path_style(profile.force_path_style);
        if let Some(e) = &profile.s3_endpoint {
            b = b.endpoint_url(e);
        }
        let sdk = aws_sdk_s3::Client::from_conf(b.build());
        let refresher: Arc<dyn CredentialRefresh> = session.clone();
        let client = SdkClient::new(sdk, profile.bucket.clone(), Some(refresher));
        Ok(Storage {
            client: Arc::new(client),
            prefix,
            options: profile.transfers,
            session: Some(session),
            journal: journal::Journal::default_dir(),
        })
    }

    /// Replaces the transfer options.
    pub fn with_options(mut self, options: TransferOptions) -> Storage {
        self.options = options;
        self
    }

    /// Keeps the upload journal in `journal` instead of the default directory.
    pub fn with_journal(mut self, journal: journal::Journal) -> Storage {
        self.journal = journal;
        self
    }

    /// The transfer options in use.
    pub fn options(&self) -> TransferOptions {
        self.options
    }

    /// The user's prefix.
    pub fn prefix(&self) -> &Prefix {
        &self.prefix
    }

    /// The client (for tools and tests).
    pub fn client(&self) -> &Arc<dyn ObjectClient> {
        &self.client
    }

    fn key(&self, rel: &RelPath) -> String {
        self.prefix.key(rel)
    }
}
