/// <reference types="vite/client" />
import { afterEach, describe, expect, it } from "vitest";
import generated from "../bindings/ErrorCode.ts?raw";
import { applyLanguage, LANGUAGES } from "../i18n";
import { describeError, errorText, needsReauth, toIpcError, type ErrorCode, type ErrorParams, type IpcError } from "../lib/errors";

/** Every member of the generated union, read from the generated file itself. */
const CODES = [...generated.matchAll(/"([a-z0-9_.]+)"/g)].map((m) => m[1] as ErrorCode);

const e = (code: ErrorCode, params: ErrorParams = {}, message = "English from Rust"): IpcError => ({ code, message, params });

/** Every parameter set, as Rust could send it. */
const ALL_PARAMS: ErrorParams = {
  profile: "work",
  file: "/home/a/.config/kura/config.toml",
  key: "bucket",
  path: "docs/a.txt",
  placeholder: "{tag:tenant}",
  value: "..",
  issuer: "https://idp.example/",
  role_arn: "arn:aws:iam::123456789012:role/KuraUser",
  identity_pool: "us-east-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001",
  operation: "PutObject",
  service_code: "AccessDenied",
  status: 403,
  host: "127.0.0.1",
  port: 47180,
  endpoint: "https://signin.aws.amazon.com/federation",
  partition: "aws-xx",
  destination: "ftp://x",
  count: 2,
  failed: 1,
  total: 3,
  first: e("s3.not_found", { path: "docs/b.txt" }),
  detail: "the provider said no",
};

afterEach(() => applyLanguage("en"));

