import type { EntryView } from "../bindings/EntryView";

/**
 * The delete confirmation's text for `targets`, where `counts[i]` is the number of objects under
 * the i-th folder among them (in order). Returns the question and the number of objects that
 * will be deleted (files count one each).
 */
export function deleteQuestion(targets: EntryView[], counts: number[]): { message: string; objects: number } {
  const folders = targets.filter((e) => e.kind === "folder");
  const objects = counts.reduce((a, b) => a + b, 0) + targets.length - folders.length;
  const folderText = (f: EntryView, n: number) => `${f.name}/ and its ${n} ${n === 1 ? "object" : "objects"}`;
  let message: string;
  if (targets.length === 1) {
    const t = targets[0];
    message = t.kind === "folder" ? `Delete ${folderText(t, counts[0])}?` : `Delete ${t.name}?`;
  } else {
    const files = targets.length - folders.length;
    const parts: string[] = [];
    if (files) parts.push(`${files} ${files === 1 ? "file" : "files"}`);
    folders.forEach((f, i) => parts.push(folderText(f, counts[i])));
    message = `Delete ${targets.length} items (${parts.join(", ")})?`;
  }
  return { message: message + " This cannot be undone.", objects };
}
