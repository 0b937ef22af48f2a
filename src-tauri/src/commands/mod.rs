//! Tauri commands: adapters from IPC DTOs to `kura-core` calls, errors out as
//! `{ code, message, params }` ([`kura_ipc::IpcError`]).

pub mod console;
pub mod dialogs;
pub mod files;
pub mod import;
pub mod language;
pub mod locations;
pub mod preview;
pub mod profiles;
pub mod retry;
pub mod search;
pub mod session;
pub mod setup;
pub mod transfers;
pub mod unfinished;

use kura_core::paths::RelPath;
use kura_ipc::IpcError;

/// Parses a path from the UI (relative to the prefix).
pub(crate) fn rel(path: &str) -> Result<RelPath, IpcError> {
    Ok(RelPath::parse(path)?)
}
