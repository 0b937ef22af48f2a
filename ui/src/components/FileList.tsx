import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { EntryView } from "../bindings/EntryView";
import { useT } from "../i18n/context";
import { clickSelect, moveSelect, selectAll, type Selection } from "../lib/selection";
import type { SortKey, SortSpec } from "../lib/sort";
import { EntryCells } from "./EntryCells";
import { useViewportHeight } from "./useViewportHeight";

/** Fixed row height (px): the list is virtualised on it. Keep in sync with `.row` in CSS. */
export const ROW_HEIGHT = 34;
/** Rows rendered above and below the visible window. */
const OVERSCAN = 8;

export interface FileListProps {
  /** Already sorted. */
  entries: readonly EntryView[];
  selection: Selection;
  onSelection: (sel: Selection) => void;
  sort: SortSpec;
  onSort: (key: SortKey) => void;
  onOpen: (entry: EntryView) => void;
  onGoUp: () => void;
  onDelete: () => void;
  onRename: () => void;
  /** Space on a file: preview it. */
  onPreview?: (entry: EntryView) => void;
  loading: boolean;
  /** Shown when there are no entries and loading is over. */
  emptyText?: string;
  /** Drop highlight. */
  dropActive?: boolean;
  dropText?: string;
  /** Set to focus the list (e.g. after navigation). */
  autoFocusKey?: string;
}

const COLUMNS: Array<{ key: SortKey; cls: string }> = [
  { key: "name", cls: "col-name" },
  { key: "size", cls: "col-size" },
  { key: "modified", cls: "col-modified" },
];

export function FileList(props: FileListProps) {
  const { entries, selection, onSelection, sort } = props;
  const t = useT();
  const bodyRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const height = useViewportHeight(bodyRef);

  // The paths in order and each one's row, built on first use: a folder streaming in re-renders
  // every page, and nothing needs them until there is a cursor or a key is pressed.
  const lookup = useMemo(() => {
    let order: string[] | null = null;
    let index: Map<string, number> | null = null;
    const paths = () => (order ??= entries.map((e) => e.path));
    return {
      order: paths,
      indexOf: (path: string) => (index ??= new Map(paths().map((p, i) => [p, i]))).get(path),
    };
  }, [entries]);


  useEffect(() => {
    if (props.autoFocusKey !== undefined) bodyRef.current?.focus({ preventScroll: true });
  }, [props.autoFocusKey]);

  // Keep the cursor row in view.
  useEffect(() => {
    const el = bodyRef.current;
    if (!el || selection.cursor === null) return;
    const i = lookup.indexOf(selection.cursor);
    if (i === undefined) return;
    const top = i * ROW_HEIGHT;
    const bottom = top + ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (bottom > el.scrollTop + height) el.scrollTop = bottom - height;
    setScrollTop(el.scrollTop);
  }, [selection.cursor, lookup, height]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(entries.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = entries.slice(first, last);

  const onKeyDown = (e: KeyboardEvent) => {
    const order = lookup.order();
    const mod = e.ctrlKey || e.metaKey;
    const cursorEntry = selection.cursor !== null ? entries[lookup.indexOf(selection.cursor) ?? -1] : undefined;
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    let handled = true;
    switch (e.key) {
      case "ArrowDown":
        onSelection(moveSelect(selection, order, 1, e.shiftKey));
        break;
      case "ArrowUp":
        onSelection(moveSelect(selection, order, -1, e.shiftKey));
        break;
      case "PageDown":
        onSelection(moveSelect(selection, order, page, e.shiftKey));
        break;
      case "PageUp":
        onSelection(moveSelect(selection, order, -page, e.shiftKey));
        break;
      case "Home":
        onSelection(moveSelect(selection, order, -order.length, e.shiftKey));
        break;
      case "End":
        onSelection(moveSelect(selection, order, order.length, e.shiftKey));
        break;
      case "Enter":
        if (cursorEntry) props.onOpen(cursorEntry);
        break;
      case " ":
        if (cursorEntry?.kind === "file" && props.onPreview) props.onPreview(cursorEntry);
        else handled = false;
        break;
      case "Backspace":
        props.onGoUp();
        break;
      case "Delete":
        if (selection.selected.size > 0) props.onDelete();
        break;
      case "F2":
        if (cursorEntry || selection.selected.size === 1) props.onRename();
        break;
      case "a":
      case "A":
        if (mod) onSelection(selectAll(selection, order));
        else handled = false;
        break;
      case "Escape":
        onSelection({ selected: new Set(), cursor: selection.cursor, anchor: selection.anchor });
        break;
      default:
        handled = false;
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  return (
    <div class={"file-list" + (props.dropActive ? " drop-active" : "")} data-testid="file-list">
      <div class="list-header" role="row">
        {COLUMNS.map((c) => {
          const active = sort.key === c.key;
          return (
            <button
              type="button"
              key={c.key}
              class={`${c.cls} sort-btn${active ? " active" : ""}`}
              data-testid={`sort-${c.key}`}
              role="columnheader"
              aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : "none"}
              onClick={() => props.onSort(c.key)}
            >
              {t(`files.columns.${c.key}`)}
              <span class="sort-arrow" aria-hidden="true">
                {active ? (sort.dir === "asc" ? "▲" : "▼") : ""}
              </span>
            </button>
          );
        })}
      </div>
      <div
        class="list-body"
        ref={bodyRef}
        tabIndex={0}
        role="grid"
        aria-multiselectable="true"
        aria-rowcount={entries.length}
        aria-label={t("files.list.label")}
        onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div class="list-spacer" style={{ height: `${entries.length * ROW_HEIGHT}px` }}>
          {visible.map((entry, k) => {
            const i = first + k;
            const selected = selection.selected.has(entry.path);
            const isCursor = selection.cursor === entry.path;
            return (
              <div
                key={entry.path}
                class={`row${selected ? " selected" : ""}${isCursor ? " cursor" : ""}${i % 2 ? " odd" : ""}`}
                role="row"
                aria-rowindex={i + 1}
                aria-selected={selected}
                data-testid="row"
                data-path={entry.path}
                data-kind={entry.kind}
                style={{ top: `${i * ROW_HEIGHT}px` }}
                onMouseDown={(e) => {
                  if (e.shiftKey) e.preventDefault(); // no text selection on shift-click
                }}
                onClick={(e) => {
                  onSelection(clickSelect(selection, lookup.order(), entry.path, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey }));
                  bodyRef.current?.focus({ preventScroll: true });
                }}
                onDblClick={() => props.onOpen(entry)}
              >
                <EntryCells entry={entry} nameTitle={entry.name} />
              </div>
            );
          })}
        </div>
        {entries.length === 0 && !props.loading && <div class="empty">{props.emptyText ?? t("files.list.empty")}</div>}
      </div>
      {props.dropActive && (
        <div class="drop-overlay" data-testid="drop-overlay">
          <span>{props.dropText ?? t("files.list.drop")}</span>
        </div>
      )}
    </div>
  );
}
