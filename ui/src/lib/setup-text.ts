// Every English text of the setup screen, profile switcher and import, keyed by preset, field or
// stable code, in one place so it can move to a message catalogue (issue 11). Codes come from
// Rust (kura_core::config::rules, kura_core::setup); unknown codes fall back to the English
// `message` Rust sent.
import type { FieldIssue } from "../bindings/FieldIssue";
import type { Finding } from "../bindings/Finding";
import type { IpcError } from "../bindings/IpcError";
import type { Preset } from "../bindings/Preset";

export const PRESET_LABEL: Record<Preset, string> = {
  auth0: "Auth0",
  cognito: "Amazon Cognito user pool",
  keycloak: "Keycloak",
  okta: "Okta",
  entra: "Microsoft Entra ID",
  generic: "Generic OpenID Connect",
};

export const PRESET_BLURB: Record<Preset, string> = {
  auth0: "Your Auth0 tenant or custom domain",
  cognito: "A user pool's region and ID",
  keycloak: "A Keycloak server and realm",
  okta: "Your Okta org and authorization server",
  entra: "Your directory (tenant) ID",
  generic: "Any provider, by its issuer URL",
};

interface FieldText {
  label: string;
  placeholder?: string;
  hint?: string;
}

/** Labels, placeholders and hints of every form field (draft and provider fields). */
export const FIELD_TEXT: Record<string, FieldText> = {
  name: { label: "Connection name", hint: "How this connection appears in Kura (and for kura --profile on the command line)." },
  domain: { label: "Tenant domain", placeholder: "acme.eu.auth0.com", hint: "Your Auth0 tenant or custom domain." },
  audience: {
    label: "API audience (optional)",
    placeholder: "https://files.acme.example",
    hint: "Only if your administrator gave you an API identifier.",
  },
  pool_region: { label: "User pool region", placeholder: "eu-west-1" },
  user_pool_id: { label: "User pool ID", placeholder: "eu-west-1_AbC123xyz" },
  base_url: { label: "Server URL", placeholder: "https://sso.example.com", hint: "Older Keycloak versions end in /auth." },
  realm: { label: "Realm", placeholder: "acme" },
  org_url: { label: "Org URL", placeholder: "https://acme.okta.com" },
  authorization_server: { label: "Authorization server (optional)", placeholder: "default" },
  tenant_id: { label: "Directory (tenant) ID", placeholder: "00000000-0000-0000-0000-000000000000 or acme.onmicrosoft.com" },
  issuer: {
    label: "Issuer URL",
    placeholder: "https://login.example.com/",
    hint: "Exactly as in the provider's tokens (a trailing slash matters).",
  },
  scopes: { label: "Scopes (optional)", placeholder: "openid offline_access profile email" },
  client_id: { label: "Client ID", hint: "The native app your administrator registered for Kura." },
  redirect_uri: { label: "Sign-in callback" },
  loopback_port: { label: "Fixed port (optional)", placeholder: "53682" },
  credentials: { label: "Credentials from" },
  role_arn: { label: "Role ARN", placeholder: "arn:aws:iam::123456789012:role/KuraUser" },
  identity_pool_id: { label: "Identity pool ID", placeholder: "us-east-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001" },
  identity_provider: {
    label: "Provider name in the pool (optional)",
    hint: "How the identity pool lists your sign-in provider. Leave empty for the name shown.",
  },
  cognito_flow: { label: "Authentication flow" },
  cognito_endpoint: { label: "Cognito Identity endpoint", placeholder: "https://cognito-identity.us-east-1.amazonaws.com" },
  bucket: { label: "Bucket", placeholder: "acme-files" },
  region: { label: "Region", placeholder: "eu-central-1" },
  prefix: {
    label: "Folder per person",
    hint: "{sub} becomes the signed-in person's ID; {identity_id} their identity ID in a Cognito identity pool.",
  },
  s3_endpoint: { label: "S3 endpoint", placeholder: "https://s3.example.com" },
  sts_endpoint: { label: "STS endpoint", placeholder: "https://sts.example.com" },
  force_path_style: { label: "Path-style addressing (bucket in the path)" },
};

export function fieldLabel(field: string): string {
  return FIELD_TEXT[field]?.label ?? field;
}

export const CREDENTIALS_TEXT = {
  role: "An IAM role",
  identityPool: "An Amazon Cognito identity pool",
  enhanced: "Enhanced: the pool chooses the role",
  basic: "Basic: Kura assumes the role below",
  roleOptionalLabel: "Role ARN (optional)",
  roleOptionalHint: "Only to ask for one of several roles the pool offers; empty: the pool's authenticated role.",
  roleBasicHint: "The basic flow assumes this role with the identity pool's token.",
  customEndpoint: "Custom Cognito Identity endpoint (not AWS)",
};

