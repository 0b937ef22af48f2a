//! The app's state: the profile's session and storage from `kura-core`, the pending sign-in,
//! and running transfers. The shell keeps no S3/OIDC logic of its own.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use kura_core::config::{Config, Profile};
use kura_core::progress::{Pause, RateWindow};
use kura_core::session::Session;
use kura_core::storage::Storage;
use kura_core::store::TokenStore;
use kura_ipc::{ConflictChoice, IpcError, TransferEvent};
use tauri::ipc::Channel;

use crate::signin::PendingSignIn;

/// Loaded at start: the profile's session, or why it could not be loaded (shown by the UI).
pub struct AppState {
    ready: Result<Ready, IpcError>,
    /// The sign-in waiting for its deep link, if any.
    pub pending: Mutex<Option<PendingSignIn>>,
    transfers: Mutex<HashMap<u32, Running>>,
    next_transfer: AtomicU32,
    /// Transfers beyond this many wait their turn (shown as queued in the UI).
    pub queue: Arc<tokio::sync::Semaphore>,
}

/// Transfers (batches) running at once; each also runs its files and parts concurrently.
pub const MAX_RUNNING_TRANSFERS: usize = 3;

/// A running transfer: its task, its channel (to announce a cancellation or pause), its pause
/// switch and rate window, and the pending answer to a conflict question, if one was asked.
struct Running {
    task: tauri::async_runtime::JoinHandle<()>,
    control: TransferControl,
}

/// What the commands need to steer a transfer; shared with its task.
#[derive(Clone)]
pub struct TransferControl {
    /// The transfer's channel.
    pub channel: Channel<TransferEvent>,
    /// Its pause switch.
    pub pause: Pause,
    /// Its rate window (reset on resume, so paused time is not averaged in).
    pub rate: Arc<Mutex<RateWindow>>,
    /// Where `answer_conflicts` sends the user's choice (`None` cancels).
    pub answer: Arc<Mutex<Option<tokio::sync::oneshot::Sender<Option<ConflictChoice>>>>>,
}

impl TransferControl {
    /// Controls for a transfer reporting on `channel`.
    pub fn new(channel: Channel<TransferEvent>) -> TransferControl {
        TransferControl {
            channel,
            pause: Pause::default(),
            rate: Arc::new(Mutex::new(RateWindow::new(std::time::Duration::from_secs(5)))),
            answer: Arc::new(Mutex::new(None)),
        }
    }
}

/// A loaded profile.
pub struct Ready {
    /// The profile.
    pub profile: Profile,
    /// Its session (tokens in the OS keychain).
    pub session: Arc<Session>,
    storage: tokio::sync::Mutex<Option<Storage>>,
}

impl AppState {
    /// Loads the config (`$KURA_CONFIG` or the platform default) and the profile
    /// (`$KURA_PROFILE` or the file's default). Failures are kept and reported to the UI.
    pub fn load() -> AppState {
        let ready = (|| -> kura_core::Result<Ready> {
            let profile = Config::load(&Config::default_path())?.profile(None)?;
            let session = Arc::new(Session::new(profile.clone(), Arc::new(TokenStore::os())));
            Ok(Ready {
                profile,
                session,
                storage: tokio::sync::Mutex::new(None),
            })
        })()
        .map_err(IpcError::from);
        if let Err(e) = &ready {
            tracing::error!(code = %e.code, "{}", e.message);
        }
        AppState {
            ready,
            pending: Mutex::new(None),
            transfers: Mutex::new(HashMap::new()),
            next_transfer: AtomicU32::new(1),
            queue: Arc::new(tokio::sync::Semaphore::new(MAX_RUNNING_TRANSFERS)),
        }
    }

    /// The loaded profile, or the config error.
    pub fn ready(&self) -> Result<&Ready, IpcError> {
        self.ready.as_ref().map_err(Clone::clone)
    }

    /// Registers a running transfer and returns its id.
    pub fn next_transfer_id(&self) -> u32 {
        self.next_transfer.fetch_add(1, Ordering::Relaxed)
    }

    /// Remembers a transfer's task so it can be cancelled, paused and answered.
    pub fn track(&self, id: u32, task: tauri::async_runtime::JoinHandle<()>, control: TransferControl) {
        self.transfers.lock().unwrap().insert(id, Running { task, control });
    }

    /// The controls of a running transfer.
    pub fn control(&self, id: u32) -> Option<TransferControl> {
        self.transfers.lock().unwrap().get(&id).map(|r| r.control.clone())
    }

    /// Forgets a finished transfer.
    pub fn untrack(&self, id: u32) {
        self.transfers.lock().unwrap().remove(&id);
    }

    /// Aborts a transfer's task and announces `cancelled`. Returns false when it is not running.
    pub fn cancel(&self, id: u32) -> bool {
        match self.transfers.lock().unwrap().remove(&id) {
            Some(r) => {
                r.task.abort();
                let _ = r.control.channel.send(TransferEvent::Cancelled { id });
                true
            }
            None => false,
        }
    }
}

impl Ready {
    /// The signed-in user's storage (built once per sign-in).
    pub async fn storage(&self) -> Result<Storage, IpcError> {
        let mut guard = self.storage.lock().await;
        if let Some(s) = guard.as_ref() {
            return Ok(s.clone());
        }
        let s = Storage::connect(self.session.clone()).await?;
        *guard = Some(s.clone());
        Ok(s)
    }

    /// Drops the storage (after sign-out or a new sign-in).
    pub async fn reset_storage(&self) {
        *self.storage.lock().await = None;
    }
}
