import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import type { EntryView } from "../bindings/EntryView";
import { App } from "../App";
import { Breadcrumbs } from "../components/Breadcrumbs";
import { FileList } from "../components/FileList";
import { TransferRow } from "../components/Transfers";
import { emptySelection } from "../lib/selection";
import { applyTransferEvent, newTransfer } from "../lib/transfers";
import { FakePlatform } from "../platform/fake";

function entries(n: number): EntryView[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: "file" as const, path: `f${i}.txt`, name: `f${i}.txt`, size: i, last_modified: null,
  }));
}

function list(items: EntryView[], extra: Partial<Parameters<typeof FileList>[0]> = {}) {
  const props = {
    entries: items, selection: emptySelection, onSelection: vi.fn(), sort: { key: "name" as const, dir: "asc" as const },
    onSort: vi.fn(), onOpen: vi.fn(), onGoUp: vi.fn(), onDelete: vi.fn(), onRename: vi.fn(), loading: false, ...extra,
  };
  render(<FileList {...props} />);
  return props;
}

describe("file list", () => {
  it("renders rows with their paths and opens folders on double-click", () => {
    const folder: EntryView = { kind: "folder", path: "docs/", name: "docs", size: 0, last_modified: null };
    const props = list([folder, ...entries(2)]);
    const rows = screen.getAllByTestId("row");
    expect(rows.map((r) => r.dataset.path)).toEqual(["docs/", "f0.txt", "f1.txt"]);
    fireEvent.dblClick(rows[0]);
    expect(props.onOpen).toHaveBeenCalledWith(folder);
  });

  it("sorts when a column header is clicked", () => {
    const props = list(entries(3));
    fireEvent.click(screen.getByText("Size"));
    expect(props.onSort).toHaveBeenCalledWith("size");
  });

  it("is virtualised: 100,000 entries put far fewer than 1,000 rows in the DOM", () => {
    list(entries(100_000));
    const rows = document.querySelectorAll('[data-testid="row"]');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(1000);
  });
});

describe("breadcrumbs", () => {
  it("navigates when a crumb is clicked", () => {
    const onNavigate = vi.fn();
    render(<Breadcrumbs path="docs/2024/" onNavigate={onNavigate} />);
    expect(screen.getByTestId("breadcrumbs").textContent).toContain("2024");
    fireEvent.click(screen.getByText("docs"));
    expect(onNavigate).toHaveBeenCalledWith("docs/");
  });
});

describe("transfer row", () => {
  it("shows progress, rate and a working cancel button while running", () => {
    const onCancel = vi.fn();
    const t = applyTransferEvent(newTransfer(3, "upload", { name: "big.iso", items: 1, to: "/", resumed: false }, ""), {
      event: "progress", id: 3, bytes_done: 25 * 1024 * 1024, bytes_total: 100 * 1024 * 1024, files_done: 0, files_total: 1, rate: 5 * 1024 * 1024,
    });
    render(<TransferRow t={t} onCancel={onCancel} onPause={vi.fn()} onResume={vi.fn()} onRetry={vi.fn()} />);
    const row = screen.getByTestId("transfer");
    expect(row.dataset.state).toBe("running");
    expect(screen.getByTestId("transfer-percent").textContent).toBe("25%");
    expect(row.textContent).toContain("MiB/s");
    fireEvent.click(screen.getByText("Cancel"));
    expect(onCancel).toHaveBeenCalledWith(3);
  });

  it("shows the failure reason and no cancel button when failed", () => {
    const t = applyTransferEvent(newTransfer(4, "download", { name: "a", items: 1, to: "~", resumed: false }, null), {
      event: "failed", id: 4, error: { code: "s3.access_denied", message: "denied", params: { path: "a" } }, failed_items: [], items_total: 0, can_retry: false,
    });
    render(<TransferRow t={t} onCancel={vi.fn()} onPause={vi.fn()} onResume={vi.fn()} onRetry={vi.fn()} prefix="users/u/" />);
    expect(screen.getByTestId("transfer").dataset.state).toBe("failed");
    expect(screen.queryByText("Cancel")).toBeNull();
    expect(screen.queryByTestId("transfer-retry")).toBeNull();
    expect(screen.getByTestId("transfer").textContent).toMatch(/own folder|denied/);
  });
});

