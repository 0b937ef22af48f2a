import { describe, expect, it } from "vitest";
import {
  APP_REDIRECT_URI,
  callbackOf,
  emptyDraft,
  parsePort,
  suggestName,
  withCallback,
  withProviderValue,
} from "../lib/drafts";
import { findingText, issueText } from "../lib/setup-text";
import { callbackUrls, validateDraft } from "../platform/fake-setup";

describe("drafts", () => {
  it("suggests a profile name from each preset's fields", () => {
    expect(suggestName({ preset: "auth0", domain: "acme.eu.auth0.com", audience: null })).toBe("acme");
    expect(suggestName({ preset: "auth0", domain: "https://login.acme.co.jp", audience: null })).toBe("acme");
    expect(suggestName({ preset: "auth0", domain: "login.example.com", audience: null })).toBe("example");
    expect(suggestName({ preset: "cognito", pool_region: "eu-west-1", user_pool_id: "eu-west-1_AbC123" })).toBe("cognito-abc123");
    expect(suggestName({ preset: "keycloak", base_url: "https://sso.example.com", realm: "Staff Realm" })).toBe("staff-realm");
    expect(suggestName({ preset: "okta", org_url: "https://acme.okta.com", authorization_server: null })).toBe("acme");
    expect(suggestName({ preset: "entra", tenant_id: "contoso.onmicrosoft.com" })).toBe("contoso");
    expect(suggestName({ preset: "generic", issuer: "http://127.0.0.1:9400/", scopes: null })).toBe("local");
    expect(suggestName({ preset: "generic", issuer: "", scopes: null })).toBe("");
  });

  it("a Cognito draft starts on localhost with a fixed port; the others on the app's link", () => {
    expect(emptyDraft("cognito")).toMatchObject({ redirect_uri: "http://localhost:53682/callback", loopback_port: null });
    expect(callbackOf(emptyDraft("cognito"))).toEqual({ mode: "localhost", port: "53682" });
    for (const p of ["auth0", "keycloak", "okta", "entra", "generic"] as const) expect(emptyDraft(p).redirect_uri).toBe(APP_REDIRECT_URI);
  });

  it("maps the callback choice onto redirect_uri and loopback_port, and back", () => {
    const d = emptyDraft("okta");
    expect(withCallback(d, { mode: "app", port: "53682" })).toMatchObject({ redirect_uri: APP_REDIRECT_URI, loopback_port: 53682 });
    expect(withCallback(d, { mode: "loopback", port: "" })).toMatchObject({ redirect_uri: "http://127.0.0.1/callback", loopback_port: null });
    const fixed = withCallback(d, { mode: "loopback", port: "8765" });
    expect(fixed).toMatchObject({ redirect_uri: "http://127.0.0.1:8765/callback", loopback_port: null });
    expect(callbackOf(fixed)).toEqual({ mode: "loopback", port: "8765" });
    expect(callbackOf({ ...d, redirect_uri: "" })).toEqual({ mode: "loopback", port: "" });
    expect(callbackOf({ ...d, loopback_port: 4000 })).toEqual({ mode: "app", port: "4000" });
    // Loopback on localhost (Amazon Cognito).
    const local = withCallback(d, { mode: "localhost", port: "47190" });
    expect(local).toMatchObject({ redirect_uri: "http://localhost:47190/callback", loopback_port: null });
    expect(callbackOf(local)).toEqual({ mode: "localhost", port: "47190" });
    expect(withCallback(d, { mode: "localhost", port: "" }).redirect_uri).toBe("http://localhost/callback");
    expect(callbackOf({ ...d, redirect_uri: "http://localhost/callback" })).toEqual({ mode: "localhost", port: "" });
    expect(parsePort("80")).toBe("invalid");
    expect(parsePort("70000")).toBe("invalid");
    expect(parsePort("12ab")).toBe("invalid");
    expect(parsePort(" ")).toBeNull();
  });

  it("sets provider fields: blank optionals become null, scopes a list", () => {
    const a = withProviderValue({ preset: "auth0", domain: "x", audience: "api" }, "audience", "  ");
    expect(a).toEqual({ preset: "auth0", domain: "x", audience: null });
    const g = withProviderValue({ preset: "generic", issuer: "https://x/", scopes: null }, "scopes", "openid  email");
    expect(g).toEqual({ preset: "generic", issuer: "https://x/", scopes: ["openid", "email"] });
    // A field of another preset is ignored.
    expect(withProviderValue({ preset: "entra", tenant_id: "t" }, "realm", "r")).toEqual({ preset: "entra", tenant_id: "t" });
  });
});

