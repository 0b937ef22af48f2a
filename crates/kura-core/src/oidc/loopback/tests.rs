//! The loopback listener with raw TCP clients standing in for the browser and for other local
//! processes (issue 10: "Sign-in cannot be hijacked or broken by another local process").

use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;

const STATE: &str = "st4te-of-this-login";

/// The login waiting on `l`'s redirect URI, with [`STATE`].
fn pending(l: &LoopbackListener) -> PendingLogin {
    PendingLogin::for_test(l.redirect_uri(), STATE, Instant::now())
}

/// Hands the callback URL back as the sign-in's result.
async fn echo(_: PendingLogin, url: Url) -> Result<Url> {
    Ok(url)
}

/// Sends `bytes` on a new connection; returns the whole answer.
async fn send(addr: &str, bytes: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(bytes).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(15), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

async fn get(addr: &str, path: &str) -> String {
    send(addr, format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes()).await
}

fn addr_of(l: &LoopbackListener) -> String {
    let u = Url::parse(l.redirect_uri()).unwrap();
    format!("127.0.0.1:{}", u.port().unwrap())
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
    let login = pending(&l);
    let server = tokio::spawn(l.receive(Duration::from_secs(5), login, echo));
    assert!(get(&addr, "/favicon.ico").await.starts_with("HTTP/1.1 404"));
    let page = get(&addr, &format!("/callback?code=abc&state={STATE}")).await;
    assert!(
        page.starts_with("HTTP/1.1 200") && page.contains("close this tab"),
        "{page}"
    );
    let url = server.await.unwrap().unwrap();
    assert_eq!(url.query(), Some(format!("code=abc&state={STATE}").as_str()));
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
        let login = pending(&l);
        let server = tokio::spawn(l.receive(Duration::from_secs(5), login, echo));
        assert!(get(&addr, "/favicon.ico").await.starts_with("HTTP/1.1 404"), "{addr}");
        let page = get(&addr, &format!("/callback?code=abc&state={STATE}")).await;
        assert!(page.starts_with("HTTP/1.1 200"), "{addr}: {page}");
        let url = server.await.unwrap().unwrap();
        assert_eq!(url.as_str(), format!("{uri}?code=abc&state={STATE}"), "{addr}");
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
    let login = pending(&l);
    let err = l.receive(Duration::from_millis(50), login, echo).await.unwrap_err();
    assert_eq!(err.code(), "auth.timeout");
}

/// Another local process reaches the port first with every kind of hostile or broken request;
/// none ends the sign-in, none holds it back (a slow-loris and a silent connection stay open
/// while the real callback arrives), and the real callback then signs in.
#[tokio::test]
async fn hostile_requests_neither_end_nor_block_the_sign_in() {
    let l = LoopbackListener::bind().await.unwrap();
    let addr = addr_of(&l);
    let login = pending(&l);
    let server = tokio::spawn(l.receive(Duration::from_secs(30), login, echo));

    let _silent = TcpStream::connect(&addr).await.unwrap();
    let mut slow = TcpStream::connect(&addr).await.unwrap();
    slow.write_all(format!("GET /callback?code=slow&state={STATE}").as_bytes())
        .await
        .unwrap();
    drop(TcpStream::connect(&addr).await.unwrap()); // connects and hangs up

    for (request, status) in [
        (
            "GET /callback?code=c0de-x9&state=st4te-x9 HTTP/1.1\r\n\r\n".to_string(),
            "400",
        ),
        ("GET /callback?code=c0de-x9 HTTP/1.1\r\n\r\n".into(), "400"),
        (
            "GET /callback?error=access_denied&state=st4te-x9 HTTP/1.1\r\n\r\n".into(),
            "400",
        ),
        (
            format!("GET /callback?code=c0de-x9&state={STATE}&state={STATE} HTTP/1.1\r\n\r\n"),
            "400",
        ),
        (
            format!("GET /callback?code=c0de-x9&code=other&state={STATE} HTTP/1.1\r\n\r\n"),
            "400",
        ),
        (
            format!("HEAD /callback?code=c0de-x9&state={STATE} HTTP/1.1\r\n\r\n"),
            "405",
        ),
        (
            format!("POST /callback?code=c0de-x9&state={STATE} HTTP/1.1\r\n\r\n"),
            "405",
        ),
        ("GET /favicon.ico HTTP/1.1\r\n\r\n".into(), "404"),
        (
            format!("GET http://evil/callback?code=c0de-x9&state={STATE} HTTP/1.1\r\n\r\n"),
            "400",
        ),
        ("\u{16}\u{3}\u{1}garbage\r\n\r\n".into(), "400"),
    ] {
        let answer = send(&addr, request.as_bytes()).await;
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{request:?}: {answer}"
        );
        assert!(
            !answer.contains("c0de-x9") && !answer.contains("st4te-x9"),
            "echoed: {answer}"
        );
        assert!(!server.is_finished(), "{request:?} ended the sign-in");
    }
    let refused = send(&addr, b"GET /callback?code=c&state=st4te-x9 HTTP/1.1\r\n\r\n").await;
    assert!(refused.contains("`state`"), "the page says why: {refused}");

    let started = Instant::now();
    let page = get(&addr, &format!("/callback?code=real&state={STATE}")).await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "held back by the idle connections"
    );
    let url = server.await.unwrap().unwrap();
    assert_eq!(url.query(), Some(format!("code=real&state={STATE}").as_str()));
}

/// More idle connections than the listener reads at once: the oldest are dropped, so the
/// browser's connection, the newest, is still read.
#[tokio::test]
async fn a_flood_of_idle_connections_does_not_lock_the_browser_out() {
    let l = LoopbackListener::bind().await.unwrap();
    let addr = addr_of(&l);
    let login = pending(&l);
    let server = tokio::spawn(l.receive(Duration::from_secs(30), login, echo));
    let mut idle = vec![];
    for _ in 0..MAX_OPEN_CONNECTIONS * 3 {
        idle.push(TcpStream::connect(&addr).await.unwrap());
    }
    let started = Instant::now();
    let page = get(&addr, &format!("/callback?code=real&state={STATE}")).await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(started.elapsed() < Duration::from_secs(2));
    server.await.unwrap().unwrap();
}

/// When nothing valid came, the timeout says what was refused meanwhile.
#[tokio::test]
async fn the_timeout_names_the_refused_callbacks() {
    let l = LoopbackListener::bind().await.unwrap();
    let addr = addr_of(&l);
    let login = pending(&l);
    let server = tokio::spawn(l.receive(Duration::from_millis(1500), login, echo));
    get(&addr, "/callback?code=c&state=forged").await;
    get(&addr, "/callback?code=c&code=d").await;
    let err = server.await.unwrap().unwrap_err();
    assert_eq!(err.code(), "auth.timeout");
    assert!(
        err.to_string()
            .contains("1 with a wrong or missing `state`, 1 malformed"),
        "{err}"
    );
}

/// A login expires after [`LOGIN_LIFETIME`] whatever the caller's timeout.
#[tokio::test]
async fn an_expired_login_stops_waiting() {
    let Some(started) = Instant::now().checked_sub(LOGIN_LIFETIME - Duration::from_millis(300)) else {
        return; // the machine booted less than the lifetime ago
    };
    let l = LoopbackListener::bind().await.unwrap();
    let login = PendingLogin::for_test(l.redirect_uri(), STATE, started);
    let err = l.receive(Duration::from_secs(600), login, echo).await.unwrap_err();
    assert_eq!(err.code(), "auth.timeout");
    assert!(err.to_string().contains("expired"), "{err}");
}
