// The fake platform's UI language: a system language (an option, like the locale the shell
// reads) and the choice made in the app (kept in memory; "remembered" for the page's lifetime).
import type { Language } from "../bindings/Language";
import type { LanguageView } from "../bindings/LanguageView";

export class FakeLanguage {
  constructor(
    /** The "system locale's" language. */
    public system: Language = "en",
    public chosen: Language | null = null,
  ) {}

  view(): LanguageView {
    return { language: this.chosen ?? this.system, system: this.system, chosen: this.chosen };
  }

  choose(chosen: Language | null): LanguageView {
    this.chosen = chosen;
    return this.view();
  }
}
