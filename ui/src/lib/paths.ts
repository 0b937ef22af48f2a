// Paths are relative to the user's prefix: "" is the root, folders end with "/".
import { t } from "../i18n";

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
export function breadcrumbs(path: string, rootLabel: string): Crumb[] {
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
  if (!n) return t("files.validate.enterName");
  if (n.includes("/")) return t("files.validate.slash");
  if (n === "." || n === "..") return t("files.validate.dots");
  if (n.length > 512) return t("files.validate.tooLong");
  return null;
}

/** Why a destination path (rename/move) is not acceptable, or null. */
export function validatePath(path: string): string | null {
  const p = path.trim();
  if (!p || p === "/") return t("files.validate.enterPath");
  if (p.startsWith("/")) return t("files.validate.leadingSlash");
  const segs = p.replace(/\/$/, "").split("/");
  if (segs.some((s) => s === "")) return t("files.validate.emptySegment");
  if (segs.some((s) => s === "." || s === "..")) return t("files.validate.dotSegment");
  return null;
}

/** Normalises a rename destination: folders keep a trailing "/", files never have one. */
export function normaliseDest(dst: string, isFolder: boolean): string {
  const p = dst.trim().replace(/\/+$/, "");
  return isFolder ? p + "/" : p;
}
