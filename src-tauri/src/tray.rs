//! The tray icon and its menu: who is signed in, when credentials expire ("expires in 42 min",
//! updated every 30 s), the profiles (the active one checked; a click switches), Refresh
//! credentials, Open AWS console, Open Kura, Sign out, Quit. Menu ids are the typed [`TrayAction`], never matched
//! as free-form strings; a profile's id is `tray.profile:<name>` — fixed ids contain no `:` and
//! profile names cannot ([`kura_core::config::rules::profile_name`]), so the two never collide.

use std::sync::Mutex;

use kura_ipc::{Language, ProfilesView, SessionView};
use tauri::menu::{CheckMenuItem, IsMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};
use time::OffsetDateTime;

use crate::commands::console::open_now as open_console_now;
use crate::commands::profiles::switch_now;
use crate::commands::session::{focus_main, refresh_now, sign_out_now};
use crate::i18n::text;
use crate::language;
use crate::state::AppState;

/// The tray icon's id.
const TRAY_ID: &str = "kura";
/// The prefix of a profile item's id.
const PROFILE_ID_PREFIX: &str = "tray.profile:";

/// What a tray menu item does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrayAction {
    /// Force new credentials.
    Refresh,
    /// Open the AWS console in the browser, signed in with the session.
    Console,
    /// Show the window.
    Open,
    /// Sign out.
    SignOut,
    /// Quit the app.
    Quit,
    /// Make this profile active.
    SwitchProfile(String),
}

impl TrayAction {
    const FIXED: [TrayAction; 5] = [
        TrayAction::Refresh,
        TrayAction::Console,
        TrayAction::Open,
        TrayAction::SignOut,
        TrayAction::Quit,
    ];

    /// The menu item id.
    pub fn id(&self) -> String {
        match self {
            TrayAction::Refresh => "tray.refresh".into(),
            TrayAction::Console => "tray.console".into(),
            TrayAction::Open => "tray.open".into(),
            TrayAction::SignOut => "tray.sign_out".into(),
            TrayAction::Quit => "tray.quit".into(),
            TrayAction::SwitchProfile(name) => format!("{PROFILE_ID_PREFIX}{name}"),
        }
    }

    /// The action for a menu item id (`None` for informational items and unknown ids).
    pub fn from_id(id: &str) -> Option<TrayAction> {
        if let Some(name) = id.strip_prefix(PROFILE_ID_PREFIX) {
            return kura_core::config::rules::profile_name(name)
                .is_ok()
                .then(|| TrayAction::SwitchProfile(name.to_string()));
        }
        Self::FIXED.into_iter().find(|a| a.id() == id)
    }
}

/// The menu items whose text changes (rebuilt with the menu when the profiles change).
struct TrayItems {
    identity: MenuItem<Wry>,
    expiry: MenuItem<Wry>,
    refresh: MenuItem<Wry>,
    console: MenuItem<Wry>,
    sign_out: MenuItem<Wry>,
}

/// The tray's state: its current items, the last session shown, the profiles listed.
pub struct TrayState {
    /// The language the items are worded in.
    lang: Mutex<Language>,
    items: Mutex<Option<TrayItems>>,
    last: Mutex<Option<SessionView>>,
    profiles: Mutex<(Vec<String>, Option<String>)>,
}

/// "Credentials expire in 42 min" / "… in 3 h 5 min" / "Credentials expired" in `lang`: whole
/// minutes, rounded down, like the window's header (ui/src/lib/format.ts).
pub fn expiry_text(lang: Language, expires_at: Option<&str>, now: OffsetDateTime) -> String {
    let Some(t) =
        expires_at.and_then(|s| OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok())
    else {
        return text(lang, "tray.noCredentials", &[]);
    };
    let secs = (t - now).whole_seconds();
    let min = secs / 60;
    let (h, m) = (min / 60, min % 60);
    match secs {
        ..=0 => text(lang, "tray.expired", &[]),
        1..=59 => text(lang, "tray.expiresSoon", &[]),
        _ if min < 60 => text(lang, "tray.expiresInMinutes", &[("min", &min)]),
        _ if h < 48 && m == 0 => text(lang, "tray.expiresInHours", &[("h", &h)]),
        _ if h < 48 => text(lang, "tray.expiresInHoursMinutes", &[("h", &h), ("min", &m)]),
        _ => text(lang, "tray.expiresInDays", &[("days", &(h / 24))]),
    }
}

