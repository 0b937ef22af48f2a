//! A one-shot loopback redirect listener for native apps (RFC 8252 §7.3): binds
//! `127.0.0.1:<port>` (a random one, or the fixed port a provider with exact port matching has
//! registered, e.g. Auth0 and Okta), waits for the pending login's `GET /callback?...`, hands
//! the URL to the caller's completion step, and answers the browser with a small "you can close
//! this tab" page. Any other local process may connect to the port too (RFC 8252 §8.3): its
//! requests — a forged callback without the login's `state`, other paths (`/favicon.ico`: 404),
//! garbage, connections that send nothing or send slowly — are answered or dropped and never end
//! or hold back the sign-in ([`LoopbackListener::receive`]).
//!
//! A `localhost` redirect (`http://localhost:<port>/callback`, for Amazon Cognito, which takes
//! plain http only on that name) binds `127.0.0.1:<port>` and also `[::1]:<port>` when IPv6
//! loopback is available, because a browser may resolve `localhost` to either (RFC 8252 §7.3
//! and §8.3); the callback is accepted on both.

mod http;

use std::collections::VecDeque;
use std::future::Future;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinSet};
use url::Url;

use super::callback::LOGIN_LIFETIME;
use super::login::PendingLogin;
use crate::config::LoopbackHost;
use crate::error::{Error, ErrorCode, LoginFailure, Result};

const CALLBACK_PATH: &str = "/callback";
/// How long a connection may take to send its request head.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections read at once; a new one beyond this drops the oldest still unread.
pub const MAX_OPEN_CONNECTIONS: usize = 32;
/// Random ports tried for a `localhost` listener whose port is free on 127.0.0.1 but not on [::1].
const RANDOM_PORT_TRIES: usize = 8;

/// A bound loopback listener.
#[derive(Debug)]
pub struct LoopbackListener {
    ip4: TcpListener,
    /// `[::1]` on the same port, for a `localhost` redirect when IPv6 loopback is available.
    ip6: Option<TcpListener>,
    redirect_uri: String,
}

impl LoopbackListener {
    /// Binds `127.0.0.1` on a port chosen by the OS. Errors: [`Error::Io`].
    pub async fn bind() -> Result<LoopbackListener> {
        Self::bind_port(None).await
    }

    /// Binds `127.0.0.1:port`, or a port chosen by the OS for `None` (see
    /// [`crate::config::Profile::cli_redirect`]). A fixed port is exactly that port, since the
    /// provider compares it with the registered redirect URI. Same as
    /// [`bind_host`](Self::bind_host) with [`LoopbackHost::Ip4`].
    /// Errors: [`Error::LoopbackPortInUse`] (`auth.loopback_port_in_use`) when another program
    /// holds the port; [`Error::Io`] otherwise.
    pub async fn bind_port(port: Option<u16>) -> Result<LoopbackListener> {
        Self::bind_host(LoopbackHost::Ip4, port).await
    }