export const CALLBACK_TEXT = {
  app: "The app's own link (app.kura.desktop:/callback)",
  loopback: "Loopback (http://127.0.0.1)",
  localhost: "Loopback on localhost (Amazon Cognito)",
  appPortLabel: "Fixed port for the kura command line (optional)",
  loopbackPortLabel: "Fixed port (optional)",
  fixedPortNote: "Auth0, Okta and Amazon Cognito match the callback's port exactly: give them a fixed port.",
  fixedPortNeeded: (provider: string) => `${provider} matches the callback's port exactly: set a fixed port and register that URL.`,
  localhostNeeded: "Amazon Cognito refuses http://127.0.0.1 callbacks: choose “Loopback on localhost” and register http://localhost:PORT/callback.",
};

/** A field issue in words, by code. */
export function issueText(issue: FieldIssue): string {
  switch (issue.code) {
    case "required":
      return "Required.";
    case "name.taken":
      return "A connection with this name already exists; choose another name.";
    case "name.invalid":
      return "Use 1–64 letters, digits, “_”, “-” or “.”.";
    case "url.invalid":
      return "This is not a valid URL.";
    case "url.https_required":
      return "Use https:// (plain http:// is only allowed for 127.0.0.1 or localhost).";
    case "url.scheme":
      return "Use an https:// URL.";
    case "redirect.invalid":
      return "This is not a valid callback URL.";
    case "redirect.foreign_scheme":
      return "Kura only receives callbacks on app.kura.desktop:/callback.";
    case "redirect.not_loopback":
      return "A web callback must be http://127.0.0.1[:PORT]/callback (or http://localhost[:PORT]/callback where the provider requires it).";
    case "redirect.path":
      return "A loopback callback's path must be /callback.";
    case "port.invalid":
      return "Use a port number from 1024 to 65535.";
    case "role_arn.invalid":
      return "Use an IAM role ARN like arn:aws:iam::123456789012:role/KuraUser.";
    case "bucket.invalid":
      return "Bucket names have 3–63 lowercase letters, digits, “.” or “-”, and start and end with a letter or digit.";
    case "region.invalid":
      return "Use a region name like eu-central-1.";
    case "prefix.invalid":
      return "Must end with “/”, not start with “/”, and have no empty, “.” or “..” folders or unclosed braces.";
    case "prefix.unknown_placeholder":
      return "Use only the placeholders {sub}, {identity_id}, {claim:NAME} and {tag:KEY}.";
    case "prefix.identity_id_without_pool":
      return "{identity_id} is an Amazon Cognito identity ID: choose an identity pool under Credentials, or use {sub}.";
    case "identity_pool_id.invalid":
      return "Use an identity pool ID like us-east-1:0b5a3b7e-5d0c-4c8e-9a7a-6b7572610001 (region, colon, ID).";
    case "identity_provider.invalid":
      return "Use the provider's name as the pool lists it, without https:// or spaces (e.g. acme.auth0.com).";
    case "cognito_flow.invalid":
      return "Choose the enhanced or the basic flow.";
    case "scopes.invalid":
      return "Separate scopes with spaces.";
    case "scopes.no_openid":
      return "Include openid: Kura needs an ID token.";
    default:
      return issue.message || issue.code;
  }
}

function p(f: Finding, key: string): string {
  return f.params[key] ?? "";
}

/** A Check finding in words, by code with its parameters. */
export function findingText(f: Finding): string {
  switch (f.code) {
    case "check.unreachable":
      return `Kura could not reach the provider${p(f, "detail") ? ` (${p(f, "detail")})` : ""}. Check the address and your network.`;
    case "check.http_status":
      return `The provider answered with HTTP ${p(f, "status")} instead of its OpenID configuration. Check the address.`;
    case "check.not_discovery":
      return `The address answered, but not with an OpenID configuration${p(f, "detail") ? ` (${p(f, "detail")})` : ""}.`;
    case "check.issuer_mismatch":
      return `The provider calls itself ${p(f, "found")}, not ${p(f, "expected")}. Sign-in would fail: correct the address.`;
    case "check.no_s256":
      return `The provider does not offer PKCE with S256${p(f, "methods") ? ` (only ${p(f, "methods")})` : ""}; Kura requires it.`;
    case "check.s256_unadvertised":
      return "The provider does not say it supports PKCE (S256). Sign-in may still work.";
    case "check.no_refresh":
      return "The provider does not offer refresh tokens: you will have to sign in again each time your credentials expire.";
    case "check.offline_access_unsupported":
      return "The provider does not list the offline_access scope that Kura asks for to stay signed in.";
    case "check.no_device_endpoint":
      return "The provider has no device sign-in: “kura login --device” will not work (signing in with the browser does).";
    case "check.no_jwks":
      return "The provider publishes no signing keys (jwks_uri), so Kura cannot verify its tokens.";
    default:
      return f.message || f.code;
  }
}

