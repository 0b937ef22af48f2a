import { useEffect, useState } from "preact/hooks";
import type { DraftCheck } from "../../bindings/DraftCheck";
import type { ProfileDraft } from "../../bindings/ProfileDraft";
import { toIpcError, type IpcError } from "../../lib/errors";
import type { Platform } from "../../platform/types";

export interface DraftCheckState {
  /** The latest answer (for an earlier draft while `pending`). */
  check: DraftCheck | null;
  /** The latest call failed (not a field issue: e.g. the config file cannot be read). */
  error: IpcError | null;
  /** True until `validate_draft` answered for exactly this draft. */
  pending: boolean;
}

/** Validation as you type: `validate_draft` for the draft once it has been still for `delayMs`. */
export function useDraftCheck(platform: Platform, draft: ProfileDraft, replacing: string | null, delayMs = 250): DraftCheckState {
  const key = JSON.stringify([draft, replacing]);
  const [state, setState] = useState<{ key: string; check: DraftCheck | null; error: IpcError | null }>({
    key: "",
    check: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    // The draft as of `key` (the effect runs when its content changes, not its identity).
    const [keyDraft, keyReplacing] = JSON.parse(key) as [ProfileDraft, string | null];
    const t = setTimeout(() => {
      platform.validateDraft(keyDraft, keyReplacing).then(
        (check) => live && setState({ key, check, error: null }),
        (e) => live && setState((s) => ({ key, check: s.check, error: toIpcError(e) })),
      );
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [platform, key, delayMs]);
  return { check: state.check, error: state.error, pending: state.key !== key };
}