    /// Binds the listener for a loopback redirect `http://HOST[:port]/callback` (the `host` and
    /// `port` of [`crate::config::Redirect::Loopback`]); `None` = a port chosen by the OS.
    /// - [`LoopbackHost::Ip4`]: `127.0.0.1:port`; [`redirect_uri`](Self::redirect_uri) is
    ///   `http://127.0.0.1:PORT/callback`.
    /// - [`LoopbackHost::Localhost`]: `127.0.0.1:port` and, when IPv6 loopback is available,
    ///   `[::1]` on the same port (a random port is retried until both are free);
    ///   [`redirect_uri`](Self::redirect_uri) is `http://localhost:PORT/callback`.
    ///
    /// Errors: [`Error::LoopbackPortInUse`] (`auth.loopback_port_in_use`) when another program
    /// holds the fixed port (on either address); [`Error::Io`] otherwise.
    pub async fn bind_host(host: LoopbackHost, port: Option<u16>) -> Result<LoopbackListener> {
        let in_use = |port| Error::LoopbackPortInUse {
            host: host.as_str(),
            port,
        };
        let mut tries = 0;
        loop {
            let ip4 = TcpListener::bind((Ipv4Addr::LOCALHOST, port.unwrap_or(0)))
                .await
                .map_err(|e| match port {
                    Some(port) if e.kind() == std::io::ErrorKind::AddrInUse => in_use(port),
                    _ => Error::io("binding the loopback redirect listener on 127.0.0.1", e),
                })?;
            let bound = ip4
                .local_addr()
                .map_err(|e| Error::io("loopback listener address", e))?
                .port();
            let redirect_uri = format!("http://{}:{bound}{CALLBACK_PATH}", host.as_str());
            if host == LoopbackHost::Ip4 {
                return Ok(LoopbackListener {
                    ip4,
                    ip6: None,
                    redirect_uri,
                });
            }
            let ip6 = match TcpListener::bind((Ipv6Addr::LOCALHOST, bound)).await {
                Ok(l) => Some(l),
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                    if let Some(port) = port {
                        return Err(in_use(port));
                    }
                    tries += 1;
                    if tries < RANDOM_PORT_TRIES {
                        continue; // another random port
                    }
                    return Err(Error::io("binding the loopback redirect listener on [::1]", e));
                }
                Err(e) => {
                    // No IPv6 loopback here (EADDRNOTAVAIL, EAFNOSUPPORT): 127.0.0.1 only.
                    tracing::debug!("IPv6 loopback unavailable, listening on 127.0.0.1 only: {e}");
                    None
                }
            };
            return Ok(LoopbackListener { ip4, ip6, redirect_uri });
        }
    }

    /// `http://127.0.0.1:<port>/callback`, or `http://localhost:<port>/callback` for a
    /// [`LoopbackHost::Localhost`] listener.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// True when the listener also answers on `[::1]` (a `localhost` listener where IPv6
    /// loopback is available).
    pub fn listens_on_ip6(&self) -> bool {
        self.ip6.is_some()
    }

    /// The next connection on either address.
    async fn accept(&self) -> std::io::Result<TcpStream> {
        match &self.ip6 {
            None => self.ip4.accept().await.map(|(s, _)| s),
            // Both accepts are cancel-safe: the one that loses keeps no connection.
            Some(ip6) => tokio::select! {
                r = self.ip4.accept() => r.map(|(s, _)| s),
                r = ip6.accept() => r.map(|(s, _)| s),
            },
        }
    }

    /// Waits up to `timeout` for `pending`'s callback, runs `complete` on it and answers the
    /// browser with success or the error's message.
    ///
    /// Only the callback [`PendingLogin::accepts`] ends the wait: a request with a wrong or
    /// missing `state`, a repeated parameter, another path or method, garbage, or a connection
    /// that sends nothing is answered (or dropped) and the listener keeps waiting. Connections
    /// are read concurrently, each for at most [`READ_TIMEOUT`], and at most
    /// [`MAX_OPEN_CONNECTIONS`] at once (a new one drops the oldest still unread), so slow or
    /// silent connections cannot hold the real callback back.
    ///
    /// Errors: `auth.timeout` when `timeout` passes, or when the login expires
    /// ([`crate::oidc::callback::LOGIN_LIFETIME`]) first, naming what was refused meanwhile;
    /// otherwise whatever `complete` returns.
    pub async fn receive<T, F, Fut>(self, timeout: Duration, pending: PendingLogin, complete: F) -> Result<T>
    where
        F: FnOnce(PendingLogin, Url) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let base = Url::parse(&self.redirect_uri).expect("valid loopback URL");
        let wait_until = tokio::time::Instant::now() + timeout;
        let expires = tokio::time::Instant::from_std(pending.expires_at());
        let mut reading: JoinSet<Option<(TcpStream, Url)>> = JoinSet::new();
        let mut open: VecDeque<AbortHandle> = VecDeque::new();
        let mut refused = Refused::default();
        let (stream, url) = loop {
            tokio::select! {
                _ = tokio::time::sleep_until(wait_until.min(expires)) => {
                    let why = if expires <= wait_until {
                        format!("this sign-in expired: no callback within {} min", LOGIN_LIFETIME.as_secs() / 60)
                    } else {
                        format!("no callback within {} s", timeout.as_secs())
                    };
                    return Err(Error::login(
                        LoginFailure::Timeout,
                        format!("{why}{}; run the sign-in again", refused.summary()),
                    ));
                }
                accepted = self.accept() => match accepted {
                    Ok(stream) => {
                        open.retain(|h| !h.is_finished());
                        if open.len() >= MAX_OPEN_CONNECTIONS {
                            if let Some(oldest) = open.pop_front() {
                                oldest.abort();
                            }
                        }
                        open.push_back(reading.spawn(http::read_callback(stream, base.clone())));
                    }
                    Err(e) => {
                        // E.g. out of file descriptors: not the end of the sign-in.
                        tracing::debug!("accepting a loopback connection failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
                Some(done) = reading.join_next() => {
                    let Ok(Some((stream, url))) = done else { continue };
                    match pending.accepts(&url) {
                        Ok(()) => break (stream, url),
                        Err(e) => {
                            refused.note(&e);
                            let expired = e.code() == ErrorCode::AuthTimeout;
                            let page = http::page("This is not Kura's sign-in", &e.to_string());
                            tokio::spawn(http::respond(stream, 400, page));
                            if expired {
                                return Err(e);
                            }
                        }
                    }
                }
            }
        };
        drop(reading); // every other connection is closed
        let result = complete(pending, url).await;
        let page = match &result {
            Ok(_) => http::page("Signed in to Kura", "You can close this tab and return to Kura."),
            Err(e) => http::page("Kura sign-in failed", &e.to_string()),
        };
        http::respond(stream, if result.is_ok() { 200 } else { 400 }, page).await;
        result
    }
}

/// Callbacks refused while waiting, for the timeout's message.
#[derive(Default)]
struct Refused {
    state: usize,
    other: usize,
}

impl Refused {
    fn note(&mut self, e: &Error) {
        if e.code() == ErrorCode::AuthStateMismatch {
            self.state += 1;
        } else {
            self.other += 1;
        }
    }

    fn summary(&self) -> String {
        let mut parts = vec![];
        if self.state > 0 {
            parts.push(format!("{} with a wrong or missing `state`", self.state));
        }
        if self.other > 0 {
            parts.push(format!("{} malformed", self.other));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(" (callbacks refused meanwhile: {})", parts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests;
