//! `kura profile add`: a profile from a provider preset, from flags and answers.

use std::path::Path;

use kura_core::config::edit::ConfigFile;
use kura_core::setup::preset::DEFAULT_PREFIX;
use kura_core::setup::{check_provider, FieldIssue, ProfileDraft, ProviderInput, Severity};
use kura_core::Error;

use super::profile::{config_error, keep_default, print_callbacks};
use super::profile_prompt::Prompt;
use crate::cli::{AddArgs, PresetArg};

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

pub async fn add(path: &Path, a: AddArgs) -> anyhow::Result<()> {
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
    let role_arn = c.required(&a.role_arn, "IAM role ARN", "--role-arn");
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
        role_arn,
        bucket,
        region,
        prefix: a.prefix.clone().unwrap_or_else(|| DEFAULT_PREFIX.to_string()),
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
    println!("The IAM policies for the role: kura profile show {name} --policies");
    Ok(())
}
