//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Kura: your private S3 folder, signed in with your identity provider — no keys on disk.
#[derive(Debug, Parser)]
#[command(name = "kura", version, about)]
pub struct Cli {
    /// Profile to use (default: KURA_PROFILE, then `default_profile` in the config).
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Config file (default: KURA_CONFIG, then ~/.config/kura/config.toml).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Log what Kura does to stderr (or set KURA_LOG=debug).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign in in the system browser (loopback redirect), or with --device on another device.
    Login {
        /// Use the device authorization grant (RFC 8628): prints a code to enter elsewhere.
        #[arg(long)]
        device: bool,
        /// Print the sign-in URL instead of opening a browser.
        #[arg(long)]
        no_browser: bool,
        /// Seconds to wait for the browser's callback.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
    },
    /// Sign out: revoke the refresh token and delete the stored session.
    Logout,
    /// Show who is signed in, the prefix, and when credentials expire (no network request).
    Whoami {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List a folder (default: your root).
    Ls {
        /// Folder or file, relative to your prefix.
        path: Option<String>,
        /// List everything below, recursively.
        #[arg(short, long)]
        recursive: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Upload files and directories: `put LOCAL... [DIR]` (the last of two or more is the
    /// destination folder; default: your root).
    Put {
        /// Local files/directories, then optionally the destination folder.
        #[arg(required = true, num_args = 1..)]
        paths: Vec<String>,
        #[command(flatten)]
        tuning: TransferFlags,
    },
    /// List uploads an interrupted run left unfinished; resume or discard them all.
    Uploads {
        /// Resume them (only the parts S3 lacks are sent; a changed file starts over).
        #[arg(long)]
        resume: bool,
        /// Discard them (abort the multipart uploads; their parts are deleted).
        #[arg(long, conflicts_with = "resume")]
        discard: bool,
    },
    /// Download files (and folders with -r): `get REMOTE... [LOCAL_DIR]` (default: current directory).
    Get {
        /// Download folders recursively.
        #[arg(short, long)]
        recursive: bool,
        /// Remote paths, then optionally the local directory.
        #[arg(required = true, num_args = 1..)]
        paths: Vec<String>,
        #[command(flatten)]
        tuning: TransferFlags,
    },
    /// Delete files (and folders with -r).
    Rm {
        /// Delete folders and everything in them.
        #[arg(short, long)]
        recursive: bool,
        /// Remote paths.
        #[arg(required = true, num_args = 1..)]
        paths: Vec<String>,
    },
    /// Create a folder.
    Mkdir {
        /// Folder path.
        path: String,
    },
    /// Move or rename a file or folder within your prefix.
    Mv {
        /// Source path.
        src: String,
        /// Destination path (an existing folder or a path ending in `/` receives SRC inside it).
        dst: String,
    },
    /// Print a presigned GET URL (a secret: anyone with it can download the file until it expires).
    Presign {
        /// File path.
        path: String,
        /// Lifetime in seconds (capped at the credentials' remaining lifetime).
        #[arg(long, default_value_t = 3600)]
        expires: u64,
    },
    /// Print temporary credentials for the AWS CLI's `credential_process`.
    CredentialProcess,
}

/// Transfer tuning flags of `put` and `get`; each overrides the profile's key of the same name.
#[derive(clap::Args, Debug, Clone, Copy, Default)]
pub struct TransferFlags {
    /// Part size in MiB for multipart uploads and ranged downloads (5–5120).
    #[arg(long, value_parser = clap::value_parser!(u64).range(5..=5120))]
    pub part_size_mib: Option<u64>,
    /// Parts of one file in flight at once (1–64).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub part_concurrency: Option<u64>,
    /// Files in flight at once (1–256).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=256))]
    pub file_concurrency: Option<u64>,
    /// When the target exists (remote key on put, local file on get): replace it, skip it, keep
    /// both by giving the new one the first free name `name (1).ext`, or ask (before anything is
    /// transferred; answers read from standard input, end of input cancels).
    #[arg(long, value_enum, default_value_t = IfExists::Overwrite)]
    pub if_exists: IfExists,
}

/// `--if-exists` values.
#[derive(clap::ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IfExists {
    /// Replace the existing file or object.
    #[default]
    Overwrite,
    /// Leave it; the item is reported as skipped.
    Skip,
    /// Keep both: the new one is saved as `name (1).ext` (first free number).
    Rename,
    /// Ask for each existing target.
    Ask,
}

use kura_core::storage::conflict::ConflictPolicy;

impl TransferFlags {
    /// `options` with these flags applied.
    pub fn apply(&self, mut options: kura_core::storage::TransferOptions) -> kura_core::storage::TransferOptions {
        if let Some(mib) = self.part_size_mib {
            options.part_size = mib * 1024 * 1024;
        }
        if let Some(n) = self.part_concurrency {
            options.part_concurrency = n as usize;
        }
        if let Some(n) = self.file_concurrency {
            options.file_concurrency = n as usize;
        }
        options.if_exists = match self.if_exists {
            IfExists::Overwrite => ConflictPolicy::Overwrite,
            IfExists::Skip => ConflictPolicy::Skip,
            IfExists::Rename => ConflictPolicy::Rename,
            IfExists::Ask => ConflictPolicy::Ask,
        };
        options
    }
}
