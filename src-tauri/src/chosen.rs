//! Local paths the user chose, kept in Rust. The native dialogs and the window's drop event are
//! the only sources of local paths; each choice is kept here under an opaque handle (128 random
//! bits from the OS, 32 hex digits) and the page gets the handle with names and sizes
//! ([`ChosenFiles`], [`ChosenFolder`]). A transfer command takes the handle back and gets the
//! paths only when the handle was given to the same window, for the same purpose (files to
//! upload vs. a folder to download into), is not older than [`CHOSEN_TTL`] and was not used
//! before; anything else — a path, a guessed or reused handle — is refused with
//! `local.not_chosen`.
//!
//! Tests (debug builds only): with `KURA_TEST_CHOOSE=FILE` the dialogs do not show; they answer
//! with the paths listed in FILE (one per line; the file is removed once read; no file = the
//! dialog was cancelled). Release builds do not contain this ([`test_choice`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use kura_ipc::{ChosenFiles, ChosenFolder, ChosenItem, ErrorCode, IpcError};

/// How long a choice stays usable (a dialog answered and never used expires).
pub const CHOSEN_TTL: Duration = Duration::from_secs(4 * 3600);

/// What a choice may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Files and folders to upload (`start_upload`).
    Upload,
    /// A folder to download into (`start_download`).
    DownloadInto,
}

struct Kept {
    window: String,
    purpose: Purpose,
    paths: Vec<PathBuf>,
    at: Instant,
}

/// The choices waiting to be used, by handle.
#[derive(Default)]
pub struct ChosenPaths {
    kept: Mutex<HashMap<String, Kept>>,
}

/// The error for a handle (or path) the user did not choose: `local.not_chosen`.
pub fn not_chosen() -> IpcError {
    IpcError::new(
        ErrorCode::LocalNotChosen,
        "that file or folder was not chosen in this window (or its choice expired): choose it again",
    )
}

/// 128 random bits from the OS as 32 lowercase hex digits.
fn new_handle() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the OS random number generator failed");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl ChosenPaths {
    /// Keeps `paths` chosen in `window` for `purpose`; returns the new handle.
    pub fn keep(&self, window: &str, purpose: Purpose, paths: Vec<PathBuf>) -> String {
        self.keep_at(window, purpose, paths, Instant::now())
    }

    fn keep_at(&self, window: &str, purpose: Purpose, paths: Vec<PathBuf>, now: Instant) -> String {
        let mut kept = self.kept.lock().unwrap();
        kept.retain(|_, k| now.saturating_duration_since(k.at) < CHOSEN_TTL);
        let handle = new_handle();
        kept.insert(
            handle.clone(),
            Kept {
                window: window.to_string(),
                purpose,
                paths,
                at: now,
            },
        );
        handle
    }

    /// The paths behind `handle`, used up: only for the window and purpose it was given for,
    /// within [`CHOSEN_TTL`]. Errors: `local.not_chosen` (a wrong window or purpose leaves the
    /// choice in place for its rightful user).
    pub fn take(&self, window: &str, purpose: Purpose, handle: &str) -> Result<Vec<PathBuf>, IpcError> {
        self.take_at(window, purpose, handle, Instant::now())
    }

    fn take_at(&self, window: &str, purpose: Purpose, handle: &str, now: Instant) -> Result<Vec<PathBuf>, IpcError> {
        let mut kept = self.kept.lock().unwrap();
        let fits = kept
            .get(handle)
            .is_some_and(|k| k.window == window && k.purpose == purpose);
        if !fits {
            return Err(not_chosen());
        }
        let k = kept.remove(handle).expect("checked above");
        if now.saturating_duration_since(k.at) >= CHOSEN_TTL {
            return Err(not_chosen());
        }
        Ok(k.paths)
    }

    /// Keeps files/folders to upload and describes them for the page (reads sizes; blocking).
    /// Errors: `local.io` when one cannot be read.
    pub fn keep_upload(&self, window: &str, paths: Vec<PathBuf>) -> Result<ChosenFiles, IpcError> {
        let items = paths.iter().map(|p| describe(p)).collect::<Result<Vec<_>, _>>()?;
        let handle = self.keep(window, Purpose::Upload, paths);
        Ok(ChosenFiles { handle, items })
    }

    /// Keeps a folder to download into.
    pub fn keep_download_dir(&self, window: &str, dir: PathBuf) -> ChosenFolder {
        let name = display_name(&dir);
        let handle = self.keep(window, Purpose::DownloadInto, vec![dir]);
        ChosenFolder { handle, name }
    }
}

/// The last segment of `path` for display (`/` for the root).
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned())
}

fn io_error(path: &Path, e: std::io::Error) -> IpcError {
    IpcError::from(kura_core::Error::io(format!("reading {}", path.display()), e))
}

/// Name, size and kind of a chosen path; a folder's size is the total of the files inside
/// (symlinked folders are skipped, like the upload does).
fn describe(path: &Path) -> Result<ChosenItem, IpcError> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
    let size = if meta.is_dir() { folder_size(path)? } else { meta.len() };
    Ok(ChosenItem {
        name: display_name(path),
        size,
        is_dir: meta.is_dir(),
    })
}

fn folder_size(dir: &Path) -> Result<u64, IpcError> {
    let mut total = 0;
    for child in std::fs::read_dir(dir).map_err(|e| io_error(dir, e))? {
        let child = child.map_err(|e| io_error(dir, e))?;
        let path = child.path();
        let ft = child.file_type().map_err(|e| io_error(&path, e))?;
        if ft.is_dir() {
            total += folder_size(&path)?;
        } else if let Ok(meta) = std::fs::metadata(&path) {
            if meta.is_file() {
                total += meta.len();
            }
        }
    }
    Ok(total)
}

