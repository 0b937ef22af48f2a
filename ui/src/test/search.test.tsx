// Search in the workspace with the fake platform: results stream in page by page with a count,
// Stop stops, a new search replaces the old, Enter opens a folder or previews a file, Esc goes
// back to the folder, Ctrl+F and "/" focus the box.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../App";
import { applyLanguage } from "../i18n";
import { FakePlatform } from "../platform/fake";

const MiB = 1024 * 1024;

const OBJECTS: Record<string, number> = {
  "docs/": 0,
  "docs/Report-2024.txt": 100,
  "docs/archive/": 0,
  "docs/archive/old-report.md": 50,
  "notes/a.txt": 10,
  "notes/big.log": 3 * MiB,
  "paper.pdf": 5_000,
  "photos/cat.png": 1_000,
  "photos/huge.png": 30 * MiB,
  "photos/logo.svg": 300,
  "reports/": 0,
  "reports/q1.csv": 10,
  "video.mp4": 100,
};

function fakePlatform() {
  return new FakePlatform({ signedIn: true, listMode: "manual", searchPageSize: 3, objects: OBJECTS });
}

/** Delivers list events until the listing is done. */
async function listed(fake: FakePlatform) {
  await waitFor(() => {
    while (fake.deliverNextListEvent());
    expect(screen.queryByTestId("loading")).toBeNull();
  });
}

async function workspace() {
  const fake = fakePlatform();
  render(<App platform={fake} pageFlushMs={0} />);
  await screen.findByTestId("file-list");
  await listed(fake);
  await screen.findByText("paper.pdf");
  return fake;
}

function box(): HTMLInputElement {
  return screen.getByTestId("search") as HTMLInputElement;
}

function searchFor(text: string) {
  fireEvent.input(box(), { target: { value: text } });
  fireEvent.keyDown(box(), { key: "Enter" });
}

const hits = () => screen.queryAllByTestId("search-hit").map((h) => h.dataset.path);
const count = () => screen.getByTestId("search-count").textContent;

