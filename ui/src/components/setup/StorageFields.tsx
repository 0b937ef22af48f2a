import type { FieldIssue } from "../../bindings/FieldIssue";
import type { ProfileDraft } from "../../bindings/ProfileDraft";
import { useT } from "../../i18n/context";
import { fieldLabel } from "../../lib/setup-text";
import { Issues, TextField } from "./Field";

type TextKey = "bucket" | "region" | "prefix" | "s3_endpoint" | "sts_endpoint";

export interface StorageFieldsProps {
  draft: ProfileDraft;
  /** The "S3-compatible store" disclosure is open (endpoint fields shown and sent). */
  compatible: boolean;
  onCompatible: (open: boolean) => void;
  onChange: (patch: Partial<ProfileDraft>) => void;
  onBlur: (field: string) => void;
  issuesOf: (field: string) => FieldIssue[];
}

/** The storage: bucket, region, prefix template, and S3-compatible endpoints. */
export function StorageFields(p: StorageFieldsProps) {
  const t = useT();
  const text = (name: TextKey, monospace = false) => (
    <TextField
      name={name}
      value={p.draft[name]}
      onInput={(v) => p.onChange({ [name]: v })}
      onBlur={() => p.onBlur(name)}
      issues={p.issuesOf(name)}
      monospace={monospace}
      inputMode={name.endsWith("endpoint") ? "url" : "text"}
    />
  );
  return (
    <>
      <div class="field-row">
        {text("bucket")}
        {text("region")}
      </div>
      {text("prefix", true)}
      <label class="check">
        <input
          type="checkbox"
          data-testid="s3-compatible"
          checked={p.compatible}
          onChange={(e) => p.onCompatible((e.currentTarget as HTMLInputElement).checked)}
        />
        <span>{t("setup.screen.s3Compatible")}</span>
      </label>
      {p.compatible && (
        <div class="disclosure">
          {text("s3_endpoint")}
          {text("sts_endpoint")}
          <label class="check">
            <input
              type="checkbox"
              data-testid="field-force_path_style"
              checked={p.draft.force_path_style}
              onChange={(e) => p.onChange({ force_path_style: (e.currentTarget as HTMLInputElement).checked })}
            />
            <span>{fieldLabel("force_path_style")}</span>
          </label>
          <Issues field="force_path_style" issues={p.issuesOf("force_path_style")} />
        </div>
      )}
    </>
  );
}
