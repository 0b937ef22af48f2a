//! Retry of failed transfers. What a transfer runs is kept as a [`TransferJob`] — the storage
//! (profile, location and prefix) it started on and the local paths the user chose, which never
//! reach the page. When the transfer fails, the job is cut down to the items that failed
//! ([`kura_core::Error::Partial`]'s items; the whole job when the failure names none) and kept
//! under the transfer's id for the window that started it, for [`RETRY_TTL`]. The page then names
//! only that id (`retry_transfer`): the dialog's one-use handle was used up by the first run, and
//! nothing the page sends can point the retry at other files or places.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use kura_core::paths::RelPath;
use kura_core::progress::TransferHooks;
use kura_core::storage::{BatchItem, DownloadItem, Storage, UnfinishedUpload, UploadItem};
use kura_core::{Error, ErrorCode};
use kura_ipc::{IpcError, TransferEvent, TransferKind, TransferStarted};
use tauri::ipc::Channel;
use tauri::{AppHandle, State, Webview};

use super::transfers::{spawn_transfer, Totals};
use crate::profiles::Ready;
use crate::state::AppState;

/// How long a failed transfer can be retried (as long as a dialog's choice stays usable).
pub const RETRY_TTL: Duration = crate::chosen::CHOSEN_TTL;

/// What a transfer runs.
#[derive(Clone)]
pub enum Work {
    /// Upload `sources` (files and folders) into folder `dest`.
    Upload {
        /// The chosen files and folders.
        sources: Vec<PathBuf>,
        /// The remote folder.
        dest: RelPath,
    },
    /// Upload these files again, each to its target.
    UploadItems(Vec<UploadItem>),
    /// Continue an upload an earlier run left unfinished.
    Resume(UnfinishedUpload),
    /// Download `remotes` (files and folders) into `dir`.
    Download {
        /// Remote paths relative to the prefix.
        remotes: Vec<RelPath>,
        /// The chosen folder.
        dir: PathBuf,
    },
    /// Download these items again into `dir`, each to its place.
    DownloadItems {
        /// The items that failed.
        items: Vec<DownloadItem>,
        /// The chosen folder.
        dir: PathBuf,
    },
}

/// A transfer's work with where it runs: the storage it started on (its profile, location and
/// rendered prefix) and the window that started it.
#[derive(Clone)]
pub struct TransferJob {
    /// The window that started it (only it may retry).
    pub window: String,
    /// The profile it started on.
    pub profile: String,
    /// The location (of that profile) it started on.
    pub location: String,
    /// Their storage (the prefix as rendered then).
    pub storage: Storage,
    /// What the transfer moves where, as announced when it started (a retry is announced the
    /// same, under its own id).
    pub started: TransferStarted,
    /// What it runs.
    pub work: Work,
}

impl TransferJob {
    /// The job `work` on `storage` of `ready`'s profile and location, started by `window`'s
    /// page and announced as `started`.
    pub fn new(window: &str, ready: &Ready, storage: Storage, started: &TransferStarted, work: Work) -> Self {
        TransferJob {
            window: window.to_string(),
            profile: ready.profile.name.clone(),
            location: ready.location(),
            storage,
            started: started.clone(),
            work,
        }
    }

    /// Upload or download.
    pub fn kind(&self) -> TransferKind {
        match self.work {
            Work::Upload { .. } | Work::UploadItems(_) | Work::Resume(_) => TransferKind::Upload,
            Work::Download { .. } | Work::DownloadItems { .. } => TransferKind::Download,
        }
    }

    /// The folder a download writes into.
    pub fn download_dir(&self) -> Option<PathBuf> {
        match &self.work {
            Work::Download { dir, .. } | Work::DownloadItems { dir, .. } => Some(dir.clone()),
            _ => None,
        }
    }

    /// Runs the work; its files and bytes.
    pub async fn run(self, hooks: TransferHooks) -> kura_core::Result<(u32, u64)> {
        let s = &self.storage;
        match &self.work {
            Work::Upload { sources, dest } => s.upload_with(sources, dest, hooks).await.map(|r| r.totals()),
            Work::UploadItems(items) => s.retry_upload(items, hooks).await.map(|r| r.totals()),
            Work::Resume(upload) => s.resume_upload(upload, hooks).await.map(|r| r.totals()),
            Work::Download { remotes, dir } => s.download_with(remotes, dir, true, hooks).await.map(|r| r.totals()),
            Work::DownloadItems { items, dir } => s.retry_download(items, dir, hooks).await.map(|r| r.totals()),
        }
    }

    /// What Retry runs after `error`: see [`Work::after`].
    pub fn after(self, error: &Error) -> Option<TransferJob> {
        let work = self.work.after(error)?;
        Some(TransferJob { work, ..self })
    }
}

impl Work {
    /// What Retry runs after `error`: only the failed items of a partial failure, the whole work
    /// after any other failure, nothing after a cancel.
    fn after(self, error: &Error) -> Option<Work> {
        let failed = match error {
            Error::Cancelled => return None,
            Error::Partial { failed, .. } => failed,
            _ => return Some(self),
        };
        Some(match self {
            Work::Download { dir, .. } | Work::DownloadItems { dir, .. } => Work::DownloadItems {
                items: failed
                    .iter()
                    .filter_map(|f| match &f.item {
                        BatchItem::Download(d) => Some(d.clone()),
                        _ => None,
                    })
                    .collect(),
                dir,
            },
            Work::Upload { .. } | Work::UploadItems(_) | Work::Resume(_) => Work::UploadItems(
                failed
                    .iter()
                    .filter_map(|f| match &f.item {
                        BatchItem::Upload(u) => Some(u.clone()),
                        _ => None,
                    })
                    .collect(),
            ),
        })
    }
}

