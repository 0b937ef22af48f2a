//! The desktop app's IPC contract, declared once here. The Tauri shell (`src-tauri`) sends and
//! receives exactly these types; `ui/src/bindings/` holds the TypeScript generated from them by
//! `ts-rs` (`scripts/gen-bindings.sh`), and the test `bindings_are_current` fails when the
//! committed bindings are stale.
//!
//! Conventions: times are RFC 3339 strings (UTC), sizes are bytes as JSON numbers (exact up to
//! 2^53), paths are relative to the user's prefix (`docs/a.txt`, folders end with `/`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub mod error;
pub mod language;
pub mod local;
pub mod search;
pub mod setup;
pub mod transfer;
pub use error::{ErrorParams, IpcError};
pub use kura_core::ErrorCode;
pub use language::{Language, LanguageView};
pub use local::{AppEvent, ChosenFiles, ChosenFolder, ChosenItem};
pub use search::{PreviewInfo, PreviewShow, SearchEvent, SearchHit};
pub use setup::{DraftCheck, ImportCandidate, ImportChoice, ImportPreview, ProfileSummary, ProfilesView};
pub use transfer::{
    ConflictChoice, FailedItemView, TransferEvent, TransferKind, TransferStarted, UnfinishedUploadView,
};

/// Formats a time as RFC 3339 (seconds precision).
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Who is signed in: identity, folder and expiry only — never tokens or keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SessionView {
    /// Profile name.
    pub profile: String,
    /// The ID token's `sub`.
    pub sub: String,
    /// What to show: email, else username, else name, else sub.
    pub label: String,
    /// `email`, if released.
    pub email: Option<String>,
    /// Bucket.
    pub bucket: String,
    /// The user's prefix, e.g. `users/auth0|alice0001/`.
    pub prefix: String,
    /// When the temporary credentials expire (RFC 3339), if there are any.
    pub credentials_expire_at: Option<String>,
    /// True when kept in the OS keychain (survives restarts).
    pub persistent: bool,
    /// The location every file and transfer command uses, e.g. `My files` (empty in a view
    /// built by `From<&Status>` alone: see [`SessionView::with_locations`]).
    pub location: String,
    /// The active profile's locations in the profile's order (`[[profiles.NAME.locations]]`,
    /// else one `My files`); empty when not filled in.
    pub locations: Vec<LocationView>,
}

impl SessionView {
    /// The view of `status` showing `location` among `locations`; `prefix` becomes the shown
    /// location's prefix when it renders.
    pub fn with_locations(status: &kura_core::session::Status, location: &str, locations: Vec<LocationView>) -> Self {
        let mut view = SessionView::from(status);
        if let Some(p) = locations
            .iter()
            .find(|l| l.name == location)
            .and_then(|l| l.prefix.clone())
        {
            view.prefix = p;
        }
        view.location = location.to_string();
        view.locations = locations;
        view
    }
}

/// One location of the active profile as the sidebar lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LocationView {
    /// Its name, e.g. `Team` (what `switch_location` takes).
    pub name: String,
    /// The rendered prefix, e.g. `tenants/acme/shared/`; `None` when it cannot be rendered.
    pub prefix: Option<String>,
    /// Why it cannot be used (`path.missing_claim`, `path.unsafe_claim`), if so.
    pub error: Option<IpcError>,
    /// The error's parameter: the placeholder that could not be filled, e.g. `{tag:tenant}`.
    pub placeholder: Option<String>,
}

impl LocationView {
    /// A location with its rendered prefix or the error that prevents it
    /// (`Session::location_prefixes`).
    pub fn new(location: &kura_core::config::Location, prefix: &kura_core::Result<kura_core::paths::Prefix>) -> Self {
        use kura_core::Error;
        let (prefix, error) = match prefix {
            Ok(p) => (Some(p.as_str().to_string()), None),
            Err(e) => (None, Some(e)),
        };
        let placeholder = match error {
            Some(Error::MissingClaim { placeholder, .. } | Error::UnsafeClaim { placeholder, .. }) => {
                Some(placeholder.clone())
            }
            _ => None,
        };
        LocationView {
            name: location.name.clone(),
            prefix,
            error: error.map(IpcError::from),
            placeholder,
        }
    }
}