describe("error codes", () => {
  it("reads the generated union", () => {
    expect(CODES.length).toBeGreaterThan(40);
    for (const c of ["auth.not_signed_in", "s3.access_denied", "local.not_chosen", "ui.error", "ipc.error"]) expect(CODES).toContain(c);
  });

  it("words every code in every language, with and without parameters, never with the message", () => {
    for (const lang of LANGUAGES) {
      applyLanguage(lang);
      const unknown = errorText(e("brand.new" as ErrorCode));
      for (const code of CODES) {
        for (const params of [{}, ALL_PARAMS]) {
          const text = describeError(e(code, params, "MESSAGE-FROM-RUST"), "users/u/").text;
          expect(text.trim(), `${lang} ${code}`).not.toBe("");
          expect(text, `${lang} ${code}`).not.toContain("MESSAGE-FROM-RUST");
          expect(text, `${lang} ${code}`).not.toMatch(/undefined|\{\{|errors\./);
          expect(text, `${lang} ${code}`).not.toBe(unknown);
        }
      }
    }
  });

  it("words Japanese in Japanese", () => {
    applyLanguage("ja");
    expect(errorText(e("auth.not_signed_in"))).toBe("サインインしていません。");
    expect(errorText(e("s3.not_found", { path: "docs/a.txt" }))).toBe("「docs/a.txt」は存在しません。");
    expect(errorText(e("local.io", { detail: "EACCES" }))).toContain("(EACCES)");
    expect(errorText(e("transfer.conflict", { count: 3, path: "a.txt" }))).toContain("3 件");
  });

  it("mentions no kura command line", () => {
    for (const lang of LANGUAGES) {
      applyLanguage(lang);
      for (const code of CODES) {
        for (const params of [{}, ALL_PARAMS]) {
          const text = errorText(e(code, params, "run `kura login`"));
          expect(text, `${lang} ${code}`).not.toMatch(/\bkura [a-z-]+|`kura/);
        }
      }
    }
  });

  it("a code this build does not know still gets words", () => {
    expect(errorText(e("brand.new" as ErrorCode))).toBe("Something went wrong (brand.new).");
  });
});

describe("errors by code", () => {
  it("asks to sign in again for session codes only", () => {
    for (const code of CODES) {
      const reauth = ["auth.not_signed_in", "auth.session_expired", "s3.expired_credentials"].includes(code);
      expect(needsReauth(e(code)), code).toBe(reauth);
      expect(describeError(e(code)).reauth, code).toBe(reauth);
    }
  });

  it("explains the prefix rule on access denied, whatever the message says", () => {
    const v = describeError(e("s3.access_denied", { path: "x" }, "Sign in again"), "users/auth0|a/");
    expect(v.text).toContain("users/auth0|a/");
    expect(v.reauth).toBe(false);
  });

  it("says a corrupted download saved nothing", () => {
    const v = describeError(e("transfer.checksum_mismatch", { path: "k" }, "k: CRC64NVME a, got b"));
    expect(v.text).toMatch(/did not match the checksum.*nothing was saved/);
    expect(v.reauth).toBe(false);
  });

  it("words the provider-fit sign-in codes without the CLI's advice", () => {
    const port = describeError(e("auth.loopback_port_in_use", { host: "127.0.0.1", port: 47180 }, "run `kura login` after freeing 47180"));
    expect(port.text).toMatch(/port set for this connection is in use/);
    expect(port.text).not.toContain("kura");
    expect(describeError(e("auth.invalid_scope")).text).toMatch(/Cognito preset/);
  });

  it("words transient outages as such, without a sign-in button", () => {
    for (const code of ["auth.provider_unavailable", "sts.unavailable", "s3.unavailable"] as const) {
      const v = describeError(e(code, {}, "dispatch failure"));
      expect(v.reauth).toBe(false);
      expect(v.text).toMatch(/try again in a moment/);
    }
  });

  it("words identity pool and download-safety codes without config keys", () => {
    const refused = describeError(e("cognito.refused", { identity_pool: "us-east-1:x" }, "check identity_pool_id in the profile"));
    expect(refused.text).toMatch(/identity pool did not accept/);
    expect(refused.text).not.toContain("identity_pool_id");
    expect(describeError(e("cognito.not_found")).text).toMatch(/not found/);
    expect(describeError(e("local.symlink", { path: "/d/link" })).text).toMatch(/does not follow links/);
    expect(describeError(e("local.replaced")).text).toMatch(/replaced a file/);
  });

  it("uses the parameters: the provider's words, the object, the placeholder, the first failure", () => {
    expect(errorText(e("auth.provider", { issuer: "https://idp/", detail: "user is blocked" }))).toContain("user is blocked");
    expect(errorText(e("s3.not_found", { path: "docs/gone.txt" }))).toContain("docs/gone.txt");
    expect(errorText(e("path.missing_claim", { placeholder: "{tag:tenant}" }))).toContain("'tenant' tag");
    expect(errorText(e("sts.refused", { service_code: "InvalidIdentityToken" }))).toContain("InvalidIdentityToken");
    const partial = errorText(e("batch.partial", { failed: 2, total: 5, first: e("local.symlink", { path: "/d/l" }) }));
    expect(partial).toMatch(/^2 of 5 items failed\. First: .*does not follow links/);
  });

  it("words a refused setting by its field and rule", () => {
    const taken = errorText(e("config.invalid", { profile: "work", key: "name", issue: "name.taken", detail: "a profile of this name exists" }));
    expect(taken).toBe("Connection name: A connection with this name already exists; choose another name.");
    const broken = errorText(e("config.invalid", { detail: "not valid TOML: expected '='" }));
    expect(broken).toBe("Kura's configuration has a problem (not valid TOML: expected '=').");
  });
});

describe("toIpcError", () => {
  it("keeps a Kura error's code, message and parameters", () => {
    const err = { code: "s3.not_found", message: "S3 GetObject failed", params: { path: "a.txt" } };
    expect(toIpcError(err)).toEqual(err);
    expect(toIpcError({ code: "auth.timeout", message: "m" })).toEqual({ code: "auth.timeout", message: "m", params: {} });
  });

  it("maps other rejections to codes of the union", () => {
    expect(toIpcError("command not found")).toEqual({ code: "ipc.error", message: "command not found", params: { detail: "command not found" } });
    expect(toIpcError(new TypeError("x is undefined"))).toMatchObject({ code: "ui.error", params: { detail: "x is undefined" } });
    expect(toIpcError(42)).toMatchObject({ code: "ui.error", params: { detail: "42" } });
    for (const odd of ["boom", new Error("bad"), null, 7]) expect(CODES).toContain(toIpcError(odd).code);
  });
});
