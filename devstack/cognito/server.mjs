// Stand-in for Amazon Cognito Identity (identity pools, "Cognito Federated Identities") for Kura
// development and tests. Speaks the service's real AWS JSON 1.1 protocol (protocol.mjs), so the
// unmodified AWS SDKs and CLI work against it with an endpoint override and unsigned requests.
//
// Operations (Amazon Cognito Identity API reference, 2014-06-30):
//   GetId {IdentityPoolId, AccountId?, Logins} -> {IdentityId}
//       verifies the login token; the identity of (pool, provider, sub), made on first sight.
//   GetOpenIdToken {IdentityId, Logins} -> {IdentityId, Token}
//       the basic (classic) flow's token (10 minutes); only in pools with AllowClassicFlow,
//       else InvalidParameterException "Basic (classic) flow is not enabled, please use
//       enhanced flow." (AWS's wording and behaviour).
//   GetCredentialsForIdentity {IdentityId, Logins, CustomRoleArn?} -> {IdentityId, Credentials}
//       the enhanced flow: an OpenID token of the identity presented to the pool's STS
//       (AssumeRoleWithWebIdentity, the pool's authenticated role, 3600 s; sts.mjs). Allowed
//       in every pool. CustomRoleArn is checked for shape and otherwise ignored: it only picks
//       among roles of token-based role mappings, which the stand-in does not have.
// Routes: POST / (the operations), GET /.well-known/openid-configuration,
//         GET /.well-known/jwks.json (also /.well-known/jwks_uri, AWS's path).
//
// Not modeled: unauthenticated identities, role mappings and rules, developer-authenticated
// identities, linking/merging logins, and every SigV4-signed operation (DescribeIdentityPool...).
//
// Environment:
//   KURA_DEVSTACK_STATE   state dir: reads cognito/pools.json (written by devstack/lib/make-config.py),
//                         keeps cognito/key.json (signing key, mode 600) and cognito/identities.json
//   KURA_COGNITO_PORT     listen port (default 9420, bound to 127.0.0.1 only)
// Logs one line per request (operation, outcome, pool or identity id, reason); never a token.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  ACCOUNT_ID, ARN, CognitoError, IDENTITY_ID, IDENTITY_POOL_ID, invalidParameter, loginsMember,
  notAuthorized, notFound, parseRequest, readBody, sendError, sendJson, stringMember,
} from './protocol.mjs';
import { IdentityStore } from './store.mjs';
import { assumeRoleWithWebIdentity } from './sts.mjs';
import { loadSigningKey, mintOpenIdToken, verifyLoginToken } from './tokens.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const HOST = '127.0.0.1';
const PORT = Number(process.env.KURA_COGNITO_PORT || 9420);
const STATE = path.resolve(process.env.KURA_DEVSTACK_STATE || path.join(here, '..', '.state'));
const DIR = path.join(STATE, 'cognito');
fs.mkdirSync(DIR, { recursive: true, mode: 0o700 });

// {issuer, region, pools: {"<pool id>": {name, allowClassicFlow, authenticatedRole, sts, providers}}}
const CONFIG = JSON.parse(fs.readFileSync(path.join(DIR, 'pools.json'), 'utf8'));
const ISSUER = CONFIG.issuer; // no trailing slash, like https://cognito-identity.amazonaws.com
const ACCOUNT = '000000000000'; // account id in the identity-pool-arn claim
const OPEN_ID_TOKEN_TTL = 600; // "The OpenID token is valid for 10 minutes." (GetOpenIdToken)
const CREDENTIALS_DURATION = 3600; // enhanced flow credentials: one hour

const key = await loadSigningKey(path.join(DIR, 'key.json'));
const store = new IdentityStore(path.join(DIR, 'identities.json'));

const poolArn = (poolId) => `arn:aws:cognito-identity:${CONFIG.region}:${ACCOUNT}:identitypool/${poolId}`;

function poolById(poolId) {
  const pool = Object.hasOwn(CONFIG.pools, poolId) ? CONFIG.pools[poolId] : undefined;
  if (!pool) throw notFound(`IdentityPool '${poolId}' not found.`);
  return pool;
}

/**
 * The verified login {provider, sub, clientId} of a Logins map for `pool`; `whenEmpty` is the
 * NotAuthorizedException message for an empty map. Every token must verify (like AWS: "if any
 * of the tokens fail, the whole call fails") and all must name the same user.
 */
async function verifyLogins(pool, logins, whenEmpty) {
  const entries = Object.entries(logins);
  if (entries.length === 0) throw notAuthorized(whenEmpty);
  const verified = [];
  for (const [name, token] of entries) {
    if (!Object.hasOwn(pool.providers, name)) {
      throw Object.assign(notAuthorized('Token is not from a supported provider of this identity pool.'), {
        reason: `provider ${name}`,
      });
    }
    verified.push(await verifyLoginToken(name, pool.providers[name], token));
  }
  return verified[0];
}