impl From<&kura_core::session::Status> for SessionView {
    fn from(s: &kura_core::session::Status) -> Self {
        SessionView {
            profile: s.profile.clone(),
            sub: s.identity.sub.clone(),
            label: s.identity.label().to_string(),
            email: s.identity.email.clone(),
            bucket: s.bucket.clone(),
            prefix: s.prefix.clone().unwrap_or_default(),
            credentials_expire_at: s.credentials_expire_at.map(rfc3339),
            persistent: s.persistent,
            location: String::new(),
            locations: Vec::new(),
        }
    }
}

/// Folder or file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A folder (path ends with `/`).
    Folder,
    /// An object.
    File,
}

/// One row of the file list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EntryView {
    /// Folder or file.
    pub kind: EntryKind,
    /// Path relative to the prefix (folders end with `/`).
    pub path: String,
    /// Last segment, without a trailing `/`.
    pub name: String,
    /// Size in bytes (0 for folders).
    #[ts(type = "number")]
    pub size: u64,
    /// `LastModified` (RFC 3339), when known.
    pub last_modified: Option<String>,
}

impl From<&kura_core::storage::Entry> for EntryView {
    fn from(e: &kura_core::storage::Entry) -> Self {
        use kura_core::storage::Entry;
        let path = e.path().as_str().to_string();
        let name = e.path().name().to_string();
        match e {
            Entry::Folder { .. } => EntryView {
                kind: EntryKind::Folder,
                path,
                name,
                size: 0,
                last_modified: None,
            },
            Entry::File {
                size, last_modified, ..
            } => EntryView {
                kind: EntryKind::File,
                path,
                name,
                size: *size,
                last_modified: last_modified.map(rfc3339),
            },
        }
    }
}

/// Messages of `list_folder`'s channel: pages as they arrive, then the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ListEvent {
    /// One page of entries (first rows can be shown while the rest loads).
    Page {
        /// The entries of this page.
        entries: Vec<EntryView>,
    },
    /// All pages delivered.
    Done {
        /// Total entries.
        total: u32,
    },
}

/// A share link.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ShareLink {
    /// The presigned URL (a secret).
    pub url: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
    /// True when shortened to the credentials' remaining lifetime.
    pub capped: bool,
}

