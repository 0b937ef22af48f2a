// The language menu: follow the system, or one of the languages, each named in its own language
// (Intl.DisplayNames), so a person who cannot read the current one still finds theirs.
import { LANGUAGES, type Language } from "../i18n";
import { useT } from "../i18n/context";
import type { LanguageView } from "../platform/types";

export interface LanguageSwitchProps {
  view: LanguageView;
  /** A language, or null to follow the system. */
  onChoose: (chosen: Language | null) => void;
}

/** "日本語" for `ja`, "English" for `en`. */
function endonym(lang: Language): string {
  return new Intl.DisplayNames([lang], { type: "language" }).of(lang) ?? lang;
}

export function LanguageSwitch({ view, onChoose }: LanguageSwitchProps) {
  const t = useT();
  return (
    <select
      class="language-switch"
      data-testid="language"
      aria-label={t("app.language.label")}
      title={t("app.language.label")}
      value={view.chosen ?? ""}
      onChange={(e) => {
        const v = (e.currentTarget as HTMLSelectElement).value;
        onChoose(LANGUAGES.find((l) => l === v) ?? null);
      }}
    >
      <option value="">{t("app.language.system", { name: endonym(view.system) })}</option>
      {LANGUAGES.map((l) => (
        <option key={l} value={l} lang={l}>
          {endonym(l)}
        </option>
      ))}
    </select>
  );
}
