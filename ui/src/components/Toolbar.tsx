import type { EntryView } from "../bindings/EntryView";

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
  refresh: () => void;
}

export interface ToolbarProps {
  actions: ToolbarActions;
  /** Entries selected in the list. */
  selected: number;
  /** The single entry actions like rename and share apply to, if any. */
  single: EntryView | undefined;
}

/** The workspace's action bar: upload, new folder, download, rename, share, delete, refresh. */
export function Toolbar({ actions, selected, single }: ToolbarProps) {
  return (
    <div class="toolbar" role="toolbar" aria-label="Actions">
      <div class="group">
        <button type="button" class="btn btn-primary" data-testid="upload" onClick={() => actions.upload(false)}>
          Upload
        </button>
        <button type="button" class="btn" data-testid="upload-folder" onClick={() => actions.upload(true)}>
          Upload folder
        </button>
        <button type="button" class="btn" data-testid="new-folder" onClick={actions.newFolder}>
          New folder
        </button>
      </div>
      <div class="group">
        <button type="button" class="btn" data-testid="download" disabled={selected === 0} onClick={() => actions.download(false)} title="Download to your Downloads folder">
          Download
        </button>
        <button type="button" class="btn" data-testid="download-to" disabled={selected === 0} onClick={() => actions.download(true)} title="Choose where to download">
          Download to…
        </button>
        <button type="button" class="btn" data-testid="rename" disabled={!single} onClick={actions.rename}>
          Rename
        </button>
        <button type="button" class="btn" data-testid="share" disabled={!single || single.kind !== "file"} onClick={actions.share}>
          Share link
        </button>
        <button type="button" class="btn btn-danger-ghost" data-testid="delete" disabled={selected === 0} onClick={actions.delete}>
          Delete
        </button>
      </div>
      <div class="group end">
        <button type="button" class="btn" data-testid="refresh" onClick={actions.refresh} title="Refresh">
          Refresh
        </button>
      </div>
    </div>
  );
}
