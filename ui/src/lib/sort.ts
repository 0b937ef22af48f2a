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

/** Sorted copy: folders always first, then by `key` in `dir`; ties by name, then path. */
export function sortEntries(entries: readonly EntryView[], spec: SortSpec): EntryView[] {
  const sign = spec.dir === "asc" ? 1 : -1;
  return entries.slice().sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === "folder" ? -1 : 1;
    const c = compareBy(spec.key, a, b) * sign;
    if (c !== 0) return c;
    const n = collator.compare(a.name, b.name);
    if (n !== 0) return n;
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  });
}

/** Clicking a column header: same key toggles the direction, a new key starts ascending. */
export function nextSort(current: SortSpec, key: SortKey): SortSpec {
  if (current.key === key) return { key, dir: current.dir === "asc" ? "desc" : "asc" };
  return { key, dir: "asc" };
}