beforeEach(() => {
  let n = 0;
  URL.createObjectURL = vi.fn(() => `blob:kura/${++n}`);
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => {
  vi.useRealTimers();
  applyLanguage("en");
});

describe("search", () => {
  it("is an input type=search that Ctrl+F and / focus", async () => {
    await workspace();
    expect(box().type).toBe("search");
    fireEvent.keyDown(document.body, { key: "f", ctrlKey: true });
    expect(document.activeElement).toBe(box());
    screen.getByTestId("file-list").querySelector<HTMLElement>(".list-body")!.focus();
    fireEvent.keyDown(document.activeElement!, { key: "/" });
    expect(document.activeElement).toBe(box());
    // "/" typed into the box is text, not a shortcut.
    const typed = fireEvent.keyDown(box(), { key: "/" });
    expect(typed).toBe(true);
  });

  it("streams results page by page with a count, and Stop stops the search", async () => {
    const fake = await workspace();
    searchFor("REPORT");
    await waitFor(() => expect(fake.calls).toContainEqual(["start_search", { path: "", pattern: "REPORT" }]));
    expect(screen.getByTestId("search-results").dataset.status).toBe("running");
    expect(screen.queryByTestId("file-list")).toBeNull();
    fake.finder.deliverNext();
    await waitFor(() => expect(hits()).toEqual(["docs/Report-2024.txt"]));
    expect(count()).toBe("1 found · 3 objects searched…");
    fake.finder.deliverNext();
    await waitFor(() => expect(hits()).toEqual(["docs/Report-2024.txt", "docs/archive/old-report.md"]));
    expect(count()).toBe("2 found · 6 objects searched…");

    fireEvent.click(screen.getByTestId("search-stop"));
    await waitFor(() => expect(fake.calls.some(([c]) => c === "stop_search")).toBe(true));
    expect(screen.getByTestId("search-results").dataset.status).toBe("stopped");
    expect(screen.queryByTestId("search-stop")).toBeNull();
    expect(count()).toBe("2 found · stopped after 6 objects searched");
    expect(fake.finder.deliverNext()).toBe(false);
    expect(hits()).toHaveLength(2);
  });

  it("shows each result's folder and finds folders once", async () => {
    const fake = await workspace();
    searchFor("report");
    await waitFor(() => expect(fake.finder.deliverNext()).toBe(true));
    while (fake.finder.deliverNext());
    await waitFor(() => expect(screen.getByTestId("search-results").dataset.status).toBe("done"));
    expect(hits()).toEqual(["docs/Report-2024.txt", "docs/archive/old-report.md", "reports/"]);
    const folders = screen.getAllByTestId("search-hit").map((h) => h.querySelector(".col-folder")!.textContent);
    expect(folders).toEqual(["docs", "docs/archive", "My files"]);
    expect(count()).toBe("3 found · 13 objects searched");
  });

  it("searches the shown folder and below", async () => {
    const fake = await workspace();
    fireEvent.dblClick(screen.getByText("docs"));
    await listed(fake);
    await screen.findByText("Report-2024.txt");
    searchFor("report");
    await waitFor(() => expect(fake.calls).toContainEqual(["start_search", { path: "docs/", pattern: "report" }]));
    while (fake.finder.deliverNext());
    await waitFor(() => expect(hits()).toEqual(["docs/Report-2024.txt", "docs/archive/old-report.md"]));
  });

  it("a new search replaces the running one", async () => {
    const fake = await workspace();
    searchFor("report");
    await waitFor(() => expect(fake.calls.filter(([c]) => c === "start_search")).toHaveLength(1));
    searchFor(".png");
    await waitFor(() => expect(fake.calls.filter(([c]) => c === "start_search")).toHaveLength(2));
    while (fake.finder.deliverNext());
    await waitFor(() => expect(screen.getByTestId("search-results").dataset.status).toBe("done"));
    expect(hits()).toEqual(["photos/cat.png", "photos/huge.png"]);
  });

  it("searches as the user types, after a pause", async () => {
    vi.useFakeTimers();
    const fake = fakePlatform();
    render(<App platform={fake} pageFlushMs={0} />);
    await vi.waitFor(() => screen.getByTestId("file-list"));
    fireEvent.input(box(), { target: { value: "c" } });
    fireEvent.input(box(), { target: { value: "ca" } });
    fireEvent.input(box(), { target: { value: "cat" } });
    expect(fake.calls.some(([c]) => c === "start_search")).toBe(false);
    await vi.advanceTimersByTimeAsync(400);
    expect(fake.calls.filter(([c]) => c === "start_search")).toEqual([["start_search", { path: "", pattern: "cat" }]]);
  });

  it("Enter on a folder opens it, Enter or Space on a file previews it, Esc goes back", async () => {
    const fake = await workspace();
    searchFor("report");
    await waitFor(() => expect(fake.finder.deliverNext()).toBe(true));
    while (fake.finder.deliverNext());
    await waitFor(() => expect(hits()).toHaveLength(3));
    fireEvent.keyDown(box(), { key: "ArrowDown" });
    const list = screen.getByTestId("search-list");
    await waitFor(() => expect(document.activeElement).toBe(list));
    // The cursor is on the first result: Enter previews the file.
    fireEvent.keyDown(list, { key: "Enter" });
    const preview = await screen.findByTestId("preview");
    expect(preview.dataset.path).toBe("docs/Report-2024.txt");
    await waitFor(() => expect(screen.getByTestId("preview-text").textContent).toContain("# Report-2024.txt"));
    fireEvent.keyDown(screen.getByTestId("preview-body"), { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("preview")).toBeNull());
    // Space previews too; Esc closes it.
    fireEvent.keyDown(list, { key: " " });
    await screen.findByTestId("preview");
    fireEvent.keyDown(screen.getByTestId("preview-body"), { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("preview")).toBeNull());
    // Enter on the folder opens it: the folder view, the box emptied.
    fireEvent.keyDown(list, { key: "End" });
    fireEvent.keyDown(list, { key: "Enter" });
    await screen.findByTestId("file-list");
    await listed(fake);
    await screen.findByText("q1.csv");
    expect(screen.getByTestId("breadcrumbs").textContent).toContain("reports");
    expect(box().value).toBe("");

    // Esc in the results returns to the folder view.
    searchFor("q1");
    await waitFor(() => expect(fake.finder.deliverNext()).toBe(true));
    fireEvent.keyDown(screen.getByTestId("search-list"), { key: "Escape" });
    await screen.findByTestId("file-list");
    expect(screen.queryByTestId("search-results")).toBeNull();
    expect(box().value).toBe("");
    // And so does Esc in the box.
    searchFor("q1");
    await screen.findByTestId("search-results");
    fireEvent.keyDown(box(), { key: "Escape" });
    await screen.findByTestId("file-list");
  });

  it("Space in the folder list previews the file under the cursor", async () => {
    const fake = await workspace();
    const row = screen.getByText("paper.pdf").closest<HTMLElement>("[data-testid=row]")!;
    fireEvent.click(row);
    fireEvent.keyDown(screen.getByTestId("file-list").querySelector(".list-body")!, { key: " " });
    const preview = await screen.findByTestId("preview");
    expect(preview.dataset.path).toBe("paper.pdf");
    await waitFor(() => expect(preview.dataset.show).toBe("pdf"));
    expect(screen.getByTestId("preview-facts").textContent).toContain("application/pdf");
    fireEvent.click(screen.getByTestId("preview-facts-download"));
    await waitFor(() => expect(fake.calls).toContainEqual(["start_download", { paths: ["paper.pdf"], destDir: null }]));
  });

  it("reports a folder that is gone", async () => {
    const fake = await workspace();
    fireEvent.dblClick(screen.getByText("docs"));
    await listed(fake);
    await fake.deletePath("docs/", true);
    searchFor("x");
    await waitFor(() => expect(fake.finder.deliverNext()).toBe(true));
    const error = await screen.findByTestId("search-error");
    expect(error.dataset.code).toBe("s3.not_found");
    expect(screen.getByTestId("search-results").dataset.status).toBe("failed");
  });

  it("speaks Japanese: the box, the count, Stop, the preview", async () => {
    const fake = new FakePlatform({ signedIn: true, listMode: "manual", searchPageSize: 3, objects: OBJECTS, systemLanguage: "ja" });
    render(<App platform={fake} pageFlushMs={0} />);
    await screen.findByTestId("file-list");
    await listed(fake);
    expect(box().placeholder).toBe("「マイファイル」を検索");
    searchFor("report");
    await waitFor(() => expect(fake.finder.deliverNext()).toBe(true));
    await waitFor(() => expect(count()).toBe("1 件 · 3 個を検索…"));
    expect(screen.getByTestId("search-stop").textContent).toBe("停止");
    fireEvent.click(screen.getByTestId("search-stop"));
    await waitFor(() => expect(count()).toBe("1 件 · 3 個を検索した時点で停止"));
    fireEvent.dblClick(screen.getAllByTestId("search-hit")[0]);
    await waitFor(() => expect(screen.getByTestId("preview").dataset.state).toBe("ready"));
    expect(screen.getByTestId("preview-position").textContent).toBe("1 / 1");
    expect(screen.getByTestId("preview-close").textContent).toBe("閉じる");
  });
});
