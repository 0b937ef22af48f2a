// The fake platform's simulated transfers: progress ticks, failure for paths naming "fail" or
// "broken" (once: as if the user then fixed the cause, so Retry succeeds), a partial failure
// listing those paths when the batch has others, Retry of what failed, pause/resume, and a
// conflict question before anything moves.
import type { ErrorCode } from "../bindings/ErrorCode";
import type { ErrorParams } from "../bindings/ErrorParams";
import type { IpcError } from "../bindings/IpcError";
import type { TransferWhat } from "../lib/transfers";
import type { ConflictChoice, TransferEvent, TransferStarted, UnfinishedUploadView } from "./types";

/** What a transfer of `names` to `to` moves, as `TransferStarted` says it. */
export function moving(names: string[], to: string): TransferWhat {
  return { name: names.length === 1 ? names[0] : null, items: names.length, to, resumed: false };
}

const MiB = 1024 * 1024;

/** Runs when a transfer ends: the conflict choice (null when none was asked) and the paths that
 * were transferred. */
type Finish = (choice: ConflictChoice | null, done: string[]) => void;

interface FakeTransfer {
  id: number;
  kind: "upload" | "download";
  what: TransferWhat;
  paths: string[];
  /** The paths that fail half-way. */
  failing: string[];
  onEvent: (e: TransferEvent) => void;
  total: number;
  files: number;
  tick: number;
  ticks: number;
  failAt: number | null;
  paused: boolean;
  /** Waiting for `answer` (ticks do nothing). */
  asking: boolean;
  /** The answer to the conflict question, if one was asked. */
  choice: ConflictChoice | null;
  finish: Finish;
}

/** A stable pseudo-size for a path. */
export function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

export class FakeTransfers {
  private transfers = new Map<number, FakeTransfer>();
  private timers = new Map<number, ReturnType<typeof setInterval>>();
  /** Failed transfers that can be retried: what failed. */
  private failed = new Map<number, FakeTransfer>();
  /** Paths that failed once (they work from then on). */
  private fixed = new Set<string>();
  private nextId = 1;

  /** `tickMs`: between progress ticks ("manual" = `tickAll()`); `ticks`: per transfer;
   * `unfinished`: uploads an earlier session left unfinished. */
  constructor(
    private readonly tickMs: number | "manual",
    private readonly ticks: number,
    private readonly error: (code: ErrorCode, message: string, params?: ErrorParams) => IpcError,
    private unfinished: UnfinishedUploadView[] = [],
  ) {
    this.unfinished = [...unfinished];
  }

  unfinishedUploads(): UnfinishedUploadView[] {
    return [...this.unfinished];
  }

  /** Removes unfinished upload `id` from the list (resumed or discarded). */
  takeUnfinished(id: string): UnfinishedUploadView {
    const i = this.unfinished.findIndex((u) => u.id === id);
    if (i < 0) throw this.error("transfer.not_found", "no such unfinished upload");
    return this.unfinished.splice(i, 1)[0];
  }

  /**
   * Starts a transfer of `paths`. With `conflicts`, it first emits a `conflicts` event and waits
   * for `answer`. `finish` runs with the paths transferred (also before a partial failure).
   */
  start(
    kind: "upload" | "download",
    paths: string[],
    what: TransferWhat,
    onEvent: (e: TransferEvent) => void,
    finish: Finish,
    conflicts: string[] = [],
  ): TransferStarted {
    const id = this.nextId++;
    const failing = paths.filter((p) => /fail|broken/i.test(p) && !this.fixed.has(p));
    const t: FakeTransfer = {
      id,
      kind,
      what,
      paths,
      failing,
      onEvent,
      total: paths.reduce((n, p) => n + (hash(p) % (40 * MiB)) + 200_000, 0),
      files: paths.length,
      tick: 0,
      ticks: this.ticks,
      failAt: failing.length > 0 ? Math.ceil(this.ticks / 2) : null,
      paused: false,
      asking: conflicts.length > 0,
      choice: null,
      finish,
    };
    this.transfers.set(id, t);
    if (this.tickMs !== "manual") this.timers.set(id, setInterval(() => this.step(t), this.tickMs));
    if (t.asking) queueMicrotask(() => onEvent({ event: "conflicts", id, targets: conflicts }));
    return { id, kind, ...what };
  }

