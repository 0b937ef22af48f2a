import { useState } from "preact/hooks";
import { useT } from "../i18n/context";
import { displayName, formatEta, formatNumber, formatPercent, formatRate, formatSize, percent } from "../lib/format";
import { isActive, transferLabel, type Transfer } from "../lib/transfers";
import { describeError } from "../lib/errors";

/** Failed items listed under a row; the rest are counted. */
const LISTED_FAILURES = 50;

export interface TransferActions {
  onCancel: (id: number) => void;
  onPause: (id: number) => void;
  onResume: (id: number) => void;
  /** Runs what failed again (only the failed items). */
  onRetry: (id: number) => void;
}

/** Which items of a partly failed transfer failed, and why (worded from each error's code). */
function FailedItems({ t, label, prefix }: { t: Transfer; label: string; prefix?: string }) {
  const tr = useT();
  const more = t.failedItems.length - LISTED_FAILURES;
  return (
    <ul class="failed-items" data-testid="failed-items" aria-label={tr("transfers.failedItems", { label })}>
      {t.failedItems.slice(0, LISTED_FAILURES).map((f) => (
        <li key={f.path} class="failed-item" data-testid="failed-item" data-path={f.path} data-code={f.error.code}>
          <span class="failed-path">{displayName(f.path)}</span>
          <span class="failed-reason">{describeError(f.error, prefix).text}</span>
        </li>
      ))}
      {more > 0 && <li class="failed-more">{tr("transfers.failedMore", { count: more })}</li>}
    </ul>
  );
}

export function TransferRow({ t, onCancel, onPause, onResume, onRetry, prefix }: { t: Transfer; prefix?: string } & TransferActions) {
  const tr = useT();
  const partial = t.state === "failed" && t.failedItems.length > 0;
  const pct = t.state === "done" ? 100 : percent(t.bytesDone, t.bytesTotal);
  const label = transferLabel(t.what);
  return (
    <li class={`transfer state-${t.state}`} data-testid="transfer" data-state={t.state} data-id={t.id}>
      <div class="transfer-top">
        <span class={`kind kind-${t.kind}`} title={tr(`transfers.kind.${t.kind}`)} aria-label={tr(`transfers.kind.${t.kind}`)}>
          {t.kind === "upload" ? "↑" : "↓"}
        </span>
        <span class="transfer-label" title={label}>
          {label}
        </span>
        <span class="transfer-state" data-testid="transfer-state">
          {tr(`transfers.state.${t.state}`)}
        </span>
        {(t.state === "running" || t.state === "queued") && (
          <button type="button" class="btn btn-small" data-testid="transfer-pause" onClick={() => onPause(t.id)}>
            {tr("transfers.pause")}
          </button>
        )}
        {t.state === "paused" && (
          <button type="button" class="btn btn-small" data-testid="transfer-resume" onClick={() => onResume(t.id)}>
            {tr("transfers.resume")}
          </button>
        )}
        {isActive(t) && (
          <button type="button" class="btn btn-small" data-testid="transfer-cancel" onClick={() => onCancel(t.id)}>
            {tr("common.cancel")}
          </button>
        )}
        {t.state === "failed" && t.canRetry && (
          <button
            type="button"
            class="btn btn-small"
            data-testid="transfer-retry"
            title={partial ? tr("transfers.retryFailedTitle") : tr("transfers.retryTitle")}
            onClick={() => onRetry(t.id)}
          >
            {tr("transfers.retry")}
          </button>
        )}
      </div>
      <div
        class="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-label={tr("transfers.progress", { label, percent: formatPercent(pct) })}
      >
        <div class="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <div class="transfer-meta">
        <span data-testid="transfer-percent">{formatPercent(pct)}</span>
        <span data-testid="transfer-bytes">
          {formatSize(t.bytesDone)} / {t.bytesTotal > 0 ? formatSize(t.bytesTotal) : "…"}
        </span>
        {t.filesTotal > 1 && <span>{tr("transfers.files", { done: t.filesDone, count: t.filesTotal })}</span>}
        {t.state === "running" && <span data-testid="transfer-rate">{formatRate(t.rate)}</span>}
        {t.state === "running" && <span data-testid="transfer-eta">{formatEta(t.bytesDone, t.bytesTotal, t.rate)}</span>}
        {t.state === "failed" && t.error && (
          <span
            class="transfer-error"
            data-testid="transfer-error"
            data-failed={partial ? t.failedItems.length : undefined}
            data-total={partial ? t.itemsTotal : undefined}
          >
            {partial
              ? tr("transfers.partlyFailed", { failed: t.failedItems.length, count: t.itemsTotal })
              : describeError(t.error, prefix).text}
          </span>
        )}
      </div>
      {partial && <FailedItems t={t} label={label} prefix={prefix} />}
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
  const t = useT();
  const [open, setOpen] = useState(true);
  const active = transfers.filter(isActive).length;
  const finished = transfers.length - active;
  return (
    <section class={`transfers${open ? " open" : ""}`} data-testid="transfers" aria-label={t("transfers.title")}>
      <header class="transfers-head">
        <button type="button" class="transfers-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span class="chev" aria-hidden="true">
            {open ? "▾" : "▸"}
          </span>
          {t("transfers.title")}
          {transfers.length > 0 && (
            <span class="badge">{active > 0 ? t("transfers.active", { count: active }) : formatNumber(transfers.length)}</span>
          )}
        </button>
        {finished > 0 && (
          <button type="button" class="btn btn-small btn-ghost" data-testid="transfers-clear" onClick={onClear}>
            {t("transfers.clearFinished")}
          </button>
        )}
      </header>
      {open &&
        (transfers.length === 0 ? (
          <p class="transfers-empty">{t("transfers.empty")}</p>
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
