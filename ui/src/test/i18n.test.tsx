import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { App } from "../App";
import { applyLanguage, currentLanguage, t } from "../i18n";
import { deleteQuestion } from "../lib/deletion";
import {
  formatDate,
  formatEta,
  formatExpiry,
  formatList,
  formatNumber,
  formatPercent,
  formatRate,
  formatRelative,
  formatSize,
  formatUnitLong,
} from "../lib/format";
import { findingText, issueText, pendingText } from "../lib/setup-text";
import { transferLabel } from "../lib/transfers";
import { FakePlatform } from "../platform/fake";

afterEach(() => applyLanguage("en"));

describe("t", () => {
  it("words a key in the language in effect, with placeholders", () => {
    expect(t("files.toolbar.upload")).toBe("Upload");
    expect(t("app.switcher.signedInAs", { who: "alice@example.com" })).toBe("Signed in as alice@example.com");
    applyLanguage("ja");
    expect(currentLanguage()).toBe("ja");
    expect(document.documentElement.lang).toBe("ja");
    expect(t("files.toolbar.upload")).toBe("アップロード");
    expect(t("app.switcher.signedInAs", { who: "alice@example.com" })).toBe("alice@example.com としてサインイン中");
  });

  it("chooses plural forms by each language's rules and groups counts with Intl", () => {
    expect(t("files.status.count", { count: 1 })).toBe("1 item");
    expect(t("files.status.count", { count: 0 })).toBe("0 items");
    expect(t("files.status.count", { count: 100_000 })).toBe("100,000 items");
    expect(t("transfers.conflict.skip", { count: 1 })).toBe("Skip it");
    expect(t("transfers.conflict.skip", { count: 2 })).toBe("Skip them");
    applyLanguage("ja");
    expect(t("files.status.count", { count: 1 })).toBe("1 件");
    expect(t("files.status.count", { count: 100_000 })).toBe("100,000 件");
    expect(t("files.delete.done", { count: 1 })).toBe("1 個のオブジェクトを削除しました。");
  });

  it("words codes from Rust in both languages, falling back to Rust's message for unknown codes", () => {
    const issue = { field: "bucket", code: "bucket.invalid", message: "English from Rust" };
    expect(issueText(issue)).toContain("lowercase letters");
    expect(issueText({ ...issue, code: "bucket.unknown" })).toBe("English from Rust");
    const finding = { code: "check.http_status", severity: "error" as const, params: { status: "404" }, message: "x" };
    applyLanguage("ja");
    expect(issueText(issue)).toBe("バケット名は英小文字・数字・「.」・「-」からなる 3〜63 文字で、先頭と末尾は英小文字か数字にしてください。");
    expect(findingText(finding)).toBe("プロバイダーが OpenID の設定ではなく HTTP 404 を返しました。アドレスを確認してください。");
    expect(pendingText(["client_id", "bucket"])).toBe("確認が必要な項目が 2 件あります: クライアント ID、バケット。");
  });
});

