import type { EntryView } from "../bindings/EntryView";
import { t } from "../i18n";
import { formatList } from "./format";

/**
 * The delete confirmation's text for `targets`, where `counts[i]` is the number of objects under
 * the i-th folder among them (in order). Returns the question and the number of objects that
 * will be deleted (files count one each).
 */
export function deleteQuestion(targets: EntryView[], counts: number[]): { message: string; objects: number } {
  const folders = targets.filter((e) => e.kind === "folder");
  const objects = counts.reduce((a, b) => a + b, 0) + targets.length - folders.length;
  const folderText = (f: EntryView, n: number) => t("files.delete.folderObjects", { name: f.name, count: n });
  let question: string;
  if (targets.length === 1) {
    const e = targets[0];
    question = t("files.delete.one", { what: e.kind === "folder" ? folderText(e, counts[0]) : e.name });
  } else {
    const files = targets.length - folders.length;
    const parts: string[] = [];
    if (files) parts.push(t("files.delete.files", { count: files }));
    folders.forEach((f, i) => parts.push(folderText(f, counts[i])));
    question = t("files.delete.many", { count: targets.length, parts: formatList(parts) });
  }
  return { message: t("files.delete.cannotUndo", { question }), objects };
}

/** The notice while a delete confirmation counts the objects of the folders among `targets`. */
export function countingNotice(folders: EntryView[]): string {
  return folders.length === 1
    ? t("files.delete.counting", { name: folders[0].name })
    : t("files.delete.countingFolders", { count: folders.length });
}
