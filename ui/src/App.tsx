import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { ProfileDraft } from "./bindings/ProfileDraft";
import type { ProfilesView } from "./bindings/ProfilesView";
import type { SessionView } from "./bindings/SessionView";
import { Banner } from "./components/Banner";
import { Header } from "./components/Header";
import { LocationSidebar } from "./components/LocationSidebar";
import { ManageProfiles } from "./components/setup/ManageProfiles";
import { SetupScreen } from "./components/setup/SetupScreen";
import { SignInScreen, type SignInState } from "./components/SignIn";
import { Workspace } from "./components/Workspace";
import { applyLanguage, type Language } from "./i18n";
import { LanguageProvider } from "./i18n/context";
import { describeError, toIpcError, type IpcError } from "./lib/errors";
import type { LanguageView, Platform } from "./platform/types";

export interface AppProps {
  platform: Platform;
  /** Passed to the workspace (tests use 0). */
  pageFlushMs?: number;
}

/** The setup screen over the app: adding a profile, or editing one (`replacing`). */
type SetupView = { edit: { draft: ProfileDraft; replacing: string } | null };

export function App({ platform, pageFlushMs }: AppProps) {
  /** undefined while the first `profiles` is pending. */
  const [profiles, setProfiles] = useState<ProfilesView | undefined>(undefined);
  /** undefined while the first `session_status` is pending. */
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const [setup, setSetup] = useState<SetupView | null>(null);
  const [managing, setManaging] = useState(false);
  const [signIn, setSignIn] = useState<SignInState>({ waiting: false, error: null });
  const [renewing, setRenewing] = useState(false);
  const [appError, setAppError] = useState<IpcError | null>(null);
  /** undefined while the first `language` is pending (nothing is worded before). */
  const [language, setLanguage] = useState<LanguageView | undefined>(undefined);
  const userCancelledRef = useRef(false);
  /** The active profile as last seen (undefined before the first view). */
  const activeRef = useRef<string | null | undefined>(undefined);
  /** Bumped by every session answer or event, so an older `session_status` answer is dropped. */
  const sessionSeqRef = useRef(0);

  const showSession = useCallback((s: SessionView | null) => {
    sessionSeqRef.current++;
    setSession(s);
  }, []);

  const readSession = useCallback(() => {
    const seq = ++sessionSeqRef.current;
    platform.sessionStatus().then(
      (s) => seq === sessionSeqRef.current && setSession(s),
      (e) => {
        if (seq === sessionSeqRef.current) setSession(null);
        setSignIn({ waiting: false, error: toIpcError(e) });
      },
    );
  }, [platform]);

  /** A new ProfilesView; when the active profile changed elsewhere (tray), re-read the session. */
  const applyProfiles = useCallback(
    (v: ProfilesView) => {
      setProfiles(v);
      if (activeRef.current !== undefined && v.active !== activeRef.current) readSession();
      activeRef.current = v.active;
      if (v.active == null) setManaging(false);
    },
    [readSession],
  );

  useEffect(() => {
    const offSession = platform.onSessionChanged((s) => {
      showSession(s);
      if (s) setSignIn({ waiting: false, error: null });
    });
    const offProfiles = platform.onProfilesChanged(applyProfiles);
    platform.profiles().then(
      (v) => activeRef.current === undefined && applyProfiles(v),
      (e) => applyProfiles({ profiles: [], active: null, config_file: "", problem: toIpcError(e) }),
    );
    readSession();
    platform.language().then(
      (v) => {
        applyLanguage(v.language);
        setLanguage(v);
      },
      () => setLanguage({ language: "en", system: "en", chosen: null }),
    );
    return () => {
      offSession();
      offProfiles();
    };
  }, [platform, showSession, applyProfiles, readSession]);

  const startSignIn = useCallback(() => {
    userCancelledRef.current = false;
    setSignIn({ waiting: true, error: null });
    platform.signIn().then(
      (s) => {
        showSession(s);
        setSignIn({ waiting: false, error: null });
      },
      (e) => {
        const err = toIpcError(e);
        // A cancel the user asked for is not an error worth showing.
        const quiet = userCancelledRef.current && err.code === "auth.cancelled";
        setSignIn({ waiting: false, error: quiet ? null : err });
      },
    );
  }, [platform, showSession]);

  const cancelSignIn = useCallback(() => {
    userCancelledRef.current = true;
    setSignIn({ waiting: false, error: null });
    platform.cancelSignIn().catch((e) => setSignIn({ waiting: false, error: toIpcError(e) }));
  }, [platform]);

  const signOut = useCallback(() => {
    platform.signOut().then(
      () => showSession(null),
      (e) => setAppError(toIpcError(e)),
    );
  }, [platform, showSession]);

  const renew = useCallback(() => {
    setRenewing(true);
    platform
      .refreshCredentials()
      .then(showSession, (e) => setAppError(toIpcError(e)))
      .finally(() => setRenewing(false));
  }, [platform, showSession]);

  /** The language switch: applied at once, remembered by the shell (which rewords the tray). */
  const chooseLanguage = (chosen: Language | null) => {
    const shown = chosen ?? language?.system ?? "en";
    applyLanguage(shown);
    setLanguage((v) => v && { ...v, chosen, language: shown });
    platform.setLanguage(chosen).then(
      (v) => {
        applyLanguage(v.language);
        setLanguage(v);
      },
      (e) => setAppError(toIpcError(e)),
    );
  };

  /** One click in the switcher: that profile's session (or its sign-in screen). */
  const switchTo = (name: string) => {
    if (signIn.waiting) cancelSignIn();
    setSignIn({ waiting: false, error: null });
    setAppError(null);
    platform.switchProfile(name).then(
      (s) => {
        activeRef.current = name;
        setProfiles((v) => v && { ...v, active: name });
        showSession(s);
        setSetup(null);
      },
      (e) => setAppError(toIpcError(e)),
    );
  };

  /** A click in the locations sidebar: the workspace follows the new session view. */
  const switchLocation = (name: string) => {
    setAppError(null);
    platform.switchLocation(name).then(showSession, (e) => setAppError(toIpcError(e)));
  };

  const onSaved = (v: ProfilesView, name: string, isNew: boolean) => {
    applyProfiles(v);
    if (isNew) switchTo(name);
    else {
      setSetup(null);
      if (name === v.active) readSession();
    }
  };

  const onImported = (v: ProfilesView, names: string[]) => {
    applyProfiles(v);
    if (names.length) switchTo(names[0]);
    else setSetup(null);
  };

  const edit = (name: string) => {
    platform.profileDraft(name).then(
      (draft) => {
        setManaging(false);
        setSetup({ edit: { draft, replacing: name } });
      },
      (e) => setAppError(toIpcError(e)),
    );
  };

  if (profiles === undefined || session === undefined || language === undefined) {
    return (
      <div class="splash" role="status">
        <span class="spinner" aria-hidden="true" />
      </div>
    );
  }
  const languageSwitch = { view: language, onChoose: chooseLanguage };
  if (setup || profiles.active == null) {
    return withLanguage(
      <SetupScreen
        key={setup?.edit?.replacing ?? ""}
        platform={platform}
        view={profiles}
        edit={setup?.edit}
        onSaved={onSaved}
        onImported={onImported}
        onUse={switchTo}
        onCancel={profiles.active != null ? () => setSetup(null) : undefined}
        error={appError}
        language={languageSwitch}
      />,
    );
  }
  const header = (
    <Header
      session={session}
      onSignOut={signOut}
      onRenew={renew}
      renewing={renewing}
      profiles={profiles}
      onSwitchProfile={switchTo}
      onAddConnection={() => setSetup({ edit: null })}
      onManageConnections={() => setManaging(true)}
      onOpenConsole={() => platform.openConsole().catch((e) => setAppError(toIpcError(e)))}
      language={languageSwitch}
    />
  );
  const manage = managing && <ManageProfiles platform={platform} view={profiles} onEdit={edit} onClose={() => setManaging(false)} />;
  const appErrorView = appError ? describeError(appError, session?.prefix) : null;
  const appErrorBanner = appErrorView && (
    <Banner
      text={appErrorView.text}
      reauth={appErrorView.reauth && session != null}
      waiting={signIn.waiting}
      onSignInAgain={startSignIn}
      onCancelSignIn={cancelSignIn}
      onDismiss={() => setAppError(null)}
    />
  );
  if (session === null) {
    const active = profiles.profiles.find((p) => p.name === profiles.active) ?? null;
    return withLanguage(
      <div class="app">
        {header}
        {appErrorBanner}
        <SignInScreen state={signIn} onSignIn={startSignIn} onCancel={cancelSignIn} profile={active} />
        {manage}
      </div>,
    );
  }
  return withLanguage(
    <div class="app">
      {header}
      {appErrorBanner}
      {signIn.error && !signIn.waiting && (
        <Banner text={describeError(signIn.error).text} reauth={false} onDismiss={() => setSignIn({ waiting: false, error: null })} />
      )}
      <div class="main">
        <LocationSidebar session={session} onSwitch={switchLocation} />
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
      {manage}
    </div>,
  );

  function withLanguage(children: ComponentChildren) {
    return <LanguageProvider lang={language!.language}>{children}</LanguageProvider>;
  }
}
