//! Which URL is the callback of a pending login (RFC 6749 §4.1.2 and §10.12, RFC 8252 §8.9,
//! RFC 9700 §4.7): the one front-end-independent decision the loopback listener and the
//! desktop's deep-link handler both make before a login may end.
//!
//! A URL is accepted when it is for the login's redirect URI (scheme, host, port, path), repeats
//! no parameter (RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than
//! once"), carries exactly the login's `state`, and the login is younger than
//! [`LOGIN_LIFETIME`]. Anything else is refused without touching the login, so a local process
//! that guesses the port or fires a deep link cannot end or break a sign-in.

use std::time::{Duration, Instant};

use url::Url;

use super::login::PendingLogin;
use crate::error::{Error, LoginFailure, Result};

/// How long a login waits for its callback: 10 minutes, as long as an authorization code may
/// live (RFC 6749 §4.1.2 recommends at most 10 minutes). Enforced here, whatever the front end's
/// own wait (the CLI's `--timeout`, the desktop's 5 minutes).
pub const LOGIN_LIFETIME: Duration = Duration::from_secs(10 * 60);

/// The longest `error`/`error_description` text shown from a callback.
const MAX_SHOWN: usize = 300;

impl PendingLogin {
    /// When this login stops accepting callbacks ([`LOGIN_LIFETIME`] after it started).
    pub fn expires_at(&self) -> Instant {
        self.started + LOGIN_LIFETIME
    }

    /// Whether `url` is this login's callback (see the module docs). Errors, all leaving the
    /// login as it was: `auth.bad_callback` (another redirect URI, a repeated parameter),
    /// `auth.state_mismatch` (`state` missing or not this login's), `auth.timeout` (the login is
    /// older than [`LOGIN_LIFETIME`]). Messages never quote the URL's query.
    pub fn accepts(&self, url: &Url) -> Result<()> {
        if !self.matches_redirect(url) {
            return Err(Error::login(
                LoginFailure::BadCallback,
                format!("the link is not a callback for {}", self.redirect_uri()),
            ));
        }
        let mut names: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        names.sort();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(Error::login(
                LoginFailure::BadCallback,
                format!(
                    "the callback repeats the parameter `{}` (RFC 6749 §3.1: parameters must not be included more than once)",
                    shown(&w[0])
                ),
            ));
        }
        if !self.matches_state(url) {
            return Err(Error::login(
                LoginFailure::StateMismatch,
                "the callback's `state` is missing or does not match this sign-in (a stale or forged callback)",
            ));
        }
        if Instant::now() >= self.expires_at() {
            return Err(Error::login(
                LoginFailure::Timeout,
                format!(
                    "this sign-in started more than {} min ago and has expired; start the sign-in again",
                    LOGIN_LIFETIME.as_secs() / 60
                ),
            ));
        }
        Ok(())
    }
}

/// Why a link was not handed to the login waiting in a slot ([`take_accepted`]).
#[derive(Debug)]
pub enum Ignored {
    /// No login is waiting (none was started, or its callback already came: a replay).
    NoPendingLogin,
    /// A login is waiting and stays waiting: the link is not its callback
    /// ([`PendingLogin::accepts`]'s error).
    Refused(Error),
}

/// Hands the login waiting in `slot` to `url` when it is its callback, leaving the slot empty so
/// that the same link again (or any later one) finds nothing; any other link leaves the login
/// waiting. For front ends that receive callbacks from outside, e.g. the desktop's deep links.
pub fn take_accepted<P: AsRef<PendingLogin>>(slot: &mut Option<P>, url: &Url) -> std::result::Result<P, Ignored> {
    let Some(pending) = slot.as_ref() else {
        return Err(Ignored::NoPendingLogin);
    };
    pending.as_ref().accepts(url).map_err(Ignored::Refused)?;
    slot.take().ok_or(Ignored::NoPendingLogin)
}

impl AsRef<PendingLogin> for PendingLogin {
    fn as_ref(&self) -> &PendingLogin {
        self
    }
}

