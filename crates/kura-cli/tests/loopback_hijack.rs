//! Attack test (issue 10, "Sign-in cannot be hijacked or broken by another local process"):
//! while `kura login` waits on its loopback port, another local process sends it a forged
//! callback (wrong `state`), one without `state`, duplicated parameters, a HEAD, garbage, a
//! connection that sends nothing and a slow-loris connection that never finishes its request.
//! None of them may end or block the sign-in: the real browser's callback, delivered afterwards
//! while the hostile connections are still open, signs alice in. Against the real IdP and STS.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::Duration;

use common::*;

/// Sends `bytes` on a new connection and returns the answer (up to the server's close).
fn exchange(addr: &str, bytes: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    s.write_all(bytes).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn hostile_local_requests_neither_end_nor_block_the_sign_in() {
    let env = Env::new("hijack", &[]);
    // The browser waits until the attacks are done, then signs in as alice.
    let go = env.path("go");
    let browser = env.path("browser.sh");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nwhile [ ! -e '{}' ]; do sleep 0.1; done\nexec '{}' \"$@\"\n",
            go.display(),
            repo().join("devstack/test-browser").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&browser, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();

    let mut child = env
        .kura()
        .args(["login", "--timeout", "60"])
        .env("BROWSER", &browser)
        .env("KURA_TEST_USER", ALICE.0)
        .env("KURA_TEST_PASSWORD", ALICE.1)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(i) = line.find("(or open ") {
                let _ = tx.send(line[i + 9..].trim_end_matches(')').to_string());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let authorize = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("kura printed the sign-in URL");
    let authorize = url::Url::parse(&authorize).unwrap();
    let redirect = authorize
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| url::Url::parse(&v).unwrap())
        .unwrap();
    let addr = format!("127.0.0.1:{}", redirect.port().unwrap());

    // Connections that never finish a request, held open across the real callback.
    let mut silent = TcpStream::connect(&addr).unwrap();
    let mut slow = TcpStream::connect(&addr).unwrap();
    slow.write_all(b"GET /callback?code=slow&sta").unwrap();

    let forged = exchange(
        &addr,
        b"GET /callback?code=c0de-x9&state=st4te-x9 HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert!(forged.starts_with("HTTP/1.1 400"), "{forged}");
    assert!(
        !forged.contains("c0de-x9") && !forged.contains("st4te-x9"),
        "the page echoes nothing: {forged}"
    );
    let stateless = exchange(&addr, b"GET /callback?code=evil HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(stateless.starts_with("HTTP/1.1 400"), "{stateless}");
    let twice = exchange(
        &addr,
        b"GET /callback?code=evil&state=a&state=b HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert!(twice.starts_with("HTTP/1.1 400"), "{twice}");
    let denied = exchange(
        &addr,
        b"GET /callback?error=access_denied&state=forged HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert!(denied.starts_with("HTTP/1.1 400"), "{denied}");
    let head = exchange(&addr, b"HEAD /callback?code=evil&state=x HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(head.starts_with("HTTP/1.1 4"), "{head}");
    exchange(&addr, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n");
    exchange(&addr, b"GET /favicon.ico HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(child.try_wait().unwrap().is_none(), "kura login must still be waiting");

    std::fs::write(&go, "").unwrap(); // the real browser now
    let status = child.wait().unwrap();
    let stderr = reader.join().unwrap();
    let mut stdout = String::new();
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    assert!(status.success(), "{stderr}");
    assert!(stdout.contains(ALICE_SUB), "{stdout}");
    let who: serde_json::Value = serde_json::from_str(&env.ok(&["whoami", "--json"])).unwrap();
    assert_eq!(who["identity"]["sub"], ALICE_SUB);
    let _ = silent.write_all(b"x");
    env.ok(&["logout"]);
}
