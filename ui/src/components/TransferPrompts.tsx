import { useEffect, useState } from "preact/hooks";
import type { ConflictChoice } from "../bindings/ConflictChoice";
import type { UnfinishedUploadView } from "../bindings/UnfinishedUploadView";
import { formatSize } from "../lib/format";
import { baseName } from "../lib/paths";
import type { Transfer } from "../lib/transfers";
import type { Platform } from "../platform/types";
import { Modal } from "./Dialogs";

const SHOWN = 5;

/** Asks what to do with a transfer's existing targets: replace, skip, keep both, or cancel. */
export function ConflictDialog({ t, onAnswer }: { t: Transfer; onAnswer: (choice: ConflictChoice | null) => void }) {
  const n = t.conflicts.length;
  const where = t.kind === "upload" ? "in your folder" : "in the download folder";
  return (
    <Modal title={n === 1 ? "This item already exists" : `${n} items already exist`} onClose={() => onAnswer(null)} testId="conflict-dialog">
      <p class="dialog-message">
        {t.label}: {n === 1 ? "an item with the same name is" : "items with the same names are"} already {where}. Nothing has been transferred
        yet.
      </p>
      <ul class="conflict-list" data-testid="conflict-list">
        {t.conflicts.slice(0, SHOWN).map((c) => (
          <li key={c} title={c}>
            {c}
          </li>
        ))}
        {n > SHOWN && <li>and {n - SHOWN} more</li>}
      </ul>
      <div class="dialog-actions">
        <button type="button" class="btn" data-testid="conflict-cancel" onClick={() => onAnswer(null)}>
          Cancel transfer
        </button>
        <button type="button" class="btn" data-testid="conflict-skip" onClick={() => onAnswer("skip")}>
          Skip {n === 1 ? "it" : "them"}
        </button>
        <button type="button" class="btn btn-danger" data-testid="conflict-overwrite" onClick={() => onAnswer("overwrite")}>
          Replace
        </button>
        <button type="button" class="btn btn-primary" data-autofocus data-testid="conflict-rename" onClick={() => onAnswer("rename")}>
          Keep both
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
  const [items, setItems] = useState<UnfinishedUploadView[]>([]);
  useEffect(() => {
    platform.unfinishedUploads().then(setItems, showError);
  }, [platform, showError]);
  if (items.length === 0) return null;
  const drop = (u: UnfinishedUploadView) => setItems((xs) => xs.filter((x) => x !== u));
  return (
    <section class="unfinished banner banner-info" data-testid="unfinished" aria-label="Unfinished uploads">
      <strong>{items.length === 1 ? "An upload was interrupted" : `${items.length} uploads were interrupted`}</strong>
      <ul>
        {items.map((u) => (
          <li key={u.id} data-testid="unfinished-item">
            <span class="unfinished-name" title={`${u.local_path} → ${u.remote}`}>
              {baseName(u.remote)} → {u.remote}
            </span>
            <span class="unfinished-state">
              {!u.source_exists
                ? "the local file is gone"
                : u.source_unchanged
                  ? `${formatSize(u.bytes_done)} of ${formatSize(u.size)} sent`
                  : "the file changed since: it will be sent again"}
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
                Resume
              </button>
            )}
            <button
              type="button"
              class="btn btn-small"
              data-testid="unfinished-discard"
              onClick={() => platform.discardUnfinished(u.id).then(() => drop(u), showError)}
            >
              Discard
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
