import type { EntryView } from "../bindings/EntryView";
import { useT } from "../i18n/context";

/** What the toolbar's buttons do; the workspace owns the state behind them. */
export interface ToolbarActions {
  /** Upload files (`folder` false) or a folder chosen in the native dialog. */
  upload: (folder: boolean) => void;
  newFolder: () => void;
  /** Download the selection to Downloads (`pick` false) or a folder chosen in a dialog. */
  download: (pick: boolean) => void;
  rename: () => void;
  share: () => void;
  delete: () => void;
  /** Preview the single file (`single`). */
  preview: () => void;
}

export interface ToolbarProps {
  actions: ToolbarActions;
  /** Entries selected in the list. */
  selected: number;
  /** The single entry actions like rename and share apply to, if any. */
  single: EntryView | undefined;
}

/** The workspace's action bar: upload, new folder, download, preview, rename, share, delete
 * (search and refresh are on the `LocationBar` below it). */
export function Toolbar({ actions, selected, single }: ToolbarProps) {
  const t = useT();
  return (
    <div class="toolbar" role="toolbar" aria-label={t("files.toolbar.label")}>
      <div class="group">
        <button type="button" class="btn btn-primary" data-testid="upload" onClick={() => actions.upload(false)}>
          {t("files.toolbar.upload")}
        </button>
        <button type="button" class="btn" data-testid="upload-folder" onClick={() => actions.upload(true)}>
          {t("files.toolbar.uploadFolder")}
        </button>
        <button type="button" class="btn" data-testid="new-folder" onClick={actions.newFolder}>
          {t("files.toolbar.newFolder")}
        </button>
      </div>
      <div class="group">
        <button type="button" class="btn" data-testid="download" disabled={selected === 0} onClick={() => actions.download(false)} title={t("files.toolbar.downloadTitle")}>
          {t("files.toolbar.download")}
        </button>
        <button type="button" class="btn" data-testid="download-to" disabled={selected === 0} onClick={() => actions.download(true)} title={t("files.toolbar.downloadToTitle")}>
          {t("files.toolbar.downloadTo")}
        </button>
        <button type="button" class="btn" data-testid="preview-file" disabled={single?.kind !== "file"} onClick={actions.preview} title={t("search.preview.buttonTitle")}>
          {t("search.preview.button")}
        </button>
        <button type="button" class="btn" data-testid="rename" disabled={!single} onClick={actions.rename}>
          {t("files.toolbar.rename")}
        </button>
        <button type="button" class="btn" data-testid="share" disabled={!single || single.kind !== "file"} onClick={actions.share}>
          {t("files.toolbar.share")}
        </button>
        <button type="button" class="btn btn-danger-ghost" data-testid="delete" disabled={selected === 0} onClick={actions.delete}>
          {t("files.toolbar.delete")}
        </button>
      </div>
    </div>
  );
}
