// Per-client behaviours of real providers (see clients.mjs), installed on a Provider instance.

import { randomBytes } from 'node:crypto';

import { cognitoRules, confirmsCallbacks, exactPorts } from './clients.mjs';
import { confirmCallbackPage, page } from './pages.mjs';

const CONFIRM_TTL_MS = 5 * 60 * 1000;

// Redirects waiting behind a confirmation page: id -> { location, expires }. Shared by every
// Provider instance (a key rotation swaps the instance; pending confirmations survive it).
const pendingConfirmations = new Map();

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
export { readForm };

// A callback the app receives itself: a custom scheme, or http on a loopback address.
function isNativeCallback(location) {
  let url;
  try {
    url = new URL(location);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return false;
  if (url.protocol === 'http:') return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return true;
}

// Exact port matching (Auth0, Okta, Amazon Cognito): oidc-provider 9 lets a native client's
// loopback redirect (http on 127.0.0.1, [::1] or localhost) use any port (RFC 8252 §7.3, in
// Client#redirectUriAllowed); for these clients only the registered URIs match, character for
// character (so kura-cognito's http://localhost:PORT/callback neither takes another port nor
// 127.0.0.1).
function installExactPorts(provider) {
  const { prototype } = provider.Client;
  const anyPort = prototype.redirectUriAllowed;
  prototype.redirectUriAllowed = function redirectUriAllowed(value) {
    if (exactPorts(this.clientId)) return this.redirectUris.includes(value);
    return anyPort.call(this, value);
  };
}

// The confirmation page: a successful authorization response for a confirming client is held
// back; the browser gets a page with a Continue form that releases it (POST, then 303).
function installConfirmation(provider) {
  provider.use(async (ctx, next) => {
    const m = ctx.path.match(/^\/__devstack\/confirm\/([\w-]+)$/);
    if (!m) return next();
    if (ctx.method !== 'POST') ctx.throw(405);
    await readForm(ctx.req);
    const held = pendingConfirmations.get(m[1]);
    pendingConfirmations.delete(m[1]);
    if (!held || held.expires < Date.now()) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = page('Error', '<p>This confirmation has expired. Start the sign-in again.</p>');
      return undefined;
    }
    ctx.status = 303; // set first: Koa's redirect() keeps a redirect status
    ctx.redirect(held.location);
    return undefined;
  });
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.method !== 'GET' || !ctx.path.startsWith('/authorize')) return;
    if (ctx.status !== 302 && ctx.status !== 303) return;
    const client = ctx.oidc?.client;
    const location = ctx.response.get('Location');
    if (!client || !confirmsCallbacks(client.clientId) || !isNativeCallback(location)) return;
    if (!new URL(location).searchParams.has('code')) return;
    const now = Date.now();
    for (const [id, held] of pendingConfirmations) if (held.expires < now) pendingConfirmations.delete(id);
    const id = randomBytes(24).toString('base64url');
    pendingConfirmations.set(id, { location, expires: now + CONFIRM_TTL_MS });
    ctx.remove('Location');
    ctx.status = 200;
    ctx.type = 'html';
    ctx.set('cache-control', 'no-store');
    ctx.body = confirmCallbackPage(id, client.clientName || client.clientId);
  });
}

// Cognito answers a refresh without a new refresh token (no rotation); the client keeps its own.
function installCognitoRefresh(provider) {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.method !== 'POST' || ctx.path !== '/oauth/token') return;
    const client = ctx.oidc?.client;
    if (!client || !cognitoRules(client.clientId)) return;
    if (ctx.oidc.params?.grant_type === 'refresh_token' && ctx.body && typeof ctx.body === 'object') {
      delete ctx.body.refresh_token;
    }
  });
}

/** Installs every per-client behaviour on a Provider instance. */
export function installRules(provider) {
  installExactPorts(provider);
  installConfirmation(provider);
  installCognitoRefresh(provider);
}

/** oidc-provider configuration for Cognito's refresh tokens (merged into the Provider config). */
export const refreshTokenConfig = {
  // Cognito issues a refresh token for every authorization code flow, with no offline_access.
  issueRefreshToken: async (_ctx, client, code) =>
    client.grantTypeAllowed('refresh_token') && (code.scopes.has('offline_access') || cognitoRules(client.clientId)),
  // ... and it outlives the browser session (oidc-provider binds non-offline tokens to it).
  expiresWithSession: async (ctx, code) => !code.scopes.has('offline_access') && !cognitoRules(ctx.oidc.client?.clientId),
  // Every refresh rotates (reuse -> invalid_grant), except under Cognito's rules.
  rotateRefreshToken: (ctx) => !cognitoRules(ctx.oidc.client?.clientId),
};
