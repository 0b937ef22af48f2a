//! Where the session lives: the OS keychain via `keyring` (service `kura`). Account
//! `<profile>` holds the refresh token; account `<profile>:session` holds the current ID token
//! and temporary credentials (JSON), so consecutive CLI processes answer without a network round
//! trip while they are valid. When no keychain is available, the store says so once and keeps
//! everything in memory for this process; it never falls back to a plain file.

use std::collections::HashMap;
use std::sync::Mutex;

/// The keychain service name.
pub const SERVICE: &str = "kura";

/// A secret store: the OS keychain, or process memory when there is none. `Debug` names the
/// accounts held in memory, never their values (refresh tokens, session records).
pub struct TokenStore {
    service: String,
    os: bool,
    memory: Mutex<HashMap<String, String>>,
    fallback: Mutex<Option<String>>,
}

impl std::fmt::Debug for TokenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut accounts: Vec<String> = match self.memory.lock() {
            Ok(m) => m.keys().cloned().collect(),
            Err(_) => Vec::new(),
        };
        accounts.sort();
        f.debug_struct("TokenStore")
            .field("service", &self.service)
            .field("os", &self.os)
            .field("memory_accounts", &accounts)
            .field("fallback", &self.fallback.lock().ok().and_then(|r| r.clone()))
            .finish()
    }
}

impl TokenStore {
    /// The OS keychain (falls back to memory, with a warning, when unavailable).
    pub fn os() -> TokenStore {
        Self::with_service(SERVICE, true)
    }

    /// Memory only (tests, or `--no-keychain`-style embedding).
    pub fn memory() -> TokenStore {
        Self::with_service(SERVICE, false)
    }

    /// The OS keychain under another service name (for tests that must not touch `kura`).
    pub fn with_service(service: &str, os: bool) -> TokenStore {
        TokenStore {
            service: service.to_string(),
            os,
            memory: Mutex::new(HashMap::new()),
            fallback: Mutex::new(None),
        }
    }

    /// True while values survive this process (OS keychain working).
    pub fn is_persistent(&self) -> bool {
        self.os && self.fallback.lock().unwrap().is_none()
    }

    /// Why the keychain is not used, if it was given up.
    pub fn fallback_reason(&self) -> Option<String> {
        self.fallback.lock().unwrap().clone()
    }

    fn entry(&self, account: &str) -> Option<keyring::Entry> {
        if !self.is_persistent() {
            return None;
        }
        match keyring::Entry::new(&self.service, account) {
            Ok(e) => Some(e),
            Err(e) => {
                self.give_up(&e);
                None
            }
        }
    }

    fn give_up(&self, e: &keyring::Error) {
        let reason = format!(
            "no usable OS keychain ({e}); your session is kept in memory for this process only and you will have to sign in again next time"
        );
        tracing::warn!("{reason}");
        *self.fallback.lock().unwrap() = Some(reason);
    }

    /// True for errors that mean "there is no keychain here", as opposed to a bad entry.
    fn unavailable(e: &keyring::Error) -> bool {
        matches!(
            e,
            keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_)
        )
    }

    /// Runs a keychain call, once more after a platform failure: the Secret Service briefly
    /// reports items as missing while another process replaces them.
    fn twice<T>(f: impl Fn() -> keyring::Result<T>) -> keyring::Result<T> {
        match f() {
            Err(keyring::Error::PlatformFailure(_)) => {
                std::thread::sleep(std::time::Duration::from_millis(50));
                f()
            }
            other => other,
        }
    }

    /// Reads a value. Errors only for keychain failures other than "unavailable".
    pub fn get(&self, account: &str) -> crate::Result<Option<String>> {
        if let Some(entry) = self.entry(account) {
            match Self::twice(|| entry.get_password()) {
                Ok(v) => return Ok(Some(v)),
                Err(keyring::Error::NoEntry) => return Ok(None),
                Err(e) if Self::unavailable(&e) => self.give_up(&e),
                Err(e) => return Err(crate::Error::Keychain(format!("reading {account:?}: {e}"))),
            }
        }
        Ok(self.memory.lock().unwrap().get(account).cloned())
    }

    /// Writes a value (one atomic keychain write).
    pub fn set(&self, account: &str, value: &str) -> crate::Result<()> {
        if let Some(entry) = self.entry(account) {
            match Self::twice(|| entry.set_password(value)) {
                Ok(()) => return Ok(()),
                Err(e) if Self::unavailable(&e) => self.give_up(&e),
                Err(e) => return Err(crate::Error::Keychain(format!("writing {account:?}: {e}"))),
            }
        }
        self.memory
            .lock()
            .unwrap()
            .insert(account.to_string(), value.to_string());
        Ok(())
    }

    /// Deletes a value; deleting a missing value is not an error.
    pub fn delete(&self, account: &str) -> crate::Result<()> {
        self.memory.lock().unwrap().remove(account);
        if let Some(entry) = self.entry(account) {
            match Self::twice(|| entry.delete_credential()) {
                Ok(()) | Err(keyring::Error::NoEntry) => {}
                Err(e) if Self::unavailable(&e) => self.give_up(&e),
                Err(e) => return Err(crate::Error::Keychain(format!("deleting {account:?}: {e}"))),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::TokenStore;

    #[test]
    fn memory_store_round_trips() {
        let s = TokenStore::memory();
        assert!(!s.is_persistent());
        assert_eq!(s.get("p").unwrap(), None);
        s.set("p", "v1").unwrap();
        s.set("p", "v2").unwrap();
        assert_eq!(s.get("p").unwrap().as_deref(), Some("v2"));
        s.delete("p").unwrap();
        s.delete("p").unwrap();
        assert_eq!(s.get("p").unwrap(), None);
    }
}
