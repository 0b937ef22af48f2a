// The preview of a picked profile file: each profile's name, issuer host and bucket, a trust
// warning, Replace or a new name for names that exist, then `import_profiles`.
import { useState } from "preact/hooks";
import type { ImportChoice } from "../../bindings/ImportChoice";
import type { ImportPreview } from "../../bindings/ImportPreview";
import type { ProfilesView } from "../../bindings/ProfilesView";
import { errorText, toIpcError, type IpcError } from "../../lib/errors";
import { useT } from "../../i18n/context";
import type { Platform } from "../../platform/types";
import { Modal } from "../Dialogs";

interface Row {
  include: boolean;
  /** Replace the existing profile of that name (only when it exists). */
  replace: boolean;
  /** The new name when not replacing. */
  saveAs: string;
}

function freeName(name: string, taken: (n: string) => boolean): string {
  for (let i = 2; ; i++) if (!taken(`${name}-${i}`)) return `${name}-${i}`;
}

export interface ImportDialogProps {
  platform: Platform;
  preview: ImportPreview;
  /** Existing profile names (to suggest a free name). */
  existing: string[];
  onImported: (view: ProfilesView, names: string[]) => void;
  onCancel: () => void;
}

export function ImportDialog({ platform, preview, existing, onImported, onCancel }: ImportDialogProps) {
  const t = useT();
  const [rows, setRows] = useState<Row[]>(() =>
    preview.profiles.map((c) => ({
      include: true,
      replace: false,
      saveAs: c.exists ? freeName(c.name, (n) => existing.includes(n) || preview.profiles.some((p) => p.name === n)) : c.name,
    })),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const set = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const choices: ImportChoice[] = preview.profiles.flatMap((c, i) =>
    rows[i].include ? [{ name: c.name, save_as: c.exists && rows[i].replace ? c.name : rows[i].saveAs.trim() }] : [],
  );
  const go = () => {
    setBusy(true);
    setError(null);
    platform.importProfiles(preview.token, choices).then(
      (view) => onImported(view, choices.map((c) => c.save_as)),
      (e) => {
        setError(toIpcError(e));
        setBusy(false);
      },
    );
  };
  return (
    <Modal title={t("setup.import.title", { file: preview.file_name })} onClose={onCancel} testId="import-preview">
      <p class="dialog-message trust-warning" role="note">
        {t("setup.import.trust")}
      </p>
      {preview.profiles.length === 0 && <p class="hint">{t("setup.import.empty")}</p>}
      <ul class="import-list">
        {preview.profiles.map((c, i) => (
          <li key={c.name} data-testid="import-row" data-name={c.name}>
            <label class="check">
              <input type="checkbox" data-testid="import-include" checked={rows[i].include} onChange={() => set(i, { include: !rows[i].include })} />
              <span class="import-name">{c.name}</span>
            </label>
            <span class="import-meta">
              <span data-testid="import-issuer-host">{c.issuer_host}</span> · <span data-testid="import-bucket">{c.bucket}</span>
            </span>
            {c.exists && rows[i].include && (
              <div class="import-exists">
                <span class="hint">{t("setup.import.exists")}</span>
                <label class="check">
                  <input type="radio" name={`imp-${i}`} data-testid="import-replace" checked={rows[i].replace} onChange={() => set(i, { replace: true })} />
                  <span>{t("setup.import.replace")}</span>
                </label>
                <label class="check">
                  <input type="radio" name={`imp-${i}`} checked={!rows[i].replace} onChange={() => set(i, { replace: false })} />
                  <span>{t("setup.import.newName")}</span>
                </label>
                <input
                  class="import-rename"
                  data-testid="import-rename"
                  value={rows[i].saveAs}
                  disabled={rows[i].replace}
                  spellcheck={false}
                  onInput={(e) => set(i, { saveAs: (e.currentTarget as HTMLInputElement).value })}
                />
              </div>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <p class="field-error" role="alert" data-testid="dialog-error" data-code={error.code}>
          {errorText(error)}
        </p>
      )}
      {choices.length === 0 && preview.profiles.length > 0 && <p class="hint">{t("setup.import.none")}</p>}
      <div class="dialog-actions">
        <button type="button" class="btn" onClick={onCancel}>
          {t("common.cancel")}
        </button>
        <button
          type="button"
          class="btn btn-primary"
          data-testid="import-confirm"
          disabled={busy || choices.length === 0 || choices.some((c) => !c.save_as)}
          onClick={go}
        >
          {t("setup.import.confirm")}
        </button>
      </div>
    </Modal>
  );
}
