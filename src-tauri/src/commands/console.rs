//! **Open AWS console**: the active profile's session signed in to the AWS console in the system
//! browser ([`kura_core::console`]). The sign-in URL is a secret (valid 15 minutes): it never
//! crosses IPC or reaches the logs; Rust opens the browser.

use kura_ipc::{ErrorCode, IpcError};
use tauri::State;

use crate::state::AppState;

/// Opens the AWS console (the S3 console at the user's folder) in the browser, renewing expired
/// or near-expiry credentials first. Errors: `auth.not_signed_in`, `auth.session_expired`,
/// `console.federation` (the federation endpoint refused; the message keeps the HTTP status),
/// `console.endpoint` (no endpoint known for the role's partition), `console.browser`.
#[tauri::command]
pub async fn open_console(state: State<'_, AppState>) -> Result<(), IpcError> {
    open_now(&state).await
}

/// Shared by the command and the tray.
pub async fn open_now(state: &AppState) -> Result<(), IpcError> {
    let ready = state.ready()?;
    let url = kura_core::console::signin_url(&ready.session, None).await?;
    kura_core::browser::open(url.expose()).map_err(|e| {
        IpcError::new(
            ErrorCode::ConsoleBrowser,
            format!("could not open the browser ({e}); is a default browser set?"),
        )
        .with_detail(e.to_string())
    })
}
