//! Uploads an earlier run left unfinished (crash, kill, quit during a transfer): listed at start
//! so the user can resume them (a transfer like any other; only missing parts are sent) or
//! discard them (the multipart upload is aborted).

use kura_core::storage::{Storage, UnfinishedUpload};
use kura_ipc::{IpcError, TransferEvent, TransferKind, TransferStarted, UnfinishedUploadView};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use super::transfers::spawn_transfer;
use crate::state::AppState;

fn view(u: &UnfinishedUpload) -> UnfinishedUploadView {
    UnfinishedUploadView {
        local_path: u.local.to_string_lossy().into_owned(),
        remote: u.remote.as_str().to_string(),
        size: u.size,
        bytes_done: u.bytes_done,
        source_unchanged: u.source_unchanged,
        source_exists: u.local.exists(),
    }
}

/// The journal entry matching what the UI shows (by local path and remote path).
fn find(storage: &Storage, local_path: &str, remote: &str) -> Result<UnfinishedUpload, IpcError> {
    storage
        .unfinished_uploads()
        .into_iter()
        .find(|u| u.local.to_string_lossy() == local_path && u.remote.as_str() == remote)
        .ok_or_else(|| IpcError {
            code: "transfer.not_found".into(),
            message: format!("no unfinished upload of {local_path} to {remote}"),
        })
}

/// The signed-in user's unfinished uploads (empty when none).
#[tauri::command]
pub async fn unfinished_uploads(state: State<'_, AppState>) -> Result<Vec<UnfinishedUploadView>, IpcError> {
    let storage = state.ready()?.storage().await?;
    Ok(storage.unfinished_uploads().iter().map(view).collect())
}

/// Resumes one unfinished upload as a transfer (events on `on_event`, like `start_upload`).
#[tauri::command]
pub async fn resume_unfinished(
    app: AppHandle,
    state: State<'_, AppState>,
    local_path: String,
    remote: String,
    on_event: Channel<TransferEvent>,
) -> Result<TransferStarted, IpcError> {
    let storage = state.ready()?.storage().await?;
    let upload = find(&storage, &local_path, &remote)?;
    let id = state.next_transfer_id();
    let started = TransferStarted {
        id,
        kind: TransferKind::Upload,
        label: format!("{} → {} (resumed)", upload.remote.name(), upload.remote.as_str()),
    };
    spawn_transfer(
        &app,
        &state,
        id,
        TransferKind::Upload,
        on_event,
        move |hooks| async move { storage.resume_upload(&upload, hooks).await },
    );
    Ok(started)
}

/// Discards one unfinished upload (aborts it on S3; its parts are deleted).
#[tauri::command]
pub async fn discard_unfinished(
    state: State<'_, AppState>,
    local_path: String,
    remote: String,
) -> Result<(), IpcError> {
    let storage = state.ready()?.storage().await?;
    let upload = find(&storage, &local_path, &remote)?;
    storage.discard_upload(&upload).await.map_err(IpcError::from)
}
