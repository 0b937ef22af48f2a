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

// POST /__devstack/rotate-key: only from loopback (the server listens on 127.0.0.1 anyway).
function rotateKey(req, res) {
  const local = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress);
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

const server = http.createServer((req, res) => {
  if (req.url === '/__devstack/rotate-key') return rotateKey(req, res);
  return handle(req, res);
});
server.listen(PORT, HOST, () => {
  console.log(`kura devstack IdP: issuer ${ISSUER} (node ${process.version}, state ${STATE}, kids ${kids(jwks).join(', ')})`);
});
