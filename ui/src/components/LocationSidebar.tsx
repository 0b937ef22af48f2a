import type { SessionView } from "../bindings/SessionView";
import { useT } from "../i18n/context";
import { locationName, locationReason } from "../lib/locations";

export interface LocationSidebarProps {
  session: SessionView;
  /** A click on another available location. */
  onSwitch: (name: string) => void;
}

/** The active profile's locations, left of the file list; nothing when there is only one. */
export function LocationSidebar({ session, onSwitch }: LocationSidebarProps) {
  const t = useT();
  if (session.locations.length < 2) return null;
  return (
    <nav class="location-sidebar" data-testid="location-sidebar" aria-label={t("files.locations.label")}>
      <ul>
        {session.locations.map((loc) => {
          const active = loc.name === session.location;
          const reason = locationReason(loc);
          return (
            <li key={loc.name}>
              <button
                type="button"
                class={`location${active ? " active" : ""}`}
                data-testid="location"
                data-name={loc.name}
                data-active={String(active)}
                data-available={String(reason == null)}
                aria-current={active ? "location" : undefined}
                disabled={reason != null}
                title={reason ?? loc.prefix ?? undefined}
                onClick={() => reason == null && !active && onSwitch(loc.name)}
              >
                {locationName(loc.name)}
              </button>
              {reason && <p class="location-reason">{reason}</p>}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
