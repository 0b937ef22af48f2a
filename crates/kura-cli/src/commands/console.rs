//! `kura console`: the AWS console, signed in with the session's temporary credentials.

use std::sync::Arc;

use kura_core::console;
use kura_core::session::Session;

/// Makes a console sign-in URL ([`console::signin_url`]) and opens it in the browser, or with
/// `print` writes it to stdout (a secret valid for 15 minutes; the warning goes to stderr).
pub(super) async fn console(session: &Arc<Session>, print: bool, destination: Option<&str>) -> anyhow::Result<()> {
    let destination = destination
        .map(|d| console::destination(d).map_err(kura_core::Error::from))
        .transpose()?;
    let url = console::signin_url(session, destination.as_ref()).await?;
    let minutes = console::SIGNIN_URL_LIFETIME.as_secs() / 60;
    if print {
        println!("{}", url.expose());
        eprintln!(
            "note: this URL signs anyone who has it in to the AWS console as you; it works once, within {minutes} minutes: do not share it"
        );
        return Ok(());
    }
    kura_core::browser::open(url.expose()).map_err(|e| {
        anyhow::anyhow!("cannot start the browser ({e}): run `kura console --print` and open the URL yourself")
    })?;
    eprintln!("Opened the AWS console in your browser (the sign-in link works for {minutes} minutes).");
    Ok(())
}
