// The language as Preact context: components that call `useT()` re-render when it changes.
import type { ComponentChildren } from "preact";
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { t, type Language } from ".";

const LanguageContext = createContext<Language>("en");

/** Provides `lang` to the tree; the caller has applied it (`applyLanguage`). */
export function LanguageProvider({ lang, children }: { lang: Language; children: ComponentChildren }) {
  return <LanguageContext.Provider value={lang}>{children}</LanguageContext.Provider>;
}

/** The language in effect for this component. */
export function useLanguage(): Language {
  return useContext(LanguageContext);
}

/** `t`, subscribing the component to language changes. */
export function useT(): typeof t {
  useContext(LanguageContext);
  return t;
}
