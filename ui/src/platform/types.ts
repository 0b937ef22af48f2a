// The seam between the UI and the desktop shell. `tauri.ts` implements it over Tauri IPC (and
// is the only module that imports `@tauri-apps/*`); `fake.ts` implements it in memory for
// tests and for running the page in a plain browser.
//
// Every rejected promise carries an `IpcError` ({ code, message, params }); word it with `describeError`
// (lib/errors.ts), by `code` and `params`, never by `message`.
import type { EntryView } from "../bindings/EntryView";
import type { ListEvent } from "../bindings/ListEvent";
import type { SessionView } from "../bindings/SessionView";
import type { ShareLink } from "../bindings/ShareLink";
import type { TransferEvent } from "../bindings/TransferEvent";
import type { TransferStarted } from "../bindings/TransferStarted";
import type { ConflictChoice } from "../bindings/ConflictChoice";
import type { UnfinishedUploadView } from "../bindings/UnfinishedUploadView";
import type { CheckReport } from "../bindings/CheckReport";
import type { DraftCheck } from "../bindings/DraftCheck";
import type { ImportChoice } from "../bindings/ImportChoice";
import type { ImportPreview } from "../bindings/ImportPreview";
import type { ProfileDraft } from "../bindings/ProfileDraft";
import type { ProfilesView } from "../bindings/ProfilesView";
import type { ChosenFiles } from "../bindings/ChosenFiles";
import type { ChosenFolder } from "../bindings/ChosenFolder";
import type { ChosenItem } from "../bindings/ChosenItem";
import type { IpcError } from "../bindings/IpcError";
import type { Language } from "../bindings/Language";
import type { LanguageView } from "../bindings/LanguageView";
import type { PreviewInfo } from "../bindings/PreviewInfo";
import type { SearchEvent } from "../bindings/SearchEvent";
import type { SearchHit } from "../bindings/SearchHit";
import type { FilePreview } from "../lib/preview-frame";

export type { ConflictChoice, EntryView, ListEvent, SessionView, ShareLink, TransferEvent, TransferStarted, UnfinishedUploadView };
export type { CheckReport, DraftCheck, ImportChoice, ImportPreview, ProfileDraft, ProfilesView };
export type { ChosenFiles, ChosenFolder, ChosenItem };
export type { Language, LanguageView };
export type { FilePreview, PreviewInfo, SearchEvent, SearchHit };

/** Stops a subscription. Safe to call more than once. */
export type Unsubscribe = () => void;

export interface Platform {
  /** Which implementation this is (shown nowhere important; handy in tests and logs). */
  readonly name: "tauri" | "fake";

  // --- language --------------------------------------------------------------------------
  /** `language`: the UI language in effect, the system locale's, and the one chosen in the app. */
  language(): Promise<LanguageView>;
  /** `set_language`: chooses the UI language (null: follow the system), remembered across
   * restarts; the shell's own texts (tray, notifications, dialogs) follow. Errors: `settings.io`
   * (the choice holds until the app quits). */
  setLanguage(chosen: Language | null): Promise<LanguageView>;

  // --- session ---------------------------------------------------------------------------
  /** `session_status` */
  sessionStatus(): Promise<SessionView | null>;
  /** `sign_in`: opens the system browser; resolves once the deep-link callback completed. */
  signIn(): Promise<SessionView>;
  /** `cancel_sign_in`: makes a pending `signIn` reject (with `auth.cancelled`). */
  cancelSignIn(): Promise<void>;
  /** `sign_out` */
  signOut(): Promise<void>;
  /** `refresh_credentials` */
  refreshCredentials(): Promise<SessionView>;
  /** `open_console`: the AWS console in the system browser, signed in with the session (Rust
   * opens it; the sign-in URL never reaches the page). Errors: `console.federation`,
   * `console.endpoint`, `console.browser`, `auth.not_signed_in`, `auth.session_expired`. */
  openConsole(): Promise<void>;
  /** `switch_location`: makes location `name` of the active profile the one every file and
   * transfer command uses; the new session view. Errors: `config.invalid` (no such location),
   * `path.missing_claim` / `path.unsafe_claim` (not available to this user). */
  switchLocation(name: string): Promise<SessionView>;
  /** `session_changed` on the app's event channel (tray sign-out/refresh, silent sign-in, deep link). */
  onSessionChanged(cb: (session: SessionView | null) => void): Unsubscribe;

