import { useEffect, useRef, useState } from "preact/hooks";
import type { EntryView } from "../bindings/EntryView";
import type { PreviewInfo } from "../bindings/PreviewInfo";
import { t as translate } from "../i18n";
import { useT } from "../i18n/context";
import { describeError, toIpcError, type IpcError } from "../lib/errors";
import { displayName, formatDate, formatSize } from "../lib/format";
import type { Platform } from "../platform/types";

export interface PreviewProps {
  platform: Platform;
  /** The files the arrow keys step through, in the order shown. */
  files: readonly EntryView[];
  /** The one shown. */
  index: number;
  onIndex: (index: number) => void;
  onClose: () => void;
  onDownload: (entry: EntryView) => void;
  prefix?: string;
}

type View =
  | { state: "loading" }
  | { state: "error"; error: IpcError }
  | { state: "ready"; info: PreviewInfo; url: string | null; text: string | null };

/** The most the shell fetches for a preview (src-tauri/src/commands/preview.rs). */
const PREVIEW_MAX_BYTES = 20 * 1024 * 1024;

/** Why a file shows only its facts, by the code the shell sends (called while rendering). */
function whyNoPreview(info: PreviewInfo): string {
  if (info.show === "pdf") return translate("search.preview.pdf");
  switch (info.reason) {
    case "preview.too_large":
      return translate("search.preview.tooLarge", { max: formatSize(PREVIEW_MAX_BYTES) });
    case "preview.mismatch":
      return translate("search.preview.mismatch", { type: info.content_type });
    case "preview.not_utf8":
      return translate("search.preview.notUtf8");
    default:
      return translate("search.preview.unsupported");
  }
}

/**
 * A file's preview over the window: an image (PNG, JPEG, GIF, WebP, SVG — always in an <img>, so
 * an SVG's scripts never run), plain text (UTF-8, the first 1 MiB with a "truncated" note), or
 * the file's facts with Download. The bytes come from the shell (nothing is saved) and are
 * shown from a blob: URL, revoked when the preview moves on. Left/Up and Right/Down step to the
 * previous and next file; Esc or Space closes.
 */
