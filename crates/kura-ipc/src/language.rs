//! The desktop app's language. The UI is translated into [`Language`]s; which one is shown follows
//! the system locale ([`Language::from_locale`]) unless the person chose one in the app, which is
//! remembered by the shell. The page cannot read the environment, so the shell tells it
//! ([`LanguageView`], the `language` and `set_language` commands).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A language the app is translated into (a catalogue `ui/src/i18n/<code>/`), by its BCP 47 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English (`en`).
    En,
    /// Japanese (`ja`).
    Ja,
}

impl Language {
    /// Every language, in the order a language menu lists them.
    pub const ALL: [Language; 2] = [Language::En, Language::Ja];

    /// The BCP 47 code (`en`, `ja`).
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ja => "ja",
        }
    }

    /// The language of a locale name as found in the POSIX locale variables (`ja_JP.UTF-8`,
    /// `ja`, `en_GB`, `C.UTF-8`, `POSIX`): `ja…` is Japanese, anything else English.
    pub fn of_locale_name(name: &str) -> Language {
        let lang = name.split(['_', '.', '@', '-']).next().unwrap_or_default();
        if lang.eq_ignore_ascii_case("ja") {
            Language::Ja
        } else {
            Language::En
        }
    }

    /// The system's language from the locale variables, read with `var`: the first entry of
    /// `LANGUAGE` (a colon-separated priority list, GNU gettext), else the first of `LC_ALL`,
    /// `LC_MESSAGES`, `LANG` that is set and not empty (POSIX precedence for messages);
    /// English when none is set.
    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Language {
        let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        if let Some(first) =
            set("LANGUAGE").and_then(|v| v.split(':').map(str::trim).find(|s| !s.is_empty()).map(str::to_string))
        {
            return Language::of_locale_name(&first);
        }
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .find_map(set)
            .map_or(Language::En, |v| Language::of_locale_name(&v))
    }

    /// [`Language::from_locale`] over this process's environment.
    pub fn of_system() -> Language {
        Language::from_locale(|name| std::env::var(name).ok())
    }
}

/// The UI language: the one in effect, the system's, and the one chosen in the app (none:
/// follow the system).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LanguageView {
    /// The language the app shows (`chosen`, else `system`).
    pub language: Language,
    /// The system locale's language ([`Language::of_system`]).
    pub system: Language,
    /// Chosen in the app and remembered across restarts; null follows the system.
    pub chosen: Option<Language>,
}

impl LanguageView {
    /// The view of `system` and `chosen`.
    pub fn new(system: Language, chosen: Option<Language>) -> LanguageView {
        LanguageView {
            language: chosen.unwrap_or(system),
            system,
            chosen,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn system(vars: &[(&str, &str)]) -> Language {
        Language::from_locale(|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn japanese_locales_are_japanese() {
        assert_eq!(system(&[("LANG", "ja_JP.UTF-8")]), Language::Ja);
        assert_eq!(system(&[("LANG", "ja")]), Language::Ja);
        assert_eq!(system(&[("LANG", "ja_JP.eucJP@euro")]), Language::Ja);
        assert_eq!(system(&[("LANG", "en_US.UTF-8")]), Language::En);
        assert_eq!(system(&[("LANG", "C.UTF-8")]), Language::En);
        assert_eq!(system(&[("LANG", "jv_ID")]), Language::En);
        assert_eq!(system(&[]), Language::En);
    }

    #[test]
    fn language_then_lc_all_then_lc_messages_then_lang() {
        let all = [
            ("LANGUAGE", "ja:en"),
            ("LC_ALL", "en_US.UTF-8"),
            ("LC_MESSAGES", "en_US.UTF-8"),
            ("LANG", "en_US.UTF-8"),
        ];
        assert_eq!(system(&all), Language::Ja);
        assert_eq!(
            system(&[("LANGUAGE", "en_GB:ja"), ("LANG", "ja_JP.UTF-8")]),
            Language::En
        );
        // An empty LANGUAGE (or LC_*) is not set.
        assert_eq!(system(&[("LANGUAGE", ""), ("LANG", "ja_JP.UTF-8")]), Language::Ja);
        assert_eq!(system(&[("LANGUAGE", ":ja"), ("LANG", "en_US")]), Language::Ja);
        assert_eq!(
            system(&[("LC_ALL", "ja_JP.UTF-8"), ("LANG", "en_US.UTF-8")]),
            Language::Ja
        );
        assert_eq!(
            system(&[("LC_ALL", ""), ("LC_MESSAGES", "ja_JP.UTF-8"), ("LANG", "en_US")]),
            Language::Ja
        );
        assert_eq!(
            system(&[("LC_MESSAGES", "en_US"), ("LANG", "ja_JP.UTF-8")]),
            Language::En
        );
    }

    #[test]
    fn the_choice_wins_over_the_system() {
        let v = LanguageView::new(Language::Ja, Some(Language::En));
        assert_eq!(v.language, Language::En);
        assert_eq!(LanguageView::new(Language::Ja, None).language, Language::Ja);
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"language":"en","system":"ja","chosen":"en"}"#
        );
    }
}
