//! The little HTTP/1.1 the loopback listener speaks: read one request head (bounded in size and
//! time), answer with a small page and close.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use url::Url;

use super::{CALLBACK_PATH, READ_TIMEOUT};

/// The largest request head read.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// How long writing an answer may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// Reads one request from `stream` (for at most [`READ_TIMEOUT`]) and returns it with its URL
/// (joined to `base`) when it is a `GET` of the callback path. Anything else is answered here
/// (400 for garbage or a timeout, 405 for another method, 404 for another path) and gives `None`.
pub(super) async fn read_callback(mut stream: TcpStream, base: Url) -> Option<(TcpStream, Url)> {
    let head = tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream))
        .await
        .ok()
        .flatten();
    let Some((method, target)) = head else {
        respond(stream, 400, "Bad request".into()).await;
        return None;
    };
    if method != "GET" {
        respond(stream, 405, "Method not allowed".into()).await;
        return None;
    }
    if target.split('?').next() != Some(CALLBACK_PATH) {
        respond(stream, 404, "Not found".into()).await;
        return None;
    }
    match base.join(&target) {
        Ok(url) => Some((stream, url)),
        Err(_) => {
            respond(stream, 400, "Bad request".into()).await;
            None
        }
    }
}

/// Reads the request head; returns its method and origin-form target (`/path?query`).
async fn read_head(stream: &mut TcpStream) -> Option<(String, String)> {
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
        (Some(method), Some(target)) if target.starts_with('/') => Some((method.to_string(), target.to_string())),
        _ => None,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A small HTML page; `title` and `body` are escaped.
pub(super) fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body style=\"font-family:sans-serif;margin:3em\"><h1>{t}</h1><p>{b}</p></body></html>",
        t = escape(title),
        b = escape(body)
    )
}

/// Answers with `status` and `body` (HTML when it is a [`page`]) and closes, giving up after
/// [`WRITE_TIMEOUT`] on a peer that does not read.
pub(super) async fn respond(mut stream: TcpStream, status: u16, body: String) {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
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
    let _ = tokio::time::timeout(WRITE_TIMEOUT, async {
        stream.write_all(msg.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
}
