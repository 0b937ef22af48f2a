//! Profile commands: list, switch, rename, remove, and the draft for editing one. Config edits
//! go through `kura_core::config::edit::ConfigFile` (format-preserving: comments and unknown keys
//! survive), one at a time and off the async threads; keychain calls run in `spawn_blocking`.
//! After every change the page's `app_events` channel gets `profiles_changed` with the new
//! [`ProfilesView`], and `session_changed` with the active profile's session when the active
//! profile changed.

use std::sync::Arc;

use kura_core::config::edit::ConfigFile;
use kura_core::config::Profile;
use kura_core::session::move_stored;
use kura_core::setup::{ProfileDraft, ProviderInput};
use kura_core::Error;
use kura_ipc::{IpcError, ProfileSummary, ProfilesView};
use tauri::{AppHandle, State};

use super::session::{announce_session, broadcast};
use crate::profiles::issuer_host;
use crate::signin;
use crate::state::{AppState, Ready};

/// Runs blocking work (file or keychain) off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> kura_core::Result<T> + Send + 'static,
) -> Result<T, IpcError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| IpcError::from(Error::io("a background task failed", std::io::Error::other(e))))?
        .map_err(IpcError::from)
}

/// Applies `edit` to the config file and saves it (atomically; refused when the result would not
/// load), then re-reads the profiles. Edits are serialised.
pub(crate) async fn edit_config<T: Send + 'static>(
    state: &AppState,
    edit: impl FnOnce(&mut ConfigFile) -> kura_core::Result<T> + Send + 'static,
) -> Result<T, IpcError> {
    let _one_at_a_time = state.edits.lock().await;
    let path = state.registry().file().to_path_buf();
    let out = blocking(move || {
        let mut file = ConfigFile::open(&path)?;
        let out = edit(&mut file)?;
        file.save()?;
        Ok(out)
    })
    .await;
    // Re-read even after a failure: the file may have been changed by someone else.
    state.registry().reload();
    out
}

/// A `config.invalid` error about `profile` (and `key`) of the config file.
pub(crate) fn config_error(state: &AppState, profile: &str, key: Option<&str>, message: impl Into<String>) -> IpcError {
    IpcError::from(Error::Config {
        file: state.registry().file().to_path_buf(),
        profile: Some(profile.to_string()),
        key: key.map(str::to_string),
        message: message.into(),
    })
}

fn summary(profile: &Profile, signed_in_as: Option<String>) -> ProfileSummary {
    ProfileSummary {
        name: profile.name.clone(),
        issuer_host: issuer_host(&profile.issuer),
        bucket: profile.bucket.clone(),
        preset: ProviderInput::from_profile(profile).preset(),
        signed_in_as,
    }
}

/// The profiles as the window shows them; who is signed in where comes from the keychain.
pub async fn profiles_view(state: &AppState) -> ProfilesView {
    let (readies, active, config_file, problem) = {
        let mut r = state.registry();
        let readies: Vec<Arc<Ready>> = r.usable_names().iter().filter_map(|n| r.ready(n).ok()).collect();
        (
            readies,
            r.active().map(str::to_string),
            r.file().display().to_string(),
            r.problem().cloned(),
        )
    };
    let mut profiles = Vec::with_capacity(readies.len());
    for ready in readies {
        let who = match ready.session.status().await {
            Ok(s) => s.map(|s| s.identity.label().to_string()),
            Err(e) => {
                tracing::warn!(code = %e.code(), "reading the session of {:?}: {e}", ready.profile.name);
                None
            }
        };
        profiles.push(summary(&ready.profile, who));
    }
    ProfilesView {
        profiles,
        active,
        config_file,
        problem,
    }
}

/// Broadcasts `profiles_changed` and updates the tray; returns the view.
pub async fn announce_profiles(app: &AppHandle, state: &AppState) -> ProfilesView {
    let view = profiles_view(state).await;
    crate::page::send(app, kura_ipc::AppEvent::ProfilesChanged { profiles: view.clone() });
    crate::tray::set_profiles(app, &view);
    view
}

/// Announces the active profile's session after it changed (none: signed out, setup screen).
pub fn announce_active(app: &AppHandle, state: &AppState) {
    match state.ready() {
        Ok(ready) => announce_session(app, ready),
        Err(_) => broadcast(app, None),
    }
}

/// The app's profiles, the active one, the config file and its problem, if any.
#[tauri::command]
pub async fn profiles(state: State<'_, AppState>) -> Result<ProfilesView, IpcError> {
    Ok(profiles_view(&state).await)
}

