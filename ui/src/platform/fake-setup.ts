// The fake platform's approximation of kura_core::setup: the presets' issuer derivation, the
// field rules (kura_core::config::rules) and the summary with the IAM policies. Close enough for
// UI tests and the in-browser demo; the real rules are in Rust.
import type { FieldIssue } from "../bindings/FieldIssue";
import type { ProfileDraft } from "../bindings/ProfileDraft";
import type { ProviderInput } from "../bindings/ProviderInput";
import type { SetupSummary } from "../bindings/SetupSummary";
import { APP_REDIRECT_URI, hostOf, isOptionalField, providerFields, providerValue } from "../lib/drafts";
import { credentialIssues, identityIdIssue, poolTrustPolicy, providerName, registrations } from "./fake-credentials";
import { endpointIssue, issue, prefixIssue } from "./fake-rules";

const DEFAULT_SCOPES = ["openid", "offline_access", "profile", "email"];

/** A base URL typed with or without `https://` (presets accept both). */
function baseUrl(text: string): string {
  const t = text.trim().replace(/\/+$/, "");
  return /^[a-z]+:\/\//i.test(t) ? t : `https://${t}`;
}

/** The preset's issuer, or the issues with its fields. */
export function deriveIssuer(input: ProviderInput): { issuer: string } | { issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  for (const f of providerFields(input.preset)) {
    if (!isOptionalField(input.preset, f) && !providerValue(input, f).trim()) issues.push(issue(f, "required", "required"));
  }
  if (issues.length) return { issues };
  let issuer: string;
  let field: string;
  switch (input.preset) {
    case "auth0":
      [issuer, field] = [`${baseUrl(input.domain)}/`, "domain"];
      break;
    case "cognito":
      if (!/^[a-z0-9-]+$/.test(input.pool_region)) return { issues: [issue("pool_region", "region.invalid", "not a region name")] };
      if (!/^[a-z0-9-]+_[A-Za-z0-9]+$/.test(input.user_pool_id.trim())) {
        return { issues: [issue("user_pool_id", "user_pool_id.invalid", "a user pool ID looks like eu-west-1_AbC123")] };
      }
      [issuer, field] = [`https://cognito-idp.${input.pool_region}.amazonaws.com/${input.user_pool_id.trim()}`, "user_pool_id"];
      break;
    case "keycloak":
      [issuer, field] = [`${baseUrl(input.base_url)}/realms/${input.realm.trim()}`, "base_url"];
      break;
    case "okta":
      [issuer, field] = [`${baseUrl(input.org_url)}/oauth2/${input.authorization_server?.trim() || "default"}`, "org_url"];
      break;
    case "entra":
      [issuer, field] = [`https://login.microsoftonline.com/${input.tenant_id.trim()}/v2.0`, "tenant_id"];
      break;
    case "generic":
      [issuer, field] = [input.issuer.trim(), "issuer"];
      break;
  }
  const bad = endpointIssue(field, issuer);
  if (bad) return { issues: [bad] };
  if (input.preset === "generic" && input.scopes && !input.scopes.includes("openid")) {
    return { issues: [issue("scopes", "scopes.no_openid", "must include openid")] };
  }
  return { issuer };
}

export function scopesOf(input: ProviderInput): string[] {
  if (input.preset === "generic" && input.scopes) return input.scopes;
  if (input.preset === "cognito") return DEFAULT_SCOPES.filter((s) => s !== "offline_access");
  return DEFAULT_SCOPES;
}

function redirectIssue(uri: string): FieldIssue | null {
  if (uri === "" || uri.startsWith("app.kura.desktop:")) return null;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return issue("redirect_uri", "redirect.invalid", "not a URI");
  }
  if (url.protocol === "http:") {
    if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
      return issue("redirect_uri", "redirect.not_loopback", "must be http://127.0.0.1[:PORT]/callback or http://localhost[:PORT]/callback");
    }
    return url.pathname === "/callback" && !url.search ? null : issue("redirect_uri", "redirect.path", "path must be /callback");
  }
  if (url.protocol === "https:") return issue("redirect_uri", "redirect.not_loopback", "Kura cannot receive an https callback");
  return issue("redirect_uri", "redirect.foreign_scheme", `use redirect_uri = "${APP_REDIRECT_URI}"`);
}

