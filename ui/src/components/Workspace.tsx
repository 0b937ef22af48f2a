import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { EntryView } from "../bindings/EntryView";
import type { SearchHit } from "../bindings/SearchHit";
import type { SessionView } from "../bindings/SessionView";
import type { ChosenFiles, Platform } from "../platform/types";
import { describeError, needsReauth, toIpcError, type IpcError } from "../lib/errors";
import { t } from "../i18n";
import { useT } from "../i18n/context";
import { countingNotice } from "../lib/deletion";
import { locationName } from "../lib/locations";
import { baseName, parentOf } from "../lib/paths";
import { emptySelection, type Selection } from "../lib/selection";
import { nextSort, type SortKey, type SortSpec } from "../lib/sort";
import { useSortedEntries } from "./useSortedEntries";
import type { Transfer } from "../lib/transfers";
import { Banner } from "./Banner";
import { LocationBar } from "./LocationBar";
import { FileList } from "./FileList";
import { Preview } from "./Preview";
import { SearchBox } from "./SearchBox";
import { SearchResults } from "./SearchResults";
import { StatusBar } from "./StatusBar";
import { Toolbar, type ToolbarActions } from "./Toolbar";
import { TransfersPanel } from "./Transfers";
import { ConflictDialog, UnfinishedUploads } from "./TransferPrompts";
import { useLatest } from "./useLatest";
import { useListing } from "./useListing";
import { useSearch } from "./useSearch";
import { useTransfers } from "./useTransfers";
import { WorkspaceDialogs, type WorkspaceDialog } from "./WorkspaceDialogs";

export interface WorkspaceProps {
  platform: Platform;
  session: SessionView;
  /** Starts a sign-in (the banner's "Sign in again"). */
  onReauth: () => void;
  onCancelReauth: () => void;
  reauthWaiting: boolean;
  /** The folder shown first ("" = the location's root). */
  initialPath?: string;
  /** Delay (ms) between list re-renders while pages stream in (the first page renders at once). */
  pageFlushMs?: number;
}