  // --- profiles and setup (crates/kura-ipc/src/setup.rs) ---------------------------------
  /** `profiles`: every profile, the active one, the config file and its problem if any. */
  profiles(): Promise<ProfilesView>;
  /** `validate_draft`: every field's issues, and the summary once there are none. `replacing`
   * is the profile being edited (its own name is allowed), null for a new one. */
  validateDraft(draft: ProfileDraft, replacing: string | null): Promise<DraftCheck>;
  /** `check_provider`: fetches the provider's discovery document and reports findings. */
  checkProvider(draft: ProfileDraft): Promise<CheckReport>;
  /** `save_profile`: writes the profile (replacing `replacing` when editing). */
  saveProfile(draft: ProfileDraft, replacing: string | null): Promise<ProfilesView>;
  /** `profile_draft`: a saved profile as a draft, for editing. */
  profileDraft(name: string): Promise<ProfileDraft>;
  /** `switch_profile`: makes `name` the window's profile; its session, if signed in. */
  switchProfile(name: string): Promise<SessionView | null>;
  /** `rename_profile` (the keychain entries move with it). */
  renameProfile(from: string, to: string): Promise<ProfilesView>;
  /** `remove_profile`: signs it out (revokes, deletes keychain entries), then removes it. */
  removeProfile(name: string): Promise<ProfilesView>;
  /** `pick_profile_file`: the native file dialog, then the file's profiles; null when cancelled. */
  pickProfileFile(): Promise<ImportPreview | null>;
  /** `import_profiles`: saves the chosen profiles of the picked file. */
  importProfiles(token: number, choices: ImportChoice[]): Promise<ProfilesView>;
  /** `profiles_changed` on the app's event channel (after every change, also from the tray). */
  onProfilesChanged(cb: (view: ProfilesView) => void): Unsubscribe;

  // --- browsing --------------------------------------------------------------------------
  /**
   * `list_folder`: streams pages to `onEvent`, then a `done` event that ends the listing. The
   * promise rejects with an IpcError on failure; it may settle before the last pages and `done`
   * arrive (Tauri answers a command apart from its channel, whose large messages are fetched).
   * `path` "" is the root; folders end with "/".
   */
  listFolder(path: string, onEvent: (event: ListEvent) => void): Promise<void>;
  /** `count_objects`: objects under a folder (for the delete confirmation). */
  countObjects(path: string): Promise<number>;
  /** `delete_path`: number of objects deleted. */
  deletePath(path: string, recursive: boolean): Promise<number>;
  /** `create_folder`: the new folder's path. */
  createFolder(path: string): Promise<string>;
  /** `rename_path`: the new path (rejects with `path.invalid` if `dst` exists). */
  renamePath(src: string, dst: string): Promise<string>;
  /** `share_link` */
  shareLink(path: string, expiresSecs: number): Promise<ShareLink>;