/** The identity named by IdentityId, its pool and the request's Logins. */
function identityOf(input) {
  const identityId = stringMember(input, 'IdentityId', IDENTITY_ID);
  const logins = loginsMember(input);
  const identity = store.get(identityId);
  if (!identity) throw notFound(`Identity '${identityId}' not found.`);
  return { identity, pool: poolById(identity.pool), logins };
}

/** The login of `logins` if it belongs to `identity`, else NotAuthorizedException. */
async function authorize(identity, pool, logins) {
  const login = await verifyLogins(pool, logins, `Access to Identity '${identity.id}' is forbidden.`);
  if (identity.logins[login.provider] !== login.sub) {
    throw Object.assign(
      notAuthorized("Logins don't match. Please include at least one valid login for this identity or identity pool."),
      { reason: 'identity belongs to another login' },
    );
  }
  return login;
}

const openIdToken = (identity, login, ttl) =>
  mintOpenIdToken(key, {
    issuer: ISSUER, poolId: identity.pool, poolArn: poolArn(identity.pool), identityId: identity.id, login, ttl,
  });

const OPERATIONS = {
  async GetId(input) {
    const poolId = stringMember(input, 'IdentityPoolId', IDENTITY_POOL_ID);
    stringMember(input, 'AccountId', ACCOUNT_ID, false);
    const logins = loginsMember(input);
    const pool = poolById(poolId);
    const login = await verifyLogins(pool, logins, 'Unauthenticated access is not supported for this identity pool.');
    const IdentityId = store.idFor(poolId, CONFIG.region, login);
    return { body: { IdentityId }, log: `pool=${poolId} identity=${IdentityId}` };
  },

  async GetOpenIdToken(input) {
    const { identity, pool, logins } = identityOf(input);
    if (!pool.allowClassicFlow) {
      throw invalidParameter('Basic (classic) flow is not enabled, please use enhanced flow.');
    }
    const login = await authorize(identity, pool, logins);
    const Token = await openIdToken(identity, login, OPEN_ID_TOKEN_TTL);
    return { body: { IdentityId: identity.id, Token }, log: `identity=${identity.id}` };
  },

  async GetCredentialsForIdentity(input) {
    const { identity, pool, logins } = identityOf(input);
    stringMember(input, 'CustomRoleArn', ARN, false);
    const login = await authorize(identity, pool, logins);
    const token = await openIdToken(identity, login, OPEN_ID_TOKEN_TTL);
    const Credentials = await assumeRoleWithWebIdentity(pool.sts, pool.authenticatedRole, token, CREDENTIALS_DURATION);
    return {
      body: { IdentityId: identity.id, Credentials },
      log: `identity=${identity.id} sts=${pool.sts} expires=${new Date(Credentials.Expiration * 1000).toISOString()}`,
    };
  },
};

const DISCOVERY = {
  issuer: ISSUER,
  jwks_uri: `${ISSUER}/.well-known/jwks.json`,
  response_types_supported: ['id_token'],
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['RS256'],
  claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'amr', 'https://cognito-identity.amazonaws.com/identity-pool-arn'],
};

function log(line) {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

async function handle(req, res) {
  const url = new URL(req.url, `http://${HOST}:${PORT}`);
  if (req.method === 'GET' || req.method === 'HEAD') {
    const routes = {
      '/.well-known/openid-configuration': DISCOVERY,
      '/.well-known/jwks.json': key.jwks,
      '/.well-known/jwks_uri': key.jwks,
    };
    if (Object.hasOwn(routes, url.pathname)) {
      const text = JSON.stringify(routes[url.pathname]);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(req.method === 'HEAD' ? undefined : text);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found\n');
    }
    log(`GET ${url.pathname} ${res.statusCode}`);
    return;
  }
  let operation = '-';
  try {
    if (req.method !== 'POST' || url.pathname !== '/') {
      throw new CognitoError('UnknownOperationException', `Unknown operation: ${req.method} ${url.pathname}`);
    }
    const request = parseRequest(req.headers, await readBody(req), OPERATIONS);
    operation = request.operation;
    const { body, log: detail } = await OPERATIONS[operation](request.input);
    sendJson(res, 200, body);
    log(`${operation} 200 ok ${detail}`);
  } catch (e) {
    const err = e instanceof CognitoError ? e : new CognitoError('InternalErrorException', 'An internal error occurred', 500);
    sendError(res, err);
    const why = e instanceof CognitoError ? e.reason || e.message : e.stack;
    log(`${operation} ${err.status} ${err.type} (${why})`);
  }
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    log(`unhandled: ${e.stack}`);
    if (!res.headersSent) res.writeHead(500).end();
  });
});
server.listen(PORT, HOST, () => {
  log(`Cognito Identity stand-in on http://${HOST}:${PORT} (issuer ${ISSUER}, kid ${key.kid}, ` +
      `pools ${Object.keys(CONFIG.pools).join(', ')})`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)).closeAllConnections());
}
