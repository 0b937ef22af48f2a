import { useT } from "../i18n/context";
import { breadcrumbs } from "../lib/paths";

/** The folder path; the first crumb is the location's root, labelled `rootLabel` (default "My files"). */
export function Breadcrumbs({ path, rootLabel, onNavigate }: { path: string; rootLabel?: string; onNavigate: (path: string) => void }) {
  const t = useT();
  const crumbs = breadcrumbs(path, rootLabel ?? t("files.myFiles"));
  return (
    <nav class="breadcrumbs" data-testid="breadcrumbs" aria-label={t("files.breadcrumbs")}>
      <ol>
        {crumbs.map((c, i) => {
          const last = i === crumbs.length - 1;
          return (
            <li key={c.path}>
              {last ? (
                <span class="crumb current" aria-current="page" data-path={c.path}>
                  {c.label}
                </span>
              ) : (
                <button type="button" class="crumb" data-path={c.path} onClick={() => onNavigate(c.path)}>
                  {c.label}
                </button>
              )}
              {!last && (
                <span class="sep" aria-hidden="true">
                  ›
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