/// A saved profile as the setup form edits it.
#[tauri::command]
pub fn profile_draft(state: State<'_, AppState>, name: String) -> Result<ProfileDraft, IpcError> {
    let profile = state.registry().profile(&name).cloned();
    let profile = profile.ok_or_else(|| config_error(&state, &name, None, "no such usable profile"))?;
    Ok(ProfileDraft::from_profile(&profile))
}

/// Makes `name` active: the window shows it, `default_profile` names it (the app and the CLI open
/// it next time), `session_changed` carries its session and `profiles_changed` the list.
/// Returns its session (no network), or null when signed out.
#[tauri::command]
pub async fn switch_profile(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> Result<Option<kura_ipc::SessionView>, IpcError> {
    switch_now(&app, &state, &name).await
}

/// Switching shared by the command and the tray.
pub async fn switch_now(
    app: &AppHandle,
    state: &AppState,
    name: &str,
) -> Result<Option<kura_ipc::SessionView>, IpcError> {
    let ready = state.registry().ready(name)?;
    let target = name.to_string();
    edit_config(state, move |f| f.set_default(&target)).await?;
    // A sign-in waiting for the browser belongs to the profile being left.
    if !state.is_active(name) {
        signin::cancel(state);
    }
    state.registry().set_active(Some(name))?;
    let view = super::locations::current_view(&ready).await?;
    broadcast(app, view.as_ref());
    announce_session(app, ready);
    announce_profiles(app, state).await;
    Ok(view)
}

/// Moves the keychain entries of profile `from` to `to` (refresh token and session).
pub(crate) async fn move_keychain(state: &AppState, from: &str, to: &str) -> Result<(), IpcError> {
    let (store, from, to) = (state.registry().store(), from.to_string(), to.to_string());
    blocking(move || move_stored(&store, &from, &to)).await
}

/// Renames a profile: its table (comments kept) and `default_profile` in the file, and its
/// keychain entries, so whoever is signed in stays signed in. Errors: `config.invalid` (unknown
/// profile, taken or invalid new name).
#[tauri::command]
pub async fn rename_profile(
    app: AppHandle,
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Result<ProfilesView, IpcError> {
    if from == to {
        return Ok(profiles_view(&state).await);
    }
    kura_core::config::rules::profile_name(&to)
        .map_err(|v| config_error(&state, &to, Some("name"), v.message).with_issue(v.code))?;
    if state.registry().all_names().contains(&to) {
        return Err(config_error(&state, &to, Some("name"), "a profile of this name exists").with_issue("name.taken"));
    }
    let was_active = state.is_active(&from);
    let (f, t) = (from.clone(), to.clone());
    edit_config(&state, move |file| file.rename_profile(&f, &t)).await?;
    state.registry().forget(&from);
    move_keychain(&state, &from, &to).await?;
    if was_active {
        state.registry().set_active(Some(&to))?;
        announce_active(&app, &state);
    }
    Ok(announce_profiles(&app, &state).await)
}

/// Removes a profile: signs it out (revokes the refresh token where the provider allows it, and
/// deletes both keychain entries), then removes it from the file. When it was active, the next
/// profile becomes active (and `default_profile`), or none (the setup screen).
#[tauri::command]
pub async fn remove_profile(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> Result<ProfilesView, IpcError> {
    if !state.registry().all_names().contains(&name) {
        return Err(config_error(&state, &name, None, "no such profile"));
    }
    let was_active = state.is_active(&name);
    if was_active {
        signin::cancel(&state);
    }
    let ready = state.registry().ready(&name);
    // Sign out (revocation) when the profile can be read; then delete everything stored for
    // it, the remembered identity pool identity included.
    if let Ok(ready) = ready {
        ready.session.sign_out().await?;
    }
    let (store, account) = (state.registry().store(), name.clone());
    blocking(move || kura_core::session::delete_stored(&store, &account).map(|_| ())).await?;
    let next = if was_active {
        state.registry().usable_names().into_iter().find(|n| *n != name)
    } else {
        None
    };
    let (n, next_default) = (name.clone(), next.clone());
    edit_config(&state, move |f| {
        f.remove_profile(&n)?;
        if let Some(d) = &next_default {
            f.set_default(d)?;
        }
        Ok(())
    })
    .await?;
    state.registry().forget(&name);
    if was_active {
        state.registry().set_active(next.as_deref())?;
        announce_active(&app, &state);
    }
    Ok(announce_profiles(&app, &state).await)
}
