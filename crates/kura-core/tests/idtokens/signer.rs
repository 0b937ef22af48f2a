//! A test-side signer holding the local IdP's real RS256 key (read from the devstack state,
//! `idp-jwks.json`, see devstack/idp/keys.mjs), and compact JWS made with it or forged.

use base64::Engine;
use openidconnect::core::{CoreHmacKey, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey};
use openidconnect::{JsonWebKeyId, PrivateSigningKey};
use serde_json::{json, Value};

use super::state_dir;

// The IdP's signing key, from its private JWK to PEM (PKCS#1, RFC 8017 A.1).

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
}

fn unb64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .unwrap()
}

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().into_iter().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A DER INTEGER from unsigned big-endian bytes.
fn der_uint(be: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = be.iter().copied().skip_while(|b| *b == 0).collect();
    let mut content = if trimmed.first().is_some_and(|b| b & 0x80 != 0) {
        vec![0]
    } else {
        vec![]
    };
    content.extend(if trimmed.is_empty() { vec![0] } else { trimmed });
    der(0x02, &content)
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

/// The IdP's current signing key: its `kid`, the private key, and the public key's PEM.
pub(crate) struct IdpKey {
    pub kid: String,
    pub private: CoreRsaPrivateSigningKey,
    pub public_pem: String,
}

pub(crate) fn idp_key() -> IdpKey {
    let file = state_dir().join("idp-jwks.json");
    let jwks: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let jwk = &jwks["keys"][0]; // the signing key (keys.mjs)
    let int = |name: &str| der_uint(&unb64(jwk[name].as_str().unwrap()));
    let mut private = der_uint(&[0]);
    for name in ["n", "e", "d", "p", "q", "dp", "dq", "qi"] {
        private.extend(int(name));
    }
    let private_pem = pem("RSA PRIVATE KEY", &der(0x30, &private));
    let public = [int("n"), int("e")].concat();
    let kid = jwk["kid"].as_str().unwrap().to_string();
    IdpKey {
        private: CoreRsaPrivateSigningKey::from_pem(&private_pem, Some(JsonWebKeyId::new(kid.clone()))).unwrap(),
        public_pem: pem("RSA PUBLIC KEY", &der(0x30, &public)),
        kid,
    }
}

pub(crate) enum Signer<'a> {
    Rsa(&'a CoreRsaPrivateSigningKey),
    /// HS256 with these bytes as the MAC key.
    Hmac(&'a [u8]),
    /// `alg: none`, empty signature.
    Unsigned,
}

/// A compact JWS of `claims` with `header` (`alg` is set from the signer).
pub(crate) fn jwt(mut header: Value, claims: &Value, signer: Signer) -> String {
    header["alg"] = json!(match signer {
        Signer::Rsa(_) => "RS256",
        Signer::Hmac(_) => "HS256",
        Signer::Unsigned => "none",
    });
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let signature = match signer {
        Signer::Rsa(key) => key
            .sign(&CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256, input.as_bytes())
            .unwrap(),
        Signer::Hmac(secret) => CoreHmacKey::new(secret.to_vec())
            .sign(&CoreJwsSigningAlgorithm::HmacSha256, input.as_bytes())
            .unwrap(),
        Signer::Unsigned => vec![],
    };
    format!("{input}.{}", b64(&signature))
}
