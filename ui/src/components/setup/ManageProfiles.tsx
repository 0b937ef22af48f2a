// "Manage connections": every profile with Edit (the setup form, prefilled), Rename and Remove
// (after a confirmation: removing signs it out and deletes its keychain entries).
import { useState } from "preact/hooks";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import type { ProfilesView } from "../../bindings/ProfilesView";
import { toIpcError, type IpcError } from "../../lib/errors";
import { MANAGE_TEXT, SWITCHER_TEXT, issueText, problemText } from "../../lib/setup-text";
import type { Platform } from "../../platform/types";
import { ConfirmDialog, Modal, PromptDialog } from "../Dialogs";

export interface ManageProfilesProps {
  platform: Platform;
  view: ProfilesView;
  /** Opens the setup form for `name` (after `profile_draft`). */
  onEdit: (name: string) => void;
  onClose: () => void;
}

type Sub = { kind: "rename"; profile: ProfileSummary } | { kind: "remove"; profile: ProfileSummary } | null;

/** Rejections carry IpcErrors the dialogs word with `describeError`; give them our words. */
function worded(e: unknown): IpcError {
  const err = toIpcError(e);
  return { code: err.code, message: problemText(err) };
}

export function ManageProfiles({ platform, view, onEdit, onClose }: ManageProfilesProps) {
  const [sub, setSub] = useState<Sub>(null);
  if (sub?.kind === "rename") {
    const from = sub.profile.name;
    return (
      <PromptDialog
        title={MANAGE_TEXT.renameTitle(from)}
        label={MANAGE_TEXT.renameLabel}
        initial={from}
        confirmText={MANAGE_TEXT.rename}
        validate={(v) => {
          const name = v.trim();
          if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) return issueText({ field: "name", code: "name.invalid", message: "" });
          if (name !== from && view.profiles.some((p) => p.name === name)) return issueText({ field: "name", code: "name.taken", message: "" });
          return null;
        }}
        onSubmit={async (to) => {
          if (to !== from) await platform.renameProfile(from, to).catch((e) => Promise.reject(worded(e)));
          setSub(null);
        }}
        onCancel={() => setSub(null)}
      />
    );
  }
  if (sub?.kind === "remove") {
    const name = sub.profile.name;
    return (
      <ConfirmDialog
        title={MANAGE_TEXT.removeTitle(name)}
        message={MANAGE_TEXT.removeMessage}
        confirmText={MANAGE_TEXT.removeConfirm}
        confirmTestId="confirm-remove"
        danger
        onConfirm={async () => {
          await platform.removeProfile(name).catch((e) => Promise.reject(worded(e)));
          setSub(null);
        }}
        onCancel={() => setSub(null)}
      />
    );
  }
  return (
    <Modal title={MANAGE_TEXT.title} onClose={onClose} testId="manage-dialog">
      <ul class="profile-rows">
        {view.profiles.map((p) => (
          <li key={p.name} class="profile-row" data-testid="profile-row" data-name={p.name}>
            <div class="option-text">
              <span class="option-name">
                {p.name}
                {p.name === view.active && <span class="badge">{MANAGE_TEXT.active}</span>}
              </span>
              <span class="option-meta">
                {p.bucket} · {p.issuer_host}
              </span>
              <span class="option-meta">{p.signed_in_as ? SWITCHER_TEXT.signedInAs(p.signed_in_as) : SWITCHER_TEXT.notSignedIn}</span>
            </div>
            <div class="group">
              <button type="button" class="btn btn-small" data-testid="edit-profile" onClick={() => onEdit(p.name)}>
                {MANAGE_TEXT.edit}
              </button>
              <button type="button" class="btn btn-small" data-testid="rename-profile" onClick={() => setSub({ kind: "rename", profile: p })}>
                {MANAGE_TEXT.rename}
              </button>
              <button
                type="button"
                class="btn btn-small btn-danger-ghost"
                data-testid="remove-profile"
                onClick={() => setSub({ kind: "remove", profile: p })}
              >
                {MANAGE_TEXT.remove}
              </button>
            </div>
          </li>
        ))}
      </ul>
      <div class="dialog-actions">
        <button type="button" class="btn" data-testid="close-manage" onClick={onClose}>
          {MANAGE_TEXT.close}
        </button>
      </div>
    </Modal>
  );
}
