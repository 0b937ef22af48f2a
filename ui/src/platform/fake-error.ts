// The fake platform's errors: codes of the generated union, with the parameters Rust would send.
import type { ErrorCode } from "../bindings/ErrorCode";
import type { ErrorParams } from "../bindings/ErrorParams";
import type { IpcError } from "../bindings/IpcError";

export function ipcError(code: ErrorCode, message: string, params: ErrorParams = {}): IpcError {
  return { code, message, params };
}

/** `config.invalid` as the shell sends it for a refused setting: the profile, key and rule code. */
export function configError(profile: string, key: string | null, issue: string | null, message: string): IpcError {
  const params: ErrorParams = { profile, detail: message };
  if (key) params.key = key;
  if (issue) params.issue = issue;
  return ipcError("config.invalid", message, params);
}
