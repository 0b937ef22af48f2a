#!/usr/bin/env node
// `npm run check:i18n`: checks the catalogues in src/i18n/<lang>/*.json against each other and
// against the code that uses them (see i18n-check.mjs). Exits 1 with one line per problem.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkCatalogues, unionMembers } from "./i18n-check.mjs";

const ui = join(dirname(fileURLToPath(import.meta.url)), "..");
const i18nDir = join(ui, "src", "i18n");

function files(dir, test) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return files(p, test);
    return test(p) ? [p] : [];
  });
}

const langs = readdirSync(i18nDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
const catalogues = Object.fromEntries(
  langs.map((lang) => [
    lang,
    Object.fromEntries(
      files(join(i18nDir, lang), (p) => p.endsWith(".json")).map((p) => [basename(p, ".json"), JSON.parse(readFileSync(p, "utf8"))]),
    ),
  ]),
);
// The reference language first.
const ordered = Object.fromEntries([["en", catalogues.en], ...Object.entries(catalogues).filter(([l]) => l !== "en")]);

const src = join(ui, "src");
const skip = ["test", "i18n", "bindings"].map((d) => join(src, d));
const sources = files(src, (p) => /\.(ts|tsx)$/.test(p) && !skip.some((d) => p.startsWith(d + "/"))).map((p) => readFileSync(p, "utf8"));
const rust = files(join(ui, "..", "src-tauri", "src"), (p) => p.endsWith(".rs")).map((p) => readFileSync(p, "utf8"));
const union = join(src, "bindings", "ErrorCode.ts");
const errorCodes = existsSync(union) ? unionMembers(readFileSync(union, "utf8")) : null;

const problems = checkCatalogues({ catalogues: ordered, sources, rust, errorCodes });
if (problems.length) {
  for (const p of problems) console.error(`check:i18n: ${p}`);
  process.exit(1);
}
const keys = new Set(Object.values(ordered).flatMap((c) => Object.keys(c)));
console.log(`check:i18n: ${langs.join(", ")} complete and consistent (${keys.size} areas, every key used)`);
