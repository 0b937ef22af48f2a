//! Every profile of the config file the CLI also reads (`$KURA_CONFIG`, else
//! `~/.config/kura/config.toml`: [`Config::default_path`]), each with its own lazily built
//! [`Session`] (its own keychain entries `<name>` and `<name>:session`, so switching never signs
//! another profile out) and storage, and which one the window shows.
//!
//! The active profile: `$KURA_PROFILE` at start, else the file's `default_profile`, else the first
//! usable one (sorted by name). None — no file, no profiles, or none usable — means the setup
//! screen. A broken file or an invalid profile is reported as [`Registry::problem`]; the other
//! profiles stay usable.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kura_core::config::{Config, Profile};
use kura_core::session::Session;
use kura_core::storage::Storage;
use kura_core::store::TokenStore;
use kura_core::Error;
use kura_ipc::IpcError;

/// A usable profile with its session, the location the window shows, and (once signed in)
/// one storage per location used.
pub struct Ready {
    /// The profile.
    pub profile: Profile,
    /// Its session (tokens in the OS keychain under the profile's name).
    pub session: Arc<Session>,
    /// The chosen location's name (kept while the profile is unchanged, across profile switches).
    location: std::sync::Mutex<String>,
    storage: tokio::sync::Mutex<HashMap<String, Storage>>,
}