  /** Runs what failed in transfer `id` again (`transfer.not_found` when it cannot be). */
  retry(id: number, onEvent: (e: TransferEvent) => void): TransferStarted {
    const t = this.failed.get(id);
    if (!t) throw this.error("transfer.not_found", "this transfer cannot be retried");
    this.failed.delete(id);
    const paths = t.paths.length > 1 ? t.failing : t.paths;
    return this.start(t.kind, paths, t.what, onEvent, (choice, done) => t.finish(t.choice ?? choice, done));
  }

  /** Advances every running transfer by one tick. */
  tickAll(): void {
    for (const t of [...this.transfers.values()]) this.step(t);
  }

  cancel(id: number): void {
    const t = this.transfers.get(id);
    if (!t) return;
    this.end(t);
    t.onEvent({ event: "cancelled", id });
  }

  pause(id: number): boolean {
    const t = this.transfers.get(id);
    if (!t || t.paused) return false;
    t.paused = true;
    t.onEvent({ event: "paused", id });
    return true;
  }

  resume(id: number): boolean {
    const t = this.transfers.get(id);
    if (!t || !t.paused) return false;
    t.paused = false;
    t.onEvent({ event: "resumed", id });
    return true;
  }

  answer(id: number, choice: ConflictChoice | null): boolean {
    const t = this.transfers.get(id);
    if (!t || !t.asking) return false;
    t.asking = false;
    if (choice === null) this.cancel(id);
    else t.choice = choice;
    return true;
  }

  private end(t: FakeTransfer): void {
    const timer = this.timers.get(t.id);
    if (timer) clearInterval(timer);
    this.timers.delete(t.id);
    this.transfers.delete(t.id);
  }

  /** Ends `t` failed: its failing paths (all of it for a single path), the others transferred. */
  private fail(t: FakeTransfer): void {
    const unreadable = (path: string) => {
      const detail = `reading ${path}: Permission denied (os error 13)`;
      return this.error("local.io", detail, { detail });
    };
    t.failing.forEach((p) => this.fixed.add(p));
    this.failed.set(t.id, t);
    if (t.paths.length === 1) {
      t.onEvent({ event: "failed", id: t.id, error: unreadable(t.paths[0]), failed_items: [], items_total: 0, can_retry: true });
      return;
    }
    t.finish(t.choice, t.paths.filter((p) => !t.failing.includes(p)));
    t.onEvent({
      event: "failed",
      id: t.id,
      error: this.error("batch.partial", `${t.failing.length} of ${t.paths.length} items failed`, {
        failed: t.failing.length,
        total: t.paths.length,
        first: unreadable(t.failing[0]),
      }),
      failed_items: t.failing.map((path) => ({ path, error: unreadable(path) })),
      items_total: t.paths.length,
      can_retry: true,
    });
  }

  private step(t: FakeTransfer): void {
    if (t.paused || t.asking) return;
    t.tick++;
    if (t.failAt !== null && t.tick >= t.failAt) {
      this.end(t);
      this.fail(t);
      return;
    }
    if (t.tick >= t.ticks) {
      this.end(t);
      t.finish(t.choice, t.paths);
      t.onEvent({ event: "done", id: t.id, files: t.files, bytes: t.total });
      return;
    }
    const done = Math.floor((t.total * t.tick) / t.ticks);
    const secs = (t.tick * (this.tickMs === "manual" ? 150 : this.tickMs)) / 1000;
    t.onEvent({
      event: "progress",
      id: t.id,
      bytes_done: done,
      bytes_total: t.total,
      files_done: Math.floor((t.files * t.tick) / t.ticks),
      files_total: t.files,
      rate: done / secs,
    });
  }
}
