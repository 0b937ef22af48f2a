// Amazon Cognito Identity's wire protocol (AWS JSON 1.1), as far as the stand-in speaks it.
//
// Request: POST /, Content-Type application/x-amz-json-1.1, X-Amz-Target
// AWSCognitoIdentityService.<Operation>, body a JSON object of the operation's members (AWS's
// names: IdentityPoolId, Logins, IdentityId, CustomRoleArn...). Unsigned: GetId,
// GetOpenIdToken and GetCredentialsForIdentity take no AWS credentials.
//
// Error response (what the AWS SDKs parse into their modeled errors): HTTP 400 (500 for
// InternalErrorException, a server fault), Content-Type application/x-amz-json-1.1,
// header x-amzn-ErrorType "<Type>:", body {"__type": "<Type>", "message": "..."}.
// Validation messages follow AWS's "1 validation error detected: Value ... at '<member>' failed
// to satisfy constraint: ..." form; the member name is lowerCamelCase like AWS's.

import { randomUUID } from 'node:crypto';

export const TARGET_PREFIX = 'AWSCognitoIdentityService.';
export const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** A service error: `type` is the AWS error shape name (e.g. NotAuthorizedException). */
export class CognitoError extends Error {
  constructor(type, message, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

export const notAuthorized = (message) => new CognitoError('NotAuthorizedException', message);
export const notFound = (message) => new CognitoError('ResourceNotFoundException', message);
export const invalidParameter = (message) => new CognitoError('InvalidParameterException', message);
export const internalError = (message) => new CognitoError('InternalErrorException', message, 500);

/** Writes a JSON 1.1 response with AWS's x-amzn-RequestId header. */
export function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  res.end(text);
}

/** Writes a CognitoError in the JSON 1.1 error shape. */
export function sendError(res, err) {
  sendJson(res, err.status, { __type: err.type, message: err.message }, { 'x-amzn-ErrorType': `${err.type}:` });
}

/** Reads a request body (at most 1 MiB). */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > 1 << 20) {
        reject(new CognitoError('SerializationException', 'Request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The operation name and input of a JSON 1.1 request, or a CognitoError:
 * UnknownOperationException for a missing or foreign X-Amz-Target or an operation not in
 * `operations`; SerializationException for a body that is not a JSON object (like AWS).
 */
export function parseRequest(headers, body, operations) {
  const target = headers['x-amz-target'] || '';
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  if (!Object.hasOwn(operations, operation)) {
    throw new CognitoError('UnknownOperationException', `Unknown operation ${JSON.stringify(target)}`);
  }
  let input;
  try {
    input = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw new CognitoError('SerializationException', 'Request body is not valid JSON');
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new CognitoError('SerializationException', 'Request body must be a JSON object');
  }
  return { operation, input };
}

const camel = (member) => member[0].toLowerCase() + member.slice(1);
const validation = (value, member, constraint) =>
  invalidParameter(
    `1 validation error detected: Value ${value === undefined || value === null ? 'null' : `'${value}'`} at ` +
      `'${camel(member)}' failed to satisfy constraint: ${constraint}`,
  );

// Member constraints from the Cognito Identity API reference (2014-06-30).
export const IDENTITY_POOL_ID = { pattern: /^[\w-]+:[0-9a-f-]+$/, source: '[\\w-]+:[0-9a-f-]+', min: 1, max: 55 };
export const IDENTITY_ID = IDENTITY_POOL_ID;
export const ACCOUNT_ID = { pattern: /^\d+$/, source: '\\d+', min: 1, max: 15 };
export const ARN = { min: 20, max: 2048 };

/** The string member `member` of `input` checked against `rule`; undefined when optional and absent. */
export function stringMember(input, member, rule, required = true) {
  const value = input[member];
  if (value === undefined || value === null) {
    if (required) throw validation(value, member, 'Member must not be null');
    return undefined;
  }
  if (typeof value !== 'string') throw new CognitoError('SerializationException', `${member} must be a string`);
  if (value.length < rule.min || value.length > rule.max) {
    throw validation(value, member, `Member must have length between ${rule.min} and ${rule.max}`);
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw validation(value, member, `Member must satisfy regular expression pattern: ${rule.source}`);
  }
  return value;
}

/** The Logins map ({provider name: token}, at most 10 entries); {} when absent. */
export function loginsMember(input) {
  const logins = input.Logins;
  if (logins === undefined || logins === null) return {};
  if (typeof logins !== 'object' || Array.isArray(logins)) {
    throw new CognitoError('SerializationException', 'Logins must be a map of strings');
  }
  const entries = Object.entries(logins);
  if (entries.length > 10) throw validation('[map]', 'Logins', 'Member must have length less than or equal to 10');
  for (const [name, token] of entries) {
    if (typeof token !== 'string') throw new CognitoError('SerializationException', 'Logins must be a map of strings');
    if (name.length < 1 || name.length > 128) {
      throw validation(name, 'Logins', 'Map keys must have length between 1 and 128');
    }
    if (token.length < 1 || token.length > 50000) {
      throw validation('[token]', 'Logins', 'Map values must have length between 1 and 50000');
    }
  }
  return logins;
}