impl Ready {
    fn new(profile: Profile, store: Arc<TokenStore>) -> Ready {
        Ready {
            session: Arc::new(Session::new(profile.clone(), store)),
            location: std::sync::Mutex::new(profile.locations[0].name.clone()),
            profile,
            storage: tokio::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The name of the location every file and transfer command uses (at first the profile's
    /// first location).
    pub fn location(&self) -> String {
        self.location.lock().unwrap().clone()
    }

    /// Makes `name` the location the commands use, once its storage could be built. Errors:
    /// `config.invalid` (no such location), `auth.not_signed_in`, `path.missing_claim`,
    /// `path.unsafe_claim` (the prefix cannot be rendered; the location stays as it was).
    pub async fn switch_location(&self, name: &str) -> Result<Storage, IpcError> {
        self.profile.location(Some(name))?;
        let storage = self.storage_of(name).await?;
        *self.location.lock().unwrap() = name.to_string();
        Ok(storage)
    }

    /// Moves the choice to the first of `available` (location names in the profile's order)
    /// when the chosen location is not among them, e.g. after another user signed in whose
    /// token lacks its tag; keeps it when none is available.
    pub fn keep_available_location(&self, available: &[&str]) {
        let mut chosen = self.location.lock().unwrap();
        if let Some(first) = available.first().filter(|_| !available.contains(&chosen.as_str())) {
            *chosen = first.to_string();
        }
    }

    /// The signed-in user's storage at the chosen location (built once per sign-in and
    /// location). Transfers keep their own clone, so they run on the profile and location that
    /// started them whatever the window switches to.
    pub async fn storage(&self) -> Result<Storage, IpcError> {
        let name = self.location();
        self.storage_of(&name).await
    }

    async fn storage_of(&self, name: &str) -> Result<Storage, IpcError> {
        let mut guard = self.storage.lock().await;
        if let Some(s) = guard.get(name) {
            return Ok(s.clone());
        }
        let s = Storage::connect_location(self.session.clone(), Some(name)).await?;
        guard.insert(name.to_string(), s.clone());
        Ok(s)
    }

    /// Drops the storages (after sign-out or a new sign-in: another user may render other
    /// prefixes). The chosen location stays.
    pub async fn reset_storage(&self) {
        self.storage.lock().await.clear();
    }
}

/// The profiles read from the config file, and the active one.
pub struct Registry {
    file: PathBuf,
    store: Arc<TokenStore>,
    /// Every `[profiles.NAME]` in the file, usable or not.
    all: Vec<String>,
    usable: BTreeMap<String, Profile>,
    default_profile: Option<String>,
    built: HashMap<String, Arc<Ready>>,
    active: Option<String>,
    problem: Option<IpcError>,
}

/// What the config file holds: all names, the usable profiles, `default_profile`, the first problem.
struct Read {
    all: Vec<String>,
    usable: BTreeMap<String, Profile>,
    default_profile: Option<String>,
    problem: Option<IpcError>,
}

fn read(file: &Path) -> Read {
    let mut out = Read {
        all: Vec::new(),
        usable: BTreeMap::new(),
        default_profile: None,
        problem: None,
    };
    if !file.exists() {
        return out; // first run: the setup screen, no problem to report
    }
    let config = match Config::load(file) {
        Ok(c) => c,
        Err(e) => {
            out.problem = Some(IpcError::from(e));
            return out;
        }
    };
    out.default_profile = config.default_profile.clone();
    for name in config.profile_names() {
        out.all.push(name.to_string());
        match config.profile(Some(name)) {
            Ok(p) => {
                out.usable.insert(name.to_string(), p);
            }
            Err(e) => {
                tracing::warn!(code = %e.code(), "profile {name:?} is not usable: {e}");
                out.problem.get_or_insert_with(|| IpcError::from(e));
            }
        }
    }
    out
}

/// The active profile for `requested` (`$KURA_PROFILE`), `default_profile` and the usable
/// profiles: the first of them that is usable, else the first usable profile by name.
pub fn choose_active<'a>(
    requested: Option<&str>,
    default_profile: Option<&str>,
    usable: impl IntoIterator<Item = &'a String>,
) -> Option<String> {
    let usable: Vec<&String> = usable.into_iter().collect();
    let is_usable = |n: &str| usable.iter().any(|u| u.as_str() == n);
    requested
        .filter(|n| is_usable(n))
        .or(default_profile.filter(|n| is_usable(n)))
        .map(str::to_string)
        .or_else(|| usable.iter().min().map(|s| s.to_string()))
}

pub use kura_core::config::edit::issuer_host;

impl Registry {
    /// Reads `file`; `requested` (`$KURA_PROFILE`) picks the active profile when usable. A
    /// requested profile that is not in the file is reported as the problem.
    pub fn load(file: PathBuf, requested: Option<&str>, store: Arc<TokenStore>) -> Registry {
        let r = read(&file);
        let mut problem = r.problem;
        if let Some(req) = requested.filter(|n| !r.all.iter().any(|a| a == n)) {
            problem.get_or_insert_with(|| {
                IpcError::from(Error::Config {
                    file: file.clone(),
                    profile: Some(req.to_string()),
                    key: None,
                    message: "KURA_PROFILE names no profile of this file".into(),
                })
            });
        }
        let active = choose_active(requested, r.default_profile.as_deref(), r.usable.keys());
        Registry {
            file,
            store,
            all: r.all,
            usable: r.usable,
            default_profile: r.default_profile,
            built: HashMap::new(),
            active,
            problem,
        }
    }

    /// Re-reads the file after an edit. Sessions of unchanged profiles are kept; the active
    /// profile stays when still usable, else `default_profile`, else the first usable one.
    pub fn reload(&mut self) {
        let r = read(&self.file);
        self.built
            .retain(|name, ready| r.usable.get(name).is_some_and(|p| *p == ready.profile));
        let keep = self.active.clone().filter(|a| r.usable.contains_key(a));
        self.active = keep.or_else(|| choose_active(None, r.default_profile.as_deref(), r.usable.keys()));
        self.all = r.all;
        self.usable = r.usable;
        self.default_profile = r.default_profile;
        self.problem = r.problem;
    }

    /// The config file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The keychain store every session shares.
    pub fn store(&self) -> Arc<TokenStore> {
        self.store.clone()
    }

    /// Every profile name in the file, usable or not (a new profile must not take one).
    pub fn all_names(&self) -> Vec<String> {
        self.all.clone()
    }

    /// The usable profiles' names, sorted.
    pub fn usable_names(&self) -> Vec<String> {
        self.usable.keys().cloned().collect()
    }

    /// A usable profile.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.usable.get(name)
    }

    /// The active profile's name (none: the setup screen).
    pub fn active(&self) -> Option<&str> {
        self.active.as_deref()
    }

    /// Why the file or a profile in it cannot be used, if so.
    pub fn problem(&self) -> Option<&IpcError> {
        self.problem.as_ref()
    }

    /// Makes `name` (or nothing) the active profile. Errors: `config.invalid` when `name` is not
    /// a usable profile.
    pub fn set_active(&mut self, name: Option<&str>) -> Result<(), IpcError> {
        if let Some(n) = name {
            self.usable_profile(n)?;
        }
        self.active = name.map(str::to_string);
        Ok(())
    }

    fn usable_profile(&self, name: &str) -> Result<&Profile, IpcError> {
        self.usable.get(name).ok_or_else(|| {
            let message = if self.all.iter().any(|a| a == name) {
                "this profile has a problem; fix or remove it"
            } else {
                "no such profile"
            };
            IpcError::from(Error::Config {
                file: self.file.clone(),
                profile: Some(name.to_string()),
                key: None,
                message: message.into(),
            })
        })
    }

    /// The profile `name` with its session, built on first use. Errors: `config.invalid`.
    pub fn ready(&mut self, name: &str) -> Result<Arc<Ready>, IpcError> {
        if let Some(r) = self.built.get(name) {
            return Ok(r.clone());
        }
        let profile = self.usable_profile(name)?.clone();
        let ready = Arc::new(Ready::new(profile, self.store.clone()));
        self.built.insert(name.to_string(), ready.clone());
        Ok(ready)
    }

    /// The active profile with its session. Errors: `config.invalid` when none is set up.
    pub fn active_ready(&mut self) -> Result<Arc<Ready>, IpcError> {
        match self.active.clone() {
            Some(name) => self.ready(&name),
            None => Err(IpcError::from(Error::Config {
                file: self.file.clone(),
                profile: None,
                key: None,
                message: "no profile is set up yet: add one in the setup screen".into(),
            })),
        }
    }

    /// Forgets `name`'s session (after a rename or removal; running transfers keep theirs).
    pub fn forget(&mut self, name: &str) {
        self.built.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE: &str = r#"issuer = "https://acme.eu.auth0.com/"
client_id = "abc"
role_arn = "arn:aws:iam::123456789012:role/KuraUser"
bucket = "acme-files"
redirect_uri = "app.kura.desktop:/callback"
"#;

    fn config(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, text).unwrap();
        (dir, file)
    }

    fn store() -> Arc<TokenStore> {
        Arc::new(TokenStore::memory())
    }

    #[test]
    fn active_follows_env_then_default_then_first() {
        let usable = ["b".to_string(), "a".to_string(), "c".to_string()];
        assert_eq!(choose_active(Some("c"), Some("b"), &usable).as_deref(), Some("c"));
        assert_eq!(choose_active(Some("zz"), Some("b"), &usable).as_deref(), Some("b"));
        assert_eq!(choose_active(None, Some("zz"), &usable).as_deref(), Some("a"));
        assert_eq!(choose_active(None, None, &[]), None);
    }

    #[test]
    fn no_file_is_the_setup_screen_without_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Registry::load(dir.path().join("missing.toml"), None, store());
        assert_eq!(r.active(), None);
        assert!(r.problem().is_none());
        assert!(r.usable_names().is_empty());
        assert_eq!(r.active_ready().err().unwrap().code, "config.invalid");
    }

