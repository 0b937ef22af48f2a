//! A fault-injecting HTTP/1.1 proxy for end-to-end tests: it sits on `127.0.0.1:<random>` in
//! front of a real server (S3 or STS of the local stack) and forwards requests byte for byte —
//! the `Host` header too, so a SigV4 signature made for the proxy's address is checked by the
//! server against the same `Host` — except those a [`Rule`] picks, which it fails: the
//! connection refused (reset) as by a server that is down, reset after part of the body (a
//! connection dropped mid-part), or answered with an error the proxy makes up (S3's `503
//! SlowDown`, STS's `503 ServiceUnavailable`, an expired-credentials `403`).
//!
//! Requests are parsed only as far as needed: the request line, the headers and the body's
//! framing (`Content-Length` or `Transfer-Encoding: chunked`); responses are piped back
//! untouched. Every request is recorded ([`Proxy::seen`]) with what was done to it.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};

/// What happens to a request a rule picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fault {
    /// The connection is reset (RST) before anything is answered: a server that is down.
    Refuse,
    /// The head and the first `n` bytes of the body reach the server, then both connections
    /// are reset: a connection dropped mid-request.
    ResetAfter(u64),
    /// Answered by the proxy with `status` and this XML body (the request is not forwarded;
    /// its body is read and dropped) and the connection closed.
    Respond {
        /// HTTP status.
        status: u16,
        /// The XML error document.
        body: String,
    },
}

impl Fault {
    /// An S3 error answer: `status` with S3's XML error (`<Error><Code>…`).
    pub(crate) fn s3(status: u16, code: &str, message: &str) -> Fault {
        Fault::Respond {
            status,
            body: s3_error(code, message),
        }
    }

    /// S3's throttling answer: `503 SlowDown`.
    pub(crate) fn slow_down() -> Fault {
        Fault::s3(503, "SlowDown", "Please reduce your request rate.")
    }

    /// S3 refusing the credentials as expired: `403 ExpiredToken` (AWS's code; SeaweedFS says
    /// `InvalidAccessKeyId`).
    pub(crate) fn expired_token() -> Fault {
        Fault::s3(403, "ExpiredToken", "The provided token has expired.")
    }

    /// STS unavailable: `503 ServiceUnavailable` in STS's XML error shape.
    pub(crate) fn sts_unavailable() -> Fault {
        Fault::Respond {
            status: 503,
            body: "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Receiver</Type>\
                   <Code>ServiceUnavailable</Code><Message>Service is unable to handle request.</Message></Error>\
                   <RequestId>fault-proxy</RequestId></ErrorResponse>"
                .to_string(),
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Fault::Refuse => "refused",
            Fault::ResetAfter(_) => "reset",
            Fault::Respond { .. } => "answered",
        }
    }
}

fn s3_error(code: &str, message: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message>\
         <RequestId>fault-proxy</RequestId><HostId>fault-proxy</HostId></Error>"
    )
}

/// Which requests a fault applies to and how often: requests whose method is `method` (any when
/// `None`) and whose request target contains every string of `target_has` match; the first
/// `skip` matching requests pass, the next `times` (every further one when `None`) get `fault`.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub method: Option<&'static str>,
    pub target_has: Vec<&'static str>,
    pub skip: usize,
    pub times: Option<usize>,
    pub fault: Fault,
    matched: usize,
}

impl Rule {
    /// Every request gets `fault`.
    pub(crate) fn all(fault: Fault) -> Rule {
        Rule {
            method: None,
            target_has: Vec::new(),
            skip: 0,
            times: None,
            fault,
            matched: 0,
        }
    }

    /// Only requests with this method.
    pub(crate) fn method(mut self, method: &'static str) -> Rule {
        self.method = Some(method);
        self
    }

    /// Only requests whose target (path and query) contains `s`, e.g. `x-id=UploadPart`.
    pub(crate) fn target_has(mut self, s: &'static str) -> Rule {
        self.target_has.push(s);
        self
    }

    /// The first `n` matching requests pass.
    pub(crate) fn skip(mut self, n: usize) -> Rule {
        self.skip = n;
        self
    }

    /// Only `n` matching requests (after the skipped ones) get the fault.
    pub(crate) fn times(mut self, n: usize) -> Rule {
        self.times = Some(n);
        self
    }

    fn matches(&self, method: &str, target: &str) -> bool {
        self.method.is_none_or(|m| m == method) && self.target_has.iter().all(|s| target.contains(s))
    }

    /// Counts a matching request; the fault when this one gets it.
    fn take(&mut self) -> Option<Fault> {
        self.matched += 1;
        let n = self.matched - 1;
        let hit = n >= self.skip && self.times.is_none_or(|t| n < self.skip + t);
        hit.then(|| self.fault.clone())
    }
}

