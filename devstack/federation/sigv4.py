"""AWS Signature Version 4 for one GET request (stdlib only), as documented in
"Create a signed AWS API request" (docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
Used by the federation stand-in to check that a session it receives really works."""

import datetime
import hashlib
import hmac
import urllib.parse

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _hmac(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def signed_get(url, params, access_key, secret_key, session_token, region, service):
    """Returns (full_url, headers) for a SigV4-signed GET of `url` with query `params` (dict)."""
    parts = urllib.parse.urlsplit(url)
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    day = now.strftime("%Y%m%d")
    query = "&".join(
        f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(str(v), safe='-_.~')}"
        for k, v in sorted(params.items())
    )
    headers = {
        "host": parts.netloc,
        "x-amz-content-sha256": EMPTY_SHA256,
        "x-amz-date": amz_date,
    }
    if session_token:
        headers["x-amz-security-token"] = session_token
    names = sorted(headers)
    canonical = "\n".join([
        "GET",
        urllib.parse.quote(parts.path or "/", safe="/-_.~"),
        query,
        "".join(f"{n}:{headers[n].strip()}\n" for n in names),
        ";".join(names),
        EMPTY_SHA256,
    ])
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join([
        "AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest(),
    ])
    key = _hmac(_hmac(_hmac(_hmac(("AWS4" + secret_key).encode(), day), region), service), "aws4_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
        f"SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    del headers["host"]
    base = f"{parts.scheme}://{parts.netloc}{parts.path or '/'}"
    return (f"{base}?{query}" if query else base), headers
