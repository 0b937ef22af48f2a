// The fake platform's approximations of kura_core::config::rules shared by the setup fakes:
// field issues, endpoint URLs and prefix templates. The real rules are in Rust.
import type { FieldIssue } from "../bindings/FieldIssue";

export function issue(field: string, code: string, message: string): FieldIssue {
  return { field, code, message };
}

function isLoopbackHost(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}

/** rules::endpoint_url: https, or http on loopback. */
export function endpointIssue(field: string, value: string): FieldIssue | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return issue(field, "url.invalid", `not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:") {
    return isLoopbackHost(url.hostname) ? null : issue(field, "url.https_required", "must use https (plain http is only allowed on loopback)");
  }
  return issue(field, "url.scheme", `unsupported scheme ${JSON.stringify(url.protocol)} (use https)`);
}

/** rules::prefix_template: ends with "/", no leading "/", no empty folders; placeholders {sub},
 * {identity_id}, {claim:NAME}, {tag:KEY}. */
export function prefixIssue(prefix: string): FieldIssue | null {
  if (prefix.startsWith("/") || (prefix && !prefix.endsWith("/")) || prefix.includes("//")) {
    return issue("prefix", "prefix.invalid", "must end with '/', not start with '/', and have no empty folders");
  }
  const names = [...prefix.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]);
  if (/[{}]/.test(prefix.replace(/\{[^{}]*\}/g, ""))) return issue("prefix", "prefix.invalid", "unclosed brace");
  if (names.some((n) => n !== "sub" && n !== "identity_id" && !/^(claim|tag):.+$/.test(n))) {
    return issue("prefix", "prefix.unknown_placeholder", "unknown placeholder");
  }
  return null;
}
