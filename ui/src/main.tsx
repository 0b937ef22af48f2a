import { render } from "preact";
import { App } from "./App";
import type { Platform } from "./platform/types";
import "./styles.css";

declare global {
  interface Window {
    __TAURI_INTERNALS__?: unknown;
  }
}

async function choosePlatform(): Promise<Platform> {
  if (window.__TAURI_INTERNALS__) {
    const { createTauriPlatform } = await import("./platform/tauri");
    return createTauriPlatform();
  }
  // Plain browser (vite dev/preview): the in-memory fake. `?signed-in` starts signed in,
  // `?first-run` with no profile (the setup screen); the browser's language stands for the
  // system locale (`?lang=ja` to try Japanese).
  const { FakePlatform } = await import("./platform/fake");
  const q = new URLSearchParams(location.search);
  const demo = q.has("demo");
  const fake = new FakePlatform({
    signedIn: demo || q.has("signed-in"),
    bigFolder: 25_000,
    transferTicks: demo ? 60 : 10,
    profiles: q.has("first-run") ? [] : undefined,
    systemLanguage: (q.get("lang") ?? navigator.language).startsWith("ja") ? "ja" : "en",
  });
  if (demo) {
    // A few simulated transfers for a lively screenshot: one finishes, one fails, one runs.
    setTimeout(() => fake.drop(["/home/alice/notes.txt"]), 100);
    setTimeout(() => fake.drop(["/home/alice/broken.iso"]), 150);
    setTimeout(() => fake.drop(["/home/alice/Videos/trip.mov", "/home/alice/Videos/raw"]), 200);
  }
  return fake;
}

void choosePlatform().then((platform) => {
  render(<App platform={platform} />, document.getElementById("app")!);
});
