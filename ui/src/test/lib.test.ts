import { deleteQuestion } from "../lib/deletion";
import { describe, expect, it } from "vitest";
import type { EntryView } from "../bindings/EntryView";
import { displayName, formatEta, formatExpiry, formatRate, formatSize, percent } from "../lib/format";
import { breadcrumbs } from "../lib/paths";
import { mergeSorted, nextSort, sortEntries, type SortSpec } from "../lib/sort";
import { applyTransferEvent, newTransfer } from "../lib/transfers";

const file = (name: string, size: number, modified: string): EntryView => ({
  kind: "file", path: name, name, size, last_modified: modified,
});
const folder = (name: string): EntryView => ({ kind: "folder", path: `${name}/`, name, size: 0, last_modified: null });

describe("sorting", () => {
  const entries = [
    file("b.txt", 300, "2025-01-02T00:00:00Z"),
    folder("zeta"),
    file("a10.txt", 100, "2025-03-01T00:00:00Z"),
    folder("alpha"),
    file("a2.txt", 200, "2024-12-01T00:00:00Z"),
  ];
  const names = (s: EntryView[]) => s.map((e) => e.name);

  it("sorts by name naturally, folders first", () => {
    expect(names(sortEntries(entries, { key: "name", dir: "asc" }))).toEqual(["alpha", "zeta", "a2.txt", "a10.txt", "b.txt"]);
    expect(names(sortEntries(entries, { key: "name", dir: "desc" })).slice(0, 2).every((n) => ["alpha", "zeta"].includes(n))).toBe(true);
    expect(names(sortEntries(entries, { key: "name", dir: "desc" })).slice(2)).toEqual(["b.txt", "a10.txt", "a2.txt"]);
  });

  it("sorts by size and by modified time, folders still first", () => {
    expect(names(sortEntries(entries, { key: "size", dir: "asc" })).slice(2)).toEqual(["a10.txt", "a2.txt", "b.txt"]);
    expect(names(sortEntries(entries, { key: "size", dir: "desc" })).slice(2)).toEqual(["b.txt", "a2.txt", "a10.txt"]);
    expect(names(sortEntries(entries, { key: "modified", dir: "asc" })).slice(2)).toEqual(["a2.txt", "b.txt", "a10.txt"]);
    expect(sortEntries(entries, { key: "modified", dir: "desc" })[0].kind).toBe("folder");
  });

  it("merging pages into a sorted listing gives the same order as sorting it whole", () => {
    // Pages in S3's order (binary), which is not the collator's (numeric, case-insensitive).
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const all: EntryView[] = [];
    for (let i = 0; i < 600; i++) {
      const name = `${["A", "b", "a", "Z", "é"][rand(5)]}${rand(40)}.${["txt", "bin"][rand(2)]}-${i}`;
      all.push(rand(7) === 0 ? folder(name) : file(name, rand(1000), `2025-0${1 + rand(9)}-01T00:00:00Z`));
    }
    const specs: SortSpec[] = [
      { key: "name", dir: "asc" },
      { key: "name", dir: "desc" },
      { key: "size", dir: "asc" },
      { key: "modified", dir: "desc" },
    ];
    // Pages in a random order, in S3's key order, and already in the collator's (k000…: each page
    // sorted and after the ones before it, the case merged without sorting or searching).
    const s3 = all.slice().sort((a, b) => (a.path < b.path ? -1 : 1));
    const numbered = all.map((e, i) => ({ ...e, name: `k${String(i).padStart(6, "0")}`, path: `k${String(i).padStart(6, "0")}` }));
    for (const listing of [all, s3, numbered]) {
      for (const spec of specs) {
        let sorted: EntryView[] = [];
        for (let at = 0; at < listing.length; at += 97) sorted = mergeSorted(sorted, listing.slice(at, at + 97), spec);
        expect(sorted.map((e) => e.path)).toEqual(sortEntries(listing, spec).map((e) => e.path));
      }
    }
    expect(mergeSorted(sortEntries(entries, specs[0]), [], specs[0])).toEqual(sortEntries(entries, specs[0]));
  });

  it("clicking a header toggles direction, another header starts ascending", () => {
    expect(nextSort({ key: "name", dir: "asc" }, "name")).toEqual({ key: "name", dir: "desc" });
    expect(nextSort({ key: "name", dir: "desc" }, "size").key).toBe("size");
  });
});

