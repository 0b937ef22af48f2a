// The setup screen: "Add a connection" with the six presets and the form, importing a profile
// file, the config file's location and problem; also the editor of a saved profile.
import { useState } from "preact/hooks";
import type { ImportPreview } from "../../bindings/ImportPreview";
import type { Preset } from "../../bindings/Preset";
import type { ProfileDraft } from "../../bindings/ProfileDraft";
import type { ProfilesView } from "../../bindings/ProfilesView";
import { emptyDraft } from "../../lib/drafts";
import { errorText, toIpcError, type IpcError } from "../../lib/errors";
import { useT } from "../../i18n/context";
import { signInToText } from "../../lib/setup-text";
import type { Platform } from "../../platform/types";
import { CloudIcon } from "../icons";
import { LanguageSwitch, type LanguageSwitchProps } from "../LanguageSwitch";
import { ImportDialog } from "./ImportDialog";
import { PresetPicker } from "./PresetPicker";
import { ProfileForm } from "./ProfileForm";

export interface SetupScreenProps {
  platform: Platform;
  view: ProfilesView;
  /** Editing a saved profile (`profile_draft`), else adding one. */
  edit?: { draft: ProfileDraft; replacing: string } | null;
  onSaved: (view: ProfilesView, name: string, isNew: boolean) => void;
  onImported: (view: ProfilesView, names: string[]) => void;
  /** Switch to a saved profile (offered when none is active). */
  onUse: (name: string) => void;
  /** Back to the app (absent on first run). */
  onCancel?: () => void;
  /** An app-level error to show (e.g. switching to the saved profile failed). */
  error?: IpcError | null;
  /** The language menu. */
  language: LanguageSwitchProps;
}

export function SetupScreen({ platform, view, edit, onSaved, onImported, onUse, onCancel, error, language }: SetupScreenProps) {
  const t = useT();
  const [preset, setPreset] = useState<Preset | null>(edit?.draft.provider.preset ?? null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [importError, setImportError] = useState<IpcError | null>(null);
  const [initial] = useState<ProfileDraft | null>(edit?.draft ?? null);

  const pick = () => {
    setImportError(null);
    platform.pickProfileFile().then(setPreview, (e) => setImportError(toIpcError(e)));
  };

  return (
    <main class="setup" data-testid="setup-screen">
      <div class="setup-card">
        <div class="setup-head">
          <div class="brand">
            <CloudIcon />
            <span class="brand-name">Kura</span>
          </div>
          <h1>{edit ? t("setup.screen.editTitle", { name: edit.replacing }) : t("setup.screen.title")}</h1>
          <LanguageSwitch {...language} />
        </div>
        {view.problem && (
          <div class="banner" role="alert" data-testid="setup-problem" data-code={view.problem.code}>
            <span class="banner-text">{errorText(view.problem)}</span>
          </div>
        )}
        {error && (
          <div class="banner" role="alert" data-testid="setup-error" data-code={error.code}>
            <span class="banner-text">{errorText(error)}</span>
          </div>
        )}
        {!edit && !view.active && view.profiles.length > 0 && (
          <div class="saved-profiles">
            {view.profiles.map((p) => (
              <button key={p.name} type="button" class="btn" data-testid="use-profile" data-name={p.name} onClick={() => onUse(p.name)}>
                {signInToText(p.name, p.issuer_host)}
              </button>
            ))}
          </div>
        )}
        <p class="pitch">{t("setup.screen.intro")}</p>
        <PresetPicker selected={preset} onSelect={setPreset} />
        {preset && (
          <ProfileForm
            platform={platform}
            preset={preset}
            initial={initial ?? emptyDraft(preset)}
            replacing={edit?.replacing ?? null}
            onSaved={(v, name) => onSaved(v, name, !edit)}
            onCancel={onCancel}
          />
        )}
        {!preset && onCancel && (
          <div class="setup-actions">
            <button type="button" class="btn" onClick={onCancel}>
              {t("common.back")}
            </button>
          </div>
        )}
        <footer class="setup-foot">
          {!edit && (
            <button type="button" class="btn" data-testid="import-profile" onClick={pick}>
              {t("setup.screen.importButton")}
            </button>
          )}
          {importError && (
            <p class="field-issue" role="alert" data-code={importError.code}>
              {errorText(importError)}
            </p>
          )}
          {view.config_file && (
            <p class="fineprint" data-testid="config-file">
              {t("setup.screen.configFile", { path: view.config_file })}
            </p>
          )}
        </footer>
      </div>
      {preview && (
        <ImportDialog
          platform={platform}
          preview={preview}
          existing={view.profiles.map((p) => p.name)}
          onImported={(v, names) => {
            setPreview(null);
            onImported(v, names);
          }}
          onCancel={() => setPreview(null)}
        />
      )}
    </main>
  );
}
