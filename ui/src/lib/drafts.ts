// The setup form's draft profile on the page side: empty drafts per preset, reading and writing
// a preset's own fields, the callback choice, and the name suggested from what was typed.
// The real rules live in Rust (kura_core::config::rules, kura_core::setup::preset).
import type { CredentialSource } from "../bindings/CredentialSource";
import type { Preset } from "../bindings/Preset";
import type { ProfileDraft } from "../bindings/ProfileDraft";
import type { ProviderInput } from "../bindings/ProviderInput";

/** The desktop app's own redirect URI (kura_core::config::rules::APP_REDIRECT_URI). */
export const APP_REDIRECT_URI = "app.kura.desktop:/callback";
/** The loopback redirect registered without a port (RFC 8252 §7.3: any port). */
export const LOOPBACK_REDIRECT_URI = "http://127.0.0.1/callback";
/** The loopback redirect on `localhost` without a port: Amazon Cognito takes plain http only there. */
export const LOCALHOST_REDIRECT_URI = "http://localhost/callback";
/** The fixed port a Cognito draft starts with (Cognito matches callback URLs exactly). */
export const DEFAULT_FIXED_PORT = 53682;
/** Default prefix template. */
export const DEFAULT_PREFIX = "users/{sub}/";
/** The prefix suggested for an identity pool (kura_core::setup::credentials::POOL_PREFIX). */
export const POOL_PREFIX = "cognito/{identity_id}/";

/** The presets in the order the setup screen offers them. */
export const PRESETS: Preset[] = ["auth0", "cognito", "keycloak", "okta", "entra", "generic"];

/** Providers that compare a loopback callback's port exactly, so the CLI needs a fixed one.
 * Amazon Cognito also takes plain http only on `localhost` (see `defaultRedirectUri`). */
export const FIXED_PORT_PRESETS: ReadonlySet<Preset> = new Set<Preset>(["auth0", "okta", "cognito"]);

/** A provider field of some preset (the names `FieldIssue.field` uses). */
export type ProviderField =
  | "domain"
  | "audience"
  | "pool_region"
  | "user_pool_id"
  | "base_url"
  | "realm"
  | "org_url"
  | "authorization_server"
  | "tenant_id"
  | "issuer"
  | "scopes";

/** Each preset's fields in form order; the second list holds the optional ones. */
const FIELDS: Record<Preset, { fields: ProviderField[]; optional: ProviderField[] }> = {
  auth0: { fields: ["domain", "audience"], optional: ["audience"] },
  cognito: { fields: ["pool_region", "user_pool_id"], optional: [] },
  keycloak: { fields: ["base_url", "realm"], optional: [] },
  okta: { fields: ["org_url", "authorization_server"], optional: ["authorization_server"] },
  entra: { fields: ["tenant_id"], optional: [] },
  generic: { fields: ["issuer", "scopes"], optional: ["scopes"] },
};

export function providerFields(p: Preset): ProviderField[] {
  return FIELDS[p].fields;
}

export function isOptionalField(p: Preset, f: ProviderField): boolean {
  return FIELDS[p].optional.includes(f);
}

export function emptyProvider(p: Preset): ProviderInput {
  switch (p) {
    case "auth0":
      return { preset: "auth0", domain: "", audience: null };
    case "cognito":
      return { preset: "cognito", pool_region: "", user_pool_id: "" };
    case "keycloak":
      return { preset: "keycloak", base_url: "", realm: "" };
    case "okta":
      return { preset: "okta", org_url: "", authorization_server: null };
    case "entra":
      return { preset: "entra", tenant_id: "" };
    case "generic":
      return { preset: "generic", issuer: "", scopes: null };
  }
}

/** The callback a new draft of a preset starts with: the app's own link, except for Amazon
 * Cognito (plain http only on localhost, exact match): `http://localhost:53682/callback`. */
export function defaultRedirectUri(p: Preset): string {
  return p === "cognito" ? `http://localhost:${DEFAULT_FIXED_PORT}/callback` : APP_REDIRECT_URI;
}

export function emptyDraft(p: Preset): ProfileDraft {
  return {
    name: "",
    provider: emptyProvider(p),
    client_id: "",
    redirect_uri: defaultRedirectUri(p),
    loopback_port: null,
    credentials: "role",
    role_arn: "",
    identity_pool_id: "",
    identity_provider: "",
    cognito_flow: "enhanced",
    cognito_endpoint: "",
    bucket: "",
    region: "",
    prefix: DEFAULT_PREFIX,
    s3_endpoint: "",
    sts_endpoint: "",
    force_path_style: false,
  };
}

/** The draft with another credential source; a default prefix follows it (`users/{sub}/` for a
 * role, `cognito/{identity_id}/` for an identity pool), a typed one stays. */
