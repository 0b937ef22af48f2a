//! The setup form's commands: validation as the person types (`validate_draft`), **Check** (the
//! provider's discovery document, `check_provider`) and **Save** (`save_profile`), thin adapters
//! over `kura_core::setup` and the format-preserving config editor.

use kura_core::config::Profile;
use kura_core::setup::{CheckReport, FieldIssue, ProfileDraft};
use kura_ipc::{DraftCheck, IpcError, ProfilesView};
use tauri::{AppHandle, State};

use super::profiles::{announce_active, announce_profiles, config_error, edit_config, move_keychain};
use crate::state::AppState;

/// A `config.invalid` error naming the first problem's field as the key and its code as the
/// issue, listing them all.
pub(crate) fn issues_error(state: &AppState, profile: &str, issues: &[FieldIssue]) -> IpcError {
    let message = issues
        .iter()
        .map(|i| format!("{}: {} ({})", i.field, i.message, i.code))
        .collect::<Vec<_>>()
        .join("; ");
    let error = config_error(state, profile, issues.first().map(|i| i.field.as_str()), message);
    match issues.first() {
        Some(first) => error.with_issue(first.code.clone()),
        None => error,
    }
}

/// True when tokens of `old` may be kept for `new`: same provider, client, role, identity pool
/// and STS. Otherwise
/// they must not be sent anywhere new, so the old session is signed out (revoked at the old
/// provider, deleted).
pub(crate) fn keeps_session(old: &Profile, new: &Profile) -> bool {
    old.issuer == new.issuer
        && old.client_id == new.client_id
        && old.role_arn == new.role_arn
        && old.identity_pool == new.identity_pool
        && old.sts_endpoint == new.sts_endpoint
}

/// Every field's problems and, once there are none, what to register at the provider and in IAM.
/// `replacing`: the profile being edited (its own name is allowed).
#[tauri::command]
pub fn validate_draft(state: State<'_, AppState>, draft: ProfileDraft, replacing: Option<String>) -> DraftCheck {
    let taken = state.registry().all_names();
    let issues = draft.validate(&taken, replacing.as_deref());
    let summary = if issues.is_empty() { draft.summary().ok() } else { None };
    DraftCheck {
        issues,
        summary,
        identity_provider_default: draft.default_identity_provider(),
    }
}

/// Checks the draft's provider (discovery document, issuer, PKCE S256, refresh tokens, …).
/// Errors: `config.invalid` when the provider fields do not yet give an issuer.
#[tauri::command]
pub async fn check_provider(state: State<'_, AppState>, draft: ProfileDraft) -> Result<CheckReport, IpcError> {
    let issuer = draft
        .provider
        .issuer()
        .map_err(|issues| issues_error(&state, &draft.name, &issues))?;
    Ok(kura_core::setup::check_provider(&issuer, &draft.provider.scopes()).await)
}

/// Saves the draft as a profile (a new one, or `replacing` an existing one; a new name renames
/// it, keychain entries included). The first usable profile becomes active and the default.
/// Errors: `config.invalid` with the draft's problems, or when the file cannot be edited.
#[tauri::command]
pub async fn save_profile(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: ProfileDraft,
    replacing: Option<String>,
) -> Result<ProfilesView, IpcError> {
    let taken = state.registry().all_names();
    let issues = draft.validate(&taken, replacing.as_deref());
    if !issues.is_empty() {
        return Err(issues_error(&state, &draft.name, &issues));
    }
    let keys = draft.to_keys().map_err(|i| issues_error(&state, &draft.name, &i))?;
    let name = draft.name.clone();
    let replacing = replacing.filter(|r| taken.contains(r));
    // The profile being replaced, with its session (signed out below if its provider changes).
    let old = replacing.as_deref().and_then(|r| state.registry().ready(r).ok());
    let renamed_from = replacing.clone().filter(|r| *r != name);
    let first = state.registry().active().is_none();
    let was_active = replacing.as_deref().is_some_and(|r| state.is_active(r));
    let (n, from) = (name.clone(), renamed_from.clone());
    edit_config(&state, move |f| {
        if let Some(from) = &from {
            f.rename_profile(from, &n)?;
        }
        f.set_profile(&n, &keys)?;
        if first {
            f.set_default(&n)?;
        }
        Ok(())
    })
    .await?;
    let new = state.registry().profile(&name).cloned();
    if let (Some(old), Some(new)) = (&old, &new) {
        if !keeps_session(&old.profile, new) {
            old.session.sign_out().await?;
        }
    }
    if let Some(from) = &renamed_from {
        state.registry().forget(from);
        move_keychain(&state, from, &name).await?;
    }
    if first || was_active {
        state.registry().set_active(Some(&name))?;
        announce_active(&app, &state);
    }
    Ok(announce_profiles(&app, &state).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(text: &str) -> Profile {
        kura_core::config::Config::parse(std::path::Path::new("t.toml"), text)
            .unwrap()
            .profile(Some("p"))
            .unwrap()
    }

    #[test]
    fn a_new_provider_or_role_ends_the_session() {
        let base = r#"[profiles.p]
issuer = "https://acme.eu.auth0.com/"
client_id = "abc"
role_arn = "arn:aws:iam::123456789012:role/KuraUser"
bucket = "acme-files"
"#;
        let old = profile(base);
        assert!(keeps_session(
            &old,
            &profile(&base.replace("acme-files", "other-files"))
        ));
        assert!(!keeps_session(&old, &profile(&base.replace("acme.eu", "evil.eu"))));
        assert!(!keeps_session(&old, &profile(&base.replace("\"abc\"", "\"xyz\""))));
        assert!(!keeps_session(&old, &profile(&base.replace("KuraUser", "Other"))));
        let pool = base.replace(
            "bucket",
            "identity_pool_id = \"us-east-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001\"\nbucket",
        );
        assert!(!keeps_session(&old, &profile(&pool)), "credentials from a new place");
        assert!(!keeps_session(
            &profile(&pool),
            &profile(&pool.replace("610001", "610002"))
        ));
    }
}
