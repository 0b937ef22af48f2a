//! The setup and profiles part of the IPC contract. The form types themselves
//! (`ProfileDraft`, `ProviderInput`, `FieldIssue`, `SetupSummary`, `CheckReport`, …) are
//! `kura_core::setup`'s, exported to TypeScript from there (feature `ts`).
//!
//! Commands: `profiles() -> ProfilesView`; `validate_draft(draft, replacing) -> DraftCheck`;
//! `check_provider(draft) -> CheckReport`; `save_profile(draft, replacing) -> ProfilesView`;
//! `profile_draft(name) -> ProfileDraft`; `switch_profile(name) -> SessionView | null`;
//! `rename_profile(from, to) -> ProfilesView`; `remove_profile(name) -> ProfilesView`;
//! `pick_profile_file() -> ImportPreview | null`; `import_profiles(token, choices) -> ProfilesView`.
//! The `app_events` channel carries `profiles_changed` with a `ProfilesView` after every change.

use kura_core::setup::{FieldIssue, Preset, SetupSummary};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::IpcError;

/// A saved profile as the switcher, the tray and the setup list show it (no network needed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProfileSummary {
    /// Profile name.
    pub name: String,
    /// The issuer's host, e.g. `acme.eu.auth0.com`.
    pub issuer_host: String,
    /// Bucket.
    pub bucket: String,
    /// The preset its issuer fits (`generic` when none).
    pub preset: Preset,
    /// Who is signed in on this profile (from the keychain), if anyone.
    pub signed_in_as: Option<String>,
}

/// The app's profiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProfilesView {
    /// Every usable profile, sorted by name.
    pub profiles: Vec<ProfileSummary>,
    /// The profile the window shows, if any (none: the setup screen).
    pub active: Option<String>,
    /// The config file (shown in the setup screen so people know where profiles live).
    pub config_file: String,
    /// Why the config file or a profile in it cannot be used, if so (e.g. `config.invalid`);
    /// the setup screen shows it and still lets people add a profile.
    pub problem: Option<IpcError>,
}

/// `validate_draft`'s answer: every field's problems, and once there are none, what the
/// administrator must register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DraftCheck {
    /// Problems per field (empty when the draft can be saved).
    pub issues: Vec<FieldIssue>,
    /// Derived values and policies (present when `issues` is empty).
    pub summary: Option<SetupSummary>,
    /// The identity pool's `Logins` key used when `identity_provider` is left empty (the
    /// issuer without scheme and trailing slash), for the field's placeholder; `None` while the
    /// provider fields give no issuer (`ProfileDraft::default_identity_provider`).
    pub identity_provider_default: Option<String>,
}

/// A profile found in a file chosen with `pick_profile_file`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportCandidate {
    /// Its name in the file.
    pub name: String,
    /// The issuer's host (what the person is asked to trust).
    pub issuer_host: String,
    /// Bucket.
    pub bucket: String,
    /// True when a profile of that name already exists (saving replaces it only if asked).
    pub exists: bool,
}

/// A profile file read by Rust (the path never reaches the page): its profiles, to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportPreview {
    /// Pass back to `import_profiles`.
    pub token: u32,
    /// The file's name (no directory).
    pub file_name: String,
    /// The profiles in it.
    pub profiles: Vec<ImportCandidate>,
}

/// One profile to import and the name to save it as (a new name, or its own to replace).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportChoice {
    /// Its name in the file.
    pub name: String,
    /// The name to save it under.
    pub save_as: String,
}
