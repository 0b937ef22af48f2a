//! Format-preserving edits of the config file with `toml_edit`: profiles are added, updated,
//! renamed and removed, and `default_profile` is set, while comments, key order and keys Kura
//! does not know survive. Writes are atomic (temporary file + rename, mode 0600 on Unix) and
//! refused when the result would not load with [`super::Config`].
//!
//! Also reads profile files an administrator hands out ([`read_import`]): the same TOML.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Table, TableLike};

use super::{cfg_err, rules, Config, Profile};
use crate::error::{Error, Result};

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
    /// Profiles created or changed since opening: [`ConfigFile::save`] validates these.
    touched: BTreeSet<String>,
}

impl ConfigFile {
    /// Opens `path` for editing; a missing file is an empty config (created on [`save`]).
    /// Errors: `config.invalid` when the file is unreadable or not valid TOML.
    ///
    /// [`save`]: ConfigFile::save
    pub fn open(path: &Path) -> Result<ConfigFile> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(cfg_err(path, None, None, format!("cannot read: {e}"))),
        };
        let doc = parse_doc(path, &text)?;
        Ok(ConfigFile {
            path: path.to_path_buf(),
            doc,
            touched: BTreeSet::new(),
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn profiles(&self) -> Option<&dyn TableLike> {
        self.doc.get("profiles").and_then(Item::as_table_like)
    }

    /// The `profiles` table, created (implicit, so only `[profiles.NAME]` headers are written)
    /// when missing. Errors: `config.invalid` when `profiles` is not a table.
    fn profiles_mut(&mut self) -> Result<&mut dyn TableLike> {
        if !self.doc.contains_key("profiles") {
            let mut t = Table::new();
            t.set_implicit(true);
            self.doc.insert("profiles", Item::Table(t));
        }
        let path = self.path.clone();
        self.doc
            .get_mut("profiles")
            .and_then(Item::as_table_like_mut)
            .ok_or_else(|| cfg_err(&path, None, Some("profiles"), "must be a table of profiles"))
    }

    fn contains(&self, name: &str) -> bool {
        self.profiles().is_some_and(|p| p.contains_key(name))
    }

    /// Names of the `[profiles.NAME]` tables, sorted.
    pub fn profile_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .profiles()
            .map(|p| p.iter().map(|(k, _)| k.to_string()).collect())
            .unwrap_or_default();
        names.sort();
        names
    }

    /// `default_profile`, if set.
    pub fn default_profile(&self) -> Option<String> {
        self.doc
            .get("default_profile")
            .and_then(Item::as_str)
            .map(str::to_string)
    }

    /// Creates `[profiles.NAME]` or updates it in place with `keys`.
    /// Errors: `config.invalid` when `name` is not a valid profile name.
    pub fn set_profile(&mut self, name: &str, keys: &ProfileKeys) -> Result<()> {
        self.check_name(name)?;
        let path = self.path.clone();
        let next = next_position(&self.doc);
        let profiles = self.profiles_mut()?;
        if !profiles.contains_key(name) {
            let mut t = Table::new();
            t.set_position(Some(next));
            profiles.insert(name, Item::Table(t));
        }
        let table = profiles
            .get_mut(name)
            .and_then(Item::as_table_like_mut)
            .ok_or_else(|| cfg_err(&path, Some(name), None, "[profiles.NAME] must be a table"))?;
        for (key, value) in &keys.set {
            match table.get_mut(key) {
                // Keep the old value's decor: a comment after it survives the change.
                Some(Item::Value(old)) => {
                    let decor = old.decor().clone();
                    let mut new = value.clone();
                    *new.decor_mut() = decor;
                    *old = new;
                }
                _ => {
                    let mut new = value.clone();
                    new.decor_mut().clear();
                    table.insert(key, Item::Value(new));
                }
            }
        }
        for key in &keys.unset {
            table.remove(key);
        }
        self.touched.insert(name.to_string());
        Ok(())
    }

    fn check_name(&self, name: &str) -> Result<()> {
        rules::profile_name(name).map_err(|v| cfg_err(&self.path, Some(name), None, v.message))
    }

    /// Renames a profile (its table keeps its keys and comments; `default_profile` follows).
    /// Errors: `config.invalid` when `from` is missing or `to` exists or is not a valid name.
    pub fn rename_profile(&mut self, from: &str, to: &str) -> Result<()> {
        self.check_name(to)?;
        if !self.contains(from) {
            return Err(cfg_err(&self.path, Some(from), None, "no such profile"));
        }
        if self.contains(to) {
            return Err(cfg_err(&self.path, Some(to), None, "a profile of that name exists"));
        }
        let profiles = self.profiles_mut()?;
        // The key's decor holds comments above an inline `NAME = { … }` profile.
        let decor = profiles.key(from).map(|k| k.leaf_decor().clone()).unwrap_or_default();
        let item = profiles.remove(from).expect("checked above");
        let key = toml_edit::Key::new(to).with_leaf_decor(decor);
        if let toml_edit::Entry::Vacant(v) = profiles.entry_format(&key) {
            v.insert(item);
        }
        if self.default_profile().as_deref() == Some(from) {
            set_value_keep_decor(self.doc.as_table_mut(), "default_profile", to.into());
        }
        self.touched.remove(from);
        self.touched.insert(to.to_string());
        Ok(())
    }

    /// Removes a profile; returns false when there was none. A `default_profile` naming it is
    /// removed too.
    pub fn remove_profile(&mut self, name: &str) -> Result<bool> {
        if !self.contains(name) {
            return Ok(false);
        }
        self.profiles_mut()?.remove(name);
        if self.default_profile().as_deref() == Some(name) {
            remove_root_key(&mut self.doc, "default_profile");
        }
        self.touched.remove(name);
        Ok(true)
    }

    /// Sets `default_profile`. Errors: `config.invalid` when there is no such profile.
    pub fn set_default(&mut self, name: &str) -> Result<()> {
        if !self.contains(name) {
            return Err(cfg_err(
                &self.path,
                Some(name),
                Some("default_profile"),
                format!("no such profile (profiles: {})", self.profile_names().join(", ")),
            ));
        }
        set_value_keep_decor(self.doc.as_table_mut(), "default_profile", name.into());
        Ok(())
    }

    /// Copies an imported profile's table in as `name` (comments and unknown keys included);
    /// a profile of that name is replaced. Errors: `config.invalid` for an invalid name.
    pub fn import(&mut self, profile: &ImportedProfile, name: &str) -> Result<()> {
        self.check_name(name)?;
        let mut table = profile.table.clone();
        let mut next = next_position(&self.doc);
        renumber(&mut table, &mut next);
        self.profiles_mut()?.insert(name, Item::Table(table));
        self.touched.insert(name.to_string());
        Ok(())
    }

    /// The current text parsed as a [`Config`] (what the CLI would read).
    pub fn to_config(&self) -> Result<Config> {
        Config::parse(&self.path, &self.doc.to_string())
    }

    /// Writes the file atomically (parent directories created). Errors: `config.invalid` when a
    /// profile no longer validates; `local.io` on write errors.
    pub fn save(&self) -> Result<()> {
        let text = self.doc.to_string();
        let config = Config::parse(&self.path, &text)?;
        for name in &self.touched {
            config.profile(Some(name))?;
        }
        write_atomic(&self.path, text.as_bytes())
    }
}

