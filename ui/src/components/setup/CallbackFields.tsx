import type { FieldIssue } from "../../bindings/FieldIssue";
import type { Preset } from "../../bindings/Preset";
import { APP_REDIRECT_URI, FIXED_PORT_PRESETS, LOCALHOST_REDIRECT_URI, LOOPBACK_REDIRECT_URI, type Callback } from "../../lib/drafts";
import { useT } from "../../i18n/context";
import { fieldLabel, presetLabel } from "../../lib/setup-text";
import { Issues, TextField } from "./Field";

export interface CallbackFieldsProps {
  preset: Preset;
  value: Callback;
  onChange: (cb: Callback) => void;
  onBlur: (field: string) => void;
  issuesOf: (field: string) => FieldIssue[];
}

/** The select's value (a port-less redirect URI) for each callback mode, and back. */
const MODE_URI: Record<Callback["mode"], string> = {
  app: APP_REDIRECT_URI,
  loopback: LOOPBACK_REDIRECT_URI,
  localhost: LOCALHOST_REDIRECT_URI,
};

function modeOf(uri: string): Callback["mode"] {
  return (Object.keys(MODE_URI) as Callback["mode"][]).find((m) => MODE_URI[m] === uri) ?? "app";
}

/**
 * Where the sign-in callback arrives: the app's scheme (default; the `kura` CLI then uses a
 * loopback, optionally on a fixed port), a loopback listener on 127.0.0.1, or one on localhost
 * (Amazon Cognito takes plain http only there), each optionally on a fixed port.
 * `field-redirect_uri` is a select whose values are the port-less redirect URIs.
 */
export function CallbackFields({ preset, value, onChange, onBlur, issuesOf }: CallbackFieldsProps) {
  const t = useT();
  const needsPort = FIXED_PORT_PRESETS.has(preset);
  const redirectIssues = issuesOf("redirect_uri");
  return (
    <>
      <div class="setup-field">
        <label class="field">
          <span>{fieldLabel("redirect_uri")}</span>
          <select
            data-testid="field-redirect_uri"
            value={MODE_URI[value.mode]}
            aria-invalid={redirectIssues.length > 0}
            onChange={(e) => onChange({ ...value, mode: modeOf((e.currentTarget as HTMLSelectElement).value) })}
          >
            <option value={APP_REDIRECT_URI}>{t("setup.callback.app")}</option>
            <option value={LOOPBACK_REDIRECT_URI}>{t("setup.callback.loopback")}</option>
            <option value={LOCALHOST_REDIRECT_URI}>{t("setup.callback.localhost")}</option>
          </select>
        </label>
        <Issues field="redirect_uri" issues={redirectIssues} />
        {preset === "cognito" && value.mode === "loopback" && (
          <p class="hint hint-warn" data-testid="localhost-note">
            {t("setup.callback.localhostNeeded")}
          </p>
        )}
      </div>
      <TextField
        name="loopback_port"
        label={value.mode === "app" ? t("setup.callback.appPortLabel") : fieldLabel("loopback_port")}
        value={value.port}
        inputMode="numeric"
        onInput={(port) => onChange({ ...value, port })}
        onBlur={() => onBlur("loopback_port")}
        issues={issuesOf("loopback_port")}
      />
      <p class={`hint${needsPort && !value.port.trim() ? " hint-warn" : ""}`} data-testid="fixed-port-note">
        {needsPort ? t("setup.callback.fixedPortNeeded", { provider: presetLabel(preset) }) : t("setup.callback.fixedPortNote")}
      </p>
    </>
  );
}
