// The UI's translations: one i18next instance (https://www.i18next.com) with the catalogues of
// ./resources, a typed `t`, and the language in effect. Components read `t` through `useT()`
// (./context.tsx) so they re-render when the language changes; plain functions (lib/format.ts,
// lib/errors.ts, lib/setup-text.ts) call `t` directly while a component renders.
//
// Plurals are i18next's (`key_one` / `key_other`, chosen with Intl.PluralRules); numbers, sizes,
// dates and relative times are formatted with Intl in lib/format.ts.
import i18next from "i18next";
import type { Language } from "../bindings/Language";
import { en, ja } from "./resources";

export type { Language };

/** Every language the UI is translated into (a catalogue folder each). */
export const LANGUAGES: readonly Language[] = ["en", "ja"];

/** The app's i18next instance (not the global one). */
export const i18n = i18next.createInstance();

void i18n.init({
  resources: { en: { translation: en }, ja: { translation: ja } },
  lng: "en",
  fallbackLng: "en",
  supportedLngs: [...LANGUAGES],
  // Resources are bundled: initialise synchronously, so `t` works at once (also in tests).
  initAsync: false,
  // Preact escapes text it renders; i18next must not escape it again.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** The typed translation function, in the language in effect at each call (no fixed language). */
export const t = i18n.getFixedT(null, "translation");

/** The language in effect. */
export function currentLanguage(): Language {
  return i18n.language === "ja" ? "ja" : "en";
}

/** Switches every later `t` (and the page's `lang`, for fonts and screen readers) to `lang`. */
export function applyLanguage(lang: Language): void {
  void i18n.changeLanguage(lang);
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}
