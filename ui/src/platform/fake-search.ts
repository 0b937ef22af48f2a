// The fake platform's search and preview, over its in-memory objects. Search follows the core
// (crates/kura-core/src/storage/search.rs): a recursive listing of the folder in pages, matching
// each file name and the folder names a key implies (case- and NFC-insensitive substring),
// folders reported once; one search at a time, a new one stops the old. Preview answers with the
// same binary frame as the shell, with made-up bytes by file type.
import type { ErrorCode } from "../bindings/ErrorCode";
import type { ErrorParams } from "../bindings/ErrorParams";
import type { IpcError } from "../bindings/IpcError";
import type { PreviewInfo } from "../bindings/PreviewInfo";
import type { SearchHit } from "../bindings/SearchHit";
import { previewFrame, readPreviewFrame, type FilePreview } from "../lib/preview-frame";
import type { FakeObject } from "./fake-locations";
import type { SearchEvent } from "./types";

const MiB = 1024 * 1024;
/** The shell's cap (src-tauri/src/commands/preview.rs) and the core's text limit. */
const PREVIEW_MAX_BYTES = 20 * MiB;
const TEXT_PREVIEW_BYTES = MiB;

/** A 48×32 PNG (a blue-to-amber gradient): what every fake raster image shows. */
const DEMO_PNG =
  "iVBORw0KGgoAAAANSUhEUgAAADAAAAAgCAMAAABjCgsuAAAAYFBMVEU7gvZBgu5Hg+ZNhN9ThddZhtBfh8hliMBriblxirF3i6p9i6KDjJuJjZOPjouVj4SbkHyhkXWnkm2tk2WzlF65lFa/lU/FlkfLl0DRmDjXmTDdminjmyHpnBrvnRL1ngv9A6GKAAAAT0lEQVQ4y5XBBQHAAACAMO7u7v1bPgMbWIFEKBFJxBKJRCqRSeQShUQpUUnUEo1EK9FJ9BKDxCgxScwSi8QqsUnsEofEKXFJ3BKPxCvxST/5hl0BBJXbvgAAAABJRU5ErkJggg==";

/** An SVG with a script: shown in an <img>, the script never runs. */
const DEMO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">' +
  '<script>window.__svgScriptRan = true</script>' +
  '<circle cx="32" cy="32" r="28" fill="#3b82f6"/></svg>';

/** Case- and normalisation-folded text, as the core compares names. */
export function foldName(s: string): string {
  return s.normalize("NFC").toLowerCase().normalize("NFC");
}

export interface FakeSearchOptions {
  /** Objects listed per page (default 1,000, like ListObjectsV2). */
  pageSize: number;
  /** "auto": pages on timers `delayMs` apart; "manual": `deliverNext()` sends the next one. */
  mode: "auto" | "manual";
  delayMs: number;
}

interface Running {
  id: number;
  onEvent: (e: SearchEvent) => void;
  steps: Array<() => void>;
  timer: ReturnType<typeof setTimeout> | null;
}

type ObjectsOf = () => Map<string, FakeObject>;

export class FakeSearch {
  private running: Running | null = null;
  private nextId = 1;

  constructor(
    private readonly objects: ObjectsOf,
    private readonly opts: FakeSearchOptions,
    private readonly error: (code: ErrorCode, message: string, params?: ErrorParams) => IpcError,
  ) {}

  /** Starts a search (stopping the running one); returns its id. */
  start(path: string, pattern: string, onEvent: (e: SearchEvent) => void): number {
    if (pattern === "" || pattern.includes("/")) throw this.error("path.invalid", `“${pattern}” is not a search pattern.`, { path: pattern, detail: "not a search pattern" });
    if (path !== "" && !path.endsWith("/")) path += "/";
    if (this.running) this.stop(this.running.id);
    const id = this.nextId++;
    const keys = [...this.objects().keys()].filter((k) => k.startsWith(path) && k !== path).sort();
    const run: Running = { id, onEvent, steps: [], timer: null };
    const end = (e: SearchEvent) => () => {
      this.running = null;
      onEvent(e);
    };
    if (path !== "" && keys.length === 0 && !this.objects().has(path)) {
      run.steps.push(end({ event: "failed", id, error: this.error("s3.not_found", `${path} does not exist.`, { path }) }));
    } else {
      const want = foldName(pattern);
      const seen = new Set<string>();
      let found = 0;
      let listed = 0;
      for (let i = 0; i < keys.length || i === 0; i += this.opts.pageSize) {
        const page = keys.slice(i, i + this.opts.pageSize);
        const hits = page.flatMap((k) => this.hits(path, k, want, seen));
        found += hits.length;
        listed += page.length;
        const ev: SearchEvent = { event: "page", id, hits, found, listed, skipped: 0 };
        run.steps.push(() => onEvent(ev));
      }
      run.steps.push(end({ event: "done", id, found, listed, skipped: 0 }));
    }
    this.running = run;
    if (this.opts.mode === "auto") this.schedule(run, 0);
    return id;
  }

