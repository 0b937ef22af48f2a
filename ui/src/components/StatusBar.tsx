import type { EntryView } from "../bindings/EntryView";
import { formatSize } from "../lib/format";

export interface StatusBarProps {
  /** Entries listed so far. */
  count: number;
  /** The selected entries (their total size is shown when files are among them). */
  selected: EntryView[];
  /** Pages are still streaming in. */
  loading: boolean;
  bucket: string;
  prefix: string;
}

/** The line under the list: item count, selection and its size, loading, the user's folder. */
export function StatusBar({ count, selected, loading, bucket, prefix }: StatusBarProps) {
  const files = selected.filter((e) => e.kind === "file");
  return (
    <div class="statusbar" aria-live="polite">
      <span data-testid="count">
        {count.toLocaleString()} {count === 1 ? "item" : "items"}
      </span>
      {selected.length > 0 && (
        <span>
          {selected.length.toLocaleString()} selected
          {files.length > 0 && ` · ${formatSize(files.reduce((n, e) => n + e.size, 0))}`}
        </span>
      )}
      {loading && (
        <span class="loading" data-testid="loading">
          <span class="spinner small" aria-hidden="true" />
          loading…
        </span>
      )}
      <span class="bucket" title="Your folder">
        {bucket}/{prefix}
      </span>
    </div>
  );
}
