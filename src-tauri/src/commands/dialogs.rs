//! Native file dialogs (`tauri-plugin-dialog`), called from Rust so the webview needs no dialog
//! or file-system permission: it only ever receives paths.

use std::path::PathBuf;

use kura_ipc::IpcError;
use tauri::AppHandle;
use tauri_plugin_dialog::{DialogExt, FilePath};

fn paths(list: Option<Vec<FilePath>>) -> Vec<String> {
    list.unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .map(|p: PathBuf| p.to_string_lossy().into_owned())
        .collect()
}

/// Runs a dialog that answers through a callback and waits for its answer.
pub(crate) async fn wait<T: Send + 'static>(f: impl FnOnce(tokio::sync::oneshot::Sender<T>)) -> Result<T, IpcError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    f(tx);
    rx.await.map_err(|_| IpcError {
        code: "dialog.failed".into(),
        message: "the dialog closed unexpectedly".into(),
    })
}

/// Files to upload (empty when cancelled).
#[tauri::command]
pub async fn pick_upload_files(app: AppHandle) -> Result<Vec<String>, IpcError> {
    wait(|tx| {
        app.dialog().file().set_title("Upload files").pick_files(move |f| {
            let _ = tx.send(paths(f));
        })
    })
    .await
}

/// A folder to upload.
#[tauri::command]
pub async fn pick_upload_folder(app: AppHandle) -> Result<Option<String>, IpcError> {
    wait(|tx| {
        app.dialog().file().set_title("Upload a folder").pick_folder(move |f| {
            let _ = tx.send(paths(f.map(|p| vec![p])).into_iter().next());
        })
    })
    .await
}

/// Where to download (starts in Downloads).
#[tauri::command]
pub async fn pick_download_dir(app: AppHandle) -> Result<Option<String>, IpcError> {
    use tauri::Manager;
    let start = app.path().download_dir().ok();
    wait(|tx| {
        let mut d = app.dialog().file().set_title("Download to");
        if let Some(s) = start {
            d = d.set_directory(s);
        }
        d.pick_folder(move |f| {
            let _ = tx.send(paths(f.map(|p| vec![p])).into_iter().next());
        })
    })
    .await
}
