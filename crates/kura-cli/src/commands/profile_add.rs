//! `kura profile add`: a profile from a provider preset, from flags and answers.

use std::path::Path;

use kura_core::config::edit::ConfigFile;
use kura_core::config::CognitoFlow;
use kura_core::setup::credentials::POOL_PREFIX;
use kura_core::setup::preset::DEFAULT_PREFIX;
use kura_core::setup::{check_provider, CredentialSource, FieldIssue, ProfileDraft, ProviderInput, Severity};
use kura_core::Error;

use super::profile::{config_error, keep_default, print_callbacks};
use super::profile_prompt::Prompt;
use crate::cli::{AddArgs, CognitoFlowArg, PresetArg};

const PRESETS: &str = "auth0, cognito, keycloak, okta, entra, generic";

/// Collects values: a flag's, else an answer; records the flags still missing.
struct Collect {
    prompt: Prompt,
    missing: Vec<&'static str>,
}

impl Collect {
    fn required(&mut self, flag_value: &Option<String>, question: &str, flag: &'static str) -> String {
        if let Some(v) = flag_value {
            return v.clone();
        }
        self.prompt.ask_required(question).unwrap_or_else(|| {
            self.missing.push(flag);
            String::new()
        })
    }

    fn preset(&mut self, flag: Option<PresetArg>) -> Option<PresetArg> {
        use clap::ValueEnum;
        if flag.is_some() {
            return flag;
        }
        loop {
            let Some(answer) = self.prompt.ask_required(&format!("Identity provider ({PRESETS})")) else {
                self.missing.push("--preset");
                return None;
            };
            match PresetArg::from_str(&answer, true) {
                Ok(p) => return Some(p),
                Err(_) => eprintln!("please answer one of: {PRESETS}"),
            }
        }
    }
}

/// The credential fields of the draft: source, role ARN, and the identity pool's fields.
struct Credentials {
    source: CredentialSource,
    role_arn: String,
    identity_pool_id: String,
    identity_provider: String,
    cognito_flow: CognitoFlow,
}

impl Collect {
    /// An optional value: the flag's, else the answer (empty at the end of input).
    fn optional(&mut self, flag_value: &Option<String>, question: &str) -> String {
        match flag_value {
            Some(v) => v.clone(),
            None => self.prompt.ask(question).unwrap_or_default(),
        }
    }

    /// IAM role (1, the default) or Cognito identity pool (2); the pool's flags choose it, and
    /// `--role-arn` alone the role. `None` at the end of input.
    fn source(&mut self, a: &AddArgs) -> Option<CredentialSource> {
        let pool_flags = a.identity_pool_id.is_some()
            || a.identity_provider.is_some()
            || a.cognito_flow.is_some()
            || a.cognito_endpoint.is_some();
        if pool_flags {
            return Some(CredentialSource::IdentityPool);
        }
        if a.role_arn.is_some() {
            return Some(CredentialSource::Role);
        }
        loop {
            match self
                .prompt
                .ask("Credentials from (1) an IAM role (2) a Cognito identity pool [1]")?
                .as_str()
            {
                "" | "1" => return Some(CredentialSource::Role),
                "2" => return Some(CredentialSource::IdentityPool),
                _ => eprintln!("please answer 1 or 2"),
            }
        }
    }

    fn flow(&mut self, flag: Option<CognitoFlowArg>) -> CognitoFlow {
        if let Some(f) = flag {
            return match f {
                CognitoFlowArg::Enhanced => CognitoFlow::Enhanced,
                CognitoFlowArg::Basic => CognitoFlow::Basic,
            };
        }
        loop {
            match self
                .prompt
                .ask("Identity pool flow (enhanced, basic) [enhanced]")
                .as_deref()
            {
                None | Some("") | Some("enhanced") => return CognitoFlow::Enhanced,
                Some("basic") => return CognitoFlow::Basic,
                Some(_) => eprintln!("please answer enhanced or basic"),
            }
        }
    }

