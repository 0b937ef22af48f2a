import { breadcrumbs } from "../lib/paths";

export function Breadcrumbs({ path, onNavigate }: { path: string; onNavigate: (path: string) => void }) {
  const crumbs = breadcrumbs(path);
  return (
    <nav class="breadcrumbs" data-testid="breadcrumbs" aria-label="Folder path">
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
