// Preview: the binary frame the shell answers with, and the Preview dialog over the fake
// platform — text (with the "truncated" note past 1 MiB), images from blob: URLs (SVG only ever
// in an <img>), facts with Download for PDFs and other types, arrows to step through the files.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { EntryView } from "../bindings/EntryView";
import type { PreviewInfo } from "../bindings/PreviewInfo";
import { Preview } from "../components/Preview";
import { previewFrame, readPreviewFrame } from "../lib/preview-frame";
import { FakePlatform } from "../platform/fake";

const MiB = 1024 * 1024;

const info: PreviewInfo = {
  path: "docs/a.txt", name: "a.txt", size: 10, content_type: "text/plain", modified: null,
  show: "text", reason: null, truncated: true, bytes: 0,
};

describe("preview frame", () => {
  it("carries the facts as JSON, then the raw bytes", () => {
    const bytes = Uint8Array.from([0, 255, 10, 0x89, 80, 78, 71]);
    const frame = previewFrame(info, bytes);
    const view = new DataView(frame);
    const n = view.getUint32(0, false);
    expect(new TextDecoder().decode(new Uint8Array(frame, 4, n))).toContain('"path":"docs/a.txt"');
    expect([...new Uint8Array(frame, 4 + n)]).toEqual([...bytes]);
    for (const raw of [frame, new Uint8Array(frame), [...new Uint8Array(frame)]]) {
      const p = readPreviewFrame(raw);
      expect(p.info).toEqual({ ...info, bytes: bytes.length });
      expect([...p.bytes]).toEqual([...bytes]);
    }
  });

  it("refuses what is not a frame", () => {
    const frame = new Uint8Array(previewFrame(info, Uint8Array.from([1, 2, 3])));
    for (const bad of [frame.slice(0, 3), frame.slice(0, frame.length - 1), Uint8Array.from([0, 0, 0, 2, 123, 120])]) {
      expect(() => readPreviewFrame(bad)).toThrow(expect.objectContaining({ code: "ipc.bad_frame" }));
    }
  });
});

const OBJECTS: Record<string, number> = {
  "notes/a.txt": 10,
  "notes/big.log": 3 * MiB,
  "photos/logo.svg": 300,
  "photos/cat.png": 1_000,
  "photos/huge.png": 30 * MiB,
  "paper.pdf": 5_000,
  "video.mp4": 100,
};

function entry(path: string): EntryView {
  return { kind: "file", path, name: path.slice(path.lastIndexOf("/") + 1), size: OBJECTS[path], last_modified: null };
}

const FILES = Object.keys(OBJECTS).map(entry);

function show(index = 0) {
  const fake = new FakePlatform({ signedIn: true, objects: OBJECTS });
  const props = { onClose: vi.fn(), onDownload: vi.fn(), onIndex: vi.fn() };
  const { rerender } = render(<Preview platform={fake} files={FILES} index={index} {...props} />);
  // The parent owns the index: follow onIndex like the workspace does.
  props.onIndex.mockImplementation((i: number) => rerender(<Preview platform={fake} files={FILES} index={i} {...props} />));
  return { fake, props };
}

const dialog = () => screen.getByTestId("preview");
const key = (k: string) => fireEvent.keyDown(screen.getByTestId("preview-body"), { key: k });
const ready = (path: string) => waitFor(() => expect([dialog().dataset.path, dialog().dataset.state]).toEqual([path, "ready"]));

let created: string[];
let revoked: string[];
beforeEach(() => {
  created = [];
  revoked = [];
  URL.createObjectURL = vi.fn((b: Blob) => {
    const url = `blob:kura/${created.length + 1}#${b.type}`;
    created.push(url);
    return url;
  });
  URL.revokeObjectURL = vi.fn((u: string) => void revoked.push(u));
});

describe("preview dialog", () => {
  it("shows text as plain text, and says when it is cut at 1 MiB", async () => {
    const { fake } = show(0);
    await ready("notes/a.txt");
    expect(fake.calls).toContainEqual(["preview_file", { path: "notes/a.txt" }]);
    expect(screen.getByTestId("preview-text").tagName).toBe("PRE");
    expect(screen.getByTestId("preview-text").textContent).toBe("# a.txt\n\nT"); // its first 10 bytes
    expect(screen.queryByTestId("preview-truncated")).toBeNull();
    key("ArrowRight");
    await ready("notes/big.log");
    expect(screen.getByTestId("preview-text").textContent!.length).toBe(MiB);
    expect(screen.getByTestId("preview-truncated").textContent).toBe("Truncated: showing the first 1.0 MiB of 3.0 MiB.");
    expect(screen.getByTestId("preview-position").textContent).toBe("2 of 7");
  });

  it("shows images, SVG included, only as <img> from blob: URLs, revoked when it moves on", async () => {
    show(2);
    await ready("photos/logo.svg");
    const img = screen.getByTestId("preview-image") as HTMLImageElement;
    expect(img.tagName).toBe("IMG");
    expect(img.getAttribute("src")).toBe("blob:kura/1#image/svg+xml");
    // The SVG's markup (and its script) is never part of the page.
    expect(document.querySelector("svg:not(.icon), script")).toBeNull();
    expect((window as unknown as { __svgScriptRan?: boolean }).__svgScriptRan).toBeUndefined();
    key("ArrowDown");
    await ready("photos/cat.png");
    expect(revoked).toEqual(["blob:kura/1#image/svg+xml"]);
    expect(screen.getByTestId("preview-image").getAttribute("src")).toBe("blob:kura/2#image/png");
  });

  it("shows the facts and Download for PDFs, large images and other types", async () => {
    const { props } = show(4);
    await ready("photos/huge.png");
    expect(dialog().dataset.show).toBe("other");
    expect(screen.getByTestId("preview-facts").dataset.reason).toBe("preview.too_large");
    expect(screen.getByTestId("preview-size").textContent).toBe("30.0 MiB");
    key("ArrowRight");
    await ready("paper.pdf");
    expect(screen.getByTestId("preview-facts").textContent).toContain("PDFs are not shown inside Kura");
    expect(screen.getByTestId("preview-type").textContent).toBe("application/pdf");
    key("ArrowRight");
    await ready("video.mp4");
    expect(screen.getByTestId("preview-facts").dataset.reason).toBe("preview.unsupported");
    fireEvent.click(screen.getByTestId("preview-facts-download"));
    expect(props.onDownload).toHaveBeenCalledWith(FILES[6]);
    expect(created).toEqual([]);
  });

  it("arrows stop at the ends; Esc and Space close", async () => {
    const { props } = show(0);
    await ready("notes/a.txt");
    key("ArrowLeft");
    key("ArrowUp");
    expect(props.onIndex).not.toHaveBeenCalled();
    expect((screen.getByTestId("preview-prev") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId("preview-next"));
    await ready("notes/big.log");
    key("ArrowLeft");
    await ready("notes/a.txt");
    key(" ");
    expect(props.onClose).toHaveBeenCalledTimes(1);
    key("Escape");
    expect(props.onClose).toHaveBeenCalledTimes(2);
  });

  it("shows why a preview failed", async () => {
    const { fake } = show(0);
    await ready("notes/a.txt");
    fake.failNext.set("preview_file", { code: "s3.access_denied", message: "denied", params: { path: "notes/b.txt" } });
    key("ArrowRight");
    const error = await screen.findByTestId("preview-error");
    expect(error.dataset.code).toBe("s3.access_denied");
  });
});