  /** In "manual" mode: sends the running search's next event; false when there is none. */
  deliverNext(): boolean {
    const run = this.running;
    const step = run?.steps.shift();
    if (!step) return false;
    step();
    return true;
  }

  /** Stops search `id` (it gets `stopped`); false when it is not the running one. */
  stop(id: number): boolean {
    const run = this.running;
    if (!run || run.id !== id) return false;
    if (run.timer) clearTimeout(run.timer);
    this.running = null;
    run.onEvent({ event: "stopped", id });
    return true;
  }

  private schedule(run: Running, delay: number): void {
    run.timer = setTimeout(() => {
      if (this.running !== run) return;
      run.steps.shift()?.();
      if (run.steps.length && this.running === run) this.schedule(run, this.opts.delayMs);
    }, delay);
  }

  /** The matches key `key` (below folder `base`) adds: folders its path implies, its file. */
  private hits(base: string, key: string, want: string, seen: Set<string>): SearchHit[] {
    const below = key.slice(base.length);
    const marker = below.endsWith("/");
    const segs = (marker ? below.slice(0, -1) : below).split("/");
    const out: SearchHit[] = [];
    let at = base;
    segs.forEach((seg, i) => {
      const folder = i < segs.length - 1 || marker;
      const path = at + seg + (folder ? "/" : "");
      if (seg !== "" && foldName(seg).includes(want) && !(folder && seen.has(path))) {
        if (folder) seen.add(path);
        const o = this.objects().get(key)!;
        out.push({
          entry: folder
            ? { kind: "folder", path, name: seg, size: 0, last_modified: null }
            : { kind: "file", path, name: seg, size: o.size, last_modified: o.modified },
          folder: at,
        });
      }
      at = path;
    });
    return out;
  }

  /** The preview of `path`, through the shell's frame format. */
  preview(path: string): FilePreview {
    if (path === "" || path.endsWith("/")) throw this.error("path.invalid", "A folder has no preview; give a file.", { path, detail: "a folder has no preview" });
    const o = this.objects().get(path);
    if (!o) throw this.error("s3.not_found", `${path} does not exist.`, { path });
    const name = path.slice(path.lastIndexOf("/") + 1);
    const ext = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
    const info: PreviewInfo = {
      path,
      name,
      size: o.size,
      content_type: "application/octet-stream",
      modified: o.modified,
      show: "other",
      reason: "preview.unsupported",
      truncated: false,
      bytes: 0,
    };
    let bytes = new Uint8Array();
    const image = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp", svg: "image/svg+xml" }[ext];
    const text = { txt: "text/plain", md: "text/markdown", csv: "text/csv", json: "application/json", log: "text/plain" }[ext];
    if (image && o.size > PREVIEW_MAX_BYTES) {
      Object.assign(info, { content_type: image, reason: "preview.too_large" });
    } else if (image) {
      // The fake's raster images are all the same PNG; its type is what the bytes are.
      const svg = ext === "svg";
      bytes = svg ? new TextEncoder().encode(DEMO_SVG) : Uint8Array.from(atob(DEMO_PNG), (c) => c.charCodeAt(0));
      Object.assign(info, { content_type: svg ? image : "image/png", show: "image", reason: null });
    } else if (ext === "pdf") {
      Object.assign(info, { content_type: "application/pdf", show: "pdf", reason: null });
    } else if (text) {
      const n = Math.min(o.size, TEXT_PREVIEW_BYTES);
      bytes = new TextEncoder().encode(sampleText(name, n));
      Object.assign(info, { content_type: text, show: "text", reason: null, truncated: n < o.size });
    }
    return readPreviewFrame(previewFrame(info, bytes));
  }
}

/** `n` bytes of readable text (ASCII lines) about `name`. */
function sampleText(name: string, n: number): string {
  const lines = [`# ${name}`, "", "This is what Kura's preview shows of a text file: its first mebibyte, as plain text.", ""];
  let out = lines.join("\n") + "\n";
  for (let i = 1; out.length < n; i++) out += `${String(i).padStart(5, " ")}  The quick brown fox jumps over the lazy dog.\n`;
  return out.slice(0, n);
}
