import { useEffect, useState } from "preact/hooks";
import type { ConflictChoice } from "../bindings/ConflictChoice";
import type { UnfinishedUploadView } from "../bindings/UnfinishedUploadView";
import { useT } from "../i18n/context";
import { formatSize } from "../lib/format";
import { baseName } from "../lib/paths";
import { transferLabel, type Transfer } from "../lib/transfers";
import type { Platform } from "../platform/types";
import { Modal } from "./Dialogs";

const SHOWN = 5;

/** Asks what to do with a transfer's existing targets: replace, skip, keep both, or cancel. */
export function ConflictDialog({ t, onAnswer }: { t: Transfer; onAnswer: (choice: ConflictChoice | null) => void }) {
  const tr = useT();
  const n = t.conflicts.length;
  return (
    <Modal title={tr("transfers.conflict.title", { count: n })} onClose={() => onAnswer(null)} testId="conflict-dialog">
      <p class="dialog-message">{tr(`transfers.conflict.${t.kind}`, { count: n, label: transferLabel(t.what) })}</p>
      <ul class="conflict-list" data-testid="conflict-list">
        {t.conflicts.slice(0, SHOWN).map((c) => (
          <li key={c} title={c}>
            {c}
          </li>
        ))}
        {n > SHOWN && <li>{tr("transfers.conflict.more", { count: n - SHOWN })}</li>}
      </ul>
      <div class="dialog-actions">
        <button type="button" class="btn" data-testid="conflict-cancel" onClick={() => onAnswer(null)}>
          {tr("transfers.conflict.cancel")}
        </button>
        <button type="button" class="btn" data-testid="conflict-skip" onClick={() => onAnswer("skip")}>
          {tr("transfers.conflict.skip", { count: n })}
        </button>
        <button type="button" class="btn btn-danger" data-testid="conflict-overwrite" onClick={() => onAnswer("overwrite")}>
          {tr("transfers.conflict.replace")}
        </button>
        <button type="button" class="btn btn-primary" data-autofocus data-testid="conflict-rename" onClick={() => onAnswer("rename")}>
          {tr("transfers.conflict.keepBoth")}
        </button>
      </div>
    </Modal>
  );
}

/**
 * Uploads an earlier session left unfinished, offered for resume (only the missing parts are
 * sent) or discard. Renders nothing when there are none.
 */
export function UnfinishedUploads({
  platform,
  onResume,
  showError,
}: {
  platform: Platform;
  onResume: (u: UnfinishedUploadView) => void;
  showError: (e: unknown) => void;
}) {
  const t = useT();
  const [items, setItems] = useState<UnfinishedUploadView[]>([]);
  useEffect(() => {
    platform.unfinishedUploads().then(setItems, showError);
  }, [platform, showError]);
  if (items.length === 0) return null;
  const drop = (u: UnfinishedUploadView) => setItems((xs) => xs.filter((x) => x !== u));
  return (
    <section class="unfinished banner banner-info" data-testid="unfinished" aria-label={t("transfers.unfinished.label")}>
      <strong>{t("transfers.unfinished.title", { count: items.length })}</strong>
      <ul>
        {items.map((u) => (
          <li key={u.id} data-testid="unfinished-item">
            <span class="unfinished-name" title={`${u.local_path} → ${u.remote}`}>
              {baseName(u.remote)} → {u.remote}
            </span>
            <span class="unfinished-state">
              {!u.source_exists
                ? t("transfers.unfinished.gone")
                : u.source_unchanged
                  ? t("transfers.unfinished.sent", { done: formatSize(u.bytes_done), total: formatSize(u.size) })
                  : t("transfers.unfinished.changed")}
            </span>
            {u.source_exists && (
              <button
                type="button"
                class="btn btn-small btn-primary"
                data-testid="unfinished-resume"
                onClick={() => {
                  drop(u);
                  onResume(u);
                }}
              >
                {t("transfers.unfinished.resume")}
              </button>
            )}
            <button
              type="button"
              class="btn btn-small"
              data-testid="unfinished-discard"
              onClick={() => platform.discardUnfinished(u.id).then(() => drop(u), showError)}
            >
              {t("transfers.unfinished.discard")}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
