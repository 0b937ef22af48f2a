import { useT } from "../i18n/context";

export interface BannerProps {
  text: string;
  reauth: boolean;
  /** A sign-in started from the banner is waiting for the browser. */
  waiting?: boolean;
  onSignInAgain?: () => void;
  onCancelSignIn?: () => void;
  onDismiss?: () => void;
  tone?: "error" | "info";
}

export function Banner(p: BannerProps) {
  const t = useT();
  return (
    <div class={`banner banner-${p.tone ?? "error"}`} role={p.tone === "info" ? "status" : "alert"} data-testid="banner">
      <span class="banner-text" data-testid="banner-text">
        {p.text}
      </span>
      {p.reauth &&
        (p.waiting ? (
          <>
            <span class="spinner" aria-hidden="true" />
            <span>{t("app.banner.waiting")}</span>
            <button type="button" class="btn btn-small" onClick={p.onCancelSignIn}>
              {t("common.cancel")}
            </button>
          </>
        ) : (
          <button type="button" class="btn btn-small btn-primary" data-testid="sign-in-again" onClick={p.onSignInAgain}>
            {t("app.banner.signInAgain")}
          </button>
        ))}
      {p.onDismiss && !p.waiting && (
        <button type="button" class="btn-icon" aria-label={t("common.dismiss")} onClick={p.onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}