    /// The credential source and its fields, from flags and answers. `default_provider` is the
    /// `Logins` key derived from the issuer, shown as the default answer.
    fn credentials(&mut self, a: &AddArgs, default_provider: Option<String>) -> Credentials {
        let Some(source) = self.source(a) else {
            self.missing.push("--role-arn (or --identity-pool-id)");
            return Credentials {
                source: CredentialSource::Role,
                role_arn: String::new(),
                identity_pool_id: String::new(),
                identity_provider: String::new(),
                cognito_flow: CognitoFlow::Enhanced,
            };
        };
        if source == CredentialSource::Role {
            return Credentials {
                source,
                role_arn: self.required(&a.role_arn, "IAM role ARN", "--role-arn"),
                identity_pool_id: String::new(),
                identity_provider: String::new(),
                cognito_flow: CognitoFlow::Enhanced,
            };
        }
        let identity_pool_id = self.required(
            &a.identity_pool_id,
            "Identity pool ID (us-east-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001)",
            "--identity-pool-id",
        );
        let question = match &default_provider {
            Some(d) => format!("Provider name in the identity pool [{d}]"),
            None => "Provider name in the identity pool (empty: the issuer without https://)".to_string(),
        };
        let identity_provider = self.optional(&a.identity_provider, &question);
        let cognito_flow = self.flow(a.cognito_flow);
        let role_arn = match cognito_flow {
            CognitoFlow::Basic => self.required(
                &a.role_arn,
                "IAM role ARN (assumed with the pool's token)",
                "--role-arn",
            ),
            CognitoFlow::Enhanced => self.optional(&a.role_arn, "IAM role ARN to request (empty: the pool's role)"),
        };
        Credentials {
            source,
            role_arn,
            identity_pool_id,
            identity_provider,
            cognito_flow,
        }
    }
}

/// The flag of a form field, for messages.
fn flag(field: &str) -> String {
    match field {
        "force_path_style" => "--path-style".into(),
        f => format!("--{}", f.replace('_', "-")),
    }
}

fn issues_error(file: &Path, name: &str, issues: &[FieldIssue]) -> Error {
    let list: Vec<String> = issues
        .iter()
        .map(|i| format!("{} ({}): {}", flag(&i.field), i.code, i.message))
        .collect();
    let key = (issues.len() == 1).then(|| issues[0].field.as_str());
    config_error(file, Some(name), key, format!("not saved: {}", list.join("; ")))
}

