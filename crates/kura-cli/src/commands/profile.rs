//! `kura profile list | show | add | import | remove | use`: profiles in the config file,
//! edited with comments and other keys kept (`kura_core::config::edit`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kura_core::config::edit::{issuer_host, read_import, ConfigFile};
use kura_core::config::{rules, Config};
use kura_core::session::Session;
use kura_core::setup::{ProfileDraft, SetupSummary};
use kura_core::store::TokenStore;
use kura_core::Error;

use super::profile_policies::print_policies;
use super::profile_prompt::Prompt;
use crate::cli::ProfileCommand;

/// Runs a `kura profile` command on the config file `config` (default: KURA_CONFIG, then the
/// platform's config dir).
pub(super) async fn run(config: Option<PathBuf>, command: ProfileCommand) -> anyhow::Result<()> {
    let path = config.unwrap_or_else(Config::default_path);
    match command {
        ProfileCommand::List => list(&path).await,
        ProfileCommand::Show { name, policies } => show(&path, &name, policies).await,
        ProfileCommand::Add(args) => super::profile_add::add(&path, *args).await,
        ProfileCommand::Import { file, yes, save_as } => import(&path, &file, yes, save_as).await,
        ProfileCommand::Remove { name } => remove(&path, &name).await,
        ProfileCommand::Use { name } => use_profile(&path, &name),
    }
}

/// A usage error about the config file (exit code 2).
pub(super) fn config_error(file: &Path, profile: Option<&str>, key: Option<&str>, message: impl Into<String>) -> Error {
    Error::Config {
        file: file.to_path_buf(),
        profile: profile.map(str::to_string),
        key: key.map(str::to_string),
        message: message.into(),
    }
}

fn no_such_profile(file: &ConfigFile, name: &str) -> Error {
    let names = file.profile_names();
    config_error(
        file.path(),
        Some(name),
        None,
        if names.is_empty() {
            "no such profile (there are none yet: kura profile add)".to_string()
        } else {
            format!("no such profile (profiles: {})", names.join(", "))
        },
    )
}

/// Keeps the profile commands use after `added` joins `before` (the names before it) when the
/// file has no `default_profile`: the first profile becomes the default; with one profile
/// before, that one stays the default (it was chosen as the only profile).
pub(super) fn keep_default(file: &mut ConfigFile, before: &[String], added: &str) -> kura_core::Result<()> {
    if file.default_profile().is_some() {
        return Ok(());
    }
    match before {
        [] => file.set_default(added),
        [only] if only != added => file.set_default(only),
        _ => Ok(()),
    }
}

pub(super) fn print_callbacks(urls: &[String]) {
    println!("Register these callback URLs at your identity provider:");
    for u in urls {
        println!("  {u}");
    }
}

fn store() -> Arc<TokenStore> {
    Arc::new(TokenStore::os())
}

fn warn_fallback(store: &TokenStore) {
    if let Some(reason) = store.fallback_reason() {
        eprintln!("kura: warning: {reason}");
    }
}

async fn list(path: &Path) -> anyhow::Result<()> {
    let file = ConfigFile::open(path)?;
    let names = file.profile_names();
    if names.is_empty() {
        println!(
            "No profiles in {}. Add one with `kura profile add`, or `kura profile import FILE`.",
            path.display()
        );
        return Ok(());
    }
    let config = file.to_config()?;
    let default = file
        .default_profile()
        .or_else(|| (names.len() == 1).then(|| names[0].clone()));
    let store = store();
    let mut rows = Vec::new();
    for name in &names {
        let marker = if default.as_deref() == Some(name) { "*" } else { " " };
        let row = match config.profile(Some(name)) {
            Ok(p) => {
                let state = match Session::new(p.clone(), store.clone()).status().await? {
                    Some(s) => format!("signed in as {}", s.identity.label()),
                    None => "signed out".to_string(),
                };
                [issuer_host(&p.issuer), p.bucket.clone(), state]
            }
            Err(e) => ["-".into(), "-".into(), format!("invalid: {e}")],
        };
        rows.push((marker, name.clone(), row));
    }
    let w0 = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    let w1 = rows.iter().map(|r| r.2[0].len()).max().unwrap_or(0);
    let w2 = rows.iter().map(|r| r.2[1].len()).max().unwrap_or(0);
    for (marker, name, [host, bucket, state]) in rows {
        println!("{marker} {name:w0$}  {host:w1$}  {bucket:w2$}  {state}");
    }
    warn_fallback(&store);
    Ok(())
}

