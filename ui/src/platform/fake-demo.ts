// The fake platform's options and demo data: the objects of the demo bucket, a signed-in session.
import type { Language } from "../bindings/Language";
import type { LocationView } from "../bindings/LocationView";
import type { SessionView } from "../bindings/SessionView";
import type { UnfinishedUploadView } from "../bindings/UnfinishedUploadView";
import type { FakeObject } from "./fake-locations";
import type { FakeProfilesOptions } from "./fake-profiles";
import { hash } from "./fake-transfers";

export interface FakeOptions extends FakeProfilesOptions {
  /** Start signed in on the active profile (default false). */
  signedIn?: boolean;
  /** Objects listed per search page (default 1,000, like ListObjectsV2); searches stream like
   * listings (`listMode`, `pageDelayMs`). */
  searchPageSize?: number;
  /** Entries per list page (default 500). */
  pageSize?: number;
  /**
   * "auto" (default): pages are delivered on timers (`pageDelayMs` apart). "manual": nothing is
   * delivered until the test calls `deliverNextListEvent()`.
   */
  listMode?: "auto" | "manual";
  pageDelayMs?: number;
  /** `listFolder`'s promise settles at once, before its pages and `done` arrive (as Tauri may
   * answer a command before the channel's fetched messages); default false: after `done`. */
  listSettlesEarly?: boolean;
  /** Files in the generated "big/" folder (default 0: no such folder). */
  bigFolder?: number;
  /** Delay before `signIn` resolves; "manual" waits for `completeSignIn()` (default 800 ms). */
  signInDelayMs?: number | "manual";
  /** Milliseconds between transfer progress ticks (default 150); "manual" = `tickTransfers()`. */
  transferTickMs?: number | "manual";
  /** Ticks a transfer takes (default 10). */
  transferTicks?: number;
  /** Replace the demo objects: key → size (keys ending in "/" are folder markers). */
  objects?: Record<string, number>;
  /** Uploads an "earlier session" left unfinished (default none). */
  unfinished?: UnfinishedUploadView[];
  /** The profile's locations (default: one "My files"); the first is shown at sign-in. */
  locations?: LocationView[];
  /** Objects of the other locations: location name → key → size (the demo objects are the
   * first location's). */
  locationObjects?: Record<string, Record<string, number>>;
  /** The language of the "system locale" (default English). */
  systemLanguage?: Language;
}

/** The single location of a profile without `[[profiles.NAME.locations]]`. */
export const MY_FILES: LocationView = { name: "My files", prefix: "users/auth0|alice0001/", error: null, placeholder: null };

const MiB = 1024 * 1024;

export const DEMO_OBJECTS: Record<string, number> = {
  "docs/": 0,
  "docs/report-2024.pdf": 2_483_112,
  "docs/notes.md": 4_211,
  "docs/slides.key": 18 * MiB + 12_345,
  "docs/archive/": 0,
  "docs/archive/2019-taxes.pdf": 812_004,
  "photos/": 0,
  "photos/2024/": 0,
  "photos/2024/beach.jpg": 3_404_112,
  "photos/2024/mountains.jpg": 4_100_000,
  "photos/cat.png": 912_330,
  "projects/": 0,
  "projects/kura/README.md": 9_120,
  "projects/kura/design.fig": 45 * MiB,
  "budget.xlsx": 48_311,
  "readme.txt": 1_204,
  "holiday-video.mp4": 734 * MiB,
  "empty-folder/": 0,
};

export function demoSession(now = Date.now(), profile = "default", bucket = "kura-demo", locations = [MY_FILES]): SessionView {
  return {
    profile,
    sub: "auth0|alice0001",
    label: "alice@example.com",
    email: "alice@example.com",
    bucket,
    prefix: "users/auth0|alice0001/",
    credentials_expire_at: new Date(now + 42 * 60_000 + 30_000).toISOString(),
    persistent: true,
    location: locations[0].name,
    locations,
  };
}


/** Puts `seed` (key → size) into `objects` with made-up modification times, and `bigFolder`
 * generated files under "big/". */
export function seedObjects(objects: Map<string, FakeObject>, seed: Record<string, number>, bigFolder: number): void {
  const base = Date.parse("2025-03-14T09:26:53Z");
  for (const [key, size] of Object.entries(seed)) {
    objects.set(key, { size, modified: new Date(base - (hash(key) % 200) * 86_400_000 - (hash(key) % 86_400) * 1000).toISOString() });
  }
  if (bigFolder > 0) {
    objects.set("big/", { size: 0, modified: new Date(base).toISOString() });
    for (let i = 0; i < bigFolder; i++) {
      const key = `big/file-${String(i).padStart(6, "0")}.dat`;
      objects.set(key, { size: (hash(key) % 5_000_000) + 1, modified: new Date(base - i * 60_000).toISOString() });
    }
  }
}
