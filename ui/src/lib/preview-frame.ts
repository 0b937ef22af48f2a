// `preview_file`'s binary answer (crates/kura-ipc/src/search.rs, `preview_frame`): a 4-byte
// big-endian length n, n bytes of UTF-8 JSON (a PreviewInfo), then the bytes to show. It arrives
// as an ArrayBuffer; no preview byte travels as JSON or base64.
import type { PreviewInfo } from "../bindings/PreviewInfo";

/** A preview: the object's facts and the bytes to show (empty for "other" and PDFs). */
export interface FilePreview {
  info: PreviewInfo;
  bytes: Uint8Array;
}

/** What an IPC binary answer may come as: an ArrayBuffer (the custom-protocol IPC), a typed
 * array, or a plain array of numbers (the postMessage fallback). */
export type RawBytes = ArrayBuffer | ArrayBufferView | number[];

function toBytes(raw: RawBytes): Uint8Array {
  if (raw instanceof Uint8Array) return raw;
  if (ArrayBuffer.isView(raw)) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (Array.isArray(raw)) return Uint8Array.from(raw);
  return new Uint8Array(raw);
}

/** Splits a frame; throws `{ code: "ipc.bad_frame" }` when it is not one. */
export function readPreviewFrame(raw: RawBytes): FilePreview {
  const all = toBytes(raw);
  const bad = (why: string) => ({ code: "ipc.bad_frame", message: `not a preview frame: ${why}` });
  if (all.length < 4) throw bad("too short");
  const n = new DataView(all.buffer, all.byteOffset, all.byteLength).getUint32(0, false);
  if (4 + n > all.length) throw bad("header longer than the frame");
  let info: PreviewInfo;
  try {
    info = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(all.subarray(4, 4 + n))) as PreviewInfo;
  } catch {
    throw bad("header is not JSON");
  }
  const bytes = all.subarray(4 + n);
  if (info.bytes !== bytes.length) throw bad(`${bytes.length} bytes where the header says ${info.bytes}`);
  return { info, bytes };
}

/** Builds a frame (the fake platform answers with these, so the page reads what Rust sends). */
export function previewFrame(info: PreviewInfo, bytes: Uint8Array): ArrayBuffer {
  const header = new TextEncoder().encode(JSON.stringify({ ...info, bytes: bytes.length }));
  const out = new Uint8Array(4 + header.length + bytes.length);
  new DataView(out.buffer).setUint32(0, header.length, false);
  out.set(header, 4);
  out.set(bytes, 4 + header.length);
  return out.buffer;
}
