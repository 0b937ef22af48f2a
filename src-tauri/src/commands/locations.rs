//! The active profile's locations (`[[profiles.NAME.locations]]`): the session view listing
//! them, and `switch_location`, which makes another one the location every file and transfer
//! command uses.

use kura_core::session::Status;
use kura_ipc::{IpcError, LocationView, SessionView};
use tauri::{AppHandle, State};

use super::session::broadcast;
use crate::state::{AppState, Ready};

/// `status` of `ready`'s session as the UI shows it: with the profile's locations (each with
/// its rendered prefix or the code that prevents it, from the stored ID token's claims, no
/// network) and the chosen one — moved to the first available location when this user cannot
/// use it. A session that cannot list them yields a view without locations.
pub async fn session_view(ready: &Ready, status: &Status) -> SessionView {
    let locations: Vec<LocationView> = match ready.session.location_prefixes().await {
        Ok(list) => list.iter().map(|(l, p)| LocationView::new(l, p)).collect(),
        Err(e) => {
            tracing::warn!(
                code = %e.code(),
                "the locations of {:?} could not be listed: {e}",
                ready.profile.name
            );
            Vec::new()
        }
    };
    let available: Vec<&str> = locations
        .iter()
        .filter(|l| l.error.is_none())
        .map(|l| l.name.as_str())
        .collect();
    if !locations.is_empty() {
        ready.keep_available_location(&available);
    }
    SessionView::with_locations(status, &ready.location(), locations)
}

/// The stored session of `ready` as [`session_view`] shows it, or `None` when signed out.
/// Errors: reading the keychain.
pub async fn current_view(ready: &Ready) -> Result<Option<SessionView>, IpcError> {
    match ready.session.status().await? {
        Some(status) => Ok(Some(session_view(ready, &status).await)),
        None => Ok(None),
    }
}

/// Makes location `name` of the active profile the one every file and transfer command uses
/// (its storage is built on first use; running transfers keep theirs) and announces the new
/// session view (`session_changed`). The choice is kept per profile while the app runs.
/// Errors: `config.invalid` (no such location), `auth.not_signed_in`, `path.missing_claim` /
/// `path.unsafe_claim` (its prefix cannot be rendered for this user; nothing changes).
#[tauri::command]
pub async fn switch_location(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> Result<SessionView, IpcError> {
    let ready = state.ready()?;
    ready.switch_location(&name).await?;
    let view = current_view(&ready).await?.ok_or_else(|| {
        IpcError::from(kura_core::Error::NotSignedIn {
            profile: ready.profile.name.clone(),
        })
    })?;
    if state.is_active(&ready.profile.name) {
        broadcast(&app, Some(&view));
    }
    Ok(view)
}
