import type { IdentityPoolEntry } from "../../bindings/IdentityPoolEntry";
import type { OidcProviderEntry } from "../../bindings/OidcProviderEntry";
import type { SetupSummary } from "../../bindings/SetupSummary";
import { useT } from "../../i18n/context";
import { CopyButton } from "./Field";

type Copy = (text: string) => Promise<void>;

/** The IAM OpenID Connect identity provider to create (URL, ARN, audience). */
function OidcProvider({ entry, copy }: { entry: OidcProviderEntry; copy: Copy }) {
  const t = useT();
  return (
    <>
      <h4>{t("setup.admin.oidcHeading")}</h4>
      <dl class="derived" data-testid="oidc-provider">
        <dt>{t("setup.admin.oidcUrl")}</dt>
        <dd class="mono" data-testid="oidc-provider-url">
          {entry.url}
        </dd>
        <dt>{t("setup.admin.oidcArn")}</dt>
        <dd class="mono">
          <span data-testid="oidc-provider-arn">{entry.arn}</span> <CopyButton text={entry.arn} copy={copy} testId="copy-oidc-provider-arn" />
        </dd>
        <dt>{t("setup.admin.oidcAudience")}</dt>
        <dd class="mono">{entry.audience}</dd>
      </dl>
    </>
  );
}

/** The identity pool's settings: its ID, region, flow and the provider entry it must list. */
function IdentityPool({ pool, roleArn }: { pool: IdentityPoolEntry; roleArn: string | null }) {
  const t = useT();
  const cognito = pool.provider_type === "cognito_user_pool";
  return (
    <>
      <h4>{t("setup.admin.poolHeading")}</h4>
      <dl class="derived" data-testid="identity-pool">
        <dt>{t("setup.admin.poolId")}</dt>
        <dd class="mono" data-testid="pool-id">
          {pool.identity_pool_id}
        </dd>
        <dt>{t("setup.admin.poolRegion")}</dt>
        <dd class="mono">{pool.region}</dd>
        <dt>{t("setup.admin.poolFlow")}</dt>
        <dd data-testid="pool-flow" data-flow={pool.flow}>
          {pool.flow === "basic" ? t("setup.admin.flowBasic") : t("setup.admin.flowEnhanced")}
        </dd>
        <dt>{cognito ? t("setup.admin.providerCognito") : t("setup.admin.providerOidc")}</dt>
        <dd class="mono" data-testid="pool-provider" data-type={pool.provider_type}>
          {pool.identity_provider}
        </dd>
        <dt>{cognito ? t("setup.admin.clientIdCognito") : t("setup.admin.clientIdOidc")}</dt>
        <dd class="mono">{pool.client_id}</dd>
      </dl>
      {pool.custom_role && roleArn && <p class="hint">{t("setup.admin.customRole", { role: roleArn })}</p>}
    </>
  );
}

/** "What your administrator registers": callback URLs, the IAM OIDC provider, the identity
 * pool's provider entry, and the role's trust and permission policies. */
export function AdminPanel({ summary, copy }: { summary: SetupSummary; copy: Copy }) {
  const t = useT();
  const poolRole = summary.identity_pool && !summary.role_arn;
  return (
    <section class="admin-panel" data-testid="admin-panel" aria-labelledby="admin-heading">
      <h3 id="admin-heading">{t("setup.admin.heading")}</h3>
      <p class="hint">{t("setup.admin.intro")}</p>
      <dl class="derived">
        <dt>{t("setup.admin.issuer")}</dt>
        <dd class="mono" data-testid="derived-issuer">
          {summary.issuer}
        </dd>
        <dt>{t("setup.admin.scopes")}</dt>
        <dd class="mono">{summary.scopes.join(" ")}</dd>
        {summary.role_arn && (
          <>
            <dt>{t("setup.admin.role")}</dt>
            <dd class="mono">{summary.role_arn}</dd>
          </>
        )}
      </dl>
      <h4>{t("setup.admin.callbackUrls")}</h4>
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
        <h4>{poolRole ? t("setup.admin.poolTrustPolicy") : t("setup.admin.trustPolicy")}</h4>
        <CopyButton text={summary.trust_policy} copy={copy} testId="copy-trust-policy" />
      </div>
      <pre class="policy" data-testid="trust-policy" tabIndex={0}>
        {summary.trust_policy}
      </pre>
      <div class="policy-head">
        <h4>{t("setup.admin.permissionPolicy")}</h4>
        <CopyButton text={summary.permission_policy} copy={copy} testId="copy-permission-policy" />
      </div>
      <pre class="policy" data-testid="permission-policy" tabIndex={0}>
        {summary.permission_policy}
      </pre>
    </section>
  );
}