/** ProfileDraft::validate, approximately. */
export function validateDraft(d: ProfileDraft, taken: string[], replacing: string | null): FieldIssue[] {
  const out: FieldIssue[] = [];
  const req = (field: string, v: string) => !v.trim() && out.push(issue(field, "required", "required"));
  if (!d.name) out.push(issue("name", "required", "required"));
  else if (!/^[A-Za-z0-9_.-]{1,64}$/.test(d.name)) out.push(issue("name", "name.invalid", "1-64 letters, digits, '_', '-' or '.'"));
  else if (taken.includes(d.name) && d.name !== replacing) out.push(issue("name", "name.taken", "a profile of that name exists"));
  const derived = deriveIssuer(d.provider);
  if ("issues" in derived) out.push(...derived.issues);
  req("client_id", d.client_id);
  const r = redirectIssue(d.redirect_uri.trim());
  if (r) out.push(r);
  if (d.loopback_port != null && (d.loopback_port < 1024 || d.loopback_port > 65535)) {
    out.push(issue("loopback_port", "port.invalid", "must be a port number from 1024 to 65535"));
  }
  out.push(...credentialIssues(d));
  if (!d.bucket) req("bucket", "");
  else if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(d.bucket)) out.push(issue("bucket", "bucket.invalid", "not a valid bucket name"));
  if (!d.region) req("region", "");
  else if (!/^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$/.test(d.region)) out.push(issue("region", "region.invalid", "not a region name"));
  const pre = prefixIssue(d.prefix) ?? identityIdIssue(d);
  if (pre) out.push(pre);
  for (const f of ["s3_endpoint", "sts_endpoint"] as const) {
    const bad = d[f].trim() ? endpointIssue(f, d[f]) : null;
    if (bad) out.push(bad);
  }
  return out;
}

/** rules::LoopbackHost::for_issuer: `localhost` for an Amazon Cognito user pool, else 127.0.0.1. */
function loopbackHostFor(issuer: string): string {
  return /^cognito-idp\.[^.]+\.amazonaws\.com(\.cn)?$/.test(hostOf(issuer)) && issuer.startsWith("https://") ? "localhost" : "127.0.0.1";
}

/** The callback URLs to register: the app's scheme plus the CLI's loopback (on localhost for
 * Amazon Cognito), or the loopback as typed. */
export function callbackUrls(d: ProfileDraft): string[] {
  const derived = deriveIssuer(d.provider);
  const host = "issuer" in derived ? loopbackHostFor(derived.issuer) : "127.0.0.1";
  const loop = (port: number | null) => (port == null ? `http://${host}/callback` : `http://${host}:${port}/callback`);
  if (d.redirect_uri.startsWith("app.kura.desktop:")) return [d.redirect_uri, loop(d.loopback_port)];
  return [d.redirect_uri.trim() || "http://127.0.0.1/callback"];
}

/** policy::provider_url: the issuer without its scheme. */
function providerUrl(issuer: string): string {
  return issuer.replace(/^[a-z]+:\/\//i, "");
}

export function trustPolicy(issuer: string, audience: string, roleArn: string): object {
  const parts = roleArn.split(":");
  const partition = parts[1] || "aws";
  const account = parts[4] || "ACCOUNT_ID";
  const url = providerUrl(issuer);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: `arn:${partition}:iam::${account}:oidc-provider/${url}` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${url}:aud`]: audience } },
      },
    ],
  };
}

export function permissionPolicy(issuer: string, bucket: string, prefix: string): object {
  const p = prefix.replaceAll("{sub}", `\${${providerUrl(issuer)}:sub}`).replaceAll("{identity_id}", "${cognito-identity.amazonaws.com:sub}");
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: `arn:aws:s3:::${bucket}`,
        Condition: { StringLike: { "s3:prefix": [`${p}*`] } },
      },
      {
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        Resource: `arn:aws:s3:::${bucket}/${p}*`,
      },
    ],
  };
}

/** ProfileDraft::summary, approximately (call only when `validateDraft` found nothing). */
export function summary(d: ProfileDraft): SetupSummary {
  const derived = deriveIssuer(d.provider);
  const issuer = "issuer" in derived ? derived.issuer : "";
  const audience = (d.provider.preset === "auth0" && d.provider.audience) || d.client_id;
  const { oidc, pool } = registrations(d, issuer, audience);
  const trust = pool ? poolTrustPolicy(pool.identity_pool_id) : trustPolicy(issuer, audience, d.role_arn);
  return {
    issuer,
    scopes: scopesOf(d.provider),
    callback_urls: callbackUrls(d),
    oidc_provider: oidc,
    identity_pool: pool,
    role_arn: d.role_arn.trim() || null,
    trust_policy: JSON.stringify(trust, null, 2),
    permission_policy: JSON.stringify(permissionPolicy(issuer, d.bucket, d.prefix), null, 2),
  };
}

/** ProfileDraft::default_identity_provider: the pool's default `Logins` key, null without an issuer. */
export function identityProviderDefault(d: ProfileDraft): string | null {
  const derived = deriveIssuer(d.provider);
  return "issuer" in derived ? providerName(derived.issuer) : null;
}

/** The issuer's host of a draft ("" when it cannot be derived). */
export function issuerHost(d: ProfileDraft): string {
  const derived = deriveIssuer(d.provider);
  return "issuer" in derived ? hostOf(derived.issuer) : "";
}