describe("setup text", () => {
  it("words known codes and falls back to Rust's message for unknown ones", () => {
    expect(issueText({ field: "bucket", code: "bucket.invalid", message: "x" })).toContain("3–63");
    expect(issueText({ field: "user_pool_id", code: "user_pool_id.invalid", message: "looks like eu-west-1_AbC" })).toBe(
      "looks like eu-west-1_AbC",
    );
    expect(findingText({ code: "check.http_status", severity: "error", params: { status: "404" }, message: "" })).toContain("HTTP 404");
    expect(findingText({ code: "check.new_thing", severity: "warning", params: {}, message: "Rust says" })).toBe("Rust says");
  });
});

describe("fake validation", () => {
  it("approximates the rules: https, Cognito pool IDs, names taken", () => {
    const base = { ...emptyDraft("generic"), name: "x", client_id: "c", role_arn: "arn:aws:iam::1:role/R", bucket: "b-1", region: "eu-west-1" };
    const codes = (d: typeof base, taken: string[] = [], replacing: string | null = null) =>
      validateDraft(d, taken, replacing).map((i) => `${i.field}:${i.code}`);
    expect(codes({ ...base, provider: { preset: "generic", issuer: "http://idp.example.com/", scopes: null } })).toEqual(["issuer:url.https_required"]);
    expect(codes({ ...base, provider: { preset: "generic", issuer: "http://127.0.0.1:9400/", scopes: null } })).toEqual([]);
    expect(codes({ ...base, provider: { preset: "cognito", pool_region: "eu-west-1", user_pool_id: "nope" } })).toEqual([
      "user_pool_id:user_pool_id.invalid",
    ]);
    const ok = { ...base, provider: { preset: "generic" as const, issuer: "https://idp.example.com/", scopes: null } };
    expect(codes(ok, ["x"])).toEqual(["name:name.taken"]);
    expect(codes(ok, ["x"], "x")).toEqual([]);
    // Loopback callbacks on 127.0.0.1 or localhost only.
    expect(codes({ ...ok, redirect_uri: "http://localhost:47190/callback" })).toEqual([]);
    expect(codes({ ...ok, redirect_uri: "http://[::1]:47190/callback" })).toEqual(["redirect_uri:redirect.not_loopback"]);
    expect(codes({ ...ok, redirect_uri: "http://localhost:47190/cb" })).toEqual(["redirect_uri:redirect.path"]);
  });

  it("lists a Cognito draft's localhost callback exactly, also as the CLI's beside the app's link", () => {
    const cognito = {
      ...emptyDraft("cognito"),
      provider: { preset: "cognito" as const, pool_region: "eu-west-1", user_pool_id: "eu-west-1_AbC123" },
    };
    expect(callbackUrls(cognito)).toEqual(["http://localhost:53682/callback"]);
    expect(callbackUrls({ ...cognito, redirect_uri: APP_REDIRECT_URI, loopback_port: 47190 })).toEqual([
      APP_REDIRECT_URI,
      "http://localhost:47190/callback",
    ]);
    expect(callbackUrls({ ...emptyDraft("okta"), provider: { preset: "okta", org_url: "acme.okta.com", authorization_server: null } })).toEqual([
      APP_REDIRECT_URI,
      "http://127.0.0.1/callback",
    ]);
  });
});
