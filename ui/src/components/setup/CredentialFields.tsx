import type { CredentialSource } from "../../bindings/CredentialSource";
import type { FieldIssue } from "../../bindings/FieldIssue";
import type { ProfileDraft } from "../../bindings/ProfileDraft";
import { useT } from "../../i18n/context";
import { fieldLabel } from "../../lib/setup-text";
import { Issues, TextField } from "./Field";

type TextKey = "role_arn" | "identity_pool_id" | "identity_provider" | "cognito_endpoint";

export interface CredentialFieldsProps {
  draft: ProfileDraft;
  onChange: (patch: Partial<ProfileDraft>) => void;
  /** The credential source changed (the form also adjusts a default prefix). */
  onCredentials: (source: CredentialSource) => void;
  /** The "custom Cognito Identity endpoint" disclosure is open (the field shown and sent). */
  customEndpoint: boolean;
  onCustomEndpoint: (open: boolean) => void;
  /** The `Logins` key used when `identity_provider` is empty (`DraftCheck.identity_provider_default`). */
  identityProviderDefault: string | null;
  onBlur: (field: string) => void;
  issuesOf: (field: string) => FieldIssue[];
}

/** The fields of each credential source, in form order (the names `FieldIssue.field` uses). */
export function credentialFields(d: ProfileDraft, customEndpoint: boolean): string[] {
  if (d.credentials === "role") return ["credentials", "role_arn"];
  return ["credentials", "identity_pool_id", "identity_provider", "cognito_flow", "role_arn", ...(customEndpoint ? ["cognito_endpoint"] : [])];
}

/**
 * Where the AWS credentials come from: an IAM role assumed with the provider's token, or an
 * Amazon Cognito identity pool (its ID, the provider's name in it, the flow, the role for the
 * basic flow or an optional custom role, and an endpoint for stand-ins).
 */
export function CredentialFields(p: CredentialFieldsProps) {
  const t = useT();
  const text = (name: TextKey, extra: { label?: string; placeholder?: string; hint?: string } = {}) => (
    <>
      <TextField
        name={name}
        value={p.draft[name]}
        onInput={(v) => p.onChange({ [name]: v })}
        onBlur={() => p.onBlur(name)}
        issues={p.issuesOf(name)}
        label={extra.label}
        placeholder={extra.placeholder}
        monospace={name !== "cognito_endpoint"}
        inputMode={name === "cognito_endpoint" ? "url" : "text"}
      />
      {extra.hint && <p class="hint">{extra.hint}</p>}
    </>
  );
  const pool = p.draft.credentials === "identity_pool";
  const basic = p.draft.cognito_flow === "basic";
  return (
    <>
      <div class="setup-field">
        <label class="field">
          <span>{fieldLabel("credentials")}</span>
          <select
            data-testid="field-credentials"
            value={p.draft.credentials}
            onChange={(e) => p.onCredentials((e.currentTarget as HTMLSelectElement).value as CredentialSource)}
          >
            <option value="role">{t("setup.credentials.role")}</option>
            <option value="identity_pool">{t("setup.credentials.identityPool")}</option>
          </select>
        </label>
      </div>
      {!pool && text("role_arn")}
      {pool && (
        <>
          {text("identity_pool_id")}
          {text("identity_provider", { placeholder: p.identityProviderDefault ?? undefined })}
          <div class="setup-field">
            <label class="field">
              <span>{fieldLabel("cognito_flow")}</span>
              <select
                data-testid="field-cognito_flow"
                value={p.draft.cognito_flow}
                onChange={(e) => p.onChange({ cognito_flow: (e.currentTarget as HTMLSelectElement).value as ProfileDraft["cognito_flow"] })}
              >
                <option value="enhanced">{t("setup.credentials.enhanced")}</option>
                <option value="basic">{t("setup.credentials.basic")}</option>
              </select>
            </label>
            <Issues field="cognito_flow" issues={p.issuesOf("cognito_flow")} />
          </div>
          {basic
            ? text("role_arn", { hint: t("setup.credentials.roleBasicHint") })
            : text("role_arn", { label: t("setup.credentials.roleOptionalLabel"), hint: t("setup.credentials.roleOptionalHint") })}
          <label class="check">
            <input
              type="checkbox"
              data-testid="cognito-custom-endpoint"
              checked={p.customEndpoint}
              onChange={(e) => p.onCustomEndpoint((e.currentTarget as HTMLInputElement).checked)}
            />
            <span>{t("setup.credentials.customEndpoint")}</span>
          </label>
          {p.customEndpoint && <div class="disclosure">{text("cognito_endpoint")}</div>}
        </>
      )}
    </>
  );
}
