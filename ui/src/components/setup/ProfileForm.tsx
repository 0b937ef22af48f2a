// The setup form for one profile: the preset's fields, the client and callback, the credentials
// (IAM role or Cognito identity pool), the storage and the name; validated as you type by `validate_draft`, checked by `check_provider`, saved by
// `save_profile`.
import { useEffect, useMemo, useState } from "preact/hooks";
import type { FieldIssue } from "../../bindings/FieldIssue";
import type { Preset } from "../../bindings/Preset";
import type { ProfileDraft } from "../../bindings/ProfileDraft";
import type { ProfilesView } from "../../bindings/ProfilesView";
import type { ProviderInput } from "../../bindings/ProviderInput";
import {
  callbackOf,
  emptyDraft,
  emptyProvider,
  parsePort,
  providerFields,
  sameProvider,
  suggestName,
  withCallback,
  withCredentials,
  withProviderValue,
  type Callback,
  type ProviderField,
} from "../../lib/drafts";
import { errorText, toIpcError, type IpcError } from "../../lib/errors";
import { useT } from "../../i18n/context";
import { pendingText } from "../../lib/setup-text";
import type { Platform } from "../../platform/types";
import { AdminPanel } from "./AdminPanel";
import { CallbackFields } from "./CallbackFields";
import { CheckPanel, checkPassed, type CheckState } from "./CheckPanel";
import { CredentialFields, credentialFields } from "./CredentialFields";
import { Issues, TextField } from "./Field";
import { ProviderFields } from "./ProviderFields";
import { StorageFields } from "./StorageFields";
import { useDraftCheck } from "./useDraftCheck";

export interface ProfileFormProps {
  platform: Platform;
  /** The preset chosen above the form (changing it resets only the provider's fields). */
  preset: Preset;
  /** The draft to start from (empty, or a saved profile's for editing). */
  initial: ProfileDraft;
  /** The profile being edited, null for a new one. */
  replacing: string | null;
  onSaved: (view: ProfilesView, name: string) => void;
  onCancel?: () => void;
}

const ALWAYS_SHOWN = ["name", "client_id", "redirect_uri", "loopback_port", "bucket", "region", "prefix"];
const COMPATIBLE_FIELDS = ["s3_endpoint", "sts_endpoint", "force_path_style"];

/** The page-side issues Rust never sees (a port the draft cannot even carry). */
function localIssues(cb: Callback): FieldIssue[] {
  return parsePort(cb.port) === "invalid" ? [{ field: "loopback_port", code: "port.invalid", message: "" }] : [];
}

