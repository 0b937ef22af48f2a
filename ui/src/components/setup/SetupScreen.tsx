// The setup screen: "Add a connection" with the six presets and the form, importing a profile
// file, the config file's location and problem; also the editor of a saved profile.
import { useState } from "preact/hooks";
import type { ImportPreview } from "../../bindings/ImportPreview";
import type { Preset } from "../../bindings/Preset";
import type { ProfileDraft } from "../../bindings/ProfileDraft";
import type { ProfilesView } from "../../bindings/ProfilesView";
import { emptyDraft } from "../../lib/drafts";
import { toIpcError, type IpcError } from "../../lib/errors";
import { SETUP_TEXT, SWITCHER_TEXT, problemText } from "../../lib/setup-text";
import type { Platform } from "../../platform/types";
import { CloudIcon } from "../icons";
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
}

export function SetupScreen({ platform, view, edit, onSaved, onImported, onUse, onCancel, error }: SetupScreenProps) {
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
          <h1>{edit ? SETUP_TEXT.editTitle(edit.replacing) : SETUP_TEXT.title}</h1>
        </div>
        {view.problem && (
          <div class="banner" role="alert" data-testid="setup-problem" data-code={view.problem.code}>
            <span class="banner-text">{problemText(view.problem)}</span>
          </div>
        )}
        {error && (
          <div class="banner" role="alert" data-testid="setup-error" data-code={error.code}>
            <span class="banner-text">{problemText(error)}</span>
          </div>
        )}
        {!edit && !view.active && view.profiles.length > 0 && (
          <div class="saved-profiles">
            {view.profiles.map((p) => (
              <button key={p.name} type="button" class="btn" data-testid="use-profile" data-name={p.name} onClick={() => onUse(p.name)}>
                {SWITCHER_TEXT.signInTo(p.name, p.issuer_host)}
              </button>
            ))}
          </div>
        )}
        <p class="pitch">{SETUP_TEXT.intro}</p>
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
              {SETUP_TEXT.back}
            </button>
          </div>
        )}
        <footer class="setup-foot">
          {!edit && (
            <button type="button" class="btn" data-testid="import-profile" onClick={pick}>
              {SETUP_TEXT.importButton}
            </button>
          )}
          {importError && (
            <p class="field-issue" role="alert" data-code={importError.code}>
              {problemText(importError)}
            </p>
          )}
          {view.config_file && (
            <p class="fineprint" data-testid="config-file">
              {SETUP_TEXT.configFile(view.config_file)}
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
