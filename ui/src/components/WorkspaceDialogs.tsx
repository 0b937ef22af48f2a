import type { EntryView } from "../bindings/EntryView";
import type { Platform } from "../platform/types";
import { normaliseDest, validateName, validatePath } from "../lib/paths";
import { ConfirmDialog, PromptDialog, ShareDialog } from "./Dialogs";

/** The dialog the workspace shows, if any. */
export type WorkspaceDialog =
  | { kind: "new-folder" }
  | { kind: "rename"; entry: EntryView }
  | { kind: "delete"; entries: EntryView[]; message: string; objects: number }
  | { kind: "share"; entry: EntryView };

export interface WorkspaceDialogsProps {
  dialog: WorkspaceDialog | null;
  platform: Platform;
  /** The folder shown ("" = root) and its display name. */
  path: string;
  where: string;
  prefix: string;
  onClose: () => void;
  /** After a create or rename: reload the folder and select `select`. */
  reloadSelecting: (select: string) => void;
  /** Deletes the confirmed entries (closes the dialog itself). */
  onDelete: (entries: EntryView[]) => Promise<void>;
}

/** The new-folder, rename/move, delete confirmation and share dialogs of the workspace. */
export function WorkspaceDialogs(props: WorkspaceDialogsProps) {
  const { dialog, platform, path, where, prefix, onClose } = props;
  if (!dialog) return null;
  switch (dialog.kind) {
    case "new-folder":
      return (
        <PromptDialog
          title="New folder"
          label={`Name of the new folder in ${where}`}
          initial="New folder"
          confirmText="Create"
          validate={validateName}
          prefix={prefix}
          onCancel={onClose}
          onSubmit={async (name) => {
            const created = await platform.createFolder(path + name + "/");
            onClose();
            props.reloadSelecting(created);
          }}
        />
      );
    case "rename":
      return <RenameDialog {...props} entry={dialog.entry} />;
    case "delete":
      return (
        <ConfirmDialog
          title={dialog.entries.length === 1 ? "Delete?" : `Delete ${dialog.entries.length} items?`}
          message={dialog.message}
          confirmText="Delete"
          danger
          prefix={prefix}
          onCancel={onClose}
          onConfirm={() => props.onDelete(dialog.entries)}
        />
      );
    case "share":
      return (
        <ShareDialog
          name={dialog.entry.name}
          prefix={prefix}
          create={(secs) => platform.shareLink(dialog.entry.path, secs)}
          copy={(text) => platform.copyText(text)}
          onClose={onClose}
        />
      );
  }
}

/** Rename or move: the name part (without extension) is preselected; a path with "/" moves. */
function RenameDialog(props: WorkspaceDialogsProps & { entry: EntryView }) {
  const e = props.entry;
  const initial = e.kind === "folder" ? e.path.slice(0, -1) : e.path;
  const nameStart = initial.length - e.name.length;
  const dot = e.kind === "file" ? e.name.lastIndexOf(".") : -1;
  const nameEnd = dot > 0 ? nameStart + dot : initial.length;
  return (
    <PromptDialog
      title={`Rename or move “${e.name}”`}
      label="New name or path"
      hint="A path with “/” moves it, relative to your folder (e.g. archive/2024/report.pdf)."
      initial={initial}
      selectRange={[nameStart, nameEnd]}
      confirmText="Rename"
      validate={validatePath}
      prefix={props.prefix}
      onCancel={props.onClose}
      onSubmit={async (value) => {
        const dst = normaliseDest(value, e.kind === "folder");
        if (dst === e.path) {
          props.onClose();
          return;
        }
        const moved = await props.platform.renamePath(e.path, dst);
        props.onClose();
        props.reloadSelecting(moved);
      }}
    />
  );
}
