//! A one-shot loopback redirect listener for native apps (RFC 8252 §7.3): binds
//! `127.0.0.1:<port>` (a random one, or the fixed port a provider with exact port matching has
//! registered, e.g. Auth0 and Okta), waits for `GET /callback?...`, hands the URL to the caller's
//! completion step, and answers the browser with a small "you can close this tab" page.
//! Other requests (e.g. `/favicon.ico`) get 404 and the listener keeps waiting.
//!
//! A `localhost` redirect (`http://localhost:<port>/callback`, for Amazon Cognito, which takes
//! plain http only on that name) binds `127.0.0.1:<port>` and also `[::1]:<port>` when IPv6
//! loopback is available, because a browser may resolve `localhost` to either (RFC 8252 §7.3
//! and §8.3); the callback is accepted on both.

use std::future::Future;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

use crate::config::LoopbackHost;
use crate::error::{Error, LoginFailure, Result};

const MAX_HEAD_BYTES: usize = 16 * 1024;
const CALLBACK_PATH: &str = "/callback";
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

    /// Waits up to `timeout` for the callback, runs `complete` on its URL and answers the browser
    /// with success or the error's message. Errors: `auth.timeout`, or whatever `complete` returns.
    pub async fn receive<T, F, Fut>(self, timeout: Duration, complete: F) -> Result<T>
    where
        F: FnOnce(Url) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let deadline = tokio::time::Instant::now() + timeout;
        let base = Url::parse(&self.redirect_uri).expect("valid loopback URL");
        loop {
            let accepted = tokio::time::timeout_at(deadline, self.accept()).await;
            let mut stream = match accepted {
                Err(_) => {
                    return Err(Error::login(
                        LoginFailure::Timeout,
                        format!("no callback within {} s; run the sign-in again", timeout.as_secs()),
                    ))
                }
                Ok(Err(e)) => return Err(Error::io("accepting the browser's connection", e)),
                Ok(Ok(s)) => s,
            };
            let target = match tokio::time::timeout(Duration::from_secs(10), read_target(&mut stream)).await {
                Ok(Some(t)) => t,
                _ => {
                    let _ = respond(&mut stream, 400, "Bad request").await;
                    continue;
                }
            };
            if target.split('?').next() != Some(CALLBACK_PATH) {
                let _ = respond(&mut stream, 404, "Not found").await;
                continue;
            }
            let Ok(url) = base.join(&target) else {
                let _ = respond(&mut stream, 400, "Bad request").await;
                continue;
            };
            let result = complete(url).await;
            let page = match &result {
                Ok(_) => page("Signed in to Kura", "You can close this tab and return to Kura."),
                Err(e) => page("Kura sign-in failed", &e.to_string()),
            };
            let status = if result.is_ok() { 200 } else { 400 };
            let _ = respond(&mut stream, status, &page).await;
            return result;
        }
    }
}

/// Reads the request head and returns the request target of a `GET`.
async fn read_target(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() + n > MAX_HEAD_BYTES {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = std::str::from_utf8(&buf).ok()?;
    let mut parts = head.lines().next()?.split(' ');
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(target)) if target.starts_with('/') => Some(target.to_string()),
        _ => None,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body style=\"font-family:sans-serif;margin:3em\"><h1>{t}</h1><p>{b}</p></body></html>",
        t = escape(title),
        b = escape(body)
    )
}