export function withCredentials(d: ProfileDraft, credentials: CredentialSource): ProfileDraft {
  const defaults: Record<CredentialSource, string> = { role: DEFAULT_PREFIX, identity_pool: POOL_PREFIX };
  const prefix = d.prefix.trim() === defaults[d.credentials] ? defaults[credentials] : d.prefix;
  return { ...d, credentials, prefix };
}

/** A provider field's text as the form shows it ("" for an unset optional; scopes space-separated). */
export function providerValue(input: ProviderInput, f: ProviderField): string {
  const v = (input as Record<string, unknown>)[f];
  if (Array.isArray(v)) return v.join(" ");
  return typeof v === "string" ? v : "";
}

/** `input` with field `f` set from the form's text (optional fields: blank → null). */
export function withProviderValue(input: ProviderInput, f: ProviderField, text: string): ProviderInput {
  if (!providerFields(input.preset).includes(f)) return input;
  let value: unknown = text;
  if (f === "scopes") {
    const list = text.split(/[\s,]+/).filter(Boolean);
    value = list.length ? list : null;
  } else if (isOptionalField(input.preset, f)) {
    value = text.trim() ? text : null;
  }
  return { ...input, [f]: value } as ProviderInput;
}

/** The callback choice: the app's scheme (with the CLI's optional fixed port), loopback on
 * 127.0.0.1 (recommended, RFC 8252 §8.3) or loopback on localhost (Amazon Cognito). */
export interface Callback {
  mode: "app" | "loopback" | "localhost";
  /** The fixed port as typed ("" = none). */
  port: string;
}

export function callbackOf(d: ProfileDraft): Callback {
  if (d.redirect_uri.startsWith("app.kura.desktop:")) {
    return { mode: "app", port: d.loopback_port == null ? "" : String(d.loopback_port) };
  }
  const m = /^http:\/\/(127\.0\.0\.1|localhost)(?::(\d+))?\//i.exec(d.redirect_uri.trim());
  const mode = m && m[1].toLowerCase() === "localhost" ? "localhost" : "loopback";
  return { mode, port: m?.[2] ?? "" };
}

/** A typed port → a port number, null for none, or "invalid" (not 1024–65535). */
export function parsePort(text: string): number | null | "invalid" {
  const t = text.trim();
  if (!t) return null;
  if (!/^\d+$/.test(t)) return "invalid";
  const n = Number(t);
  return n >= 1024 && n <= 65535 ? n : "invalid";
}

/** The draft with the callback choice applied (an invalid port is left out: see `parsePort`). */
export function withCallback(d: ProfileDraft, cb: Callback): ProfileDraft {
  const p = parsePort(cb.port);
  const port = p === "invalid" ? null : p;
  if (cb.mode === "app") return { ...d, redirect_uri: APP_REDIRECT_URI, loopback_port: port };
  const host = cb.mode === "localhost" ? "localhost" : "127.0.0.1";
  return {
    ...d,
    redirect_uri: port == null ? `http://${host}/callback` : `http://${host}:${port}/callback`,
    loopback_port: null,
  };
}

/** The host of a URL typed with or without a scheme ("" when there is none). */
export function hostOf(text: string): string {
  const t = text.trim();
  if (!t) return "";
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `https://${t}`).hostname;
  } catch {
    return "";
  }
}

/** Hosts whose first label is the tenant (`acme.eu.auth0.com` → `acme`). */
const TENANT_SUFFIXES = [".auth0.com", ".okta.com", ".oktapreview.com", ".okta-emea.com"];

function orgName(host: string): string {
  if (!host) return "";
  if (/^[\d.]+$/.test(host) || host === "localhost" || host.startsWith("[")) return "local";
  const labels = host.split(".");
  if (TENANT_SUFFIXES.some((s) => host.endsWith(s)) || labels.length < 2) return labels[0];
  // `acme.co.jp`, `acme.com.au`: skip a short second-level label under a country code.
  const n = labels.length;
  if (n >= 3 && labels[n - 1].length === 2 && labels[n - 2].length <= 3) return labels[n - 3];
  return labels[n - 2];
}

/** A profile name from what the preset's fields say (the tenant, realm, org…); "" when nothing yet. */
export function suggestName(input: ProviderInput): string {
  let raw = "";
  switch (input.preset) {
    case "auth0":
      raw = orgName(hostOf(input.domain));
      break;
    case "cognito": {
      const id = input.user_pool_id.trim();
      raw = id ? `cognito-${id.split("_").pop()}` : "";
      break;
    }
    case "keycloak":
      raw = input.realm.trim();
      break;
    case "okta":
      raw = orgName(hostOf(input.org_url));
      break;
    case "entra": {
      const t = input.tenant_id.trim();
      raw = t.includes(".") ? t.split(".")[0] : t ? "entra" : "";
      break;
    }
    case "generic":
      raw = orgName(hostOf(input.issuer));
      break;
  }
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 64);
}

/** True when two drafts ask the same provider (so a Check of one holds for the other). */
export function sameProvider(a: ProviderInput, b: ProviderInput): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
