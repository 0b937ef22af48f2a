import { useEffect, useState } from "preact/hooks";
import type { ProfilesView } from "../bindings/ProfilesView";
import type { SessionView } from "../bindings/SessionView";
import { useT } from "../i18n/context";
import { formatDate, formatExpiry } from "../lib/format";
import { CloudIcon } from "./icons";
import { LanguageSwitch, type LanguageSwitchProps } from "./LanguageSwitch";
import { ProfileSwitcher, type ProfileSwitcherProps } from "./ProfileSwitcher";

/** Re-renders when the "in N min" text would change (each minute). */
function useMinuteClock(expiresAt: string | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!expiresAt) return;
    const t = Date.parse(expiresAt);
    if (Number.isNaN(t)) return;
    const left = t - now;
    // Next instant at which the whole-minute count changes (plus a little slack).
    const delay = left > 0 ? (left % 60_000) + 50 : 60_000;
    const id = setTimeout(() => setNow(Date.now()), Math.min(delay, 60_000));
    return () => clearTimeout(id);
  }, [expiresAt, now]);
  return now;
}

export interface HeaderProps {
  /** Who is signed in; null on the sign-in screen (only the switcher shows). */
  session: SessionView | null;
  onSignOut: () => void;
  onRenew: () => void;
  renewing: boolean;
  /** The profiles, for the switcher. */
  profiles: ProfilesView;
  onSwitchProfile: ProfileSwitcherProps["onSwitch"];
  onAddConnection: () => void;
  onManageConnections: () => void;
  /** Opens the AWS console (menu entry shown while signed in). */
  onOpenConsole?: () => void;
  /** The language menu. */
  language: LanguageSwitchProps;
}

export function Header(p: HeaderProps) {
  return (
    <header class="topbar">
      <div class="brand">
        <CloudIcon />
        <span class="brand-name">Kura</span>
      </div>
      <ProfileSwitcher
        view={p.profiles}
        onSwitch={p.onSwitchProfile}
        onAdd={p.onAddConnection}
        onManage={p.onManageConnections}
        onOpenConsole={p.session ? p.onOpenConsole : undefined}
      />
      <div class="topbar-end">
        <LanguageSwitch {...p.language} />
        {p.session && <Identity session={p.session} onSignOut={p.onSignOut} onRenew={p.onRenew} renewing={p.renewing} />}
      </div>
    </header>
  );
}

function Identity({
  session,
  onSignOut,
  onRenew,
  renewing,
}: {
  session: SessionView;
  onSignOut: () => void;
  onRenew: () => void;
  renewing: boolean;
}) {
  const t = useT();
  const now = useMinuteClock(session.credentials_expire_at);
  const expiry = formatExpiry(session.credentials_expire_at, now);
  const at = session.credentials_expire_at ? Date.parse(session.credentials_expire_at) : NaN;
  const soon = !Number.isNaN(at) && at - now < 10 * 60_000;
  return (
    <div class="identity">
      <span class="avatar" aria-hidden="true">
        {(session.label.trim()[0] ?? "?").toUpperCase()}
      </span>
      <div class="identity-text">
        <span class="identity-label" data-testid="identity" title={`${session.bucket}/${session.prefix}`}>
          {session.label}
        </span>
        {expiry && (
          <span
            class={`expiry${soon ? " soon" : ""}`}
            data-testid="expiry"
            data-expires-at={session.credentials_expire_at ?? undefined}
            title={session.credentials_expire_at ? t("app.header.expiresAt", { date: formatDate(session.credentials_expire_at) }) : undefined}
          >
            {expiry}
            {soon && (
              <button type="button" class="link-btn" onClick={onRenew} disabled={renewing}>
                {renewing ? t("app.header.renewing") : t("app.header.renew")}
              </button>
            )}
          </span>
        )}
      </div>
      <button type="button" class="btn" data-testid="sign-out" onClick={onSignOut}>
        {t("app.header.signOut")}
      </button>
    </div>
  );
}
