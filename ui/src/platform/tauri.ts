// The Platform over Tauri v2 IPC. THE ONLY module of the UI that imports @tauri-apps/*
// (enforced by ESLint's no-restricted-imports).
import { Channel, invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { copyViaDom } from "../lib/clipboard";
import { toIpcError } from "../lib/errors";
import type {
  CheckReport,
  DraftCheck,
  ImportPreview,
  ProfileDraft,
  ProfilesView,
  ListEvent,
  Platform,
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

/** Adapts an async `listen`-style registration to a synchronous Unsubscribe. */
function subscribe(register: () => Promise<() => void>): Unsubscribe {
  let stop: (() => void) | null = null;
  let cancelled = false;
  register().then(
    (un) => {
      if (cancelled) un();
      else stop = un;
    },
    (e) => console.error("kura: could not subscribe", e),
  );
  return () => {
    cancelled = true;
    stop?.();
    stop = null;
  };
}

type DragPayload = { type: "enter"; paths: string[] } | { type: "over" } | { type: "drop"; paths: string[] } | { type: "leave" };

// One webview drag-drop listener feeds both callbacks.
const dropListeners = new Set<(paths: string[]) => void>();
const hoverListeners = new Set<(hovering: boolean) => void>();
let dragUnlisten: Unsubscribe | null = null;

function ensureDragListener(): void {
  if (dragUnlisten) return;
  dragUnlisten = subscribe(() =>
    getCurrentWebview().onDragDropEvent((event) => {
      const p = event.payload as DragPayload;
      if (p.type === "enter" || p.type === "over") hoverListeners.forEach((cb) => cb(true));
      else if (p.type === "leave") hoverListeners.forEach((cb) => cb(false));
      else if (p.type === "drop") {
        hoverListeners.forEach((cb) => cb(false));
        if (p.paths.length) dropListeners.forEach((cb) => cb(p.paths));
      }
    }),
  );
}

function releaseDragListener(): void {
  if (dropListeners.size === 0 && hoverListeners.size === 0 && dragUnlisten) {
    dragUnlisten();
    dragUnlisten = null;
  }
}

export function createTauriPlatform(): Platform {
  return {
    name: "tauri",

    sessionStatus: () => call<SessionView | null>("session_status"),
    signIn: () => call<SessionView>("sign_in"),
    cancelSignIn: () => call<void>("cancel_sign_in"),
    signOut: () => call<void>("sign_out"),
    refreshCredentials: () => call<SessionView>("refresh_credentials"),
    openConsole: () => call<void>("open_console"),
    switchLocation: (name) => call<SessionView>("switch_location", { name }),
    onSessionChanged: (cb) => subscribe(() => listen<SessionView | null>("session-changed", (e) => cb(e.payload ?? null))),

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
    onProfilesChanged: (cb) => subscribe(() => listen<ProfilesView>("profiles-changed", (e) => cb(e.payload))),

    listFolder: (path, onEvent) => {
      const onEventChannel = new Channel<ListEvent>(onEvent);
      return call<void>("list_folder", { path, onEvent: onEventChannel });
    },
    countObjects: (path) => call<number>("count_objects", { path }),
    deletePath: (path, recursive) => call<number>("delete_path", { path, recursive }),
    createFolder: (path) => call<string>("create_folder", { path }),
    renamePath: (src, dst) => call<string>("rename_path", { src, dst }),
    shareLink: (path, expiresSecs) => call<ShareLink>("share_link", { path, expiresSecs }),

    startUpload: (paths, dest, onEvent) => {
      const ch = new Channel<TransferEvent>(onEvent);
      return call<TransferStarted>("start_upload", { paths, dest, onEvent: ch });
    },
    startDownload: (paths, destDir, onEvent) => {
      const ch = new Channel<TransferEvent>(onEvent);
      return call<TransferStarted>("start_download", { paths, destDir, onEvent: ch });
    },
    cancelTransfer: (id) => call<void>("cancel_transfer", { id }),
    pauseTransfer: (id) => call<boolean>("pause_transfer", { id }),
    resumeTransfer: (id) => call<boolean>("resume_transfer", { id }),
    answerConflicts: (id, choice) => call<boolean>("answer_conflicts", { id, choice }),
    unfinishedUploads: () => call<UnfinishedUploadView[]>("unfinished_uploads"),
    resumeUnfinished: (localPath, remote, onEvent) => {
      const ch = new Channel<TransferEvent>(onEvent);
      return call<TransferStarted>("resume_unfinished", { localPath, remote, onEvent: ch });
    },
    discardUnfinished: (localPath, remote) => call<void>("discard_unfinished", { localPath, remote }),

    pickUploadFiles: () => call<string[]>("pick_upload_files"),
    pickUploadFolder: () => call<string | null>("pick_upload_folder"),
    pickDownloadDir: () => call<string | null>("pick_download_dir"),

    onFilesDropped: (cb) => {
      dropListeners.add(cb);
      ensureDragListener();
      return () => {
        dropListeners.delete(cb);
        releaseDragListener();
      };
    },
    onDragHover: (cb) => {
      hoverListeners.add(cb);
      ensureDragListener();
      return () => {
        hoverListeners.delete(cb);
        releaseDragListener();
      };
    },

    copyText: (text) => copyViaDom(text),
  };
}
