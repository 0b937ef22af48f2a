// The fake platform's choices of local files: like the shell's `chosen.rs`, a dialog or a drop
// gives the page a one-use handle with names and sizes, and transfers take the handle back; a
// path or an unknown handle is refused with `local.not_chosen`.
import type { ErrorCode } from "../bindings/ErrorCode";
import type { IpcError } from "../bindings/IpcError";
import { localBaseName } from "../lib/paths";
import { hash } from "./fake-transfers";
import type { ChosenFiles, ChosenFolder, ChosenItem } from "./types";

type Purpose = "upload" | "download_into";

const MiB = 1024 * 1024;

/** A plausible item for a local path or name: names without a dot are folders. */
export function fakeItem(pathOrName: string): ChosenItem {
  const name = localBaseName(pathOrName);
  const isDir = !name.includes(".");
  return { name, size: isDir ? 2_048 + 3 * MiB : (hash(pathOrName) % (40 * MiB)) + 200_000, is_dir: isDir };
}

interface Listeners {
  drop: (chosen: ChosenFiles) => void;
  dropFailed: (e: IpcError) => void;
  hover: (hovering: boolean) => void;
}

export class FakeChosen {
  private kept = new Map<string, { purpose: Purpose; items: ChosenItem[] }>();
  private next = 1;
  private listeners: { [K in keyof Listeners]: Set<Listeners[K]> } = { drop: new Set(), dropFailed: new Set(), hover: new Set() };

  constructor(private readonly error: (code: ErrorCode, message: string) => IpcError) {}

  private handle(): string {
    return (this.next++).toString(16).padStart(32, "0");
  }

  /** Keeps files/folders to upload (paths or names). */
  keepUpload(paths: string[]): ChosenFiles {
    const handle = this.handle();
    const items = paths.map(fakeItem);
    this.kept.set(handle, { purpose: "upload", items });
    return { handle, items };
  }

  /** Keeps a folder to download into. */
  keepFolder(path: string): ChosenFolder {
    const handle = this.handle();
    const name = localBaseName(path);
    this.kept.set(handle, { purpose: "download_into", items: [{ name, size: 0, is_dir: true }] });
    return { handle, name };
  }

  /** The items behind `handle`, used up; `local.not_chosen` for anything else. */
  take(handle: string, purpose: Purpose): ChosenItem[] {
    const k = this.kept.get(handle);
    if (!k || k.purpose !== purpose) {
      throw this.error("local.not_chosen", "that file or folder was not chosen in this window: choose it again");
    }
    this.kept.delete(handle);
    return k.items;
  }

  /** Subscribes to drops, failed drops or hovering (like the `app_events` channel). */
  on<K extends keyof Listeners>(kind: K, cb: Listeners[K]): () => void {
    const set = this.listeners[kind] as Set<Listeners[K]>;
    set.add(cb);
    return () => set.delete(cb);
  }

  /** Simulates the OS dropping files on the window: the page gets a handle, not the paths. */
  drop(paths: string[]): ChosenFiles {
    const chosen = this.keepUpload(paths);
    this.hover(false);
    this.listeners.drop.forEach((cb) => cb(chosen));
    return chosen;
  }

  /** Simulates a drop the shell could not read. */
  dropFailed(e: IpcError): void {
    this.hover(false);
    this.listeners.dropFailed.forEach((cb) => cb(e));
  }

  /** Simulates files dragged over the window (true) or leaving it (false). */
  hover(hovering: boolean): void {
    this.listeners.hover.forEach((cb) => cb(hovering));
  }
}
