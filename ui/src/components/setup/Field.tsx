// Form building blocks of the setup screen: a text field with its issues under it, the issue
// list, and a Copy button.
import { useState } from "preact/hooks";
import type { FieldIssue } from "../../bindings/FieldIssue";
import { useT } from "../../i18n/context";
import { fieldText, issueText } from "../../lib/setup-text";

/** A field's issues, worded by code (`issue-<field>`, `data-code`). */
export function Issues({ field, issues }: { field: string; issues: FieldIssue[] }) {
  useT();
  return (
    <>
      {issues.map((i, n) => (
        <p key={i.code} class="field-issue" role="alert" id={n === 0 ? `issue-${field}` : undefined} data-testid={`issue-${field}`} data-code={i.code}>
          {issueText(i)}
        </p>
      ))}
    </>
  );
}

export interface TextFieldProps {
  /** The draft or provider field name (`field-<name>`). */
  name: string;
  value: string;
  onInput: (value: string) => void;
  /** Marks the field touched (its `required` issue shows from then on). */
  onBlur?: () => void;
  issues: FieldIssue[];
  /** Overrides the label from the catalogue (`setup.fields.<name>.label`). */
  label?: string;
  placeholder?: string;
  inputMode?: "text" | "numeric" | "url";
  monospace?: boolean;
}

export function TextField(p: TextFieldProps) {
  useT();
  const text = fieldText(p.name);
  const invalid = p.issues.length > 0;
  return (
    <div class="setup-field">
      <label class="field">
        <span>{p.label ?? text.label}</span>
        <input
          data-testid={`field-${p.name}`}
          name={p.name}
          value={p.value}
          placeholder={p.placeholder ?? text.placeholder}
          inputMode={p.inputMode}
          class={p.monospace ? "mono" : undefined}
          spellcheck={false}
          autocomplete="off"
          autocapitalize="off"
          aria-invalid={invalid}
          aria-describedby={invalid ? `issue-${p.name}` : undefined}
          onInput={(e) => p.onInput((e.currentTarget as HTMLInputElement).value)}
          onBlur={p.onBlur}
        />
      </label>
      {text.hint && <p class="hint">{text.hint}</p>}
      <Issues field={p.name} issues={p.issues} />
    </div>
  );
}

/** A Copy button that says "Copied" once the text is on the clipboard. */
export function CopyButton({ text, copy, testId }: { text: string; copy: (text: string) => Promise<void>; testId: string }) {
  const t = useT();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const onClick = () =>
    copy(text).then(
      () => setState("copied"),
      () => setState("failed"),
    );
  return (
    <button type="button" class="btn btn-small" data-testid={testId} onClick={onClick}>
      {state === "copied" ? t("common.copied") : t("common.copy")}
    </button>
  );
}
