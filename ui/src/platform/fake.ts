// An in-memory Platform: one simulated user, a few folders and files, simulated transfers.
// Used by the tests and when the page runs in a plain browser (no Tauri).
import { copyViaDom } from "../lib/clipboard";
import { baseName } from "../lib/paths";
import type { IpcError } from "../bindings/IpcError";
import { ipcError } from "./fake-error";
import { FakeChosen } from "./fake-chosen";
import { FakeLanguage } from "./fake-language";
import { FakeTransfers, moving } from "./fake-transfers";
import { DEMO_OBJECTS, MY_FILES, demoSession, seedObjects, type FakeOptions } from "./fake-demo";
import { fakeChildren, fakeCount, fakeCreateFolder, fakeDelete, fakeHas, fakeRename, fakeShareLink } from "./fake-listing";
import { FakeProfiles, type FakeProfilesOptions } from "./fake-profiles";
import { FakeLocationStores, switchedSession, type FakeObject } from "./fake-locations";
import { FakeSearch } from "./fake-search";
import type { EntryView } from "../bindings/EntryView";
import type {
  ChosenFiles,
  ChosenFolder,
  CheckReport,
  DraftCheck,
  ImportChoice,
  ImportPreview,
  Language,
  LanguageView,
  ProfileDraft,
  ProfilesView,
  ConflictChoice,
  FilePreview,
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

export { DEMO_OBJECTS, MY_FILES, demoSession, type FakeOptions };

const MiB = 1024 * 1024;

const err = ipcError;

export class FakePlatform implements Platform {
  readonly name = "fake" as const;
  readonly opts: Required<Omit<FakeOptions, "objects" | "unfinished" | "locations" | "locationObjects" | "systemLanguage" | "searchPageSize" | keyof FakeProfilesOptions>>;
  /** The profiles, the active one and the sessions per profile (tests may adjust it). */
  readonly prof: FakeProfiles;
  /** Every call, for assertions: [command, args]. */
  readonly calls: Array<[string, unknown]> = [];
  /** Make the next call of a command reject with this error. */
  readonly failNext = new Map<string, IpcError>();

  private stores = new FakeLocationStores();
  private readonly locations: FakeOptions["locations"];
  private sessionCbs = new Set<(s: SessionView | null) => void>();
  /** The local files chosen in dialogs and drops, behind handles (as the shell keeps them). */
  readonly chosen = new FakeChosen(err);
  /** The UI language: `system` from the options (like the shell's locale), the choice in memory. */
  readonly lang: FakeLanguage;
  private pendingSignIn: { resolve: (s: SessionView) => void; reject: (e: IpcError) => void; timer?: ReturnType<typeof setTimeout> } | null = null;
  private listQueue: Array<() => void> = [];
  private xfers: FakeTransfers;
  /** Search and preview (fake-search.ts); in "manual" list mode `finder.deliverNext()` sends. */
  readonly finder: FakeSearch;

  constructor(options: FakeOptions = {}) {
    this.opts = {
      signedIn: options.signedIn ?? false,
      pageSize: options.pageSize ?? 500,
      listMode: options.listMode ?? "auto",
      pageDelayMs: options.pageDelayMs ?? 120,
      listSettlesEarly: options.listSettlesEarly ?? false,
      bigFolder: options.bigFolder ?? 0,
      signInDelayMs: options.signInDelayMs ?? 800,
      transferTickMs: options.transferTickMs ?? 150,
      transferTicks: options.transferTicks ?? 10,
    };
    this.prof = new FakeProfiles(options);
    this.lang = new FakeLanguage(options.systemLanguage);
    this.locations = options.locations;
    const active = this.prof.active ? this.prof.drafts.get(this.prof.active) : undefined;
    this.session = this.opts.signedIn && active ? demoSession(Date.now(), active.name, active.bucket, this.locations) : null;
    for (const [loc, objects] of Object.entries(options.locationObjects ?? {})) {
      for (const [key, size] of Object.entries(objects)) this.stores.of(loc).set(key, { size, modified: new Date(0).toISOString() });
    }
    this.xfers = new FakeTransfers(this.opts.transferTickMs, this.opts.transferTicks, err, options.unfinished ?? []);
    seedObjects(this.objects, options.objects ?? DEMO_OBJECTS, this.opts.bigFolder);
    this.finder = new FakeSearch(() => this.objects, { pageSize: options.searchPageSize ?? 1000, mode: this.opts.listMode, delayMs: this.opts.pageDelayMs }, err);
  }

  private log(cmd: string, args?: unknown): void {
    this.calls.push([cmd, args]);
    const e = this.failNext.get(cmd);
    if (e) {
      this.failNext.delete(cmd);
      throw e;
    }
  }

  /** The objects of the location shown (keys relative to its prefix). */
  private get objects(): Map<string, FakeObject> {
    return this.stores.of(this.session?.location ?? this.locations?.[0]?.name ?? "My files");
  }

  private requireSession(): void {
    if (!this.session) throw err("auth.not_signed_in", "You are not signed in.");
  }

  /** The active profile's session. */
  get session(): SessionView | null {
    const a = this.prof.active;
    return (a && this.prof.sessions.get(a)) || null;
  }
  set session(s: SessionView | null) {
    const a = this.prof.active;
    if (!a) return;
    if (s) this.prof.sessions.set(a, s);
    else this.prof.sessions.delete(a);
  }

  // --- test hooks --------------------------------------------------------------------------

  emitSessionChanged(s: SessionView | null): void {
    this.session = s;
    this.sessionCbs.forEach((cb) => cb(s));
  }
  /** Simulates the OS dropping files on the window (the page gets a handle, not the paths). */
  drop(paths: string[]): ChosenFiles {
    return this.chosen.drop(paths);
  }
  completeSignIn(): void {
    const p = this.pendingSignIn;
    if (!p) return;
    this.pendingSignIn = null;
    const a = this.prof.active ? this.prof.drafts.get(this.prof.active) : undefined;
    this.session = demoSession(Date.now(), a?.name, a?.bucket, this.locations);
    p.resolve(this.session!);
  }
  failSignIn(e: IpcError): void {
    const p = this.pendingSignIn;
    if (!p) return;
    this.pendingSignIn = null;
    p.reject(e);
  }
  /** In "manual" list mode: delivers the next queued list event; false when none. */
  deliverNextListEvent(): boolean {
    const f = this.listQueue.shift();
    if (!f) return false;
    f();
    return true;
  }
  /** In "manual" tick mode: advances every running transfer by one tick. */
  tickTransfers(): void {
    this.xfers.tickAll();
  }
  has(path: string): boolean {
    return fakeHas(this.objects, path);
  }

  // --- language and session ----------------------------------------------------------------

  async language(): Promise<LanguageView> {
    this.log("language");
    return this.lang.view();
  }
  async setLanguage(chosen: Language | null): Promise<LanguageView> {
    this.log("set_language", { chosen });
    return this.lang.choose(chosen);
  }

  async sessionStatus(): Promise<SessionView | null> {
    this.log("session_status");
    return this.session;
  }
  signIn(): Promise<SessionView> {
    this.log("sign_in");
    if (!this.prof.active) return Promise.reject(err("config.invalid", "no profile is set up yet", { detail: "no profile is set up yet" }));
    if (this.pendingSignIn) this.pendingSignIn.reject(err("auth.cancelled", "Superseded by a new sign-in."));
    return new Promise((resolve, reject) => {
      this.pendingSignIn = { resolve, reject };
      if (this.opts.signInDelayMs !== "manual") {
        this.pendingSignIn.timer = setTimeout(() => this.completeSignIn(), this.opts.signInDelayMs);
      }
    });
  }
  async cancelSignIn(): Promise<void> {
    this.log("cancel_sign_in");
    const p = this.pendingSignIn;
    if (p) {
      if (p.timer) clearTimeout(p.timer);
      this.pendingSignIn = null;
      p.reject(err("auth.cancelled", "Sign-in cancelled."));
    }
  }
  async signOut(): Promise<void> {
    this.log("sign_out");
    this.emitSessionChanged(null);
  }
  async refreshCredentials(): Promise<SessionView> {
    this.log("refresh_credentials");
    this.requireSession();
    this.session = { ...this.session!, credentials_expire_at: new Date(Date.now() + 60 * 60_000).toISOString() };
    return this.session;
  }
  async openConsole(): Promise<void> {
    this.log("open_console");
    this.requireSession();
  }
  async switchLocation(name: string): Promise<SessionView> {
    this.log("switch_location", { name });
    this.requireSession();
    const next = switchedSession(this.session!, name);
    if (!("sub" in next)) throw next;
    this.emitSessionChanged(next);
    return next;
  }
  onSessionChanged(cb: (s: SessionView | null) => void): Unsubscribe {
    this.sessionCbs.add(cb);
    return () => this.sessionCbs.delete(cb);
  }

  // --- profiles and setup ---------------------------------------------------------------

  async profiles(): Promise<ProfilesView> {
    this.log("profiles");
    return this.prof.view();
  }
  async validateDraft(draft: ProfileDraft, replacing: string | null): Promise<DraftCheck> {
    this.log("validate_draft", { draft, replacing });
    return this.prof.validate(draft, replacing);
  }
  async checkProvider(draft: ProfileDraft): Promise<CheckReport> {
    this.log("check_provider", { draft });
    return this.prof.check(draft);
  }
  async saveProfile(draft: ProfileDraft, replacing: string | null): Promise<ProfilesView> {
    this.log("save_profile", { draft, replacing });
    return this.prof.save(draft, replacing);
  }
  async profileDraft(name: string): Promise<ProfileDraft> {
    this.log("profile_draft", { name });
    return this.prof.draft(name);
  }
  async switchProfile(name: string): Promise<SessionView | null> {
    this.log("switch_profile", { name });
    const s = this.prof.switchTo(name);
    this.emitSessionChanged(s);
    return s;
  }
  async renameProfile(from: string, to: string): Promise<ProfilesView> {
    this.log("rename_profile", { from, to });
    return this.prof.rename(from, to);
  }
  async removeProfile(name: string): Promise<ProfilesView> {
    this.log("remove_profile", { name });
    const wasActive = this.prof.active === name;
    const v = this.prof.remove(name);
    if (wasActive) this.emitSessionChanged(this.session);
    return v;
  }
  async pickProfileFile(): Promise<ImportPreview | null> {
    this.log("pick_profile_file");
    return this.prof.pick();
  }
  async importProfiles(token: number, choices: ImportChoice[]): Promise<ProfilesView> {
    this.log("import_profiles", { token, choices });
    return this.prof.import(token, choices);
  }
  onProfilesChanged(cb: (view: ProfilesView) => void): Unsubscribe {
    return this.prof.onChanged(cb);
  }

  // --- browsing ----------------------------------------------------------------------------

  listFolder(path: string, onEvent: (e: ListEvent) => void): Promise<void> {
    try {
      this.log("list_folder", { path });
      this.requireSession();
      if (path !== "" && !path.endsWith("/")) throw err("path.invalid", `“${path}” is not a folder path.`, { path, detail: "not a folder path" });
    } catch (e) {
      return Promise.reject(e);
    }
    // S3 order (by key), in pages.
    const all = fakeChildren(this.objects, path).sort((a, b) => (a.path < b.path ? -1 : 1));
    const pages: EntryView[][] = [];
    for (let i = 0; i < all.length; i += this.opts.pageSize) pages.push(all.slice(i, i + this.opts.pageSize));
    if (pages.length === 0) pages.push([]);
    return new Promise((resolve) => {
      if (this.opts.listSettlesEarly) resolve();
      const steps: Array<() => void> = pages.map((entries) => () => onEvent({ event: "page", entries }));
      steps.push(() => {
        onEvent({ event: "done", total: all.length });
        resolve();
      });
      if (this.opts.listMode === "manual") {
        this.listQueue.push(...steps);
      } else {
        let i = 0;
        const run = () => {
          steps[i++]();
          if (i < steps.length) setTimeout(run, i === steps.length - 1 ? 0 : this.opts.pageDelayMs);
        };
        setTimeout(run, 0);
      }
    });
  }

  async countObjects(path: string): Promise<number> {
    this.log("count_objects", { path });
    this.requireSession();
    return fakeCount(this.objects, path);
  }

  async deletePath(path: string, recursive: boolean): Promise<number> {
    this.log("delete_path", { path, recursive });
    this.requireSession();
    return fakeDelete(this.objects, path, recursive);
  }

  async createFolder(path: string): Promise<string> {
    this.log("create_folder", { path });
    this.requireSession();
    return fakeCreateFolder(this.objects, path);
  }

  async renamePath(src: string, dst: string): Promise<string> {
    this.log("rename_path", { src, dst });
    this.requireSession();
    return fakeRename(this.objects, src, dst);
  }

  async shareLink(path: string, expiresSecs: number): Promise<ShareLink> {
    this.log("share_link", { path, expiresSecs });
    this.requireSession();
    return fakeShareLink(this.session!, path, expiresSecs);
  }

  // --- search and preview (fake-search.ts) -------------------------------------------------
  async startSearch(path: string, pattern: string, onEvent: (e: SearchEvent) => void): Promise<number> {
    this.log("start_search", { path, pattern });
    this.requireSession();
    return this.finder.start(path, pattern, onEvent);
  }
  async stopSearch(id: number): Promise<boolean> {
    this.log("stop_search", { id });
    return this.finder.stop(id);
  }
  async previewFile(path: string): Promise<FilePreview> {
    this.log("preview_file", { path });
    this.requireSession();
    return this.finder.preview(path);
  }

  // --- transfers ---------------------------------------------------------------------------

  async startUpload(handle: string, dest: string, onEvent: (e: TransferEvent) => void): Promise<TransferStarted> {
    this.log("start_upload", { handle, dest });
    this.requireSession();
    const items = this.chosen.take(handle, "upload");
    const where = dest || "My files";
    const what = moving(items.map((i) => i.name), where);
    const objects = this.objects; // a running upload keeps its location
    const existing = items.map((i) => dest + i.name).filter((k) => objects.has(k));
    return this.xfers.start("upload", items.map((i) => dest + i.name), what, onEvent, (choice, done) => {
      const now = new Date().toISOString();
      for (const item of items.filter((i) => done.includes(dest + i.name))) {
        const name = item.name;
        let key = dest + name;
        if (objects.has(key) && choice === "skip") continue;
        for (let n = 1; objects.has(key) && choice === "rename"; n++) key = `${dest}${name.replace(/(\.[^.]*)?$/, ` (${n})$1`)}`;
        if (!item.is_dir) objects.set(key, { size: item.size, modified: now });
        else {
          // A folder: a couple of files inside.
          objects.set(`${dest}${name}/index.md`, { size: 2_048, modified: now });
          objects.set(`${dest}${name}/data.bin`, { size: 3 * MiB, modified: now });
        }
      }
    }, existing);
  }

  async startDownload(paths: string[], destDir: string | null, onEvent: (e: TransferEvent) => void): Promise<TransferStarted> {
    this.log("start_download", { paths, destDir });
    this.requireSession();
    if (paths.length === 0) throw err("path.invalid", "Nothing to download.", { path: "", detail: "nothing to download" });
    const where = destDir === null ? "Downloads" : this.chosen.take(destDir, "download_into")[0].name;
    return this.xfers.start("download", paths, moving(paths.map(baseName), where), onEvent, () => undefined);
  }

  async cancelTransfer(id: number): Promise<void> {
    this.log("cancel_transfer", { id });
    this.xfers.cancel(id);
  }

  async pauseTransfer(id: number): Promise<boolean> {
    this.log("pause_transfer", { id });
    return this.xfers.pause(id);
  }

  async resumeTransfer(id: number): Promise<boolean> {
    this.log("resume_transfer", { id });
    return this.xfers.resume(id);
  }

  async answerConflicts(id: number, choice: ConflictChoice | null): Promise<boolean> {
    this.log("answer_conflicts", { id, choice });
    return this.xfers.answer(id, choice);
  }

  async retryTransfer(id: number, onEvent: (e: TransferEvent) => void): Promise<TransferStarted> {
    this.log("retry_transfer", { id });
    this.requireSession();
    return this.xfers.retry(id, onEvent);
  }

  async unfinishedUploads(): Promise<UnfinishedUploadView[]> {
    this.log("unfinished_uploads");
    this.requireSession();
    return this.xfers.unfinishedUploads();
  }

  async resumeUnfinished(id: string, onEvent: (e: TransferEvent) => void): Promise<TransferStarted> {
    this.log("resume_unfinished", { id });
    const u = this.xfers.takeUnfinished(id);
    return this.xfers.start("upload", [u.remote], { ...moving([baseName(u.remote)], u.remote), resumed: true }, onEvent, () => {
      this.objects.set(u.remote, { size: u.size, modified: new Date().toISOString() });
    });
  }

  async discardUnfinished(id: string): Promise<void> {
    this.log("discard_unfinished", { id });
    this.xfers.takeUnfinished(id);
  }

  // --- dialogs -----------------------------------------------------------------------------

  async pickUploadFiles(): Promise<ChosenFiles | null> {
    this.log("pick_upload_files");
    return this.chosen.keepUpload(["/home/alice/Pictures/sunset.jpg", "/home/alice/Documents/plan.pdf"]);
  }
  async pickUploadFolder(): Promise<ChosenFiles | null> {
    this.log("pick_upload_folder");
    return this.chosen.keepUpload(["/home/alice/Projects/website"]);
  }
  async pickDownloadDir(): Promise<ChosenFolder | null> {
    this.log("pick_download_dir");
    return this.chosen.keepFolder("/home/alice/Desktop");
  }

  // --- drag and drop -----------------------------------------------------------------------

  onFilesDropped(cb: (chosen: ChosenFiles) => void): Unsubscribe {
    return this.chosen.on("drop", cb);
  }
  onDropFailed(cb: (e: IpcError) => void): Unsubscribe {
    return this.chosen.on("dropFailed", cb);
  }
  onDragHover(cb: (h: boolean) => void): Unsubscribe {
    return this.chosen.on("hover", cb);
  }

  async copyText(text: string): Promise<void> {
    this.log("copy_text", { text });
    try {
      await copyViaDom(text);
    } catch {
      // jsdom / insecure contexts: the fake pretends it worked.
    }
  }
}