describe("transfer control", () => {
  it("pauses and resumes a running transfer; a paused one shows no rate and keeps its state", () => {
    const onPause = vi.fn();
    const onResume = vi.fn();
    let t = applyTransferEvent(newTransfer(5, "upload", { name: "a.bin", items: 1, to: "/", resumed: false }, ""), {
      event: "progress", id: 5, bytes_done: 10, bytes_total: 100, files_done: 0, files_total: 1, rate: 10,
    });
    const { rerender } = render(<TransferRow t={t} onCancel={vi.fn()} onPause={onPause} onResume={onResume} onRetry={vi.fn()} />);
    fireEvent.click(screen.getByTestId("transfer-pause"));
    expect(onPause).toHaveBeenCalledWith(5);
    t = applyTransferEvent(t, { event: "paused", id: 5 });
    // A part that was in flight when paused still reports; the row stays paused.
    t = applyTransferEvent(t, { event: "progress", id: 5, bytes_done: 20, bytes_total: 100, files_done: 0, files_total: 1, rate: 10 });
    rerender(<TransferRow t={t} onCancel={vi.fn()} onPause={onPause} onResume={onResume} onRetry={vi.fn()} />);
    expect(screen.getByTestId("transfer").dataset.state).toBe("paused");
    expect(screen.queryByTestId("transfer-rate")).toBeNull();
    expect(screen.getByTestId("transfer-percent").textContent).toBe("20%");
    fireEvent.click(screen.getByTestId("transfer-resume"));
    expect(onResume).toHaveBeenCalledWith(5);
    expect(applyTransferEvent(t, { event: "resumed", id: 5 }).state).toBe("running");
  });

  it("asks about existing files before uploading and keeps both when told so", async () => {
    const fake = new FakePlatform({ signedIn: true, transferTickMs: "manual", transferTicks: 2 });
    render(<App platform={fake} />);
    await screen.findByText("readme.txt");
    fake.drop(["/home/alice/readme.txt"]);
    const dialog = await screen.findByTestId("conflict-dialog");
    expect(dialog.textContent).toContain("readme.txt");
    expect(fake.calls.some(([c]) => c === "answer_conflicts")).toBe(false);
    fireEvent.click(screen.getByTestId("conflict-rename"));
    await waitFor(() => expect(screen.queryByTestId("conflict-dialog")).toBeNull());
    expect(fake.calls).toContainEqual(["answer_conflicts", { id: 1, choice: "rename" }]);
    fake.tickTransfers();
    fake.tickTransfers();
    await screen.findByText("readme (1).txt");
    expect(screen.getByText("readme.txt")).toBeTruthy();
  });

  it("offers interrupted uploads for resume or discard", async () => {
    const unfinished = [
      { id: "up-1", local_path: "/home/alice/big.iso", remote: "big.iso", size: 100 * 1024 * 1024, bytes_done: 40 * 1024 * 1024, source_unchanged: true, source_exists: true },
      { id: "up-2", local_path: "/tmp/gone.bin", remote: "docs/gone.bin", size: 10, bytes_done: 5, source_unchanged: false, source_exists: false },
    ];
    const fake = new FakePlatform({ signedIn: true, transferTickMs: "manual", unfinished });
    render(<App platform={fake} />);
    const items = await screen.findAllByTestId("unfinished-item");
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain("40.0 MiB of 100 MiB sent");
    expect(items[1].textContent).toContain("gone");
    expect(items[1].querySelector("[data-testid=unfinished-resume]")).toBeNull();
    fireEvent.click(items[1].querySelector("[data-testid=unfinished-discard]")!);
    await waitFor(() => expect(screen.getAllByTestId("unfinished-item")).toHaveLength(1));
    expect(fake.calls).toContainEqual(["discard_unfinished", { id: "up-2" }]);
    fireEvent.click(screen.getByTestId("unfinished-resume"));
    await waitFor(() => expect(screen.queryByTestId("unfinished")).toBeNull());
    expect(fake.calls).toContainEqual(["resume_unfinished", { id: "up-1" }]);
    expect((await screen.findByTestId("transfer")).textContent).toContain("resumed");
  });
});

describe("app with the fake platform", () => {
  it("signs in and streams the first page before the listing is done", async () => {
    const fake = new FakePlatform({ signedIn: false, signInDelayMs: 0, listMode: "manual" });
    render(<App platform={fake} />);
    fireEvent.click(await screen.findByTestId("sign-in"));
    await screen.findByTestId("file-list");
    await waitFor(() => expect(fake.deliverNextListEvent()).toBe(true));
    await waitFor(() => expect(screen.getAllByTestId("row").length).toBeGreaterThan(0));
    expect(document.body.textContent).toMatch(/loading/i);
  });

  it("ends a listing at its done event even when the command answered before the last pages", async () => {
    const fake = new FakePlatform({ signedIn: true, pageSize: 2, listMode: "manual", listSettlesEarly: true });
    render(<App platform={fake} />);
    await screen.findByTestId("file-list");
    await waitFor(() => expect(fake.deliverNextListEvent()).toBe(true));
    await waitFor(() => expect(screen.getAllByTestId("row").length).toBe(2));
    // The promise has settled; the listing is still loading and takes every later page.
    await new Promise((r) => setTimeout(r, 200));
    expect(screen.queryByTestId("loading")).not.toBeNull();
    while (fake.deliverNextListEvent()) await new Promise((r) => setTimeout(r, 0));
    await waitFor(() => expect(screen.queryByTestId("loading")).toBeNull());
    const total = Number(screen.getByTestId("count").dataset.count);
    expect(total).toBeGreaterThan(2);
    expect(screen.getAllByTestId("row").length).toBe(total);
  });
});
