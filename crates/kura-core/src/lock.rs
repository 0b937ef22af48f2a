//! A per-profile lock across processes, so only one process refreshes a profile's tokens at a
//! time (refresh tokens rotate: two concurrent refreshes would burn the session).
//! An advisory lock (`flock`-style, `std::fs::File::lock`) on `<cache dir>/kura/locks/<profile>.lock`;
//! the OS releases it if the process dies.

use std::fs::File;
use std::path::PathBuf;

use crate::error::{Error, Result};

/// Holds the lock until dropped.
#[derive(Debug)]
pub struct ProfileLock {
    _file: File,
}

fn lock_path(profile: &str) -> PathBuf {
    let base = std::env::var_os("KURA_STATE_DIR")
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.cache_dir().join("kura")))
        .unwrap_or_else(std::env::temp_dir);
    let safe: String = profile
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    base.join("locks").join(format!("{safe}.lock"))
}

impl ProfileLock {
    /// Waits for the profile's lock (off the async runtime's threads).
    pub async fn acquire(profile: &str) -> Result<ProfileLock> {
        let path = lock_path(profile);
        tokio::task::spawn_blocking(move || {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
            }
            let file = File::options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
            file.lock()
                .map_err(|e| Error::io(format!("locking {}", path.display()), e))?;
            Ok(ProfileLock { _file: file })
        })
        .await
        .map_err(|e| Error::io("lock task", std::io::Error::other(e)))?
    }
}
