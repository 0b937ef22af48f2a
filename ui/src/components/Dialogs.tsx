import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ShareLink } from "../bindings/ShareLink";
import { useT } from "../i18n/context";
import { describeError, toIpcError, type IpcError } from "../lib/errors";
import { formatDate, formatRelative, formatUnitLong } from "../lib/format";
import { useLatest } from "./useLatest";

let dialogSeq = 0;

/** An in-app modal (window.prompt/confirm do not work in Tauri's webview). */
export function Modal({
  title,
  onClose,
  children,
  testId,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [id] = useState(() => `dlg-${++dialogSeq}`);
  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    const el = ref.current;
    const target = el?.querySelector<HTMLElement>("[data-autofocus]") ?? el?.querySelector<HTMLElement>("input, select, button");
    target?.focus();
    return () => prev?.focus?.({ preventScroll: true });
  }, []);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      onClose();
    } else if (e.key === "Tab") {
      // Keep focus inside the dialog.
      const items = [...(ref.current?.querySelectorAll<HTMLElement>("input, select, button, textarea") ?? [])].filter(
        (x) => !(x as HTMLButtonElement).disabled,
      );
      if (items.length === 0) return;
      const i = items.indexOf(document.activeElement as HTMLElement);
      if (e.shiftKey && i <= 0) {
        e.preventDefault();
        items[items.length - 1].focus();
      } else if (!e.shiftKey && i === items.length - 1) {
        e.preventDefault();
        items[0].focus();
      }
    }
    e.stopPropagation();
  };
  return (
    <div
      class="overlay"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby={id} ref={ref} onKeyDown={onKeyDown} data-testid={testId ?? "dialog"}>
        <h2 id={id}>{title}</h2>
        {children}
      </div>
    </div>
  );
}

export interface PromptDialogProps {
  title: string;
  label: string;
  initial?: string;
  /** Characters of `initial` to preselect (e.g. the name part of a path). */
  selectRange?: [number, number];
  confirmText: string;
  hint?: string;
  validate: (value: string) => string | null;
  /** Rejecting with an IpcError shows it in the dialog. */
  onSubmit: (value: string) => Promise<void>;
  onCancel: () => void;
  prefix?: string;
}

export function PromptDialog(p: PromptDialogProps) {
  const t = useT();
  const [value, setValue] = useState(p.initial ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // Where the caret starts: fixed when the dialog opens.
  const [selectRange] = useState(p.selectRange);
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.focus();
    if (selectRange) el.setSelectionRange(selectRange[0], selectRange[1]);
    else el.select();
  }, [selectRange]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const v = p.validate(value);
    if (v) {
      setError(v);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await p.onSubmit(value.trim());
    } catch (err) {
      setError(describeError(toIpcError(err), p.prefix).text);
      setBusy(false);
    }
  };
  return (
    <Modal title={p.title} onClose={p.onCancel} testId="prompt-dialog">
      <form onSubmit={submit}>
        <label class="field">
          <span>{p.label}</span>
          <input
            ref={input}
            data-testid="prompt-input"
            value={value}
            spellcheck={false}
            autocomplete="off"
            onInput={(e) => {
              setValue((e.currentTarget as HTMLInputElement).value);
              setError(null);
            }}
          />
        </label>
        {p.hint && <p class="hint">{p.hint}</p>}
        {error && (
          <p class="field-error" role="alert" data-testid="dialog-error">
            {error}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" class="btn" onClick={p.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="btn btn-primary" data-testid="dialog-confirm" disabled={busy}>
            {p.confirmText}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export interface ConfirmDialogProps {
  title: string;
  message: string;
  confirmText: string;
  /** The confirm button's test id (default `dialog-confirm`). */
  confirmTestId?: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
  prefix?: string;
}

export function ConfirmDialog(p: ConfirmDialogProps) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      await p.onConfirm();
    } catch (err) {
      setError(describeError(toIpcError(err), p.prefix).text);
      setBusy(false);
    }
  };
  return (
    <Modal title={p.title} onClose={p.onCancel} testId="confirm-dialog">
      <p class="dialog-message" data-testid="confirm-message">
        {p.message}
      </p>
      {error && (
        <p class="field-error" role="alert" data-testid="dialog-error">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" class="btn" onClick={p.onCancel} data-autofocus>
          {t("common.cancel")}
        </button>
        <button type="button" class={`btn ${p.danger ? "btn-danger" : "btn-primary"}`} data-testid={p.confirmTestId ?? "dialog-confirm"} disabled={busy} onClick={go}>
          {busy ? t("common.working") : p.confirmText}
        </button>
      </div>
    </Modal>
  );
}

/** A share link's lifetimes offered: seconds, and as shown (an amount of one unit). */
const EXPIRY_CHOICES: Array<[number, number, "minute" | "hour" | "day"]> = [
  [15 * 60, 15, "minute"],
  [60 * 60, 1, "hour"],
  [24 * 60 * 60, 1, "day"],
  [7 * 24 * 60 * 60, 7, "day"],
];

export interface ShareDialogProps {
  name: string;
  create: (expiresSecs: number) => Promise<ShareLink>;
  copy: (text: string) => Promise<void>;
  onClose: () => void;
  prefix?: string;
}

export function ShareDialog(p: ShareDialogProps) {
  const t = useT();
  const [secs, setSecs] = useState(60 * 60);
  const [link, setLink] = useState<ShareLink | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [copied, setCopied] = useState(false);
  const createRef = useLatest(p.create);
  useEffect(() => {
    let live = true;
    setLink(null);
    setError(null);
    setCopied(false);
    createRef.current(secs).then(
      (l) => live && setLink(l),
      (e) => live && setError(toIpcError(e)),
    );
    return () => {
      live = false;
    };
  }, [secs, createRef]);
  const copy = async () => {
    if (!link) return;
    try {
      await p.copy(link.url);
      setCopied(true);
    } catch (e) {
      setError(toIpcError(e));
    }
  };
  return (
    <Modal title={t("files.share.title", { name: p.name })} onClose={p.onClose} testId="share-dialog">
      <p class="hint">{t("files.share.hint")}</p>
      <label class="field">
        <span>{t("files.share.validFor")}</span>
        <select value={String(secs)} onChange={(e) => setSecs(Number((e.currentTarget as HTMLSelectElement).value))}>
          {EXPIRY_CHOICES.map(([s, n, unit]) => (
            <option key={s} value={String(s)}>
              {formatUnitLong(n, unit)}
            </option>
          ))}
        </select>
      </label>
      {link ? (
        <>
          <div class="share-url">
            <input readOnly value={link.url} data-testid="share-url" onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
            <button type="button" class="btn btn-primary" data-testid="share-copy" onClick={copy}>
              {copied ? t("common.copied") : t("common.copy")}
            </button>
          </div>
          <p class="hint" data-testid="share-expiry">
            {t("files.share.expires", { date: formatDate(link.expires_at), relative: formatRelative(link.expires_at) })}
          </p>
          {link.capped && (
            <p class="note" data-testid="share-capped">
              {t("files.share.capped")}
            </p>
          )}
        </>
      ) : error ? null : (
        <p class="hint">{t("files.share.creating")}</p>
      )}
      {error && (
        <p class="field-error" role="alert" data-testid="dialog-error">
          {describeError(error, p.prefix).text}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" class="btn" onClick={p.onClose}>
          {t("common.close")}
        </button>
      </div>
    </Modal>
  );
}