    #[test]
    fn broken_file_is_a_problem() {
        let (_d, file) = config("this is = = not toml");
        let r = Registry::load(file, None, store());
        assert_eq!(r.active(), None);
        assert_eq!(r.problem().unwrap().code, "config.invalid");
    }

    #[test]
    fn an_invalid_profile_is_listed_as_the_problem_and_the_others_stay_usable() {
        let text = format!(
            "default_profile = \"broken\"\n[profiles.work]\n{PROFILE}\n[profiles.broken]\n{}",
            PROFILE.replace("acme-files", "Not A Bucket")
        );
        let (_d, file) = config(&text);
        let mut r = Registry::load(file, None, store());
        assert_eq!(r.usable_names(), ["work"]);
        assert_eq!(r.all_names(), ["broken", "work"]);
        assert_eq!(r.active(), Some("work"));
        let problem = r.problem().unwrap();
        assert_eq!(problem.code, "config.invalid");
        assert!(
            problem.message.contains("broken") && problem.message.contains("bucket"),
            "{}",
            problem.message
        );
        assert_eq!(r.ready("work").unwrap().profile.bucket, "acme-files");
        assert_eq!(r.ready("broken").err().unwrap().code, "config.invalid");
        assert!(r.set_active(Some("broken")).is_err());
        assert_eq!(r.active(), Some("work"));
    }

