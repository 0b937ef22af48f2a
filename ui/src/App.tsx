import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { SessionView } from "./bindings/SessionView";
import { Header } from "./components/Header";
import { SignInScreen, type SignInState } from "./components/SignIn";
import { Workspace } from "./components/Workspace";
import { toIpcError, type IpcError } from "./lib/errors";
import { Banner } from "./components/Banner";
import { describeError } from "./lib/errors";
import type { Platform } from "./platform/types";

export interface AppProps {
  platform: Platform;
  /** Passed to the workspace (tests use 0). */
  pageFlushMs?: number;
}

export function App({ platform, pageFlushMs }: AppProps) {
  /** undefined while the first `session_status` is pending. */
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const [signIn, setSignIn] = useState<SignInState>({ waiting: false, error: null });
  const [renewing, setRenewing] = useState(false);
  const [appError, setAppError] = useState<IpcError | null>(null);
  const eventSeen = useRef(false);
  const userCancelled = useRef(false);

  useEffect(() => {
    const off = platform.onSessionChanged((s) => {
      eventSeen.current = true;
      setSession(s);
      if (s) setSignIn({ waiting: false, error: null });
    });
    platform.sessionStatus().then(
      (s) => {
        if (!eventSeen.current) setSession(s);
      },
      (e) => {
        if (!eventSeen.current) setSession(null);
        setSignIn({ waiting: false, error: toIpcError(e) });
      },
    );
    return off;
  }, [platform]);

  const startSignIn = useCallback(() => {
    userCancelled.current = false;
    setSignIn({ waiting: true, error: null });
    platform.signIn().then(
      (s) => {
        setSession(s);
        setSignIn({ waiting: false, error: null });
      },
      (e) => {
        const err = toIpcError(e);
        // A cancel the user asked for is not an error worth showing.
        const quiet = userCancelled.current && err.code === "auth.cancelled";
        setSignIn({ waiting: false, error: quiet ? null : err });
      },
    );
  }, [platform]);

  const cancelSignIn = useCallback(() => {
    userCancelled.current = true;
    setSignIn({ waiting: false, error: null });
    platform.cancelSignIn().catch((e) => setSignIn({ waiting: false, error: toIpcError(e) }));
  }, [platform]);

  const signOut = useCallback(() => {
    platform.signOut().then(
      () => setSession(null),
      (e) => setAppError(toIpcError(e)),
    );
  }, [platform]);

  const renew = useCallback(() => {
    setRenewing(true);
    platform
      .refreshCredentials()
      .then(setSession, (e) => setAppError(toIpcError(e)))
      .finally(() => setRenewing(false));
  }, [platform]);

  if (session === undefined) {
    return (
      <div class="splash" role="status">
        <span class="spinner" aria-hidden="true" />
      </div>
    );
  }
  if (session === null) {
    return <SignInScreen state={signIn} onSignIn={startSignIn} onCancel={cancelSignIn} />;
  }
  const appErrorView = appError ? describeError(appError, session.prefix) : null;
  return (
    <div class="app">
      <Header session={session} onSignOut={signOut} onRenew={renew} renewing={renewing} />
      {appErrorView && (
        <Banner
          text={appErrorView.text}
          reauth={appErrorView.reauth}
          waiting={signIn.waiting}
          onSignInAgain={startSignIn}
          onCancelSignIn={cancelSignIn}
          onDismiss={() => setAppError(null)}
        />
      )}
      {signIn.error && !signIn.waiting && (
        <Banner text={describeError(signIn.error).text} reauth={false} onDismiss={() => setSignIn({ waiting: false, error: null })} />
      )}
      <Workspace
        key={`${session.profile}:${session.sub}`}
        platform={platform}
        session={session}
        onReauth={startSignIn}
        onCancelReauth={cancelSignIn}
        reauthWaiting={signIn.waiting}
        pageFlushMs={pageFlushMs}
      />
    </div>
  );
}
