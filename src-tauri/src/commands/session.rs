//! Session commands: status, sign in/out, refresh. Every change is also broadcast as the app
//! event `session-changed` (payload `SessionView | null`), which the tray and the UI follow.

use kura_ipc::{IpcError, SessionView};
use tauri::{AppHandle, Emitter, State};

use crate::signin;
use crate::state::AppState;

/// The app event announcing a new session state.
pub const SESSION_CHANGED: &str = "session-changed";

/// Tells the UI and the tray about the current session.
pub fn broadcast(app: &AppHandle, view: Option<&SessionView>) {
    if let Err(e) = app.emit(SESSION_CHANGED, view) {
        tracing::warn!("could not emit {SESSION_CHANGED}: {e}");
    }
    crate::tray::update(app, view);
}

/// The stored session (no network), or `null` when signed out.
#[tauri::command]
pub async fn session_status(state: State<'_, AppState>) -> Result<Option<SessionView>, IpcError> {
    let ready = state.ready()?;
    Ok(ready.session.status().await?.as_ref().map(SessionView::from))
}

/// Opens the browser for sign-in and resolves once the callback completed it.
#[tauri::command]
pub async fn sign_in(app: AppHandle, state: State<'_, AppState>) -> Result<SessionView, IpcError> {
    let ready = state.ready()?;
    let tokens = signin::sign_in(&state, ready).await?;
    let status = ready.session.sign_in(tokens).await?;
    ready.reset_storage().await;
    let view = SessionView::from(&status);
    broadcast(&app, Some(&view));
    focus_main(&app);
    Ok(view)
}

/// Abandons a sign-in waiting for the browser.
#[tauri::command]
pub fn cancel_sign_in(state: State<'_, AppState>) -> bool {
    signin::cancel(&state)
}

/// Signs out: revokes the refresh token and deletes the stored session.
#[tauri::command]
pub async fn sign_out(app: AppHandle, state: State<'_, AppState>) -> Result<(), IpcError> {
    sign_out_now(&app, &state).await
}

/// Sign-out shared by the command and the tray.
pub async fn sign_out_now(app: &AppHandle, state: &AppState) -> Result<(), IpcError> {
    let ready = state.ready()?;
    ready.session.sign_out().await?;
    ready.reset_storage().await;
    broadcast(app, None);
    Ok(())
}

/// Forces new credentials (AssumeRoleWithWebIdentity; a new ID token first when needed).
#[tauri::command]
pub async fn refresh_credentials(app: AppHandle, state: State<'_, AppState>) -> Result<SessionView, IpcError> {
    refresh_now(&app, &state).await
}

/// Refresh shared by the command and the tray.
pub async fn refresh_now(app: &AppHandle, state: &AppState) -> Result<SessionView, IpcError> {
    let ready = state.ready()?;
    ready.session.force_refresh().await?;
    let status = ready.session.status().await?.ok_or_else(|| {
        IpcError::from(kura_core::Error::NotSignedIn {
            profile: ready.profile.name.clone(),
        })
    })?;
    let view = SessionView::from(&status);
    broadcast(app, Some(&view));
    Ok(view)
}

/// Shows and focuses the main window.
pub fn focus_main(app: &AppHandle) {
    use tauri::Manager;
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}
