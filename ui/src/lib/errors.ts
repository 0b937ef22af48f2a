import type { IpcError } from "../bindings/IpcError";

export type { IpcError };

/** Anything a promise rejected with → an IpcError (Tauri itself may reject with a string). */
export function toIpcError(err: unknown): IpcError {
  if (err && typeof err === "object") {
    const o = err as Record<string, unknown>;
    if (typeof o.code === "string") {
      return { code: o.code, message: typeof o.message === "string" ? o.message : o.code };
    }
    if (err instanceof Error) return { code: "ui.error", message: err.message };
  }
  if (typeof err === "string") return { code: "ipc.error", message: err };
  return { code: "ui.error", message: String(err) };
}

/** Codes after which the user has to sign in again. */
const REAUTH_CODES = new Set(["auth.not_signed_in", "auth.session_expired", "s3.expired_credentials"]);

export function needsReauth(err: IpcError): boolean {
  return REAUTH_CODES.has(err.code);
}

export interface ErrorView {
  /** What to show. */
  text: string;
  /** Show a "Sign in again" button. */
  reauth: boolean;
}

/** How the UI presents an error: decided by `code`, never by the message text. */
export function describeError(err: IpcError, prefix?: string | null): ErrorView {
  switch (err.code) {
    case "auth.not_signed_in":
      return { text: "You are not signed in.", reauth: true };
    case "auth.session_expired":
      return { text: "Your session has expired.", reauth: true };
    case "s3.expired_credentials":
      return { text: "Your storage credentials have expired.", reauth: true };
    case "s3.access_denied":
      return {
        text: prefix
          ? `Access denied. Your access is limited to your own folder (${prefix}).`
          : "Access denied. Your access is limited to your own folder.",
        reauth: false,
      };
    case "path.invalid":
      return { text: err.message, reauth: false };
    case "local.not_chosen":
      return {
        text: "Kura only reads and writes files and folders you choose in its dialogs or drop on its window, and each choice is used once. Choose them again.",
        reauth: false,
      };
    case "auth.timeout":
      return { text: "The sign-in took too long and timed out. Please try again.", reauth: false };
    case "auth.cancelled":
      return { text: "Sign-in was cancelled.", reauth: false };
    case "auth.state_mismatch":
      return {
        text: "The browser's answer did not match this sign-in (perhaps an older attempt). Please try again.",
        reauth: false,
      };
    case "auth.loopback_port_in_use":
      return {
        text: "The sign-in port set for this connection is in use by another program. Close that program, or choose another port in the connection's settings (and register it at the provider).",
        reauth: false,
      };
    case "auth.invalid_scope":
      return {
        text: "The identity provider refused the requested scopes. For an Amazon Cognito user pool, edit the connection with the Cognito preset (it does not ask for offline_access).",
        reauth: false,
      };
    case "auth.provider":
      return { text: `The identity provider refused the sign-in: ${err.message}`, reauth: false };
    case "transfer.checksum_mismatch":
      return {
        text: "The downloaded data did not match the checksum stored with the file, so nothing was saved. Try again.",
        reauth: false,
      };
    case "console.federation":
      return { text: `AWS did not let this session into the console: ${err.message}`, reauth: false };
    case "console.endpoint":
      return {
        text: "Kura does not know the AWS console sign-in address for this connection's partition; set federation_endpoint in the connection.",
        reauth: false,
      };
    case "console.browser":
      return { text: "Could not open the browser for the AWS console. Is a default browser set?", reauth: false };
    case "auth.provider_unavailable":
      return {
        text: "The identity provider cannot be reached right now. You are still signed in; try again in a moment.",
        reauth: false,
      };
    case "sts.unavailable":
      return {
        text: "AWS cannot renew your storage credentials right now. You are still signed in; try again in a moment.",
        reauth: false,
      };
    case "s3.unavailable":
      return {
        text: "The storage service is busy or unavailable. Nothing was lost; try again in a moment.",
        reauth: false,
      };
    case "cognito.refused":
      return {
        text: "The identity pool did not accept this sign-in. Check the connection's identity pool and provider name with your administrator.",
        reauth: false,
      };
    case "cognito.not_found":
      return {
        text: "The identity pool was not found. Check the identity pool ID (it starts with its region) in the connection's settings.",
        reauth: false,
      };
    case "cognito.failed":
      return { text: `The identity pool could not give credentials: ${err.message}`, reauth: false };
    case "local.symlink":
      return {
        text: "A folder or file in the download location is a link; Kura does not follow links out of the chosen folder, so this item was not saved.",
        reauth: false,
      };
    case "local.replaced":
      return {
        text: "Another program replaced a file in the download location while Kura was saving it; the item was not saved.",
        reauth: false,
      };
    case "sts.refused":
      return { text: `The storage service refused your credentials: ${err.message}`, reauth: false };
    default:
      return { text: err.message || err.code, reauth: false };
  }
}
