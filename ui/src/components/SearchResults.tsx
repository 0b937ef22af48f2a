import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { SearchHit } from "../bindings/SearchHit";
import { t as translate } from "../i18n";
import { useT } from "../i18n/context";
import { describeError } from "../lib/errors";
import { displayName } from "../lib/format";
import { EntryCells } from "./EntryCells";
import { useViewportHeight } from "./useViewportHeight";
import { useLatest } from "./useLatest";
import type { SearchState } from "./useSearch";

/** Fixed row height (px) the list is virtualised on; as the file list's rows. */
const ROW_HEIGHT = 34;
const OVERSCAN = 8;

export interface SearchResultsProps {
  search: SearchState;
  /** The location's name, shown for the root folder. */
  rootLabel: string;
  /** Enter or double-click: a folder opens, a file is previewed. */
  onOpen: (hit: SearchHit) => void;
  /** Space on a file. */
  onPreview: (hit: SearchHit) => void;
  onStop: () => void;
  /** Esc or "Back to folder". */
  onClose: () => void;
  /** The hit under the cursor changed (e.g. for the toolbar's Preview button). */
  onCursor?: (hit: SearchHit | null) => void;
  /** Set to move focus into the list. */
  focusKey?: unknown;
  prefix?: string;
}

/** What the status line says about a search (called while a component renders). */
function summary(s: SearchState): string {
  const words = { found: translate("search.results.found", { count: s.found }), searched: translate("search.results.searched", { count: s.listed }) };
  switch (s.status) {
    case "running":
      return translate("search.results.running", words);
    case "done":
      return translate("search.results.done", words);
    case "stopped":
      return translate("search.results.stopped", words);
    case "failed":
      return translate("search.results.failed", words);
  }
}

/**
 * Search results as they stream in: each match with the folder it is in, a running count, and
 * Stop while the search runs. Keys: arrows/Home/End/PageUp/PageDown move, Enter opens a folder or
 * previews a file, Space previews a file, Esc goes back to the folder view.
 */
export function SearchResults(props: SearchResultsProps) {
  const { search: s } = props;
  const t = useT();
  const bodyRef = useRef<HTMLDivElement>(null);
  const [cursor, setCursor] = useState(-1);
  const [scrollTop, setScrollTop] = useState(0);
  const height = useViewportHeight(bodyRef);
  const hits = s.hits;

  // A new search starts without a cursor.
  useEffect(() => setCursor(-1), [s.pattern, s.folder]);


  // Only a new focus request moves focus (new hits do not): the count is read through a ref.
  const countRef = useLatest(hits.length);
  useEffect(() => {
    if (props.focusKey === undefined) return;
    bodyRef.current?.focus({ preventScroll: true });
    setCursor((c) => (c < 0 && countRef.current > 0 ? 0 : c));
  }, [props.focusKey, countRef]);

  const current: SearchHit | null = cursor >= 0 && cursor < hits.length ? hits[cursor] : null;
  const { onCursor } = props;
  useEffect(() => onCursor?.(current), [current, onCursor]);

  // Keep the cursor row in view.
  useEffect(() => {
    const el = bodyRef.current;
    if (!el || cursor < 0) return;
    const top = cursor * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + height) el.scrollTop = top + ROW_HEIGHT - height;
    setScrollTop(el.scrollTop);
  }, [cursor, height]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(hits.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = useMemo(() => hits.slice(first, last), [hits, first, last]);

  const move = (to: number) => {
    if (hits.length === 0) return;
    setCursor(Math.max(0, Math.min(hits.length - 1, to)));
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    let handled = true;
    switch (e.key) {
      case "ArrowDown":
        move(cursor < 0 ? 0 : cursor + 1);
        break;
      case "ArrowUp":
        move(cursor < 0 ? hits.length - 1 : cursor - 1);
        break;
      case "PageDown":
        move(cursor + page);
        break;
      case "PageUp":
        move(cursor - page);
        break;
      case "Home":
        move(0);
        break;
      case "End":
        move(hits.length - 1);
        break;
      case "Enter":
        if (current) props.onOpen(current);
        break;
      case " ":
        if (current?.entry.kind === "file") props.onPreview(current);
        break;
      case "Escape":
        props.onClose();
        break;
      default:
        handled = false;
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  const where = (folder: string) => (folder === "" ? props.rootLabel : displayName(folder.slice(0, -1)));

  return (
    <div class="search-results file-list" data-testid="search-results" data-status={s.status}>
      <div class="search-status" role="status" aria-live="polite">
        <span data-testid="search-count" data-found={s.found}>
          {summary(s)}
        </span>
        {s.status === "running" && <span class="spinner small" aria-hidden="true" />}
        {s.skipped > 0 && (
          <span class="note" data-testid="search-skipped">
            {t("search.results.skipped", { count: s.skipped })}
          </span>
        )}
        <span class="grow" />
        {s.status === "running" && (
          <button type="button" class="btn btn-small" data-testid="search-stop" onClick={props.onStop}>
            {t("search.results.stop")}
          </button>
        )}
        <button type="button" class="btn btn-small" data-testid="search-close" onClick={props.onClose} title={t("search.results.backTitle")}>
          {t("search.results.back")}
        </button>
      </div>
      {s.error && (
        <div class="search-error" role="alert" data-testid="search-error" data-code={s.error.code}>
          {describeError(s.error, props.prefix).text}
        </div>
      )}
      <div class="list-header search-header" role="row">
        <span class="col-name">{t("files.columns.name")}</span>
        <span class="col-folder">{t("search.results.folder")}</span>
        <span class="col-size">{t("files.columns.size")}</span>
        <span class="col-modified">{t("files.columns.modified")}</span>
      </div>
      <div
        class="list-body"
        ref={bodyRef}
        tabIndex={0}
        role="grid"
        aria-rowcount={hits.length}
        aria-label={t("search.results.listLabel", { pattern: s.pattern })}
        data-testid="search-list"
        onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div class="list-spacer" style={{ height: `${hits.length * ROW_HEIGHT}px` }}>
          {visible.map((hit, k) => {
            const i = first + k;
            const e = hit.entry;
            return (
              <div
                key={e.path}
                class={`search-hit${i === cursor ? " cursor" : ""}${i % 2 ? " odd" : ""}`}
                role="row"
                aria-rowindex={i + 1}
                aria-selected={i === cursor}
                data-testid="search-hit"
                data-path={e.path}
                data-kind={e.kind}
                style={{ top: `${i * ROW_HEIGHT}px` }}
                onClick={() => {
                  setCursor(i);
                  bodyRef.current?.focus({ preventScroll: true });
                }}
                onDblClick={() => props.onOpen(hit)}
              >
                <EntryCells
                  entry={e}
                  nameTitle={e.path}
                  middle={
                    <span class="col-folder" role="gridcell" title={where(hit.folder)}>
                      {where(hit.folder)}
                    </span>
                  }
                />
              </div>
            );
          })}
        </div>
        {hits.length === 0 && s.status !== "running" && !s.error && (
          <div class="empty" data-testid="search-empty">
            {t("search.results.empty", { pattern: s.pattern })}
          </div>
        )}
      </div>
    </div>
  );
}
