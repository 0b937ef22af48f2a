//! What the shell tells the page, on one channel per webview ([`app_events`]), instead of Tauri
//! events: the capability grants the page no `core:event` permission at all, so it cannot listen
//! to Tauri's own events — whose drag-and-drop payloads carry the dropped paths — nor emit one
//! (e.g. a forged `deep-link://new-url`). Drops are handled here: the paths are kept in
//! [`ChosenPaths`] and the page gets a handle with names and sizes ([`AppEvent::FilesDropped`]).

use std::collections::HashMap;
use std::sync::Mutex;

use kura_ipc::AppEvent;
use tauri::ipc::Channel;
use tauri::{AppHandle, DragDropEvent, Manager, PhysicalPosition, State, Webview, Window};

use crate::chosen::ChosenPaths;

/// The page channels, by webview label (a reloaded page's new channel replaces its old one).
#[derive(Default)]
pub struct PageEvents {
    channels: Mutex<HashMap<String, Channel<AppEvent>>>,
}

impl PageEvents {
    /// Sends `event` to every page.
    pub fn send(&self, event: &AppEvent) {
        for (label, channel) in self.channels.lock().unwrap().iter() {
            if let Err(e) = channel.send(event.clone()) {
                tracing::debug!("could not reach the page of {label}: {e}");
            }
        }
    }

    /// Sends `event` to the page of one webview, if it listens.
    pub fn send_to(&self, label: &str, event: AppEvent) {
        if let Some(channel) = self.channels.lock().unwrap().get(label) {
            if let Err(e) = channel.send(event) {
                tracing::debug!("could not reach the page of {label}: {e}");
            }
        }
    }
}

/// Sends `event` to every page (session and profile changes).
pub fn send(app: &AppHandle, event: AppEvent) {
    app.state::<PageEvents>().send(&event);
}

/// Opens the page's event channel: every [`AppEvent`] for this webview arrives on `on_event`
/// from now on (a second call replaces the first, e.g. after a reload).
#[tauri::command]
pub fn app_events(webview: Webview, events: State<'_, PageEvents>, on_event: Channel<AppEvent>) {
    events
        .channels
        .lock()
        .unwrap()
        .insert(webview.label().to_string(), on_event);
}

fn css_pixels(window: &Window, position: &PhysicalPosition<f64>) -> (f64, f64) {
    let scale = window.scale_factor().unwrap_or(1.0);
    let p = position.to_logical::<f64>(scale);
    (p.x, p.y)
}

/// The window's drag-and-drop events (from `on_window_event`): hovering is forwarded with its
/// position only; a drop's paths are kept (read on a blocking thread: folders are walked for
/// their size) and the page gets their handle, names and sizes — never a path.
pub fn on_drag_drop(window: &Window, event: &DragDropEvent) {
    let app = window.app_handle().clone();
    let label = window.label().to_string();
    let events = app.state::<PageEvents>();
    match event {
        DragDropEvent::Enter { position, .. } | DragDropEvent::Over { position } => {
            let (x, y) = css_pixels(window, position);
            events.send_to(&label, AppEvent::DragOver { x, y });
        }
        DragDropEvent::Drop { paths, position } if !paths.is_empty() => {
            let (x, y) = css_pixels(window, position);
            let paths = paths.clone();
            tauri::async_runtime::spawn_blocking(move || {
                let event = match app.state::<ChosenPaths>().keep_upload(&label, paths) {
                    Ok(chosen) => AppEvent::FilesDropped { chosen, x, y },
                    Err(error) => AppEvent::DropFailed { error },
                };
                app.state::<PageEvents>().send_to(&label, event);
            });
        }
        _ => events.send_to(&label, AppEvent::DragLeave),
    }
}
