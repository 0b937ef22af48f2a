//! Kura's desktop app: a Tauri v2 shell over `kura-core`. It knows every profile of the config
//! file ([`profiles`]); commands are thin adapters acting on the active one ([`commands`]);
//! sign-in callbacks arrive as deep links or on a loopback listener ([`signin`]); the tray shows
//! the session and the profiles ([`tray`]). No S3 or OIDC logic lives here.
//!
//! The webview holds no power of its own: local paths come only from the native dialogs and the
//! window's drops, kept in Rust behind handles ([`chosen`]); the page cannot navigate away or
//! open windows ([`navigation`]); it gets events on a channel and holds no event permission
//! ([`page`]).

pub mod chosen;
pub mod commands;
pub mod i18n;
pub mod language;
pub mod logging;
pub mod navigation;
pub mod notify;
pub mod page;
pub mod profiles;
pub mod signin;
pub mod state;
pub mod tray;

use tauri::{Manager, WindowEvent};
use tauri_plugin_deep_link::DeepLinkExt;
use url::Url;

use chosen::ChosenPaths;
use commands::{
    console, dialogs, files, import, language as language_cmds, locations, preview, profiles as profile_cmds, retry,
    search, session, setup, transfers, unfinished,
};
use page::PageEvents;
use state::AppState;

/// Deep links arrive from the plugin (running instance), from a second instance's argv
/// (forwarded by single-instance) or at a cold start; all go through the same check.
fn handle_urls(app: &tauri::AppHandle, urls: impl IntoIterator<Item = Url>) {
    let state = app.state::<AppState>();
    for url in urls {
        signin::on_open_url(&state, &url);
    }
}

/// Registers the app's own scheme (`app.kura.desktop`, the only one in tauri.conf.json) with the
/// OS at run time (Linux/Windows), whatever the profiles: one added later may use it. Failures
/// are logged.
fn register_scheme(app: &tauri::AppHandle) {
    #[cfg(any(target_os = "linux", windows))]
    if let Err(e) = app.deep_link().register_all() {
        tracing::warn!(
            "could not register the {}: URL scheme: {e}",
            kura_core::config::APP_SCHEME
        );
    }
    #[cfg(not(any(target_os = "linux", windows)))]
    let _ = app;
}

/// Announces the active profile's session at start (signed in silently from the keychain when a
/// session is stored), or the setup screen when there is no profile.
fn restore_session(app: &tauri::AppHandle) {
    let state = app.state::<AppState>();
    profile_cmds::announce_active(app, &state);
}

/// Starts the app.
pub fn run() {
    logging::init();
    let result = tauri::Builder::default()
        // First: a second process (e.g. launched by the browser with the callback URL) hands its
        // arguments to this one and exits; with the `deep-link` feature they reach on_open_url.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            session::focus_main(app);
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(AppState::load())
        .manage(ChosenPaths::default())
        .manage(PageEvents::default())
        .manage(search::Searches::default())
        .manage(retry::Retries::<retry::TransferJob>::default())
        .setup(|app| {
            let handle = app.handle().clone();
            app.manage(language::LanguageState::for_app(&handle));
            navigation::create_main_window(app)?;
            register_scheme(&handle);
            let h = handle.clone();
            app.deep_link().on_open_url(move |event| handle_urls(&h, event.urls()));
            match app.deep_link().get_current() {
                Ok(Some(urls)) => handle_urls(&handle, urls),
                Ok(None) => {}
                Err(e) => tracing::warn!("reading the start-up deep link failed: {e}"),
            }
            if let Err(e) = tray::create(&handle) {
                tracing::warn!("no tray icon: {e}");
            }
            restore_session(&handle);
            Ok(())
        })
        .on_window_event(|window, event| match event {
            // Closing the window keeps Kura in the tray; Quit is in the tray menu.
            WindowEvent::CloseRequested { api, .. } if window.app_handle().tray_by_id("kura").is_some() => {
                api.prevent_close();
                let _ = window.hide();
            }
            WindowEvent::DragDrop(drop) => page::on_drag_drop(window, drop),
            _ => {}
        })
        .invoke_handler(tauri::generate_handler![
            page::app_events,
            language_cmds::language,
            language_cmds::set_language,
            session::session_status,
            session::sign_in,
            session::cancel_sign_in,
            session::sign_out,
            session::refresh_credentials,
            console::open_console,
            files::list_folder,
            files::count_objects,
            files::delete_path,
            files::create_folder,
            files::rename_path,
            locations::switch_location,
            files::share_link,
            search::start_search,
            search::stop_search,
            preview::preview_file,
            transfers::start_upload,
            transfers::start_download,
            transfers::cancel_transfer,
            transfers::pause_transfer,
            transfers::resume_transfer,
            transfers::answer_conflicts,
            retry::retry_transfer,
            unfinished::unfinished_uploads,
            unfinished::resume_unfinished,
            unfinished::discard_unfinished,
            dialogs::pick_upload_files,
            dialogs::pick_upload_folder,
            dialogs::pick_download_dir,
            profile_cmds::profiles,
            profile_cmds::profile_draft,
            profile_cmds::switch_profile,
            profile_cmds::rename_profile,
            profile_cmds::remove_profile,
            setup::validate_draft,
            setup::check_provider,
            setup::save_profile,
            import::pick_profile_file,
            import::import_profiles,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        // Tauri could not start (no window to show it in): stderr is the place.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("kura-desktop: {e}");
        }
        std::process::exit(1);
    }
}

#[cfg(test)]
mod webview_powers_tests;
