// The fake platform's approximation of kura_core::setup::credentials and the identity pool part
// of kura_core::setup::summary: the credential fields' rules and what an administrator registers
// for an IAM role or an Amazon Cognito identity pool. The real code is in Rust.
import type { FieldIssue } from "../bindings/FieldIssue";
import type { IdentityPoolEntry } from "../bindings/IdentityPoolEntry";
import type { OidcProviderEntry } from "../bindings/OidcProviderEntry";
import type { ProfileDraft } from "../bindings/ProfileDraft";
import { endpointIssue, issue } from "./fake-rules";

const ROLE_ARN = /^arn:[^:\s]+:iam::[^:\s]*:role\/\S+$/;

/** identity_pool::provider_name: the issuer without scheme and trailing slash. */
export function providerName(issuer: string): string {
  return issuer.replace(/^https?:\/\//, "").replace(/\/+$/, "");
}

/** ProfileDraft::validate_credentials and the `{identity_id}` rule, approximately. */
export function credentialIssues(d: ProfileDraft): FieldIssue[] {
  const out: FieldIssue[] = [];
  const role = d.role_arn.trim();
  const roleIssue = () => !ROLE_ARN.test(role) && out.push(issue("role_arn", "role_arn.invalid", "not an IAM role ARN"));
  if (d.credentials === "role") {
    if (!role) out.push(issue("role_arn", "required", "required"));
    else roleIssue();
    return out;
  }
  const id = d.identity_pool_id.trim();
  if (!id) out.push(issue("identity_pool_id", "required", "required"));
  else if (id.length > 55 || !/^[\w-]+:[0-9a-f-]+$/i.test(id)) {
    out.push(issue("identity_pool_id", "identity_pool_id.invalid", "not an identity pool ID"));
  }
  const provider = d.identity_provider.trim();
  if (provider && (provider.includes("://") || /\s/.test(provider) || provider.length > 128)) {
    out.push(issue("identity_provider", "identity_provider.invalid", "not a provider name"));
  }
  if (role) roleIssue();
  else if (d.cognito_flow === "basic") out.push(issue("role_arn", "required", "required"));
  const endpoint = d.cognito_endpoint.trim() ? endpointIssue("cognito_endpoint", d.cognito_endpoint) : null;
  if (endpoint) out.push(endpoint);
  return out;
}

/** The `prefix` issue of `{identity_id}` without an identity pool. */
export function identityIdIssue(d: ProfileDraft): FieldIssue | null {
  return d.credentials === "role" && d.prefix.includes("{identity_id}")
    ? issue("prefix", "prefix.identity_id_without_pool", "{identity_id} needs an identity pool")
    : null;
}

/** identity_pool_trust_policy. */
export function poolTrustPolicy(poolId: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: "cognito-identity.amazonaws.com" },
        Action: ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
        Condition: {
          StringEquals: { "cognito-identity.amazonaws.com:aud": poolId },
          "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" },
        },
      },
    ],
  };
}

/** The summary's `oidc_provider` and `identity_pool` (`audience`: the role trust's audience). */
export function registrations(d: ProfileDraft, issuer: string, audience: string): { oidc: OidcProviderEntry | null; pool: IdentityPoolEntry | null } {
  const parts = d.role_arn.split(":");
  const [partition, account] = [parts[1] || "aws", /^\d{12}$/.test(parts[4] ?? "") ? parts[4] : "ACCOUNT_ID"];
  const arn = (url: string) => `arn:${partition}:iam::${account}:oidc-provider/${url}`;
  if (d.credentials === "role") {
    const url = issuer.replace(/^https?:\/\//, "");
    return { oidc: { url, arn: arn(url), audience }, pool: null };
  }
  const provider = d.identity_provider.trim() || providerName(issuer);
  const userPool = /^cognito-idp\.[^/]+\.amazonaws\.com(\.cn)?\/.+/.test(provider);
  const pool: IdentityPoolEntry = {
    identity_pool_id: d.identity_pool_id.trim(),
    region: d.identity_pool_id.split(":")[0],
    flow: d.cognito_flow,
    identity_provider: provider,
    provider_type: userPool ? "cognito_user_pool" : "openid_connect",
    client_id: d.client_id.trim(),
    custom_role: d.cognito_flow === "enhanced" && !!d.role_arn.trim(),
  };
  return { oidc: userPool ? null : { url: provider, arn: arn(provider), audience: d.client_id.trim() }, pool };
}
