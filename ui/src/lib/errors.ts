// Errors from Rust arrive as { code, message, params }: `code` is one of the generated ErrorCode
// union (declared once in Rust, kura_core::ErrorCode), `params` what the wording needs. The
// English `message` is for logs; nothing here shows it. Every code is worded in the exhaustive
// switch of `errorText` from the catalogue (`errors.<code>` in i18n/<lang>/errors.json), so a
// code added in Rust fails `tsc` until it is worded here (and check:i18n until both languages
// have its key).
import type { ErrorCode } from "../bindings/ErrorCode";
import type { ErrorParams } from "../bindings/ErrorParams";
import type { IpcError } from "../bindings/IpcError";
import { t } from "../i18n";
import { placeholderText } from "./locations";
import { fieldLabel, issueText } from "./setup-text";

export type { ErrorCode, ErrorParams, IpcError };

/** An error of the UI's own (`ui.error`, `ipc.error`) with `detail` as its only parameter. */
function own(code: "ui.error" | "ipc.error", detail: string): IpcError {
  return { code, message: detail, params: detail ? { detail } : {} };
}

/** Anything a promise rejected with → an IpcError (Tauri itself may reject with a string). */
export function toIpcError(err: unknown): IpcError {
  if (err && typeof err === "object") {
    const o = err as Record<string, unknown>;
    if (typeof o.code === "string") {
      return {
        code: o.code as ErrorCode,
        message: typeof o.message === "string" ? o.message : o.code,
        params: o.params && typeof o.params === "object" ? (o.params as ErrorParams) : {},
      };
    }
    if (err instanceof Error) return own("ui.error", err.message);
  }
  if (typeof err === "string") return own("ipc.error", err);
  return own("ui.error", String(err));
}

/** Codes after which the user has to sign in again. */
const REAUTH_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["auth.not_signed_in", "auth.session_expired", "s3.expired_credentials"]);

export function needsReauth(err: IpcError): boolean {
  return REAUTH_CODES.has(err.code);
}

export interface ErrorView {
  /** What to show. */
  text: string;
  /** Show a "Sign in again" button. */
  reauth: boolean;
}

/** How the UI presents an error: decided by `code` and `params`, never by the message text. */
export function describeError(err: IpcError, prefix?: string | null): ErrorView {
  return { text: errorText(err, prefix), reauth: needsReauth(err) };
}

/** The `{{also}}` of a text: ` (detail)` in the UI's language, or nothing. */
function also(detail: string | undefined): string {
  return detail ? t("errors.detail", { detail }) : "";
}

