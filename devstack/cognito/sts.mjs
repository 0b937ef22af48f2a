// The STS call of the enhanced flow: AssumeRoleWithWebIdentity (STS API reference, Query API,
// unsigned form POST) with the stand-in's OpenID token, mapped to Cognito's Credentials shape.
//
// Failures become Cognito Identity errors with STS's code in the message:
//   STS answered with an error (AccessDenied: the role does not trust the pool;
//   InvalidIdentityToken / IDPRejectedClaim / ExpiredTokenException: STS does not trust the
//   stand-in's tokens)  -> InvalidIdentityPoolConfigurationException
//   "Invalid identity pool configuration. Check assigned IAM roles for this pool. (STS <Code>: <Message>)"
//   STS unreachable, a 5xx, or an answer that is not STS XML -> InternalErrorException (HTTP 500).

import { CognitoError, internalError } from './protocol.mjs';

const ROLE_SESSION_NAME = 'CognitoIdentityCredentials';
const TIMEOUT_MS = 10_000;

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e) => ENTITIES[e]);

/** The text of the first <tag> element of `xml`, or undefined. */
function element(xml, tag) {
  const m = xml.match(new RegExp(`<${tag}>([^<]*)</${tag}>`));
  return m ? unescapeXml(m[1]) : undefined;
}

/**
 * Calls AssumeRoleWithWebIdentity on `endpoint` (e.g. http://127.0.0.1:8333) for `roleArn` with
 * `token`, asking for `durationSeconds`. Returns Cognito's Credentials:
 * {AccessKeyId, SecretKey, SessionToken, Expiration (unix seconds, a number)}.
 */
export async function assumeRoleWithWebIdentity(endpoint, roleArn, token, durationSeconds) {
  const form = new URLSearchParams({
    Action: 'AssumeRoleWithWebIdentity',
    Version: '2011-06-15',
    RoleArn: roleArn,
    RoleSessionName: ROLE_SESSION_NAME,
    WebIdentityToken: token,
    DurationSeconds: String(durationSeconds),
  });
  let status;
  let xml;
  try {
    const res = await fetch(`${endpoint.replace(/\/$/, '')}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    status = res.status;
    xml = await res.text();
  } catch (e) {
    throw internalError(`An internal error occurred: STS at ${endpoint} unreachable (${e.cause?.code || e.name})`);
  }
  const code = element(xml, 'Code');
  if (status >= 400 && code && status < 500) {
    throw new CognitoError(
      'InvalidIdentityPoolConfigurationException',
      `Invalid identity pool configuration. Check assigned IAM roles for this pool. (STS ${code}: ${element(xml, 'Message') || ''})`,
    );
  }
  const credentials = {
    AccessKeyId: element(xml, 'AccessKeyId'),
    SecretKey: element(xml, 'SecretAccessKey'),
    SessionToken: element(xml, 'SessionToken'),
    Expiration: Math.floor(Date.parse(element(xml, 'Expiration') || '') / 1000),
  };
  if (status !== 200 || Object.values(credentials).some((v) => v === undefined || Number.isNaN(v))) {
    throw internalError(`An internal error occurred: STS at ${endpoint} answered HTTP ${status}${code ? ` ${code}` : ''}`);
  }
  return credentials;
}
