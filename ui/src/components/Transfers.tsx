import { useState } from "preact/hooks";
import { formatEta, formatRate, formatSize, percent } from "../lib/format";
import { isActive, type Transfer } from "../lib/transfers";
import { describeError } from "../lib/errors";

const STATE_LABEL: Record<Transfer["state"], string> = {
  queued: "Queued",
  running: "Running",
  paused: "Paused",
  asking: "Waiting for your answer",
  done: "Done",
  failed: "Failed",
  cancelled: "Cancelled",
};

export interface TransferActions {
  onCancel: (id: number) => void;
  onPause: (id: number) => void;
  onResume: (id: number) => void;
}

export function TransferRow({ t, onCancel, onPause, onResume, prefix }: { t: Transfer; prefix?: string } & TransferActions) {
  const pct = t.state === "done" ? 100 : percent(t.bytesDone, t.bytesTotal);
  return (
    <li class={`transfer state-${t.state}`} data-testid="transfer" data-state={t.state} data-id={t.id}>
      <div class="transfer-top">
        <span class={`kind kind-${t.kind}`} title={t.kind === "upload" ? "Upload" : "Download"} aria-label={t.kind}>
          {t.kind === "upload" ? "↑" : "↓"}
        </span>
        <span class="transfer-label" title={t.label}>
          {t.label}
        </span>
        <span class="transfer-state" data-testid="transfer-state">
          {STATE_LABEL[t.state]}
        </span>
        {(t.state === "running" || t.state === "queued") && (
          <button type="button" class="btn btn-small" data-testid="transfer-pause" onClick={() => onPause(t.id)}>
            Pause
          </button>
        )}
        {t.state === "paused" && (
          <button type="button" class="btn btn-small" data-testid="transfer-resume" onClick={() => onResume(t.id)}>
            Resume
          </button>
        )}
        {isActive(t) && (
          <button type="button" class="btn btn-small" data-testid="transfer-cancel" onClick={() => onCancel(t.id)}>
            Cancel
          </button>
        )}
      </div>
      <div
        class="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-label={`${t.label}: ${pct}%`}
      >
        <div class="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <div class="transfer-meta">
        <span data-testid="transfer-percent">{pct}%</span>
        <span data-testid="transfer-bytes">
          {formatSize(t.bytesDone)} / {t.bytesTotal > 0 ? formatSize(t.bytesTotal) : "…"}
        </span>
        {t.filesTotal > 1 && (
          <span>
            {t.filesDone} / {t.filesTotal} files
          </span>
        )}
        {t.state === "running" && <span data-testid="transfer-rate">{formatRate(t.rate)}</span>}
        {t.state === "running" && <span data-testid="transfer-eta">{formatEta(t.bytesDone, t.bytesTotal, t.rate)}</span>}
        {t.state === "failed" && t.error && (
          <span class="transfer-error" data-testid="transfer-error">
            {describeError(t.error, prefix).text}
          </span>
        )}
      </div>
    </li>
  );
}

export function TransfersPanel({
  transfers,
  onClear,
  prefix,
  ...actions
}: {
  transfers: readonly Transfer[];
  onClear: () => void;
  prefix?: string;
} & TransferActions) {
  const [open, setOpen] = useState(true);
  const active = transfers.filter(isActive).length;
  const finished = transfers.length - active;
  return (
    <section class={`transfers${open ? " open" : ""}`} data-testid="transfers" aria-label="Transfers">
      <header class="transfers-head">
        <button type="button" class="transfers-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span class="chev" aria-hidden="true">
            {open ? "▾" : "▸"}
          </span>
          Transfers
          {transfers.length > 0 && (
            <span class="badge">{active > 0 ? `${active} active` : `${transfers.length}`}</span>
          )}
        </button>
        {finished > 0 && (
          <button type="button" class="btn btn-small btn-ghost" data-testid="transfers-clear" onClick={onClear}>
            Clear finished
          </button>
        )}
      </header>
      {open &&
        (transfers.length === 0 ? (
          <p class="transfers-empty">No transfers yet. Drop files or folders on the window to upload them.</p>
        ) : (
          <ul class="transfer-list">
            {transfers.map((t) => (
              <TransferRow key={t.id} t={t} prefix={prefix} {...actions} />
            ))}
          </ul>
        ))}
    </section>
  );
}