/** The words for an error, by code with its parameters (the text of `describeError`). */
export function errorText(err: IpcError, prefix?: string | null): string {
  const p: ErrorParams = err.params ?? {};
  const code = err.code;
  switch (code) {
    case "config.invalid":
      if (p.issue && p.key) {
        return t("errors.config.invalid_field", {
          field: fieldLabel(p.key),
          issue: issueText({ field: p.key, code: p.issue, message: p.detail ?? "" }),
        });
      }
      return p.profile
        ? t("errors.config.invalid_profile", { profile: p.profile, also: also(p.detail) })
        : t("errors.config.invalid", { also: also(p.detail) });
    case "path.invalid":
      return t("errors.path.invalid", { path: p.path ?? "", also: also(p.detail) });
    case "path.unsafe_key":
      return t("errors.path.unsafe_key", { path: p.path ?? "", also: also(p.detail) });
    case "path.missing_claim": {
      const what = placeholderText(p.placeholder ?? null);
      return what ? t("errors.path.missing_claim_named", { what }) : t("errors.path.missing_claim");
    }
    case "path.unsafe_claim": {
      const what = placeholderText(p.placeholder ?? null);
      return what ? t("errors.path.unsafe_claim_named", { what }) : t("errors.path.unsafe_claim");
    }
    case "auth.not_signed_in":
      return t("errors.auth.not_signed_in");
    case "auth.session_expired":
      return t("errors.auth.session_expired");
    case "auth.state_mismatch":
      return t("errors.auth.state_mismatch");
    case "auth.bad_callback":
      return t("errors.auth.bad_callback");
    case "auth.timeout":
      return t("errors.auth.timeout");
    case "auth.denied":
      return t("errors.auth.denied", { also: also(p.detail) });
    case "auth.invalid_scope":
      return t("errors.auth.invalid_scope");
    case "auth.loopback_port_in_use":
      return t("errors.auth.loopback_port_in_use");
    case "auth.provider":
      return t("errors.auth.provider", { also: also(p.detail) });
    case "auth.provider_unavailable":
      return t("errors.auth.provider_unavailable");
    case "auth.invalid_id_token":
      return t("errors.auth.invalid_id_token", { also: also(p.detail) });
    case "auth.cancelled":
      return t("errors.auth.cancelled");
    case "auth.browser":
      return t("errors.auth.browser");
    case "sts.refused":
      return t("errors.sts.refused", { also: also(p.service_code) });
    case "sts.unavailable":
      return t("errors.sts.unavailable");
    case "cognito.refused":
      return t("errors.cognito.refused");
    case "cognito.not_found":
      return t("errors.cognito.not_found");
    case "cognito.failed":
      return t("errors.cognito.failed", { also: also(p.service_code ?? p.detail) });
    case "s3.access_denied":
      return prefix ? t("errors.s3.access_denied_prefix", { prefix }) : t("errors.s3.access_denied");
    case "s3.not_found":
      return p.path ? t("errors.s3.not_found_path", { path: p.path }) : t("errors.s3.not_found");
    case "s3.no_such_bucket":
      return t("errors.s3.no_such_bucket");
    case "s3.no_such_upload":
      return t("errors.s3.no_such_upload");
    case "s3.expired_credentials":
      return t("errors.s3.expired_credentials");
    case "s3.checksum_mismatch":
      return t("errors.s3.checksum_mismatch");
    case "s3.network":
      return t("errors.s3.network");
    case "s3.object_changed":
      return t("errors.s3.object_changed");
    case "s3.unavailable":
      return t("errors.s3.unavailable");
    case "s3.failed":
      return t("errors.s3.failed", { also: also(p.service_code ?? (p.status ? `HTTP ${p.status}` : undefined)) });
    case "console.federation":
      return t("errors.console.federation", { also: also(p.detail) });
    case "console.destination":
      return t("errors.console.destination");
    case "console.endpoint":
      return t("errors.console.endpoint");
    case "console.browser":
      return t("errors.console.browser");
    case "keychain.failed":
      return t("errors.keychain.failed", { also: also(p.detail) });
    case "local.io":
      return t("errors.local.io", { also: also(p.detail) });
    case "local.symlink":
      return t("errors.local.symlink");
    case "local.replaced":
      return t("errors.local.replaced");
    case "local.not_chosen":
      return t("errors.local.not_chosen");
    case "dialog.failed":
      return t("errors.dialog.failed");
    case "settings.io":
      return t("errors.settings.io", { also: also(p.detail) });
    case "transfer.checksum_mismatch":
      return t("errors.transfer.checksum_mismatch");
    case "transfer.conflict":
      return t("errors.transfer.conflict", { count: p.count ?? 0, path: p.path ?? "" });
    case "transfer.cancelled":
      return t("errors.transfer.cancelled");
    case "transfer.not_found":
      return t("errors.transfer.not_found");
    case "batch.partial": {
      const text = t("errors.batch.partial", { count: p.total ?? 0, failed: p.failed ?? 0 });
      return p.first ? text + t("errors.batch.first", { first: errorText(p.first, prefix) }) : text;
    }
    case "preview.unsupported":
      return t("errors.preview.unsupported");
    case "preview.mismatch":
      return t("errors.preview.mismatch");
    case "preview.too_large":
      return t("errors.preview.too_large");
    case "preview.not_utf8":
      return t("errors.preview.not_utf8");
    case "ipc.error":
      return t("errors.ipc.error", { also: also(p.detail) });
    case "ui.error":
      return t("errors.ui.error", { also: also(p.detail) });
    default: {
      // A code this build does not know (a newer shell): tsc refuses this line while any
      // generated code is unworded above.
      const unknown: never = code;
      return t("errors.unknown", { code: String(unknown) });
    }
  }
}
