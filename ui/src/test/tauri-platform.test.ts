// The Tauri platform over a stand-in for @tauri-apps/api/core: events come on one `app_events`
// channel (the page holds no event permission, so it never calls plugin:event|listen), and
// transfers send handles.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AppEvent } from "../bindings/AppEvent";
import type { SearchEvent } from "../bindings/SearchEvent";
import { previewFrame } from "../lib/preview-frame";

const invoked: Array<[string, Record<string, unknown> | undefined]> = [];
/** What `preview_file` answers: a binary frame, as an ArrayBuffer or (postMessage IPC) numbers. */
let previewResponse: ArrayBuffer | number[] = new ArrayBuffer(0);
const channels: Array<{ onmessage: (m: unknown) => void }> = [];

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(async (cmd: string, args?: Record<string, unknown>) => {
    invoked.push([cmd, args]);
    if (cmd === "start_search") return 4;
    if (cmd === "preview_file") return previewResponse;
    return cmd === "start_upload" ? { id: 1, kind: "upload", name: "x", items: 1, to: "/", resumed: false } : null;
  }),
  Channel: class {
    onmessage: (m: unknown) => void;
    constructor(onmessage: (m: unknown) => void) {
      this.onmessage = onmessage;
      channels.push(this);
    }
  },
}));

const { createTauriPlatform } = await import("../platform/tauri");

function deliver(ev: AppEvent) {
  const ch = channels.find((c) => invoked.some(([cmd, a]) => cmd === "app_events" && a?.onEvent === c));
  ch!.onmessage(ev);
}

describe("tauri platform", () => {
  beforeEach(() => {
    invoked.length = 0;
  });

  it("hears the shell on one app_events channel, never through Tauri event listeners", async () => {
    const p = createTauriPlatform();
    const sessions: unknown[] = [];
    const drops: unknown[] = [];
    const hovering: boolean[] = [];
    const failures: unknown[] = [];
    p.onSessionChanged((s) => sessions.push(s));
    p.onFilesDropped((c) => drops.push(c));
    p.onDragHover((h) => hovering.push(h));
    p.onDropFailed((e) => failures.push(e));
    p.onProfilesChanged(() => undefined);
    await vi.waitFor(() => expect(invoked.map(([c]) => c)).toContain("app_events"));
    expect(invoked.filter(([c]) => c === "app_events")).toHaveLength(1);
    expect(invoked.map(([c]) => c).filter((c) => c.startsWith("plugin:"))).toEqual([]);

    deliver({ event: "drag_over", x: 10, y: 20 });
    const chosen = { handle: "ab".repeat(16), items: [{ name: "a.txt", size: 3, is_dir: false }] };
    deliver({ event: "files_dropped", chosen, x: 10, y: 20 });
    deliver({ event: "session_changed", session: null });
    deliver({ event: "drop_failed", error: { code: "local.io", message: "gone", params: { detail: "gone" } } });
    expect(hovering).toEqual([true, false, false]);
    expect(drops).toEqual([chosen]);
    expect(sessions).toEqual([null]);
    expect(failures).toEqual([{ code: "local.io", message: "gone", params: { detail: "gone" } }]);
  });

  it("sends handles, not paths, to the transfer commands", async () => {
    const p = createTauriPlatform();
    await p.startUpload("cd".repeat(16), "docs/", () => undefined);
    await p.startDownload(["docs/a.txt"], "ef".repeat(16), () => undefined);
    await p.resumeUnfinished("upload-id", () => undefined);
    const args = Object.fromEntries(invoked.map(([c, a]) => [c, a]));
    expect(args.start_upload).toMatchObject({ handle: "cd".repeat(16), dest: "docs/" });
    expect(args.start_upload).not.toHaveProperty("paths");
    expect(args.start_download).toMatchObject({ paths: ["docs/a.txt"], destDir: "ef".repeat(16) });
    expect(args.resume_unfinished).toMatchObject({ id: "upload-id" });
  });

  it("streams a search over its own channel and stops it by id", async () => {
    const p = createTauriPlatform();
    const got: SearchEvent[] = [];
    expect(await p.startSearch("docs/", "report", (e) => got.push(e))).toBe(4);
    const [, args] = invoked.find(([c]) => c === "start_search")!;
    expect(args).toMatchObject({ path: "docs/", pattern: "report" });
    (args!.onEvent as { onmessage: (m: unknown) => void }).onmessage({ event: "stopped", id: 4 });
    expect(got).toEqual([{ event: "stopped", id: 4 }]);
    await p.stopSearch(4);
    expect(invoked.at(-1)).toEqual(["stop_search", { id: 4 }]);
  });

  it("reads preview_file's binary answer into facts and bytes", async () => {
    const p = createTauriPlatform();
    const info = {
      path: "a.png", name: "a.png", size: 3, content_type: "image/png", modified: null,
      show: "image" as const, reason: null, truncated: false, bytes: 3,
    };
    const frame = previewFrame(info, Uint8Array.from([137, 80, 78]));
    for (const answer of [frame, [...new Uint8Array(frame)]]) {
      previewResponse = answer;
      const got = await p.previewFile("a.png");
      expect(got.info).toEqual(info);
      expect([...got.bytes]).toEqual([137, 80, 78]);
    }
    expect(invoked.at(-1)).toEqual(["preview_file", { path: "a.png" }]);
  });
});
