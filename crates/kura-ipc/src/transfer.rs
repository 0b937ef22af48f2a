//! Transfers across IPC: what a transfer's channel carries ([`TransferEvent`]), what starting
//! one returns ([`TransferStarted`]), the failed items of a partly failed batch, the answer to a
//! conflict and the unfinished uploads offered after a restart.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::IpcError;

/// Upload or download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    /// Local → S3.
    Upload,
    /// S3 → local.
    Download,
}

/// Messages of a transfer's channel. `id` is what `start_upload`/`start_download` returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum TransferEvent {
    /// Bytes and files done so far (throttled to ≤ 10 per second).
    Progress {
        /// Transfer id.
        id: u32,
        /// Bytes transferred.
        #[ts(type = "number")]
        bytes_done: u64,
        /// Bytes in the transfer.
        #[ts(type = "number")]
        bytes_total: u64,
        /// Files finished.
        files_done: u32,
        /// Files in the transfer.
        files_total: u32,
        /// Rate over the last few seconds (not counting paused time), bytes per second.
        rate: f64,
    },
    /// Paused: no new request starts (those in flight finish) until resumed.
    Paused {
        /// Transfer id.
        id: u32,
    },
    /// Running again after a pause.
    Resumed {
        /// Transfer id.
        id: u32,
    },
    /// Targets already exist; nothing has been transferred yet. Answer with
    /// `answer_conflicts(id, choice)` (a null choice cancels the transfer).
    Conflicts {
        /// Transfer id.
        id: u32,
        /// The existing targets: remote paths (upload) or paths relative to the download
        /// folder (download), never absolute local paths.
        targets: Vec<String>,
    },
    /// Finished successfully.
    Done {
        /// Transfer id.
        id: u32,
        /// Files transferred.
        files: u32,
        /// Bytes transferred.
        #[ts(type = "number")]
        bytes: u64,
    },
    /// Failed (possibly after transferring some files). `error` is `batch.partial` when only
    /// some items failed; they are listed in `failed_items`.
    Failed {
        /// Transfer id.
        id: u32,
        /// Why.
        error: IpcError,
        /// The items that failed and why, by path (empty unless `error` is `batch.partial`).
        failed_items: Vec<FailedItemView>,
        /// How many items the transfer attempted (0 unless `error` is `batch.partial`).
        items_total: u32,
        /// True when `retry_transfer(id)` can run the failed items (or, when none are listed,
        /// the whole transfer) again.
        can_retry: bool,
    },
    /// Cancelled by the user.
    Cancelled {
        /// Transfer id.
        id: u32,
    },
}

/// An item of a transfer that failed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FailedItemView {
    /// The item: an upload's target (relative to the prefix) or a download's place relative to
    /// the download folder — never an absolute local path.
    pub path: String,
    /// Why it failed.
    pub error: IpcError,
}

impl From<&kura_core::storage::FailedItem> for FailedItemView {
    fn from(f: &kura_core::storage::FailedItem) -> Self {
        FailedItemView {
            path: f.path().to_string(),
            error: IpcError::from(&f.error),
        }
    }
}

/// What to do with every existing target of a transfer (the conflict dialog's answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConflictChoice {
    /// Replace them.
    Overwrite,
    /// Leave them; skip those items.
    Skip,
    /// Keep both: the new ones get `name (1).ext`.
    Rename,
}

/// An upload an earlier run left unfinished (from the local journal; no secrets in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UnfinishedUploadView {
    /// What `resume_unfinished` and `discard_unfinished` take (the multipart `UploadId`).
    pub id: String,
    /// The local source file, for display only (no command takes a local path).
    pub local_path: String,
    /// Where it was going, relative to the prefix.
    pub remote: String,
    /// The file's size in bytes when the upload began.
    #[ts(type = "number")]
    pub size: u64,
    /// Bytes already sent (journaled parts).
    #[ts(type = "number")]
    pub bytes_done: u64,
    /// False when the source changed (resuming starts over) or is gone (only discard works).
    pub source_unchanged: bool,
    /// Whether the source file still exists.
    pub source_exists: bool,
}

/// A transfer as started: its id and what it moves where, which the UI words in its language
/// (`a.txt → docs/`, `3 items → docs/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TransferStarted {
    /// Id used by its channel's events and by `cancel_transfer`.
    pub id: u32,
    /// Upload or download.
    pub kind: TransferKind,
    /// The name of the one file or folder moved; null when several are.
    pub name: Option<String>,
    /// How many files and folders were chosen (a folder counts once).
    pub items: u32,
    /// Where to: the remote folder (`docs/`, `/` for the root) or the local folder's name.
    pub to: String,
    /// True for an interrupted upload resumed from its journal.
    pub resumed: bool,
}

impl TransferStarted {
    /// Transfer `id` of `names` (display names) to `to`.
    pub fn new(id: u32, kind: TransferKind, names: &[String], to: &str) -> TransferStarted {
        TransferStarted {
            id,
            kind,
            name: match names {
                [one] => Some(one.clone()),
                _ => None,
            },
            items: names.len() as u32,
            to: to.to_string(),
            resumed: false,
        }
    }
}
