//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Kura: your private S3 folder, signed in with your identity provider — no keys on disk.
#[derive(Debug, Parser)]
#[command(name = "kura", version, about)]
pub(crate) struct Cli {
    /// Profile to use (default: KURA_PROFILE, then `default_profile` in the config).
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Config file (default: KURA_CONFIG, then ~/.config/kura/config.toml).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Location of the profile to work in (`[[profiles.NAME.locations]]` `name`; default: the
    /// first, "My files" for a profile with only `prefix`). `kura whoami` lists them.
    #[arg(long, global = true)]
    pub location: Option<String>,
    /// Log what Kura does to stderr (or set KURA_LOG=debug).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
    /// Show who is signed in, the locations with their prefixes, and when credentials expire
    /// (no network request).
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
    /// Find files and folders by name: `find [PATH] PATTERN` searches PATH (default: your root)
    /// and everything below it for names containing PATTERN, ignoring case; matches print as
    /// they are found, the count goes to stderr. Exit status 0 also when nothing matches.
    #[command(override_usage = "kura find [OPTIONS] [PATH] PATTERN")]
    Find {
        /// `[PATH] PATTERN`: the folder to search (relative to your prefix), then the pattern.
        #[arg(required = true, num_args = 1..=2, value_names = ["PATH", "PATTERN"])]
        args: Vec<String>,
        /// Print one JSON object per match and line (NDJSON), as they are found.
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
    /// Open the AWS console in the browser, signed in with your temporary credentials (default
    /// page: the S3 console at your folder).
    Console {
        /// Print the sign-in URL instead of opening a browser (a secret: it signs anyone in as
        /// you for 15 minutes).
        #[arg(long)]
        print: bool,
        /// The console page to open (an https URL), instead of your folder in the S3 console.
        #[arg(long, value_name = "URL")]
        destination: Option<String>,
    },
    /// Manage profiles: list, show, add, import, remove, choose the default (no sign-in needed).
    Profile {
        #[command(subcommand)]
        command: ProfileCommand,
    },
}

/// `kura profile` subcommands. They work without a config file or a usable profile.
#[derive(Debug, Subcommand)]
pub(crate) enum ProfileCommand {
    /// List profiles: default marker, issuer host, bucket, signed in or not (no network request).
    List,
    /// Show a profile's settings, the callback URLs to register and, with --policies, what to
    /// register in IAM (and in the identity pool): the trust and permission policies.
    Show {
        /// Profile name.
        name: String,
        /// Print the IAM OIDC provider, the identity pool's provider entry, the role's trust policy
        /// and the per-user permission policy (JSON).
        #[arg(long)]
        policies: bool,
    },
    /// Add a profile from a provider preset; values not given as flags are asked on the terminal.
    Add(Box<AddArgs>),
    /// Import the profiles of a file an administrator handed out (asks first unless --yes).
    Import {
        /// A TOML file of `[profiles.NAME]` tables.
        file: PathBuf,
        /// Import without asking.
        #[arg(long)]
        yes: bool,
        /// Save the file's only profile under this name.
        #[arg(long = "as", value_name = "NAME")]
        save_as: Option<String>,
    },
    /// Sign out of a profile (revoking its refresh token) and remove it from the config.
    Remove {
        /// Profile name.
        name: String,
    },
    /// Make a profile the default (`default_profile`).
    Use {
        /// Profile name.
        name: String,
    },
}

/// Identity provider presets of `kura profile add --preset`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PresetArg {
    /// Auth0: --domain (and --audience).
    Auth0,
    /// Amazon Cognito user pool: --pool-region, --user-pool-id.
    Cognito,
    /// Keycloak: --base-url, --realm.
    Keycloak,
    /// Okta: --org-url (and --authorization-server, default `default`).
    Okta,
    /// Microsoft Entra ID: --tenant-id.
    Entra,
    /// Any OpenID Connect provider: --issuer (and --scopes).
    Generic,
}

/// `kura profile add --cognito-flow` values (Cognito Developer Guide, "Identity pools
/// authentication flow").
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CognitoFlowArg {
    /// GetId, then GetCredentialsForIdentity: the pool chooses the role.
    Enhanced,
    /// GetId, GetOpenIdToken, then STS AssumeRoleWithWebIdentity of --role-arn.
    Basic,
}

/// `kura profile add` flags: the preset's fields, then the profile's.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct AddArgs {
    /// Identity provider preset.
    #[arg(long, value_enum)]
    pub preset: Option<PresetArg>,
    /// Profile name.
    #[arg(long)]
    pub name: Option<String>,
    /// Auth0: tenant or custom domain (`acme.eu.auth0.com`).
    #[arg(long)]
    pub domain: Option<String>,
    /// Auth0: API identifier sent as `audience`.
    #[arg(long)]
    pub audience: Option<String>,
    /// Cognito: the user pool's region.
    #[arg(long)]
    pub pool_region: Option<String>,
    /// Cognito: the user pool ID (`eu-west-1_AbC123`).
    #[arg(long)]
    pub user_pool_id: Option<String>,
    /// Keycloak: server base URL (`https://sso.example.com`).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Keycloak: realm.
    #[arg(long)]
    pub realm: Option<String>,
    /// Okta: org URL (`https://acme.okta.com`).
    #[arg(long)]
    pub org_url: Option<String>,
    /// Okta: authorization server ID (default `default`).
    #[arg(long)]
    pub authorization_server: Option<String>,
    /// Entra ID: directory (tenant) ID.
    #[arg(long)]
    pub tenant_id: Option<String>,
    /// Generic: the issuer, exactly as in the ID token's `iss`.
    #[arg(long)]
    pub issuer: Option<String>,
    /// Generic: scopes, separated by spaces (default `openid offline_access profile email`).
    #[arg(long)]
    pub scopes: Option<String>,
    /// OAuth client ID of the native application registered at the provider.
    #[arg(long)]
    pub client_id: Option<String>,
    /// The redirect URI: `app.kura.desktop:/callback` (desktop; the CLI then uses a loopback),
    /// `http://127.0.0.1[:PORT]/callback`, or `http://localhost:PORT/callback` (Amazon Cognito).
    #[arg(long)]
    pub redirect_uri: Option<String>,
    /// The CLI's fixed loopback port when the redirect URI is the app's scheme.
    #[arg(long)]
    pub loopback_port: Option<u16>,
    /// IAM role ARN assumed with the ID token; with an identity pool, the role assumed with the
    /// pool's token (basic flow) or requested as CustomRoleArn (enhanced flow, optional).
    #[arg(long)]
    pub role_arn: Option<String>,
    /// Take credentials from this Amazon Cognito identity pool (`REGION:GUID`) instead of
    /// assuming --role-arn with the provider's token.
    #[arg(long)]
    pub identity_pool_id: Option<String>,
    /// Identity pool: the provider's name in the pool, the `Logins` key (default: the issuer
    /// without `https://` and trailing slash, e.g. `cognito-idp.REGION.amazonaws.com/POOL_ID`).
    #[arg(long)]
    pub identity_provider: Option<String>,
    /// Identity pool: the authentication flow (default enhanced; basic needs --role-arn).
    #[arg(long, value_enum)]
    pub cognito_flow: Option<CognitoFlowArg>,
    /// Identity pool: Cognito Identity endpoint of a stand-in (default: AWS's for the pool's region).
    #[arg(long)]
    pub cognito_endpoint: Option<String>,
    /// Bucket holding the users' folders.
    #[arg(long)]
    pub bucket: Option<String>,
    /// The bucket's region (default us-east-1; Cognito: the pool's region).
    #[arg(long)]
    pub region: Option<String>,
    /// Folder template (default `users/{sub}/`; with an identity pool `cognito/{identity_id}/`).
    #[arg(long)]
    pub prefix: Option<String>,
    /// S3 endpoint of an S3-compatible store.
    #[arg(long)]
    pub s3_endpoint: Option<String>,
    /// STS endpoint of an S3-compatible store.
    #[arg(long)]
    pub sts_endpoint: Option<String>,
    /// Path-style addressing (most S3-compatible stores).
    #[arg(long)]
    pub path_style: bool,
    /// Check the provider's discovery document first; errors refuse to save.
    #[arg(long)]
    pub check: bool,
    /// Make it the default profile.
    #[arg(long)]
    pub default: bool,
}

/// Transfer tuning flags of `put` and `get`; each overrides the profile's key of the same name.
#[derive(clap::Args, Debug, Clone, Copy, Default)]
pub(crate) struct TransferFlags {
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
pub(crate) enum IfExists {
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
    pub(crate) fn apply(
        &self,
        mut options: kura_core::storage::TransferOptions,
    ) -> kura_core::storage::TransferOptions {
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
