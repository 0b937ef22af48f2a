import type { LocationView } from "../bindings/LocationView";

/** What a placeholder of a prefix template names: `{tag:tenant}` → "'tenant' tag",
 * `{claim:org}` → "'org' claim", `{sub}` → "'sub' claim". */
function placeholderText(placeholder: string | null): string | null {
  const m = placeholder?.match(/^\{(?:(tag|claim):)?([^}]+)\}$/);
  if (!m) return null;
  return `'${m[2]}' ${m[1] === "tag" ? "tag" : "claim"}`;
}

/** Why a location cannot be used, worded by its error's code (null when it can be used). */
export function locationReason(loc: LocationView): string | null {
  if (!loc.error) return null;
  const what = placeholderText(loc.placeholder);
  switch (loc.error.code) {
    case "path.missing_claim":
      return what
        ? `Your account has no ${what} — ask your administrator`
        : "Your account lacks a value this location needs — ask your administrator";
    case "path.unsafe_claim":
      return what
        ? `Your account's ${what} cannot be used as a folder name — ask your administrator`
        : "A value of your account cannot be used as a folder name — ask your administrator";
    default:
      return "This location is not available";
  }
}