async fn show(path: &Path, name: &str, policies: bool) -> anyhow::Result<()> {
    let file = ConfigFile::open(path)?;
    if !file.profile_names().iter().any(|n| n == name) {
        return Err(no_such_profile(&file, name).into());
    }
    let p = file.to_config()?.profile(Some(name))?;
    let draft = ProfileDraft::from_profile(&p);
    let preset = serde_json::to_value(draft.provider.preset())?;
    println!("profile:       {}", p.name);
    println!("provider:      {}", preset.as_str().unwrap_or_default());
    println!("issuer:        {}", p.issuer);
    println!("client_id:     {}", p.client_id);
    println!("scopes:        {}", p.scopes.join(" "));
    if let Some(a) = &p.audience {
        println!("audience:      {a}");
    }
    println!("desktop:       {}", p.desktop_redirect().registered_uri());
    println!("CLI:           {}", p.cli_redirect().registered_uri());
    if let Some(r) = &p.role_arn {
        println!("role_arn:      {r}");
    }
    if let Some(pool) = &p.identity_pool {
        println!("identity pool: {} ({} flow)", pool.identity_pool_id, pool.flow.as_str());
        println!("pool provider: {}", pool.identity_provider);
        if let Some(e) = &pool.endpoint {
            println!("cognito:       {e}");
        }
    }
    println!("bucket:        {}", p.bucket);
    println!("region:        {}", p.region);
    println!("prefix:        {}", p.prefix);
    if let Some(e) = &p.s3_endpoint {
        println!("s3_endpoint:   {e}");
    }
    if let Some(e) = &p.sts_endpoint {
        println!("sts_endpoint:  {e}");
    }
    if p.force_path_style {
        println!("path style:    yes");
    }
    print_callbacks(&draft.callback_urls());
    if policies {
        print_policies(&SetupSummary::for_profile(&p));
    } else {
        println!("What to register in IAM: kura profile show {name} --policies");
    }
    Ok(())
}

fn use_profile(path: &Path, name: &str) -> anyhow::Result<()> {
    let mut file = ConfigFile::open(path)?;
    if !file.profile_names().iter().any(|n| n == name) {
        return Err(no_such_profile(&file, name).into());
    }
    file.set_default(name)?;
    file.save()?;
    println!("Default profile: {name}");
    Ok(())
}

async fn remove(path: &Path, name: &str) -> anyhow::Result<()> {
    let mut file = ConfigFile::open(path)?;
    if !file.profile_names().iter().any(|n| n == name) {
        return Err(no_such_profile(&file, name).into());
    }
    let store = store();
    let profile = file.to_config().and_then(|c| c.profile(Some(name)));
    let signed_out = match profile {
        // Revokes the refresh token at the provider and deletes the session.
        Ok(p) => Session::new(p, store.clone()).sign_out().await?,
        Err(e) => {
            eprintln!(
                "kura: warning: cannot read the profile to revoke its session ({e}); deleting what is stored for it"
            );
            store.get(name)?.is_some() || store.get(&format!("{name}:session"))?.is_some()
        }
    };
    // Everything stored for the profile, the remembered identity pool identity included.
    kura_core::session::delete_stored(&store, name)?;
    file.remove_profile(name)?;
    file.save()?;
    if signed_out {
        println!("Signed out of {name:?} and removed it from {}.", path.display());
    } else {
        println!("Removed profile {name:?} from {}.", path.display());
    }
    warn_fallback(&store);
    Ok(())
}

async fn import(path: &Path, from: &Path, yes: bool, save_as: Option<String>) -> anyhow::Result<()> {
    let imported = read_import(from)?;
    if save_as.is_some() && imported.len() != 1 {
        return Err(config_error(
            from,
            None,
            None,
            format!(
                "--as names one profile, but this file has {} ({})",
                imported.len(),
                imported.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
            ),
        )
        .into());
    }
    let mut file = ConfigFile::open(path)?;
    let before = file.profile_names();
    let mut taken = before.clone();
    eprintln!("Profiles in {}:", from.display());
    for p in &imported {
        let exists = if taken.contains(&p.name) {
            "  (a profile of this name exists)"
        } else {
            ""
        };
        eprintln!(
            "  {}  issuer {}  bucket {}{exists}",
            p.name, p.issuer_host, p.profile.bucket
        );
    }
    let mut prompt = Prompt::stdin();
    if !yes && !prompt.confirm("Import?") {
        eprintln!("Nothing imported.");
        return Ok(());
    }
    let mut saved = Vec::new();
    for p in &imported {
        let mut target = save_as.clone().unwrap_or_else(|| p.name.clone());
        loop {
            let problem = match rules::profile_name(&target) {
                Err(v) => v.message,
                Ok(()) if taken.contains(&target) => format!("a profile named {target:?} exists"),
                Ok(()) => break,
            };
            if yes || prompt.at_eof() {
                return Err(config_error(
                    path,
                    Some(&target),
                    None,
                    format!("{problem}: import it under another name with --as NEW_NAME; nothing was imported"),
                )
                .into());
            }
            match prompt.ask(&format!("{problem}. Save {:?} as (a new name; empty to skip)", p.name)) {
                Some(a) if a.is_empty() => {
                    eprintln!("Skipped {:?}.", p.name);
                    target.clear();
                    break;
                }
                Some(a) => target = a,
                None => {
                    return Err(config_error(
                        path,
                        Some(&target),
                        None,
                        format!("{problem}: import it under another name with --as NEW_NAME; nothing was imported"),
                    )
                    .into())
                }
            }
        }
        if target.is_empty() {
            continue;
        }
        file.import(p, &target)?;
        keep_default(&mut file, &taken, &target)?;
        taken.push(target.clone());
        saved.push((target, p));
    }
    if saved.is_empty() {
        eprintln!("Nothing imported.");
        return Ok(());
    }
    file.save()?;
    for (name, p) in saved {
        println!(
            "Imported profile {name:?} (issuer {}, bucket {}).",
            p.issuer_host, p.profile.bucket
        );
    }
    if let Some(d) = file.default_profile() {
        println!("Default profile: {d}");
    }
    Ok(())
}
