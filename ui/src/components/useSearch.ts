import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { SearchHit } from "../bindings/SearchHit";
import { toIpcError, type IpcError } from "../lib/errors";
import type { Platform, SearchEvent } from "../platform/types";

/** A search as shown: what was asked, what came so far, and whether it still runs. */
export interface SearchState {
  /** The pattern searched for. */
  pattern: string;
  /** The folder searched ("" = the location's root). */
  folder: string;
  hits: SearchHit[];
  found: number;
  /** Objects searched so far. */
  listed: number;
  /** Matching keys left out (paths that cannot be used). */
  skipped: number;
  status: "running" | "done" | "stopped" | "failed";
  error: IpcError | null;
}

export interface SearchControl {
  /** The search shown, or null for the folder view. */
  search: SearchState | null;
  /** Searches `folder` and below for `pattern`, stopping a running search. */
  start: (folder: string, pattern: string) => void;
  /** Stops a running search (the results so far stay). */
  stop: () => void;
  /** Stops it and returns to the folder view. */
  close: () => void;
}

/** Runs searches over the platform: one at a time, results streaming into `search`. */
export function useSearch(platform: Platform): SearchControl {
  const [search, setSearch] = useState<SearchState | null>(null);
  /** Bumped per search; events of an older one are dropped. */
  const genRef = useRef(0);
  /** The running search's id once `startSearch` answered, and whether Stop came before that. */
  const runningRef = useRef<{ gen: number; id: number | null; stopWanted: boolean } | null>(null);

  const stopRunning = useCallback(() => {
    const r = runningRef.current;
    if (!r) return;
    if (r.id === null) r.stopWanted = true;
    else void platform.stopSearch(r.id).catch(() => undefined);
  }, [platform]);

  const start = useCallback(
    (folder: string, pattern: string) => {
      const my = ++genRef.current;
      // The shell stops the window's previous search when a new one starts.
      runningRef.current = { gen: my, id: null, stopWanted: false };
      setSearch({ pattern, folder, hits: [], found: 0, listed: 0, skipped: 0, status: "running", error: null });
      const onEvent = (ev: SearchEvent) => {
        if (my !== genRef.current) return;
        if (ev.event !== "page" && runningRef.current?.gen === my) runningRef.current = null;
        setSearch((s) => {
          if (!s) return s;
          switch (ev.event) {
            case "page":
              return { ...s, hits: ev.hits.length ? s.hits.concat(ev.hits) : s.hits, found: ev.found, listed: ev.listed, skipped: ev.skipped };
            case "done":
              return { ...s, found: ev.found, listed: ev.listed, skipped: ev.skipped, status: "done" };
            case "failed":
              return { ...s, status: "failed", error: ev.error };
            case "stopped":
              return { ...s, status: "stopped" };
          }
        });
      };
      platform.startSearch(folder, pattern, onEvent).then(
        (id) => {
          const r = runningRef.current;
          if (!r || r.gen !== my) return;
          r.id = id;
          if (r.stopWanted) void platform.stopSearch(id).catch(() => undefined);
        },
        (e) => {
          if (my !== genRef.current) return;
          runningRef.current = null;
          setSearch((s) => s && { ...s, status: "failed", error: toIpcError(e) });
        },
      );
    },
    [platform],
  );

  const stop = useCallback(() => {
    stopRunning();
    // Shown as stopped at once; the shell's `stopped` event confirms it.
    setSearch((s) => (s && s.status === "running" ? { ...s, status: "stopped" } : s));
  }, [stopRunning]);

  const close = useCallback(() => {
    stopRunning();
    genRef.current++;
    runningRef.current = null;
    setSearch(null);
  }, [stopRunning]);

  // A search does not outlive the view that shows it.
  useEffect(() => () => stopRunning(), [stopRunning]);

  return { search, start, stop, close };
}
