// Selection over an ordered list of paths: a set, a cursor (focused row) and an anchor for
// Shift-ranges.

export interface Selection {
  selected: ReadonlySet<string>;
  cursor: string | null;
  anchor: string | null;
}

export const emptySelection: Selection = { selected: new Set(), cursor: null, anchor: null };

function range(order: readonly string[], from: string | null, to: string): Set<string> {
  const j = order.indexOf(to);
  let i = from === null ? -1 : order.indexOf(from);
  if (i < 0) i = j;
  const [lo, hi] = i <= j ? [i, j] : [j, i];
  return new Set(order.slice(lo, hi + 1));
}

/** A click: plain selects one, Ctrl/Cmd toggles, Shift selects the range from the anchor. */
export function clickSelect(
  sel: Selection,
  order: readonly string[],
  path: string,
  mods: { shift?: boolean; toggle?: boolean },
): Selection {
  if (mods.shift) return { selected: range(order, sel.anchor ?? sel.cursor, path), cursor: path, anchor: sel.anchor ?? sel.cursor ?? path };
  if (mods.toggle) {
    const s = new Set(sel.selected);
    if (s.has(path)) s.delete(path);
    else s.add(path);
    return { selected: s, cursor: path, anchor: path };
  }
  return { selected: new Set([path]), cursor: path, anchor: path };
}

/** Up/Down: move the cursor by `delta`; with Shift extend from the anchor, else select only it. */
export function moveSelect(sel: Selection, order: readonly string[], delta: number, extend: boolean): Selection {
  if (order.length === 0) return sel;
  const cur = sel.cursor === null ? -1 : order.indexOf(sel.cursor);
  let next: number;
  if (cur < 0) next = delta > 0 ? 0 : order.length - 1;
  else next = Math.max(0, Math.min(order.length - 1, cur + delta));
  const path = order[next];
  if (extend) {
    const anchor = sel.anchor ?? sel.cursor ?? path;
    return { selected: range(order, anchor, path), cursor: path, anchor };
  }
  return { selected: new Set([path]), cursor: path, anchor: path };
}

export function selectAll(sel: Selection, order: readonly string[]): Selection {
  return { selected: new Set(order), cursor: sel.cursor ?? order[0] ?? null, anchor: sel.anchor ?? order[0] ?? null };
}

/** After a reload: keep only paths that still exist. */
export function pruneSelection(sel: Selection, existing: ReadonlySet<string>): Selection {
  const selected = new Set([...sel.selected].filter((p) => existing.has(p)));
  return {
    selected,
    cursor: sel.cursor && existing.has(sel.cursor) ? sel.cursor : null,
    anchor: sel.anchor && existing.has(sel.anchor) ? sel.anchor : null,
  };
}
