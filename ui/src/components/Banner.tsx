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
  return (
    <div class={`banner banner-${p.tone ?? "error"}`} role={p.tone === "info" ? "status" : "alert"} data-testid="banner">
      <span class="banner-text" data-testid="banner-text">
        {p.text}
      </span>
      {p.reauth &&
        (p.waiting ? (
          <>
            <span class="spinner" aria-hidden="true" />
            <span>Waiting for your browser…</span>
            <button type="button" class="btn btn-small" onClick={p.onCancelSignIn}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" class="btn btn-small btn-primary" data-testid="sign-in-again" onClick={p.onSignInAgain}>
            Sign in again
          </button>
        ))}
      {p.onDismiss && !p.waiting && (
        <button type="button" class="btn-icon" aria-label="Dismiss" onClick={p.onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}
