import type { ComponentChildren } from "preact";
import { useT } from "../i18n/context";
import { Breadcrumbs } from "./Breadcrumbs";

export interface LocationBarProps {
  /** The folder shown ("" is the root; folders end with "/"). */
  path: string;
  /** The first crumb's label: the location's root. */
  rootLabel: string;
  onNavigate: (path: string) => void;
  /** The search box, at the end of the bar. */
  search: ComponentChildren;
  /** Lists the folder (or reruns the search shown) again. */
  onRefresh: () => void;
}

/** Where the user is and what looks there: the breadcrumbs, then the search box and Refresh at the
 * end (as a file manager's address bar), so the action toolbar above fits the default window in
 * English and Japanese. */
export function LocationBar({ path, rootLabel, onNavigate, search, onRefresh }: LocationBarProps) {
  const t = useT();
  return (
    <div class="location-bar">
      <Breadcrumbs path={path} rootLabel={rootLabel} onNavigate={onNavigate} />
      <div class="group end">
        {search}
        <button type="button" class="btn" data-testid="refresh" onClick={onRefresh} title={t("files.toolbar.refresh")}>
          {t("files.toolbar.refresh")}
        </button>
      </div>
    </div>
  );
}