    #[test]
    fn requested_profile_wins_and_an_unknown_one_is_reported() {
        let text = format!("default_profile = \"a\"\n[profiles.a]\n{PROFILE}\n[profiles.b]\n{PROFILE}");
        let (_d, file) = config(&text);
        let r = Registry::load(file.clone(), Some("b"), store());
        assert_eq!(r.active(), Some("b"));
        assert!(r.problem().is_none());
        let r = Registry::load(file, Some("nope"), store());
        assert_eq!(r.active(), Some("a"));
        assert!(r.problem().unwrap().message.contains("nope"));
    }

    #[test]
    fn reload_keeps_unchanged_sessions_and_the_active_profile() {
        let text = format!("[profiles.a]\n{PROFILE}\n[profiles.b]\n{PROFILE}");
        let (_d, file) = config(&text);
        let mut r = Registry::load(file.clone(), None, store());
        r.set_active(Some("b")).unwrap();
        let (a1, b1) = (r.ready("a").unwrap(), r.ready("b").unwrap());
        // b's bucket changes, a stays the same.
        let edited = format!(
            "[profiles.a]\n{PROFILE}\n[profiles.b]\n{}",
            PROFILE.replace("acme-files", "other-files")
        );
        std::fs::write(&file, edited).unwrap();
        r.reload();
        assert_eq!(r.active(), Some("b"));
        assert!(Arc::ptr_eq(&a1, &r.ready("a").unwrap()));
        let b2 = r.ready("b").unwrap();
        assert!(!Arc::ptr_eq(&b1, &b2));
        assert_eq!(b2.profile.bucket, "other-files");
        // b removed: the first usable profile becomes active.
        std::fs::write(&file, format!("[profiles.a]\n{PROFILE}")).unwrap();
        r.reload();
        assert_eq!(r.active(), Some("a"));
        // Everything removed: the setup screen.
        std::fs::write(&file, "").unwrap();
        r.reload();
        assert_eq!(r.active(), None);
    }

    #[test]
    fn the_chosen_location_is_checked_and_kept_across_profile_switches() {
        let locations = "[[profiles.a.locations]]\nname = \"My files\"\nprefix = \"users/{sub}/\"\n\
                         [[profiles.a.locations]]\nname = \"Team\"\nprefix = \"tenants/{tag:tenant}/shared/\"\n";
        let text = format!("[profiles.a]\n{PROFILE}\n{locations}[profiles.b]\n{PROFILE}");
        let (_d, file) = config(&text);
        let mut r = Registry::load(file, Some("a"), store());
        let a = r.ready("a").unwrap();
        assert_eq!(a.location(), "My files");
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        // An unknown location is refused by name before anything else.
        let e = rt.block_on(a.switch_location("Nope")).err().unwrap();
        assert_eq!(e.code, "config.invalid");
        assert!(e.message.contains("Team"), "{}", e.message);
        // A known one needs a signed-in user to render its prefix; nothing changes meanwhile.
        let e = rt.block_on(a.switch_location("Team")).err().unwrap();
        assert_eq!(e.code, "auth.not_signed_in");
        assert_eq!(a.location(), "My files");
        assert_eq!(r.ready("b").unwrap().location(), "My files");
        // A user for whom the chosen location does not render falls back to the first that does.
        a.keep_available_location(&["Team"]);
        assert_eq!(a.location(), "Team");
        a.keep_available_location(&["My files", "Team"]);
        assert_eq!(a.location(), "Team");
        a.keep_available_location(&["My files"]);
        assert_eq!(a.location(), "My files");
        a.keep_available_location(&[]);
        assert_eq!(a.location(), "My files");
        // The profile's state (and so its chosen location) survives switching away and back.
        r.set_active(Some("b")).unwrap();
        r.set_active(Some("a")).unwrap();
        assert!(Arc::ptr_eq(&a, &r.active_ready().unwrap()));
    }

    #[test]
    fn issuer_hosts() {
        assert_eq!(issuer_host("https://acme.eu.auth0.com/"), "acme.eu.auth0.com");
        assert_eq!(issuer_host("http://127.0.0.1:9400/"), "127.0.0.1:9400");
        assert_eq!(
            issuer_host("https://login.microsoftonline.com/t/v2.0"),
            "login.microsoftonline.com"
        );
    }
}
