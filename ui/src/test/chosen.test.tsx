// Uploads, downloads and drops pass handles, never local paths: the UI sends back exactly the
// handle a dialog or a drop gave it, and a path or a reused handle is refused.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { App } from "../App";
import { describeError } from "../lib/errors";
import { FakePlatform } from "../platform/fake";
import type { ChosenFiles, ChosenFolder } from "../platform/types";

async function workspace(fake: FakePlatform) {
  render(<App platform={fake} />);
  await screen.findByText("readme.txt");
}

/** Every argument the UI sent, as JSON: local paths must not appear in it. */
function sent(fake: FakePlatform): string {
  return JSON.stringify(fake.calls.map(([, args]) => args ?? null));
}

async function returned<T>(fake: FakePlatform, cmd: string, call: () => Promise<T>): Promise<T> {
  await waitFor(() => expect(fake.calls.map((c) => c[0])).toContain(cmd));
  return call();
}

describe("local files by handle", () => {
  it("Upload sends back the file dialog's handle", async () => {
    const fake = new FakePlatform({ signedIn: true, transferTickMs: "manual" });
    let picked: ChosenFiles | null = null;
    const pick = fake.pickUploadFiles.bind(fake);
    fake.pickUploadFiles = async () => (picked = await pick());
    await workspace(fake);
    fireEvent.click(screen.getByTestId("upload"));
    await returned(fake, "start_upload", async () => undefined);
    expect(picked!.items.map((i) => i.name)).toEqual(["sunset.jpg", "plan.pdf"]);
    expect(fake.calls).toContainEqual(["start_upload", { handle: picked!.handle, dest: "" }]);
    expect((await screen.findByTestId("transfer")).textContent).toContain("2 items → My files");
    expect(sent(fake)).not.toContain("/home/alice");
  });

  it("Upload folder sends back the folder dialog's handle", async () => {
    const fake = new FakePlatform({ signedIn: true, transferTickMs: "manual", transferTicks: 1 });
    await workspace(fake);
    fireEvent.click(screen.getByTestId("upload-folder"));
    await waitFor(() => expect(fake.calls.map((c) => c[0])).toContain("start_upload"));
    const [, args] = fake.calls.find(([c]) => c === "start_upload")!;
    expect((args as { handle: string }).handle).toMatch(/^[0-9a-f]{32}$/);
    fake.tickTransfers();
    await screen.findByText("website");
    expect(sent(fake)).not.toContain("/home/alice");
  });

  it("Download to… sends the folder dialog's handle, and the label shows its name only", async () => {
    const fake = new FakePlatform({ signedIn: true, transferTickMs: "manual" });
    let folder: ChosenFolder | null = null;
    const pick = fake.pickDownloadDir.bind(fake);
    fake.pickDownloadDir = async () => (folder = await pick());
    await workspace(fake);
    fireEvent.click(screen.getByText("readme.txt"));
    fireEvent.click(screen.getByTestId("download-to"));
    await waitFor(() => expect(fake.calls.map((c) => c[0])).toContain("start_download"));
    expect(fake.calls).toContainEqual(["start_download", { paths: ["readme.txt"], destDir: folder!.handle }]);
    expect((await screen.findByTestId("transfer")).textContent).toContain("readme.txt → Desktop");
    expect(sent(fake)).not.toContain("/home/alice");
  });

  it("a cancelled folder dialog starts nothing", async () => {
    const fake = new FakePlatform({ signedIn: true, transferTickMs: "manual" });
    fake.pickDownloadDir = async () => null;
    fake.pickUploadFiles = async () => null;
    await workspace(fake);
    fireEvent.click(screen.getByText("readme.txt"));
    fireEvent.click(screen.getByTestId("download-to"));
    fireEvent.click(screen.getByTestId("upload"));
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.calls.map((c) => c[0])).not.toContain("start_download");
    expect(fake.calls.map((c) => c[0])).not.toContain("start_upload");
  });

  it("a drop uploads by the drop's handle into the folder shown", async () => {
    const fake = new FakePlatform({ signedIn: true, transferTickMs: "manual", transferTicks: 1 });
    await workspace(fake);
    fireEvent.dblClick(screen.getByText("docs"));
    await screen.findByText("notes.md");
    const chosen = fake.drop(["/home/alice/Desktop/minutes.txt"]);
    await waitFor(() => expect(fake.calls).toContainEqual(["start_upload", { handle: chosen.handle, dest: "docs/" }]));
    fake.tickTransfers();
    await screen.findByText("minutes.txt");
  });

  it("a drop the shell could not read is shown, and nothing starts", async () => {
    const fake = new FakePlatform({ signedIn: true, transferTickMs: "manual" });
    await workspace(fake);
    fake.chosen.dropFailed({ code: "local.io", message: "log text", params: { detail: "reading /x: No such file or directory" } });
    expect(await screen.findByText(/No such file or directory/)).toBeTruthy();
    expect(fake.calls.map((c) => c[0])).not.toContain("start_upload");
  });

  it("a path, a guessed or a used handle is refused with local.not_chosen", async () => {
    const fake = new FakePlatform({ signedIn: true, transferTickMs: "manual" });
    const noop = () => undefined;
    for (const forged of ["/etc/passwd", "0".repeat(32)]) {
      await expect(fake.startUpload(forged, "", noop)).rejects.toMatchObject({ code: "local.not_chosen" });
      await expect(fake.startDownload(["readme.txt"], forged, noop)).rejects.toMatchObject({ code: "local.not_chosen" });
    }
    const chosen = (await fake.pickUploadFiles())!;
    await fake.startUpload(chosen.handle, "", noop);
    await expect(fake.startUpload(chosen.handle, "", noop)).rejects.toMatchObject({ code: "local.not_chosen" });
    // What was chosen to upload is no place to download into.
    const other = (await fake.pickUploadFolder())!;
    await expect(fake.startDownload(["readme.txt"], other.handle, noop)).rejects.toMatchObject({ code: "local.not_chosen" });
  });

  it("local.not_chosen is worded by its code", () => {
    const view = describeError({ code: "local.not_chosen", message: "internal text", params: {} });
    expect(view.text).toMatch(/choose them again/i);
    expect(view.text).not.toContain("internal text");
  });
});
