//! Uploads an earlier run left unfinished (crash, kill, quit during a transfer): listed at start
//! so the user can resume them (a transfer like any other; only missing parts are sent) or
//! discard them (the multipart upload is aborted). The page names one by its id (the multipart
//! `UploadId`); its local path comes from the journal, which only Rust writes — no command takes
//! a local path from the page.

use kura_core::storage::{Storage, UnfinishedUpload};
use kura_ipc::{ErrorCode, IpcError, TransferEvent, TransferKind, TransferStarted, UnfinishedUploadView};
use tauri::ipc::Channel;
use tauri::{AppHandle, State, Webview};

use super::retry::{TransferJob, Work};
use super::transfers::spawn_transfer;
use crate::state::AppState;

fn view(u: &UnfinishedUpload) -> UnfinishedUploadView {
    UnfinishedUploadView {
        id: u.upload_id.clone(),
        local_path: u.local.to_string_lossy().into_owned(),
        remote: u.remote.as_str().to_string(),
        size: u.size,
        bytes_done: u.bytes_done,
        source_unchanged: u.source_unchanged,
        source_exists: u.local.exists(),
    }
}

/// The journal entry with id `id` (its `UploadId`). Errors: `transfer.not_found`.
fn find(storage: &Storage, id: &str) -> Result<UnfinishedUpload, IpcError> {
    storage
        .unfinished_uploads()
        .into_iter()
        .find(|u| u.upload_id == id)
        .ok_or_else(|| {
            IpcError::new(
                ErrorCode::TransferNotFound,
                "no such unfinished upload (it may have been resumed or discarded)",
            )
        })
}

/// The signed-in user's unfinished uploads (empty when none).
#[tauri::command]
pub async fn unfinished_uploads(state: State<'_, AppState>) -> Result<Vec<UnfinishedUploadView>, IpcError> {
    let storage = state.ready()?.storage().await?;
    Ok(storage.unfinished_uploads().iter().map(view).collect())
}

/// Resumes unfinished upload `id` as a transfer (events on `on_event`, like `start_upload`).
#[tauri::command]
pub async fn resume_unfinished(
    app: AppHandle,
    webview: Webview,
    state: State<'_, AppState>,
    id: String,
    on_event: Channel<TransferEvent>,
) -> Result<TransferStarted, IpcError> {
    let ready = state.ready()?;
    let storage = ready.storage().await?;
    let upload = find(&storage, &id)?;
    let id = state.next_transfer_id();
    let started = TransferStarted {
        resumed: true,
        ..TransferStarted::new(
            id,
            TransferKind::Upload,
            &[upload.remote.name().to_string()],
            upload.remote.as_str(),
        )
    };
    let job = TransferJob::new(webview.label(), &ready, storage, &started, Work::Resume(upload));
    spawn_transfer(&app, &state, id, on_event, job);
    Ok(started)
}

/// Discards unfinished upload `id` (aborts it on S3; its parts are deleted).
#[tauri::command]
pub async fn discard_unfinished(state: State<'_, AppState>, id: String) -> Result<(), IpcError> {
    let storage = state.ready()?.storage().await?;
    let upload = find(&storage, &id)?;
    storage.discard_upload(&upload).await.map_err(IpcError::from)
}