describe("formatting with Intl", () => {
  it("formats numbers, sizes, rates and percentages per language", () => {
    expect(formatNumber(1234567)).toBe("1,234,567");
    expect(formatSize(1536)).toBe("1.5 KiB");
    expect(formatSize(1023)).toBe("1,023 B");
    expect(formatSize(1024 * 1024 * 1023.99)).toBe("1.0 GiB");
    expect(formatRate(2.5 * 1024 * 1024)).toBe("2.5 MiB/s");
    expect(formatPercent(45)).toBe("45%");
    applyLanguage("ja");
    expect(formatNumber(1234567)).toBe("1,234,567");
    expect(formatSize(734 * 1024 * 1024)).toBe("734 MiB");
    expect(formatPercent(45)).toBe("45%");
  });

  it("formats durations, expiry and time left per language", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    const mib = 1024 * 1024;
    expect(formatExpiry("2026-01-01T12:42:30Z", now)).toBe("credentials expire in 42 min");
    expect(formatExpiry("2026-01-01T15:05:00Z", now)).toBe("credentials expire in 3 hr, 5 min");
    expect(formatExpiry("2026-01-01T12:00:30Z", now)).toBe("credentials expire in less than a minute");
    expect(formatEta(0, 3900 * mib, mib)).toBe("1 hr, 5 min left");
    applyLanguage("ja");
    expect(formatExpiry("2026-01-01T12:42:30Z", now)).toBe("認証情報の有効期限: あと 42 分");
    expect(formatExpiry("2026-01-01T15:05:00Z", now)).toBe("認証情報の有効期限: あと 3 時間 5 分");
    expect(formatExpiry("2026-01-04T12:00:00Z", now)).toBe("認証情報の有効期限: あと 3 日");
    expect(formatExpiry("2026-01-01T11:00:00Z", now)).toBe("認証情報の有効期限が切れました");
    expect(formatEta(0, 100 * mib, 10 * mib)).toBe("残り 10 秒");
    expect(formatUnitLong(15, "minute")).toBe("15 分");
  });

  it("formats dates, relative times and lists per language", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    const iso = "2026-03-14T09:26:00Z";
    expect(formatDate(iso)).toBe(new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso)));
    expect(formatDate(iso)).toMatch(/Mar 14, 2026/);
    expect(formatRelative("2026-01-01T13:00:00Z", now)).toBe("in 1 hour");
    expect(formatRelative("2026-01-08T12:00:00Z", now)).toBe("in 7 days");
    expect(formatList(["a", "b", "c"])).toBe("a, b, c");
    applyLanguage("ja");
    expect(formatDate(iso)).toMatch(/^2026\/03\/14 \d{1,2}:26$/);
    expect(formatRelative("2026-01-01T13:00:00Z", now)).toBe("1 時間後");
    expect(formatRelative("2025-12-31T12:00:00Z", now)).toBe("昨日");
    expect(formatList(["a", "b", "c"])).toBe("a、b、c");
  });

  it("words what a transfer moves from the shell's fields", () => {
    const many = { name: null, items: 3, to: "docs/", resumed: false };
    expect(transferLabel(many)).toBe("3 items → docs/");
    expect(transferLabel({ name: "a.txt", items: 1, to: "/", resumed: true })).toBe("a.txt → / (resumed)");
    applyLanguage("ja");
    expect(transferLabel({ ...many, resumed: true })).toBe("3 件 → docs/ (再開)");
  });

  it("words the delete question with counts in both languages", () => {
    const file = { kind: "file" as const, path: "a.txt", name: "a.txt", size: 3, last_modified: null };
    const folder = { kind: "folder" as const, path: "docs/", name: "docs", size: 0, last_modified: null };
    applyLanguage("ja");
    expect(deleteQuestion([file, folder], [1200]).message).toBe(
      "2 件の項目 (1 個のファイル、docs/ とその中の 1,200 個のオブジェクト) を削除しますか？この操作は取り消せません。",
    );
  });
});

describe("the language in the app", () => {
  it("follows the system's language, switches from the header, and tells the shell", async () => {
    const fake = new FakePlatform({ signedIn: true, pageDelayMs: 0, systemLanguage: "ja" });
    render(<App platform={fake} pageFlushMs={0} />);
    const upload = await screen.findByTestId("upload");
    expect(upload.textContent).toBe("アップロード");
    expect(document.documentElement.lang).toBe("ja");
    await waitFor(() => expect(screen.getByTestId("count").textContent).toMatch(/^\d+ 件$/));
    expect(screen.getByTestId("sign-out").textContent).toBe("サインアウト");
    expect(screen.getByTestId("expiry").textContent).toContain("認証情報の有効期限");

    const select = screen.getByTestId("language") as HTMLSelectElement;
    expect(select.value).toBe("");
    expect([...select.options].map((o) => o.textContent)).toEqual(["システム設定 (日本語)", "English", "日本語"]);
    fireEvent.change(select, { target: { value: "en" } });
    await waitFor(() => expect(screen.getByTestId("upload").textContent).toBe("Upload"));
    expect(screen.getByTestId("count").textContent).toMatch(/items?$/);
    expect(fake.calls.filter((c) => c[0] === "set_language")).toEqual([["set_language", { chosen: "en" }]]);
    expect(fake.lang.view()).toEqual({ language: "en", system: "ja", chosen: "en" });

    fireEvent.change(screen.getByTestId("language"), { target: { value: "" } });
    await waitFor(() => expect(screen.getByTestId("upload").textContent).toBe("アップロード"));
    expect(fake.lang.chosen).toBeNull();
  });

  it("shows a remembered choice over the system's language, also on the setup screen", async () => {
    const fake = new FakePlatform({ profiles: [], systemLanguage: "en" });
    fake.lang.chosen = "ja";
    render(<App platform={fake} />);
    const screenEl = await screen.findByTestId("setup-screen");
    expect(screenEl.textContent).toContain("接続を追加");
    expect((screen.getByTestId("language") as HTMLSelectElement).value).toBe("ja");
    expect(screen.getByTestId("preset-generic").textContent).toContain("汎用 OpenID Connect");
  });
});
