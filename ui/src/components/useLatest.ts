import { useLayoutEffect, useRef } from "preact/hooks";

/**
 * A ref that always holds the latest `value` (set after each render), for callbacks and effects
 * that must see the current prop without being re-created or re-run when it changes.
 */
export function useLatest<T>(value: T) {
  const latestRef = useRef(value);
  useLayoutEffect(() => {
    latestRef.current = value;
  });
  return latestRef;
}
