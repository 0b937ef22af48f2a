import type { EntryView } from "../bindings/EntryView";
import { useT } from "../i18n/context";
import type { Platform } from "../platform/types";
import { deleteQuestion } from "../lib/deletion";
import { normaliseDest, validateName, validatePath } from "../lib/paths";
import { ConfirmDialog, PromptDialog, ShareDialog } from "./Dialogs";

/** The dialog the workspace shows, if any. */
export type WorkspaceDialog =
  | { kind: "new-folder" }
  | { kind: "rename"; entry: EntryView }
  | { kind: "delete"; entries: EntryView[]; /** Objects under each folder among `entries`. */ counts: number[] }
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
  const t = useT();
  if (!dialog) return null;
  switch (dialog.kind) {
    case "new-folder":
      return (
        <PromptDialog
          title={t("files.newFolder.title")}
          label={t("files.newFolder.label", { where })}
          initial={t("files.newFolder.initial")}
          confirmText={t("files.newFolder.confirm")}
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
          title={dialog.entries.length === 1 ? t("files.delete.title") : t("files.delete.titleMany", { count: dialog.entries.length })}
          message={deleteQuestion(dialog.entries, dialog.counts).message}
          confirmText={t("files.delete.confirm")}
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
  const t = useT();
  const e = props.entry;
  const initial = e.kind === "folder" ? e.path.slice(0, -1) : e.path;
  const nameStart = initial.length - e.name.length;
  const dot = e.kind === "file" ? e.name.lastIndexOf(".") : -1;
  const nameEnd = dot > 0 ? nameStart + dot : initial.length;
  return (
    <PromptDialog
      title={t("files.rename.title", { name: e.name })}
      label={t("files.rename.label")}
      hint={t("files.rename.hint")}
      initial={initial}
      selectRange={[nameStart, nameEnd]}
      confirmText={t("files.rename.confirm")}
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
