import { describe, expect, it } from "vitest";
import { checkCatalogues, rustKeys, unionMembers } from "../../scripts/i18n-check.mjs";

const en = { files: { upload: "Upload", count_one: "{{count}} item", count_other: "{{count, number}} items", share: "Share “{{name}}”" } };
const ja = { files: { upload: "アップロード", count_other: "{{count, number}} 件", share: "「{{name}}」を共有" } };
const code = `t("files.upload"); t("files.count", { count }); t("files.share", { name });`;

describe("the catalogue check", () => {
  it("passes complete, consistent, used catalogues", () => {
    expect(checkCatalogues({ catalogues: { en, ja }, sources: [code] })).toEqual([]);
  });

  it("finds keys missing in either language", () => {
    const jaLess: Record<string, string> = { ...ja.files };
    delete jaLess.upload;
    expect(checkCatalogues({ catalogues: { en, ja: { files: jaLess } }, sources: [code] })).toEqual(["missing in ja: files.upload"]);
    const enMore = { files: { ...en.files, extra: "Extra" } };
    expect(checkCatalogues({ catalogues: { en: enMore, ja }, sources: [code + `t("files.extra")`] })).toEqual(["missing in ja: files.extra"]);
  });

  it("wants each language's own plural forms", () => {
    const enNoOne: Record<string, string> = { ...en.files };
    delete enNoOne.count_one;
    expect(checkCatalogues({ catalogues: { en: { files: enNoOne }, ja }, sources: [code] })).toEqual(["en: files.count lacks plural form(s) _one"]);
    const jaOne = { files: { ...ja.files, count_one: "{{count}} 件" } };
    expect(checkCatalogues({ catalogues: { en, ja: jaOne }, sources: [code] })).toEqual([
      "ja: files.count has plural form(s) _one that ja does not use",
    ]);
  });

  it("finds placeholders that differ between languages", () => {
    const jaWrong = { files: { ...ja.files, share: "「{{file}}」を共有" } };
    expect(checkCatalogues({ catalogues: { en, ja: jaWrong }, sources: [code] })).toEqual([
      "placeholders differ for files.share: en {name} / ja {file}",
    ]);
  });

  it("finds unused keys; template literals and the Rust shell's calls count as uses", () => {
    expect(checkCatalogues({ catalogues: { en, ja }, sources: [`t("files.upload")`] })).toEqual(["unused: files.count", "unused: files.share"]);
    const dynamic = "t(`files.${which}`)";
    expect(checkCatalogues({ catalogues: { en, ja }, sources: [dynamic] })).toEqual([]);
    const native = { en: { native: { tray: { quit: "Quit" } } }, ja: { native: { tray: { quit: "終了" } } } };
    expect(checkCatalogues({ catalogues: native, sources: [], rust: [`let q = text(lang, "tray.quit", &[]);`] })).toEqual([]);
    expect(checkCatalogues({ catalogues: native, sources: [], rust: [`text(lang, "tray.open", &[])`] })).toEqual([
      "the Rust shell uses native.tray.open, which is not in the catalogue",
      "unused: native.tray.quit",
    ]);
  });

  it("holds error wording to the generated ErrorCode union", () => {
    const cat = (lang: string) => ({ errors: { auth: { cancelled: `${lang} cancelled` }, gone: { code: `${lang} old` } } });
    const problems = checkCatalogues({
      catalogues: { en: cat("en"), ja: cat("ja") },
      sources: ["t(`errors.${code}`)"],
      errorCodes: ["auth.cancelled", "s3.unavailable"],
    });
    expect(problems).toEqual(["no wording for error code s3.unavailable (errors.s3.unavailable)", "unused: errors.gone.code (not an ErrorCode)"]);
  });

  it("reads Rust keys and union members", () => {
    const rust = `// text(lang, "in.comment")\nlet a = title(&app, "dialog.open");\nplural(lang, "notify.files", n, &[]);\n#[cfg(test)]\nmod tests { text(l, "only.test") }`;
    expect(rustKeys(rust)).toEqual(["dialog.open", "notify.files"]);
    expect(unionMembers(`export type ErrorCode = "a.b" | "c";\n`)).toEqual(["a.b", "c"]);
  });
});
