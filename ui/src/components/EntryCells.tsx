import type { ComponentChildren } from "preact";
import type { EntryView } from "../bindings/EntryView";
import { displayName, formatDate, formatSize } from "../lib/format";
import { FileIcon, FolderIcon } from "./icons";

/**
 * The cells of one entry's row in the file list and the search results: name (with its icon;
 * `nameTitle` is the tooltip), then `middle` (e.g. the search's folder column), size ("—" for a
 * folder) and modified time. Names are shown through `displayName` (control characters escaped).
 */
export function EntryCells({ entry, nameTitle, middle }: { entry: EntryView; nameTitle: string; middle?: ComponentChildren }) {
  return (
    <>
      <span class="col-name" role="gridcell">
        {entry.kind === "folder" ? <FolderIcon /> : <FileIcon />}
        <span class="name" title={displayName(nameTitle)}>
          {displayName(entry.name)}
        </span>
      </span>
      {middle}
      <span class="col-size" role="gridcell">
        {entry.kind === "folder" ? "—" : formatSize(entry.size)}
      </span>
      <span class="col-modified" role="gridcell">
        {formatDate(entry.last_modified)}
      </span>
    </>
  );
}
