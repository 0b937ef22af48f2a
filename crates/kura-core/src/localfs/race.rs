//! A test hook at the two moments a local attacker (or an unlucky program) can race a download:
//! right after its temporary file is created, and right before it is renamed into place. Attack
//! tests set a hook that swaps in a link or creates the target there; unset (the normal case) a
//! call costs one relaxed atomic load. Not part of Kura's API.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Where in a download a hook runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    /// The temporary file (path given) was just created, nothing written yet.
    TempCreated,
    /// The download is complete and checked; the final name (path given) is about to be taken.
    BeforeRename,
}

/// A hook: called with the point and the local path concerned, on the downloading task.
pub type Hook = Arc<dyn Fn(Point, &Path) + Send + Sync>;

static ARMED: AtomicBool = AtomicBool::new(false);
static HOOK: Mutex<Option<Hook>> = Mutex::new(None);

/// Sets (or with `None` clears) the process-wide hook.
pub fn set(hook: Option<Hook>) {
    let mut slot = HOOK.lock().unwrap_or_else(|p| p.into_inner());
    ARMED.store(hook.is_some(), Ordering::Relaxed);
    *slot = hook;
}

/// Runs the hook, if one is set.
pub(crate) fn fire(point: Point, path: &Path) {
    if !ARMED.load(Ordering::Relaxed) {
        return;
    }
    let hook = HOOK.lock().unwrap_or_else(|p| p.into_inner()).clone();
    if let Some(hook) = hook {
        hook(point, path);
    }
}
