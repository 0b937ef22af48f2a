// Local OpenID provider that stands in for an Auth0 tenant during Kura development and tests.
//
// oidc-provider 9 with the clients of clients.mjs: "kura-desktop" (Auth0 defaults) and twins that
// each switch on one rule of a real provider (short ID tokens, exact loopback ports, a callback
// confirmation page, Cognito's scope and refresh-token rules). Auth0-like details: issuer with a
// trailing slash, Auth0 route names, `auth0|...` subjects, refresh tokens whenever offline_access
// is asked for, rotation with reuse detection, device authorization grant.
//
// Admin endpoint (loopback only, not part of any real provider):
//   POST /__devstack/rotate-key   new RS256 signing key with a new `kid` that signs from now on;
//                                 the JWKS publishes it and the retired keys (for 11 h, longer
//                                 than any ID token lives); persisted in idp-jwks.json.
//                                 Answers {"kids": [new, retired...]}.
//   POST /__devstack/fault?client=ID&token=503|drop|off&count=N
//                                 the next N token-endpoint requests (any grant) whose client_id
//                                 is ID fail: `503` answers HTTP 503 with the OAuth error
//                                 `temporarily_unavailable` (JSON, Retry-After: 1); `drop` resets
//                                 the connection without an answer; `off` (or count=0) disarms.
//                                 count defaults to 1. Other clients are never affected. Answers
//                                 {"client", "token", "remaining", "failed"} (failed: requests
//                                 failed since the switch was set); GET ?client=ID reads that.
//
// Environment:
//   KURA_DEVSTACK_IDP_PORT   listen port (default 9400, bound to 127.0.0.1 only)
//   KURA_DEVSTACK_STATE      state dir: holds idp-jwks.json (signing keys, made on first start),
//                            idp-cookie-keys.json and idp-requests.log

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Provider from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';

import { CLIENTS, cognitoRules, idTokenTtl } from './clients.mjs';
import { kids, loadKeys, rotateKeys } from './keys.mjs';
import * as pages from './pages.mjs';
import { installRules, readForm, refreshTokenConfig } from './rules.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const PORT = Number(process.env.KURA_DEVSTACK_IDP_PORT || 9400);
const HOST = '127.0.0.1';
const ISSUER = `http://${HOST}:${PORT}/`; // trailing slash, like https://TENANT.auth0.com/
const STATE = path.resolve(process.env.KURA_DEVSTACK_STATE || path.join(here, '..', '.state'));
fs.mkdirSync(STATE, { recursive: true, mode: 0o700 });

// ---------------------------------------------------------------- persisted secrets ----------

// Reads a JSON file from the state dir, or creates it with make() on first start.
function persisted(name, make) {
  const file = path.join(STATE, name);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const value = make();
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  return value;
}

// RS256 signing keys; the `kid`s survive restarts so SeaweedFS' cached JWKS stays valid.
const KEYS_FILE = path.join(STATE, 'idp-jwks.json');
let jwks = loadKeys(KEYS_FILE);
const cookieKeys = persisted('idp-cookie-keys.json', () => [randomBytes(32).toString('base64url')]);

// ---------------------------------------------------------------- users --------------------

// Fixed user table. `sub` mimics Auth0's database connection ids (note the `|`). `tenant` (when
// set) is released as the AWS session tag `tenant` and as a plain `tenant` claim (see TAGS_CLAIM).
const USERS = {
  alice: { password: 'alice-password', sub: 'auth0|alice0001', name: 'Alice Example', email: 'alice@example.com', tenant: 'acme' },
  bob: { password: 'bob-password', sub: 'auth0|bob0002', name: 'Bob Example', email: 'bob@example.com', tenant: 'acme' },
  carol: { password: 'carol-password', sub: 'auth0|carol0003', name: 'Carol Example', email: 'carol@example.com', tenant: 'globex' },
  dave: { password: 'dave-password', sub: 'auth0|dave0004', name: 'Dave Example', email: 'dave@example.com' },
};

// The claim AWS STS reads session tags from (AWS IAM User Guide, "Passing session tags using
// AssumeRoleWithWebIdentity"): {principal_tags: {KEY: [VALUE]}, transitive_tag_keys: [KEY]}.
// An Auth0 Action adds it the same way (a namespaced custom claim). SeaweedFS cannot evaluate
// ${aws:PrincipalTag/tenant}, so the tenant is also released as the top-level claim `tenant`,
// which the local role policy reads as ${jwt:tenant}.
const TAGS_CLAIM = 'https://aws.amazon.com/tags';
function tenantClaims(user) {
  if (!user.tenant) return {};
  return {
    tenant: user.tenant,
    [TAGS_CLAIM]: { principal_tags: { tenant: [user.tenant] }, transitive_tag_keys: ['tenant'] },
  };
}
const BY_SUB = new Map(Object.entries(USERS).map(([login, u]) => [u.sub, { login, ...u }]));

