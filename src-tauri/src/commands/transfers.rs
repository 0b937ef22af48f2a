//! Uploads and downloads run as background tasks; the command returns an id at once and the
//! task streams [`TransferEvent`]s over the caller's channel (progress throttled to ≤ 10/s).
//! At most [`MAX_RUNNING_TRANSFERS`](crate::state::MAX_RUNNING_TRANSFERS) run at once; the
//! others wait (queued, no events yet) and start in order as slots free up.
//! Files are read and written by Rust only, and only where the user chose: the webview sends
//! the handle of a dialog's or a drop's choice ([`crate::chosen`]), never a local path or bytes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kura_core::progress::{Conflict, ConflictFn, ProgressFn, ProgressUpdate, TransferHooks};
use kura_core::storage::conflict::ConflictPolicy;
use kura_core::storage::{BatchItem, DownloadReport, FailedItem, Storage, TransferOptions, UploadReport};
use kura_ipc::{ConflictChoice, ErrorCode, FailedItemView, IpcError, TransferEvent, TransferKind, TransferStarted};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State, Webview};

use super::rel;
use super::retry::{Retries, TransferJob, Work};
use crate::chosen::{display_name, not_chosen, ChosenPaths, Purpose};
use crate::i18n::{plural, text};
use crate::language;
use crate::notify::notify;
use crate::state::{AppState, TransferControl};

const MIN_INTERVAL: Duration = Duration::from_millis(100);

/// Throttled progress reporting for one transfer, with the rate over a sliding window.
fn progress_fn(id: u32, control: &TransferControl) -> ProgressFn {
    let last = Mutex::new(None::<Instant>);
    let (channel, rate) = (control.channel.clone(), control.rate.clone());
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
        let rate = rate.lock().unwrap().record(now, u.bytes_done);
        let _ = channel.send(TransferEvent::Progress {
            id,
            bytes_done: u.bytes_done,
            bytes_total: u.bytes_total,
            files_done: u.files_done as u32,
            files_total: u.files_total as u32,
            rate,
        });
    })
}

/// How an existing target is shown to the page: remote paths as they are; local ones (a
/// download's, under `base`) relative to the download folder, never as absolute paths.
fn shown_target(target: String, base: Option<&Path>) -> String {
    let Some(base) = base else { return target };
    match Path::new(&target).strip_prefix(base) {
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => display_name(Path::new(&target)),
    }
}

/// A failed item for the page: its path (remote, or relative to the download folder `base`) and
/// its error with no absolute local path in the message — an upload's source is named by its
/// file name, places in the download folder relative to it.
fn failed_item_view(f: &FailedItem, base: Option<&Path>) -> FailedItemView {
    let mut view = FailedItemView::from(f);
    let source = match &f.item {
        BatchItem::Upload(u) => Some(u.local.as_path()),
        _ => None,
    };
    hide_local_paths(&mut view.error, source, base);
    view
}

/// Removes absolute local paths from `error`'s log message and from the parameters the UI shows
/// (`path`, `detail`): the upload's `source` becomes its file name, places in the download folder
/// `base` become relative to it.
fn hide_local_paths(error: &mut IpcError, source: Option<&Path>, base: Option<&Path>) {
    let hide = |text: &mut String| {
        if let Some(source) = source {
            *text = text.replace(&source.display().to_string(), &display_name(source));
        }
        if let Some(base) = base {
            *text = text.replace(&format!("{}/", base.display()), "");
        }
    };
    hide(&mut error.message);
    let params = &mut error.params;
    params.path.iter_mut().chain(params.detail.iter_mut()).for_each(hide);
}

/// Asks the UI about existing targets: a `conflicts` event, then waits for `answer_conflicts`.
/// `base`: the download folder (local targets are shown relative to it).
fn conflict_fn(id: u32, control: &TransferControl, base: Option<PathBuf>) -> ConflictFn {
    let (channel, answer) = (control.channel.clone(), control.answer.clone());
    Arc::new(move |conflicts: Vec<Conflict>| {
        let (tx, rx) = tokio::sync::oneshot::channel();
        *answer.lock().unwrap() = Some(tx);
        let n = conflicts.len();
        let _ = channel.send(TransferEvent::Conflicts {
            id,
            targets: conflicts
                .into_iter()
                .map(|c| shown_target(c.target, base.as_deref()))
                .collect(),
        });
        Box::pin(async move {
            let choice = rx.await.ok().flatten()?;
            let policy = match choice {
                ConflictChoice::Overwrite => ConflictPolicy::Overwrite,
                ConflictChoice::Skip => ConflictPolicy::Skip,
                ConflictChoice::Rename => ConflictPolicy::Rename,
            };
            Some(vec![policy; n])
        })
    })
}

