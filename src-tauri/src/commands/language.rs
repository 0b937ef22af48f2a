//! The UI language: which one to show (the page cannot read the locale environment) and the
//! person's choice, remembered by [`crate::language`]; the tray follows a change at once.

use kura_ipc::{IpcError, Language, LanguageView};
use tauri::{AppHandle, State};

use crate::language::LanguageState;

/// The language in effect, the system's and the chosen one.
#[tauri::command]
pub fn language(state: State<'_, LanguageState>) -> LanguageView {
    state.view()
}

/// Chooses the UI language (null: follow the system), remembered across restarts; the tray menu
/// is relabelled. Errors: `settings.io` when the choice cannot be saved (it holds until the app
/// quits).
#[tauri::command]
pub fn set_language(
    app: AppHandle,
    state: State<'_, LanguageState>,
    chosen: Option<Language>,
) -> Result<LanguageView, IpcError> {
    let saved = state.choose(chosen);
    crate::tray::relabel(&app);
    saved
}
