//! The app's state: the profiles with their sessions and storage from `kura-core`
//! ([`Registry`]), the pending sign-in, profile files read for import, and running transfers.
//! The shell keeps no S3/OIDC logic of its own.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use kura_core::config::edit::ImportedProfile;
use kura_core::config::Config;
use kura_core::progress::{Pause, RateWindow};
use kura_core::store::TokenStore;
use kura_ipc::{ConflictChoice, IpcError, TransferEvent};
use tauri::ipc::Channel;

pub use crate::profiles::{Ready, Registry};
use crate::signin::PendingSignIn;

/// Profile files read by `pick_profile_file`, kept until `import_profiles` uses them.
pub struct ProfileFile {
    /// The file read.
    pub path: std::path::PathBuf,
    /// Its profiles.
    pub profiles: Vec<ImportedProfile>,
}

/// The app's state, shared by commands, the tray and deep-link handlers.
pub struct AppState {
    registry: Mutex<Registry>,
    /// One config edit at a time (each is a read-modify-write of the file).
    pub edits: tokio::sync::Mutex<()>,
    imports: Mutex<HashMap<u32, ProfileFile>>,
    next_import: AtomicU32,
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

impl AppState {
    /// Loads the config (`$KURA_CONFIG` or the platform default) and picks the active profile
    /// (`$KURA_PROFILE`, the file's default, the first usable one). Problems are kept for the UI.
    pub fn load() -> AppState {
        let requested = std::env::var("KURA_PROFILE").ok().filter(|s| !s.is_empty());
        let registry = Registry::load(Config::default_path(), requested.as_deref(), Arc::new(TokenStore::os()));
        if let Some(e) = registry.problem() {
            tracing::error!(code = %e.code, "{}", e.message);
        }
        AppState {
            registry: Mutex::new(registry),
            edits: tokio::sync::Mutex::new(()),
            imports: Mutex::new(HashMap::new()),
            next_import: AtomicU32::new(1),
            pending: Mutex::new(None),
            transfers: Mutex::new(HashMap::new()),
            next_transfer: AtomicU32::new(1),
            queue: Arc::new(tokio::sync::Semaphore::new(MAX_RUNNING_TRANSFERS)),
        }
    }

    /// The active profile with its session, or why there is none (`config.invalid`).
    pub fn ready(&self) -> Result<Arc<Ready>, IpcError> {
        self.registry().active_ready()
    }

    /// The profiles (held briefly: never across an `.await`).
    pub fn registry(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap()
    }

    /// True when `name` is the active profile.
    pub fn is_active(&self, name: &str) -> bool {
        self.registry().active() == Some(name)
    }

    /// Keeps a profile file read for import; returns its token.
    pub fn keep_import(&self, file: ProfileFile) -> u32 {
        let token = self.next_import.fetch_add(1, Ordering::Relaxed);
        self.imports.lock().unwrap().insert(token, file);
        token
    }

    /// Runs `f` on a kept profile file, if the token is known.
    pub fn with_import<T>(&self, token: u32, f: impl FnOnce(&ProfileFile) -> T) -> Option<T> {
        self.imports.lock().unwrap().get(&token).map(f)
    }

    /// Forgets a kept profile file.
    pub fn drop_import(&self, token: u32) {
        self.imports.lock().unwrap().remove(&token);
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
