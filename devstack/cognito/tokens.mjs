// Tokens of the Cognito Identity stand-in: verifying the login tokens of a pool's providers
// (the Logins map's ID tokens) and minting the stand-in's own OpenID tokens.
//
// Login tokens are checked like Amazon Cognito checks an OIDC provider's ID token (Developer
// Guide, "Identity pools authentication flow": valid token from the configured provider, not
// expired, audience = an accepted client id): `iss` equal to the provider's issuer, RS256
// signature by a key of the provider's JWKS (fetched on demand, fetched again on an unknown
// `kid` so the IdP's key rotation works), `aud` among the provider's client ids, `exp` in the
// future. Failures are NotAuthorizedException with Cognito's wording ("Invalid login token. ...").
//
// OpenID tokens (GetOpenIdToken; also what the enhanced flow presents to STS) are RS256 JWTs
// signed with the stand-in's key (made once, persisted in $STATE/cognito/key.json mode 600) with
// Cognito's claims: iss, sub = identity id, aud = pool id, amr, iat, exp,
// https://cognito-identity.amazonaws.com/identity-pool-arn.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

import {
  createRemoteJWKSet, decodeJwt, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT,
} from '../idp/node_modules/jose/dist/webapi/index.js';

import { notAuthorized } from './protocol.mjs';

const ALG = 'RS256';
const now = () => Math.floor(Date.now() / 1000);

/** Writes `value` as JSON to `file` atomically (temp file + rename) with `mode`. */
export function writeJsonAtomic(file, value, mode = 0o600) {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode });
  fs.renameSync(tmp, file);
}

/**
 * The stand-in's signing key from `file` (a private JWK with `kid`), made on first start.
 * Returns {kid, privateKey, jwks}: `jwks` is the public JWK Set ({keys: [one key]}).
 */
export async function loadSigningKey(file) {
  let jwk;
  if (fs.existsSync(file)) {
    jwk = JSON.parse(fs.readFileSync(file, 'utf8'));
  } else {
    const { privateKey } = await generateKeyPair(ALG, { modulusLength: 2048, extractable: true });
    const kid = `kura-cognito-${randomBytes(4).toString('hex')}`;
    jwk = { ...(await exportJWK(privateKey)), kid, alg: ALG, use: 'sig' };
    writeJsonAtomic(file, jwk);
  }
  const { kty, n, e, kid } = jwk;
  return {
    kid,
    privateKey: await importJWK(jwk, ALG),
    jwks: { keys: [{ kty, n, e, kid, alg: ALG, use: 'sig' }] },
  };
}

/**
 * Mints an OpenID token for `identityId` of pool `poolId`, logged in through `login`
 * ({provider, clientId, sub}), valid `ttl` seconds. `issuer` has no trailing slash (like
 * https://cognito-identity.amazonaws.com); `poolArn` is the identity-pool-arn claim.
 */
export async function mintOpenIdToken(key, { issuer, poolId, poolArn, identityId, login, ttl }) {
  const iat = now();
  return new SignJWT({
    amr: ['authenticated', login.provider, `${login.provider}:${login.clientId}:${login.sub}`],
    'https://cognito-identity.amazonaws.com/identity-pool-arn': poolArn,
  })
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setSubject(identityId)
    .setAudience(poolId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .sign(key.privateKey);
}

// One remote JWK Set per jwks_uri. cooldownDuration 0: an unknown `kid` always refetches (the
// IdP rotates keys on POST /__devstack/rotate-key); cacheMaxAge 10 min otherwise.
const remoteSets = new Map();
function remoteSet(jwksUri) {
  if (!remoteSets.has(jwksUri)) {
    remoteSets.set(jwksUri, createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: 0, cacheMaxAge: 600_000 }));
  }
  return remoteSets.get(jwksUri);
}

/**
 * Verifies a login token of provider `name` ({issuer, clientIds, jwksUri}). Returns
 * {provider: name, sub, clientId}. Throws NotAuthorizedException (`reason` on the error says
 * why, for the log):
 *   not a JWT / no sub      "Invalid login token. Not a valid OpenId Connect identity token."
 *   iss differs             "Invalid login token. Issuer doesn't match providerName"
 *   signature / kid / JWKS  "Invalid login token. Couldn't verify signed token."
 *   aud not a client id     "Invalid login token. Incorrect token audience."
 *   expired                 "Invalid login token. Token expired: NOW >= EXP"
 */
export async function verifyLoginToken(name, provider, token) {
  const fail = (message, reason) => Object.assign(notAuthorized(`Invalid login token. ${message}`), { reason });
  let claims;
  try {
    claims = decodeJwt(token);
  } catch (e) {
    throw fail('Not a valid OpenId Connect identity token.', e.code || e.message);
  }
  if (claims.iss !== provider.issuer) throw fail("Issuer doesn't match providerName", `iss ${claims.iss}`);
  try {
    const { payload } = await jwtVerify(token, remoteSet(provider.jwksUri), {
      issuer: provider.issuer,
      algorithms: [ALG],
      requiredClaims: ['sub', 'exp'],
    });
    const audiences = [payload.aud].flat();
    const clientId = audiences.find((a) => provider.clientIds.includes(a));
    if (!clientId) throw fail('Incorrect token audience.', `aud ${audiences.join(',')}`);
    return { provider: name, sub: payload.sub, clientId };
  } catch (e) {
    if (e.type) throw e; // already a CognitoError
    if (e.code === 'ERR_JWT_EXPIRED') throw fail(`Token expired: ${now()} >= ${claims.exp}`, 'expired');
    if (e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (e.claim === 'sub' || e.claim === 'exp')) {
      throw fail('Not a valid OpenId Connect identity token.', `${e.claim} ${e.reason}`);
    }
    throw fail("Couldn't verify signed token.", e.code || e.message);
  }
}