/// Builds the menu for `profiles` (the active one checked), worded in the app's language.
fn menu(app: &AppHandle, profiles: &[String], active: Option<&str>) -> tauri::Result<(Menu<Wry>, TrayItems)> {
    let lang = language::current(app);
    let item = |id: &str, text: String, enabled: bool| MenuItem::with_id(app, id, text, enabled, None::<&str>);
    let identity = item("tray.identity", text(lang, "tray.notSignedIn", &[]), false)?;
    let expiry = item("tray.expiry", String::new(), false)?;
    let refresh = item(&TrayAction::Refresh.id(), text(lang, "tray.refresh", &[]), false)?;
    let console = item(&TrayAction::Console.id(), text(lang, "tray.console", &[]), false)?;
    let open = item(&TrayAction::Open.id(), text(lang, "tray.open", &[]), true)?;
    let sign_out = item(&TrayAction::SignOut.id(), text(lang, "tray.signOut", &[]), false)?;
    let quit = item(&TrayAction::Quit.id(), text(lang, "tray.quit", &[]), true)?;
    let profile_items = profiles
        .iter()
        .map(|name| {
            let id = TrayAction::SwitchProfile(name.clone()).id();
            CheckMenuItem::with_id(app, id, name, true, active == Some(name.as_str()), None::<&str>)
        })
        .collect::<tauri::Result<Vec<_>>>()?;
    let separators = [
        PredefinedMenuItem::separator(app)?,
        PredefinedMenuItem::separator(app)?,
        PredefinedMenuItem::separator(app)?,
    ];
    let mut all: Vec<&dyn IsMenuItem<Wry>> = vec![&identity, &expiry, &separators[0]];
    if !profile_items.is_empty() {
        all.extend(profile_items.iter().map(|p| p as &dyn IsMenuItem<Wry>));
        all.push(&separators[1]);
    }
    all.extend([
        &refresh as &dyn IsMenuItem<Wry>,
        &console,
        &open,
        &sign_out,
        &separators[2],
        &quit,
    ]);
    let menu = Menu::with_items(app, &all)?;
    Ok((
        menu,
        TrayItems {
            identity,
            expiry,
            refresh,
            console,
            sign_out,
        },
    ))
}

/// Builds the tray. Failure is logged by the caller (no tray on some desktops).
pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let (profiles, active) = {
        let state = app.state::<AppState>();
        let r = state.registry();
        (r.usable_names(), r.active().map(str::to_string))
    };
    let (menu, items) = menu(app, &profiles, active.as_deref())?;
    let icon = tauri::image::Image::from_bytes(include_bytes!("../../icons/tray.png"))?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon)
        .tooltip("Kura")
        .menu(&menu)
        .on_menu_event(|app, event| {
            if let Some(action) = TrayAction::from_id(event.id().as_ref()) {
                run(app.clone(), action);
            }
        })
        .build(app)?;
    app.manage(TrayState {
        lang: Mutex::new(language::current(app)),
        items: Mutex::new(Some(items)),
        last: Mutex::new(None),
        profiles: Mutex::new((profiles, active)),
    });
    // Keep "expires in N min" current.
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tick.tick().await;
            if let Some(tray) = handle.try_state::<TrayState>() {
                render(&tray);
            }
        }
    });
    Ok(())
}

fn render(tray: &TrayState) {
    let view = tray.last.lock().unwrap().clone();
    let items = tray.items.lock().unwrap();
    let Some(items) = items.as_ref() else { return };
    let lang = *tray.lang.lock().unwrap();
    let (who, exp) = match &view {
        Some(v) => (
            text(lang, "tray.signedInAs", &[("who", &v.label)]),
            expiry_text(lang, v.credentials_expire_at.as_deref(), OffsetDateTime::now_utc()),
        ),
        None => (text(lang, "tray.notSignedIn", &[]), String::new()),
    };
    let _ = items.identity.set_text(who);
    let _ = items.expiry.set_text(exp);
    let _ = items.refresh.set_enabled(view.is_some());
    let _ = items.console.set_enabled(view.is_some());
    let _ = items.sign_out.set_enabled(view.is_some());
}

/// Updates the menu for a new session state of the active profile.
pub fn update(app: &AppHandle, view: Option<&SessionView>) {
    if let Some(tray) = app.try_state::<TrayState>() {
        *tray.last.lock().unwrap() = view.cloned();
        render(&tray);
    }
}

/// Rebuilds the menu when the profile list or the active profile changed (also to restore the
/// check marks after a click toggled one).
pub fn set_profiles(app: &AppHandle, view: &ProfilesView) {
    let Some(tray) = app.try_state::<TrayState>() else {
        return;
    };
    let names: Vec<String> = view.profiles.iter().map(|p| p.name.clone()).collect();
    *tray.profiles.lock().unwrap() = (names, view.active.clone());
    rebuild(app, &tray);
}

