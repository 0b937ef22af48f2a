// Local OpenID provider that stands in for an Auth0 tenant during Kura development and tests.
//
// oidc-provider 9 configured for one public native app ("kura-desktop") plus a twin whose ID
// tokens expire after 20 s ("kura-shortlived"). Auth0-like details: issuer with a trailing
// slash, Auth0 route names, `auth0|...` subjects, refresh tokens whenever offline_access is
// asked for, rotation with reuse detection, device authorization grant.
//
// Environment:
//   KURA_DEVSTACK_IDP_PORT   listen port (default 9400, bound to 127.0.0.1 only)
//   KURA_DEVSTACK_STATE      state dir: holds idp-jwks.json (signing key, made on first start),
//                            idp-cookie-keys.json and idp-requests.log

import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Provider from 'oidc-provider';

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

// RS256 signing key; its `kid` survives restarts so SeaweedFS' cached JWKS stays valid.
const jwks = persisted('idp-jwks.json', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: `kura-dev-${randomUUID().slice(0, 8)}`, alg: 'RS256', use: 'sig' }] };
});
const cookieKeys = persisted('idp-cookie-keys.json', () => [randomBytes(32).toString('base64url')]);

// ---------------------------------------------------------------- users --------------------

// Fixed user table. `sub` mimics Auth0's database connection ids (note the `|`).
const USERS = {
  alice: { password: 'alice-password', sub: 'auth0|alice0001', name: 'Alice Example', email: 'alice@example.com' },
  bob: { password: 'bob-password', sub: 'auth0|bob0002', name: 'Bob Example', email: 'bob@example.com' },
};
const BY_SUB = new Map(Object.entries(USERS).map(([login, u]) => [u.sub, { login, ...u }]));

async function findAccount(_ctx, sub) {
  const user = BY_SUB.get(sub);
  if (!user) return undefined;
  return {
    accountId: sub,
    async claims() {
      return {
        sub,
        email: user.email,
        email_verified: true,
        name: user.name,
        nickname: user.login,
        preferred_username: user.login,
      };
    },
  };
}

// ---------------------------------------------------------------- clients -------------------

const nativeClient = (clientId, clientName) => ({
  client_id: clientId,
  client_name: clientName,
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
  response_types: ['code'],
  // The loopback URI matches any port (RFC 8252 section 7.3) for native clients.
  redirect_uris: ['http://127.0.0.1/callback', 'app.kura.desktop:/callback'],
});

const SHORT_ID_TOKEN_CLIENT = 'kura-shortlived';

// ---------------------------------------------------------------- provider ------------------

const provider = new Provider(ISSUER, {
  clients: [nativeClient('kura-desktop', 'Kura'), nativeClient(SHORT_ID_TOKEN_CLIENT, 'Kura (short ID tokens)')],
  jwks,
  findAccount,
  cookies: { keys: cookieKeys },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'nickname', 'preferred_username'],
  },
  conformIdTokenClaims: false, // scope claims go into the ID token, like Auth0
  scopes: ['openid', 'offline_access', 'profile', 'email'],
  pkce: { required: () => true }, // only S256 exists in oidc-provider 9
  rotateRefreshToken: true, // every refresh rotates; reuse of a rotated token -> invalid_grant
  ttl: {
    AccessToken: 86400,
    AuthorizationCode: 60,
    DeviceCode: 600,
    Grant: 14 * 86400,
    Interaction: 3600,
    Session: 14 * 86400,
    RefreshToken: 14 * 86400,
    IdToken: (_ctx, _token, client) => (client.clientId === SHORT_ID_TOKEN_CLIENT ? 20 : 36000),
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
    rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    deviceFlow: {
      enabled: true,
      charset: 'base-20',
      mask: '****-****',
      userCodeInputSource,
      userCodeConfirmSource,
      successSource,
    },
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError,
});

// ---------------------------------------------------------------- HTML ----------------------

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body><h1>${esc(title)}</h1>
${body}
</body></html>`;

function loginPage(uid, { login = '', error = '', client = '' } = {}) {
  return page('Log in', `<p>Log in to continue to ${esc(client)}.</p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
  <label>Username <input type="text" name="login" value="${esc(login)}" autofocus></label>
  <label>Password <input type="password" name="password"></label>
  <button type="submit">Continue</button>
</form>`);
}

async function userCodeInputSource(ctx, form, _out, err) {
  const msg = err ? '<p class="error">The code you entered is incorrect. Try again.</p>' : '<p>Enter the code displayed on your device.</p>';
  ctx.body = page('Device activation', `${msg}\n${form}\n<button type="submit" form="op.deviceInputForm">Continue</button>`);
}

async function userCodeConfirmSource(ctx, form, client, _deviceInfo, userCode) {
  ctx.body = page('Confirm device', `<p>${esc(client.clientName || client.clientId)} shows the code <code>${esc(userCode)}</code>.</p>
${form}
<button type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" value="yes" name="abort">Abort</button>`);
}

async function successSource(ctx) {
  ctx.body = page('Device activated', '<p>Sign-in successful. You can close this page.</p>');
}

async function logoutSource(ctx, form) {
  ctx.body = page('Log out', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Log out</button>`);
}

async function postLogoutSuccessSource(ctx) {
  ctx.body = page('Logged out', '<p>You are logged out.</p>');
}

async function renderError(ctx, out) {
  ctx.type = 'html';
  ctx.body = page('Error', `<pre>${esc(JSON.stringify(out, null, 2))}</pre>`);
}

// ---------------------------------------------------------------- middleware ----------------

const logStream = fs.createWriteStream(path.join(STATE, 'idp-requests.log'), { flags: 'a' });

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

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

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
    ctx.body = loginPage(details.uid, { client: clientId, login: details.params.login_hint || '' });
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
      ctx.body = loginPage(details.uid, { client: clientId, login, error: 'Wrong username or password.' });
      return undefined;
    }
    const result = { login: { accountId: user.sub } };
    return finish(ctx, result, false);
  }
  ctx.throw(405);
  return undefined;
});

provider.on('server_error', (_ctx, err) => console.error('server_error', err));

provider.listen(PORT, HOST, () => {
  console.log(`kura devstack IdP: issuer ${ISSUER} (node ${process.version}, state ${STATE})`);
});
