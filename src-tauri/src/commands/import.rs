//! Importing profiles from a file an administrator handed out: Rust opens the native file dialog
//! and reads the file (`read_import`: every profile must validate), so the path never reaches the
//! page; the page sees a preview under a token and confirms which profiles to save, and as what.

use std::collections::HashSet;
use std::path::PathBuf;

use kura_core::config::edit::{read_import, ImportedProfile};
use kura_core::config::rules;
use kura_core::Error;
use kura_ipc::{ImportCandidate, ImportChoice, ImportPreview, IpcError, ProfilesView};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use super::dialogs::{title, wait};
use super::profiles::{announce_active, announce_profiles, blocking, edit_config};
use super::setup::keeps_session;
use crate::state::{AppState, ProfileFile};

/// Why an import was refused: the profile (in the file) and the problem.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The profile's name in the file.
    pub profile: String,
    /// What is wrong.
    pub message: String,
}

/// Checks `choices` against the file's profiles (`available`) and the config's (`existing`):
/// each names a profile of the file, once; `save_as` is a valid name, unique among the choices,
/// and new — or equal to the profile's own name, which replaces the existing one (the UI asked).
/// Returns each choice's index in `available`.
pub fn plan(available: &[String], existing: &[String], choices: &[ImportChoice]) -> Result<Vec<usize>, Refusal> {
    let refuse = |c: &ImportChoice, message: String| Refusal {
        profile: c.name.clone(),
        message,
    };
    if choices.is_empty() {
        return Err(Refusal {
            profile: String::new(),
            message: "no profile was chosen".into(),
        });
    }
    let (mut seen, mut targets, mut out) = (HashSet::new(), HashSet::new(), Vec::new());
    for c in choices {
        let index = available
            .iter()
            .position(|a| *a == c.name)
            .ok_or_else(|| refuse(c, "the file has no such profile".into()))?;
        if !seen.insert(&c.name) {
            return Err(refuse(c, "chosen twice".into()));
        }
        rules::profile_name(&c.save_as).map_err(|v| refuse(c, format!("{:?}: {}", c.save_as, v.message)))?;
        if !targets.insert(&c.save_as) {
            return Err(refuse(c, format!("two profiles would be saved as {:?}", c.save_as)));
        }
        if existing.contains(&c.save_as) && c.save_as != c.name {
            return Err(refuse(
                c,
                format!("a profile named {:?} exists: choose another name", c.save_as),
            ));
        }
        out.push(index);
    }
    Ok(out)
}

/// Opens the native file dialog and reads the chosen profile file. Returns its profiles to
/// confirm (null when the dialog was cancelled). Errors: `config.invalid` naming the file,
/// profile and key when a profile in it does not validate.
#[tauri::command]
pub async fn pick_profile_file(app: AppHandle, state: State<'_, AppState>) -> Result<Option<ImportPreview>, IpcError> {
    let picked: Option<PathBuf> = wait(|tx| {
        app.dialog()
            .file()
            .set_title(title(&app, "dialog.importProfiles"))
            .add_filter(title(&app, "dialog.profileFiles"), &["toml"])
            .pick_file(move |f| {
                let _ = tx.send(f.and_then(|p| p.into_path().ok()));
            })
    })
    .await?;
    let Some(path) = picked else { return Ok(None) };
    let p = path.clone();
    let profiles = blocking(move || read_import(&p)).await?;
    let existing = state.registry().all_names();
    let candidates = profiles
        .iter()
        .map(|i| ImportCandidate {
            name: i.name.clone(),
            issuer_host: i.issuer_host.clone(),
            bucket: i.profile.bucket.clone(),
            exists: existing.contains(&i.name),
        })
        .collect();
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let token = state.keep_import(ProfileFile { path, profiles });
    Ok(Some(ImportPreview {
        token,
        file_name,
        profiles: candidates,
    }))
}

