// The fake platform's browsing over a location's objects (keys relative to the location's
// prefix; keys ending in "/" are folder markers): listing, count, delete, new folder, rename, share
// links. Errors are the shell's codes (`path.invalid`, `s3.not_found`).
import type { EntryView } from "../bindings/EntryView";
import { baseName } from "../lib/paths";
import { ipcError as err } from "./fake-error";
import type { SessionView } from "../bindings/SessionView";
import type { ShareLink } from "../bindings/ShareLink";
import type { FakeObject } from "./fake-locations";
import { hash } from "./fake-transfers";

/** The entries directly in `folder`: files, and folders (from markers or deeper keys) once each. */
export function fakeChildren(objects: Map<string, FakeObject>, folder: string): EntryView[] {
  const out = new Map<string, EntryView>();
  for (const [key, o] of objects) {
    if (!key.startsWith(folder) || key === folder) continue;
    const rest = key.slice(folder.length);
    const slash = rest.indexOf("/");
    if (slash >= 0) {
      const p = folder + rest.slice(0, slash + 1);
      if (!out.has(p)) out.set(p, { kind: "folder", path: p, name: rest.slice(0, slash), size: 0, last_modified: null });
    } else {
      out.set(key, { kind: "file", path: key, name: rest, size: o.size, last_modified: o.modified });
    }
  }
  return [...out.values()];
}

/** A presigned-looking link, shortened to the session's credentials like the real one. */
export function fakeShareLink(session: SessionView, path: string, expiresSecs: number): ShareLink {
  const credsEnd = Date.parse(session.credentials_expire_at ?? "") || Infinity;
  const wanted = Date.now() + expiresSecs * 1000;
  const capped = wanted > credsEnd;
  const expires = capped ? credsEnd : wanted;
  const key = encodeURI(session.prefix + path);
  return {
    url: `https://s3.example.test/${session.bucket}/${key}?X-Amz-Expires=${Math.round((expires - Date.now()) / 1000)}&X-Amz-Signature=${hash(key).toString(16)}`,
    expires_at: new Date(expires).toISOString(),
    capped,
  };
}

/** True when `path` is an object or a folder with something in it. */
export function fakeHas(objects: Map<string, FakeObject>, path: string): boolean {
  return objects.has(path) || fakeChildren(objects, path).length > 0;
}

/** Objects under folder `path` (the marker itself not counted). */
export function fakeCount(objects: Map<string, FakeObject>, path: string): number {
  let n = 0;
  for (const key of objects.keys()) if (key.startsWith(path) && key !== path) n++;
  return n;
}

/** Deletes a file, or a folder (`recursive`, else only an empty one); returns objects deleted. */
export function fakeDelete(objects: Map<string, FakeObject>, path: string, recursive: boolean): number {
  if (path.endsWith("/")) {
    const keys = [...objects.keys()].filter((k) => k.startsWith(path));
    if (!recursive && keys.some((k) => k !== path)) throw err("path.invalid", `${path} is not empty.`, { path, detail: "the folder is not empty" });
    keys.forEach((k) => objects.delete(k));
    return keys.filter((k) => k !== path).length + (keys.includes(path) ? 1 : 0);
  }
  if (!objects.delete(path)) throw err("s3.not_found", `${path} does not exist.`, { path });
  return 1;
}

/** Creates folder `path` (a marker); returns its path ending in "/". */
export function fakeCreateFolder(objects: Map<string, FakeObject>, path: string): string {
  const p = path.endsWith("/") ? path : path + "/";
  if (fakeHas(objects, p)) throw err("path.invalid", `A folder named “${baseName(p)}” already exists.`, { path: p, detail: "already exists" });
  objects.set(p, { size: 0, modified: new Date().toISOString() });
  return p;
}

/** Moves a file or a folder (every key under it) to `dst`, which must not exist; returns `dst`. */
export function fakeRename(objects: Map<string, FakeObject>, src: string, dst: string): string {
  if (fakeHas(objects, dst)) throw err("path.invalid", `“${dst}” already exists; choose another name.`, { path: dst, detail: "already exists; choose another name" });
  if (src.endsWith("/")) {
    const keys = [...objects.keys()].filter((k) => k.startsWith(src));
    if (keys.length === 0) throw err("s3.not_found", `${src} does not exist.`, { path: src });
    for (const k of keys) {
      const o = objects.get(k)!;
      objects.delete(k);
      objects.set(dst + k.slice(src.length), o);
    }
  } else {
    const o = objects.get(src);
    if (!o) throw err("s3.not_found", `${src} does not exist.`, { path: src });
    objects.delete(src);
    objects.set(dst, o);
  }
  return dst;
}
