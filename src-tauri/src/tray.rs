//! The tray icon and its menu: who is signed in, when credentials expire ("expires in 42 min",
//! updated every 30 s), Refresh credentials, Open Kura, Sign out, Quit. Menu ids are the typed
//! [`TrayAction`], never matched as free-form strings.

use std::sync::Mutex;

use kura_ipc::SessionView;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};
use time::OffsetDateTime;

use crate::commands::session::{focus_main, refresh_now, sign_out_now};
use crate::state::AppState;

/// What a tray menu item does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayAction {
    /// Force new credentials.
    Refresh,
    /// Show the window.
    Open,
    /// Sign out.
    SignOut,
    /// Quit the app.
    Quit,
}

impl TrayAction {
    const ALL: [TrayAction; 4] = [
        TrayAction::Refresh,
        TrayAction::Open,
        TrayAction::SignOut,
        TrayAction::Quit,
    ];

    /// The menu item id.
    pub fn id(self) -> &'static str {
        match self {
            TrayAction::Refresh => "tray.refresh",
            TrayAction::Open => "tray.open",
            TrayAction::SignOut => "tray.sign_out",
            TrayAction::Quit => "tray.quit",
        }
    }

    /// The action for a menu item id.
    pub fn from_id(id: &str) -> Option<TrayAction> {
        Self::ALL.into_iter().find(|a| a.id() == id)
    }
}

/// The menu items whose text changes.
pub struct TrayItems {
    identity: MenuItem<Wry>,
    expiry: MenuItem<Wry>,
    refresh: MenuItem<Wry>,
    sign_out: MenuItem<Wry>,
    last: Mutex<Option<SessionView>>,
}

/// "Credentials expire in 42 min" / "… in 3 h 5 min" / "Credentials expired": whole minutes,
/// rounded down — the same wording and rounding as the window's header (ui/src/lib/format.ts).
pub fn expiry_text(expires_at: Option<&str>, now: OffsetDateTime) -> String {
    let Some(t) =
        expires_at.and_then(|s| OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok())
    else {
        return "No credentials yet".into();
    };
    let secs = (t - now).whole_seconds();
    let min = secs / 60;
    let (h, m) = (min / 60, min % 60);
    match secs {
        ..=0 => "Credentials expired".into(),
        1..=59 => "Credentials expire in less than a minute".into(),
        _ if min < 60 => format!("Credentials expire in {min} min"),
        _ if h < 48 && m == 0 => format!("Credentials expire in {h} h"),
        _ if h < 48 => format!("Credentials expire in {h} h {m} min"),
        _ => format!("Credentials expire in {} days", h / 24),
    }
}

/// Builds the tray. Failure is logged by the caller (no tray on some desktops).
pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let identity = MenuItem::with_id(app, "tray.identity", "Not signed in", false, None::<&str>)?;
    let expiry = MenuItem::with_id(app, "tray.expiry", "", false, None::<&str>)?;
    let refresh = MenuItem::with_id(
        app,
        TrayAction::Refresh.id(),
        "Refresh credentials",
        false,
        None::<&str>,
    )?;
    let open = MenuItem::with_id(app, TrayAction::Open.id(), "Open Kura", true, None::<&str>)?;
    let sign_out = MenuItem::with_id(app, TrayAction::SignOut.id(), "Sign out", false, None::<&str>)?;
    let quit = MenuItem::with_id(app, TrayAction::Quit.id(), "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(
        app,
        &[
            &identity,
            &expiry,
            &PredefinedMenuItem::separator(app)?,
            &refresh,
            &open,
            &sign_out,
            &PredefinedMenuItem::separator(app)?,
            &quit,
        ],
    )?;
    let icon = tauri::image::Image::from_bytes(include_bytes!("../../icons/tray.png"))?;
    TrayIconBuilder::with_id("kura")
        .icon(icon)
        .tooltip("Kura")
        .menu(&menu)
        .on_menu_event(|app, event| {
            if let Some(action) = TrayAction::from_id(event.id().as_ref()) {
                run(app.clone(), action);
            }
        })
        .build(app)?;
    app.manage(TrayItems {
        identity,
        expiry,
        refresh,
        sign_out,
        last: Mutex::new(None),
    });
    // Keep "expires in N min" current.
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tick.tick().await;
            if let Some(items) = handle.try_state::<TrayItems>() {
                let last = items.last.lock().unwrap().clone();
                render(&items, last.as_ref());
            }
        }
    });
    Ok(())
}

fn render(items: &TrayItems, view: Option<&SessionView>) {
    let (who, exp) = match view {
        Some(v) => (
            format!("Signed in as {}", v.label),
            expiry_text(v.credentials_expire_at.as_deref(), OffsetDateTime::now_utc()),
        ),
        None => ("Not signed in".to_string(), String::new()),
    };
    let _ = items.identity.set_text(who);
    let _ = items.expiry.set_text(exp);
    let _ = items.refresh.set_enabled(view.is_some());
    let _ = items.sign_out.set_enabled(view.is_some());
}

/// Updates the menu for a new session state.
pub fn update(app: &AppHandle, view: Option<&SessionView>) {
    if let Some(items) = app.try_state::<TrayItems>() {
        *items.last.lock().unwrap() = view.cloned();
        render(&items, view);
    }
}

fn run(app: AppHandle, action: TrayAction) {
    match action {
        TrayAction::Open => focus_main(&app),
        TrayAction::Quit => app.exit(0),
        TrayAction::Refresh => {
            tauri::async_runtime::spawn(async move {
                let state = app.state::<AppState>();
                if let Err(e) = refresh_now(&app, &state).await {
                    tracing::warn!(code = %e.code, "refresh from the tray failed: {}", e.message);
                }
            });
        }
        TrayAction::SignOut => {
            tauri::async_runtime::spawn(async move {
                let state = app.state::<AppState>();
                if let Err(e) = sign_out_now(&app, &state).await {
                    tracing::warn!(code = %e.code, "sign-out from the tray failed: {}", e.message);
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_ids_round_trip() {
        for a in TrayAction::ALL {
            assert_eq!(TrayAction::from_id(a.id()), Some(a));
        }
        assert_eq!(TrayAction::from_id("tray.identity"), None);
    }

    #[test]
    fn expiry_is_human() {
        let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let at = |s: i64| kura_ipc::rfc3339(now + time::Duration::seconds(s));
        assert_eq!(expiry_text(Some(&at(42 * 60)), now), "Credentials expire in 42 min");
        assert_eq!(
            expiry_text(Some(&at(3 * 3600 + 5 * 60)), now),
            "Credentials expire in 3 h 5 min"
        );
        assert_eq!(
            expiry_text(Some(&at(59 * 60 + 59)), now),
            "Credentials expire in 59 min"
        );
        assert_eq!(expiry_text(Some(&at(2 * 3600)), now), "Credentials expire in 2 h");
        assert_eq!(
            expiry_text(Some(&at(30)), now),
            "Credentials expire in less than a minute"
        );
        assert_eq!(expiry_text(Some(&at(3 * 86400)), now), "Credentials expire in 3 days");
        assert_eq!(expiry_text(Some(&at(-5)), now), "Credentials expired");
        assert_eq!(expiry_text(None, now), "No credentials yet");
    }
}
