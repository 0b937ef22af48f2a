import type { RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { useT } from "../i18n/context";

/** Typing pauses this long (ms) before a search starts; Enter starts it at once. */
export const SEARCH_DEBOUNCE_MS = 300;

export interface SearchBoxProps {
  /** Where the search looks, for the placeholder (e.g. "docs" or "My files"). */
  where: string;
  /** Searches for the trimmed text (never empty). */
  onSearch: (pattern: string) => void;
  /** The box was emptied or Esc was pressed: back to the folder view. */
  onClear: () => void;
  /** ArrowDown in the box: move focus to the results. */
  onFocusResults?: () => void;
  /** Set to a new value to empty the box (e.g. after navigating away from the results). */
  resetKey?: unknown;
  inputRef?: RefObject<HTMLInputElement>;
  debounceMs?: number;
}

/** True when a key typed at `target` is text input, not a shortcut. */
function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

/**
 * The toolbar's search box (`input type="search"`). Ctrl+F (⌘F) and "/" focus it from anywhere
 * in the window except while typing elsewhere or in a dialog (dialogs keep their keys). Names
 * are searched as the user types (after a short pause) or on Enter; Esc clears it and returns
 * to the folder view.
 */
export function SearchBox(props: SearchBoxProps) {
  const t = useT();
  const ownRef = useRef<HTMLInputElement>(null);
  const inputRef = props.inputRef ?? ownRef;
  const [value, setValue] = useState("");
  const timerRef = useRef<ReturnType<typeof setTimeout> | null>(null);
  const { onSearch, onClear } = props;
  const delay = props.debounceMs ?? SEARCH_DEBOUNCE_MS;

  const cancelTimer = () => {
    if (timerRef.current) clearTimeout(timerRef.current);
    timerRef.current = null;
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = inputRef.current;
      if (!el || e.defaultPrevented) return;
      const findKey = (e.ctrlKey || e.metaKey) && !e.altKey && (e.key === "f" || e.key === "F");
      const slash = e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !typingIn(e.target);
      if (findKey || slash) {
        e.preventDefault();
        el.focus();
        el.select();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [inputRef]);

  useEffect(() => cancelTimer, []);

  const firstRef = useRef(true);
  useEffect(() => {
    if (firstRef.current) {
      firstRef.current = false;
      return;
    }
    cancelTimer();
    setValue("");
  }, [props.resetKey]);

  const changed = (text: string) => {
    setValue(text);
    cancelTimer();
    const pattern = text.trim();
    if (pattern === "") {
      onClear();
      return;
    }
    timerRef.current = setTimeout(() => {
      timerRef.current = null;
      onSearch(pattern);
    }, delay);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Enter") {
      e.preventDefault();
      cancelTimer();
      const pattern = value.trim();
      if (pattern) onSearch(pattern);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      cancelTimer();
      setValue("");
      onClear();
    } else if (e.key === "ArrowDown" && props.onFocusResults) {
      e.preventDefault();
      props.onFocusResults();
    }
  };

  return (
    <input
      ref={inputRef}
      type="search"
      class="search-box"
      data-testid="search"
      placeholder={t("search.box.placeholder", { where: props.where })}
      aria-label={t("search.box.label", { where: props.where })}
      title={t("search.box.title")}
      value={value}
      spellcheck={false}
      autocomplete="off"
      onInput={(e) => changed((e.currentTarget as HTMLInputElement).value)}
      onKeyDown={onKeyDown}
    />
  );
}
