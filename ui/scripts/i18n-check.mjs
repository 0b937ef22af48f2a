// The catalogue check (`npm run check:i18n`, run by .ci/run): both languages have the same keys,
// each language has exactly the plural forms its CLDR rules use (Intl.PluralRules: English
// `_one`/`_other`, Japanese `_other`), a key's placeholders are the same in every language, and
// every key is used — by the UI (a string literal naming it, or a template literal such as
// `setup.presets.${p}.label` whose pattern matches it) or, for `native.*`, by the Rust shell
// (`text(…, "tray.quit", …)`, `plural(…)`, `title(…)` calls in src-tauri/src). Error wording
// (`errors.${code}`) is checked against the generated `ErrorCode` union: one key per code.
//
// `checkCatalogues` is pure (unit-tested in src/test/i18n-check.test.ts); `main` reads the files.

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Nested catalogue objects → dotted keys. */
export function flatten(obj, prefix = "", out = new Map()) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object") flatten(v, key, out);
    else out.set(key, String(v));
  }
  return out;
}

/** `{{name}}` and `{{name, format}}` placeholders of a text. */
export function placeholders(text) {
  return [...text.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]);
}

/** Keys grouped by base key: `a.count_one`, `a.count_other` → `a.count` with forms one, other. */
function group(flat) {
  const bases = new Map();
  for (const [key, text] of flat) {
    const m = key.match(PLURAL_SUFFIX);
    const base = m ? key.slice(0, -m[0].length) : key;
    const entry = bases.get(base) ?? { forms: new Set(), texts: [] };
    if (m) entry.forms.add(m[1]);
    entry.texts.push(text);
    bases.set(base, entry);
  }
  return bases;
}

/** String literals of JS/TS source: the plain ones and the templates (as patterns). */
function literals(source) {
  const plain = new Set();
  const templates = [];
  for (const m of source.matchAll(/"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`/g)) {
    if (m[3] !== undefined && m[3].includes("${")) templates.push(m[3]);
    else plain.add(m[1] ?? m[2] ?? m[3]);
  }
  return { plain, templates };
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A template literal as a pattern over keys: each `${…}` stands for one or more characters. */
function templatePattern(template) {
  return new RegExp(`^${template.split(/\$\{[^}]*\}/).map(escapeRegExp).join(".+")}$`);
}

/** Keys the Rust shell passes to `text`, `plural` or `title` (comments and test modules left
 * out). */
export function rustKeys(source) {
  const code = source
    .split("#[cfg(test)]")[0]
    .split("\n")
    .map((line) => line.replace(/^\s*\/\/.*$/, ""))
    .join("\n");
  return [...code.matchAll(/\b(?:text|plural|title)\([^"\n;{}]*?"([A-Za-z0-9_.]+)"/g)].map((m) => m[1]);
}

/**
 * The problems of `catalogues` ({ lang: nested object }, the first language the reference) given
 * the UI `sources` (file texts), the Rust `rust` sources and the `errorCodes` (null when there is
 * no generated union yet). Returns a list of messages; empty means all is well.
 */
export function checkCatalogues({ catalogues, sources, rust = [], errorCodes = null }) {
  const problems = [];
  const langs = Object.keys(catalogues);
  const grouped = Object.fromEntries(langs.map((l) => [l, group(flatten(catalogues[l]))]));
  const allBases = new Set(langs.flatMap((l) => [...grouped[l].keys()]));

  for (const base of [...allBases].sort()) {
    const inLangs = langs.filter((l) => grouped[l].has(base));
    for (const l of langs.filter((x) => !inLangs.includes(x))) problems.push(`missing in ${l}: ${base}`);
    for (const l of inLangs) {
      const { forms } = grouped[l].get(base);
      if (forms.size === 0) continue;
      const want = new Intl.PluralRules(l).resolvedOptions().pluralCategories;
      const have = [...forms];
      const lacking = want.filter((c) => !forms.has(c));
      const extra = have.filter((c) => !want.includes(c));
      if (lacking.length) problems.push(`${l}: ${base} lacks plural form(s) ${lacking.map((c) => `_${c}`).join(", ")}`);
      if (extra.length) problems.push(`${l}: ${base} has plural form(s) ${extra.map((c) => `_${c}`).join(", ")} that ${l} does not use`);
    }
    const names = inLangs.map((l) => [l, [...new Set(grouped[l].get(base).texts.flatMap(placeholders))].sort().join(", ")]);
    if (new Set(names.map(([, n]) => n)).size > 1) {
      problems.push(`placeholders differ for ${base}: ${names.map(([l, n]) => `${l} {${n}}`).join(" / ")}`);
    }
  }

  // What the code uses.
  const used = new Set();
  const patterns = [];
  let errorTemplate = false;
  for (const source of sources) {
    const { plain, templates } = literals(source);
    for (const s of plain) if (allBases.has(s)) used.add(s);
    for (const tpl of templates) {
      if (tpl.startsWith("errors.${")) errorTemplate = true;
      else patterns.push(templatePattern(tpl));
    }
  }
  for (const source of rust) {
    for (const key of rustKeys(source)) {
      const full = `native.${key}`;
      if (allBases.has(full)) used.add(full);
      else problems.push(`the Rust shell uses ${full}, which is not in the catalogue`);
    }
  }
  if (errorCodes) {
    for (const code of errorCodes) {
      const key = `errors.${code}`;
      if (!allBases.has(key)) problems.push(`no wording for error code ${code} (${key})`);
      else if (errorTemplate) used.add(key);
    }
  }
  for (const base of [...allBases].sort()) {
    if (used.has(base) || patterns.some((p) => p.test(base))) continue;
    problems.push(base.startsWith("errors.") && errorCodes ? `unused: ${base} (not an ErrorCode)` : `unused: ${base}`);
  }
  return problems;
}

/** The members of a generated string-literal union (`export type ErrorCode = "a" | "b";`). */
export function unionMembers(source) {
  const body = source.match(/export type \w+ =([^;]*);/);
  return body ? [...body[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]) : [];
}