async fn respond(stream: &mut TcpStream, status: u16, body: &str) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let content_type = if body.starts_with("<!doctype") {
        "text/html; charset=utf-8"
    } else {
        "text/plain"
    };
    let msg = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(msg.as_bytes()).await?;
    stream.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    async fn get(addr: &str, path: &str) -> String {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    }

    #[tokio::test]
    async fn ignores_other_paths_and_hands_over_the_callback() {
        let l = LoopbackListener::bind().await.unwrap();
        let uri = l.redirect_uri().to_string();
        assert!(uri.starts_with("http://127.0.0.1:") && uri.ends_with("/callback"));
        let addr = uri
            .trim_start_matches("http://")
            .trim_end_matches("/callback")
            .to_string();
        let server = tokio::spawn(l.receive(Duration::from_secs(5), |url| async move { Ok(url) }));
        assert!(get(&addr, "/favicon.ico").await.starts_with("HTTP/1.1 404"));
        let page = get(&addr, "/callback?code=abc&state=xyz").await;
        assert!(
            page.starts_with("HTTP/1.1 200") && page.contains("close this tab"),
            "{page}"
        );
        let url = server.await.unwrap().unwrap();
        assert_eq!(url.query(), Some("code=abc&state=xyz"));
    }

    #[tokio::test]
    async fn binds_the_fixed_port_or_says_it_is_taken() {
        let probe = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = probe.local_addr().unwrap().port();
        drop(probe);
        let l = LoopbackListener::bind_port(Some(port)).await.unwrap();
        assert_eq!(l.redirect_uri(), format!("http://127.0.0.1:{port}/callback"));

        let err = LoopbackListener::bind_port(Some(port)).await.unwrap_err();
        assert_eq!(err.code(), "auth.loopback_port_in_use");
        assert!(err.to_string().contains(&format!("port {port} ")), "{err}");
        drop(l);
        // Free again: the same port binds.
        LoopbackListener::bind_port(Some(port)).await.unwrap();
    }

    fn ip6_available() -> bool {
        std::net::TcpListener::bind(("::1", 0)).is_ok()
    }

    fn port_of(uri: &str) -> u16 {
        Url::parse(uri).unwrap().port().unwrap()
    }

    /// A `localhost` listener takes the callback on 127.0.0.1 and, where IPv6 loopback exists,
    /// on [::1] (a browser may resolve `localhost` to either).
    #[tokio::test]
    async fn a_localhost_listener_takes_the_callback_on_ip4_and_ip6() {
        let mut addresses = vec!["127.0.0.1"];
        if ip6_available() {
            addresses.push("[::1]");
        }
        for address in addresses {
            let l = LoopbackListener::bind_host(LoopbackHost::Localhost, None)
                .await
                .unwrap();
            let uri = l.redirect_uri().to_string();
            assert!(
                uri.starts_with("http://localhost:") && uri.ends_with("/callback"),
                "{uri}"
            );
            assert_eq!(l.listens_on_ip6(), ip6_available());
            let addr = format!("{address}:{}", port_of(&uri));
            let server = tokio::spawn(l.receive(Duration::from_secs(5), |url| async move { Ok(url) }));
            assert!(get(&addr, "/favicon.ico").await.starts_with("HTTP/1.1 404"), "{addr}");
            let page = get(&addr, "/callback?code=abc&state=xyz").await;
            assert!(page.starts_with("HTTP/1.1 200"), "{addr}: {page}");
            let url = server.await.unwrap().unwrap();
            assert_eq!(url.as_str(), format!("{uri}?code=abc&state=xyz"), "{addr}");
        }
    }

    #[tokio::test]
    async fn a_localhost_listener_binds_the_fixed_port_or_says_it_is_taken() {
        let probe = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = probe.local_addr().unwrap().port();
        drop(probe);
        let l = LoopbackListener::bind_host(LoopbackHost::Localhost, Some(port))
            .await
            .unwrap();
        assert_eq!(l.redirect_uri(), format!("http://localhost:{port}/callback"));
        let err = LoopbackListener::bind_host(LoopbackHost::Localhost, Some(port))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "auth.loopback_port_in_use");
        assert!(err.to_string().contains(&format!("port {port} on localhost ")), "{err}");
        assert!(
            err.to_string().contains(&format!("http://localhost:{port}/callback")),
            "{err}"
        );
        drop(l);

        // Another program on [::1]:PORT would get the callbacks of browsers preferring IPv6.
        if ip6_available() {
            let held = std::net::TcpListener::bind(("::1", port)).unwrap();
            let err = LoopbackListener::bind_host(LoopbackHost::Localhost, Some(port))
                .await
                .unwrap_err();
            assert_eq!(err.code(), "auth.loopback_port_in_use");
            drop(held);
        }
        LoopbackListener::bind_host(LoopbackHost::Localhost, Some(port))
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn times_out() {
        let l = LoopbackListener::bind().await.unwrap();
        let err = l
            .receive(Duration::from_millis(50), |u| async move { Ok(u) })
            .await
            .unwrap_err();
        assert_eq!(err.code(), "auth.timeout");
    }
}
