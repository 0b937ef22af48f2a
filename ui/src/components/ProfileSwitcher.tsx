// The header's profile switcher: the active profile's name; a menu listing every profile with
// its bucket, issuer host and who is signed in (one click switches), then "Add a connection…"
// and "Manage connections…"; when signed in, "Open AWS console" (the active connection's session).
import { useEffect, useRef, useState } from "preact/hooks";
import type { ProfilesView } from "../bindings/ProfilesView";
import { useT } from "../i18n/context";

export interface ProfileSwitcherProps {
  view: ProfilesView;
  onSwitch: (name: string) => void;
  onAdd: () => void;
  onManage: () => void;
  /** Opens the AWS console with the active session; absent when not signed in (no entry). */
  onOpenConsole?: () => void;
}

export function ProfileSwitcher({ view, onSwitch, onAdd, onManage, onOpenConsole }: ProfileSwitcherProps) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", away);
    document.addEventListener("keydown", esc);
    return () => {
      document.removeEventListener("mousedown", away);
      document.removeEventListener("keydown", esc);
    };
  }, [open]);
  const choose = (f: () => void) => {
    setOpen(false);
    f();
  };
  return (
    <div class="switcher" ref={ref}>
      <button
        type="button"
        class="btn switcher-button"
        data-testid="profile-switcher"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <span class="switcher-name">{view.active ?? "—"}</span>
        <span class="chev" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <div class="menu" role="menu" aria-label={t("app.switcher.menuLabel")}>
          {view.profiles.map((p) => {
            const active = p.name === view.active;
            return (
              <button
                key={p.name}
                type="button"
                role="menuitemradio"
                aria-checked={active}
                class={`menu-item profile-option${active ? " active" : ""}`}
                data-testid="profile-option"
                data-name={p.name}
                data-active={String(active)}
                onClick={() => choose(() => !active && onSwitch(p.name))}
              >
                <span class="option-check" aria-hidden="true">
                  {active ? "✓" : ""}
                </span>
                <span class="option-text">
                  <span class="option-name">{p.name}</span>
                  <span class="option-meta">
                    {p.bucket} · {p.issuer_host}
                  </span>
                  <span class="option-meta">{p.signed_in_as ? t("app.switcher.signedInAs", { who: p.signed_in_as }) : t("app.switcher.notSignedIn")}</span>
                </span>
              </button>
            );
          })}
          <div class="menu-sep" role="separator" />
          {onOpenConsole && (
            <button type="button" role="menuitem" class="menu-item" data-testid="open-console" onClick={() => choose(onOpenConsole)}>
              {t("app.switcher.console")}
            </button>
          )}
          <button type="button" role="menuitem" class="menu-item" data-testid="add-connection" onClick={() => choose(onAdd)}>
            {t("app.switcher.add")}
          </button>
          <button type="button" role="menuitem" class="menu-item" data-testid="manage-connections" onClick={() => choose(onManage)}>
            {t("app.switcher.manage")}
          </button>
        </div>
      )}
    </div>
  );
}
