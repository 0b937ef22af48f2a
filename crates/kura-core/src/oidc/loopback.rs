//! A one-shot loopback redirect listener for native apps (RFC 8252 §7.3): binds
//! `127.0.0.1:<port>` (a random one, or the fixed port a provider with exact port matching has
//! registered, e.g. Auth0 and Okta), waits for `GET /callback?...`, hands the URL to the caller's
//! completion step, and answers the browser with a small "you can close this tab" page.
//! Other requests (e.g. `/favicon.ico`) get 404 and the listener keeps waiting.

use std::future::Future;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

use crate::error::{Error, LoginFailure, Result};

const MAX_HEAD_BYTES: usize = 16 * 1024;
const CALLBACK_PATH: &str = "/callback";

/// A bound loopback listener.
#[derive(Debug)]
pub struct LoopbackListener {
    listener: TcpListener,
    redirect_uri: String,
}

impl LoopbackListener {
    /// Binds `127.0.0.1` on a port chosen by the OS. Errors: [`Error::Io`].
    pub async fn bind() -> Result<LoopbackListener> {
        Self::bind_port(None).await
    }

    /// Binds `127.0.0.1:port`, or a port chosen by the OS for `None` (see
    /// [`crate::config::Profile::cli_redirect`]). A fixed port is exactly that port, since the
    /// provider compares it with the registered redirect URI.
    /// Errors: [`Error::LoopbackPortInUse`] (`auth.loopback_port_in_use`) when another program
    /// holds the port; [`Error::Io`] otherwise.
    pub async fn bind_port(port: Option<u16>) -> Result<LoopbackListener> {
        let listener = TcpListener::bind(("127.0.0.1", port.unwrap_or(0)))
            .await
            .map_err(|e| match port {
                Some(port) if e.kind() == std::io::ErrorKind::AddrInUse => Error::LoopbackPortInUse { port },
                _ => Error::io("binding the loopback redirect listener on 127.0.0.1", e),
            })?;
        let port = listener
            .local_addr()
            .map_err(|e| Error::io("loopback listener address", e))?
            .port();
        Ok(LoopbackListener {
            listener,
            redirect_uri: format!("http://127.0.0.1:{port}{CALLBACK_PATH}"),
        })
    }

    /// `http://127.0.0.1:<port>/callback`.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
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
            let accepted = tokio::time::timeout_at(deadline, self.listener.accept()).await;
            let (mut stream, _) = match accepted {
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