fn parse_doc(path: &Path, text: &str) -> Result<DocumentMut> {
    text.parse::<DocumentMut>()
        .map_err(|e| cfg_err(path, None, None, format!("not valid TOML: {}", e.message())))
}

/// Replaces a top-level string value, keeping a comment after it.
fn set_value_keep_decor(table: &mut Table, key: &str, value: toml_edit::Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = value;
            *old.decor_mut() = decor;
        }
        _ => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// Removes a top-level key; comments written above it (e.g. the file's first lines) move to
/// what is now written first.
fn remove_root_key(doc: &mut DocumentMut, key: &str) {
    let prefix = doc
        .as_table()
        .key(key)
        .and_then(|k| k.leaf_decor().prefix())
        .and_then(|p| p.as_str())
        .map(str::to_string);
    doc.remove(key);
    let Some(comments) = prefix.filter(|p| p.contains('#')) else {
        return;
    };
    let prepend = |decor: &mut toml_edit::Decor| {
        let old = decor.prefix().and_then(|p| p.as_str()).unwrap_or("").to_string();
        decor.set_prefix(format!("{comments}{old}"));
    };
    let root = doc.as_table_mut();
    let first_value = root
        .iter()
        .find(|(_, item)| item.is_value())
        .map(|(k, _)| k.to_string());
    if let Some(k) = first_value {
        if let Some(mut k) = root.key_mut(&k) {
            prepend(k.leaf_decor_mut());
        }
        return;
    }
    fn first_table(t: &mut Table) -> Option<&mut Table> {
        let mut best: Option<&mut Table> = None;
        for (_, item) in t.iter_mut() {
            if let Item::Table(child) = item {
                let candidate = if child.is_implicit() {
                    first_table(child)
                } else {
                    Some(child)
                };
                if let Some(c) = candidate {
                    if best.as_ref().is_none_or(|b| c.position() < b.position()) {
                        best = Some(c);
                    }
                }
            }
        }
        best
    }
    match first_table(root) {
        Some(t) => prepend(t.decor_mut()),
        None => {
            let old = doc.trailing().as_str().unwrap_or("").to_string();
            doc.set_trailing(format!("{comments}{old}"));
        }
    }
}

