//! Listing and file management in the user's prefix.

use kura_ipc::{EntryView, IpcError, ListEvent, ShareLink};
use tauri::ipc::Channel;
use tauri::State;

use super::rel;
use crate::state::AppState;

/// Streams one folder level page by page over `on_event`, then `done`.
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
    while let Some(page) = pages.next().await {
        let entries: Vec<EntryView> = page?.iter().map(EntryView::from).collect();
        total += entries.len() as u32;
        if on_event.send(ListEvent::Page { entries }).is_err() {
            return Ok(()); // the UI went away
        }
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
