// The fake platform's listing and share links over a location's objects (keys relative to the
// location's prefix; keys ending in "/" are folder markers).
import type { EntryView } from "../bindings/EntryView";
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
