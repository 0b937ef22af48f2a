//! Native file dialogs (`tauri-plugin-dialog`), called from Rust so the webview needs no dialog
//! or file-system permission. The chosen paths stay in Rust ([`crate::chosen`]): the page gets
//! a handle with names and sizes, which `start_upload` / `start_download` take back.

use std::path::PathBuf;

use kura_ipc::{ChosenFiles, ChosenFolder, ErrorCode, IpcError};
use tauri::{AppHandle, Manager, State, Webview};
use tauri_plugin_dialog::{DialogExt, FilePath};

use crate::chosen::{self, ChosenPaths};
use crate::i18n::text;
use crate::language;

/// A dialog's title in the app's language.
pub(crate) fn title(app: &AppHandle, key: &str) -> String {
    text(language::current(app), key, &[])
}

fn paths(list: Option<Vec<FilePath>>) -> Vec<PathBuf> {
    list.unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect()
}

/// Runs a dialog that answers through a callback and waits for its answer.
pub(crate) async fn wait<T: Send + 'static>(f: impl FnOnce(tokio::sync::oneshot::Sender<T>)) -> Result<T, IpcError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    f(tx);
    rx.await
        .map_err(|_| IpcError::new(ErrorCode::DialogFailed, "the dialog closed unexpectedly"))
}

/// The dialog's answer: the test hook's in debug builds with `KURA_TEST_CHOOSE`, else the real
/// dialog `show` (empty = cancelled).
async fn answer(show: impl FnOnce(tokio::sync::oneshot::Sender<Vec<PathBuf>>)) -> Result<Vec<PathBuf>, IpcError> {
    match chosen::test_choice() {
        Some(choice) => Ok(choice.unwrap_or_default()),
        None => wait(show).await,
    }
}

/// Keeps chosen upload sources for `webview` (sizes read on a blocking thread).
async fn keep_upload(
    app: &AppHandle,
    webview: &Webview,
    picked: Vec<PathBuf>,
) -> Result<Option<ChosenFiles>, IpcError> {
    if picked.is_empty() {
        return Ok(None);
    }
    let (app, label) = (app.clone(), webview.label().to_string());
    tauri::async_runtime::spawn_blocking(move || app.state::<ChosenPaths>().keep_upload(&label, picked))
        .await
        .map_err(|e| {
            IpcError::new(ErrorCode::LocalIo, format!("reading the chosen files failed: {e}"))
                .with_detail(e.to_string())
        })?
        .map(Some)
}

/// Files to upload: their handle, names and sizes (null when cancelled). Errors: `local.io`.
#[tauri::command]
pub async fn pick_upload_files(app: AppHandle, webview: Webview) -> Result<Option<ChosenFiles>, IpcError> {
    let picked = answer(|tx| {
        app.dialog()
            .file()
            .set_title(title(&app, "dialog.uploadFiles"))
            .pick_files(move |f| {
                let _ = tx.send(paths(f));
            })
    })
    .await?;
    keep_upload(&app, &webview, picked).await
}

/// A folder to upload: its handle, name and total size (null when cancelled).
#[tauri::command]
pub async fn pick_upload_folder(app: AppHandle, webview: Webview) -> Result<Option<ChosenFiles>, IpcError> {
    let picked = answer(|tx| {
        app.dialog()
            .file()
            .set_title(title(&app, "dialog.uploadFolder"))
            .pick_folder(move |f| {
                let _ = tx.send(paths(f.map(|p| vec![p])));
            })
    })
    .await?;
    keep_upload(&app, &webview, picked.into_iter().take(1).collect()).await
}

/// Where to download (starts in Downloads): the folder's handle and name (null when cancelled).
#[tauri::command]
pub async fn pick_download_dir(
    app: AppHandle,
    webview: Webview,
    chosen: State<'_, ChosenPaths>,
) -> Result<Option<ChosenFolder>, IpcError> {
    let start = app.path().download_dir().ok();
    let picked = answer(|tx| {
        let mut d = app.dialog().file().set_title(title(&app, "dialog.downloadTo"));
        if let Some(s) = start {
            d = d.set_directory(s);
        }
        d.pick_folder(move |f| {
            let _ = tx.send(paths(f.map(|p| vec![p])));
        })
    })
    .await?;
    Ok(picked
        .into_iter()
        .next()
        .map(|dir| chosen.keep_download_dir(webview.label(), dir)))
}
