// The fake platform's simulated transfers: progress ticks, failure for paths naming "fail" or
// "broken", pause/resume, and a conflict question before anything moves.
import type { IpcError } from "../bindings/IpcError";
import type { TransferWhat } from "../lib/transfers";
import type { ConflictChoice, TransferEvent, TransferStarted } from "./types";

/** What a transfer of `names` to `to` moves, as `TransferStarted` says it. */
export function moving(names: string[], to: string): TransferWhat {
  return { name: names.length === 1 ? names[0] : null, items: names.length, to, resumed: false };
}

const MiB = 1024 * 1024;

interface FakeTransfer {
  id: number;
  kind: "upload" | "download";
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
  finish: (choice: ConflictChoice | null) => void;
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
  private nextId = 1;

  /** `tickMs`: between progress ticks ("manual" = `tickAll()`); `ticks`: per transfer. */
  constructor(
    private readonly tickMs: number | "manual",
    private readonly ticks: number,
    private readonly error: (code: string, message: string) => IpcError,
  ) {}

  /**
   * Starts a transfer of `paths`. With `conflicts`, it first emits a `conflicts` event and waits
   * for `answer`. `finish` runs on success with the conflict choice (null when none was asked).
   */
  start(
    kind: "upload" | "download",
    paths: string[],
    what: TransferWhat,
    onEvent: (e: TransferEvent) => void,
    finish: (choice: ConflictChoice | null) => void,
    conflicts: string[] = [],
  ): TransferStarted {
    const id = this.nextId++;
    const t: FakeTransfer = {
      id,
      kind,
      onEvent,
      total: paths.reduce((n, p) => n + (hash(p) % (40 * MiB)) + 200_000, 0),
      files: paths.length,
      tick: 0,
      ticks: this.ticks,
      failAt: paths.some((p) => /fail|broken/i.test(p)) ? Math.ceil(this.ticks / 2) : null,
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

  private step(t: FakeTransfer): void {
    if (t.paused || t.asking) return;
    t.tick++;
    if (t.failAt !== null && t.tick >= t.failAt) {
      this.end(t);
      t.onEvent({ event: "failed", id: t.id, error: this.error("io.read", "Could not read “broken.iso”: permission denied.") });
      return;
    }
    if (t.tick >= t.ticks) {
      this.end(t);
      t.finish(t.choice);
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
