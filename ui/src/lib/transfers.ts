import type { FailedItemView } from "../bindings/FailedItemView";
import type { IpcError } from "../bindings/IpcError";
import type { TransferEvent } from "../bindings/TransferEvent";
import type { TransferKind } from "../bindings/TransferKind";
import type { TransferStarted } from "../bindings/TransferStarted";
import { t as tr } from "../i18n";

/** What a transfer moves where (from `TransferStarted`), worded by `transferLabel`. */
export type TransferWhat = Pick<TransferStarted, "name" | "items" | "to" | "resumed">;

export type TransferState = "queued" | "running" | "paused" | "asking" | "done" | "failed" | "cancelled";

export interface Transfer {
  id: number;
  kind: TransferKind;
  what: TransferWhat;
  state: TransferState;
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  /** Bytes per second (average since start). */
  rate: number;
  error: IpcError | null;
  /** After a partial failure (`batch.partial`): the items that failed and why. */
  failedItems: FailedItemView[];
  /** After a partial failure: how many items the transfer attempted. */
  itemsTotal: number;
  /** After a failure: the shell can run what failed again (`retry_transfer`). */
  canRetry: boolean;
  /** For uploads: the destination folder (to refresh it when done). */
  dest: string | null;
  /** While `asking`: the targets that already exist (remote paths or local paths). */
  conflicts: string[];
}

export function isActive(t: Transfer): boolean {
  return t.state === "queued" || t.state === "running" || t.state === "paused" || t.state === "asking";
}

/** "a.txt → docs/", "3 items → docs/", "… (resumed)", in the UI's language. */
export function transferLabel(what: TransferWhat): string {
  const label =
    what.name !== null ? tr("transfers.label", { name: what.name, to: what.to }) : tr("transfers.labelItems", { count: what.items, to: what.to });
  return what.resumed ? tr("transfers.labelResumed", { label }) : label;
}

export function newTransfer(id: number, kind: TransferKind, what: TransferWhat, dest: string | null): Transfer {
  return {
    id,
    kind,
    what,
    state: "queued",
    bytesDone: 0,
    bytesTotal: 0,
    filesDone: 0,
    filesTotal: 0,
    rate: 0,
    error: null,
    failedItems: [],
    itemsTotal: 0,
    canRetry: false,
    dest,
    conflicts: [],
  };
}

/** Applies one channel event. Terminal states are final: later events are ignored. */
export function applyTransferEvent(t: Transfer, ev: TransferEvent): Transfer {
  if (!isActive(t)) return t;
  switch (ev.event) {
    case "progress":
      return {
        ...t,
        // Progress of requests in flight may still arrive after a pause.
        state: t.state === "paused" ? "paused" : "running",
        bytesDone: ev.bytes_done,
        bytesTotal: ev.bytes_total,
        filesDone: ev.files_done,
        filesTotal: ev.files_total,
        rate: ev.rate,
      };
    case "done":
      return {
        ...t,
        state: "done",
        bytesDone: ev.bytes,
        bytesTotal: Math.max(t.bytesTotal, ev.bytes),
        filesDone: ev.files,
        filesTotal: Math.max(t.filesTotal, ev.files),
      };
    case "paused":
      return { ...t, state: "paused" };
    case "resumed":
      return { ...t, state: "running", rate: 0 };
    case "conflicts":
      return { ...t, state: "asking", conflicts: ev.targets };
    case "failed":
      return {
        ...t,
        state: "failed",
        error: ev.error,
        failedItems: ev.failed_items,
        itemsTotal: ev.items_total,
        canRetry: ev.can_retry,
      };
    case "cancelled":
      return { ...t, state: "cancelled" };
  }
}
