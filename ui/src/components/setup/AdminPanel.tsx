import type { SetupSummary } from "../../bindings/SetupSummary";
import { SETUP_TEXT } from "../../lib/setup-text";
import { CopyButton } from "./Field";

/** "What your administrator registers": callback URLs, the trust and permission policies. */
export function AdminPanel({ summary, copy }: { summary: SetupSummary; copy: (text: string) => Promise<void> }) {
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
      <div class="policy-head">
        <h4>{SETUP_TEXT.trustPolicy}</h4>
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
