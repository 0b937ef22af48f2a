//! Generates the app's command permissions (least privilege: the capability in
//! `capabilities/main.json` grants the main window exactly these) and Tauri's context.

const COMMANDS: &[&str] = &[
    "app_events",
    "language",
    "set_language",
    "session_status",
    "sign_in",
    "cancel_sign_in",
    "sign_out",
    "refresh_credentials",
    "open_console",
    "list_folder",
    "start_upload",
    "start_download",
    "cancel_transfer",
    "pause_transfer",
    "resume_transfer",
    "answer_conflicts",
    "retry_transfer",
    "unfinished_uploads",
    "resume_unfinished",
    "discard_unfinished",
    "pick_upload_files",
    "pick_upload_folder",
    "pick_download_dir",
    "count_objects",
    "delete_path",
    "create_folder",
    "rename_path",
    "switch_location",
    "share_link",
    "start_search",
    "stop_search",
    "preview_file",
    "profiles",
    "validate_draft",
    "check_provider",
    "save_profile",
    "profile_draft",
    "switch_profile",
    "rename_profile",
    "remove_profile",
    "pick_profile_file",
    "import_profiles",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
