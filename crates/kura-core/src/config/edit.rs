//! Format-preserving edits of the config file with `toml_edit`: profiles are added, updated,
//! renamed and removed, and `default_profile` is set, while comments, key order and keys Kura
//! does not know survive. Writes are atomic (temporary file + rename, mode 0600 on Unix) and
//! refused when the result would not load with [`super::Config`].
//!
//! Also reads profile files an administrator hands out ([`read_import`]): the same TOML.

use std::path::{Path, PathBuf};

use super::{Config, Profile};
use crate::error::Result;

/// A profile's keys as the setup writes them: each `(key, value)` is set; each key in `unset`
/// is removed (e.g. `audience` cleared in the form). Other keys of an existing profile stay.
#[derive(Debug, Clone, Default)]
pub struct ProfileKeys {
    /// Keys to set, in the order they are written for a new profile.
    pub set: Vec<(&'static str, toml_edit::Value)>,
    /// Keys to remove.
    pub unset: Vec<&'static str>,
}

/// The config file opened for editing.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    path: PathBuf,
    doc: toml_edit::DocumentMut,
}

impl ConfigFile {
    /// Opens `path` for editing; a missing file is an empty config (created on [`save`]).
    /// Errors: `config.invalid` when the file is unreadable or not valid TOML.
    ///
    /// [`save`]: ConfigFile::save
    pub fn open(path: &Path) -> Result<ConfigFile> {
        let _ = path;
        todo!()
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Names of the `[profiles.NAME]` tables, sorted.
    pub fn profile_names(&self) -> Vec<String> {
        let _ = &self.doc;
        todo!()
    }

    /// `default_profile`, if set.
    pub fn default_profile(&self) -> Option<String> {
        todo!()
    }

    /// Creates `[profiles.NAME]` or updates it in place with `keys`.
    pub fn set_profile(&mut self, name: &str, keys: &ProfileKeys) -> Result<()> {
        let _ = (name, keys);
        todo!()
    }

    /// Renames a profile (its table keeps its keys and comments; `default_profile` follows).
    /// Errors: `config.invalid` when `from` is missing or `to` exists or is not a valid name.
    pub fn rename_profile(&mut self, from: &str, to: &str) -> Result<()> {
        let _ = (from, to);
        todo!()
    }

    /// Removes a profile; returns false when there was none. A `default_profile` naming it is
    /// removed too.
    pub fn remove_profile(&mut self, name: &str) -> Result<bool> {
        let _ = name;
        todo!()
    }

    /// Sets `default_profile`. Errors: `config.invalid` when there is no such profile.
    pub fn set_default(&mut self, name: &str) -> Result<()> {
        let _ = name;
        todo!()
    }

    /// Copies an imported profile's table in as `name` (comments and unknown keys included).
    pub fn import(&mut self, profile: &ImportedProfile, name: &str) -> Result<()> {
        let _ = (profile, name);
        todo!()
    }

    /// The current text parsed as a [`Config`] (what the CLI would read).
    pub fn to_config(&self) -> Result<Config> {
        todo!()
    }

    /// Writes the file atomically (parent directories created). Errors: `config.invalid` when a
    /// profile no longer validates; `local.io` on write errors.
    pub fn save(&self) -> Result<()> {
        todo!()
    }
}

/// One profile from a file an administrator handed out.
#[derive(Debug, Clone)]
pub struct ImportedProfile {
    /// Its name in that file.
    pub name: String,
    /// The validated profile.
    pub profile: Profile,
    /// The issuer's host (what the user is asked to trust), e.g. `acme.eu.auth0.com`.
    pub issuer_host: String,
    /// Its table, as written (comments kept).
    pub(crate) table: toml_edit::Table,
}

/// Reads a profile file (the config format; `default_profile` is ignored). Every profile must
/// validate. Errors: `config.invalid` naming the file, profile and key; a file without profiles.
pub fn read_import(file: &Path) -> Result<Vec<ImportedProfile>> {
    let _ = file;
    todo!()
}
