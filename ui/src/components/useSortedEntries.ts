import { useMemo, useRef } from "preact/hooks";
import type { EntryView } from "../bindings/EntryView";
import { mergeSorted, sortEntries, type SortSpec } from "../lib/sort";

interface Sorted {
  source: readonly EntryView[];
  spec: SortSpec;
  out: EntryView[];
}

/** True when `next` is `prev` with entries appended (the listing's pages keep earlier objects). */
function appended(prev: readonly EntryView[], next: readonly EntryView[]): boolean {
  if (next.length < prev.length) return false;
  if (prev.length === 0) return true;
  return next[0] === prev[0] && next[prev.length - 1] === prev[prev.length - 1];
}

/**
 * `entries` in `spec`'s order (`sortEntries`). While a listing streams in, each update only
 * appends a page: then only the new entries are sorted and merged into the previous result
 * (`mergeSorted`), so a 100,000-entry folder is not re-sorted whole for every page.
 */
export function useSortedEntries(entries: readonly EntryView[], spec: SortSpec): EntryView[] {
  const lastRef = useRef<Sorted | null>(null);
  return useMemo(() => {
    const prev = lastRef.current;
    const out =
      prev && prev.spec === spec && appended(prev.source, entries)
        ? mergeSorted(prev.out, entries.slice(prev.source.length), spec)
        : sortEntries(entries, spec);
    lastRef.current = { source: entries, spec, out };
    return out;
  }, [entries, spec]);
}