/// The environment variable naming the file a test writes its "choice" to (debug builds only).
pub const TEST_CHOOSE_ENV: &str = "KURA_TEST_CHOOSE";

/// In debug builds with `KURA_TEST_CHOOSE` set: the dialog's answer from that file, without
/// showing a dialog (`Some(None)` = cancelled). `None`: show the real dialog. Always `None` in
/// release builds, so no page and no environment can bypass the dialog there.
pub fn test_choice() -> Option<Option<Vec<PathBuf>>> {
    #[cfg(debug_assertions)]
    {
        let file = std::env::var_os(TEST_CHOOSE_ENV).filter(|f| !f.is_empty())?;
        let Ok(text) = std::fs::read_to_string(&file) else {
            return Some(None);
        };
        let _ = std::fs::remove_file(&file);
        let paths: Vec<PathBuf> = text.lines().filter(|l| !l.is_empty()).map(PathBuf::from).collect();
        tracing::debug!(count = paths.len(), "test choice instead of a dialog");
        Some(Some(paths).filter(|p| !p.is_empty()))
    }
    #[cfg(not(debug_assertions))]
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(p: &[&str]) -> Vec<PathBuf> {
        p.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn a_handle_gives_back_its_paths_once() {
        let chosen = ChosenPaths::default();
        let h = chosen.keep("main", Purpose::Upload, paths(&["/home/a/x.txt", "/home/a/dir"]));
        assert_eq!(h.len(), 32);
        assert!(h.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(
            chosen.take("main", Purpose::Upload, &h).unwrap(),
            paths(&["/home/a/x.txt", "/home/a/dir"])
        );
        assert_eq!(
            chosen.take("main", Purpose::Upload, &h).unwrap_err().code,
            "local.not_chosen"
        );
    }

    #[test]
    fn paths_and_guessed_handles_are_refused() {
        let chosen = ChosenPaths::default();
        let h = chosen.keep("main", Purpose::Upload, paths(&["/home/a/x.txt"]));
        for forged in [
            "/etc/passwd",
            "/home/a/x.txt",
            "",
            "00000000000000000000000000000000",
            &h[..31],
        ] {
            assert_eq!(
                chosen.take("main", Purpose::Upload, forged).unwrap_err().code,
                "local.not_chosen"
            );
        }
        // The real choice is untouched by the attempts.
        assert!(chosen.take("main", Purpose::Upload, &h).is_ok());
    }

    #[test]
    fn handles_are_unguessable() {
        let chosen = ChosenPaths::default();
        let a = chosen.keep("main", Purpose::Upload, vec![]);
        let b = chosen.keep("main", Purpose::Upload, vec![]);
        assert_ne!(a, b);
    }

    #[test]
    fn another_window_or_purpose_is_refused_without_using_the_choice_up() {
        let chosen = ChosenPaths::default();
        let h = chosen.keep("main", Purpose::Upload, paths(&["/home/a/dir"]));
        assert!(chosen.take("other", Purpose::Upload, &h).is_err());
        // An upload source is not a place to write into.
        assert!(chosen.take("main", Purpose::DownloadInto, &h).is_err());
        assert!(chosen.take("main", Purpose::Upload, &h).is_ok());
    }

    #[test]
    fn choices_expire() {
        let chosen = ChosenPaths::default();
        let then = Instant::now();
        let h = chosen.keep_at("main", Purpose::DownloadInto, paths(&["/tmp/d"]), then);
        let later = then + CHOSEN_TTL + Duration::from_secs(1);
        assert!(chosen.take_at("main", Purpose::DownloadInto, &h, later).is_err());
        // Expired ones are also dropped when a new choice is kept.
        let old = chosen.keep_at("main", Purpose::Upload, vec![], then);
        chosen.keep_at("main", Purpose::Upload, vec![], later);
        assert!(!chosen.kept.lock().unwrap().contains_key(&old));
    }

    #[test]
    fn uploads_are_described_by_name_and_size_not_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("note.txt");
        std::fs::write(&file, b"12345").unwrap();
        let tree = dir.path().join("album");
        std::fs::create_dir_all(tree.join("inner")).unwrap();
        std::fs::write(tree.join("a.txt"), b"abc").unwrap();
        std::fs::write(tree.join("inner").join("b.txt"), b"defgh").unwrap();
        let chosen = ChosenPaths::default();
        let files = chosen.keep_upload("main", vec![file.clone(), tree.clone()]).unwrap();
        let shown = serde_json::to_string(&files).unwrap();
        assert!(!shown.contains(&*dir.path().to_string_lossy()), "{shown}");
        assert_eq!(
            files.items,
            vec![
                ChosenItem {
                    name: "note.txt".into(),
                    size: 5,
                    is_dir: false
                },
                ChosenItem {
                    name: "album".into(),
                    size: 8,
                    is_dir: true
                },
            ]
        );
        assert_eq!(
            chosen.take("main", Purpose::Upload, &files.handle).unwrap(),
            vec![file, tree]
        );
    }

    #[test]
    fn a_vanished_file_is_not_kept() {
        let chosen = ChosenPaths::default();
        let e = chosen
            .keep_upload("main", paths(&["/nonexistent/kura-test"]))
            .unwrap_err();
        assert_eq!(e.code, "local.io");
        assert!(chosen.kept.lock().unwrap().is_empty());
    }

    #[test]
    fn a_download_folder_shows_its_name_only() {
        let chosen = ChosenPaths::default();
        let f = chosen.keep_download_dir("main", PathBuf::from("/home/alice/Desktop"));
        assert_eq!(f.name, "Desktop");
        assert_eq!(
            chosen.take("main", Purpose::DownloadInto, &f.handle).unwrap(),
            paths(&["/home/alice/Desktop"])
        );
    }
}