export function Preview(props: PreviewProps) {
  const { platform, files, onIndex, onClose } = props;
  const t = useT();
  const index = Math.max(0, Math.min(files.length - 1, props.index));
  const entry: EntryView | undefined = files[index];
  const path = entry?.path ?? "";
  const [view, setView] = useState<View>({ state: "loading" });
  const dialogRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!path) return;
    let live = true;
    let url: string | null = null;
    setView({ state: "loading" });
    platform.previewFile(path).then(
      ({ info, bytes }) => {
        if (!live) return;
        if (info.show === "image") url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: info.content_type }));
        const text = info.show === "text" ? new TextDecoder("utf-8").decode(bytes) : null;
        setView({ state: "ready", info, url, text });
      },
      (e) => live && setView({ state: "error", error: toIpcError(e) }),
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [platform, path]);

  // Focus moves into the preview and back to where it was when it closes.
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    bodyRef.current?.focus({ preventScroll: true });
    return () => before?.focus?.({ preventScroll: true });
  }, []);

  const step = (delta: number) => {
    const next = index + delta;
    if (next >= 0 && next < files.length) onIndex(next);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const onButton = (e.target as HTMLElement).tagName === "BUTTON";
    let handled = true;
    switch (e.key) {
      case "ArrowLeft":
      case "ArrowUp":
        step(-1);
        break;
      case "ArrowRight":
      case "ArrowDown":
        step(1);
        break;
      case "Escape":
        onClose();
        break;
      case " ":
        if (onButton) handled = false;
        else onClose();
        break;
      case "Tab": {
        // Focus stays in the preview.
        const items = [...(dialogRef.current?.querySelectorAll<HTMLElement>("button:not(:disabled), [tabindex='0']") ?? [])];
        const i = items.indexOf(document.activeElement as HTMLElement);
        const to = e.shiftKey ? (i <= 0 ? items.length - 1 : i - 1) : i === items.length - 1 ? 0 : i + 1;
        items[to]?.focus();
        break;
      }
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
    // Keys typed in the preview are its own: not the list's behind it, nor the window's shortcuts.
    e.stopPropagation();
  };

  if (!entry) return null;
  const name = displayName(entry.name);
  return (
    <div
      class="overlay"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        class="dialog preview"
        role="dialog"
        aria-modal="true"
        aria-labelledby="preview-title"
        ref={dialogRef}
        onKeyDown={onKeyDown}
        data-testid="preview"
        data-path={entry.path}
        data-state={view.state}
        data-show={view.state === "ready" ? view.info.show : undefined}
      >
        <div class="preview-head">
          <h2 id="preview-title" title={displayName(entry.path)}>
            {name}
          </h2>
          <span class="note" data-testid="preview-position">
            {t("search.preview.position", { index: index + 1, count: files.length })}
          </span>
          <button type="button" class="btn btn-small" data-testid="preview-prev" disabled={index === 0} onClick={() => step(-1)} title={t("search.preview.prev")}>
            ‹
          </button>
          <button type="button" class="btn btn-small" data-testid="preview-next" disabled={index >= files.length - 1} onClick={() => step(1)} title={t("search.preview.next")}>
            ›
          </button>
          <button type="button" class="btn btn-small" data-testid="preview-download" onClick={() => props.onDownload(entry)}>
            {t("search.preview.download")}
          </button>
          <button type="button" class="btn btn-small" data-testid="preview-close" onClick={onClose} title={t("search.preview.closeTitle")}>
            {t("search.preview.close")}
          </button>
        </div>
        <div class="preview-body" ref={bodyRef} tabIndex={0} data-testid="preview-body">
          {view.state === "loading" && (
            <div class="loading">
              <span class="spinner" aria-label={t("search.preview.loading")} />
            </div>
          )}
          {view.state === "error" && (
            <div class="preview-error" role="alert" data-testid="preview-error" data-code={view.error.code}>
              {describeError(view.error, props.prefix).text}
            </div>
          )}
          {view.state === "ready" && <Shown info={view.info} url={view.url} text={view.text} onDownload={() => props.onDownload(entry)} />}
        </div>
      </div>
    </div>
  );
}

function Shown({ info, url, text, onDownload }: { info: PreviewInfo; url: string | null; text: string | null; onDownload: () => void }) {
  const t = useT();
  const [broken, setBroken] = useState(false);
  if (info.show === "image" && url && !broken) {
    return <img class="preview-image" data-testid="preview-image" src={url} alt={displayName(info.name)} onError={() => setBroken(true)} />;
  }
  if (info.show === "text" && text !== null) {
    return (
      <>
        {info.truncated && (
          <p class="note preview-truncated" data-testid="preview-truncated">
            {t("search.preview.truncated", { shown: formatSize(info.bytes), size: formatSize(info.size) })}
          </p>
        )}
        <pre class="preview-text" data-testid="preview-text">
          {text}
        </pre>
      </>
    );
  }
  return (
    <div class="preview-facts" data-testid="preview-facts" data-reason={info.reason ?? info.show}>
      <p>{broken ? t("search.preview.broken") : whyNoPreview(info)}</p>
      <dl>
        <dt>{t("search.preview.facts.name")}</dt>
        <dd>{displayName(info.name)}</dd>
        <dt>{t("search.preview.facts.size")}</dt>
        <dd data-testid="preview-size">{formatSize(info.size)}</dd>
        <dt>{t("search.preview.facts.type")}</dt>
        <dd data-testid="preview-type">{info.content_type}</dd>
        <dt>{t("search.preview.facts.modified")}</dt>
        <dd>{formatDate(info.modified) || "—"}</dd>
      </dl>
      <button type="button" class="btn btn-primary" data-testid="preview-facts-download" onClick={onDownload}>
        {t("search.preview.download")}
      </button>
    </div>
  );
}
