//! A scripted HTTP endpoint for fault-injection unit tests (STS, Cognito Identity): it answers
//! requests in order from a script, then a default answer, and counts them. Test-only.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One answer: HTTP status, extra header lines (`Name: value\r\n` each), body.
pub(crate) type Answer = (u16, String, String);

/// Serves `script` in order, then `default`, one request per connection; the request's head and
/// `Content-Length` body are read before answering. Returns the URL and the request count.
pub(crate) async fn serve(script: Vec<Answer>, default: Answer) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        loop {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut req = Vec::new();
            let mut buf = [0u8; 8192];
            loop {
                let n = s.read(&mut buf).await.unwrap_or(0);
                req.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&req).to_string();
                let complete = text.split_once("\r\n\r\n").is_some_and(|(head, body)| {
                    let len = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    body.len() >= len
                });
                if n == 0 || complete {
                    break;
                }
            }
            let i = counter.fetch_add(1, Ordering::SeqCst);
            let (status, headers, body) = script.get(i).cloned().unwrap_or_else(|| default.clone());
            let msg = format!(
                "HTTP/1.1 {status} X\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(msg.as_bytes()).await;
        }
    });
    (url, hits)
}
