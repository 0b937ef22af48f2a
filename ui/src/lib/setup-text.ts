// The setup screen's words that depend on a preset, a field or a stable code (from Rust:
// kura_core::config::rules, kura_core::setup), from the catalogue (i18n/<lang>/setup.json,
// setupChecks.json). Unknown codes fall back to the `message` Rust sent.
import type { FieldIssue } from "../bindings/FieldIssue";
import type { Finding } from "../bindings/Finding";
import type { Preset } from "../bindings/Preset";
import { i18n, t } from "../i18n";
import type { en } from "../i18n/resources";
import { formatList } from "./format";

export function presetLabel(p: Preset): string {
  return t(`setup.presets.${p}.label`);
}

export function presetBlurb(p: Preset): string {
  return t(`setup.presets.${p}.blurb`);
}

/** Example values shown in empty fields (the same in every language). */
const PLACEHOLDER: Record<string, string> = {
  domain: "acme.eu.auth0.com",
  audience: "https://files.acme.example",
  pool_region: "eu-west-1",
  user_pool_id: "eu-west-1_AbC123xyz",
  base_url: "https://sso.example.com",
  realm: "acme",
  org_url: "https://acme.okta.com",
  authorization_server: "default",
  issuer: "https://login.example.com/",
  scopes: "openid offline_access profile email",
  loopback_port: "53682",
  role_arn: "arn:aws:iam::123456789012:role/KuraUser",
  identity_pool_id: "us-east-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001",
  cognito_endpoint: "https://cognito-identity.us-east-1.amazonaws.com",
  bucket: "acme-files",
  region: "eu-central-1",
  s3_endpoint: "https://s3.example.com",
  sts_endpoint: "https://sts.example.com",
};

type FieldName = keyof typeof en.setup.fields;

function isField(field: string): field is FieldName {
  return i18n.exists(`setup.fields.${field}.label`);
}

export interface FieldText {
  label: string;
  placeholder?: string;
  hint?: string;
}

/** A form field's label, placeholder and hint (draft and provider fields, by name). */
export function fieldText(field: string): FieldText {
  if (!isField(field)) return { label: field };
  // Only some fields have a hint or a placeholder of their own: looked up when they exist.
  const hint = `setup.fields.${field}.hint`;
  const placeholder = `setup.fields.${field}.placeholder`;
  return {
    label: t(`setup.fields.${field}.label`),
    placeholder: i18n.exists(placeholder) ? t(placeholder as "setup.fields.tenant_id.placeholder") : PLACEHOLDER[field],
    hint: i18n.exists(hint) ? t(hint as "setup.fields.name.hint") : undefined,
  };
}

export function fieldLabel(field: string): string {
  return fieldText(field).label;
}

/** "2 fields still need attention: Client ID, Bucket." */
export function pendingText(fields: string[]): string {
  return t("setup.screen.pending", { count: fields.length, fields: formatList(fields.map(fieldLabel)) });
}

/** Field issue codes with words of their own (`setupChecks.issues.<code>`). */
const ISSUE_CODES = [
  "required",
  "name.taken",
  "name.invalid",
  "url.invalid",
  "url.https_required",
  "url.scheme",
  "redirect.invalid",
  "redirect.foreign_scheme",
  "redirect.not_loopback",
  "redirect.path",
  "port.invalid",
  "role_arn.invalid",
  "bucket.invalid",
  "region.invalid",
  "prefix.invalid",
  "prefix.unknown_placeholder",
  "prefix.identity_id_without_pool",
  "identity_pool_id.invalid",
  "identity_provider.invalid",
  "cognito_flow.invalid",
  "scopes.invalid",
  "scopes.no_openid",
] as const;
type IssueCode = (typeof ISSUE_CODES)[number];

/** A field issue in words, by code. */
export function issueText(issue: FieldIssue): string {
  const code = ISSUE_CODES.find((c) => c === issue.code);
  return code ? t(`setupChecks.issues.${code satisfies IssueCode}`) : issue.message || issue.code;
}

function p(f: Finding, key: string): string {
  return f.params[key] ?? "";
}

/** A Check finding in words, by code with its parameters. */
export function findingText(f: Finding): string {
  switch (f.code) {
    case "check.unreachable":
      return p(f, "detail") ? t("setupChecks.findings.unreachableDetail", { detail: p(f, "detail") }) : t("setupChecks.findings.unreachable");
    case "check.http_status":
      return t("setupChecks.findings.httpStatus", { status: p(f, "status") });
    case "check.not_discovery":
      return p(f, "detail") ? t("setupChecks.findings.notDiscoveryDetail", { detail: p(f, "detail") }) : t("setupChecks.findings.notDiscovery");
    case "check.issuer_mismatch":
      return t("setupChecks.findings.issuerMismatch", { found: p(f, "found"), expected: p(f, "expected") });
    case "check.no_s256":
      return p(f, "methods") ? t("setupChecks.findings.noS256Methods", { methods: p(f, "methods") }) : t("setupChecks.findings.noS256");
    case "check.s256_unadvertised":
      return t("setupChecks.findings.s256Unadvertised");
    case "check.no_refresh":
      return t("setupChecks.findings.noRefresh");
    case "check.offline_access_unsupported":
      return t("setupChecks.findings.offlineAccessUnsupported");
    case "check.no_device_endpoint":
      return t("setupChecks.findings.noDeviceEndpoint");
    case "check.no_jwks":
      return t("setupChecks.findings.noJwks");
    default:
      return f.message || f.code;
  }
}

/** "Sign in to work (sso.example.com)", or without the host when there is none. */
export function signInToText(name: string, host: string): string {
  return host ? t("app.switcher.signInToHost", { name, host }) : t("app.switcher.signInTo", { name });
}