/** The signed-in view: toolbar, breadcrumbs, the folder's list, status bar, transfers, dialogs. */
export function Workspace(props: WorkspaceProps) {
  const { platform, session } = props;
  useT(); // re-render on a language change (the words come from `t`)
  const prefix = session.prefix;
  const [sort, setSort] = useState<SortSpec>({ key: "name", dir: "asc" });
  const [sel, setSel] = useState<Selection>(emptySelection);
  const [banner, setBanner] = useState<IpcError | null>(null);
  /** An info banner, worded when shown (so it follows a language change). */
  const [notice, setNotice] = useState<{ text: () => string } | null>(null);
  const [dialog, setDialog] = useState<WorkspaceDialog | null>(null);
  const [dragOver, setDragOver] = useState(false);
  const [focusKey, setFocusKey] = useState("init");
  /** The files the preview steps through and the one shown; null when closed. */
  const [preview, setPreview] = useState<{ files: EntryView[]; index: number } | null>(null);
  /** The search result under the cursor (what the toolbar acts on while results are shown). */
  const [hit, setHit] = useState<SearchHit | null>(null);
  /** Bumped to empty the search box, and to move focus into the results. */
  const [searchReset, setSearchReset] = useState(0);
  const [resultsFocus, setResultsFocus] = useState<number | undefined>(undefined);
  // The latest selection and banner for callbacks that must not be re-created on every change.
  const selRef = useLatest(sel);
  const bannerRef = useLatest(banner);

  const showError = useCallback((e: unknown) => {
    setBanner(toIpcError(e));
    setNotice(null);
  }, []);

  const { listing, load, pathRef } = useListing(platform, props.initialPath ?? "", props.pageFlushMs ?? 120, setSel, showError);
  const finder = useSearch(platform);
  const search = finder.search;
  const closeSearch = finder.close;
  const path = listing.path;
  /** Lists the shown folder again, keeping what is selected (if it still exists). */
  const reload = useCallback(() => load(pathRef.current, { selection: selRef.current }), [load, pathRef, selRef]);

  const navigate = useCallback(
    (target: string, select?: string) => {
      closeSearch();
      setSearchReset((n) => n + 1);
      setBanner((b) => (b && needsReauth(b) ? b : null));
      setNotice(null);
      load(target, select ? { select } : undefined);
      setFocusKey(target + "#" + Date.now());
    },
    [load, closeSearch],
  );

  // A renewed session (e.g. "Sign in again") clears a re-auth banner and reloads.
  // Another location (the sidebar): its root, listed afresh. Transfers keep running.
  const lastSessionRef = useRef(session);
  useEffect(() => {
    if (lastSessionRef.current === session) return;
    const before = lastSessionRef.current.location;
    lastSessionRef.current = session;
    if (before && session.location && before !== session.location) {
      setBanner(null);
      navigate("");
      return;
    }
    const b = bannerRef.current;
    if (b && needsReauth(b)) {
      setBanner(null);
      reload();
    }
  }, [session, navigate, reload, bannerRef]);

  const sorted = useSortedEntries(listing.entries, sort);
  const selected = useMemo(() => (sel.selected.size ? sorted.filter((e) => sel.selected.has(e.path)) : []), [sorted, sel.selected]);
  const cursor = sel.cursor;
  const cursorEntry = useMemo(() => (cursor ? listing.entries.find((e) => e.path === cursor) : undefined), [listing.entries, cursor]);
  const folderSingle: EntryView | undefined = selected.length === 1 ? selected[0] : selected.length === 0 ? cursorEntry : undefined;
  // While search results are shown, actions apply to the result under the cursor.
  const single = search ? hit?.entry : folderSingle;
  /** What an action applies to: the selection, else the entry under the cursor. */
  const targets = search ? (hit ? [hit.entry] : []) : selected.length ? selected : cursorEntry ? [cursorEntry] : [];

  // --- transfers -------------------------------------------------------------------------

  const onTransferFinished = (t: Transfer) => {
    if (t.kind === "upload" && t.dest === pathRef.current) reload();
    if (t.state === "failed" && t.error && needsReauth(t.error)) setBanner(t.error);
  };
  const xfers = useTransfers(platform, showError, onTransferFinished);
  const track = xfers.track;
  const asking = xfers.transfers.find((t) => t.state === "asking" && t.conflicts.length > 0);

  /** Uploads what a dialog or a drop chose (its handle; the page never sees local paths). */
  const upload = useCallback(
    (chosen: ChosenFiles | null, dest: string) => {
      if (!chosen || chosen.items.length === 0) return;
      void track((onEvent) => platform.startUpload(chosen.handle, dest, onEvent), dest);
    },
    [platform, track],
  );

  const download = async (pick: boolean) => {
    const paths = targets.map((e) => e.path);
    if (paths.length === 0) return;
    let dir: string | null = null; // the chosen folder's handle; null = Downloads
    if (pick) {
      try {
        const folder = await platform.pickDownloadDir();
        if (folder === null) return; // cancelled
        dir = folder.handle;
      } catch (e) {
        showError(e);
        return;
      }
    }
    void track((onEvent) => platform.startDownload(paths, dir, onEvent), null);
  };

  // Drag and drop from the OS.
  useEffect(() => {
    const offDrop = platform.onFilesDropped((chosen) => {
      setDragOver(false);
      upload(chosen, pathRef.current);
    });
    const offFailed = platform.onDropFailed((e) => {
      setDragOver(false);
      showError(e);
    });
    const offHover = platform.onDragHover(setDragOver);
    return () => {
      offDrop();
      offFailed();
      offHover();
    };
  }, [platform, upload, showError, pathRef]);

  const pickAndUpload = async (folder: boolean) => {
    try {
      upload(folder ? await platform.pickUploadFolder() : await platform.pickUploadFiles(), pathRef.current);
    } catch (e) {
      showError(e);
    }
  };

  // --- actions -----------------------------------------------------------------------------

  const askDelete = async () => {
    const chosen = targets;
    if (chosen.length === 0) return;
    const folders = chosen.filter((e) => e.kind === "folder");
    let counts: number[];
    try {
      if (folders.length) setNotice({ text: () => countingNotice(folders) });
      counts = await Promise.all(folders.map((f) => platform.countObjects(f.path)));
      setNotice(null);
    } catch (e) {
      showError(e);
      return;
    }
    setDialog({ kind: "delete", entries: chosen, counts });
  };

  const doDelete = async (entries: EntryView[]) => {
    let n = 0;
    try {
      for (const e of entries) n += await platform.deletePath(e.path, e.kind === "folder");
      setNotice({ text: () => t("files.delete.done", { count: n }) });
    } catch (e) {
      showError(e);
    }
    setDialog(null);
    load(pathRef.current, { selection: emptySelection });
    if (search) finder.start(search.folder, search.pattern);
  };

  // --- search and preview ----------------------------------------------------------------

  /** Previews `entry` among `files` (the arrow keys step through them). */
  const openPreview = (files: EntryView[], entry: EntryView) => {
    const index = files.findIndex((f) => f.path === entry.path);
    if (index >= 0) setPreview({ files, index });
  };
  const previewInFolder = (entry: EntryView) => openPreview(sorted.filter((e) => e.kind === "file"), entry);
  const previewHit = (h: SearchHit) =>
    search && openPreview(search.hits.filter((x) => x.entry.kind === "file").map((x) => x.entry), h.entry);
  const openHit = (h: SearchHit) => (h.entry.kind === "folder" ? navigate(h.entry.path) : previewHit(h));
  const leaveSearch = () => {
    closeSearch();
    setSearchReset((n) => n + 1);
    setFocusKey(pathRef.current + "#" + Date.now());
  };

  const openEntry = (e: EntryView) => {
    if (e.kind === "folder") navigate(e.path);
  };
  const goUp = () => {
    if (path !== "") navigate(parentOf(path), path);
  };
  const startRename = () => {
    if (single) setDialog({ kind: "rename", entry: single });
  };
  const onSort = (key: SortKey) => setSort((s) => nextSort(s, key));
  const refresh = () => (search ? finder.start(search.folder, search.pattern) : reload());

  const actions: ToolbarActions = {
    upload: (folder) => void pickAndUpload(folder),
    newFolder: () => setDialog({ kind: "new-folder" }),
    download: (pick) => void download(pick),
    rename: startRename,
    share: () => single && setDialog({ kind: "share", entry: single }),
    delete: () => void askDelete(),
    preview: () => {
      if (single?.kind !== "file") return;
      if (search && hit) previewHit(hit);
      else previewInFolder(single);
    },
  };

  const bannerView = banner ? describeError(banner, prefix) : null;
  /** The location shown (empty in a view announced before its locations were known). */
  const root = locationName(session.location || "My files");
  const where = path === "" ? root : baseName(path);

  return (
    <div class="workspace">
      <Toolbar actions={actions} selected={search ? targets.length : selected.length} single={single} />
      <LocationBar
        path={path}
        rootLabel={root}
        onNavigate={(p) => navigate(p)}
        onRefresh={refresh}
        search={
          <SearchBox
            where={where}
            onSearch={(pattern) => finder.start(pathRef.current, pattern)}
            onClear={leaveSearch}
            onFocusResults={() => setResultsFocus(Date.now())}
            resetKey={searchReset}
          />
        }
      />

      {bannerView && banner && (
        <Banner
          text={bannerView.text}
          reauth={bannerView.reauth}
          waiting={props.reauthWaiting}
          onSignInAgain={props.onReauth}
          onCancelSignIn={props.onCancelReauth}
          onDismiss={bannerView.reauth ? undefined : () => setBanner(null)}
        />
      )}
      {notice && !bannerView && <Banner text={notice.text()} reauth={false} tone="info" onDismiss={() => setNotice(null)} />}
      <UnfinishedUploads
        platform={platform}
        showError={showError}
        onResume={(u) => void track((onEvent) => platform.resumeUnfinished(u.id, onEvent), parentOf(u.remote))}
      />

      {search ? (
        <SearchResults
          search={search}
          rootLabel={root}
          onOpen={openHit}
          onPreview={previewHit}
          onStop={finder.stop}
          onClose={leaveSearch}
          onCursor={setHit}
          focusKey={resultsFocus}
          prefix={prefix}
        />
      ) : (
        <FileList
          entries={sorted}
          selection={sel}
          onSelection={setSel}
          sort={sort}
          onSort={onSort}
          onOpen={openEntry}
          onGoUp={goUp}
          onDelete={() => void askDelete()}
          onRename={startRename}
          onPreview={previewInFolder}
          loading={listing.loading}
          emptyText={listing.error ? t("files.list.failed") : t("files.list.emptyDrop")}
          dropActive={dragOver}
          dropText={t("files.list.dropTo", { where })}
          autoFocusKey={focusKey}
        />
      )}

      <StatusBar
        count={search ? search.hits.length : sorted.length}
        selected={search ? [] : selected}
        loading={search ? search.status === "running" : listing.loading}
        bucket={session.bucket}
        prefix={prefix}
      />

      <TransfersPanel
        transfers={xfers.transfers}
        onCancel={xfers.cancel}
        onPause={xfers.pause}
        onResume={xfers.resume}
        onRetry={xfers.retry}
        onClear={xfers.clearFinished}
        prefix={prefix}
      />
      {asking && <ConflictDialog t={asking} onAnswer={(choice) => xfers.answer(asking.id, choice)} />}

      {preview && (
        <Preview
          platform={platform}
          files={preview.files}
          index={preview.index}
          onIndex={(index) => setPreview((p) => p && { ...p, index })}
          onClose={() => setPreview(null)}
          onDownload={(e) => void track((onEvent) => platform.startDownload([e.path], null, onEvent), null)}
          prefix={prefix}
        />
      )}
      <WorkspaceDialogs
        dialog={dialog}
        platform={platform}
        path={path}
        where={where}
        prefix={prefix}
        onClose={() => setDialog(null)}
        reloadSelecting={(select) => {
          load(pathRef.current, { select });
          if (search) finder.start(search.folder, search.pattern);
        }}
        onDelete={doDelete}
      />
    </div>
  );
}
