//! Uploads and downloads run as background tasks; the command returns an id at once and the
//! task streams [`TransferEvent`]s over the caller's channel (progress throttled to ≤ 10/s).
//! At most [`MAX_RUNNING_TRANSFERS`](crate::state::MAX_RUNNING_TRANSFERS) run at once; the
//! others wait (queued, no events yet) and start in order as slots free up.
//! Files are read and written by Rust only: the webview sends paths, never bytes.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kura_core::progress::{ProgressFn, ProgressUpdate};
use kura_ipc::{IpcError, TransferEvent, TransferKind, TransferStarted};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_notification::NotificationExt;

use super::rel;
use crate::state::AppState;

const MIN_INTERVAL: Duration = Duration::from_millis(100);

/// Throttled progress reporting for one transfer.
fn progress_fn(id: u32, channel: Channel<TransferEvent>) -> ProgressFn {
    let started = Instant::now();
    let last = Mutex::new(None::<Instant>);
    Arc::new(move |u: ProgressUpdate| {
        let now = Instant::now();
        {
            let mut last = last.lock().unwrap();
            let complete = u.bytes_done == u.bytes_total && u.files_done == u.files_total;
            if !complete && last.is_some_and(|l| now - l < MIN_INTERVAL) {
                return;
            }
            *last = Some(now);
        }
        let secs = started.elapsed().as_secs_f64().max(1e-3);
        let _ = channel.send(TransferEvent::Progress {
            id,
            bytes_done: u.bytes_done,
            bytes_total: u.bytes_total,
            files_done: u.files_done as u32,
            files_total: u.files_total as u32,
            rate: u.bytes_done as f64 / secs,
        });
    })
}

fn notify(app: &AppHandle, title: &str, body: &str) {
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        tracing::debug!("no desktop notification: {e}");
    }
}

fn finish(
    app: &AppHandle,
    id: u32,
    kind: TransferKind,
    channel: &Channel<TransferEvent>,
    result: Result<(u32, u64), IpcError>,
) {
    let verb = match kind {
        TransferKind::Upload => "Upload",
        TransferKind::Download => "Download",
    };
    match result {
        Ok((files, bytes)) => {
            let _ = channel.send(TransferEvent::Done { id, files, bytes });
            notify(app, &format!("{verb} finished"), &format!("{files} file(s)"));
        }
        Err(error) => {
            notify(app, &format!("{verb} failed"), &error.message);
            let _ = channel.send(TransferEvent::Failed { id, error });
        }
    }
    app.state::<AppState>().untrack(id);
}

fn label(paths: &[String], to: &str) -> String {
    let first = paths.first().map(|p| {
        p.trim_end_matches(['/', '\\'])
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(p)
            .to_string()
    });
    match (paths.len(), first) {
        (1, Some(name)) => format!("{name} → {to}"),
        (n, _) => format!("{n} items → {to}"),
    }
}

/// Uploads local files/folders (`paths`) into remote folder `dest`.
#[tauri::command]
pub async fn start_upload(
    app: AppHandle,
    state: State<'_, AppState>,
    paths: Vec<String>,
    dest: String,
    on_event: Channel<TransferEvent>,
) -> Result<TransferStarted, IpcError> {
    let dest = rel(&dest)?.as_folder();
    let storage = state.ready()?.storage().await?;
    let id = state.next_transfer_id();
    let started = TransferStarted {
        id,
        kind: TransferKind::Upload,
        label: label(&paths, if dest.as_str().is_empty() { "/" } else { dest.as_str() }),
    };
    let sources: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let app2 = app.clone();
    let channel = on_event.clone();
    let queue = state.queue.clone();
    let task = tauri::async_runtime::spawn(async move {
        // Queued until a slot is free; cancelling a queued transfer just drops this task.
        let Ok(_slot) = queue.acquire_owned().await else { return };
        let progress = progress_fn(id, on_event.clone());
        let result = storage
            .upload(&sources, &dest, Some(progress))
            .await
            .map(|r| (r.uploaded.len() as u32, r.bytes))
            .map_err(IpcError::from);
        finish(&app2, id, TransferKind::Upload, &on_event, result);
    });
    state.track(id, task, channel);
    Ok(started)
}

/// Downloads remote files/folders into `dest_dir` (default: the user's Downloads folder).
#[tauri::command]
pub async fn start_download(
    app: AppHandle,
    state: State<'_, AppState>,
    paths: Vec<String>,
    dest_dir: Option<String>,
    on_event: Channel<TransferEvent>,
) -> Result<TransferStarted, IpcError> {
    let remotes = paths.iter().map(|p| rel(p)).collect::<Result<Vec<_>, _>>()?;
    let dir = match dest_dir {
        Some(d) => PathBuf::from(d),
        None => app.path().download_dir().map_err(|e| IpcError {
            code: "local.io".into(),
            message: format!("no Downloads folder: {e}"),
        })?,
    };
    let storage = state.ready()?.storage().await?;
    let id = state.next_transfer_id();
    let started = TransferStarted {
        id,
        kind: TransferKind::Download,
        label: label(&paths, &dir.to_string_lossy()),
    };
    let app2 = app.clone();
    let channel = on_event.clone();
    let queue = state.queue.clone();
    let task = tauri::async_runtime::spawn(async move {
        let Ok(_slot) = queue.acquire_owned().await else { return };
        let progress = progress_fn(id, on_event.clone());
        let result = storage
            .download(&remotes, &dir, true, Some(progress))
            .await
            .map(|r| (r.files.len() as u32, r.bytes))
            .map_err(IpcError::from);
        finish(&app2, id, TransferKind::Download, &on_event, result);
    });
    state.track(id, task, channel);
    Ok(started)
}

/// Cancels a running transfer (its channel gets `cancelled`): the task is dropped, so downloads
/// leave no partial file and a multipart upload is aborted (no parts left behind).
#[tauri::command]
pub fn cancel_transfer(state: State<'_, AppState>, id: u32) -> bool {
    state.cancel(id)
}
