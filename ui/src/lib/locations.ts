import type { LocationView } from "../bindings/LocationView";
import { t } from "../i18n";

/** The name of the location a profile without `[[profiles.NAME.locations]]` has (Rust's
 * `kura_core::config::DEFAULT_LOCATION`): shown in the UI's language. */
const DEFAULT_LOCATION = "My files";

/** A location's name as shown: the default location's in the UI's language, others as
 * configured. */
export function locationName(name: string): string {
  return name === DEFAULT_LOCATION ? t("files.myFiles") : name;
}

/** What a placeholder of a prefix template names: `{tag:tenant}` → "'tenant' tag",
 * `{claim:org}` → "'org' claim", `{sub}` → "'sub' claim". */
export function placeholderText(placeholder: string | null): string | null {
  const m = placeholder?.match(/^\{(?:(tag|claim):)?([^}]+)\}$/);
  if (!m) return null;
  return m[1] === "tag" ? t("files.locations.tag", { name: m[2] }) : t("files.locations.claim", { name: m[2] });
}

/** Why a location cannot be used, worded by its error's code (null when it can be used). */
export function locationReason(loc: LocationView): string | null {
  if (!loc.error) return null;
  const what = placeholderText(loc.placeholder);
  switch (loc.error.code) {
    case "path.missing_claim":
      return what ? t("files.locations.missingNamed", { what }) : t("files.locations.missing");
    case "path.unsafe_claim":
      return what ? t("files.locations.unsafeNamed", { what }) : t("files.locations.unsafe");
    default:
      return t("files.locations.unavailable");
  }
}
