//! Text the shell shows itself — the tray menu, notifications, native dialog titles — in the
//! UI's language, from the UI's own catalogue: `ui/src/i18n/<lang>/native.json` is compiled in
//! here, so one file holds every translation and the UI's catalogue check (`npm run
//! check:i18n`) covers these keys too (it finds them as `text(…, "key")` / `plural(…, "key", …)`
//! calls in this crate).
//!
//! The format is i18next's: nested objects joined with `.`, `{{name}}` placeholders, and plural
//! forms as `key_one` / `key_other` chosen by CLDR's rules (English: one for 1, other otherwise;
//! Japanese: other always).

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::LazyLock;

use kura_ipc::Language;

/// One language's texts, by dotted key.
struct Catalogue(HashMap<String, String>);

impl Catalogue {
    fn parse(json: &str) -> Catalogue {
        fn walk(prefix: &str, v: &serde_json::Value, out: &mut HashMap<String, String>) {
            match v {
                serde_json::Value::Object(map) => {
                    for (k, v) in map {
                        let key = if prefix.is_empty() {
                            k.clone()
                        } else {
                            format!("{prefix}.{k}")
                        };
                        walk(&key, v, out);
                    }
                }
                serde_json::Value::String(s) => {
                    out.insert(prefix.to_string(), s.clone());
                }
                _ => {}
            }
        }
        let value: serde_json::Value = serde_json::from_str(json).expect("native.json is valid JSON");
        let mut out = HashMap::new();
        walk("", &value, &mut out);
        Catalogue(out)
    }
}

static EN: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::parse(include_str!("../../ui/src/i18n/en/native.json")));
static JA: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::parse(include_str!("../../ui/src/i18n/ja/native.json")));

fn catalogue(lang: Language) -> &'static Catalogue {
    match lang {
        Language::En => &EN,
        Language::Ja => &JA,
    }
}

/// The raw text of `key` in `lang`, else in English, else the key itself (a missing key shows,
/// and the catalogue check fails on it).
fn raw(lang: Language, key: &str) -> String {
    catalogue(lang)
        .0
        .get(key)
        .or_else(|| EN.0.get(key))
        .cloned()
        .unwrap_or_else(|| key.to_string())
}

fn interpolate(mut text: String, args: &[(&str, &dyn Display)]) -> String {
    for (name, value) in args {
        text = text.replace(&format!("{{{{{name}}}}}"), &value.to_string());
    }
    text
}

/// The text of `key` in `lang` (e.g. `text(Language::Ja, "tray.quit")`), with `{{name}}`
/// placeholders replaced from `args`.
pub fn text(lang: Language, key: &str, args: &[(&str, &dyn Display)]) -> String {
    interpolate(raw(lang, key), args)
}

/// The CLDR plural category of `count` in `lang`, as an i18next key suffix.
fn plural_suffix(lang: Language, count: u64) -> &'static str {
    match lang {
        Language::En if count == 1 => "one",
        Language::En | Language::Ja => "other",
    }
}

/// The plural form of `key` for `count` in `lang` (`key_one` / `key_other`), with `{{count}}`
/// and `args` replaced.
pub fn plural(lang: Language, key: &str, count: u64, args: &[(&str, &dyn Display)]) -> String {
    let form = format!("{key}_{}", plural_suffix(lang, count));
    let mut all: Vec<(&str, &dyn Display)> = vec![("count", &count)];
    all.extend_from_slice(args);
    interpolate(raw(lang, &form), &all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_from_the_uis_catalogue() {
        assert_eq!(text(Language::En, "tray.quit", &[]), "Quit");
        assert_eq!(text(Language::Ja, "tray.quit", &[]), "終了");
        assert_eq!(
            text(Language::Ja, "tray.signedInAs", &[("who", &"alice@example.com")]),
            "alice@example.com としてサインイン中"
        );
        assert_eq!(text(Language::En, "no.such.key", &[]), "no.such.key");
    }

    #[test]
    fn plurals_follow_each_languages_rules() {
        assert_eq!(plural(Language::En, "notify.files", 1, &[]), "1 file");
        assert_eq!(plural(Language::En, "notify.files", 3, &[]), "3 files");
        assert_eq!(plural(Language::Ja, "notify.files", 1, &[]), "1 件のファイル");
        assert_eq!(plural(Language::Ja, "notify.files", 3, &[]), "3 件のファイル");
    }

    /// Every key of one language's native catalogue is in the other's, with the same placeholders.
    #[test]
    fn both_catalogues_have_the_same_keys() {
        let base = |k: &String| k.trim_end_matches("_one").trim_end_matches("_other").to_string();
        let keys = |c: &Catalogue| {
            let mut v: Vec<String> = c.0.keys().map(base).collect();
            v.sort();
            v.dedup();
            v
        };
        assert_eq!(keys(&EN), keys(&JA));
    }
}
