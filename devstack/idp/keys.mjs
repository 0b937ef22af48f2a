// The IdP's RS256 signing keys, persisted in the state dir as idp-jwks.json:
// {"keys": [private JWKs, signing key first], "retired": {"<kid>": <unix seconds>}}.
//
// The first key signs new tokens (oidc-provider picks the first key matching the algorithm);
// every key in `keys` is published at /.well-known/jwks.json. rotateKeys() puts a new key with a
// new `kid` first and keeps the previous ones published while tokens they signed can still be
// valid (the longest ID token lifetime plus a margin), like a provider that rotates its signing
// key without revoking the old one.

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import fs from 'node:fs';

// A retired key stays published this long: the longest ID token (10 h) plus one hour.
const RETIRED_KEY_TTL_S = 11 * 3600;

function newKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: `kura-dev-${randomUUID().slice(0, 8)}`, alg: 'RS256', use: 'sig' };
}

function save(file, state) {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

const now = () => Math.floor(Date.now() / 1000);

// Drops retired keys older than RETIRED_KEY_TTL_S (never the signing key).
function prune(state) {
  const retired = state.retired || {};
  const keys = state.keys.filter((k, i) => i === 0 || !(now() - (retired[k.kid] ?? now()) > RETIRED_KEY_TTL_S));
  const kept = Object.fromEntries(Object.entries(retired).filter(([kid]) => keys.some((k) => k.kid === kid)));
  return { keys, retired: kept };
}

/** The key set in `file` (created with one new key on first start); `.keys` is oidc-provider's `jwks`. */
export function loadKeys(file) {
  if (!fs.existsSync(file)) {
    const state = { keys: [newKey()], retired: {} };
    save(file, state);
    return state;
  }
  const state = prune(JSON.parse(fs.readFileSync(file, 'utf8')));
  save(file, state);
  return state;
}

/** Makes a new signing key, retires the current one (still published), persists; returns the set. */
export function rotateKeys(file, state) {
  const retired = { ...(state.retired || {}), [state.keys[0].kid]: now() };
  const rotated = prune({ keys: [newKey(), ...state.keys], retired });
  save(file, rotated);
  return rotated;
}

/** The `kid`s of a key set, signing key first. */
export const kids = (state) => state.keys.map((k) => k.kid);
