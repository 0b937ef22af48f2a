import type { ProfileSummary } from "../bindings/ProfileSummary";
import type { IpcError } from "../lib/errors";
import { describeError } from "../lib/errors";
import { useT } from "../i18n/context";
import { signInToText } from "../lib/setup-text";
import { CloudIcon } from "./icons";

export interface SignInState {
  waiting: boolean;
  error: IpcError | null;
}

export interface SignInScreenProps {
  state: SignInState;
  onSignIn: () => void;
  onCancel: () => void;
  /** The profile signing in (named when there is one). */
  profile?: ProfileSummary | null;
}

export function SignInScreen({ state, onSignIn, onCancel, profile }: SignInScreenProps) {
  const t = useT();
  return (
    <main class="signin">
      <div class="signin-card">
        <div class="brand brand-large">
          <CloudIcon />
          <h1>Kura</h1>
        </div>
        <p class="pitch">{t("app.signIn.pitch")}</p>
        {profile && (
          <p class="signin-profile" data-testid="signin-profile" data-name={profile.name}>
            {signInToText(profile.name, profile.issuer_host)}
          </p>
        )}
        {state.waiting ? (
          <div class="waiting" data-testid="sign-in-waiting" role="status">
            <span class="spinner" aria-hidden="true" />
            <p>{t("app.signIn.waiting")}</p>
            <button type="button" class="btn" data-testid="cancel-sign-in" onClick={onCancel}>
              {t("common.cancel")}
            </button>
          </div>
        ) : (
          <button type="button" class="btn btn-primary btn-large" data-testid="sign-in" onClick={onSignIn}>
            {t("app.signIn.button")}
          </button>
        )}
        {state.error && !state.waiting && (
          <p class="signin-error" role="alert" data-testid="sign-in-error" data-code={state.error.code}>
            {describeError(state.error).text}
          </p>
        )}
        <p class="fineprint">{t("app.signIn.fineprint")}</p>
      </div>
    </main>
  );
}