/// The hooks a desktop transfer runs with (`base`: a download's folder).
fn hooks(id: u32, control: &TransferControl, base: Option<PathBuf>) -> TransferHooks {
    TransferHooks {
        progress: Some(progress_fn(id, control)),
        pause: control.pause.clone(),
        on_conflict: Some(conflict_fn(id, control, base)),
    }
}

/// The desktop asks (a dialog) when targets exist, whatever the profile's CLI default.
fn ask_on_conflict(storage: Storage) -> Storage {
    let options = TransferOptions {
        if_exists: ConflictPolicy::Ask,
        ..storage.options()
    };
    storage.with_options(options)
}

/// What a finished transfer reports: files and bytes.
pub(crate) trait Totals {
    fn totals(&self) -> (u32, u64);
}

impl Totals for UploadReport {
    fn totals(&self) -> (u32, u64) {
        (self.uploaded.len() as u32, self.bytes)
    }
}

impl Totals for DownloadReport {
    fn totals(&self) -> (u32, u64) {
        (self.files.len() as u32, self.bytes)
    }
}

/// Runs `job` as transfer `id` once a queue slot is free, reports its end, and tracks it. When
/// it fails, what Retry would run is kept ([`Retries`]).
pub(crate) fn spawn_transfer(
    app: &AppHandle,
    state: &AppState,
    id: u32,
    channel: Channel<TransferEvent>,
    job: TransferJob,
) {
    let control = TransferControl::new(channel);
    let (app2, control2, queue) = (app.clone(), control.clone(), state.queue.clone());
    let task = tauri::async_runtime::spawn(async move {
        // Queued until a slot is free; cancelling a queued transfer just drops this task.
        let Ok(_slot) = queue.acquire_owned().await else { return };
        let (kind, base) = (job.kind(), job.download_dir());
        let result = job.clone().run(hooks(id, &control2, base.clone())).await;
        let ended = Ended {
            kind,
            base,
            result: result.map_err(|e| (job.clone().after(&e), e)),
        };
        finish(&app2, id, &control2.channel, ended);
    });
    state.track(id, task, control);
}

/// How a transfer ended: its kind, a download's folder, and its files and bytes, or its error
/// with what Retry would run.
struct Ended {
    kind: TransferKind,
    base: Option<PathBuf>,
    result: Result<(u32, u64), (Option<TransferJob>, kura_core::Error)>,
}

fn finish(app: &AppHandle, id: u32, channel: &Channel<TransferEvent>, ended: Ended) {
    let Ended { kind, base, result } = ended;
    let lang = language::current(app);
    let upload = kind == TransferKind::Upload;
    match result {
        Err((_, kura_core::Error::Cancelled)) => {
            let _ = channel.send(TransferEvent::Cancelled { id });
        }
        Ok((files, bytes)) => {
            let _ = channel.send(TransferEvent::Done { id, files, bytes });
            let title = if upload {
                text(lang, "notify.uploadFinished", &[])
            } else {
                text(lang, "notify.downloadFinished", &[])
            };
            notify(app, &title, &plural(lang, "notify.files", files.into(), &[]));
        }
        Err((retry, error)) => {
            let mut ipc_error = IpcError::from(&error);
            let (failed_items, items_total) = match &error {
                kura_core::Error::Partial { failed, total } => {
                    // The items carry the details; the summary names no local path.
                    ipc_error.message = format!("{} of {total} items failed", failed.len());
                    let views: Vec<FailedItemView> =
                        failed.iter().map(|f| failed_item_view(f, base.as_deref())).collect();
                    ipc_error.params.first = views.first().map(|v| Box::new(v.error.clone()));
                    (views, *total as u32)
                }
                _ => {
                    hide_local_paths(&mut ipc_error, None, base.as_deref());
                    (Vec::new(), 0)
                }
            };
            let can_retry = retry.is_some();
            if let Some(job) = retry {
                app.state::<Retries>().keep(id, &job.window.clone(), job);
            }
            // The reason (and the failed items) are worded by the UI (by code) in the transfers
            // panel.
            let title = if upload {
                text(lang, "notify.uploadFailed", &[])
            } else {
                text(lang, "notify.downloadFailed", &[])
            };
            notify(app, &title, &text(lang, "notify.seeKura", &[]));
            let _ = channel.send(TransferEvent::Failed {
                id,
                error: ipc_error,
                failed_items,
                items_total,
                can_retry,
            });
        }
    }
    app.state::<AppState>().untrack(id);
}

