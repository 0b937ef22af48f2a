import type { FieldIssue } from "../../bindings/FieldIssue";
import type { ProviderInput } from "../../bindings/ProviderInput";
import { providerFields, providerValue, type ProviderField } from "../../lib/drafts";
import { TextField } from "./Field";

export interface ProviderFieldsProps {
  input: ProviderInput;
  onChange: (field: ProviderField, text: string) => void;
  onBlur: (field: string) => void;
  issuesOf: (field: string) => FieldIssue[];
}

/** Only the chosen preset's fields (see `ProviderInput`). */
export function ProviderFields({ input, onChange, onBlur, issuesOf }: ProviderFieldsProps) {
  return (
    <>
      {providerFields(input.preset).map((f) => (
        <TextField
          key={`${input.preset}-${f}`}
          name={f}
          value={providerValue(input, f)}
          onInput={(v) => onChange(f, v)}
          onBlur={() => onBlur(f)}
          issues={issuesOf(f)}
          inputMode={f === "domain" || f.endsWith("url") || f === "issuer" ? "url" : "text"}
        />
      ))}
    </>
  );
}
