// Paths are relative to the user's prefix: "" is the root, folders end with "/".

/** "a/b/c.txt" → "a/b/"; "a/b/" → "a/"; "a/" → "". */
export function parentOf(path: string): string {
  const trimmed = path.endsWith("/") ? path.slice(0, -1) : path;
  const i = trimmed.lastIndexOf("/");
  return i < 0 ? "" : trimmed.slice(0, i + 1);
}

/** Last segment without a trailing "/". */
export function baseName(path: string): string {
  const trimmed = path.endsWith("/") ? path.slice(0, -1) : path;
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** Base name of a local OS path (either separator). */
export function localBaseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, "");
  const i = Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf("\\"));
  return trimmed.slice(i + 1);
}

export interface Crumb {
  label: string;
  path: string;
}

/** Breadcrumbs from the root: "docs/2024/" → [root, docs, 2024]. */
export function breadcrumbs(path: string, rootLabel = "My files"): Crumb[] {
  const crumbs: Crumb[] = [{ label: rootLabel, path: "" }];
  let acc = "";
  for (const seg of path.split("/")) {
    if (!seg) continue;
    acc += seg + "/";
    crumbs.push({ label: seg, path: acc });
  }
  return crumbs;
}

/** Why a single name (new folder) is not acceptable, or null. */
export function validateName(name: string): string | null {
  const n = name.trim();
  if (!n) return "Enter a name.";
  if (n.includes("/")) return "A name cannot contain “/”.";
  if (n === "." || n === "..") return "“.” and “..” are not valid names.";
  if (n.length > 512) return "That name is too long.";
  return null;
}

/** Why a destination path (rename/move) is not acceptable, or null. */
export function validatePath(path: string): string | null {
  const p = path.trim();
  if (!p || p === "/") return "Enter a name or path.";
  if (p.startsWith("/")) return "Paths are relative to your folder: remove the leading “/”.";
  const segs = p.replace(/\/$/, "").split("/");
  if (segs.some((s) => s === "")) return "A path cannot contain empty segments (“//”).";
  if (segs.some((s) => s === "." || s === "..")) return "“.” and “..” are not allowed in paths.";
  return null;
}

/** Normalises a rename destination: folders keep a trailing "/", files never have one. */
export function normaliseDest(dst: string, isFolder: boolean): string {
  const p = dst.trim().replace(/\/+$/, "");
  return isFolder ? p + "/" : p;
}
