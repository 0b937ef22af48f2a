//! The app's language: the system locale's ([`Language::of_system`], read once at start) unless
//! the person chose one in the UI. The choice is remembered in a small settings file of the app's
//! own (`<app config dir>/settings.json`, e.g. `~/.config/app.kura.desktop/settings.json`: not
//! Kura's config file, which the `kura` CLI shares), written atomically.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use kura_ipc::{ErrorCode, IpcError, Language, LanguageView};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};

/// What the settings file holds.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Settings {
    /// The language chosen in the app; absent follows the system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<Language>,
}

/// The language state (managed by the app).
pub struct LanguageState {
    system: Language,
    chosen: Mutex<Option<Language>>,
    /// The settings file; `None` when the platform has no config dir (the choice then lasts
    /// until the app quits).
    file: Option<PathBuf>,
}

fn read(file: &Path) -> Settings {
    match std::fs::read_to_string(file) {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|e| {
            tracing::warn!("ignoring {}: {e}", file.display());
            Settings::default()
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Settings::default(),
        Err(e) => {
            tracing::warn!("cannot read {}: {e}", file.display());
            Settings::default()
        }
    }
}

fn write(file: &Path, settings: &Settings) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(".settings.json.tmp");
    std::fs::write(
        &tmp,
        serde_json::to_vec_pretty(settings).map_err(std::io::Error::other)?,
    )?;
    std::fs::rename(&tmp, file)
}

impl LanguageState {
    /// The state for `system` with the choice remembered in `file`, if any.
    pub fn load(system: Language, file: Option<PathBuf>) -> LanguageState {
        let chosen = file.as_deref().map(read).unwrap_or_default().language;
        LanguageState {
            system,
            chosen: Mutex::new(chosen),
            file,
        }
    }

    /// The state of the app: this process's locale, the app config dir's `settings.json`.
    pub fn for_app(app: &AppHandle) -> LanguageState {
        let file = app.path().app_config_dir().ok().map(|d| d.join("settings.json"));
        LanguageState::load(Language::of_system(), file)
    }

    /// The language in effect.
    pub fn current(&self) -> Language {
        self.chosen.lock().unwrap().unwrap_or(self.system)
    }

    /// The system's, the chosen and the effective language.
    pub fn view(&self) -> LanguageView {
        LanguageView::new(self.system, *self.chosen.lock().unwrap())
    }

    /// Remembers `chosen` (`None`: follow the system). Errors: `settings.io` when the settings
    /// file cannot be written (the choice still holds until the app quits).
    pub fn choose(&self, chosen: Option<Language>) -> Result<LanguageView, IpcError> {
        *self.chosen.lock().unwrap() = chosen;
        if let Some(file) = &self.file {
            write(file, &Settings { language: chosen }).map_err(|e| {
                IpcError::new(
                    ErrorCode::SettingsIo,
                    format!("cannot save the language in {}: {e}", file.display()),
                )
                .with_detail(e.to_string())
            })?;
        }
        Ok(self.view())
    }
}

/// The app's language now (English before the state exists).
pub fn current(app: &AppHandle) -> Language {
    app.try_state::<LanguageState>().map_or(Language::En, |s| s.current())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_survives_a_restart_and_none_follows_the_system() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("conf").join("settings.json");
        let first = LanguageState::load(Language::Ja, Some(file.clone()));
        assert_eq!(first.view(), LanguageView::new(Language::Ja, None));
        assert_eq!(first.choose(Some(Language::En)).unwrap().language, Language::En);
        let again = LanguageState::load(Language::Ja, Some(file.clone()));
        assert_eq!(again.current(), Language::En);
        assert_eq!(again.view().chosen, Some(Language::En));
        again.choose(None).unwrap();
        assert_eq!(
            LanguageState::load(Language::Ja, Some(file.clone())).current(),
            Language::Ja
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap().trim(), "{}");
    }

    #[test]
    fn a_broken_settings_file_follows_the_system() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("settings.json");
        std::fs::write(&file, "{not json").unwrap();
        assert_eq!(LanguageState::load(Language::Ja, Some(file)).current(), Language::Ja);
    }

    #[test]
    fn an_unwritable_settings_file_is_settings_io() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "").unwrap();
        let state = LanguageState::load(Language::En, Some(blocker.join("settings.json")));
        let err = state.choose(Some(Language::Ja)).unwrap_err();
        assert_eq!(err.code, "settings.io");
        assert_eq!(state.current(), Language::Ja);
    }
}