/// Uploads what the user chose (`handle`: from `pick_upload_files`, `pick_upload_folder` or a
/// drop, in this window) into remote folder `dest`. The handle is used up. Errors:
/// `local.not_chosen` for anything but such a handle (a local path included), `path.invalid`,
/// `auth.*`.
#[tauri::command]
pub async fn start_upload(
    app: AppHandle,
    webview: Webview,
    state: State<'_, AppState>,
    chosen: State<'_, ChosenPaths>,
    handle: String,
    dest: String,
    on_event: Channel<TransferEvent>,
) -> Result<TransferStarted, IpcError> {
    let dest = rel(&dest)?.as_folder();
    let ready = state.ready()?;
    let storage = ask_on_conflict(ready.storage().await?);
    let sources = chosen.take(webview.label(), Purpose::Upload, &handle)?;
    let names: Vec<String> = sources.iter().map(|p| display_name(p)).collect();
    let id = state.next_transfer_id();
    let to = if dest.as_str().is_empty() { "/" } else { dest.as_str() };
    let started = TransferStarted::new(id, TransferKind::Upload, &names, to);
    let job = TransferJob::new(
        webview.label(),
        &ready,
        storage,
        &started,
        Work::Upload { sources, dest },
    );
    spawn_transfer(&app, &state, id, on_event, job);
    Ok(started)
}

/// Downloads remote files/folders (`paths`, relative to the prefix) into the folder the user
/// chose (`dest_dir`: a handle from `pick_download_dir` in this window, used up), or into the
/// user's Downloads folder when null. Errors: `local.not_chosen` for anything but such a handle
/// (a local path included), `path.invalid`, `local.io` (no Downloads folder), `auth.*`.
#[tauri::command]
pub async fn start_download(
    app: AppHandle,
    webview: Webview,
    state: State<'_, AppState>,
    chosen: State<'_, ChosenPaths>,
    paths: Vec<String>,
    dest_dir: Option<String>,
    on_event: Channel<TransferEvent>,
) -> Result<TransferStarted, IpcError> {
    let remotes = paths.iter().map(|p| rel(p)).collect::<Result<Vec<_>, _>>()?;
    let ready = state.ready()?;
    let storage = ask_on_conflict(ready.storage().await?);
    let dir = match dest_dir {
        Some(handle) => chosen
            .take(webview.label(), Purpose::DownloadInto, &handle)?
            .into_iter()
            .next()
            .ok_or_else(not_chosen)?,
        None => app.path().download_dir().map_err(|e| {
            IpcError::new(ErrorCode::LocalIo, format!("no Downloads folder: {e}")).with_detail(e.to_string())
        })?,
    };
    let names: Vec<String> = remotes.iter().map(|r| r.name().to_string()).collect();
    let id = state.next_transfer_id();
    let started = TransferStarted::new(id, TransferKind::Download, &names, &display_name(&dir));
    let job = TransferJob::new(
        webview.label(),
        &ready,
        storage,
        &started,
        Work::Download { remotes, dir },
    );
    spawn_transfer(&app, &state, id, on_event, job);
    Ok(started)
}

/// Cancels a running transfer (its channel gets `cancelled`): the task is dropped, so downloads
/// leave no partial file and a multipart upload is aborted (no parts left behind).
#[tauri::command]
pub fn cancel_transfer(state: State<'_, AppState>, id: u32) -> bool {
    state.cancel(id)
}