/// Rewords the menu in the app's current language (after `set_language`).
pub fn relabel(app: &AppHandle) {
    if let Some(tray) = app.try_state::<TrayState>() {
        rebuild(app, &tray);
    }
}

fn rebuild(app: &AppHandle, tray: &TrayState) {
    let (names, active) = tray.profiles.lock().unwrap().clone();
    *tray.lang.lock().unwrap() = language::current(app);
    let built = menu(app, &names, active.as_deref()).and_then(|(menu, items)| {
        if let Some(icon) = app.tray_by_id(TRAY_ID) {
            icon.set_menu(Some(menu))?;
        }
        Ok(items)
    });
    match built {
        Ok(items) => {
            *tray.items.lock().unwrap() = Some(items);
            render(tray);
        }
        Err(e) => tracing::warn!("could not rebuild the tray menu: {e}"),
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
        TrayAction::Console => {
            tauri::async_runtime::spawn(async move {
                let state = app.state::<AppState>();
                if let Err(e) = open_console_now(&state).await {
                    tracing::warn!(code = %e.code, "opening the AWS console from the tray failed: {}", e.message);
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
        TrayAction::SwitchProfile(name) => {
            tauri::async_runtime::spawn(async move {
                let state = app.state::<AppState>();
                if let Err(e) = switch_now(&app, &state, &name).await {
                    tracing::warn!(code = %e.code, "switching to {name:?} from the tray failed: {}", e.message);
                    // Restore the check marks the click toggled.
                    if let Some(tray) = app.try_state::<TrayState>() {
                        rebuild(&app, &tray);
                    }
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
        for a in TrayAction::FIXED {
            assert_eq!(TrayAction::from_id(&a.id()), Some(a));
        }
        for name in ["local", "work.acme-2", "tray.quit", "tray.profile"] {
            let a = TrayAction::SwitchProfile(name.into());
            assert_eq!(TrayAction::from_id(&a.id()), Some(a));
        }
        assert_eq!(TrayAction::from_id("tray.identity"), None);
        assert_eq!(TrayAction::from_id("tray.profile:"), None);
        assert_eq!(TrayAction::from_id("tray.profile:a:b"), None);
    }

    /// A profile named like a fixed action still switches profiles, and no fixed id parses as a
    /// profile switch.
    #[test]
    fn profile_ids_never_collide_with_fixed_ids() {
        for a in TrayAction::FIXED {
            let fixed = a.id();
            let profile = TrayAction::SwitchProfile(fixed.clone()).id();
            assert_ne!(fixed, profile);
            assert!(!matches!(
                TrayAction::from_id(&fixed),
                Some(TrayAction::SwitchProfile(_))
            ));
        }
    }

    #[test]
    fn expiry_is_human() {
        let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let at = |s: i64| kura_ipc::rfc3339(now + time::Duration::seconds(s));
        let en = |s: Option<i64>| expiry_text(Language::En, s.map(at).as_deref(), now);
        assert_eq!(en(Some(42 * 60)), "Credentials expire in 42 min");
        assert_eq!(en(Some(3 * 3600 + 5 * 60)), "Credentials expire in 3 h 5 min");
        assert_eq!(en(Some(59 * 60 + 59)), "Credentials expire in 59 min");
        assert_eq!(en(Some(2 * 3600)), "Credentials expire in 2 h");
        assert_eq!(en(Some(30)), "Credentials expire in less than a minute");
        assert_eq!(en(Some(3 * 86400)), "Credentials expire in 3 days");
        assert_eq!(en(Some(-5)), "Credentials expired");
        assert_eq!(en(None), "No credentials yet");
    }

    #[test]
    fn expiry_in_japanese() {
        let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let at = |s: i64| kura_ipc::rfc3339(now + time::Duration::seconds(s));
        let ja = |s: Option<i64>| expiry_text(Language::Ja, s.map(at).as_deref(), now);
        assert_eq!(ja(Some(42 * 60)), "認証情報の有効期限: あと 42 分");
        assert_eq!(ja(Some(3 * 3600 + 5 * 60)), "認証情報の有効期限: あと 3 時間 5 分");
        assert_eq!(ja(Some(2 * 3600)), "認証情報の有効期限: あと 2 時間");
        assert_eq!(ja(Some(30)), "認証情報の有効期限: あと 1 分未満");
        assert_eq!(ja(Some(3 * 86400)), "認証情報の有効期限: あと 3 日");
        assert_eq!(ja(Some(-5)), "認証情報の有効期限が切れました");
        assert_eq!(ja(None), "認証情報はまだありません");
    }
}
