//! A stand-in issuer (the real IdP's discovery document with its own `issuer` and token
//! endpoint, which answers whatever the test sets) and a counting STS stand-in.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::stack_var;

/// Reads one HTTP request (head and `Content-Length` body); returns its request line.
async fn read_request(s: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = s.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return String::new();
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = s.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    head.lines().next().unwrap_or_default().to_string()
}

async fn answer(s: &mut TcpStream, status: &str, content_type: &str, body: &str) {
    let msg = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = s.write_all(msg.as_bytes()).await;
    let _ = s.shutdown().await;
}

/// An issuer at `http://127.0.0.1:PORT/` publishing the real IdP's discovery document with its
/// own `issuer` and `token_endpoint`; its token endpoint answers with `token_response`.
pub(crate) struct StandIn {
    pub issuer: String,
    pub token_response: Arc<Mutex<String>>,
    pub token_requests: Arc<AtomicUsize>,
}

pub(crate) async fn stand_in_issuer() -> StandIn {
    let real = stack_var("KURA_DEVSTACK_ISSUER");
    let body = openidconnect::reqwest::get(format!("{real}.well-known/openid-configuration"))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut doc: Value = serde_json::from_slice(&body).unwrap();
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let issuer = format!("http://{}/", listener.local_addr().unwrap());
    doc["issuer"] = json!(issuer);
    doc["token_endpoint"] = json!(format!("{issuer}oauth/token"));
    let doc = doc.to_string();
    let token_response = Arc::new(Mutex::new(String::new()));
    let token_requests = Arc::new(AtomicUsize::new(0));
    let (response, requests) = (token_response.clone(), token_requests.clone());
    tokio::spawn(async move {
        loop {
            let (mut s, _) = listener.accept().await.unwrap();
            let (response, requests, doc) = (response.clone(), requests.clone(), doc.clone());
            tokio::spawn(async move {
                let line = read_request(&mut s).await;
                if line.starts_with("GET /.well-known/openid-configuration ") {
                    answer(&mut s, "200 OK", "application/json", &doc).await;
                } else if line.starts_with("POST /oauth/token ") {
                    requests.fetch_add(1, Ordering::SeqCst);
                    let body = response.lock().unwrap().clone();
                    answer(&mut s, "200 OK", "application/json", &body).await;
                } else {
                    answer(&mut s, "404 Not Found", "text/plain", "not found").await;
                }
            });
        }
    });
    StandIn {
        issuer,
        token_response,
        token_requests,
    }
}

/// A listener standing in for STS that counts connections and refuses them all.
pub(crate) async fn counting_sts() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        loop {
            let (mut s, _) = listener.accept().await.unwrap();
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                read_request(&mut s).await;
                answer(&mut s, "400 Bad Request", "text/plain", "counting STS stand-in").await;
            });
        }
    });
    (url, hits)
}
