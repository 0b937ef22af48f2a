import type { IpcError } from "../lib/errors";
import { describeError } from "../lib/errors";
import { CloudIcon } from "./icons";

export interface SignInState {
  waiting: boolean;
  error: IpcError | null;
}

export function SignInScreen({ state, onSignIn, onCancel }: { state: SignInState; onSignIn: () => void; onCancel: () => void }) {
  return (
    <main class="signin">
      <div class="signin-card">
        <div class="brand brand-large">
          <CloudIcon />
          <h1>Kura</h1>
        </div>
        <p class="pitch">Your files in the cloud, as easy as a folder on your desktop.</p>
        {state.waiting ? (
          <div class="waiting" data-testid="sign-in-waiting" role="status">
            <span class="spinner" aria-hidden="true" />
            <p>Waiting for your browser… Finish signing in there, then come back.</p>
            <button type="button" class="btn" data-testid="cancel-sign-in" onClick={onCancel}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" class="btn btn-primary btn-large" data-testid="sign-in" onClick={onSignIn}>
            Sign in
          </button>
        )}
        {state.error && !state.waiting && (
          <p class="signin-error" role="alert" data-testid="sign-in-error" data-code={state.error.code}>
            {describeError(state.error).text}
          </p>
        )}
        <p class="fineprint">Signing in opens your web browser. Kura never sees your password.</p>
      </div>
    </main>
  );
}