async function findAccount(ctx, sub) {
  const user = BY_SUB.get(sub);
  if (!user) return undefined;
  const clientId = ctx?.oidc?.client?.clientId;
  return {
    accountId: sub,
    async claims(use) {
      return {
        sub,
        email: user.email,
        email_verified: true,
        name: user.name,
        nickname: user.login,
        preferred_username: user.login,
        ...tenantClaims(user),
        // Cognito marks its ID tokens (access tokens say "access").
        ...(use === 'id_token' && cognitoRules(clientId) ? { token_use: 'id' } : {}),
      };
    },
  };
}

// ---------------------------------------------------------------- provider ------------------

const logStream = fs.createWriteStream(path.join(STATE, 'idp-requests.log'), { flags: 'a' });

// Sessions, grants and tokens in memory (lost on restart), in one store shared by every Provider
// instance. 15 s is oidc-provider's default clockTolerance.
const adapter = createMemoryAdapter(15);

// One Provider instance per key set: a key rotation builds a new instance with the new set.
// The store and the cookie keys are shared, so signed-in browsers and refresh tokens carry over.
function makeProvider(keySet) {
  const provider = new Provider(ISSUER, {
    adapter,
    clients: CLIENTS,
    jwks: { keys: keySet.keys },
    findAccount,
    cookies: { keys: cookieKeys },
    claims: {
      // Tenant claims ride on `openid` so every client gets them in the ID token, like the
      // claims an Auth0 Action adds whatever the scope.
      openid: ['sub', 'token_use', 'tenant', TAGS_CLAIM],
      email: ['email', 'email_verified'],
      profile: ['name', 'nickname', 'preferred_username'],
    },
    conformIdTokenClaims: false, // scope claims go into the ID token, like Auth0
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    pkce: { required: () => true }, // only S256 exists in oidc-provider 9
    ...refreshTokenConfig, // rotation with reuse detection (invalid_grant); Cognito's rules
    ttl: {
      AccessToken: 86400,
      AuthorizationCode: 60,
      DeviceCode: 600,
      Grant: 14 * 86400,
      Interaction: 3600,
      Session: 14 * 86400,
      RefreshToken: 14 * 86400,
      IdToken: (_ctx, _token, client) => idTokenTtl(client.clientId),
    },
    routes: {
      authorization: '/authorize',
      token: '/oauth/token',
      device_authorization: '/oauth/device/code',
      code_verification: '/activate',
      jwks: '/.well-known/jwks.json',
      revocation: '/oauth/revoke',
      introspection: '/oauth/introspect',
      userinfo: '/userinfo',
      end_session: '/oidc/logout',
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: pages.logoutSource,
        postLogoutSuccessSource: pages.postLogoutSuccessSource,
      },
      deviceFlow: {
        enabled: true,
        charset: 'base-20',
        mask: '****-****',
        userCodeInputSource: pages.userCodeInputSource,
        userCodeConfirmSource: pages.userCodeConfirmSource,
        successSource: pages.successSource,
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: pages.renderError,
  });
  installMiddleware(provider);
  installRules(provider);
  provider.on('server_error', (_ctx, err) => console.error('server_error', err));
  return provider;
}

// ---------------------------------------------------------------- middleware ----------------

function installMiddleware(provider) {
  // Minimal request log: time, method, path (no query: it carries codes), status, duration.
  provider.use(async (ctx, next) => {
    const started = Date.now();
    try {
      await next();
    } finally {
      logStream.write(`${new Date().toISOString()} ${ctx.method} ${ctx.path} ${ctx.status} ${Date.now() - started}ms\n`);
    }
  });

  // Auth0 issues a refresh token whenever the code flow asks for offline_access. oidc-provider
  // (per OIDC Core 11) drops offline_access unless prompt contains "consent"; since consent is
  // answered automatically below, adding prompt=consent to such requests is invisible to users.
  provider.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/authorize') {
      const q = new URLSearchParams(ctx.querystring);
      const scopes = (q.get('scope') || '').split(' ');
      const prompts = (q.get('prompt') || '').split(' ').filter(Boolean);
      if (scopes.includes('offline_access') && !prompts.includes('consent') && !prompts.includes('none')) {
        q.set('prompt', [...prompts, 'consent'].join(' '));
        ctx.querystring = q.toString();
      }
    }
    return next();
  });

  // Gives the signed-in user exactly what the consent prompt says is missing.
  async function autoConsent(details) {
    const { prompt: { details: missing }, params, session } = details;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes || {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    return { consent: details.grantId ? {} : { grantId } };
  }

  // Ends an interaction with a 303 back to the authorization endpoint (seen by Koa's logger).
  async function finish(ctx, result, mergeWithLastSubmission) {
    const url = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission });
    ctx.redirect(url);
    ctx.status = 303;
  }

  // The interaction routes: login form (GET), login submit (POST), automatic consent.
  provider.use(async (ctx, next) => {
    const m = ctx.path.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!m) return next();
    ctx.set('cache-control', 'no-store');
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== m[1]) ctx.throw(400, 'interaction mismatch');
    const clientId = details.params.client_id;
    const { name } = details.prompt;

    if (!m[2] && ctx.method === 'GET') {
      if (name === 'consent') {
        const result = await autoConsent(details);
        return finish(ctx, result, true);
      }
      ctx.type = 'html';
      ctx.body = pages.loginPage(details.uid, { client: clientId, login: details.params.login_hint || '' });
      return undefined;
    }

    if (m[2] && ctx.method === 'POST') {
      if (name !== 'login') ctx.throw(400, `unexpected prompt ${name}`);
      const form = await readForm(ctx.req);
      const login = form.get('login') || '';
      const user = USERS[login];
      if (!user || user.password !== form.get('password')) {
        ctx.status = 200;
        ctx.type = 'html';
        ctx.body = pages.loginPage(details.uid, { client: clientId, login, error: 'Wrong username or password.' });
        return undefined;
      }
      const result = { login: { accountId: user.sub } };
      return finish(ctx, result, false);
    }
    ctx.throw(405);
    return undefined;
  });
}