export const CHECK_TEXT = {
  button: "Check",
  running: "Checking…",
  passed: "The provider has everything Kura needs.",
  passedWithWarnings: "Sign-in will work, with these remarks:",
  failed: "Kura cannot sign in with this provider as set up:",
  blocksSave: "Fix the errors Check found (or check again) before saving.",
};

/** Problems with the config file (ProfilesView.problem) and with setup commands. */
export function problemText(e: IpcError): string {
  switch (e.code) {
    case "config.invalid":
      return `Kura's configuration file has a problem: ${e.message}`;
    case "config.io":
      return `Kura could not read or write its configuration file: ${e.message}`;
    case "setup.invalid":
      return "Some fields still need attention.";
    case "name.taken":
      return "A connection with this name already exists; choose another name.";
    case "name.invalid":
      return "Use 1–64 letters, digits, “_”, “-” or “.” for a connection name.";
    case "profile.not_found":
      return "That connection no longer exists.";
    case "import.expired":
      return "The file's preview is no longer valid; choose the file again.";
    default:
      return e.message || e.code;
  }
}

export const SETUP_TEXT = {
  title: "Add a connection",
  editTitle: (name: string) => `Edit “${name}”`,
  intro: "Choose how your organisation signs people in. Your administrator can tell you the values below.",
  configFile: (path: string) => `Connections are saved in ${path}.`,
  importButton: "Import a profile file…",
  back: "Back",
  providerHeading: "Sign-in provider",
  appHeading: "Kura at the provider",
  credentialsHeading: "AWS credentials",
  awsHeading: "Storage",
  s3Compatible: "S3-compatible store (not AWS)",
  save: "Save",
  saving: "Saving…",
  pending: (fields: string[]) =>
    `${fields.length === 1 ? "1 field still needs attention" : `${fields.length} fields still need attention`}: ${fields.join(", ")}.`,
  adminHeading: "What your administrator registers",
  adminIntro: "Send these to whoever manages the sign-in provider and the AWS account.",
  issuer: "Issuer",
  scopes: "Scopes",
  callbackUrls: "Callback URLs (at the provider, for the native app)",
  trustPolicy: "The role's trust policy",
  poolTrustPolicy: "The trust policy of the pool's authenticated role",
  permissionPolicy: "The role's permission policy",
  role: "Role",
  oidcHeading: "IAM OpenID Connect identity provider",
  oidcUrl: "Provider URL",
  oidcArn: "ARN",
  oidcAudience: "Audience",
  poolHeading: "Identity pool",
  poolId: "Identity pool ID",
  poolRegion: "Region",
  poolFlow: "Flow",
  flowName: { enhanced: "Enhanced", basic: "Basic (classic): allow it on the pool" } as Record<"enhanced" | "basic", string>,
  poolProvider: (type: "cognito_user_pool" | "openid_connect") =>
    type === "cognito_user_pool" ? "Cognito user pool provider" : "OpenID Connect provider (the IAM provider above)",
  poolClientId: (type: "cognito_user_pool" | "openid_connect") => (type === "cognito_user_pool" ? "App client ID" : "Client ID"),
  customRole: (role: string) => `Role-based access must offer ${role} (Kura asks for it as CustomRoleArn).`,
  copy: "Copy",
  copied: "Copied",
};

export const SWITCHER_TEXT = {
  menuLabel: "Connections",
  notSignedIn: "Not signed in",
  signedInAs: (who: string) => `Signed in as ${who}`,
  add: "Add a connection…",
  manage: "Manage connections…",
  console: "Open AWS console",
  signInTo: (name: string, host: string) => `Sign in to ${name}${host ? ` (${host})` : ""}`,
};

export const MANAGE_TEXT = {
  title: "Connections",
  edit: "Edit",
  rename: "Rename",
  remove: "Remove",
  close: "Close",
  active: "In use",
  renameTitle: (name: string) => `Rename “${name}”`,
  renameLabel: "New name",
  removeTitle: (name: string) => `Remove “${name}”?`,
  removeMessage: "Removing signs it out and deletes its keychain entries. Its files stay in the bucket.",
  removeConfirm: "Remove",
};

export const IMPORT_TEXT = {
  title: (file: string) => `Import from ${file}`,
  trust: "Only import connections from someone you trust: a connection decides where you sign in and where your files go.",
  exists: "A connection with this name exists.",
  replace: "Replace it",
  newName: "Save as",
  confirm: "Import",
  cancel: "Cancel",
  empty: "The file holds no connections.",
  none: "Choose at least one connection to import.",
};
