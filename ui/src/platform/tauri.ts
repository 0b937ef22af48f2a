// The Platform over Tauri v2 IPC. THE ONLY module of the UI that imports @tauri-apps/*
// (enforced by ESLint's no-restricted-imports).
//
// The page holds no Tauri event permission: everything the shell announces (session and profile
// changes, drags and drops) arrives on one channel opened with `app_events`. Local paths never
// reach the page: dialogs and drops give handles.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { AppEvent } from "../bindings/AppEvent";
import { copyViaDom } from "../lib/clipboard";
import { toIpcError, type IpcError } from "../lib/errors";
import { readPreviewFrame, type RawBytes } from "../lib/preview-frame";
import type {
  ChosenFiles,
  ChosenFolder,
  CheckReport,
  DraftCheck,
  ImportPreview,
  LanguageView,
  ProfileDraft,
  ProfilesView,
  ListEvent,
  Platform,
  SearchEvent,
  SessionView,
  ShareLink,
  TransferEvent,
  TransferStarted,
  UnfinishedUploadView,
  Unsubscribe,
} from "./types";

/** invoke, with every rejection normalised to an IpcError. */
async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

interface Listeners {
  session: (session: SessionView | null) => void;
  profiles: (view: ProfilesView) => void;
  drop: (chosen: ChosenFiles) => void;
  dropFailed: (error: IpcError) => void;
  hover: (hovering: boolean) => void;
}

const listeners: { [K in keyof Listeners]: Set<Listeners[K]> } = {
  session: new Set(),
  profiles: new Set(),
  drop: new Set(),
  dropFailed: new Set(),
  hover: new Set(),
};

function dispatch(ev: AppEvent): void {
  switch (ev.event) {
    case "session_changed":
      listeners.session.forEach((cb) => cb(ev.session ?? null));
      break;
    case "profiles_changed":
      listeners.profiles.forEach((cb) => cb(ev.profiles));
      break;
    case "drag_over":
      listeners.hover.forEach((cb) => cb(true));
      break;
    case "drag_leave":
      listeners.hover.forEach((cb) => cb(false));
      break;
    case "files_dropped":
      listeners.hover.forEach((cb) => cb(false));
      listeners.drop.forEach((cb) => cb(ev.chosen));
      break;
    case "drop_failed":
      listeners.hover.forEach((cb) => cb(false));
      listeners.dropFailed.forEach((cb) => cb(ev.error));
      break;
  }
}

// The page's one event channel, opened on the first subscription (and again after a failure).
let opened: Promise<void> | null = null;

function openAppEvents(): void {
  if (opened) return;
  opened = call<void>("app_events", { onEvent: new Channel<AppEvent>(dispatch) }).catch((e) => {
    console.error("kura: could not open the app's event channel", e);
    opened = null;
  });
}

function on<K extends keyof Listeners>(kind: K, cb: Listeners[K]): Unsubscribe {
  const set = listeners[kind] as Set<Listeners[K]>;
  set.add(cb);
  openAppEvents();
  return () => {
    set.delete(cb);
  };
}

export function createTauriPlatform(): Platform {
  return {
    name: "tauri",

    language: () => call<LanguageView>("language"),
    setLanguage: (chosen) => call<LanguageView>("set_language", { chosen }),

    sessionStatus: () => call<SessionView | null>("session_status"),
    signIn: () => call<SessionView>("sign_in"),
    cancelSignIn: () => call<void>("cancel_sign_in"),
    signOut: () => call<void>("sign_out"),
    refreshCredentials: () => call<SessionView>("refresh_credentials"),
    openConsole: () => call<void>("open_console"),
    switchLocation: (name) => call<SessionView>("switch_location", { name }),
    onSessionChanged: (cb) => on("session", cb),

    profiles: () => call<ProfilesView>("profiles"),
    validateDraft: (draft, replacing) => call<DraftCheck>("validate_draft", { draft, replacing }),
    checkProvider: (draft) => call<CheckReport>("check_provider", { draft }),
    saveProfile: (draft, replacing) => call<ProfilesView>("save_profile", { draft, replacing }),
    profileDraft: (name) => call<ProfileDraft>("profile_draft", { name }),
    switchProfile: (name) => call<SessionView | null>("switch_profile", { name }),
    renameProfile: (from, to) => call<ProfilesView>("rename_profile", { from, to }),
    removeProfile: (name) => call<ProfilesView>("remove_profile", { name }),
    pickProfileFile: () => call<ImportPreview | null>("pick_profile_file"),
    importProfiles: (token, choices) => call<ProfilesView>("import_profiles", { token, choices }),
    onProfilesChanged: (cb) => on("profiles", cb),

    listFolder: (path, onEvent) => {
      const onEventChannel = new Channel<ListEvent>(onEvent);
      return call<void>("list_folder", { path, onEvent: onEventChannel });
    },
    countObjects: (path) => call<number>("count_objects", { path }),
    deletePath: (path, recursive) => call<number>("delete_path", { path, recursive }),
    createFolder: (path) => call<string>("create_folder", { path }),
    renamePath: (src, dst) => call<string>("rename_path", { src, dst }),
    shareLink: (path, expiresSecs) => call<ShareLink>("share_link", { path, expiresSecs }),

    startSearch: (path, pattern, onEvent) => {
      const ch = new Channel<SearchEvent>(onEvent);
      return call<number>("start_search", { path, pattern, onEvent: ch });
    },
    stopSearch: (id) => call<boolean>("stop_search", { id }),
    // A binary answer (tauri::ipc::Response): the facts and the raw bytes in one frame.
    previewFile: async (path) => readPreviewFrame(await call<RawBytes>("preview_file", { path })),

    startUpload: (handle, dest, onEvent) => {
      const ch = new Channel<TransferEvent>(onEvent);
      return call<TransferStarted>("start_upload", { handle, dest, onEvent: ch });
    },
    startDownload: (paths, destDir, onEvent) => {
      const ch = new Channel<TransferEvent>(onEvent);
      return call<TransferStarted>("start_download", { paths, destDir, onEvent: ch });
    },
    cancelTransfer: (id) => call<void>("cancel_transfer", { id }),
    pauseTransfer: (id) => call<boolean>("pause_transfer", { id }),
    resumeTransfer: (id) => call<boolean>("resume_transfer", { id }),
    answerConflicts: (id, choice) => call<boolean>("answer_conflicts", { id, choice }),
    retryTransfer: (id, onEvent) => {
      const ch = new Channel<TransferEvent>(onEvent);
      return call<TransferStarted>("retry_transfer", { id, onEvent: ch });
    },
    unfinishedUploads: () => call<UnfinishedUploadView[]>("unfinished_uploads"),
    resumeUnfinished: (id, onEvent) => {
      const ch = new Channel<TransferEvent>(onEvent);
      return call<TransferStarted>("resume_unfinished", { id, onEvent: ch });
    },
    discardUnfinished: (id) => call<void>("discard_unfinished", { id }),

    pickUploadFiles: () => call<ChosenFiles | null>("pick_upload_files"),
    pickUploadFolder: () => call<ChosenFiles | null>("pick_upload_folder"),
    pickDownloadDir: () => call<ChosenFolder | null>("pick_download_dir"),

    onFilesDropped: (cb) => on("drop", cb),
    onDropFailed: (cb) => on("dropFailed", cb),
    onDragHover: (cb) => on("hover", cb),

    copyText: (text) => copyViaDom(text),
  };
}
