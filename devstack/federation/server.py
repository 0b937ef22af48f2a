#!/usr/bin/env python3
"""Stand-in for the AWS federation endpoint (https://signin.aws.amazon.com/federation), stdlib only.

Follows AWS "Enable custom identity broker access to the AWS console":
  GET /federation?Action=getSigninToken&Session=<URL-encoded JSON {"sessionId","sessionKey","sessionToken"}>
      checks that the session really works against the local S3 ($KURA_FEDERATION_S3, default
      http://127.0.0.1:8333) with a SigV4-signed ListObjectsV2 (a working session gets 200 or
      AccessDenied; an unknown, expired or forged one InvalidAccessKeyId, ExpiredToken,
      SignatureDoesNotMatch…), then answers 200 {"SigninToken": "<random>"}, remembered for
      15 minutes. A malformed request → 400, a session that does not work → 401.
      SessionDuration, if given, must be 900–43200 (else 400).
  GET /federation?Action=login&Issuer=…&Destination=…&SigninToken=…
      200 with a page naming the destination for a known, unexpired, unused token (one use);
      400 otherwise (also without Destination).
  GET /refuse/federation?…   always 400 like AWS's "Bad Request" (fault injection for tests).
  GET /health                 200 "ok" (readiness probe).
Listens on 127.0.0.1:$KURA_FEDERATION_PORT (default 9410). Logs one line per request with the
action and the outcome, never the session or the token.
"""

import html
import json
import os
import secrets
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sigv4 import signed_get  # noqa: E402

PORT = int(os.environ.get("KURA_FEDERATION_PORT", "9410"))
S3 = os.environ.get("KURA_FEDERATION_S3", "http://127.0.0.1:8333")
BUCKET = os.environ.get("KURA_FEDERATION_BUCKET", "kura")
TOKEN_LIFETIME = 15 * 60
# Local addresses only: no proxy from the environment.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

TOKENS = {}  # SigninToken -> expiry (unix time)
LOCK = threading.Lock()


def session_works(session):
    """(True, "") when S3 accepts the session's signature, else (False, S3's error code)."""
    url, headers = signed_get(
        f"{S3}/{BUCKET}", {"list-type": "2", "max-keys": "1", "prefix": "federation-probe/"},
        session["sessionId"], session["sessionKey"], session["sessionToken"], "us-east-1", "s3",
    )
    try:
        OPENER.open(urllib.request.Request(url, headers=headers), timeout=10).read()
        return True, ""
    except urllib.error.HTTPError as e:
        body = e.read().decode(errors="replace")
        code = body.split("<Code>", 1)[1].split("</Code>", 1)[0] if "<Code>" in body else str(e.code)
        return code == "AccessDenied", code


class Handler(BaseHTTPRequestHandler):
    server_version = "KuraFederationStandIn/1"

    def log_message(self, fmt, *args):  # the default logs the request line: it holds secrets
        pass

    def note(self, action, outcome):
        sys.stderr.write(f"{time.strftime('%H:%M:%S')} {action}: {outcome}\n")
        sys.stderr.flush()

    def answer(self, status, body, ctype="text/plain; charset=utf-8"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        if url.path == "/health":
            return self.answer(200, "ok")
        if url.path == "/refuse/federation":
            self.note(q.get("Action", "?"), "refused (fault injection)")
            return self.answer(400, "Bad Request")
        if url.path != "/federation":
            return self.answer(404, "Not Found")
        action = q.get("Action")
        if action == "getSigninToken":
            return self.get_signin_token(q)
        if action == "login":
            return self.login(q)
        self.note(action, "unknown action")
        return self.answer(400, "Bad Request")

    def get_signin_token(self, q):
        try:
            session = json.loads(q["Session"])
            assert all(isinstance(session[k], str) and session[k] for k in ("sessionId", "sessionKey", "sessionToken"))
            if "SessionDuration" in q:
                assert 900 <= int(q["SessionDuration"]) <= 43200
        except (KeyError, ValueError, AssertionError, TypeError):
            self.note("getSigninToken", "400 malformed")
            return self.answer(400, "Bad Request")
        ok, code = session_works(session)
        if not ok:
            self.note("getSigninToken", f"401 S3 refused the session ({code})")
            return self.answer(401, "Unauthorized")
        token = secrets.token_urlsafe(48)
        with LOCK:
            now = time.time()
            for t in [t for t, exp in TOKENS.items() if exp < now]:
                del TOKENS[t]
            TOKENS[token] = now + TOKEN_LIFETIME
        self.note("getSigninToken", "200 token issued")
        return self.answer(200, json.dumps({"SigninToken": token}), "application/json")

    def login(self, q):
        with LOCK:
            expiry = TOKENS.pop(q.get("SigninToken", ""), None)
        destination = q.get("Destination", "")
        if expiry is None or expiry < time.time() or not destination:
            self.note("login", "400 unknown, used or expired token, or no Destination")
            return self.answer(400, "Bad Request")
        self.note("login", f"200 issuer={q.get('Issuer', '')!r} destination={destination!r}")
        page = (
            "<!doctype html><title>AWS console (stand-in)</title>"
            f"<p>Signed in to the console by <b>{html.escape(q.get('Issuer', ''))}</b>.</p>"
            f"<p>Destination: <a id=destination href=\"{html.escape(destination)}\">{html.escape(destination)}</a></p>"
        )
        return self.answer(200, page, "text/html; charset=utf-8")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    sys.stderr.write(f"federation stand-in on http://127.0.0.1:{PORT}/federation (S3 {S3})\n")
    sys.stderr.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