/// Shows the URL without its query (signature, credential, session token), like
/// `kura_core::storage::Presigned`.
impl std::fmt::Debug for ShareLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let base = self.url.split('?').next().unwrap_or("");
        f.debug_struct("ShareLink")
            .field("url", &format!("{base}?[REDACTED]"))
            .field("expires_at", &self.expires_at)
            .field("capped", &self.capped)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(dir: &std::path::Path) {
        let cfg = ts_rs::Config::new().with_out_dir(dir);
        IpcError::export_all(&cfg).unwrap();
        SessionView::export_all(&cfg).unwrap();
        LocationView::export_all(&cfg).unwrap();
        EntryView::export_all(&cfg).unwrap();
        ListEvent::export_all(&cfg).unwrap();
        TransferEvent::export_all(&cfg).unwrap();
        FailedItemView::export_all(&cfg).unwrap();
        TransferStarted::export_all(&cfg).unwrap();
        ChosenFiles::export_all(&cfg).unwrap();
        ChosenFolder::export_all(&cfg).unwrap();
        AppEvent::export_all(&cfg).unwrap();
        ShareLink::export_all(&cfg).unwrap();
        ConflictChoice::export_all(&cfg).unwrap();
        UnfinishedUploadView::export_all(&cfg).unwrap();
        SearchEvent::export_all(&cfg).unwrap();
        PreviewInfo::export_all(&cfg).unwrap();
        ProfilesView::export_all(&cfg).unwrap();
        DraftCheck::export_all(&cfg).unwrap();
        ImportPreview::export_all(&cfg).unwrap();
        ImportChoice::export_all(&cfg).unwrap();
        LanguageView::export_all(&cfg).unwrap();
        kura_core::setup::ProfileDraft::export_all(&cfg).unwrap();
        kura_core::setup::CheckReport::export_all(&cfg).unwrap();
    }

    fn committed() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings")
    }

    /// Regenerates the committed bindings when `KURA_WRITE_BINDINGS=1` (scripts/gen-bindings.sh);
    /// otherwise fails when they differ from what the Rust types generate.
    #[test]
    fn bindings_are_current() {
        if std::env::var("KURA_WRITE_BINDINGS").as_deref() == Ok("1") {
            generate(&committed());
        }
        let fresh = tempfile::tempdir().unwrap();
        generate(fresh.path());
        let mut names: Vec<_> = std::fs::read_dir(fresh.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert!(names.len() >= 7);
        for name in names {
            let want = std::fs::read_to_string(fresh.path().join(&name)).unwrap();
            let have = std::fs::read_to_string(committed().join(&name)).unwrap_or_default();
            assert_eq!(
                have, want,
                "ui/src/bindings/{name:?} is stale: run scripts/gen-bindings.sh"
            );
        }
    }

    #[test]
    fn share_links_show_no_url_query_in_debug() {
        let link = ShareLink {
            url: "https://b.s3.amazonaws.com/users/u/a.txt?X-Amz-Security-Token=SESSIONSECRET&X-Amz-Signature=5ec5ec"
                .into(),
            expires_at: "2026-01-01T00:00:00Z".into(),
            capped: false,
        };
        for shown in [format!("{link:?}"), format!("{link:#?}")] {
            assert!(!shown.contains("SESSIONSECRET") && !shown.contains("5ec5ec"), "{shown}");
            assert!(shown.contains("2026-01-01T00:00:00Z"), "{shown}");
        }
    }

    #[test]
    fn a_location_without_its_tag_crosses_with_code_and_placeholder() {
        use kura_core::config::Location;
        use kura_core::paths::Prefix;
        let team = Location {
            name: "Team".into(),
            prefix: "tenants/{tag:tenant}/shared/".into(),
        };
        let v = LocationView::new(&team, &Prefix::render(&team.prefix, "auth0|alice0001"));
        assert_eq!(v.name, "Team");
        assert_eq!(v.prefix, None);
        let error = v.error.unwrap();
        assert_eq!(error.code, ErrorCode::PathMissingClaim);
        assert_eq!(error.params.placeholder.as_deref(), Some("{tag:tenant}"));
        assert_eq!(v.placeholder.as_deref(), Some("{tag:tenant}"));
        let mine = Location {
            name: "My files".into(),
            prefix: "users/{sub}/".into(),
        };
        let v = LocationView::new(&mine, &Prefix::render(&mine.prefix, "auth0|alice0001"));
        assert_eq!(v.prefix.as_deref(), Some("users/auth0|alice0001/"));
        assert!(v.error.is_none() && v.placeholder.is_none());
    }

    #[test]
    fn errors_cross_as_code_and_message() {
        let e = kura_core::Error::NotSignedIn { profile: "p".into() };
        let ipc = IpcError::from(&e);
        assert_eq!(ipc.code, ErrorCode::AuthNotSignedIn);
        assert!(ipc.message.contains("not signed in"));
        assert_eq!(ipc.params.profile.as_deref(), Some("p"));
        let json = serde_json::to_value(&ipc).unwrap();
        assert_eq!(json["code"], "auth.not_signed_in");
        assert_eq!(
            json["params"],
            serde_json::json!({ "profile": "p" }),
            "absent parameters are left out"
        );
    }
}