/// Failed transfers that can be retried ([`TransferJob`]s), by transfer id, each with the window
/// that started it.
pub struct Retries<J = TransferJob> {
    kept: Mutex<HashMap<u32, Kept<J>>>,
}

struct Kept<J> {
    window: String,
    job: J,
    at: Instant,
}

impl<J> Default for Retries<J> {
    fn default() -> Self {
        Retries {
            kept: Mutex::new(HashMap::new()),
        }
    }
}

impl<J: Clone> Retries<J> {
    /// Keeps what Retry of failed transfer `id`, started in `window`, runs (forgetting expired
    /// ones).
    pub fn keep(&self, id: u32, window: &str, job: J) {
        let now = Instant::now();
        let mut kept = self.kept.lock().unwrap();
        kept.retain(|_, k| now.saturating_duration_since(k.at) < RETRY_TTL);
        let window = window.to_string();
        kept.insert(id, Kept { window, job, at: now });
    }

    /// The retry of transfer `id` if `window` started it and it has not expired.
    fn get(&self, window: &str, id: u32) -> Option<J> {
        let kept = self.kept.lock().unwrap();
        let k = kept.get(&id)?;
        (k.window == window && k.at.elapsed() < RETRY_TTL).then(|| k.job.clone())
    }

    /// Uses up the retry of transfer `id`; false when it is gone (retried meanwhile).
    fn take(&self, id: u32) -> bool {
        self.kept.lock().unwrap().remove(&id).is_some()
    }
}

fn not_retryable() -> IpcError {
    IpcError::new(
        ErrorCode::TransferNotFound,
        "this transfer cannot be retried (it was retried already, it is too old, or another user is signed in now)",
    )
}

/// Runs again what failed in finished transfer `id` as a new transfer (events on `on_event`,
/// like `start_upload`): only the items that failed — all of it when the failure named none —
/// to the same places with the same conflict policy (a replace already decided is not asked
/// again); an upload that a transient failure paused continues its multipart upload (same
/// `UploadId`, only the missing parts are sent). A failure is retried once; the new transfer can
/// fail and be retried in turn. Errors: `transfer.not_found` (no such failed transfer in this
/// window, retried already, older than [`RETRY_TTL`], or the location's prefix is another now:
/// another user signed in), `auth.not_signed_in`, `path.missing_claim`.
#[tauri::command]
pub async fn retry_transfer(
    app: AppHandle,
    webview: Webview,
    state: State<'_, AppState>,
    retries: State<'_, Retries>,
    id: u32,
    on_event: Channel<TransferEvent>,
) -> Result<TransferStarted, IpcError> {
    let job = retries.get(webview.label(), id).ok_or_else(not_retryable)?;
    // Only into the place it was meant for while it is still this user's: the same prefix.
    let ready = state.registry().ready(&job.profile)?;
    let prefix = ready.session.location_prefix(Some(&job.location)).await?;
    if prefix.as_str() != job.storage.prefix().as_str() || !retries.take(id) {
        return Err(not_retryable());
    }
    let id = state.next_transfer_id();
    let started = TransferStarted {
        id,
        ..job.started.clone()
    };
    spawn_transfer(&app, &state, id, on_event, job);
    Ok(started)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kura_core::storage::FailedItem;

    fn failed(item: BatchItem) -> FailedItem {
        FailedItem {
            item,
            error: Error::io("reading", std::io::Error::from(std::io::ErrorKind::NotFound)),
        }
    }

    #[test]
    fn a_partial_failure_is_retried_with_its_failed_items_only() {
        let whole = Work::Upload {
            sources: vec!["/home/u/up/a".into(), "/home/u/up/b".into()],
            dest: RelPath::parse("docs/").unwrap(),
        };
        let item = UploadItem {
            local: "/home/u/up/a/x.txt".into(),
            remote: RelPath::parse("docs/a/x.txt").unwrap(),
            replace: false,
        };
        let err = Error::Partial {
            failed: vec![failed(BatchItem::Upload(item.clone()))],
            total: 3,
        };
        match whole.clone().after(&err) {
            Some(Work::UploadItems(items)) => assert_eq!(items, vec![item]),
            _ => panic!("expected the failed items"),
        }
        // Any other failure retries the whole work; a cancel, nothing.
        let other = whole.clone().after(&Error::NotSignedIn { profile: "p".into() });
        assert!(matches!(other, Some(Work::Upload { .. })));
        assert!(whole.after(&Error::Cancelled).is_none());
    }

    #[test]
    fn a_download_is_retried_into_its_folder() {
        let dir = PathBuf::from("/home/u/Downloads");
        let whole = Work::Download {
            remotes: vec![RelPath::parse("album/").unwrap()],
            dir: dir.clone(),
        };
        let item = DownloadItem {
            remote: RelPath::parse("album/b.txt").unwrap(),
            local: "album/b.txt".into(),
            replace: true,
        };
        let err = Error::Partial {
            failed: vec![failed(BatchItem::Download(item.clone()))],
            total: 2,
        };
        match whole.after(&err) {
            Some(Work::DownloadItems { items, dir: d }) => assert_eq!((items, d), (vec![item], dir)),
            _ => panic!("expected the failed items"),
        }
    }

    #[test]
    fn retries_belong_to_their_window_and_are_used_once() {
        let retries: Retries<&str> = Retries::default();
        retries.keep(7, "main", "job 7");
        assert!(retries.get("other", 7).is_none(), "another window cannot retry it");
        assert!(retries.get("main", 8).is_none());
        assert_eq!(retries.get("main", 7), Some("job 7"));
        assert!(retries.take(7));
        assert!(!retries.take(7), "used once");
        assert!(retries.get("main", 7).is_none());
    }
}
