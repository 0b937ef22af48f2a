import type { EntryView } from "../bindings/EntryView";
import { useT } from "../i18n/context";
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
  const t = useT();
  const files = selected.filter((e) => e.kind === "file");
  return (
    <div class="statusbar" aria-live="polite">
      <span data-testid="count" data-count={count}>
        {t("files.status.count", { count })}
      </span>
      {selected.length > 0 && (
        <span>
          {t("files.status.selected", { count: selected.length })}
          {files.length > 0 && ` · ${formatSize(files.reduce((n, e) => n + e.size, 0))}`}
        </span>
      )}
      {loading && (
        <span class="loading" data-testid="loading">
          <span class="spinner small" aria-hidden="true" />
          {t("files.status.loading")}
        </span>
      )}
      <span class="bucket" title={t("files.status.yourFolder")}>
        {bucket}/{prefix}
      </span>
    </div>
  );
}
