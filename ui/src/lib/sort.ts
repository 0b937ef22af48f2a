import type { EntryView } from "../bindings/EntryView";

export type SortKey = "name" | "size" | "modified";
export type SortDir = "asc" | "desc";
export interface SortSpec {
  key: SortKey;
  dir: SortDir;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function time(e: EntryView): number {
  if (!e.last_modified) return NaN;
  return Date.parse(e.last_modified);
}

function compareBy(key: SortKey, a: EntryView, b: EntryView): number {
  switch (key) {
    case "name":
      return collator.compare(a.name, b.name);
    case "size":
      return a.size - b.size;
    case "modified": {
      const ta = time(a);
      const tb = time(b);
      const na = Number.isNaN(ta);
      const nb = Number.isNaN(tb);
      if (na && nb) return 0;
      if (na) return -1; // unknown dates count as oldest
      if (nb) return 1;
      return ta - tb;
    }
  }
}

/** The order of `spec`: folders always first, then by `key` in `dir`; ties by name, then path
 * (a total order: paths are unique). */
export function entryOrder(spec: SortSpec): (a: EntryView, b: EntryView) => number {
  const sign = spec.dir === "asc" ? 1 : -1;
  return (a, b) => {
    if (a.kind !== b.kind) return a.kind === "folder" ? -1 : 1;
    const c = compareBy(spec.key, a, b) * sign;
    if (c !== 0) return c;
    const n = collator.compare(a.name, b.name);
    if (n !== 0) return n;
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  };
}

/** Sorted copy: folders always first, then by `key` in `dir`; ties by name, then path. */
export function sortEntries(entries: readonly EntryView[], spec: SortSpec): EntryView[] {
  return entries.slice().sort(entryOrder(spec));
}

/** True when `entries` is already in `order` (k - 1 comparisons). */
function inOrder(entries: readonly EntryView[], order: (a: EntryView, b: EntryView) => number): boolean {
  for (let i = 1; i < entries.length; i++) if (order(entries[i - 1], entries[i]) > 0) return false;
  return true;
}

/**
 * `sorted` (already in `spec`'s order) with `added` merged in: the same array `sortEntries` of
 * both would give, for O(k log k + k log n) comparisons instead of O(n log n) — what keeps a
 * 100,000-entry folder responsive while its pages stream in (each page is k entries, the folder
 * so far n). Each added entry's place is found by binary search from the previous one's. The
 * common case of a big folder by name — S3 lists keys in order, so each page is already sorted
 * and goes after everything before it — costs about k comparisons: the page is checked rather than
 * sorted, and an entry not before the last one is appended without a search.
 */
export function mergeSorted(sorted: readonly EntryView[], added: readonly EntryView[], spec: SortSpec): EntryView[] {
  const order = entryOrder(spec);
  const out: EntryView[] = [];
  const last = sorted[sorted.length - 1];
  let from = 0;
  for (const e of inOrder(added, order) ? added : added.slice().sort(order)) {
    let lo = from;
    let hi = sorted.length;
    if (lo < hi && order(last, e) <= 0) lo = hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (order(sorted[mid], e) <= 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = from; i < lo; i++) out.push(sorted[i]);
    out.push(e);
    from = lo;
  }
  for (let i = from; i < sorted.length; i++) out.push(sorted[i]);
  return out;
}

/** Clicking a column header: same key toggles the direction, a new key starts ascending. */
export function nextSort(current: SortSpec, key: SortKey): SortSpec {
  if (current.key === key) return { key, dir: current.dir === "asc" ? "desc" : "asc" };
  return { key, dir: "asc" };
}
