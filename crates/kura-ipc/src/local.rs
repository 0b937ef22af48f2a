//! Local files in the IPC contract: the page never sends or receives a local path. Paths reach
//! the shell only from the shell — the native dialogs (`pick_upload_files`, `pick_upload_folder`,
//! `pick_download_dir`) and the window's drag-and-drop event — which keeps them and gives the
//! page an opaque handle with display names and sizes. `start_upload(handle, dest)` and
//! `start_download(paths, destDir: handle | null)` take the handle back; any other string is
//! refused with `local.not_chosen`.
//!
//! Events from the shell to the page ([`AppEvent`]) arrive on one channel the page opens with
//! `app_events(onEvent)`; the page holds no event permission of its own (it can neither listen to
//! Tauri's events, whose drag-and-drop payloads carry paths, nor emit any).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::setup::ProfilesView;
use crate::{IpcError, SessionView};

/// Files and folders the user chose for an upload (file dialog, folder dialog or a drop).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChosenFiles {
    /// Opaque, unguessable id of this choice (128 random bits as 32 hex digits). Valid for one
    /// `start_upload` in the window that received it, for at most a few hours.
    pub handle: String,
    /// What was chosen, in the order given (the names only).
    pub items: Vec<ChosenItem>,
}

/// One chosen file or folder, as the page may show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChosenItem {
    /// Its name (last path segment), e.g. `report.pdf`.
    pub name: String,
    /// Bytes: the file's size, or the total of the files inside a folder (symlinked folders
    /// are not followed, like the upload itself).
    #[ts(type = "number")]
    pub size: u64,
    /// True for a folder (uploaded with everything inside).
    pub is_dir: bool,
}

/// A folder the user chose to download into (folder dialog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChosenFolder {
    /// Opaque, unguessable id (as [`ChosenFiles::handle`]), valid for one `start_download`.
    pub handle: String,
    /// The folder's name, e.g. `Desktop`.
    pub name: String,
}

/// Messages of the `app_events` channel (shell → page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum AppEvent {
    /// The active profile's session changed (tray sign-out or refresh, silent sign-in, switch).
    SessionChanged {
        /// The session, or null when signed out.
        session: Option<SessionView>,
    },
    /// The profiles changed (after every change, also from the tray).
    ProfilesChanged {
        /// Every profile.
        profiles: ProfilesView,
    },
    /// Files are dragged over the window (position in CSS pixels from the window's top left).
    DragOver {
        /// Horizontal position.
        x: f64,
        /// Vertical position.
        y: f64,
    },
    /// The drag left the window without a drop.
    DragLeave,
    /// Files or folders were dropped on the window: their handle for `start_upload`.
    FilesDropped {
        /// What was dropped.
        chosen: ChosenFiles,
        /// Horizontal drop position (CSS pixels).
        x: f64,
        /// Vertical drop position (CSS pixels).
        y: f64,
    },
    /// A drop could not be read (e.g. a file vanished); nothing was kept.
    DropFailed {
        /// Why (`local.io`).
        error: IpcError,
    },
}
