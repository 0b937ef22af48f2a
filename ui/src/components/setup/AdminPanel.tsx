import type { IdentityPoolEntry } from "../../bindings/IdentityPoolEntry";
import type { OidcProviderEntry } from "../../bindings/OidcProviderEntry";
import type { SetupSummary } from "../../bindings/SetupSummary";
import { SETUP_TEXT } from "../../lib/setup-text";
import { CopyButton } from "./Field";

type Copy = (text: string) => Promise<void>;

/** The IAM OpenID Connect identity provider to create (URL, ARN, audience). */
function OidcProvider({ entry, copy }: { entry: OidcProviderEntry; copy: Copy }) {
  return (
    <>
      <h4>{SETUP_TEXT.oidcHeading}</h4>
      <dl class="derived" data-testid="oidc-provider">
        <dt>{SETUP_TEXT.oidcUrl}</dt>
        <dd class="mono" data-testid="oidc-provider-url">
          {entry.url}
        </dd>
        <dt>{SETUP_TEXT.oidcArn}</dt>
        <dd class="mono">
          <span data-testid="oidc-provider-arn">{entry.arn}</span> <CopyButton text={entry.arn} copy={copy} testId="copy-oidc-provider-arn" />
        </dd>
        <dt>{SETUP_TEXT.oidcAudience}</dt>
        <dd class="mono">{entry.audience}</dd>
      </dl>
    </>
  );
}

/** The identity pool's settings: its ID, region, flow and the provider entry it must list. */
function IdentityPool({ pool, roleArn }: { pool: IdentityPoolEntry; roleArn: string | null }) {
  return (
    <>
      <h4>{SETUP_TEXT.poolHeading}</h4>
      <dl class="derived" data-testid="identity-pool">
        <dt>{SETUP_TEXT.poolId}</dt>
        <dd class="mono" data-testid="pool-id">
          {pool.identity_pool_id}
        </dd>
        <dt>{SETUP_TEXT.poolRegion}</dt>
        <dd class="mono">{pool.region}</dd>
        <dt>{SETUP_TEXT.poolFlow}</dt>
        <dd data-testid="pool-flow" data-flow={pool.flow}>
          {SETUP_TEXT.flowName[pool.flow]}
        </dd>
        <dt>{SETUP_TEXT.poolProvider(pool.provider_type)}</dt>
        <dd class="mono" data-testid="pool-provider" data-type={pool.provider_type}>
          {pool.identity_provider}
        </dd>
        <dt>{SETUP_TEXT.poolClientId(pool.provider_type)}</dt>
        <dd class="mono">{pool.client_id}</dd>
      </dl>
      {pool.custom_role && roleArn && <p class="hint">{SETUP_TEXT.customRole(roleArn)}</p>}
    </>
  );
}

/** "What your administrator registers": callback URLs, the IAM OIDC provider, the identity
 * pool's provider entry, and the role's trust and permission policies. */
export function AdminPanel({ summary, copy }: { summary: SetupSummary; copy: Copy }) {
  const poolRole = summary.identity_pool && !summary.role_arn;
  return (
    <section class="admin-panel" data-testid="admin-panel" aria-labelledby="admin-heading">
      <h3 id="admin-heading">{SETUP_TEXT.adminHeading}</h3>
      <p class="hint">{SETUP_TEXT.adminIntro}</p>
      <dl class="derived">
        <dt>{SETUP_TEXT.issuer}</dt>
        <dd class="mono" data-testid="derived-issuer">
          {summary.issuer}
        </dd>
        <dt>{SETUP_TEXT.scopes}</dt>
        <dd class="mono">{summary.scopes.join(" ")}</dd>
        {summary.role_arn && (
          <>
            <dt>{SETUP_TEXT.role}</dt>
            <dd class="mono">{summary.role_arn}</dd>
          </>
        )}
      </dl>
      <h4>{SETUP_TEXT.callbackUrls}</h4>
      <ul class="callback-urls">
        {summary.callback_urls.map((u) => (
          <li key={u}>
            <code data-testid="callback-url">{u}</code>
            <CopyButton text={u} copy={copy} testId="copy-callback-url" />
          </li>
        ))}
      </ul>
      {summary.oidc_provider && <OidcProvider entry={summary.oidc_provider} copy={copy} />}
      {summary.identity_pool && <IdentityPool pool={summary.identity_pool} roleArn={summary.role_arn} />}
      <div class="policy-head">
        <h4>{poolRole ? SETUP_TEXT.poolTrustPolicy : SETUP_TEXT.trustPolicy}</h4>
        <CopyButton text={summary.trust_policy} copy={copy} testId="copy-trust-policy" />
      </div>
      <pre class="policy" data-testid="trust-policy" tabIndex={0}>
        {summary.trust_policy}
      </pre>
      <div class="policy-head">
        <h4>{SETUP_TEXT.permissionPolicy}</h4>
        <CopyButton text={summary.permission_policy} copy={copy} testId="copy-permission-policy" />
      </div>
      <pre class="policy" data-testid="permission-policy" tabIndex={0}>
        {summary.permission_policy}
      </pre>
    </section>
  );
}
