import { useLayoutEffect, useState, type MutableRef } from "preact/hooks";

/** Height (px) assumed before the element is laid out (e.g. under jsdom). */
const FALLBACK_HEIGHT = 600;

/**
 * The client height (px) of the element in `elRef`, kept current with a ResizeObserver: what a
 * virtualised list needs to know how many rows to render.
 */
export function useViewportHeight(elRef: MutableRef<HTMLElement | null>): number {
  const [height, setHeight] = useState(FALLBACK_HEIGHT);
  useLayoutEffect(() => {
    const el = elRef.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight > 0 ? el.clientHeight : FALLBACK_HEIGHT);
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [elRef]);
  return height;
}