  // --- search and preview ----------------------------------------------------------------
  /**
   * `start_search`: searches folder `path` ("" = everything) and below for names containing
   * `pattern` (case-insensitive). Resolves to the search's id at once; `page` events stream to
   * `onEvent`, then one of `done`, `failed` or `stopped`. A new search stops the previous one.
   * Rejects with `path.invalid` for an empty pattern or one containing "/".
   */
  startSearch(path: string, pattern: string, onEvent: (event: SearchEvent) => void): Promise<number>;
  /** `stop_search`: the search's channel then gets `stopped` (false when it is not running). */
  stopSearch(id: number): Promise<boolean>;
  /**
   * `preview_file`: the file's facts and the bytes to show, fetched by the shell (one ranged,
   * size-capped GET; nothing saved): a whole image (≤ 20 MiB), the first 1 MiB of text, none for
   * PDFs and other types. Errors: `path.invalid`, `s3.not_found`, `s3.object_changed`, `s3.*`.
   */
  previewFile(path: string): Promise<FilePreview>;

  // --- transfers -------------------------------------------------------------------------
  // The page never handles local paths: dialogs and drops give it the handle of what the user
  // chose (`ChosenFiles`, `ChosenFolder`), which the transfer commands take back once. Anything
  // else is refused with `local.not_chosen`.
  /** `start_upload`: what `handle` (a dialog's or a drop's choice) names, into the folder `dest` ("" = root). */
  startUpload(handle: string, dest: string, onEvent: (event: TransferEvent) => void): Promise<TransferStarted>;
  /** `start_download`: remote paths into the folder whose handle is `destDir` (null = the user's Downloads). */
  startDownload(
    paths: string[],
    destDir: string | null,
    onEvent: (event: TransferEvent) => void,
  ): Promise<TransferStarted>;
  /** `cancel_transfer` */
  cancelTransfer(id: number): Promise<void>;
  /** `pause_transfer`: the channel then gets `paused` (false when not running). */
  pauseTransfer(id: number): Promise<boolean>;
  /** `resume_transfer`: the channel then gets `resumed`. */
  resumeTransfer(id: number): Promise<boolean>;
  /** `answer_conflicts`: the answer to a `conflicts` event; null cancels the transfer. */
  answerConflicts(id: number, choice: ConflictChoice | null): Promise<boolean>;
  /** `retry_transfer`: runs what failed in finished transfer `id` again as a new transfer (events
   * like `startUpload`): only its failed items (`failed_items`; all of it when none are listed),
   * to the same places; an upload's paused multipart upload continues. The page names the
   * transfer only: the local paths stay in the shell. Errors: `transfer.not_found` (retried
   * already, too old, or another user is signed in now). */
  retryTransfer(id: number, onEvent: (event: TransferEvent) => void): Promise<TransferStarted>;
  /** `unfinished_uploads`: uploads an earlier session left unfinished. */
  unfinishedUploads(): Promise<UnfinishedUploadView[]>;
  /** `resume_unfinished`: resumes upload `id` as a transfer (events like `startUpload`). */
  resumeUnfinished(id: string, onEvent: (event: TransferEvent) => void): Promise<TransferStarted>;
  /** `discard_unfinished`: aborts upload `id` (its parts are deleted). */
  discardUnfinished(id: string): Promise<void>;

  // --- native dialogs (shown by the shell; the page gets handles, never paths) ------------
  /** `pick_upload_files`: null when cancelled. */
  pickUploadFiles(): Promise<ChosenFiles | null>;
  /** `pick_upload_folder`: null when cancelled. */
  pickUploadFolder(): Promise<ChosenFiles | null>;
  /** `pick_download_dir`: null when cancelled. */
  pickDownloadDir(): Promise<ChosenFolder | null>;

  // --- drag and drop from the OS (handled by the shell) ----------------------------------
  /** Files/folders dropped on the window: their handle, names and sizes. */
  onFilesDropped(cb: (chosen: ChosenFiles) => void): Unsubscribe;
  /** A drop the shell could not read (`local.io`). */
  onDropFailed(cb: (error: IpcError) => void): Unsubscribe;
  /** True while the user drags files over the window, false on leave/drop. */
  onDragHover(cb: (hovering: boolean) => void): Unsubscribe;

  // --- misc ------------------------------------------------------------------------------
  /** Puts text on the clipboard. */
  copyText(text: string): Promise<void>;
}
