import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { EntryView } from "../bindings/EntryView";
import type { Platform } from "../platform/types";
import { toIpcError, type IpcError } from "../lib/errors";
import { emptySelection, pruneSelection, type Selection } from "../lib/selection";

/** One folder's listing as shown: its entries so far, whether pages are still coming, the error. */
export interface Listing {
  path: string;
  entries: EntryView[];
  loading: boolean;
  error: IpcError | null;
}

/** What to keep selected after a (re)load: the old selection (pruned), or one path. */
export interface Keep {
  selection?: Selection;
  select?: string;
}

/**
 * The folder listing of the workspace: `load(path)` lists a folder through
 * `Platform.listFolder`; pages stream in (the first page renders at once, later ones are
 * coalesced every `flushMs` ms so a 100,000-entry folder does not re-render per page). The listing
 * ends with its `done` event, not when `listFolder`'s promise settles: Tauri can answer the command
 * before the channel's last (fetched) pages arrive. A load started later wins: late pages of an
 * earlier one are dropped. `setSel` receives the selection to apply once the listing is complete
 * (`keep`), or the empty selection at the start of a plain load. `onError` gets the failure of a
 * listing (the entries read so far stay, and pages that arrive after it are added).
 */
export function useListing(
  platform: Platform,
  initialPath: string,
  flushMs: number,
  setSel: (s: Selection) => void,
  onError: (e: IpcError) => void,
) {
  const [listing, setListing] = useState<Listing>({ path: initialPath, entries: [], loading: true, error: null });
  const genRef = useRef(0);
  /** The folder of the latest `load` (ahead of `listing.path`, which follows its render). */
  const pathRef = useRef(initialPath);

  const load = useCallback(
    (target: string, keep?: Keep) => {
      const my = ++genRef.current;
      pathRef.current = target;
      let buffered: EntryView[] = [];
      let all: EntryView[] = [];
      let timer: ReturnType<typeof setTimeout> | null = null;
      let firstShown = false;
      let finished = false;
      let error: IpcError | null = null;
      setListing((l) => ({ path: target, entries: l.path === target ? l.entries : [], loading: true, error: null }));
      if (!keep) setSel(emptySelection);
      const flush = () => {
        timer = null;
        if (my !== genRef.current) return;
        if (buffered.length) {
          all = all.concat(buffered);
          buffered = [];
        }
        setListing({ path: target, entries: all, loading: !finished, error });
      };
      const finish = () => {
        if (finished) return;
        finished = true;
        if (timer) clearTimeout(timer);
        if (my !== genRef.current) return;
        flush();
        if (!keep) return;
        const existing = new Set(all.map((e) => e.path));
        if (keep.select && existing.has(keep.select)) {
          setSel({ selected: new Set([keep.select]), cursor: keep.select, anchor: keep.select });
        } else if (keep.selection) {
          setSel(pruneSelection(keep.selection, existing));
        }
      };
      platform
        .listFolder(target, (ev) => {
          if (my !== genRef.current) return;
          if (ev.event === "page") {
            buffered.push(...ev.entries);
            if (!firstShown) {
              firstShown = true;
              flush();
            } else if (!timer) {
              timer = setTimeout(flush, flushMs);
            }
          } else {
            finish();
          }
        })
        .then(
          () => undefined, // `done` ends the listing (it may still be on its way)
          (e) => {
            finished = true;
            if (timer) clearTimeout(timer);
            if (my !== genRef.current) return;
            error = toIpcError(e);
            flush();
            onError(error);
          },
        );
    },
    [platform, flushMs, setSel, onError],
  );

  // The first listing on mount; late pages are ignored after unmount.
  const firstLoadRef = useRef(load);
  useEffect(() => {
    firstLoadRef.current(pathRef.current);
    const generationRef = genRef;
    return () => {
      generationRef.current++;
    };
  }, []);

  return { listing, load, pathRef };
}
