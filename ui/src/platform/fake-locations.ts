// The fake platform's locations: objects per location (keys relative to the location's prefix)
// and `switch_location` on a session view.
import type { IpcError } from "../bindings/IpcError";
import { ipcError } from "./fake-error";
import type { LocationView } from "../bindings/LocationView";
import type { SessionView } from "../bindings/SessionView";

export interface FakeObject {
  size: number;
  modified: string;
}

/** Each location's objects, created empty on first use. */
export class FakeLocationStores {
  private stores = new Map<string, Map<string, FakeObject>>();

  /** The objects of location `name`. */
  of(name: string): Map<string, FakeObject> {
    let m = this.stores.get(name);
    if (!m) {
      m = new Map();
      this.stores.set(name, m);
    }
    return m;
  }
}

/** `session` showing location `name`, or the error `switch_location` rejects with. */
export function switchedSession(session: SessionView, name: string): SessionView | IpcError {
  const loc: LocationView | undefined = session.locations.find((l) => l.name === name);
  if (!loc) return ipcError("config.invalid", `no location "${name}"`, { profile: session.profile, key: "locations", detail: `no location "${name}"` });
  if (loc.error) return loc.error;
  return { ...session, location: name, prefix: loc.prefix ?? session.prefix };
}