/// Pauses a transfer (its channel gets `paused`): no new request starts, those in flight finish.
/// Returns false when it is not running or already paused.
#[tauri::command]
pub fn pause_transfer(state: State<'_, AppState>, id: u32) -> bool {
    let Some(c) = state.control(id) else { return false };
    let changed = c.pause.pause();
    if changed {
        let _ = c.channel.send(TransferEvent::Paused { id });
    }
    changed
}

/// Resumes a paused transfer (its channel gets `resumed`). Returns false when it was not paused.
#[tauri::command]
pub fn resume_transfer(state: State<'_, AppState>, id: u32) -> bool {
    let Some(c) = state.control(id) else { return false };
    let changed = c.pause.resume();
    if changed {
        c.rate.lock().unwrap().reset();
        let _ = c.channel.send(TransferEvent::Resumed { id });
    }
    changed
}

/// Answers a transfer's `conflicts` event: one choice for every existing target, or `null` to
/// cancel the transfer (nothing has been sent yet). Returns false when no question is pending.
#[tauri::command]
pub fn answer_conflicts(state: State<'_, AppState>, id: u32, choice: Option<ConflictChoice>) -> bool {
    let Some(c) = state.control(id) else { return false };
    let Some(tx) = c.answer.lock().unwrap().take() else {
        return false;
    };
    tx.send(choice).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_items_reach_the_page_without_local_paths() {
        use kura_core::paths::RelPath;
        use kura_core::storage::{DownloadItem, UploadItem};
        let gone = || std::io::Error::from(std::io::ErrorKind::NotFound);
        let upload = FailedItem {
            item: BatchItem::Upload(UploadItem {
                local: "/home/alice/private/album/b.txt".into(),
                remote: RelPath::parse("docs/album/b.txt").unwrap(),
                replace: false,
            }),
            error: kura_core::Error::io("reading /home/alice/private/album/b.txt", gone()),
        };
        let view = failed_item_view(&upload, None);
        assert_eq!(view.path, "docs/album/b.txt");
        assert_eq!(view.error.code, ErrorCode::LocalIo);
        assert!(
            view.error.message.starts_with("reading b.txt: "),
            "{}",
            view.error.message
        );
        // The UI words the error from its parameters: they name no local path either.
        let detail = view.error.params.detail.as_deref().unwrap_or_default();
        assert!(detail.starts_with("reading b.txt: "), "{detail}");
        assert!(!format!("{view:?}").contains("/home/alice"), "{view:?}");

        let download = FailedItem {
            item: BatchItem::Download(DownloadItem {
                remote: RelPath::parse("album/sub/y.txt").unwrap(),
                local: "album/sub/y.txt".into(),
                replace: false,
            }),
            error: kura_core::Error::io("writing /home/alice/Downloads/album/sub/.y.txt.tmp", gone()),
        };
        let view = failed_item_view(&download, Some(Path::new("/home/alice/Downloads")));
        assert_eq!(view.path, "album/sub/y.txt");
        assert!(
            view.error.message.starts_with("writing album/sub/.y.txt.tmp: "),
            "{}",
            view.error.message
        );
        assert!(!format!("{view:?}").contains("/home/alice"), "{view:?}");
    }

    #[test]
    fn download_conflicts_show_paths_inside_the_folder_only() {
        let base = Path::new("/home/alice/Downloads");
        assert_eq!(
            shown_target("/home/alice/Downloads/album/a.txt".into(), Some(base)),
            "album/a.txt"
        );
        // Never an absolute path, even for a target outside the folder.
        assert_eq!(shown_target("/etc/passwd".into(), Some(base)), "passwd");
        // Uploads' targets are remote paths, shown as they are.
        assert_eq!(shown_target("docs/a.txt".into(), None), "docs/a.txt");
    }

    #[test]
    fn started_transfers_name_what_moves() {
        let one = TransferStarted::new(1, TransferKind::Upload, &["a.txt".into()], "docs/");
        assert_eq!(
            (one.name.as_deref(), one.items, one.to.as_str()),
            (Some("a.txt"), 1, "docs/")
        );
        let two = TransferStarted::new(2, TransferKind::Download, &["a".into(), "b".into()], "Desktop");
        assert_eq!(
            (two.name, two.items, two.to.as_str(), two.resumed),
            (None, 2, "Desktop", false)
        );
    }
}