/// One past the highest table position in `doc`, so a new table is written last.
fn next_position(doc: &DocumentMut) -> isize {
    fn visit(t: &Table, max: &mut isize) {
        if let Some(p) = t.position() {
            *max = (*max).max(p);
        }
        for (_, item) in t.iter() {
            if let Item::Table(child) = item {
                visit(child, max);
            }
        }
    }
    let mut max = 0;
    visit(doc.as_table(), &mut max);
    max + 1
}

/// Gives `table` and its sub-tables fresh positions from `next` on (they came from another file).
fn renumber(table: &mut Table, next: &mut isize) {
    table.set_position(Some(*next));
    *next += 1;
    for (_, item) in table.iter_mut() {
        if let Item::Table(child) = item {
            renumber(child, next);
        }
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so a
/// reader sees the old or the new file, never half of one. Mode 0600 on Unix (the temporary
/// file is created so). Parent directories are created.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let io = |e| Error::io(format!("writing {}", path.display()), e);
    let mut tmp = tempfile::Builder::new()
        .prefix(".config.")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// One profile from a file an administrator handed out.
#[derive(Debug, Clone)]
pub struct ImportedProfile {
    /// Its name in that file.
    pub name: String,
    /// The validated profile.
    pub profile: Profile,
    /// The issuer's host (what the user is asked to trust), e.g. `acme.eu.auth0.com`; with
    /// `:PORT` when the issuer names a port (`127.0.0.1:9400`).
    pub issuer_host: String,
    /// Its table, as written (comments kept).
    pub(crate) table: toml_edit::Table,
}

/// The host (and explicit port) of an issuer URL, e.g. `acme.eu.auth0.com` or `127.0.0.1:9400`.
pub fn issuer_host(issuer: &str) -> String {
    match url::Url::parse(issuer) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => issuer.to_string(),
        },
        Err(_) => issuer.to_string(),
    }
}

/// Reads a profile file (the config format; `default_profile` is ignored). Every profile must
/// validate. Errors: `config.invalid` naming the file, profile and key; a file without profiles.
pub fn read_import(file: &Path) -> Result<Vec<ImportedProfile>> {
    let text = std::fs::read_to_string(file).map_err(|e| cfg_err(file, None, None, format!("cannot read: {e}")))?;
    let config = Config::parse(file, &text)?;
    let doc = parse_doc(file, &text)?;
    let tables = doc.get("profiles").and_then(Item::as_table_like);
    let mut out = Vec::new();
    for name in config.profile_names() {
        let profile = config.profile(Some(name))?;
        let table = tables
            .and_then(|t| t.get(name))
            .cloned()
            .and_then(|item| item.into_table().ok())
            .ok_or_else(|| cfg_err(file, Some(name), None, "[profiles.NAME] must be a table"))?;
        out.push(ImportedProfile {
            name: name.to_string(),
            issuer_host: issuer_host(&profile.issuer),
            profile,
            table,
        });
    }
    if out.is_empty() {
        return Err(cfg_err(
            file,
            None,
            None,
            "no profiles in this file (expected [profiles.NAME] tables)",
        ));
    }
    Ok(out)
}

#[cfg(test)]
#[path = "edit_tests.rs"]
mod tests;