/// One request the proxy received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Seen {
    /// `GET`, `PUT`, …
    pub method: String,
    /// Path and query.
    pub target: String,
    /// `forwarded`, `refused`, `reset` or `answered`.
    pub outcome: &'static str,
}

struct Shared {
    upstream: String,
    rules: Mutex<Vec<Rule>>,
    seen: Mutex<Vec<Seen>>,
}

/// A running proxy (its tasks end with the test's runtime).
pub(crate) struct Proxy {
    url: String,
    shared: Arc<Shared>,
}

impl Proxy {
    /// Starts a proxy in front of `upstream` (`http://host:port`), forwarding everything.
    pub(crate) async fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.trim_start_matches("http://").trim_end_matches('/').to_string();
        let shared = Arc::new(Shared {
            upstream,
            rules: Mutex::new(Vec::new()),
            seen: Mutex::new(Vec::new()),
        });
        let s = shared.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(connection(client, s.clone()));
            }
        });
        Proxy { url, shared }
    }

    /// `http://127.0.0.1:PORT`, for a profile's `s3_endpoint` or `sts_endpoint`.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Replaces the rules (the first matching rule decides); counting starts again.
    pub(crate) fn set(&self, rules: Vec<Rule>) {
        *self.shared.rules.lock().unwrap() = rules;
    }

    /// Forwards everything from now on.
    pub(crate) fn pass(&self) {
        self.set(Vec::new());
    }

    /// Every request received so far.
    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().unwrap().clone()
    }

    /// How many requests with `method` whose target contains `target_has` got `outcome`
    /// (`None`: any outcome).
    pub(crate) fn count(&self, method: &str, target_has: &str, outcome: Option<&str>) -> usize {
        self.seen()
            .iter()
            .filter(|s| s.method == method && s.target.contains(target_has))
            .filter(|s| outcome.is_none_or(|o| s.outcome == o))
            .count()
    }

    /// Forgets the requests seen so far.
    pub(crate) fn clear_seen(&self) {
        self.shared.seen.lock().unwrap().clear();
    }
}

/// The client's side of a connection: bytes read but not yet used, and the read half.
struct Reader {
    rd: OwnedReadHalf,
    buf: Vec<u8>,
}

impl Reader {
    /// Reads more; false at end of stream or on an error.
    async fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 64 * 1024];
        match self.rd.read(&mut chunk).await {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                true
            }
        }
    }

    /// Takes bytes up to and including `delimiter`, or `None` at end of stream.
    async fn until(&mut self, delimiter: &[u8]) -> Option<Vec<u8>> {
        loop {
            if let Some(i) = self.buf.windows(delimiter.len()).position(|w| w == delimiter) {
                return Some(self.buf.drain(..i + delimiter.len()).collect());
            }
            if !self.fill().await {
                return None;
            }
        }
    }

    /// Takes up to `n` bytes (at least one unless at end of stream).
    async fn some(&mut self, n: u64) -> Option<Vec<u8>> {
        if self.buf.is_empty() && !self.fill().await {
            return None;
        }
        let take = (n as usize).min(self.buf.len());
        Some(self.buf.drain(..take).collect())
    }
}

/// Where a request's body goes: forwarded to the server (at most `limit` bytes, then the
/// connections are reset), or dropped.
struct BodySink<'a> {
    to: Option<&'a mut OwnedWriteHalf>,
    limit: Option<u64>,
    sent: u64,
}

impl BodySink<'_> {
    /// Writes `bytes`; false once the limit is reached (or the server went away).
    async fn write(&mut self, bytes: &[u8]) -> bool {
        let allowed = match self.limit {
            Some(l) => (l - self.sent).min(bytes.len() as u64) as usize,
            None => bytes.len(),
        };
        if let Some(to) = self.to.as_deref_mut() {
            if to.write_all(&bytes[..allowed]).await.is_err() {
                return false;
            }
        }
        self.sent += allowed as u64;
        self.limit.is_none_or(|l| self.sent < l)
    }
}

/// Copies the body framed by `headers` from `from` into `sink`; false when the limit was hit or
/// a side went away.
async fn body(from: &mut Reader, headers: &str, sink: &mut BodySink<'_>) -> bool {
    if header(headers, "transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
        loop {
            let Some(line) = from.until(b"\r\n").await else {
                return false;
            };
            let text = String::from_utf8_lossy(&line);
            let size = u64::from_str_radix(text.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
            if !sink.write(&line).await {
                return false;
            }
            if size == 0 {
                // Trailers, then the empty line.
                loop {
                    let Some(t) = from.until(b"\r\n").await else {
                        return false;
                    };
                    if !sink.write(&t).await {
                        return false;
                    }
                    if t == b"\r\n" {
                        return true;
                    }
                }
            }
            if !copy_exact(from, size + 2, sink).await {
                return false;
            }
        }
    }
    let len = header(headers, "content-length")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    copy_exact(from, len, sink).await
}

async fn copy_exact(from: &mut Reader, mut n: u64, sink: &mut BodySink<'_>) -> bool {
    while n > 0 {
        let Some(chunk) = from.some(n).await else { return false };
        n -= chunk.len() as u64;
        if !sink.write(&chunk).await {
            return false;
        }
    }
    true
}

fn header<'a>(headers: &'a str, name: &str) -> Option<&'a str> {
    headers.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then_some(v.trim())
    })
}