pub(super) async fn add(path: &Path, a: AddArgs) -> anyhow::Result<()> {
    let mut file = ConfigFile::open(path)?;
    let taken = file.profile_names();
    let mut c = Collect {
        prompt: Prompt::stdin(),
        missing: Vec::new(),
    };
    let name = c.required(&a.name, "Profile name", "--name");
    let provider = match c.preset(a.preset) {
        Some(PresetArg::Auth0) => ProviderInput::Auth0 {
            domain: c.required(&a.domain, "Auth0 domain (acme.eu.auth0.com)", "--domain"),
            audience: a.audience.clone(),
        },
        Some(PresetArg::Cognito) => ProviderInput::Cognito {
            pool_region: c.required(&a.pool_region, "User pool region (eu-west-1)", "--pool-region"),
            user_pool_id: c.required(&a.user_pool_id, "User pool ID (eu-west-1_AbC123)", "--user-pool-id"),
        },
        Some(PresetArg::Keycloak) => ProviderInput::Keycloak {
            base_url: c.required(&a.base_url, "Keycloak base URL (https://sso.example.com)", "--base-url"),
            realm: c.required(&a.realm, "Realm", "--realm"),
        },
        Some(PresetArg::Okta) => ProviderInput::Okta {
            org_url: c.required(&a.org_url, "Okta org URL (https://acme.okta.com)", "--org-url"),
            authorization_server: a.authorization_server.clone(),
        },
        Some(PresetArg::Entra) => ProviderInput::Entra {
            tenant_id: c.required(&a.tenant_id, "Directory (tenant) ID", "--tenant-id"),
        },
        Some(PresetArg::Generic) | None => ProviderInput::Generic {
            issuer: if a.preset.is_none() && c.missing.contains(&"--preset") {
                String::new()
            } else {
                c.required(&a.issuer, "Issuer (exactly as in the ID token's iss)", "--issuer")
            },
            scopes: a
                .scopes
                .as_ref()
                .map(|s| s.split_whitespace().map(str::to_string).collect()),
        },
    };
    let client_id = c.required(&a.client_id, "Client ID", "--client-id");
    let default_provider = provider
        .issuer()
        .ok()
        .map(|i| kura_core::config::identity_pool::provider_name(&i));
    let creds = c.credentials(&a, default_provider);
    let bucket = c.required(&a.bucket, "Bucket", "--bucket");
    let default_region = match &provider {
        ProviderInput::Cognito { pool_region, .. } if !pool_region.is_empty() => pool_region.clone(),
        _ => "us-east-1".to_string(),
    };
    let region = match &a.region {
        Some(r) => r.clone(),
        None => c
            .prompt
            .ask(&format!("Bucket region [{default_region}]"))
            .filter(|r| !r.is_empty())
            .unwrap_or(default_region),
    };
    if !c.missing.is_empty() {
        return Err(config_error(
            path,
            (!name.is_empty()).then_some(name.as_str()),
            None,
            format!(
                "missing values: {} (pass them as flags, or answer the questions on a terminal)",
                c.missing.join(", ")
            ),
        )
        .into());
    }
    let draft = ProfileDraft {
        name: name.clone(),
        provider,
        client_id,
        redirect_uri: a.redirect_uri.clone().unwrap_or_default(),
        loopback_port: a.loopback_port,
        credentials: creds.source,
        role_arn: creds.role_arn,
        identity_pool_id: creds.identity_pool_id,
        identity_provider: creds.identity_provider,
        cognito_flow: creds.cognito_flow,
        cognito_endpoint: a.cognito_endpoint.clone().unwrap_or_default(),
        bucket,
        region,
        prefix: a.prefix.clone().unwrap_or_else(|| match creds.source {
            CredentialSource::Role => DEFAULT_PREFIX.to_string(),
            CredentialSource::IdentityPool => POOL_PREFIX.to_string(),
        }),
        s3_endpoint: a.s3_endpoint.clone().unwrap_or_default(),
        sts_endpoint: a.sts_endpoint.clone().unwrap_or_default(),
        force_path_style: a.path_style,
    };
    let issues = draft.validate(&taken, None);
    if !issues.is_empty() {
        return Err(issues_error(path, &name, &issues).into());
    }
    let issuer = draft.provider.issuer().map_err(|i| issues_error(path, &name, &i))?;
    if a.check {
        let report = check_provider(&issuer, &draft.provider.scopes()).await;
        for f in &report.findings {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            eprintln!("check: {level}: {}", f.message);
        }
        if !report.passed() {
            return Err(config_error(
                path,
                Some(&name),
                Some("issuer"),
                format!("the provider check of {issuer} failed; nothing was saved"),
            )
            .into());
        }
        eprintln!("check: {issuer} is ready for Kura");
    }
    let keys = draft.to_keys().map_err(|i| issues_error(path, &name, &i))?;
    file.set_profile(&name, &keys)?;
    if a.default {
        file.set_default(&name)?;
    } else {
        keep_default(&mut file, &taken, &name)?;
    }
    file.save()?;
    println!("Saved profile {name:?} in {}.", path.display());
    if let Some(d) = file.default_profile() {
        println!("Default profile: {d}");
    }
    print_callbacks(&draft.callback_urls());
    println!("What to register in IAM: kura profile show {name} --policies");
    Ok(())
}