/// Saves the chosen profiles of a file read by `pick_profile_file` (tables copied as written,
/// comments included). An existing name is replaced only when `save_as` is the profile's own
/// name (the UI confirmed); a replaced profile whose provider changed is signed out. The first
/// usable profile becomes active. Errors: `config.invalid`.
#[tauri::command]
pub async fn import_profiles(
    app: AppHandle,
    state: State<'_, AppState>,
    token: u32,
    choices: Vec<ImportChoice>,
) -> Result<ProfilesView, IpcError> {
    let refused = |file: PathBuf, profile: Option<String>, message: String| {
        IpcError::from(Error::Config {
            file,
            profile,
            key: None,
            message,
        })
    };
    let Some((path, profiles)) = state.with_import(token, |f| (f.path.clone(), f.profiles.clone())) else {
        let config = state.registry().file().to_path_buf();
        return Err(refused(
            config,
            None,
            "that profile file is no longer open: choose it again".into(),
        ));
    };
    let available: Vec<String> = profiles.iter().map(|p| p.name.clone()).collect();
    let existing = state.registry().all_names();
    let indices = plan(&available, &existing, &choices)
        .map_err(|r| refused(path.clone(), Some(r.profile).filter(|p| !p.is_empty()), r.message))?;
    let chosen: Vec<(ImportedProfile, String)> = indices
        .iter()
        .zip(&choices)
        .map(|(i, c)| (profiles[*i].clone(), c.save_as.clone()))
        .collect();
    let replaced: Vec<_> = chosen
        .iter()
        .filter_map(|(_, as_name)| state.registry().ready(as_name).ok())
        .collect();
    let first = state.registry().active().is_none();
    let first_name = chosen[0].1.clone();
    let active_replaced = replaced.iter().any(|r| state.is_active(&r.profile.name));
    edit_config(&state, move |f| {
        for (profile, as_name) in &chosen {
            f.import(profile, as_name)?;
        }
        if first {
            f.set_default(&chosen[0].1)?;
        }
        Ok(())
    })
    .await?;
    state.drop_import(token);
    for old in replaced {
        let new = state.registry().profile(&old.profile.name).cloned();
        if new.is_some_and(|n| !keeps_session(&old.profile, &n)) {
            old.session.sign_out().await?;
        }
    }
    if first {
        state.registry().set_active(Some(&first_name))?;
    }
    if first || active_replaced {
        announce_active(&app, &state);
    }
    Ok(announce_profiles(&app, &state).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(name: &str, save_as: &str) -> ImportChoice {
        ImportChoice {
            name: name.into(),
            save_as: save_as.into(),
        }
    }

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn new_names_and_confirmed_replacements_pass() {
        let available = names(&["work", "lab"]);
        let existing = names(&["work", "home"]);
        assert_eq!(
            plan(&available, &existing, &[choice("lab", "lab"), choice("work", "work")]),
            Ok(vec![1, 0])
        );
        assert_eq!(plan(&available, &existing, &[choice("work", "work-2")]), Ok(vec![0]));
    }

    #[test]
    fn overwriting_another_profile_is_refused() {
        let available = names(&["work", "lab"]);
        let existing = names(&["home"]);
        let r = plan(&available, &existing, &[choice("lab", "home")]).unwrap_err();
        assert_eq!(r.profile, "lab");
        assert!(r.message.contains("home"), "{}", r.message);
    }

    #[test]
    fn bad_choices_are_refused() {
        let available = names(&["work", "lab"]);
        let none: Vec<String> = vec![];
        assert!(plan(&available, &none, &[]).is_err());
        assert!(plan(&available, &none, &[choice("nope", "nope")]).is_err());
        assert!(plan(&available, &none, &[choice("work", "a"), choice("work", "b")]).is_err());
        assert!(plan(&available, &none, &[choice("work", "x"), choice("lab", "x")]).is_err());
        assert!(plan(&available, &none, &[choice("work", "bad:name")]).is_err());
    }
}