type ClientWriter = Arc<tokio::sync::Mutex<Option<OwnedWriteHalf>>>;

/// Resets the client's connection (RST: linger 0, then close).
async fn reset(rd: OwnedReadHalf, wr: &ClientWriter) {
    if let Some(w) = wr.lock().await.take() {
        if let Ok(stream) = rd.reunite(w) {
            let _ = stream.set_zero_linger();
        }
    }
}

/// Serves one client connection: request after request (keep-alive), each forwarded or failed.
async fn connection(client: TcpStream, shared: Arc<Shared>) {
    let (rd, wr) = client.into_split();
    let mut reader = Reader { rd, buf: Vec::new() };
    let writer: ClientWriter = Arc::new(tokio::sync::Mutex::new(Some(wr)));
    let mut upstream: Option<(OwnedWriteHalf, tokio::task::JoinHandle<()>)> = None;
    loop {
        let Some(head) = reader.until(b"\r\n\r\n").await else {
            break;
        };
        let head_text = String::from_utf8_lossy(&head).to_string();
        let mut words = head_text.split_whitespace();
        let (method, target) = (
            words.next().unwrap_or("").to_string(),
            words.next().unwrap_or("").to_string(),
        );
        let fault = {
            let mut rules = shared.rules.lock().unwrap();
            rules
                .iter_mut()
                .find(|r| r.matches(&method, &target))
                .and_then(Rule::take)
        };
        let outcome = fault.as_ref().map_or("forwarded", Fault::label);
        shared.seen.lock().unwrap().push(Seen {
            method,
            target,
            outcome,
        });
        match fault {
            Some(Fault::Refuse) => break,
            Some(Fault::Respond { status, body: xml }) => {
                let expects_continue = header(&head_text, "expect").is_some_and(|v| v.contains("100"));
                if !expects_continue {
                    let mut drop_it = BodySink {
                        to: None,
                        limit: None,
                        sent: 0,
                    };
                    body(&mut reader, &head_text, &mut drop_it).await;
                }
                let answer = format!(
                    "HTTP/1.1 {status} Fault\r\nContent-Type: application/xml\r\nContent-Length: {}\r\n\
                     x-amz-request-id: fault-proxy\r\nConnection: close\r\n\r\n{xml}",
                    xml.len()
                );
                if let Some(w) = writer.lock().await.as_mut() {
                    let _ = w.write_all(answer.as_bytes()).await;
                    let _ = w.shutdown().await;
                }
                if let Some((_, pipe)) = upstream.take() {
                    pipe.abort();
                }
                return;
            }
            Some(Fault::ResetAfter(_)) | None => {}
        }
        if upstream.is_none() {
            let Ok(server) = TcpStream::connect(&shared.upstream).await else {
                break;
            };
            let (mut server_rd, server_wr) = server.into_split();
            let to_client = writer.clone();
            // Responses go back untouched; when the server closes, so does the client's side.
            let pipe = tokio::spawn(async move {
                let mut chunk = vec![0u8; 64 * 1024];
                loop {
                    let n = match server_rd.read(&mut chunk).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    let mut w = to_client.lock().await;
                    let Some(w) = w.as_mut() else { return };
                    if w.write_all(&chunk[..n]).await.is_err() {
                        return;
                    }
                }
                if let Some(w) = to_client.lock().await.as_mut() {
                    let _ = w.shutdown().await;
                }
            });
            upstream = Some((server_wr, pipe));
        }
        let (server_wr, _) = upstream.as_mut().unwrap();
        let limit = match fault {
            Some(Fault::ResetAfter(n)) => Some(n),
            _ => None,
        };
        if server_wr.write_all(&head).await.is_err() {
            break;
        }
        let mut sink = BodySink {
            to: Some(server_wr),
            limit,
            sent: 0,
        };
        if !body(&mut reader, &head_text, &mut sink).await {
            break;
        }
    }
    // Refused, reset mid-body, or a side went away: drop the server's connection, reset the
    // client's.
    if let Some((_, pipe)) = upstream.take() {
        pipe.abort();
    }
    reset(reader.rd, &writer).await;
}
