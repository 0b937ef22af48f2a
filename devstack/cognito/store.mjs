// The stand-in's identities, persisted in $STATE/cognito/identities.json so they survive restarts:
//   {"identities": {"<identity id>": {"pool": "<pool id>", "logins": {"<provider>": "<sub>"},
//                                     "created": <unix seconds>}}}
// An identity id is REGION:<random UUID v4>, like Amazon Cognito's; one per (pool, provider, sub),
// so the same user has a different identity in each pool (as on AWS). Every change is written
// atomically (temp file + rename).

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';

import { writeJsonAtomic } from './tokens.mjs';

export class IdentityStore {
  /** Loads `file` (an empty store when it does not exist yet). */
  constructor(file) {
    this.file = file;
    this.identities = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).identities || {} : {};
  }

  /** The identity {id, pool, logins} with id `identityId`, or undefined. */
  get(identityId) {
    const found = Object.hasOwn(this.identities, identityId) ? this.identities[identityId] : undefined;
    return found && { id: identityId, ...found };
  }

  /**
   * The id of the identity of pool `poolId` that login {provider, sub} belongs to, made (random,
   * persisted) on first sight. `region` prefixes a new id.
   */
  idFor(poolId, region, { provider, sub }) {
    for (const [id, identity] of Object.entries(this.identities)) {
      if (identity.pool === poolId && identity.logins[provider] === sub) return id;
    }
    const id = `${region}:${randomUUID()}`;
    this.identities[id] = { pool: poolId, logins: { [provider]: sub }, created: Math.floor(Date.now() / 1000) };
    writeJsonAtomic(this.file, { identities: this.identities });
    return id;
  }
}
