// "Manage connections": every profile with Edit (the setup form, prefilled), Rename and Remove
// (after a confirmation: removing signs it out and deletes its keychain entries).
import { useState } from "preact/hooks";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import type { ProfilesView } from "../../bindings/ProfilesView";
import { useT } from "../../i18n/context";
import { issueText } from "../../lib/setup-text";
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

export function ManageProfiles({ platform, view, onEdit, onClose }: ManageProfilesProps) {
  const t = useT();
  const [sub, setSub] = useState<Sub>(null);
  if (sub?.kind === "rename") {
    const from = sub.profile.name;
    return (
      <PromptDialog
        title={t("setup.manage.renameTitle", { name: from })}
        label={t("setup.manage.renameLabel")}
        initial={from}
        confirmText={t("setup.manage.rename")}
        validate={(v) => {
          const name = v.trim();
          if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) return issueText({ field: "name", code: "name.invalid", message: "" });
          if (name !== from && view.profiles.some((p) => p.name === name)) return issueText({ field: "name", code: "name.taken", message: "" });
          return null;
        }}
        onSubmit={async (to) => {
          if (to !== from) await platform.renameProfile(from, to);
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
        title={t("setup.manage.removeTitle", { name })}
        message={t("setup.manage.removeMessage")}
        confirmText={t("setup.manage.removeConfirm")}
        confirmTestId="confirm-remove"
        danger
        onConfirm={async () => {
          await platform.removeProfile(name);
          setSub(null);
        }}
        onCancel={() => setSub(null)}
      />
    );
  }
  return (
    <Modal title={t("setup.manage.title")} onClose={onClose} testId="manage-dialog">
      <ul class="profile-rows">
        {view.profiles.map((p) => (
          <li key={p.name} class="profile-row" data-testid="profile-row" data-name={p.name}>
            <div class="option-text">
              <span class="option-name">
                {p.name}
                {p.name === view.active && <span class="badge">{t("setup.manage.active")}</span>}
              </span>
              <span class="option-meta">
                {p.bucket} · {p.issuer_host}
              </span>
              <span class="option-meta">{p.signed_in_as ? t("app.switcher.signedInAs", { who: p.signed_in_as }) : t("app.switcher.notSignedIn")}</span>
            </div>
            <div class="group">
              <button type="button" class="btn btn-small" data-testid="edit-profile" onClick={() => onEdit(p.name)}>
                {t("setup.manage.edit")}
              </button>
              <button type="button" class="btn btn-small" data-testid="rename-profile" onClick={() => setSub({ kind: "rename", profile: p })}>
                {t("setup.manage.rename")}
              </button>
              <button
                type="button"
                class="btn btn-small btn-danger-ghost"
                data-testid="remove-profile"
                onClick={() => setSub({ kind: "remove", profile: p })}
              >
                {t("setup.manage.remove")}
              </button>
            </div>
          </li>
        ))}
      </ul>
      <div class="dialog-actions">
        <button type="button" class="btn" data-testid="close-manage" onClick={onClose}>
          {t("common.close")}
        </button>
      </div>
    </Modal>
  );
}
