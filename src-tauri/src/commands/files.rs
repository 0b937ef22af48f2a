//! Listing and file management in the user's prefix.

use std::time::{Duration, Instant};

use kura_ipc::{EntryView, IpcError, ListEvent, ShareLink};
use tauri::ipc::Channel;
use tauri::State;

use super::rel;
use crate::state::AppState;

/// How long pages after the first are gathered before they are sent to the page together: one
/// IPC message (and one JSON parse in the webview) per ~10 S3 pages instead of one per page, so
/// the page's share of the two cores does not slow a 100,000-entry folder down.
const PAGE_BATCH_INTERVAL: Duration = Duration::from_millis(100);

/// Streams one folder level over `on_event`: the first S3 page at once (the first rows), later
/// pages gathered for [`PAGE_BATCH_INTERVAL`], then `done` with the total. On an error the
/// entries read so far are sent first.
#[tauri::command]
pub async fn list_folder(
    state: State<'_, AppState>,
    path: String,
    on_event: Channel<ListEvent>,
) -> Result<(), IpcError> {
    use futures_util::StreamExt;
    let dir = rel(&path)?.as_folder();
    let storage = state.ready()?.storage().await?;
    let mut pages = Box::pin(storage.list_pages(&dir, false));
    let mut total = 0u32;
    let mut batch: Vec<EntryView> = Vec::new();
    let mut sent: Option<Instant> = None;
    let send = |entries: Vec<EntryView>| on_event.send(ListEvent::Page { entries }).is_ok();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                if !batch.is_empty() {
                    send(batch);
                }
                return Err(e.into());
            }
        };
        total += page.len() as u32;
        batch.extend(page.iter().map(EntryView::from));
        if sent.is_none_or(|at| at.elapsed() >= PAGE_BATCH_INTERVAL) {
            if !send(std::mem::take(&mut batch)) {
                return Ok(()); // the UI went away
            }
            sent = Some(Instant::now());
        }
    }
    if !batch.is_empty() && !send(batch) {
        return Ok(());
    }
    let _ = on_event.send(ListEvent::Done { total });
    Ok(())
}

/// How many objects deleting `path` would remove.
#[tauri::command]
pub async fn count_objects(state: State<'_, AppState>, path: String) -> Result<u32, IpcError> {
    let p = rel(&path)?;
    Ok(state.ready()?.storage().await?.count(&p).await? as u32)
}

/// Deletes a file, or a folder with `recursive`. Returns how many objects were deleted.
#[tauri::command]
pub async fn delete_path(state: State<'_, AppState>, path: String, recursive: bool) -> Result<u32, IpcError> {
    let p = rel(&path)?;
    Ok(state.ready()?.storage().await?.delete(&p, recursive).await? as u32)
}

/// Creates a folder; returns its path.
#[tauri::command]
pub async fn create_folder(state: State<'_, AppState>, path: String) -> Result<String, IpcError> {
    let p = rel(&path)?;
    Ok(state.ready()?.storage().await?.mkdir(&p).await?.as_str().to_string())
}

/// Moves/renames within the prefix; returns the new path.
#[tauri::command]
pub async fn rename_path(state: State<'_, AppState>, src: String, dst: String) -> Result<String, IpcError> {
    let (s, d) = (rel(&src)?, rel(&dst)?);
    Ok(state
        .ready()?
        .storage()
        .await?
        .rename(&s, &d)
        .await?
        .as_str()
        .to_string())
}

/// A presigned GET URL, capped at the credentials' remaining lifetime.
#[tauri::command]
pub async fn share_link(state: State<'_, AppState>, path: String, expires_secs: u64) -> Result<ShareLink, IpcError> {
    let p = rel(&path)?;
    let link = state
        .ready()?
        .storage()
        .await?
        .presign(&p, std::time::Duration::from_secs(expires_secs))
        .await?;
    Ok(ShareLink {
        url: link.url,
        expires_at: kura_ipc::rfc3339(link.expires_at),
        capped: link.capped,
    })
}
