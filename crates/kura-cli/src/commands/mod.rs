//! Command implementations: each turns arguments into one `kura-core` call and prints the result.

mod ask;
mod auth;
mod console;
mod files;
mod find;
mod profile;
mod profile_add;
mod profile_policies;
mod profile_prompt;

use std::path::PathBuf;
use std::sync::Arc;

use kura_core::config::Config;
use kura_core::session::Session;
use kura_core::store::TokenStore;

use crate::cli::{Cli, Command};

/// Loads the config and profile and builds the profile's session (keychain-backed).
fn session(config: Option<PathBuf>, profile: Option<&str>) -> anyhow::Result<Arc<Session>> {
    let path = config.unwrap_or_else(Config::default_path);
    let profile = Config::load(&path)?.profile(profile)?;
    Ok(Arc::new(Session::new(profile, Arc::new(TokenStore::os()))))
}

/// Runs one command.
pub(crate) async fn run(args: Cli) -> anyhow::Result<()> {
    let Cli {
        profile,
        config,
        location,
        command,
        ..
    } = args;
    // `kura profile …` works without a config file or a usable profile.
    let command = match command {
        Command::Profile { command } => return profile::run(config, command).await,
        other => other,
    };
    let session = session(config, profile.as_deref())?;
    if let Some(name) = &location {
        session.profile().location(Some(name))?;
    }
    let at = files::Located {
        session: session.clone(),
        location,
    };
    let result = match command {
        Command::Login {
            device,
            no_browser,
            timeout,
        } => auth::login(&session, device, no_browser, timeout).await,
        Command::Logout => auth::logout(&session).await,
        Command::Whoami { json } => auth::whoami(&session, json).await,
        Command::CredentialProcess => auth::credential_process(&session).await,
        Command::Console { print, destination } => console::console(&session, print, destination.as_deref()).await,
        Command::Ls { path, recursive, json } => files::ls(&at, path.as_deref(), recursive, json).await,
        Command::Find { args, json } => find::find(&at, &args, json).await,
        Command::Put { paths, tuning } => files::put(&at, paths, tuning).await,
        Command::Get {
            recursive,
            paths,
            tuning,
        } => files::get(&at, paths, recursive, tuning).await,
        Command::Uploads { resume, discard } => files::uploads(&at, resume, discard).await,
        Command::Rm { recursive, paths } => files::rm(&at, &paths, recursive).await,
        Command::Mkdir { path } => files::mkdir(&at, &path).await,
        Command::Mv { src, dst } => files::mv(&at, &src, &dst).await,
        Command::Presign { path, expires } => files::presign(&at, &path, expires).await,
        Command::Profile { .. } => unreachable!("dispatched above"),
    };
    if let Some(reason) = session.store().fallback_reason() {
        eprintln!("kura: warning: {reason}");
    }
    result
}
