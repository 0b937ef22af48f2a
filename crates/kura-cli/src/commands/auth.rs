//! `login`, `logout`, `whoami`, `credential-process`.

use std::time::Duration;

use kura_core::config::Redirect;
use kura_core::oidc::loopback::LoopbackListener;
use kura_core::secrecy::ExposeSecret;
use kura_core::session::Session;
use kura_core::Error;

use crate::output::{relative, rfc3339};

pub(super) async fn login(session: &Session, device: bool, no_browser: bool, timeout: u64) -> anyhow::Result<()> {
    let provider = session.provider().await?;
    let tokens = if device {
        provider
            .device_login(|p| {
                eprintln!(
                    "To sign in, open {} and enter the code {}",
                    p.verification_uri, p.user_code
                );
                if let Some(c) = &p.verification_uri_complete {
                    eprintln!("or open {c}");
                }
                eprintln!("(the code expires in {} min)", p.expires_in / 60);
            })
            .await?
    } else {
        // Before any browser opens: a taken fixed port fails here (auth.loopback_port_in_use).
        let (host, port) = match session.profile().cli_redirect() {
            Redirect::Loopback { host, port } => (host, port),
            Redirect::AppScheme(_) => Default::default(), // cli_redirect() is always loopback
        };
        let listener = LoopbackListener::bind_host(host, port).await?;
        let (url, pending) = provider.start_login(listener.redirect_uri())?;
        if no_browser {
            eprintln!("Open this URL in a browser on this machine to sign in:\n{url}");
        } else if let Err(e) = kura_core::browser::open(url.as_str()) {
            eprintln!("Could not open a browser ({e}). Open this URL to sign in:\n{url}");
        } else {
            eprintln!("Your browser has been opened to sign in. Waiting for it… (or open {url})");
        }
        listener
            .receive(Duration::from_secs(timeout), pending, |pending, callback| async move {
                provider.complete_login(pending, &callback).await
            })
            .await?
    };
    let status = session.sign_in(tokens).await?;
    match &status.prefix {
        Some(prefix) => println!(
            "Signed in as {} ({}). Your folder: s3://{}/{prefix}",
            status.identity.label(),
            status.identity.sub,
            status.bucket,
        ),
        None => println!(
            "Signed in as {} ({}). Your first location is unavailable for this user: see `kura whoami`.",
            status.identity.label(),
            status.identity.sub,
        ),
    }
    if let Some(exp) = status.credentials_expire_at {
        println!("Credentials expire {} ({})", rfc3339(exp), relative(exp));
    }
    Ok(())
}

pub(super) async fn logout(session: &Session) -> anyhow::Result<()> {
    if session.sign_out().await? {
        println!("Signed out of profile {:?}.", session.profile().name);
    } else {
        println!("Profile {:?} was not signed in.", session.profile().name);
    }
    Ok(())
}

pub(super) async fn whoami(session: &Session, json: bool) -> anyhow::Result<()> {
    let Some(s) = session.status().await? else {
        return Err(Error::NotSignedIn {
            profile: session.profile().name.clone(),
        }
        .into());
    };
    let locations = session.location_prefixes().await?;
    if json {
        let mut v = serde_json::to_value(&s)?;
        v["locations"] = locations
            .iter()
            .map(|(l, p)| match p {
                Ok(p) => serde_json::json!({"name": l.name, "template": l.prefix, "prefix": p.as_str()}),
                Err(e) => serde_json::json!({"name": l.name, "template": l.prefix,
                    "error": {"code": e.code(), "message": e.to_string()}}),
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!("profile:      {}", s.profile);
    println!("signed in as: {} (sub {})", s.identity.label(), s.identity.sub);
    println!("issuer:       {}", s.identity.issuer);
    if let (Some(id), Some(pool)) = (&s.identity_id, &session.profile().identity_pool) {
        println!("identity:     {id} (identity pool {})", pool.identity_pool_id);
    }
    match &s.prefix {
        Some(prefix) => println!("folder:       s3://{}/{prefix}", s.bucket),
        None => println!("folder:       unavailable (see the first location below)"),
    }
    for (l, p) in &locations {
        match p {
            Ok(p) => println!("location:     {}: s3://{}/{}", l.name, s.bucket, p.as_str()),
            Err(e) => println!("location:     {}: unavailable [{}] {e}", l.name, e.code()),
        }
    }
    match s.credentials_expire_at {
        Some(t) => println!("credentials:  expire {} ({})", rfc3339(t), relative(t)),
        None => println!("credentials:  none yet"),
    }
    println!(
        "ID token:     expires {} ({})",
        rfc3339(s.id_token_expires_at),
        relative(s.id_token_expires_at)
    );
    if !s.persistent {
        println!("warning:      no OS keychain; this session ends with this process");
    }
    Ok(())
}

/// Prints exactly the AWS CLI `credential_process` JSON (Version 1) on stdout.
pub(super) async fn credential_process(session: &Session) -> anyhow::Result<()> {
    let c = session.credentials().await?;
    let out = serde_json::json!({
        "Version": 1,
        "AccessKeyId": c.access_key_id,
        "SecretAccessKey": c.secret_access_key.expose_secret(),
        "SessionToken": c.session_token.expose_secret(),
        "Expiration": rfc3339(c.expiration),
    });
    println!("{out}");
    Ok(())
}