describe("formatting", () => {
  it("formats sizes in binary units", () => {
    expect(formatSize(0)).toBe("0 B");
    expect(formatSize(1023)).toBe("1,023 B");
    expect(formatSize(1536)).toBe("1.5 KiB");
    expect(formatSize(734 * 1024 * 1024)).toBe("734 MiB");
  });

  it("formats rates and percentages", () => {
    expect(formatRate(5 * 1024 * 1024)).toContain("5.0 MiB/s");
    expect(percent(1, 3)).toBe(33);
    expect(percent(0, 0)).toBe(0);
  });

  it("estimates the time left from the average rate", () => {
    const mib = 1024 * 1024;
    expect(formatEta(0, 100 * mib, 10 * mib)).toBe("10 sec left");
    expect(formatEta(0, 600 * mib, mib)).toBe("10 min left");
    expect(formatEta(0, 3900 * mib, mib)).toBe("1 hr, 5 min left");
    expect(formatEta(100, 100, mib)).toBe("");
    expect(formatEta(0, 100, 0)).toBe("");
  });

  it("formats credential expiry relative to now", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(formatExpiry("2026-01-01T12:42:00Z", now)).toContain("42 min");
    expect(formatExpiry("2026-01-01T11:00:00Z", now)).toMatch(/expired/i);
    expect(formatExpiry(null, now)).toBeNull();
  });
});

describe("breadcrumbs", () => {
  it("starts at the root and accumulates folder paths", () => {
    expect(breadcrumbs("", "My files")).toEqual([{ label: "My files", path: "" }]);
    expect(breadcrumbs("docs/2024/", "My files")).toEqual([
      { label: "My files", path: "" },
      { label: "docs", path: "docs/" },
      { label: "2024", path: "docs/2024/" },
    ]);
  });
});

describe("transfer events", () => {
  it("moves through running, done and failed", () => {
    let t = newTransfer(7, "upload", { name: "a.txt", items: 1, to: "/", resumed: false }, "");
    expect(t.state).toBe("queued");
    t = applyTransferEvent(t, { event: "progress", id: 7, bytes_done: 50, bytes_total: 200, files_done: 0, files_total: 1, rate: 10 });
    expect(t.state).toBe("running");
    expect(t.bytesDone).toBe(50);
    const done = applyTransferEvent(t, { event: "done", id: 7, files: 1, bytes: 200 });
    expect(done.state).toBe("done");
    const failed = applyTransferEvent(t, {
      event: "failed", id: 7, error: { code: "s3.access_denied", message: "no", params: {} }, failed_items: [], items_total: 0, can_retry: true,
    });
    expect(failed.state).toBe("failed");
    expect(failed.error?.code).toBe("s3.access_denied");
    expect(failed.canRetry).toBe(true);
    const partial = applyTransferEvent(t, {
      event: "failed", id: 7, error: { code: "batch.partial", message: "1 of 3 items failed", params: { failed: 1, total: 3 } },
      failed_items: [{ path: "docs/b.txt", error: { code: "local.io", message: "reading b.txt: gone", params: { detail: "reading b.txt: gone" } } }], items_total: 3, can_retry: true,
    });
    expect(partial.failedItems.map((f) => f.path)).toEqual(["docs/b.txt"]);
    expect(partial.itemsTotal).toBe(3);
    expect(applyTransferEvent(t, { event: "cancelled", id: 7 }).state).toBe("cancelled");
  });
});

describe("displayName", () => {
  it("shows bidi, control and zero-width characters instead of obeying them", () => {
    expect(displayName("evil\u202etxt.exe")).toBe("evil\\u{202e}txt.exe");
    expect(displayName("a\nb\u200bc\u2066d")).toBe("a\\u{a}b\\u{200b}c\\u{2066}d");
    expect(displayName("café été.txt")).toBe("café été.txt");
  });
});

describe("deleteQuestion", () => {
  const file = (name: string): EntryView => ({ name, path: name, kind: "file", size: 3, modified: null }) as unknown as EntryView;
  const folder = (name: string): EntryView => ({ name, path: name + "/", kind: "folder", size: 0, modified: null }) as unknown as EntryView;
  it("counts a folder's objects and the files", () => {
    const q = deleteQuestion([file("a.txt"), folder("docs"), folder("x")], [4, 1]);
    expect(q.objects).toBe(6);
    expect(q.message).toBe("Delete 3 items (1 file, docs/ and its 4 objects, x/ and its 1 object)? This cannot be undone.");
  });
  it("names a single file", () => {
    expect(deleteQuestion([file("a.txt")], [])).toEqual({ message: "Delete a.txt? This cannot be undone.", objects: 1 });
  });
});
