import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { EntryView } from "../bindings/EntryView";
import type { SessionView } from "../bindings/SessionView";
import type { ChosenFiles, Platform } from "../platform/types";
import { describeError, needsReauth, toIpcError, type IpcError } from "../lib/errors";
import { formatSize } from "../lib/format";
import { baseName, normaliseDest, parentOf, validateName, validatePath } from "../lib/paths";
import { emptySelection, pruneSelection, type Selection } from "../lib/selection";
import { nextSort, sortEntries, type SortKey, type SortSpec } from "../lib/sort";
import type { Transfer } from "../lib/transfers";
import { Banner } from "./Banner";
import { Breadcrumbs } from "./Breadcrumbs";
import { ConfirmDialog, PromptDialog, ShareDialog } from "./Dialogs";
import { FileList } from "./FileList";
import { TransfersPanel } from "./Transfers";
import { ConflictDialog, UnfinishedUploads } from "./TransferPrompts";
import { useTransfers } from "./useTransfers";

interface Listing {
  path: string;
  entries: EntryView[];
  loading: boolean;
  error: IpcError | null;
}

type Dialog =
  | { kind: "new-folder" }
  | { kind: "rename"; entry: EntryView }
  | { kind: "delete"; entries: EntryView[]; message: string; objects: number }
  | { kind: "share"; entry: EntryView };

export interface WorkspaceProps {
  platform: Platform;
  session: SessionView;
  /** Starts a sign-in (the banner's "Sign in again"). */
  onReauth: () => void;
  onCancelReauth: () => void;
  reauthWaiting: boolean;
  /** Tells the app an error means the session is gone. */
  initialPath?: string;
  /** Delay (ms) between list re-renders while pages stream in (the first page renders at once). */
  pageFlushMs?: number;
}

