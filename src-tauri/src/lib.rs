//! Kura's desktop app: a Tauri v2 shell over `kura-core`. Commands are thin adapters
//! ([`commands`]); sign-in callbacks arrive as deep links ([`signin`]); the tray shows the
//! session ([`tray`]). No S3 or OIDC logic lives here.

pub mod commands;
pub mod signin;
pub mod state;
pub mod tray;

use tauri::{Manager, WindowEvent};
use tauri_plugin_deep_link::DeepLinkExt;
use url::Url;

use commands::{dialogs, files, session, transfers, unfinished};
use state::AppState;

/// Deep links arrive from the plugin (running instance), from a second instance's argv
/// (forwarded by single-instance) or at a cold start; all go through the same check.
fn handle_urls(app: &tauri::AppHandle, urls: impl IntoIterator<Item = Url>) {
    let state = app.state::<AppState>();
    for url in urls {
        signin::on_open_url(&state, &url);
    }
}

/// Registers the profile's custom scheme at run time (Linux/Windows); failures are logged.
fn register_scheme(app: &tauri::AppHandle) {
    let state = app.state::<AppState>();
    let Ok(ready) = state.ready() else { return };
    let Some(scheme) = ready
        .profile
        .redirect_uri
        .as_deref()
        .and_then(|r| Url::parse(r).ok())
        .map(|u| u.scheme().to_string())
    else {
        return;
    };
    if scheme.starts_with("http") {
        return;
    }
    #[cfg(any(target_os = "linux", windows))]
    if let Err(e) = app.deep_link().register(&scheme) {
        tracing::warn!("could not register the {scheme}: URL scheme: {e}");
    }
}

/// Signs in silently from the keychain at start, if a session is stored.
fn restore_session(app: &tauri::AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let Ok(ready) = state.ready() else { return };
        match ready.session.status().await {
            Ok(Some(status)) => {
                let view = kura_ipc::SessionView::from(&status);
                session::broadcast(&app, Some(&view));
                // Renew expired credentials in the background so the first listing is quick.
                if let Err(e) = ready.session.credentials().await {
                    tracing::warn!("stored session could not be renewed: {e}");
                    if e.code() == "auth.session_expired" {
                        session::broadcast(&app, None);
                        return;
                    }
                }
                if let Ok(Some(s)) = ready.session.status().await {
                    session::broadcast(&app, Some(&kura_ipc::SessionView::from(&s)));
                }
            }
            Ok(None) => session::broadcast(&app, None),
            Err(e) => tracing::warn!("reading the stored session failed: {e}"),
        }
    });
}

/// Starts the app.
pub fn run() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("KURA_LOG").unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .try_init();
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
        .setup(|app| {
            let handle = app.handle().clone();
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
        .on_window_event(|window, event| {
            // Closing the window keeps Kura in the tray; Quit is in the tray menu.
            if let WindowEvent::CloseRequested { api, .. } = event {
                if window.app_handle().tray_by_id("kura").is_some() {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            session::session_status,
            session::sign_in,
            session::cancel_sign_in,
            session::sign_out,
            session::refresh_credentials,
            files::list_folder,
            files::count_objects,
            files::delete_path,
            files::create_folder,
            files::rename_path,
            files::share_link,
            transfers::start_upload,
            transfers::start_download,
            transfers::cancel_transfer,
            transfers::pause_transfer,
            transfers::resume_transfer,
            transfers::answer_conflicts,
            unfinished::unfinished_uploads,
            unfinished::resume_unfinished,
            unfinished::discard_unfinished,
            dialogs::pick_upload_files,
            dialogs::pick_upload_folder,
            dialogs::pick_download_dir,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("kura-desktop: {e}");
        std::process::exit(1);
    }
}