// ---------------------------------------------------------------- server --------------------

let provider = makeProvider(jwks);
let handle = provider.callback();

const isLocal = (req) => ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress);

// POST /__devstack/rotate-key: only from loopback (the server listens on 127.0.0.1 anyway).
function rotateKey(req, res) {
  const local = isLocal(req);
  if (req.method !== 'POST' || !local) {
    res.writeHead(local ? 405 : 403, { 'content-type': 'text/plain' }).end('POST from loopback only\n');
    return;
  }
  jwks = rotateKeys(KEYS_FILE, jwks);
  provider = makeProvider(jwks);
  handle = provider.callback();
  logStream.write(`${new Date().toISOString()} rotated signing key: kids ${kids(jwks).join(', ')}\n`);
  res.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify({ kids: kids(jwks) })}\n`);
}

// ---------------------------------------------------------------- token endpoint faults -----

// client_id -> { mode: '503' | 'drop', remaining, failed }. In memory: a restart disarms all.
const tokenFaults = new Map();
const FAULT_MODES = ['503', 'drop'];

function faultState(client) {
  const f = tokenFaults.get(client);
  return { client, token: f && f.remaining > 0 ? f.mode : 'off', remaining: f?.remaining ?? 0, failed: f?.failed ?? 0 };
}

// POST|GET /__devstack/fault?client=ID&token=503|drop|off&count=N (loopback only).
function faultSwitch(req, res) {
  const answer = (status, value) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(value)}\n`);
  if (!isLocal(req)) return answer(403, { error: 'loopback only' });
  const q = new URL(req.url, ISSUER).searchParams;
  const client = q.get('client') || '';
  if (!CLIENTS.some((c) => c.client_id === client)) return answer(400, { error: `unknown client ${client}` });
  if (req.method === 'GET') return answer(200, faultState(client));
  if (req.method !== 'POST') return answer(405, { error: 'POST or GET' });
  const mode = q.get('token') || '';
  const count = q.has('count') ? Number(q.get('count')) : 1;
  if (![...FAULT_MODES, 'off'].includes(mode)) return answer(400, { error: 'token must be 503, drop or off' });
  if (!Number.isInteger(count) || count < 0 || count > 10000) return answer(400, { error: 'count must be 0..10000' });
  if (mode === 'off' || count === 0) tokenFaults.delete(client);
  else tokenFaults.set(client, { mode, remaining: count, failed: 0 });
  logStream.write(`${new Date().toISOString()} token fault for ${client}: ${mode} x${count}\n`);
  return answer(200, faultState(client));
}

// A token request while a fault is armed: the form is read here to find its client_id, then
// either failed or handed on with the bytes as req.body (oidc-provider's selective_body uses a
// consumed request's req.body). Requests of clients without a fault pass unchanged.
async function tokenRequest(req, res) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 56 * 1024) {
      res.writeHead(413).end();
      return;
    }
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  const client = new URLSearchParams(body.toString('utf8')).get('client_id');
  const fault = client && tokenFaults.get(client);
  if (fault && fault.remaining > 0) {
    fault.remaining -= 1;
    fault.failed += 1;
    logStream.write(`${new Date().toISOString()} POST /oauth/token fault ${fault.mode} for ${client}\n`);
    if (fault.mode === 'drop') {
      req.socket.resetAndDestroy();
      return;
    }
    res
      .writeHead(503, { 'content-type': 'application/json', 'cache-control': 'no-store', 'retry-after': '1' })
      .end(`${JSON.stringify({ error: 'temporarily_unavailable', error_description: 'the token endpoint is unavailable (devstack fault switch)' })}\n`);
    return;
  }
  req.body = body;
  handle(req, res);
}

const server = http.createServer((req, res) => {
  if (req.url === '/__devstack/rotate-key') return rotateKey(req, res);
  if (req.url.startsWith('/__devstack/fault?')) return faultSwitch(req, res);
  const armed = [...tokenFaults.values()].some((f) => f.remaining > 0);
  if (armed && req.method === 'POST' && req.url.split('?')[0] === '/oauth/token') {
    return tokenRequest(req, res).catch((e) => {
      console.error('token fault handling failed', e);
      req.socket.destroy();
    });
  }
  return handle(req, res);
});
server.listen(PORT, HOST, () => {
  console.log(`kura devstack IdP: issuer ${ISSUER} (node ${process.version}, state ${STATE}, kids ${kids(jwks).join(', ')})`);
});