export function Workspace(props: WorkspaceProps) {
  const { platform, session } = props;
  const prefix = session.prefix;
  const [listing, setListing] = useState<Listing>({ path: props.initialPath ?? "", entries: [], loading: true, error: null });
  const [sort, setSort] = useState<SortSpec>({ key: "name", dir: "asc" });
  const [sel, setSel] = useState<Selection>(emptySelection);
  const [banner, setBanner] = useState<IpcError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [dragOver, setDragOver] = useState(false);
  const [focusKey, setFocusKey] = useState("init");

  const path = listing.path;
  const pathRef = useRef(path);
  pathRef.current = path;
  const gen = useRef(0);
  const flushMs = props.pageFlushMs ?? 120;

  const showError = useCallback(
    (e: unknown) => {
      const err = toIpcError(e);
      setBanner(err);
      setNotice(null);
    },
    [prefix],
  );

  /** Lists `target`; pages stream in (first page rendered at once, the rest coalesced). */
  const load = useCallback(
    (target: string, keep?: { selection?: Selection; select?: string }) => {
      const my = ++gen.current;
      let buffered: EntryView[] = [];
      let all: EntryView[] = [];
      let timer: ReturnType<typeof setTimeout> | null = null;
      let firstShown = false;
      let finished = false;
      setListing((l) => ({ path: target, entries: l.path === target ? l.entries : [], loading: true, error: null }));
      if (!keep) setSel(emptySelection);
      const flush = () => {
        timer = null;
        if (my !== gen.current) return;
        if (buffered.length) {
          all = all.concat(buffered);
          buffered = [];
        }
        const entries = all;
        setListing({ path: target, entries, loading: !finished, error: null });
      };
      const finish = () => {
        if (finished) return;
        finished = true;
        if (timer) clearTimeout(timer);
        if (my !== gen.current) return;
        flush();
        const existing = new Set(all.map((e) => e.path));
        if (keep?.select && existing.has(keep.select)) {
          setSel({ selected: new Set([keep.select]), cursor: keep.select, anchor: keep.select });
        } else if (keep?.selection) {
          setSel(pruneSelection(keep.selection, existing));
        }
      };
      platform
        .listFolder(target, (ev) => {
          if (my !== gen.current) return;
          if (ev.event === "page") {
            buffered.push(...ev.entries);
            if (!firstShown) {
              firstShown = true;
              flush();
            } else if (!timer) {
              timer = setTimeout(flush, flushMs);
            }
          } else {
            finish();
          }
        })
        .then(finish, (e) => {
          finished = true;
          if (timer) clearTimeout(timer);
          if (my !== gen.current) return;
          const err = toIpcError(e);
          setListing({ path: target, entries: all.concat(buffered), loading: false, error: err });
          showError(err);
        });
    },
    [platform, flushMs, showError],
  );

  useEffect(() => {
    load(path);
    return () => {
      gen.current++; // ignore late pages after unmount
    };
  }, []);

  // A renewed session (e.g. "Sign in again") clears a re-auth banner and reloads.
  // Another location (the sidebar): its root, listed afresh. Transfers keep running.
  const lastSession = useRef(session);
  useEffect(() => {
    if (lastSession.current === session) return;
    const before = lastSession.current.location;
    lastSession.current = session;
    if (before && session.location && before !== session.location) {
      setBanner(null);
      navigate("");
      return;
    }
    if (banner && needsReauth(banner)) {
      setBanner(null);
      load(pathRef.current, { selection: sel });
    }
  }, [session]);

  const navigate = useCallback(
    (target: string, select?: string) => {
      setBanner((b) => (b && needsReauth(b) ? b : null));
      setNotice(null);
      load(target, select ? { select } : undefined);
      setFocusKey(target + "#" + Date.now());
    },
    [load],
  );

  const refresh = useCallback(() => load(pathRef.current, { selection: sel }), [load, sel]);

  const sorted = useMemo(() => sortEntries(listing.entries, sort), [listing.entries, sort]);
  const byPath = useMemo(() => new Map(listing.entries.map((e) => [e.path, e])), [listing.entries]);
  const selected = useMemo(
    () => sorted.filter((e) => sel.selected.has(e.path)),
    [sorted, sel.selected],
  );
  const cursorEntry = sel.cursor ? byPath.get(sel.cursor) : undefined;
  const single: EntryView | undefined = selected.length === 1 ? selected[0] : selected.length === 0 ? cursorEntry : undefined;

  // --- transfers -------------------------------------------------------------------------

  const onTransferFinished = (t: Transfer) => {
    if (t.kind === "upload" && t.dest === pathRef.current) {
      load(pathRef.current, { selection: sel });
    }
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

  const download = useCallback(
    async (pick: boolean) => {
      const paths = (selected.length ? selected : cursorEntry ? [cursorEntry] : []).map((e) => e.path);
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
    },
    [platform, selected, cursorEntry, track, showError],
  );

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
  }, [platform, upload, showError]);

  const pickAndUpload = async (folder: boolean) => {
    try {
      upload(folder ? await platform.pickUploadFolder() : await platform.pickUploadFiles(), pathRef.current);
    } catch (e) {
      showError(e);
    }
  };

  // --- actions -----------------------------------------------------------------------------

  const askDelete = async () => {
    const targets = selected.length ? selected : cursorEntry ? [cursorEntry] : [];
    if (targets.length === 0) return;
    const folders = targets.filter((e) => e.kind === "folder");
    let counts: number[];
    try {
      if (folders.length) setNotice(`Counting objects in ${folders.length === 1 ? folders[0].name + "/" : folders.length + " folders"}…`);
      counts = await Promise.all(folders.map((f) => platform.countObjects(f.path)));
      setNotice(null);
    } catch (e) {
      showError(e);
      return;
    }
    const objects = counts.reduce((a, b) => a + b, 0) + targets.length - folders.length;
    const folderText = (f: EntryView, n: number) => `${f.name}/ and its ${n} ${n === 1 ? "object" : "objects"}`;
    let message: string;
    if (targets.length === 1) {
      const t = targets[0];
      message = t.kind === "folder" ? `Delete ${folderText(t, counts[0])}?` : `Delete ${t.name}?`;
    } else {
      const files = targets.length - folders.length;
      const parts: string[] = [];
      if (files) parts.push(`${files} ${files === 1 ? "file" : "files"}`);
      folders.forEach((f, i) => parts.push(folderText(f, counts[i])));
      message = `Delete ${targets.length} items (${parts.join(", ")})?`;
    }
    setDialog({ kind: "delete", entries: targets, message: message + " This cannot be undone.", objects });
  };

  const doDelete = async (entries: EntryView[]) => {
    let n = 0;
    try {
      for (const e of entries) n += await platform.deletePath(e.path, e.kind === "folder");
      setNotice(`Deleted ${n} ${n === 1 ? "object" : "objects"}.`);
    } catch (e) {
      showError(e);
    }
    setDialog(null);
    load(pathRef.current, { selection: emptySelection });
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

  const dismissBanner = () => setBanner(null);
  const bannerView = banner ? describeError(banner, prefix) : null;
  /** The location shown (empty in a view announced before its locations were known). */
  const root = session.location || "My files";
  const where = path === "" ? root : baseName(path);

  return (
    <div class="workspace">
      <div class="toolbar" role="toolbar" aria-label="Actions">
        <div class="group">
          <button type="button" class="btn btn-primary" data-testid="upload" onClick={() => pickAndUpload(false)}>
            Upload
          </button>
          <button type="button" class="btn" data-testid="upload-folder" onClick={() => pickAndUpload(true)}>
            Upload folder
          </button>
          <button type="button" class="btn" data-testid="new-folder" onClick={() => setDialog({ kind: "new-folder" })}>
            New folder
          </button>
        </div>
        <div class="group">
          <button type="button" class="btn" data-testid="download" disabled={selected.length === 0} onClick={() => download(false)} title="Download to your Downloads folder">
            Download
          </button>
          <button type="button" class="btn" data-testid="download-to" disabled={selected.length === 0} onClick={() => download(true)} title="Choose where to download">
            Download to…
          </button>
          <button type="button" class="btn" data-testid="rename" disabled={!single} onClick={startRename}>
            Rename
          </button>
          <button type="button" class="btn" data-testid="share" disabled={!single || single.kind !== "file"} onClick={() => single && setDialog({ kind: "share", entry: single })}>
            Share link
          </button>
          <button type="button" class="btn btn-danger-ghost" data-testid="delete" disabled={selected.length === 0} onClick={askDelete}>
            Delete
          </button>
        </div>
        <div class="group end">
          <button type="button" class="btn" data-testid="refresh" onClick={refresh} title="Refresh">
            Refresh
          </button>
        </div>
      </div>

      <Breadcrumbs path={path} rootLabel={root} onNavigate={(p) => navigate(p)} />

      {bannerView && banner && (
        <Banner
          text={bannerView.text}
          reauth={bannerView.reauth}
          waiting={props.reauthWaiting}
          onSignInAgain={props.onReauth}
          onCancelSignIn={props.onCancelReauth}
          onDismiss={bannerView.reauth ? undefined : dismissBanner}
        />
      )}
      {notice && !bannerView && <Banner text={notice} reauth={false} tone="info" onDismiss={() => setNotice(null)} />}
      <UnfinishedUploads
        platform={platform}
        showError={showError}
        onResume={(u) => void track((onEvent) => platform.resumeUnfinished(u.id, onEvent), parentOf(u.remote))}
      />

      <FileList
        entries={sorted}
        selection={sel}
        onSelection={setSel}
        sort={sort}
        onSort={onSort}
        onOpen={openEntry}
        onGoUp={goUp}
        onDelete={askDelete}
        onRename={startRename}
        loading={listing.loading}
        emptyText={listing.error ? "Could not list this folder." : "This folder is empty. Drop files here or use Upload."}
        dropActive={dragOver}
        dropText={`Drop to upload to ${where}`}
        autoFocusKey={focusKey}
      />

      <div class="statusbar" aria-live="polite">
        <span data-testid="count">
          {sorted.length.toLocaleString()} {sorted.length === 1 ? "item" : "items"}
        </span>
        {selected.length > 0 && (
          <span>
            {selected.length.toLocaleString()} selected
            {selected.some((e) => e.kind === "file") && ` · ${formatSize(selected.reduce((n, e) => n + e.size, 0))}`}
          </span>
        )}
        {listing.loading && (
          <span class="loading" data-testid="loading">
            <span class="spinner small" aria-hidden="true" />
            loading…
          </span>
        )}
        <span class="bucket" title="Your folder">
          {session.bucket}/{prefix}
        </span>
      </div>

      <TransfersPanel
        transfers={xfers.transfers}
        onCancel={xfers.cancel}
        onPause={xfers.pause}
        onResume={xfers.resume}
        onClear={xfers.clearFinished}
        prefix={prefix}
      />
      {asking && <ConflictDialog t={asking} onAnswer={(choice) => xfers.answer(asking.id, choice)} />}

      {dialog?.kind === "new-folder" && (
        <PromptDialog
          title="New folder"
          label={`Name of the new folder in ${where}`}
          initial="New folder"
          confirmText="Create"
          validate={validateName}
          prefix={prefix}
          onCancel={() => setDialog(null)}
          onSubmit={async (name) => {
            const created = await platform.createFolder(path + name + "/");
            setDialog(null);
            load(path, { select: created });
          }}
        />
      )}
      {dialog?.kind === "rename" &&
        (() => {
          const e = dialog.entry;
          const initial = e.kind === "folder" ? e.path.slice(0, -1) : e.path;
          const nameStart = initial.length - e.name.length;
          const dot = e.kind === "file" ? e.name.lastIndexOf(".") : -1;
          const nameEnd = dot > 0 ? nameStart + dot : initial.length;
          return (
            <PromptDialog
              title={`Rename or move “${e.name}”`}
              label="New name or path"
              hint="A path with “/” moves it, relative to your folder (e.g. archive/2024/report.pdf)."
              initial={initial}
              selectRange={[nameStart, nameEnd]}
              confirmText="Rename"
              validate={validatePath}
              prefix={prefix}
              onCancel={() => setDialog(null)}
              onSubmit={async (value) => {
                const dst = normaliseDest(value, e.kind === "folder");
                if (dst === e.path) {
                  setDialog(null);
                  return;
                }
                const moved = await platform.renamePath(e.path, dst);
                setDialog(null);
                load(path, { select: moved });
              }}
            />
          );
        })()}
      {dialog?.kind === "delete" && (
        <ConfirmDialog
          title={dialog.entries.length === 1 ? "Delete?" : `Delete ${dialog.entries.length} items?`}
          message={dialog.message}
          confirmText="Delete"
          danger
          prefix={prefix}
          onCancel={() => setDialog(null)}
          onConfirm={() => doDelete(dialog.entries)}
        />
      )}
      {dialog?.kind === "share" && (
        <ShareDialog
          name={dialog.entry.name}
          prefix={prefix}
          create={(secs) => platform.shareLink(dialog.entry.path, secs)}
          copy={(text) => platform.copyText(text)}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}