/// A callback's `error`, `error_description` or parameter name made safe to show in a page, a
/// terminal or the UI: only the characters RFC 6749 §4.1.2.1 allows there (printable ASCII but
/// `"` and `\`; anything else becomes `?`, so no control, escape or bidi character survives),
/// at most [`MAX_SHOWN`] characters.
pub(crate) fn shown(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(MAX_SHOWN)
        .map(|c| match c {
            '"' | '\\' => '?',
            ' '..='~' => c,
            _ => '?',
        })
        .collect();
    if s.chars().count() > MAX_SHOWN {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    const REDIRECT: &str = "http://127.0.0.1:4711/callback";
    const STATE: &str = "s7a7e-0f-this-login";

    fn pending(redirect: &str) -> PendingLogin {
        PendingLogin::for_test(redirect, STATE, Instant::now())
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn refusal(p: &PendingLogin, u: &str) -> crate::ErrorCode {
        p.accepts(&url(u)).unwrap_err().code()
    }

    #[test]
    fn only_the_logins_own_callback_is_accepted() {
        let p = pending(REDIRECT);
        p.accepts(&url(&format!("{REDIRECT}?code=c&state={STATE}"))).unwrap();
        p.accepts(&url(&format!("{REDIRECT}?state={STATE}&error=access_denied")))
            .unwrap();
        assert_eq!(
            refusal(&p, &format!("{REDIRECT}?code=c&state=forged")),
            "auth.state_mismatch"
        );
        assert_eq!(refusal(&p, &format!("{REDIRECT}?code=c")), "auth.state_mismatch");
        assert_eq!(refusal(&p, &format!("{REDIRECT}?code=c&state=")), "auth.state_mismatch");
        // A prefix or an extension of the state is not the state.
        assert_eq!(
            refusal(&p, &format!("{REDIRECT}?code=c&state={}", &STATE[..5])),
            "auth.state_mismatch"
        );
        assert_eq!(
            refusal(&p, &format!("{REDIRECT}?code=c&state={STATE}x")),
            "auth.state_mismatch"
        );
        assert_eq!(
            refusal(&p, &format!("http://127.0.0.1:4712/callback?code=c&state={STATE}")),
            "auth.bad_callback"
        );
        assert_eq!(
            refusal(&p, &format!("http://127.0.0.1:4711/other?code=c&state={STATE}")),
            "auth.bad_callback"
        );
    }

    #[test]
    fn repeated_parameters_are_refused() {
        let p = pending(REDIRECT);
        for u in [
            format!("{REDIRECT}?code=c&state={STATE}&state={STATE}"),
            format!("{REDIRECT}?code=c&state={STATE}&state=other"),
            format!("{REDIRECT}?state=other&code=c&state={STATE}"),
            format!("{REDIRECT}?code=c&code=d&state={STATE}"),
            format!("{REDIRECT}?code=c&state={STATE}&iss=a&iss=b"),
            format!("{REDIRECT}?error=access_denied&state={STATE}&error=x"),
        ] {
            let err = p.accepts(&url(&u)).unwrap_err();
            assert_eq!(err.code(), "auth.bad_callback", "{u}");
            assert!(err.to_string().contains("repeats the parameter"), "{err}");
        }
    }

    #[test]
    fn a_login_expires_after_its_lifetime() {
        let Some(started) = Instant::now().checked_sub(LOGIN_LIFETIME + Duration::from_secs(1)) else {
            return; // the machine booted less than the lifetime ago: Instant cannot go back that far
        };
        let p = PendingLogin::for_test(REDIRECT, STATE, started);
        let err = p
            .accepts(&url(&format!("{REDIRECT}?code=c&state={STATE}")))
            .unwrap_err();
        assert_eq!(err.code(), "auth.timeout");
        assert!(err.to_string().contains("expired"), "{err}");
        // Forged links still say what they are.
        assert_eq!(
            refusal(&p, &format!("{REDIRECT}?code=c&state=x")),
            "auth.state_mismatch"
        );
        let minute_ago = Instant::now()
            .checked_sub(Duration::from_secs(60))
            .unwrap_or_else(Instant::now);
        let fresh = PendingLogin::for_test(REDIRECT, STATE, minute_ago);
        fresh
            .accepts(&url(&format!("{REDIRECT}?code=c&state={STATE}")))
            .unwrap();
    }

    /// The desktop's deep-link handler: what it does with each link that reaches the app.
    #[test]
    fn deep_links_other_than_the_callback_leave_the_login_waiting() {
        let redirect = "app.kura.desktop:/callback";
        let mut slot = None::<PendingLogin>;
        let callback = url(&format!("{redirect}?code=c&state={STATE}"));
        assert!(matches!(
            take_accepted(&mut slot, &callback),
            Err(Ignored::NoPendingLogin)
        ));

        slot = Some(pending(redirect));
        for link in [
            format!("{redirect}?code=c&state=wrong"),
            format!("{redirect}?code=c"),
            format!("{redirect}?code=c&state={STATE}&state={STATE}"),
            format!("app.other.tool:/callback?code=c&state={STATE}"),
            format!("file:///home/alice/.ssh/id_ed25519?code=c&state={STATE}"),
            format!("https://127.0.0.1/callback?code=c&state={STATE}"),
            format!("app.kura.desktop:/elsewhere?code=c&state={STATE}"),
            "app.kura.desktop:/callback".to_string(),
        ] {
            match take_accepted(&mut slot, &url(&link)) {
                Err(Ignored::Refused(e)) => {
                    assert!(
                        matches!(e.code(), ErrorCode::AuthBadCallback | ErrorCode::AuthStateMismatch),
                        "{link}: {e}"
                    )
                }
                other => panic!("{link}: {other:?}"),
            }
            assert!(slot.is_some(), "{link} must not cancel the waiting login");
        }

        let taken = take_accepted(&mut slot, &callback).unwrap();
        assert_eq!(taken.redirect_uri().as_str(), redirect);
        assert!(slot.is_none());
        // A replay of the used link finds nothing; nor does it fit the next login's state.
        assert!(matches!(
            take_accepted(&mut slot, &callback),
            Err(Ignored::NoPendingLogin)
        ));
        slot = Some(PendingLogin::for_test(redirect, "the-next-login", Instant::now()));
        assert!(matches!(take_accepted(&mut slot, &callback), Err(Ignored::Refused(_))));
        assert!(slot.is_some());
    }

    #[test]
    fn shown_text_keeps_only_what_rfc_6749_allows() {
        assert_eq!(shown("access_denied"), "access_denied");
        assert_eq!(shown("User said no."), "User said no.");
        assert_eq!(shown("a\u{1b}[31mred\u{202e}txt\"\\\n"), "a?[31mred?txt???");
        let long = "x".repeat(MAX_SHOWN + 10);
        assert_eq!(shown(&long).len(), MAX_SHOWN + 3);
    }
}
