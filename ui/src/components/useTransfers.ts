import { useCallback, useRef, useState } from "preact/hooks";
import type { ConflictChoice } from "../bindings/ConflictChoice";
import type { TransferEvent } from "../bindings/TransferEvent";
import type { TransferStarted } from "../bindings/TransferStarted";
import type { Platform } from "../platform/types";
import { useLatest } from "./useLatest";
import { applyTransferEvent, isActive, newTransfer, type Transfer } from "../lib/transfers";

type Start = (onEvent: (ev: TransferEvent) => void) => Promise<TransferStarted>;

/**
 * The transfers panel's state: starts transfers, applies their channel events, and steers them
 * (cancel, pause, resume, retry what failed, answer a conflict question). `onFinished` runs once per transfer that
 * reaches done/failed/cancelled; `showError` gets command failures.
 */
export function useTransfers(platform: Platform, showError: (e: unknown) => void, onFinished: (t: Transfer) => void) {
  const [transfers, setTransfers] = useState<Transfer[]>([]);
  // The source of truth, updated synchronously from channel events; mirrored into state.
  const ref = useRef<Transfer[]>([]);
  const setAll = useCallback((next: Transfer[]) => {
    ref.current = next;
    setTransfers(next);
  }, []);
  const finishedRef = useLatest(onFinished);

  const update = useCallback(
    (id: number, f: (t: Transfer) => Transfer) => {
      const cur = ref.current.find((t) => t.id === id);
      if (!cur) return; // cleared from the panel
      const next = f(cur);
      if (next === cur) return;
      setAll(ref.current.map((t) => (t.id === id ? next : t)));
      if (next.state === "done" || next.state === "failed" || next.state === "cancelled") finishedRef.current(next);
    },
    [setAll, finishedRef],
  );

  const track = useCallback(
    /** Starts a transfer and shows it: at the top, or in place of row `replaces` (a retry). */
    async (start: Start, dest: string | null, replaces?: number) => {
      // Events may arrive before the command returns the id: buffer them until then.
      let id: number | null = null;
      const early: TransferEvent[] = [];
      const handle = (ev: TransferEvent) => {
        if (id === null) early.push(ev);
        else update(id, (t) => applyTransferEvent(t, ev));
      };
      try {
        const started = await start(handle);
        id = started.id;
        const row = newTransfer(started.id, started.kind, started, dest);
        const at = ref.current.findIndex((t) => t.id === replaces);
        setAll(at < 0 ? [row, ...ref.current] : ref.current.map((t, i) => (i === at ? row : t)));
        early.splice(0).forEach(handle);
      } catch (e) {
        showError(e);
      }
    },
    [showError, setAll, update],
  );

  const cancel = useCallback((id: number) => void platform.cancelTransfer(id).catch(showError), [platform, showError]);
  const pause = useCallback((id: number) => void platform.pauseTransfer(id).catch(showError), [platform, showError]);
  const resume = useCallback((id: number) => void platform.resumeTransfer(id).catch(showError), [platform, showError]);
  const answer = useCallback(
    (id: number, choice: ConflictChoice | null) => {
      // Optimistically leave the question; events (progress, done, cancelled) follow.
      update(id, (t) => (t.state === "asking" ? { ...t, state: choice === null ? "asking" : "running", conflicts: [] } : t));
      platform.answerConflicts(id, choice).catch(showError);
    },
    [platform, showError, update],
  );
  /** Runs what failed in transfer `id` again; the new transfer takes the failed row's place. */
  const retry = useCallback(
    (id: number) => {
      const failed = ref.current.find((t) => t.id === id);
      if (!failed || failed.state !== "failed") return;
      void track((onEvent) => platform.retryTransfer(id, onEvent), failed.dest, id);
    },
    [platform, track],
  );
  const clearFinished = useCallback(() => setAll(ref.current.filter(isActive)), [setAll]);

  return { transfers, track, cancel, pause, resume, retry, answer, clearFinished };
}
