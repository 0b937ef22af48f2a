import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "../App";
import { applyLanguage } from "../i18n";
import { TransferRow } from "../components/Transfers";
import { applyTransferEvent, newTransfer } from "../lib/transfers";
import type { IpcError } from "../lib/errors";
import { FakePlatform } from "../platform/fake";

afterEach(() => applyLanguage("en"));

const unreadable: IpcError = {
  code: "local.io",
  message: "reading b.txt: Permission denied (os error 13)",
  params: { detail: "reading b.txt: Permission denied (os error 13)" },
};

function partlyFailed() {
  return applyTransferEvent(newTransfer(9, "upload", { name: null, items: 3, to: "docs/", resumed: false }, "docs/"), {
    event: "failed",
    id: 9,
    error: { code: "batch.partial", message: "2 of 3 items failed", params: { failed: 2, total: 3, first: unreadable } },
    failed_items: [
      { path: "docs/b.txt", error: unreadable },
      { path: "docs/evil\u202etxt.exe", error: { code: "s3.access_denied", message: "AccessDenied", params: { path: "docs/evil\u202etxt.exe" } } },
    ],
    items_total: 3,
    can_retry: true,
  });
}

describe("a partly failed transfer row", () => {
  it("lists which files failed and why, worded from each code", () => {
    render(<TransferRow t={partlyFailed()} onCancel={vi.fn()} onPause={vi.fn()} onResume={vi.fn()} onRetry={vi.fn()} prefix="users/u/" />);
    expect(screen.getByTestId("transfer-error").textContent).toBe("2 of 3 files failed:");
    const items = screen.getAllByTestId("failed-item");
    expect(items.map((i) => i.dataset.path)).toEqual(["docs/b.txt", "docs/evil\u202etxt.exe"]);
    expect(items[0].textContent).toContain("docs/b.txt");
    expect(items[0].dataset.code).toBe("local.io");
    expect(items[1].textContent).toContain("users/u/");
    // A name's hidden characters are shown, not obeyed.
    expect(items[1].textContent).toContain("evil\\u{202e}txt.exe");
  });

  it("says it in Japanese too", () => {
    applyLanguage("ja");
    render(<TransferRow t={partlyFailed()} onCancel={vi.fn()} onPause={vi.fn()} onResume={vi.fn()} onRetry={vi.fn()} />);
    expect(screen.getByTestId("transfer-error").textContent).toBe("3 件中 2 件のファイルが失敗しました:");
    expect(screen.getByTestId("transfer-retry").textContent).toBe("再試行");
  });

  it("offers Retry, which names the transfer", () => {
    const onRetry = vi.fn();
    render(<TransferRow t={partlyFailed()} onCancel={vi.fn()} onPause={vi.fn()} onResume={vi.fn()} onRetry={onRetry} />);
    fireEvent.click(screen.getByTestId("transfer-retry"));
    expect(onRetry).toHaveBeenCalledWith(9);
  });

  it("counts what it does not list", () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ path: `f${i}`, error: unreadable }));
    const t = { ...partlyFailed(), failedItems: many, itemsTotal: 80 };
    render(<TransferRow t={t} onCancel={vi.fn()} onPause={vi.fn()} onResume={vi.fn()} onRetry={vi.fn()} />);
    expect(screen.getAllByTestId("failed-item")).toHaveLength(50);
    expect(screen.getByTestId("failed-items").textContent).toContain("…and 10 more");
    expect(screen.getByTestId("transfer-error").textContent).toBe("60 of 80 files failed:");
  });
});

/** The file list's row of `path`, if listed. */
function row(path: string): Element | null {
  return document.querySelector(`[data-testid="row"][data-path="${path}"]`);
}

describe("retry with the fake platform", () => {
  async function dropAndFail(fake: FakePlatform, paths: string[]) {
    render(<App platform={fake} />);
    await screen.findByText("readme.txt");
    fake.drop(paths);
    await screen.findByTestId("transfer");
    fake.tickTransfers();
    await waitFor(() => expect(screen.getByTestId("transfer").dataset.state).toBe("failed"));
  }

  it("runs only the failed files again, in the failed row's place", async () => {
    const fake = new FakePlatform({ signedIn: true, transferTickMs: "manual", transferTicks: 2 });
    await dropAndFail(fake, ["/home/alice/notes.md", "/home/alice/broken.iso"]);
    const items = screen.getAllByTestId("failed-item");
    expect(items.map((i) => i.dataset.path)).toEqual(["broken.iso"]);
    expect(screen.getByTestId("transfer-error").textContent).toBe("1 of 2 files failed:");
    // The file that worked is there already; the failed one is not.
    await waitFor(() => expect(row("notes.md")).not.toBeNull());
    expect(row("broken.iso")).toBeNull();

    fireEvent.click(screen.getByTestId("transfer-retry"));
    expect(fake.calls).toContainEqual(["retry_transfer", { id: 1 }]);
    await waitFor(() => expect(screen.getByTestId("transfer").dataset.id).toBe("2"));
    expect(screen.getAllByTestId("transfer")).toHaveLength(1);
    fake.tickTransfers();
    fake.tickTransfers();
    await waitFor(() => expect(screen.getByTestId("transfer").dataset.state).toBe("done"));
    await waitFor(() => expect(row("broken.iso")).not.toBeNull());
  });

  it("retries a transfer that failed as a whole", async () => {
    const fake = new FakePlatform({ signedIn: true, transferTickMs: "manual", transferTicks: 2 });
    await dropAndFail(fake, ["/home/alice/broken.iso"]);
    expect(screen.queryByTestId("failed-items")).toBeNull();
    expect(screen.getByTestId("transfer-error").textContent).toMatch(/Permission denied/);
    fireEvent.click(screen.getByTestId("transfer-retry"));
    await waitFor(() => expect(screen.getByTestId("transfer").dataset.id).toBe("2"));
    fake.tickTransfers();
    fake.tickTransfers();
    await waitFor(() => expect(screen.getByTestId("transfer").dataset.state).toBe("done"));
    await waitFor(() => expect(row("broken.iso")).not.toBeNull());
  });

  it("keeps the failed row and says why when the retry is refused", async () => {
    const fake = new FakePlatform({ signedIn: true, transferTickMs: "manual", transferTicks: 2 });
    await dropAndFail(fake, ["/home/alice/notes.md", "/home/alice/broken.iso"]);
    fake.failNext.set("retry_transfer", { code: "transfer.not_found", message: "gone", params: {} });
    fireEvent.click(screen.getByTestId("transfer-retry"));
    expect((await screen.findByTestId("banner-text")).textContent).toBe("That transfer is no longer there (it may have been resumed, retried or discarded already).");
    expect(screen.getByTestId("transfer").dataset.state).toBe("failed");
    expect(screen.getByTestId("transfer").dataset.id).toBe("1");
  });
});