function dedupe(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.field}\n${i.code}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function ProfileForm({ platform, preset, initial, replacing, onSaved, onCancel }: ProfileFormProps) {
  const t = useT();
  const [draft, setDraft] = useState(initial);
  const [cb, setCb] = useState(() => callbackOf(initial));
  // Until the person picks a callback, it follows the preset's default (Cognito: localhost).
  const [cbChosen, setCbChosen] = useState(replacing != null);
  const [compatible, setCompatible] = useState(() => !!(initial.s3_endpoint || initial.sts_endpoint || initial.force_path_style));
  const [customCognito, setCustomCognito] = useState(() => !!initial.cognito_endpoint);
  const [nameTouched, setNameTouched] = useState(replacing != null || initial.name !== "");
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [check, setCheck] = useState<(CheckState & { provider: ProviderInput }) | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<IpcError | null>(null);

  useEffect(() => {
    if (draft.provider.preset !== preset) {
      setDraft((d) => ({ ...d, provider: emptyProvider(preset) }));
      if (!cbChosen) setCb(callbackOf(emptyDraft(preset)));
    }
  }, [preset, cbChosen, draft.provider.preset]);

  const effective = useMemo(() => {
    let d = withCallback(draft, cb);
    if (!nameTouched) d = { ...d, name: suggestName(d.provider) };
    if (!compatible) d = { ...d, s3_endpoint: "", sts_endpoint: "", force_path_style: false };
    if (!customCognito) d = { ...d, cognito_endpoint: "" };
    return d;
  }, [draft, cb, compatible, customCognito, nameTouched]);

  const v = useDraftCheck(platform, effective, replacing);
  const issues = dedupe([...localIssues(cb), ...(v.check?.issues ?? [])]);
  const touch = (f: string) => !touched.has(f) && setTouched(new Set([...touched, f]));
  const issuesOf = (f: string) => issues.filter((i) => i.field === f && (touched.has(f) || i.code !== "required"));

  const shown = new Set<string>([
    ...ALWAYS_SHOWN,
    ...providerFields(preset),
    ...credentialFields(effective, customCognito),
    ...(compatible ? COMPATIBLE_FIELDS : []),
  ]);
  const otherIssues = issues.filter((i) => !shown.has(i.field));
  const providerIssue = issues.some((i) => (providerFields(preset) as string[]).includes(i.field) || i.field === "provider");

  const current = check && sameProvider(check.provider, effective.provider) ? check : null;
  const checkBlocks = !!current?.report && !checkPassed(current.report);
  const canSave = !!v.check && !v.pending && issues.length === 0 && !checkBlocks && !current?.running && !saving;
  const waiting = [...new Set(issues.map((i) => i.field))];

  const runCheck = () => {
    const provider = effective.provider;
    const same = (c: typeof check) => !!c && sameProvider(c.provider, provider);
    setCheck({ provider, running: true, report: null, error: null });
    platform.checkProvider(effective).then(
      (report) => setCheck((c) => (same(c) ? { provider, running: false, report, error: null } : c)),
      (e) => setCheck((c) => (same(c) ? { provider, running: false, report: null, error: toIpcError(e) } : c)),
    );
  };

  const save = (e?: Event) => {
    e?.preventDefault();
    if (!canSave) return;
    setSaving(true);
    setSaveError(null);
    platform.saveProfile(effective, replacing).then(
      (view) => onSaved(view, effective.name),
      (err) => {
        setSaveError(toIpcError(err));
        setSaving(false);
      },
    );
  };

  const setProvider = (f: ProviderField, text: string) => setDraft((d) => ({ ...d, provider: withProviderValue(d.provider, f, text) }));

  return (
    <form class="setup-form" onSubmit={save} noValidate>
      <section>
        <h3>{t("setup.screen.providerHeading")}</h3>
        <ProviderFields input={effective.provider} onChange={setProvider} onBlur={touch} issuesOf={issuesOf} />
        <CheckPanel state={current} enabled={!!v.check && !providerIssue} onCheck={runCheck} />
      </section>
      <section>
        <h3>{t("setup.screen.appHeading")}</h3>
        <TextField
          name="client_id"
          value={draft.client_id}
          onInput={(client_id) => setDraft((d) => ({ ...d, client_id }))}
          onBlur={() => touch("client_id")}
          issues={issuesOf("client_id")}
          monospace
        />
        <CallbackFields
          preset={preset}
          value={cb}
          onChange={(c) => {
            setCb(c);
            setCbChosen(true);
          }}
          onBlur={touch}
          issuesOf={issuesOf}
        />
      </section>
      <section>
        <h3>{t("setup.screen.credentialsHeading")}</h3>
        <CredentialFields
          draft={effective}
          onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))}
          onCredentials={(source) => setDraft((d) => withCredentials(d, source))}
          customEndpoint={customCognito}
          onCustomEndpoint={setCustomCognito}
          identityProviderDefault={v.check?.identity_provider_default ?? null}
          onBlur={touch}
          issuesOf={issuesOf}
        />
      </section>
      <section>
        <h3>{t("setup.screen.storageHeading")}</h3>
        <StorageFields
          draft={effective}
          compatible={compatible}
          onCompatible={setCompatible}
          onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))}
          onBlur={touch}
          issuesOf={issuesOf}
        />
      </section>
      <section>
        <TextField
          name="name"
          value={effective.name}
          onInput={(name) => {
            setNameTouched(true);
            setDraft((d) => ({ ...d, name }));
          }}
          onBlur={() => touch("name")}
          issues={issuesOf("name")}
        />
      </section>
      {otherIssues.map((i) => (
        <Issues key={`${i.field}-${i.code}`} field={i.field} issues={[i]} />
      ))}
      {v.check?.summary && issues.length === 0 && <AdminPanel summary={v.check.summary} copy={(t) => platform.copyText(t)} />}
      <div class="setup-actions">
        <div class="setup-status" role="status">
          {v.error && <p class="field-issue">{errorText(v.error)}</p>}
          {saveError && (
            <p class="field-issue" data-testid="save-error" data-code={saveError.code}>
              {errorText(saveError)}
            </p>
          )}
          {checkBlocks && <p class="field-issue">{t("setup.check.blocksSave")}</p>}
          {waiting.length > 0 && (
            <p class="hint" data-testid="setup-pending">
              {pendingText(waiting)}
            </p>
          )}
        </div>
        {onCancel && (
          <button type="button" class="btn" onClick={onCancel}>
            {t("common.back")}
          </button>
        )}
        <button type="submit" class="btn btn-primary" data-testid="save-profile" disabled={!canSave}>
          {saving ? t("setup.screen.saving") : t("setup.screen.save")}
        </button>
      </div>
    </form>
  );
}
