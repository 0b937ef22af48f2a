//! Session commands on the active profile: status, sign in/out, refresh. Every change of the
//! active profile's session is also broadcast (`session_changed` on the page's `app_events`
//! channel, payload `SessionView | null`), which the tray and the UI follow; a sign-in or
//! sign-out also changes the profile list (`profiles_changed`, who is signed in where).

use kura_ipc::{IpcError, SessionView};
use tauri::{AppHandle, State};

use super::locations::{current_view, session_view};
use super::profiles::announce_profiles;
use crate::signin;
use crate::state::{AppState, Ready};

/// Tells the UI and the tray about the current session.
pub fn broadcast(app: &AppHandle, view: Option<&SessionView>) {
    crate::page::send(app, kura_ipc::AppEvent::SessionChanged { session: view.cloned() });
    crate::tray::update(app, view);
}

/// The stored session (no network), or `null` when signed out.
#[tauri::command]
pub async fn session_status(state: State<'_, AppState>) -> Result<Option<SessionView>, IpcError> {
    let ready = state.ready()?;
    current_view(&ready).await
}

/// Opens the browser for sign-in and resolves once the callback completed it.
#[tauri::command]
pub async fn sign_in(app: AppHandle, state: State<'_, AppState>) -> Result<SessionView, IpcError> {
    let ready = state.ready()?;
    let tokens = signin::sign_in(&state, &ready).await?;
    let status = ready.session.sign_in(tokens).await?;
    ready.reset_storage().await;
    let view = session_view(&ready, &status).await;
    // The window may have switched profiles meanwhile: only the active one is broadcast.
    if state.is_active(&ready.profile.name) {
        broadcast(&app, Some(&view));
    }
    announce_profiles(&app, &state).await;
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
    if state.is_active(&ready.profile.name) {
        broadcast(app, None);
    }
    announce_profiles(app, state).await;
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
    let view = session_view(&ready, &status).await;
    if state.is_active(&ready.profile.name) {
        broadcast(app, Some(&view));
    }
    Ok(view)
}

/// Announces `ready`'s stored session (no network) if it is still the active profile, then
/// renews its credentials in the background so the first listing is quick; a session that can
/// no longer be renewed is announced as signed out. Used at start and after a switch.
pub fn announce_session(app: &AppHandle, ready: std::sync::Arc<Ready>) {
    use tauri::Manager;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let name = ready.profile.name.clone();
        let tell = |view: Option<&SessionView>| {
            if state.is_active(&name) {
                broadcast(&app, view);
            }
        };
        match ready.session.status().await {
            Ok(Some(status)) => {
                tell(Some(&session_view(&ready, &status).await));
                if let Err(e) = ready.session.credentials().await {
                    tracing::warn!(code = %e.code(), "stored session of {name:?} could not be renewed: {e}");
                    if e.code() == kura_core::ErrorCode::AuthSessionExpired {
                        tell(None);
                    }
                    return;
                }
                if let Ok(Some(s)) = ready.session.status().await {
                    tell(Some(&session_view(&ready, &s).await));
                }
            }
            Ok(None) => tell(None),
            Err(e) => tracing::warn!(code = %e.code(), "reading the stored session of {name:?} failed: {e}"),
        }
    });
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
